package csirt.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import csirt.agent.camel.AgentHarness;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two packaged agents, as two log servers would run them (two data directories, two port sets),
 * share one real PostgreSQL; a real rsyslog relay forwards the same stream to each (one action
 * queue per agent, so a dead one holds the other back in nothing). One agent is killed with
 * SIGKILL in the middle of a stream with incidents. Then: every incident is in a case, no key has
 * two cases, every event is counted once, every notice reached the SMTP server from exactly one
 * agent (one the killed agent had handed over but whose row it could not remove yet may come again
 * from the survivor, with the same Message-ID), the outbox empties, and the survivor's health says
 * it runs alone and holds the lease of the timed jobs.
 */
class HighAvailabilityIT {

    @RegisterExtension
    static final GreenMailExtension MAIL = new GreenMailExtension(new ServerSetup(0, "127.0.0.1", "smtp").dynamicPort());

    private static final int INCIDENTS = 40;
    private static final int NOISE_PER_INCIDENT = 25;

    @TempDir
    Path tmp;
    private Process a;
    private Process b;
    private Process rsyslog;

    @AfterEach
    void stop() throws InterruptedException {
        PackagedAgent.stop(rsyslog);
        PackagedAgent.stop(a);
        PackagedAgent.stop(b);
    }

    @Test
    void a_second_agent_on_the_same_postgresql_takes_over_when_the_first_is_killed() throws Exception {
        PackagedAgent.requireRsyslog("imtcp.so", "rsyslog");
        String base = System.getenv("CSIRT_TEST_PG_URL");
        if (System.getenv("CSIRT_REQUIRE_PG") == null) {
            Assumptions.assumeTrue(base != null, "no PostgreSQL here (.ci/run starts one and makes this test mandatory)");
        }
        assertThat(base).as("CSIRT_TEST_PG_URL").isNotNull();
        String user = System.getenv().getOrDefault("CSIRT_TEST_PG_USER", "postgres");
        String password = System.getenv().getOrDefault("CSIRT_TEST_PG_PASSWORD", "");
        String schema = "csirt_ha_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        sql(base, user, password, "CREATE SCHEMA " + schema);
        String url = base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema;
        String[] shared = {"-Dcases.jdbc-url=" + url, "-Dcases.jdbc-user=" + user, "-Dcases.jdbc-password=" + password,
                "-Dcases.lease-seconds=10", "-Dnotice.claim-seconds=10",
                "-Dmail.smtp.host=127.0.0.1", "-Dmail.smtp.port=" + MAIL.getSmtp().getPort()};

        Path dataA = tmp.resolve("a");
        Path dataB = tmp.resolve("b");
        a = PackagedAgent.start(dataA, tmp.resolve("a.log"), 0, 0, shared);
        b = PackagedAgent.start(dataB, tmp.resolve("b.log"), 0, 0, shared);
        String idA = Files.readString(dataA.resolve("journal").resolve("journal.id")).strip();
        String idB = Files.readString(dataB.resolve("journal").resolve("journal.id")).strip();
        int httpB = PackagedAgent.port(dataB, "http");
        assertThat(AgentHarness.await(Duration.ofSeconds(20), () -> health(httpB).contains("\"alone\":false")))
                .as("b sees a; health: %s", health(httpB)).isTrue();

        int relay = AgentHarness.freePort(); // rsyslog's own listener: rsyslog cannot say which port it bound
        Path work = Files.createDirectories(tmp.resolve("rsyslog"));
        Path conf = work.resolve("rsyslog.conf");
        Files.writeString(conf, String.join("\n",
                "global(workDirectory=\"" + work + "\" maxMessageSize=\"64k\")",
                "module(load=\"imtcp\")",
                "input(type=\"imtcp\" port=\"" + relay + "\" address=\"127.0.0.1\")",
                forward(PackagedAgent.port(dataA, "syslog-tcp"), "to-a"),
                forward(PackagedAgent.port(dataB, "syslog-tcp"), "to-b"),
                ""), StandardCharsets.UTF_8);
        rsyslog = PackagedAgent.rsyslog(work, relay);

        try (Socket s = new Socket("127.0.0.1", relay)) {
            OutputStream out = s.getOutputStream();
            long t0 = System.nanoTime();
            int line = 0;
            for (int i = 1; i <= INCIDENTS; i++) {
                for (int n = 0; n < NOISE_PER_INCIDENT; n++) {
                    out.write(("<14>Nov 26 18:00:00 web01 app[7]: request " + (line++) + " served\n").getBytes(StandardCharsets.UTF_8));
                }
                // an antivirus detection on a file server: a level-2 case of its own per signature
                out.write(("<11>Nov 26 18:00:00 files01 clamd[1]: /srv/share/ha" + i + ".doc: Doc.HaTest-" + i + " FOUND\n")
                        .getBytes(StandardCharsets.UTF_8));
                out.flush();
                if (i == INCIDENTS / 2) {
                    // both agents have opened cases and sent notices by now: kill a in the middle of the stream
                    AgentHarness.await(Duration.ofSeconds(20), () -> MAIL.getReceivedMessages().length >= 3);
                    a.destroyForcibly(); // SIGKILL: no drain, no lease given back, claims left as they were
                    assertThat(a.waitFor(10, TimeUnit.SECONDS)).isTrue();
                }
                // about 250 lines a second: the kill lands while the stream runs
                long due = t0 + i * (NOISE_PER_INCIDENT + 1) * 4_000_000L;
                while (System.nanoTime() < due) {
                    Thread.sleep(1);
                }
            }
        }

        // every incident in exactly one case, each event counted once
        assertThat(AgentHarness.await(Duration.ofSeconds(60), () -> count(base, user, password,
                "SELECT COUNT(*) FROM " + schema + ".cases WHERE case_key LIKE 'cyber:Doc.HaTest-%'") == INCIDENTS))
                .as("a case per incident; b's log:%n%s", PackagedAgent.read(tmp.resolve("b.log"))).isTrue();
        assertThat(count(base, user, password, "SELECT COUNT(*) FROM (SELECT case_key FROM " + schema + ".cases GROUP BY case_key "
                + "HAVING COUNT(*) > 1) twice")).as("keys with two cases").isZero();
        assertThat(count(base, user, password, "SELECT COUNT(*) FROM " + schema + ".cases WHERE case_key LIKE 'cyber:Doc.HaTest-%' "
                + "AND event_count <> 1")).as("cases that counted an event twice").isZero();

        // the survivor takes the lease over and sends what the killed agent had claimed; the outbox empties
        assertThat(AgentHarness.await(Duration.ofSeconds(45), () -> health(httpB).contains("\"alone\":true")
                && health(httpB).contains("\"leader\":true")))
                .as("b runs alone and leads; health: %s", health(httpB)).isTrue();
        assertThat(AgentHarness.await(Duration.ofSeconds(60), () -> count(base, user, password,
                "SELECT COUNT(*) FROM " + schema + ".outbox") == 0))
                .as("outbox empty; b's log:%n%s", PackagedAgent.read(tmp.resolve("b.log"))).isTrue();
        assertThat(PackagedAgent.metric(httpB, "csirt_store_agents")).isEqualTo(1.0);

        // every case's opening notice arrived, each from one agent; a repeat only of one a had in hand when killed
        Map<String, Integer> copies = new HashMap<>();
        Map<String, Integer> recipients = new HashMap<>();
        Map<String, Set<String>> senders = new HashMap<>();
        Set<String> openings = new HashSet<>();
        for (MimeMessage m : MAIL.getReceivedMessages()) {
            String id = m.getMessageID();
            String agent = m.getHeader("X-CSIRT-Agent", null);
            assertThat(agent).as("sender of %s", id).isNotNull();
            senders.computeIfAbsent(id, k -> new HashSet<>()).add(agent.contains(idA) ? "a" : agent.contains(idB) ? "b" : agent);
            // GreenMail keeps one copy per recipient: a notice sent once leaves as many copies as it names recipients
            copies.merge(id, 1, Integer::sum);
            recipients.put(id, m.getAllRecipients().length);
            if (id.contains(".opened.")) {
                openings.add(id);
            }
        }
        assertThat(openings).as("one opening notice per case").hasSize(INCIDENTS);
        Set<String> repeatedIds = new HashSet<>();
        copies.forEach((id, n) -> {
            if (n > recipients.get(id)) {
                repeatedIds.add(id);
            }
        });
        for (String id : repeatedIds) {
            assertThat(senders.get(id)).as("%s came twice; it must have been in the killed agent's hands first; b's log:%n%s", id,
                    PackagedAgent.read(tmp.resolve("b.log"))).contains("a", "b");
        }
        assertThat(repeatedIds).as("notices sent again after the takeover (at most the one in flight)").hasSizeLessThanOrEqualTo(1);
        assertThat(senders.values().stream().filter(s -> s.contains("b")).count()).as("notices b sent").isPositive();
        System.out.printf("HA: %d cases, %d notices (%d by a before its kill, %d by b), %d sent twice%n", INCIDENTS, senders.size(),
                senders.values().stream().filter(s -> s.contains("a")).count(), senders.values().stream().filter(s -> s.contains("b")).count(),
                repeatedIds.size());
    }

    /** An omfwd action with a queue of its own (a dead agent holds the other back in nothing), retried forever. */
    private static String forward(int port, String name) {
        return "action(type=\"omfwd\" name=\"" + name + "\" target=\"127.0.0.1\" port=\"" + port + "\" protocol=\"tcp\" "
                + "TCP_Framing=\"octet-counted\" template=\"RSYSLOG_SyslogProtocol23Format\" queue.type=\"LinkedList\" "
                + "queue.size=\"100000\" action.resumeRetryCount=\"-1\" action.resumeInterval=\"1\")";
    }

    private static String health(int http) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (Exception e) {
            return "";
        }
    }

    private static void sql(String url, String user, String password, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static long count(String url, String user, String password, String sql) {
        try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (java.sql.SQLException e) {
            return -1;
        }
    }
}
