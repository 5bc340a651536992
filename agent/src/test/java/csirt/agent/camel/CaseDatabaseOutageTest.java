package csirt.agent.camel;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The case database refusing incidents for a while (here: another session holds the case's row
 * locked, as a long report query or a stuck tool would): the case stage retries instead of dropping
 * the batch, health says why meanwhile, and the event joins its case once the lock is gone.
 */
class CaseDatabaseOutageTest {

    @TempDir
    Path data;

    @Test
    void incidents_are_retried_while_the_case_database_refuses_them() throws Exception {
        try (AgentHarness agent = AgentHarness.start(data, Map.of())) {
            agent.tcp("<3>Nov 26 18:00:00 files01 kernel: blk_update_request: I/O error, dev sda, sector 1\n");
            assertThat(AgentHarness.await(Duration.ofSeconds(10), () -> agent.daemon.services().cases().list().size() == 1)).isTrue();
            long caseId = agent.daemon.services().cases().list().get(0).id();
            String url = "jdbc:h2:file:" + data.resolve("cases").resolve("cases").toAbsolutePath() + ";AUTO_SERVER=TRUE";
            try (Connection other = DriverManager.getConnection(url, "csirt", "")) {
                other.setAutoCommit(false);
                try (Statement st = other.createStatement()) {
                    st.executeUpdate("UPDATE cases SET title = title WHERE id = " + caseId); // holds the row lock
                }
                agent.tcp("<3>Nov 26 18:00:05 files01 kernel: blk_update_request: I/O error, dev sda, sector 2\n");
                assertThat(AgentHarness.await(Duration.ofSeconds(40), () -> {
                    try {
                        return agent.readiness().contains("the case database refuses incidents");
                    } catch (Exception e) {
                        return false;
                    }
                })).as("health says why while it lasts").isTrue();
                other.rollback();
            }
            assertThat(AgentHarness.await(Duration.ofSeconds(40),
                    () -> agent.daemon.services().cases().list().get(0).eventCount() == 2))
                    .as("the second event joined its case once the lock was gone").isTrue();
            assertThat(AgentHarness.await(Duration.ofSeconds(10), () -> {
                try {
                    return !agent.readiness().contains("refuses incidents");
                } catch (Exception e) {
                    return false;
                }
            })).isTrue();
        }
    }
}
