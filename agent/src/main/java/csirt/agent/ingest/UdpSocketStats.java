package csirt.agent.ingest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.IntSupplier;

/**
 * What the Linux kernel knows about our UDP input socket, read from {@code /proc/net/udp} and
 * {@code /proc/net/udp6}: datagrams it dropped because the socket's receive buffer was full, and
 * the bytes waiting in that buffer. UDP cannot push back on a sender, so these drops are the only
 * record of loss; exporting them makes loss visible instead of silent.
 *
 * <p>Sockets are matched by local port (every socket bound to it is ours: reuseport or v4+v6).
 * On a system without {@code /proc} (not Linux) the values are {@code -1}, which the metric shows
 * as "unknown" rather than a reassuring zero.
 */
public final class UdpSocketStats {

    /** Totals over the sockets bound to the port; {@code sockets} 0 means none was found. */
    public record Snapshot(int sockets, long drops, long receiveQueueBytes) {
        static final Snapshot UNKNOWN = new Snapshot(0, -1, -1);
    }

    private final List<Path> tables;
    private final IntSupplier port;

    public UdpSocketStats(int port) {
        this(() -> port);
    }

    /** The port as the input bound it: asked at every read, since a configured 0 is known only once the input is up. */
    public UdpSocketStats(IntSupplier port) {
        this(port, List.of(Path.of("/proc/net/udp"), Path.of("/proc/net/udp6")));
    }

    UdpSocketStats(int port, List<Path> tables) {
        this(() -> port, tables);
    }

    private UdpSocketStats(IntSupplier port, List<Path> tables) {
        this.port = port;
        this.tables = tables;
    }

    public Snapshot read() {
        int port = this.port.getAsInt();
        if (port == 0) {
            return Snapshot.UNKNOWN; // "any free port", not bound yet
        }
        int sockets = 0;
        long drops = 0;
        long queue = 0;
        boolean anyTable = false;
        for (Path table : tables) {
            List<String> lines;
            try {
                lines = Files.readAllLines(table, StandardCharsets.US_ASCII);
            } catch (IOException e) {
                continue; // udp6 may be absent when IPv6 is disabled
            }
            anyTable = true;
            for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                long[] row = parse(line);
                if (row != null && row[0] == port) {
                    sockets++;
                    queue += row[1];
                    drops += row[2];
                }
            }
        }
        return anyTable ? new Snapshot(sockets, drops, queue) : Snapshot.UNKNOWN;
    }

    /**
     * One row: {@code sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid
     * timeout inode ref pointer drops}; addresses are {@code HEXADDR:HEXPORT}. Returns
     * {local port, rx_queue, drops}, or null for a row that does not have that shape.
     */
    static long[] parse(String line) {
        String[] f = line.trim().split("\\s+");
        if (f.length < 13) {
            return null;
        }
        try {
            String local = f[1];
            long localPort = Long.parseLong(local.substring(local.lastIndexOf(':') + 1), 16);
            String queues = f[4];
            long rx = Long.parseLong(queues.substring(queues.indexOf(':') + 1), 16);
            long drops = Long.parseLong(f[f.length - 1]);
            return new long[] {localPort, rx, drops};
        } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
            return null;
        }
    }
}
