package csirt.agent.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import csirt.agent.ingest.Frame;
import csirt.agent.journal.Journal;
import csirt.agent.journal.Receipt;
import csirt.agent.metrics.AgentMetrics;
import csirt.agent.parse.EventParser;
import csirt.agent.triage.ShippedConfig;
import csirt.agent.triage.TriageEngine;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The judge queue's bounds with a real journal and engine, the judge held up by a case stage that
 * does not take its incidents: TCP input waits once {@link IngestPipeline#MAX_QUEUED_EVENTS} are
 * queued, UDP input goes on into its own overdraft (a UDP sender cannot be slowed) and waits only
 * beyond it; once the judge goes on, every record is journaled and judged.
 */
class JudgeQueueBoundsTest {

    @TempDir
    Path dir;

    private static final Receipt TCP = new Receipt(Instant.parse("2026-11-26T09:00:00Z"), "syslog-tcp", "tcp", "192.0.2.5", 40000);
    private static final Receipt UDP = new Receipt(Instant.parse("2026-11-26T09:00:00Z"), "syslog-udp", "udp", "192.0.2.6", 514);

    private static List<Frame> noise(int n) {
        List<Frame> frames = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            frames.add(Frame.whole(("<78>Nov 26 18:00:00 pc-" + i % 400 + " CRON[" + i + "]: (root) CMD (true)").getBytes(StandardCharsets.UTF_8)));
        }
        return frames;
    }

    private static Thread async(Runnable r) {
        Thread t = new Thread(r, "test-input");
        t.setDaemon(true);
        t.start();
        return t;
    }

    @Test
    void tcp_waits_at_the_bound_udp_goes_on_into_its_overdraft_and_nothing_is_lost() throws Exception {
        CountDownLatch caseStageStuck = new CountDownLatch(1);
        CountDownLatch judgeHeld = new CountDownLatch(1);
        try (Journal journal = Journal.open(dir, 0)) {
            IngestPipeline p = new IngestPipeline(journal, new EventParser(ZoneId.of("Asia/Tokyo")),
                    new TriageEngine(ShippedConfig.criteria(), ShippedConfig.assets()), new AgentMetrics(new SimpleMeterRegistry()));
            p.casesTo(new CaseSink() {
                @Override
                public void incidents(List<csirt.agent.triage.Verdict> incidents, long judgedThrough,
                                      java.util.concurrent.CompletableFuture<List<csirt.agent.cases.CaseChange>> done) {
                    judgeHeld.countDown();
                    try {
                        caseStageStuck.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }

                @Override
                public void snapshot(long seq, byte[] state, java.util.concurrent.CompletableFuture<Long> done) {
                }
            });
            // an antivirus detection on a server: a level-2 incident, so the judge hands it on and stays there
            p.acceptAsync(List.of(Frame.whole("<11>Nov 26 18:00:00 web01 clamd[812]: /srv/x.php: Sig-Q FOUND"
                    .getBytes(StandardCharsets.UTF_8))), TCP, EventParser.Source.SYSLOG);
            assertThat(judgeHeld.await(10, TimeUnit.SECONDS)).isTrue();

            // the detection's batch keeps its one place until the judge is done with it: fill the rest
            int max = IngestPipeline.MAX_QUEUED_EVENTS;
            for (int i = 0; i < max / 1000; i++) {
                p.acceptAsync(noise(i == 0 ? 999 : 1000), TCP, EventParser.Source.SYSLOG);
            }
            assertThat(p.queuedEvents()).isEqualTo(max);
            Thread tcpBeyond = async(() -> p.acceptAsync(noise(1000), TCP, EventParser.Source.SYSLOG));
            tcpBeyond.join(500);
            assertThat(tcpBeyond.isAlive()).as("TCP input waits at the bound").isTrue();
            assertThat(p.backpressureWaits()).isEqualTo(1);

            // UDP: the whole overdraft is taken without waiting, on this thread
            int udp = IngestPipeline.UDP_OVERDRAFT_EVENTS;
            for (int i = 0; i < udp / 1000; i++) {
                p.acceptAsync(noise(1000), UDP, EventParser.Source.SYSLOG);
            }
            assertThat(p.queuedEvents()).isEqualTo(max + udp);
            assertThat(p.backpressureWaits()).isEqualTo(1);
            Thread udpBeyond = async(() -> p.acceptAsync(noise(1000), UDP, EventParser.Source.SYSLOG));
            udpBeyond.join(500);
            assertThat(udpBeyond.isAlive()).as("UDP waits too beyond its overdraft").isTrue();

            caseStageStuck.countDown();
            tcpBeyond.join(10_000);
            udpBeyond.join(10_000);
            assertThat(tcpBeyond.isAlive() || udpBeyond.isAlive()).isFalse();
            long total = max + 1000 + udp + 1000;
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (p.judged() < total && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(journal.lastSeq()).isEqualTo(total);
            assertThat(p.judged()).isEqualTo(total);
            assertThat(p.queuedEvents()).isZero();
        }
    }
}
