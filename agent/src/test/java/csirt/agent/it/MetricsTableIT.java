package csirt.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import csirt.agent.camel.AgentHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every metric family the table of docs/METRICS.md documents is exported from the first scrape of a fresh
 * agent, and again after a restart that follows kill -9: a dashboard or an alert rule sees 0, not
 * "no data", until the first event.
 */
class MetricsTableIT {

    @TempDir
    Path tmp;
    private Process agent;

    @AfterEach
    void stop() throws InterruptedException {
        PackagedAgent.stop(agent);
    }

    /** The family names of the metrics table in docs/METRICS.md (its first column). */
    private static List<String> documented() throws Exception {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)^\\| `(csirt_[a-z_]+)`").matcher(Files.readString(Path.of("docs/METRICS.md"), StandardCharsets.UTF_8));
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    private static List<String> missing(int http, List<String> families) throws Exception {
        String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        List<String> out = new ArrayList<>();
        for (String f : families) {
            if (!Pattern.compile("(?m)^" + f + "(_count|_sum)?[{ ]").matcher(body).find()) {
                out.add(f);
            }
        }
        return out;
    }

    @Test
    void every_documented_family_is_there_on_a_fresh_agent_and_after_a_crash_restart() throws Exception {
        List<String> families = documented();
        assertThat(families).as("the metrics table of docs/METRICS.md").hasSizeGreaterThan(30);
        Path data = tmp.resolve("data");
        Path log = tmp.resolve("agent.log");
        agent = PackagedAgent.start(data, log, 0, 0);
        int port = PackagedAgent.port(data, "syslog-tcp");
        int http = PackagedAgent.port(data, "http");
        assertThat(missing(http, families)).as("missing on a fresh agent").isEmpty();

        try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
            s.getOutputStream().write("<11>Nov 26 18:00:00 web01 clamd[812]: /srv/www/x.php: Php.Webshell-2 FOUND\n".getBytes(StandardCharsets.UTF_8));
        }
        assertThat(AgentHarness.await(Duration.ofSeconds(20), () -> PackagedAgent.metric(http, "csirt_journal_last_seq") >= 1)).isTrue();
        agent.destroyForcibly().waitFor(20, TimeUnit.SECONDS);

        agent = PackagedAgent.start(data, log, 0, 0);
        assertThat(missing(PackagedAgent.port(data, "http"), families)).as("missing after a restart that followed kill -9").isEmpty();
    }
}
