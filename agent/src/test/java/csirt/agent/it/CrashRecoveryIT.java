package csirt.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import csirt.agent.camel.AgentHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 in the middle of a TCP stream carrying incidents, then a restart: the journal verifies,
 * the records after the saved triage state are judged again, and no case or notice is doubled.
 */
class CrashRecoveryIT {

    @TempDir
    Path tmp;
    private Process agent;

    @AfterEach
    void stop() throws InterruptedException {
        if (agent != null && agent.isAlive()) {
            agent.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private void start(Path data, Path log, int port, int http) throws Exception {
        agent = PackagedAgent.start(data, log, port, http);
    }

    @Test
    void kill_9_mid_stream_then_restart_loses_no_verdict_and_doubles_no_case_or_notice() throws Exception {
        Path data = tmp.resolve("data");
        Path log = tmp.resolve("agent.log");
        start(data, log, 0, 0);
        int port = PackagedAgent.port(data, "syslog-tcp");
        int http = PackagedAgent.port(data, "http");

        AtomicLong sent = new AtomicLong();
        AtomicBoolean stop = new AtomicBoolean();
        Thread sender = new Thread(() -> {
            byte[] benign = "<86>Nov 26 18:00:00 web01 sshd[1]: pam_unix(sshd:session): session opened for user u(uid=1000) by (uid=0)\n"
                    .getBytes(StandardCharsets.UTF_8);
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port); OutputStream out = s.getOutputStream()) {
                for (long i = 0; !stop.get(); i++) {
                    if (i % 5_000 == 0) {
                        // incidents all along the stream: a spreading signature and a brute force
                        out.write(("<11>Nov 26 18:00:00 pc-" + (i / 5_000 % 3 + 1) + " clamd[1]: /home/u/x.exe: Win.Trojan.Crash-1 FOUND\n"
                                + "<38>Nov 26 18:00:00 web01 sshd[2]: Failed password for root from 203.0.113.77 port 1 ssh2\n")
                                .getBytes(StandardCharsets.UTF_8));
                    }
                    out.write(benign);
                    sent.incrementAndGet();
                    if (i % 2_000 == 0) {
                        Thread.sleep(2); // a steady stream, not a flood: the point is the kill, not backpressure
                    }
                }
            } catch (IOException | InterruptedException e) {
                // the agent died under it
            }
        });
        sender.start();
        // past at least one save of the triage state (every 10 s), then kill in the middle of the stream
        TimeUnit.SECONDS.sleep(14);
        agent.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // SIGKILL
        stop.set(true);
        sender.join(10_000);

        start(data, log, port, http);
        agent.destroy();
        assertThat(agent.waitFor(40, TimeUnit.SECONDS)).isTrue();
        String out = read(log);
        Matcher rec = Pattern.compile("Recovered after an unclean stop: judged again (\\d+) records").matcher(out);
        assertThat(rec.find()).as("the restart judges the records after the saved state; log:%n%s", tail(out)).isTrue();
        assertThat(Long.parseLong(rec.group(1))).isPositive();

        assertThat(PackagedAgent.cli("evidence", "verify", "--data", data.toString()).out()).startsWith("OK: ");

        List<String> notices;
        try (Stream<Path> s = Files.list(data.resolve("notices"))) {
            notices = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".eml")).toList();
        }
        Map<String, Long> opened = notices.stream().filter(n -> n.contains("-opened-"))
                .collect(Collectors.groupingBy(n -> n.replaceAll(".*-(C-\\d+)-opened-.*", "$1"), Collectors.counting()));
        assertThat(opened).as("one opening notice per case: %s", notices).hasSize(2).allSatisfy((k, n) -> assertThat(n).isEqualTo(1L));
        Map<String, Long> escalated = notices.stream().filter(n -> n.contains("-escalated-"))
                .collect(Collectors.groupingBy(n -> n.replaceAll(".*-(C-\\d+)-escalated-.*", "$1"), Collectors.counting()));
        assertThat(escalated.values()).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(1L));
    }

    private static String tail(String s) {
        return s.length() > 4000 ? s.substring(s.length() - 4000) : s;
    }

    private static String read(Path log) {
        return PackagedAgent.read(log);
    }
}
