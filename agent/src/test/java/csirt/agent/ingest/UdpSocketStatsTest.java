package csirt.agent.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UdpSocketStatsTest {

    @Test
    void parsesAProcNetUdpRow() {
        // a real row from /proc/net/udp: 127.0.0.1:5514, 0x300 bytes queued, 17 drops
        long[] row = UdpSocketStats.parse(
                "  512: 0100007F:158A 00000000:0000 07 00000000:00000300 00:00000000 00000000  1000        0 123456 2 0000000000000000 17");
        assertThat(row).containsExactly(5514, 0x300, 17);
        assertThat(UdpSocketStats.parse("  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops")).isNull();
        assertThat(UdpSocketStats.parse("garbage")).isNull();
    }

    @Test
    void withoutProcTheValuesAreUnknownNotZero(@TempDir Path dir) {
        UdpSocketStats.Snapshot s = new UdpSocketStats(5514, List.of(dir.resolve("missing"))).read();
        assertThat(s.drops()).isEqualTo(-1);
        assertThat(s.receiveQueueBytes()).isEqualTo(-1);
    }

    /** A real socket that nobody reads, a small buffer, a burst: the kernel drops, and we see it. */
    @Test
    void seesTheKernelDropDatagramsForAFullBuffer() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/net/udp")), "needs Linux /proc/net/udp");
        try (DatagramSocket receiver = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
             DatagramSocket sender = new DatagramSocket()) {
            receiver.setReceiveBufferSize(4096);
            int port = receiver.getLocalPort();
            UdpSocketStats stats = new UdpSocketStats(port);
            UdpSocketStats.Snapshot before = stats.read();
            assertThat(before.sockets()).isEqualTo(1);
            assertThat(before.drops()).isZero();

            byte[] payload = new byte[1000];
            for (int i = 0; i < 500; i++) {
                sender.send(new DatagramPacket(payload, payload.length, InetAddress.getLoopbackAddress(), port));
            }
            UdpSocketStats.Snapshot after = stats.read();
            assertThat(after.drops()).isGreaterThan(0);
            assertThat(after.receiveQueueBytes()).isGreaterThan(0);
        }
    }
}
