package csirt.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import csirt.agent.camel.AgentHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A second `run` on the data directory of a running agent, after the first agent's scheduled
 * verification has read its journal: refused before it touches anything, and the first agent keeps
 * its journal, its API token and its health.
 */
class SecondInstanceIT {

    @TempDir
    Path tmp;
    private Process first;
    private Process second;

    @AfterEach
    void stop() throws InterruptedException {
        PackagedAgent.stop(second);
        PackagedAgent.stop(first);
    }

    @Test
    void a_second_agent_on_the_same_data_directory_is_refused_after_the_first_verification() throws Exception {
        Path data = tmp.resolve("data");
        Path log = tmp.resolve("first.log");
        first = PackagedAgent.start(data, log, 0, 0, "-Djournal.verify-first-after-seconds=1");
        int http = PackagedAgent.port(data, "http");
        String listening = Files.readString(data.resolve(csirt.agent.ingest.ListeningPorts.FILE));
        assertThat(AgentHarness.await(Duration.ofSeconds(60), () -> PackagedAgent.read(log).contains("Scheduled verification of the journal: OK")))
                .as("the first verification ran; log:%n%s", PackagedAgent.read(log)).isTrue();
        String token = Files.readString(data.resolve("api.token"));

        Path log2 = tmp.resolve("second.log");
        second = new ProcessBuilder(PackagedAgent.java("-Dsyslog.tcp.host=127.0.0.1", "-Dsyslog.udp.host=127.0.0.1",
                "-Dsyslog.tcp.port=0", "-Dsyslog.udp.port=0", "-Dhttp.port=0",
                "-jar", PackagedAgent.jar().toString(), "run", "--config", "config", "--data", data.toString()))
                .redirectErrorStream(true).redirectOutput(log2.toFile()).start();
        assertThat(second.waitFor(60, TimeUnit.SECONDS)).as("the second agent gives up by itself").isTrue();
        assertThat(second.exitValue()).isNotZero();
        assertThat(PackagedAgent.read(log2)).contains("is in use by another csirt-agent process");
        assertThat(PackagedAgent.read(log2)).as("the second agent serves nothing").doesNotContain("csirt-agent is running");
        assertThat(Files.readString(data.resolve(csirt.agent.ingest.ListeningPorts.FILE)))
                .as("the running agent's ports are still the ones listed").isEqualTo(listening);

        assertThat(Files.readString(data.resolve("api.token"))).as("the running agent's token is untouched").isEqualTo(token);
        Process reload = new ProcessBuilder(PackagedAgent.java("-Dhttp.port=" + http, "-jar", PackagedAgent.jar().toString(), "reload",
                "--config", "config", "--data", data.toString())).redirectErrorStream(true).start();
        String reloadOut = new String(reload.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(reload.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(reload.exitValue()).as("reload with the running agent's token: %s", reloadOut).isZero();
        assertThat(PackagedAgent.ready(http)).isTrue();
        PackagedAgent.stop(first);
        assertThat(first.exitValue()).isZero();
        PackagedAgent.Run verify = PackagedAgent.cli("evidence", "verify", "--data", data.toString());
        assertThat(verify.code()).as(verify.out()).isZero();
    }
}
