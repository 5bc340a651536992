package csirt.agent.camel;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import csirt.agent.journal.JournalVerifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fifty senders at once, as fast as they can write, mixing octet counting and LF framing: every
 * message is journaled exactly once (TCP pushes back instead of dropping), the chain verifies,
 * and the open-connections gauge returns to zero.
 */
class FloodTest {

    @TempDir
    Path data;

    @Test
    void fifty_connections_flooding_lose_nothing() throws Exception {
        int senders = 50;
        int perSender = 2_000;
        // fifty senders from one address (the test): above the default per-peer limit on purpose
        try (AgentHarness agent = AgentHarness.start(data, Map.of("syslog.tcp.max-connections-per-peer", "100"))) {
            ExecutorService pool = Executors.newFixedThreadPool(senders);
            List<Future<?>> done = new ArrayList<>();
            for (int s = 0; s < senders; s++) {
                int id = s;
                done.add(pool.submit(() -> {
                    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), agent.syslogPort);
                         OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024)) {
                        for (int i = 0; i < perSender; i++) {
                            String msg = "<13>Nov 26 18:00:00 pc-" + id + " app: message " + i + " of sender " + id;
                            byte[] b = msg.getBytes(StandardCharsets.UTF_8);
                            if (i % 2 == 0) {
                                out.write((b.length + " ").getBytes(StandardCharsets.US_ASCII));
                                out.write(b);
                            } else {
                                out.write(b);
                                out.write('\n');
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
            pool.shutdown();
            long expected = (long) senders * perSender;
            assertThat(AgentHarness.await(Duration.ofSeconds(60),
                    () -> agent.daemon.services().journal().lastSeq() == expected))
                    .as("journaled %d of %d", agent.daemon.services().journal().lastSeq(), expected).isTrue();
            assertThat(AgentHarness.await(Duration.ofSeconds(10),
                    () -> agent.metricNow("csirt_connections_open{input=\"syslog-tcp\"}") == 0.0)).isTrue();
            assertThat(agent.metric("csirt_messages_received_total{input=\"syslog-tcp\"}")).isEqualTo((double) expected);
        }
        long[] count = {0};
        assertThat(JournalVerifier.verify(data.resolve("journal"), r -> count[0]++).ok()).isTrue();
        assertThat(count[0]).isEqualTo((long) senders * perSender);
    }
}
