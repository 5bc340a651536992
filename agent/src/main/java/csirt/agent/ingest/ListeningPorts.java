package csirt.agent.ingest;

import java.io.IOException;
import java.io.StringReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import csirt.agent.PrivateFiles;

/**
 * Where the running agent listens: each input's and the HTTP endpoint's bound address, as the
 * sockets report them. A configured port of 0 means "any free port"; what was bound is written to
 * {@code <data>/listening} once every input is up, so a test, a supervisor or the command line
 * reads the real ports instead of guessing a free one and racing another process for it.
 */
public final class ListeningPorts {

    /** The file in the data directory, one {@code name=host:port} line per input. */
    public static final String FILE = "listening";

    private final Map<String, InetSocketAddress> bound = new ConcurrentHashMap<>();

    /** Records what {@code name} (a route id such as {@code syslog-tcp}, or {@code http}) bound. */
    public void bound(String name, InetSocketAddress address) {
        bound.put(name, address);
    }

    /** The port {@code name} bound, or {@code configured} when it reported none (not started, or a route without its channel group). */
    public int port(String name, int configured) {
        InetSocketAddress a = bound.get(name);
        return a == null ? configured : a.getPort();
    }

    /** Each name's {@code host:port} as the file and the log say it. */
    public Map<String, String> described() {
        Map<String, String> out = new LinkedHashMap<>();
        all().forEach((name, a) -> out.put(name, hostPort(a)));
        return out;
    }

    /** What was bound, by name, in name order. */
    public Map<String, InetSocketAddress> all() {
        return new TreeMap<>(bound);
    }

    /** Writes {@link #FILE} (owner-only), replacing what an earlier run left. */
    public void write(Path dataDir) throws IOException {
        StringBuilder b = new StringBuilder("# where the running agent listens (written at start; a port of 0 in the settings is resolved here)\n");
        all().forEach((name, a) -> b.append(name).append('=').append(hostPort(a)).append('\n'));
        PrivateFiles.writeString(dataDir.resolve(FILE), b.toString());
    }

    /** Removes {@link #FILE} at a clean stop, so nobody reads the ports of an agent that is gone. */
    public static void remove(Path dataDir) {
        try {
            Files.deleteIfExists(dataDir.resolve(FILE));
        } catch (IOException e) {
            // a stale file is only advice: the next start replaces it
        }
    }

    /** The {@code name → host:port} a running agent of {@code dataDir} wrote; empty when none. */
    public static Map<String, String> read(Path dataDir) throws IOException {
        Properties p = new Properties();
        try {
            p.load(new StringReader(Files.readString(dataDir.resolve(FILE), StandardCharsets.UTF_8)));
        } catch (NoSuchFileException e) {
            return Map.of();
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (String name : new TreeMap<>(p).keySet().stream().map(Object::toString).toList()) {
            out.put(name, p.getProperty(name));
        }
        return out;
    }

    static String hostPort(InetSocketAddress a) {
        // 0.0.0.0 binds the dual-stack wildcard, which Java reports as IPv6's: say what was configured
        String host = a.getAddress() == null ? a.getHostString()
                : a.getAddress().isAnyLocalAddress() ? "0.0.0.0" : a.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
    }
}
