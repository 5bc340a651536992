package csirt.agent.camel;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import csirt.agent.journal.JournalRecord;
import csirt.agent.journal.JournalVerifier;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full disk, for real: the data directory on a small tmpfs this test mounts (root only) and fills
 * up. The journal writes no partial record, the TCP input stops reading and holds the sender back,
 * health turns red and says why, the failures are counted; when space returns the agent goes on
 * by itself, nothing sent is missing and the journal verifies.
 */
class DiskFullTest {

    @TempDir
    Path tmp;

    @Test
    void a_full_disk_holds_senders_back_and_the_agent_resumes_by_itself() throws Exception {
        Path small = Files.createDirectories(tmp.resolve("small"));
        boolean mounted = run("mount", "-t", "tmpfs", "-o", "size=24m,mode=0700", "tmpfs", small.toString());
        if (System.getenv("CSIRT_REQUIRE_MOUNT") == null) {
            Assumptions.assumeTrue(mounted, "cannot mount a tmpfs here (needs root); .ci/run makes this test mandatory where it can");
        }
        assertThat(mounted).as("mount a 24 MiB tmpfs").isTrue();
        Path data = small.resolve("data");
        Path filler = small.resolve("filler");
        int before = 500;
        int during = 3000;
        try {
            try (AgentHarness agent = AgentHarness.start(data, Map.of("health.min-free-disk-mb", "0"))) {
                StringBuilder first = new StringBuilder();
                for (int i = 0; i < before; i++) {
                    first.append(line(i)).append('\n');
                }
                agent.tcp(first.toString());
                assertThat(AgentHarness.await(Duration.ofSeconds(20), () -> agent.daemon.services().journal().lastSeq() == before)).isTrue();

                fill(filler);
                Thread sender = new Thread(() -> {
                    try (Socket s = new Socket("127.0.0.1", agent.syslogPort); OutputStream out = s.getOutputStream()) {
                        for (int i = before; i < before + during; i++) {
                            out.write((line(i) + "\n").getBytes(StandardCharsets.UTF_8));
                        }
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
                sender.start();
                assertThat(AgentHarness.await(Duration.ofSeconds(20), () -> agent.metricNow("csirt_journal_failures_total") > 0)).isTrue();
                assertThat(agent.readiness()).contains("journal: the last write failed");
                assertThat(agent.metric("csirt_inputs_waiting_journal")).isEqualTo(1.0);
                // nothing was cut into the journal while the disk was full
                long stuck = agent.daemon.services().journal().lastSeq();
                Thread.sleep(2000);
                assertThat(agent.daemon.services().journal().lastSeq()).isEqualTo(stuck);

                Files.delete(filler);
                assertThat(AgentHarness.await(Duration.ofSeconds(30),
                        () -> agent.daemon.services().journal().lastSeq() == before + during))
                        .as("every message journaled once space returned (at %d)", agent.daemon.services().journal().lastSeq()).isTrue();
                sender.join(10_000);
                assertThat(AgentHarness.await(Duration.ofSeconds(10), () -> {
                    try {
                        return agent.readiness().contains("\"UP\"") || agent.readiness().contains("UP");
                    } catch (Exception e) {
                        return false;
                    }
                })).as("ready again").isTrue();
                assertThat(agent.metric("csirt_inputs_waiting_journal")).isZero();
            }
            List<JournalRecord> records = new ArrayList<>();
            assertThat(JournalVerifier.verify(data.resolve("journal"), records::add).ok()).isTrue();
            assertThat(records).hasSize(before + during);
            for (int i = 0; i < records.size(); i++) {
                assertThat(records.get(i).payloadText()).isEqualTo(line(i));
            }
        } finally {
            Files.deleteIfExists(filler);
            run("umount", "-l", small.toString());
        }
    }

    private static String line(int i) {
        return "<14>Nov 26 18:00:00 pc-" + (i % 50) + " CRON[" + i + "]: (root) CMD (disk full test line " + i + ")";
    }

    /** Writes until the filesystem has no room left. */
    static void fill(Path filler) {
        byte[] block = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (true) {
                out.write(block);
            }
        } catch (IOException full) {
            // No space left on device: the point
        }
    }

    /** Runs a command (mount, umount) to its end; true when it exited 0. */
    static boolean run(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
