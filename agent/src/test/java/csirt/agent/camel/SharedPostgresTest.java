package csirt.agent.camel;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import csirt.agent.cases.CaseRecord;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two agents sharing one PostgreSQL (a real server: `.ci/run` installs and starts it and sets
 * CSIRT_TEST_PG_URL) receive the same burst at the same time: one case per incident, not two.
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
            assertThat(AgentHarness.await(Duration.ofSeconds(15), () -> total(a) == 12)).as("every event of both agents attached").isTrue();
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
