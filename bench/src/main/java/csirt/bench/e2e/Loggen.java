package csirt.bench.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * syslog-ng's {@code loggen}, the sender the reference numbers came from, as a second,
 * independent sender beside the benchmark's own. Debian's syslog-ng-core cannot be installed
 * beside rsyslog (both are the system logger), so {@code bench/e2e} unpacks the package into
 * bench/target/loggen without installing it; an installed {@code /usr/bin/loggen} is used as is.
 */
final class Loggen {

    private final Path binary;
    private final Map<String, String> env;

    private Loggen(Path binary, Map<String, String> env) {
        this.binary = binary;
        this.env = env;
    }

    /** The unpacked copy under bench/target/loggen, else an installed one, else null. */
    static Loggen find(Path repo) {
        Path root = repo.resolve("bench/target/loggen");
        Path unpacked = root.resolve("usr/bin/loggen");
        if (Files.isExecutable(unpacked)) {
            // the unpacked binary finds its libraries and plugins only when told where they are
            return new Loggen(unpacked, Map.of("LD_LIBRARY_PATH", root.resolve("usr/lib/syslog-ng").toString(),
                    "SYSLOGNG_PREFIX", root.resolve("usr").toString()));
        }
        Path installed = Path.of("/usr/bin/loggen");
        return Files.isExecutable(installed) ? new Loggen(installed, Map.of()) : null;
    }

    /**
     * Sends {@code n} messages over one TCP connection to 127.0.0.1:port as fast as the receiver
     * takes them; {@code args} chooses the messages (its own generator, or lines of a file).
     * Returns loggen's last line (its own rate) once it has sent them all.
     */
    String send(int port, long n, List<String> args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(binary.toString(), "--inet", "--stream", "--rate", "1000000000",
                "--interval", "3600", "--number", Long.toString(n)));
        cmd.addAll(args);
        cmd.addAll(List.of("127.0.0.1", Integer.toString(port)));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("loggen failed (" + String.join(" ", cmd) + "): " + out);
        }
        String[] lines = out.strip().split("\n");
        return lines[lines.length - 1];
    }

    /** The syslog-ng-core package it came from (bench/e2e writes it beside the unpacked copy). */
    String version() {
        Path v = binary.getParent().getParent().getParent().resolve("VERSION");
        try {
            return "loggen of syslog-ng-core " + (Files.isRegularFile(v) ? Files.readString(v).strip() : "(installed)");
        } catch (IOException e) {
            return "loggen (" + binary + ")";
        }
    }
}
