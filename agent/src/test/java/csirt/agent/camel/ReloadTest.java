package csirt.agent.camel;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import csirt.agent.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Criteria reload while the agent runs: a broken set is refused whole, a valid one replaces the old at once. */
class ReloadTest {

    @TempDir
    Path dir;

    private static final String EXTRA = """
            criteria:
              - id: LOC-001
                title: テスト用の基準
                category: cyber
                level: 1
                status: test
                annex:
                  id: cyber.1.1
                  text: サイバー攻撃の形跡が検知されたが、セキュリティ対策機器やソフトウェア等で駆除した場合
                match:
                  message: {regex: "^reload-marker"}
            """;

    @Test
    void a_broken_file_is_refused_and_a_fixed_one_is_put_in_force() throws Exception {
        Path config = AgentHarness.copyShippedConfig(dir);
        Path data = dir.resolve("data");
        try (AgentHarness agent = AgentHarness.start(config, data, Map.of())) {
            String before = agent.daemon.services().pipeline().triage().criteria().hash();
            Files.writeString(config.resolve("criteria").resolve("local.yaml"), "criteria:\n  - id: BROKEN\n", StandardCharsets.UTF_8);
            assertThat(AgentHarness.await(Duration.ofSeconds(15),
                    () -> metric(agent, "csirt_config_reloads_total{result=\"refused\"}") == 1.0)).isTrue();
            assertThat(agent.daemon.services().pipeline().triage().criteria().hash()).isEqualTo(before);

            Files.writeString(config.resolve("criteria").resolve("local.yaml"), EXTRA, StandardCharsets.UTF_8);
            assertThat(AgentHarness.await(Duration.ofSeconds(15),
                    () -> metric(agent, "csirt_config_reloads_total{result=\"ok\"}") == 1.0)).isTrue();
            assertThat(agent.daemon.services().pipeline().triage().criteria().byId("LOC-001")).isNotNull();
            agent.tcp("<13>Nov 26 18:00:00 pc-1 app: reload-marker\n");
            assertThat(AgentHarness.await(Duration.ofSeconds(10),
                    () -> agent.daemon.services().cases().list().size() == 1)).isTrue();

            // the reload command, as an operator runs it
            PrintStream old = System.out;
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            int code;
            try {
                System.setProperty("http.port", Integer.toString(agent.httpPort)); // as -Dhttp.port=... would
                System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
                code = new CommandLine(new Main()).execute("reload", "--config", config.toString(), "--data", data.toString());
            } finally {
                System.setOut(old);
                System.clearProperty("http.port");
            }
            assertThat(code).isZero();
            assertThat(buf.toString(StandardCharsets.UTF_8)).contains("Reloaded (reload command): criteria set ");

            // without the token, no command
            HttpResponse<String> denied = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + agent.httpPort + "/reload")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(denied.statusCode()).isEqualTo(401);
        }
    }

    private static double metric(AgentHarness agent, String sample) {
        try {
            return agent.metric(sample);
        } catch (Exception e) {
            return -1;
        }
    }
}
