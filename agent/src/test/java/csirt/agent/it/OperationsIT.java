package csirt.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import csirt.agent.camel.AgentHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The built jar as an operator runs it: SIGTERM in the middle of a stream, and a metrics endpoint promtool accepts. */
class OperationsIT {

    @TempDir
    Path tmp;
    private Process agent;

    @AfterEach
    void stop() throws InterruptedException {
        if (agent != null && agent.isAlive()) {
            agent.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Starts on ports of the agent's choosing; returns the TCP input's. */
    private int start(Path data, Path log) throws Exception {
        agent = PackagedAgent.start(data, log, 0, 0);
        return PackagedAgent.port(data, "syslog-tcp");
    }

    @Test
    void sigterm_in_the_middle_of_a_stream_journals_and_judges_every_accepted_message_and_exits_0() throws Exception {
        Path data = tmp.resolve("data");
        Path log = tmp.resolve("agent.log");
        int port = start(data, log);
        AtomicLong sent = new AtomicLong();
        Thread sender = new Thread(() -> {
            byte[] line = ("<86>Nov 26 18:00:00 web01 sshd[1]: pam_unix(sshd:session): session opened for user u(uid=1000) by (uid=0)"
                    + " padding padding padding padding padding padding\n").getBytes(StandardCharsets.UTF_8);
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port); OutputStream out = s.getOutputStream()) {
                for (int i = 0; i < 2_000_000; i++) {
                    out.write(line);
                    sent.incrementAndGet();
                }
            } catch (IOException e) {
                // the agent closed the connection when it stopped accepting: expected
            }
        });
        sender.start();
        assertThat(AgentHarness.await(Duration.ofSeconds(20), () -> sent.get() > 50_000)).isTrue();
        agent.destroy(); // SIGTERM
        assertThat(agent.waitFor(40, TimeUnit.SECONDS)).as("stops within the unit's TimeoutStopSec").isTrue();
        sender.join(10_000);
        String out = read(log);
        assertThat(agent.exitValue()).as(out).isZero();
        Matcher m = Pattern.compile("Journal synced and closed at seq (\\d+); journal at seq \\d+; (\\d+) events judged since start, "
                + "(\\d+) continuation pieces").matcher(out);
        assertThat(m.find()).as(out).isTrue();
        long journaled = Long.parseLong(m.group(1));
        assertThat(journaled).isGreaterThan(10_000);
        assertThat(Long.parseLong(m.group(2)) + Long.parseLong(m.group(3))).as("every journaled record was judged").isEqualTo(journaled);

        assertThat(PackagedAgent.cli("evidence", "verify", "--data", data.toString()).out()).startsWith("OK: " + journaled + " records");
    }

    @Test
    void the_metrics_endpoint_passes_promtool_check_metrics() throws Exception {
        String promtool = AgentHarness.promtool();
        int port = start(tmp.resolve("data"), tmp.resolve("agent.log"));
        int http = PackagedAgent.port(tmp.resolve("data"), "http");
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port); OutputStream out = s.getOutputStream()) {
            out.write(("<3>Nov 26 18:00:00 files01 kernel: blk_update_request: I/O error, dev sda, sector 1\n"
                    + "<38>Nov 26 18:00:00 web01 sshd[1]: Failed password for root from 203.0.113.1 port 1 ssh2\n").getBytes(StandardCharsets.UTF_8));
        }
        TimeUnit.SECONDS.sleep(2);
        String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertThat(metrics).contains("csirt_journal_written_bytes_total").contains("csirt_journal_fsync_seconds_count")
                .contains("csirt_cases_open{level=\"1\"} 1.0").contains("csirt_ready 1.0").contains("jvm_gc_pause_seconds");
        Process p = new ProcessBuilder(promtool, "check", "metrics").redirectErrorStream(true).start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(metrics.getBytes(StandardCharsets.UTF_8));
        }
        String lint = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(lint).isZero();
    }

    private static String read(Path log) {
        return PackagedAgent.read(log);
    }
}
