package csirt.agent.camel;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

import csirt.agent.cases.CaseRecord;
import csirt.agent.cases.CaseStore;
import csirt.agent.cases.OutboxItem;
import csirt.agent.cases.Peers;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two agents sharing one PostgreSQL (a real server: `.ci/run` installs and starts it and sets
 * CSIRT_TEST_PG_URL) receive the same burst at the same time: one case per incident, not two, each
 * event counted once (the other agent's copy is linked as a mirror), one notice per case.
 */
class SharedPostgresTest {

    @TempDir
    Path dir;

    @Test
    void two_agents_on_one_postgresql_make_one_case_of_one_burst() throws Exception {
        String base = System.getenv("CSIRT_TEST_PG_URL");
        if (System.getenv("CSIRT_REQUIRE_PG") == null) {
            Assumptions.assumeTrue(base != null, "no PostgreSQL here (.ci/run starts one and makes this test mandatory)");
        }
        assertThat(base).as("CSIRT_TEST_PG_URL").isNotNull();
        String user = System.getenv().getOrDefault("CSIRT_TEST_PG_USER", "postgres");
        String password = System.getenv().getOrDefault("CSIRT_TEST_PG_PASSWORD", "");
        String schema = "csirt_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(base, user, password); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        }
        String url = base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema;
        Map<String, String> shared = Map.of("cases.jdbc-url", url, "cases.jdbc-user", user, "cases.jdbc-password", password);
        try (AgentHarness a = AgentHarness.start(dir.resolve("a"), shared); AgentHarness b = AgentHarness.start(dir.resolve("b"), shared)) {
            StringBuilder burst = new StringBuilder();
            for (int i = 1; i <= 3; i++) {
                burst.append("<11>Nov 26 18:00:00 files01 clamd[1]: /srv/share/inv").append(i).append(".doc: Doc.Shared-9 FOUND\n");
                burst.append("<3>Nov 26 18:00:00 web01 kernel: EXT4-fs error (device sda").append(i).append("): x\n");
            }
            Thread ta = new Thread(() -> send(a, burst.toString()));
            Thread tb = new Thread(() -> send(b, burst.toString()));
            ta.start();
            tb.start();
            ta.join();
            tb.join();
            // both journals' copies linked (12 rows), each event counted once
            assertThat(AgentHarness.await(Duration.ofSeconds(15), () -> rows(base, user, password, schema, "") == 12))
                    .as("every event of both agents linked").isTrue();
            assertThat(rows(base, user, password, schema, " WHERE mirror")).as("the second agent's copies").isEqualTo(6);
            assertThat(total(a)).as("events counted").isEqualTo(6);
            assertThat(AgentHarness.await(Duration.ofSeconds(15), () -> notices(a) + notices(b) == 2))
                    .as("one opening notice per case, from one agent or the other").isTrue();
            List<CaseRecord> cases = a.daemon.services().cases().list();
            assertThat(cases).extracting(CaseRecord::caseKey).containsExactlyInAnyOrder("cyber:Doc.Shared-9", "outage:web01");
            assertThat(b.daemon.services().cases().list()).hasSize(2);
            // the lifecycle works on PostgreSQL too, seen from the other agent
            CaseRecord c = cases.get(0);
            a.daemon.services().cases().transition(c.id(), "responding", "tanaka", "shared");
            assertThat(b.daemon.services().cases().find(c.id()).orElseThrow().state()).isEqualTo("responding");
            // Report form 1's fields, written twice (the upsert), read by the other agent
            a.daemon.services().cases().writeReportField(c.id(), "cause", "first draft", "tanaka");
            a.daemon.services().cases().writeReportField(c.id(), "cause", "設定の誤り", "sato");
            assertThat(b.daemon.services().cases().reportFields(c.id())).containsExactly(java.util.Map.entry("cause", "設定の誤り"));
        }
    }

    /**
     * The outbox and the lease on a shared database, on the store itself with given times: two
     * agents claiming at once never take the same notice; a claim that ran out (its agent died
     * before the mail server accepted) is taken over; the timed jobs' lease has one holder, and
     * passes to the other agent when the holder stops beating.
     */
    @Test
    void claims_and_the_lease_give_each_notice_and_each_timed_job_to_one_agent() throws Exception {
        String base = System.getenv("CSIRT_TEST_PG_URL");
        if (System.getenv("CSIRT_REQUIRE_PG") == null) {
            Assumptions.assumeTrue(base != null, "no PostgreSQL here (.ci/run starts one and makes this test mandatory)");
        }
        String user = System.getenv().getOrDefault("CSIRT_TEST_PG_USER", "postgres");
        String password = System.getenv().getOrDefault("CSIRT_TEST_PG_PASSWORD", "");
        String schema = "csirt_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(base, user, password); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        }
        String url = base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema;
        try (CaseStore a = CaseStore.open(dir.resolve("a"), url, user, password, Duration.ofSeconds(1), Duration.ofSeconds(1));
             CaseStore b = CaseStore.open(dir.resolve("b"), url, user, password, Duration.ofSeconds(1), Duration.ofSeconds(1))) {
            for (int i = 0; i < 200; i++) {
                a.outbox().add(0, "digest", 0, "<n" + i + "@test>", ("Subject: n" + i + "\r\n\r\nx").getBytes(StandardCharsets.US_ASCII));
            }
            java.time.Instant now = java.time.Instant.now().plusSeconds(1);
            Set<Long> byA = java.util.concurrent.ConcurrentHashMap.newKeySet();
            Set<Long> byB = java.util.concurrent.ConcurrentHashMap.newKeySet();
            java.util.concurrent.atomic.AtomicInteger overlap = new java.util.concurrent.atomic.AtomicInteger();
            Thread ta = new Thread(() -> claimAll(a, "agent-a", now, byA, byB, overlap));
            Thread tb = new Thread(() -> claimAll(b, "agent-b", now, byB, byA, overlap));
            ta.start();
            tb.start();
            ta.join();
            tb.join();
            assertThat(overlap.get()).as("notices claimed by both").isZero();
            assertThat(byA.size() + byB.size()).as("every notice claimed once").isEqualTo(200);
            assertThat(byA).as("agent a took some").isNotEmpty();
            assertThat(byB).as("agent b took some").isNotEmpty();
            // the claims still run: nothing is taken again; once they ran out (their agents died unsent), all are
            assertThat(b.outbox().claim("agent-b", now.plusSeconds(60), 500, Duration.ofSeconds(120))).isEmpty();
            // a starts again after it was killed: the claims it held are freed at once, and b may take them
            assertThat(a.outbox().releaseClaims("agent-a")).isEqualTo(byA.size());
            assertThat(b.outbox().claim("agent-b", now.plusSeconds(60), 500, Duration.ofSeconds(120)))
                    .extracting(OutboxItem::id).containsExactlyInAnyOrderElementsOf(byA);
            // b's first claims ran out (b died unsent, say): they are free again, its new ones are not
            List<OutboxItem> taken = b.outbox().claim("agent-b", now.plusSeconds(121), 500, Duration.ofSeconds(120));
            assertThat(taken).extracting(OutboxItem::id).containsExactlyInAnyOrderElementsOf(byB);

            Duration lease = Duration.ofSeconds(15);
            java.time.Instant t0 = java.time.Instant.now();
            a.peers().joinAs("agent-a", "host-a", t0, lease);
            b.peers().joinAs("agent-b", "host-b", t0, lease);
            a.peers().beat(t0);
            b.peers().beat(t0.plusSeconds(1));
            assertThat(a.peers().leader()).as("a holds the lease").isTrue();
            assertThat(b.peers().leader()).as("b does not").isFalse();
            assertThat(b.peers().others()).extracting(Peers.Peer::agentId).containsExactly("agent-a");
            // a stops beating: within the lease b still waits, after it b takes over and sees no one
            b.peers().beat(t0.plusSeconds(10));
            assertThat(b.peers().leader()).isFalse();
            b.peers().beat(t0.plusSeconds(16));
            assertThat(b.peers().leader()).as("b took the lease over").isTrue();
            assertThat(b.peers().others()).as("b runs alone").isEmpty();
        }
    }

    private static void claimAll(CaseStore store, String agent, java.time.Instant now, Set<Long> mine, Set<Long> theirs,
                                 java.util.concurrent.atomic.AtomicInteger overlap) {
        for (int pass = 0; pass < 100; pass++) { // 200 notices, 10 a pass: bounded, whatever the claims do
            List<OutboxItem> got = store.outbox().claim(agent, now, 10, Duration.ofSeconds(120));
            if (got.isEmpty()) {
                return;
            }
            for (OutboxItem i : got) {
                if (!mine.add(i.id()) || theirs.contains(i.id())) {
                    overlap.incrementAndGet();
                }
            }
        }
    }

    private static long rows(String base, String user, String password, String schema, String where) {
        try (Connection c = DriverManager.getConnection(base, user, password); Statement s = c.createStatement();
             java.sql.ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + schema + ".case_events" + where)) {
            rs.next();
            return rs.getLong(1);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Notices the agent wrote as .eml files (no SMTP host in the harness). */
    private static long notices(AgentHarness h) {
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(h.daemon.services().dataDir().resolve("notices"))) {
            return files.filter(f -> f.toString().endsWith(".eml")).count();
        } catch (java.io.IOException e) {
            return 0;
        }
    }

    private static int total(AgentHarness h) {
        return h.daemon.services().cases().list().stream().mapToInt(CaseRecord::eventCount).sum();
    }

    private static void send(AgentHarness h, String text) {
        try {
            h.tcp(text);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
