package csirt.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

import csirt.agent.camel.AgentHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A UPS that should speak every minute falls silent: the packaged agent opens a level 2 outage
 * case (it powers everything), and when the UPS speaks again (util-linux logger, from the address listed for it) the case says so.
 * Runs in real time: about 70 seconds.
 */
class SilentSourceIT {

    @TempDir
    Path tmp;
    private Process agent;

    @AfterEach
    void stop() throws InterruptedException {
        PackagedAgent.stop(agent);
    }

    @Test
    void a_silent_ups_opens_a_case_and_speaking_again_is_noted_on_it() throws Exception {
        Path config = AgentHarness.copyShippedConfig(tmp);
        Files.writeString(config.resolve("assets.yaml"), String.join("\n",
                "  - host: ups-test",
                "    role: ups",
                "    affects: all",
                "    aliases: [127.0.0.1]",
                "    expect_every: 1m",
                ""), StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        Path data = tmp.resolve("data");
        Path log = tmp.resolve("agent.log");
        agent = PackagedAgent.start(config, data, log, 0, 0);
        int port = PackagedAgent.port(data, "syslog-tcp");
        int http = PackagedAgent.port(data, "http");

        assertThat(AgentHarness.await(Duration.ofSeconds(100), () -> casesList(config, data).contains("SIL-020")))
                .as("a SIL-020 case within 100 s; agent log:%n%s", PackagedAgent.read(log)).isTrue();
        String list = casesList(config, data);
        String id = list.lines().filter(l -> l.contains("SIL-020")).findFirst().orElseThrow().strip().split("\\s+")[0];

        PackagedAgent.logger("-n", "127.0.0.1", "-P", Integer.toString(port), "-T", "--rfc5424", "-t", "upsd",
                "on line power");
        assertThat(AgentHarness.await(Duration.ofSeconds(20), () -> caseShow(config, data, id).contains("speaks again")))
                .as("the case notes that the UPS speaks again; agent log:%n%s", PackagedAgent.read(log)).isTrue();
        assertThat(PackagedAgent.read(log)).contains("ups-test has sent nothing since").contains("ups-test speaks again");
    }

    private static String casesList(Path config, Path data) {
        try {
            return PackagedAgent.cli("cases", "list", "--config", config.toString(), "--data", data.toString()).out();
        } catch (Exception e) {
            return "";
        }
    }

    private static String caseShow(Path config, Path data, String id) {
        try {
            return PackagedAgent.cli("cases", "show", id, "--config", config.toString(), "--data", data.toString()).out();
        } catch (Exception e) {
            return "";
        }
    }
}
