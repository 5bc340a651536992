package csirt.agent.ingest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.IntSupplier;

/**
 * Bytes that senders have delivered to a TCP input's connections but the agent has not read yet,
 * summed over the established connections on its port, from {@code /proc/net/tcp} and
 * {@code /proc/net/tcp6}. When the agent pushes back (triage or the journal behind, a full disk)
 * this is where the pressure shows: the kernel holds the bytes, then the senders' windows close.
 * {@code -1} where there is no {@code /proc} (not Linux).
 */
public final class TcpBacklog {

    private final List<Path> tables;
    private final IntSupplier port;

    public TcpBacklog(int port) {
        this(() -> port);
    }

    /** The port as the input bound it: asked at every read, since a configured 0 is known only once the input is up. */
    public TcpBacklog(IntSupplier port) {
        this(port, List.of(Path.of("/proc/net/tcp"), Path.of("/proc/net/tcp6")));
    }

    TcpBacklog(int port, List<Path> tables) {
        this(() -> port, tables);
    }

    private TcpBacklog(IntSupplier port, List<Path> tables) {
        this.port = port;
        this.tables = tables;
    }

    public long unreadBytes() {
        int port = this.port.getAsInt();
        if (port == 0) {
            return -1; // "any free port", not bound yet
        }
        long sum = 0;
        boolean any = false;
        for (Path table : tables) {
            List<String> lines;
            try {
                lines = Files.readAllLines(table, StandardCharsets.US_ASCII);
            } catch (IOException e) {
                continue;
            }
            any = true;
            for (int i = 1; i < lines.size(); i++) {
                long rx = unread(lines.get(i), port);
                if (rx > 0) {
                    sum += rx;
                }
            }
        }
        return any ? sum : -1;
    }

    /**
     * The receive queue of one row ({@code sl local rem st tx_queue:rx_queue ...}) when it is an
     * established connection (state 01) on {@code port}, else -1.
     */
    static long unread(String line, int port) {
        String[] f = line.trim().split("\\s+");
        if (f.length < 5 || !"01".equals(f[3])) {
            return -1;
        }
        try {
            int localPort = Integer.parseInt(f[1].substring(f[1].lastIndexOf(':') + 1), 16);
            if (localPort != port) {
                return -1;
            }
            return Long.parseLong(f[4].substring(f[4].indexOf(':') + 1), 16);
        } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
            return -1;
        }
    }
}
