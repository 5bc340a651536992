package csirt.agent.camel;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import csirt.agent.ApiToken;
import csirt.agent.cases.CaseRecord;
import csirt.agent.cases.CaseStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One road to the cases: while another process holds the case database's write lock for 30
 * seconds (a stuck tool, a long backup), a detection from a tailed ClamAV log, a detection over the
 * network and a report from a person all wait behind it, health says why, and once the lock is
 * gone each becomes a case exactly once with exactly one "opened" notice.
 */
class CaseDatabaseOutageTest {

    @TempDir
    Path dir;

    @Test
    void a_file_detection_a_network_detection_and_an_intake_all_become_cases_once_the_database_takes_writes_again() throws Exception {
        Path data = dir.resolve("data");
        Path clamLog = Files.createDirectories(dir.resolve("log")).resolve("clamav.log");
        Files.writeString(clamLog, "");
        try (AgentHarness agent = AgentHarness.start(data, Map.of("clamav.log.enabled", "true", "clamav.log.file", clamLog.toString(),
                "clamav.log.host", "pc-77"))) {
            agent.tcp("<3>Nov 26 18:00:00 files01 kernel: blk_update_request: I/O error, dev sda, sector 1\n");
            assertThat(AgentHarness.await(Duration.ofSeconds(10), () -> agent.daemon.services().cases().list().size() == 1)).isTrue();

            String url = "jdbc:sqlite:" + data.resolve("cases").resolve(CaseStore.EMBEDDED_FILE).toAbsolutePath();
            CompletableFuture<HttpResponse<String>> intake;
            try (Connection other = DriverManager.getConnection(url); Statement st = other.createStatement()) {
                st.execute("BEGIN EXCLUSIVE"); // the write lock, as a backup or a stuck tool would hold it
                // ClamAV's own log line (clamd LogFile): "<path>: <signature> FOUND"
                Files.writeString(clamLog, "Thu Nov 26 18:00:01 2026 -> /home/u/invoice.exe: Win.Trojan.Agent-1 FOUND\n");
                agent.tcp("<11>Nov 26 18:00:02 web01 clamd[812]: /srv/www/x.php: Php.Webshell-2 FOUND\n");
                intake = HttpClient.newHttpClient().sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.httpPort
                                + "/api/intake")).header("Authorization", "Bearer " + ApiToken.read(data))
                        .POST(HttpRequest.BodyPublishers.ofString("""
                                reporter: {kind: staff, contact: 総務課 内線1234}
                                category: theft
                                summary: 個人情報を保存したUSBメモリを紛失
                                facts: {kind: lost, item: medium, holds: personal, encrypted: false}
                                """, StandardCharsets.UTF_8)).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(AgentHarness.await(Duration.ofSeconds(20), () -> {
                    try {
                        return agent.readiness().contains("the case database refuses incidents");
                    } catch (Exception e) {
                        return false;
                    }
                })).as("health says why while it lasts").isTrue();
                Thread.sleep(30_000);
                assertThat(agent.daemon.services().cases().list()).as("nothing got past the lock").hasSize(1);
                st.execute("ROLLBACK");
            }
            HttpResponse<String> answer = intake.get();
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            assertThat(answer.body()).contains("レベル2（重大なインシデント）盗難又は紛失、判定基準 THEFT-202");
            assertThat(AgentHarness.await(Duration.ofSeconds(30), () -> agent.daemon.services().cases().list().size() == 4))
                    .as("every case once: %s", agent.daemon.services().cases().list()).isTrue();
            List<CaseRecord> all = agent.daemon.services().cases().list();
            assertThat(all).extracting(CaseRecord::host).containsExactlyInAnyOrder("files01", "pc-77", "web01", "intake");
            assertThat(AgentHarness.await(Duration.ofSeconds(20), () -> opened(data) == 4)).as("one opened notice each").isTrue();
            assertThat(AgentHarness.await(Duration.ofSeconds(10), () -> {
                try {
                    return !agent.readiness().contains("refuses incidents");
                } catch (Exception e) {
                    return false;
                }
            })).isTrue();
            Thread.sleep(2_000);
            assertThat(agent.daemon.services().cases().list()).hasSize(4);
            assertThat(opened(data)).isEqualTo(4);
        }
    }

    /** Notices of a case opened (a report's is "reported") written as .eml files (no SMTP host in the shipped configuration). */
    private static long opened(Path data) {
        try (Stream<Path> files = Files.list(data.resolve("notices"))) {
            return files.filter(f -> f.getFileName().toString().contains("-opened-") || f.getFileName().toString().contains("-reported-"))
                    .count();
        } catch (java.io.IOException e) {
            return -1;
        }
    }
}
