package csirt.agent.camel;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * UDP loss is accounted for: a burst far faster than the agent reads, into a small receive buffer,
 * makes the kernel drop datagrams; what the agent journaled plus what the kernel says it dropped
 * for the agent's socket is exactly what was sent. (The drop counter once read 0 here: Micrometer
 * had let the object it reads be garbage-collected.)
 */
class UdpLossAccountingTest {

    @TempDir
    Path data;

    @Test
    void every_datagram_is_either_journaled_or_counted_as_dropped_by_the_kernel() throws Exception {
        int sent = 100_000;
        try (AgentHarness agent = AgentHarness.start(data, Map.of("syslog.udp.receive-buffer-bytes", "16384"));
             DatagramChannel ch = DatagramChannel.open()) {
            ch.connect(new InetSocketAddress("127.0.0.1", agent.udpPort));
            ByteBuffer b = ByteBuffer.allocate(256);
            for (int i = 0; i < sent; i++) {
                b.clear();
                b.put(("<13>Nov 26 18:00:00 web01 app: burst " + i).getBytes(StandardCharsets.UTF_8)).flip();
                ch.write(b);
            }
            System.gc(); // a weakly held meter object would be gone now
            assertThat(AgentHarness.await(Duration.ofSeconds(30), () -> agent.metricNow("csirt_messages_received_total{input=\"syslog-udp\"}")
                    + agent.metricNow("csirt_udp_receive_drops_total{input=\"syslog-udp\"}") == sent))
                    .as("received %s + dropped %s = sent %d", agent.metric("csirt_messages_received_total{input=\"syslog-udp\"}"),
                            agent.metric("csirt_udp_receive_drops_total{input=\"syslog-udp\"}"), sent)
                    .isTrue();
            assertThat(agent.metric("csirt_udp_receive_drops_total{input=\"syslog-udp\"}")).as("the burst overflowed the buffer").isPositive();
            assertThat(agent.metric("csirt_udp_receive_queue_bytes{input=\"syslog-udp\"}")).isNotNaN().isGreaterThanOrEqualTo(0);
        }
    }
}
