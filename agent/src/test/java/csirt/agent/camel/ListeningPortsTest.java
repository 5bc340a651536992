package csirt.agent.camel;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import csirt.agent.config.ConfigProblem;
import csirt.agent.config.Settings;
import csirt.agent.ingest.ListeningPorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A port of 0 in the settings: the agent binds a free port, uses it, and says which in
 * {@code data/listening}; the file goes at a clean stop, and a stale one is replaced at start.
 */
class ListeningPortsTest {

    @TempDir
    Path data;

    @Test
    void port_0_binds_a_free_port_that_is_reported_used_and_removed_at_stop() throws Exception {
        Files.createDirectories(data);
        Files.writeString(data.resolve(ListeningPorts.FILE), "syslog-tcp=127.0.0.1:1\n"); // what a killed agent left
        Map<String, String> listed;
        try (AgentHarness agent = AgentHarness.start(data, Map.of("syslog.relp.enabled", "true", "syslog.relp.host", "127.0.0.1",
                "syslog.relp.port", "0"))) {
            listed = ListeningPorts.read(data);
            assertThat(listed).containsOnlyKeys("syslog-udp", "syslog-tcp", "syslog-relp", "http");
            assertThat(listed.get("syslog-tcp")).isEqualTo("127.0.0.1:" + agent.syslogPort);
            assertThat(listed.get("syslog-udp")).isEqualTo("127.0.0.1:" + agent.udpPort);
            assertThat(listed.get("http")).isEqualTo("127.0.0.1:" + agent.httpPort);
            assertThat(listed.values()).noneMatch(v -> v.endsWith(":0") || v.endsWith(":1"));
            assertThat(Files.getPosixFilePermissions(data.resolve(ListeningPorts.FILE)))
                    .isEqualTo(PosixFilePermissions.fromString("rw-------"));

            try (Socket s = new Socket("127.0.0.1", agent.syslogPort); OutputStream out = s.getOutputStream()) {
                out.write("<13>Nov 26 18:00:00 web01 app: over tcp\n".getBytes(StandardCharsets.UTF_8));
            }
            agent.udp("<13>Nov 26 18:00:01 web01 app: over udp");
            assertThat(AgentHarness.await(Duration.ofSeconds(10), () -> agent.daemon.services().journal().lastSeq() == 2)).isTrue();
            // the kernel's drop counter is read for the port bound (with the 0 configured it would read -1, unknown)
            assertThat(agent.metric("csirt_udp_receive_drops_total{input=\"syslog-udp\"}")).isEqualTo(0.0);
        }
        assertThat(data.resolve(ListeningPorts.FILE)).as("removed at a clean stop").doesNotExist();
    }

    @Test
    void port_0_is_allowed_where_the_agent_listens_and_nowhere_else() {
        List<ConfigProblem> problems = new ArrayList<>();
        System.setProperty("syslog.tcp.port", "0");
        System.setProperty("mail.smtp.port", "0");
        try {
            Settings.load(Path.of("config/application.properties"), problems);
        } finally {
            System.clearProperty("syslog.tcp.port");
            System.clearProperty("mail.smtp.port");
        }
        assertThat(problems).extracting(ConfigProblem::toString).singleElement().asString()
                .contains("mail.smtp.port").contains("1-65535");
    }
}
