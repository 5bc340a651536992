package csirt.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import csirt.agent.camel.AgentHarness;
import csirt.agent.cases.CaseRecord;
import csirt.agent.cases.CaseStore;
import csirt.agent.journal.JournalReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fault suite's kill -9: twenty SIGKILLs of the packaged agent at random moments of a stream
 * carrying incidents, four of them right after a triage-state save, each followed by a restart on
 * the same data directory. After every kill, every case that a delivered "opened" notice names
 * exists under the same id, and no case changed its id; at the end every incident the journal holds
 * is in exactly one case, and every case has exactly one "opened" notice.
 */
class KillNineFaultIT {

    private static final Pattern SIGNATURE = Pattern.compile("(Win\\.Trojan\\.K\\d+x\\d+) FOUND");

    @TempDir
    Path tmp;
    private Process agent;

    @AfterEach
    void stop() throws InterruptedException {
        PackagedAgent.stop(agent);
    }

    @Test
    void twenty_kills_at_random_and_after_a_state_save_lose_and_double_no_case_or_notice() throws Exception {
        Path data = tmp.resolve("data");
        Path log = tmp.resolve("agent.log");
        Random random = new Random(20261201L); // fixed: a failure can be replayed
        Map<Long, String> keys = new HashMap<>(); // case id -> case key, as seen after each kill
        for (int round = 0; round < 20; round++) {
            agent = PackagedAgent.start(data, log, 0, 0);
            int port = PackagedAgent.port(data, "syslog-tcp");
            boolean afterSave = round % 5 == 4;
            Path state = data.resolve("triage").resolve("state.bin");
            FileTime savedBefore = Files.exists(state) ? Files.getLastModifiedTime(state) : null;
            AtomicBoolean stop = new AtomicBoolean();
            Thread sender = stream(port, round, stop);
            if (afterSave) {
                // the state is saved every 10 s: kill the moment a new save appears
                assertThat(AgentHarness.await(Duration.ofSeconds(30), () -> {
                    try {
                        return Files.exists(state) && !Files.getLastModifiedTime(state).equals(savedBefore);
                    } catch (IOException e) {
                        return false;
                    }
                })).as("a triage-state save in round %d", round).isTrue();
            } else {
                Thread.sleep(200 + random.nextInt(3_000));
            }
            agent.destroyForcibly().waitFor(20, TimeUnit.SECONDS); // SIGKILL
            stop.set(true);
            sender.join(10_000);

            try (CaseStore cases = CaseStore.open(data)) {
                Map<Long, String> now = cases.list().stream().collect(Collectors.toMap(CaseRecord::id, CaseRecord::caseKey));
                for (Map.Entry<Long, String> before : keys.entrySet()) {
                    assertThat(now.get(before.getKey())).as("round %d: case %s keeps its id", round, before.getKey())
                            .isEqualTo(before.getValue());
                }
                for (String caseId : openedNotices(data).keySet()) {
                    assertThat(now).as("round %d: the case of a delivered notice %s exists", round, caseId)
                            .containsKey(CaseRecord.parseId(caseId));
                }
                keys.putAll(now);
            }
            assertThat(openedNotices(data).values()).as("round %d: no opened notice twice", round).allMatch(n -> n == 1L);
        }

        // a last start recovers what the last kill left and delivers what is in the outbox; then a clean stop
        agent = PackagedAgent.start(data, log, 0, 0);
        int http = PackagedAgent.port(data, "http");
        assertThat(AgentHarness.await(Duration.ofSeconds(60), () -> PackagedAgent.metric(http, "csirt_outbox_depth") == 0))
                .as("the outbox empties").isTrue();
        PackagedAgent.stop(agent);
        assertThat(agent.exitValue()).as(PackagedAgent.read(log).lines().skip(Math.max(0, PackagedAgent.read(log).lines().count() - 40))
                .collect(Collectors.joining("\n"))).isZero();

        TreeSet<String> journaled = new TreeSet<>();
        JournalReader.read(data.resolve("journal"), 1, r -> {
            Matcher m = SIGNATURE.matcher(r.payloadText());
            if (m.find()) {
                journaled.add(m.group(1));
            }
        });
        assertThat(journaled).as("incidents reached the journal").hasSizeGreaterThan(40);
        try (CaseStore cases = CaseStore.open(data)) {
            List<CaseRecord> all = cases.list();
            Map<String, Long> perSignature = all.stream().collect(Collectors.groupingBy(c -> c.caseKey().replaceFirst("^[a-z]+:", ""),
                    Collectors.counting()));
            assertThat(perSignature.keySet()).as("every journaled incident is in a case").containsAll(journaled);
            assertThat(perSignature.values()).as("in exactly one").allMatch(n -> n == 1L);
            Map<String, Long> opened = openedNotices(data);
            assertThat(opened.keySet()).as("every case has its opened notice")
                    .containsExactlyInAnyOrderElementsOf(all.stream().map(CaseRecord::displayId).toList());
            assertThat(opened.values()).as("once").allMatch(n -> n == 1L);
        }
        assertThat(PackagedAgent.cli("evidence", "verify", "--data", data.toString()).out()).startsWith("OK: ");
    }

    /** A steady stream of routine lines (some 30,000 a second) with a new level-2 detection (a server, its own signature) every 1,000. */
    private static Thread stream(int port, int round, AtomicBoolean stop) {
        Thread t = new Thread(() -> {
            byte[] routine = "<86>Nov 26 18:00:00 web01 sshd[1]: pam_unix(sshd:session): session opened for user u(uid=1000) by (uid=0)\n"
                    .getBytes(StandardCharsets.UTF_8);
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port); OutputStream out = s.getOutputStream()) {
                for (int i = 0; !stop.get(); i++) {
                    if (i % 1_000 == 0) {
                        out.write(("<11>Nov 26 18:00:00 web01 clamd[812]: /srv/www/up" + i + ".php: Win.Trojan.K" + round + "x" + i
                                + " FOUND\n").getBytes(StandardCharsets.UTF_8));
                    }
                    out.write(routine);
                    if (i % 500 == 0) {
                        Thread.sleep(15);
                    }
                }
            } catch (IOException | InterruptedException e) {
                // the agent died under it: the point
            }
        }, "kill9-sender");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Case id -> how many "opened" notices were written for it (.eml files: no SMTP host in the shipped configuration). */
    private static Map<String, Long> openedNotices(Path data) throws IOException {
        Path dir = data.resolve("notices");
        if (!Files.isDirectory(dir)) {
            return Map.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".eml") && n.contains("-opened-"))
                    .collect(Collectors.groupingBy(n -> n.replaceAll(".*-(C-\\d+)-opened-.*", "$1"), Collectors.counting()));
        }
    }
}
