package csirt.agent.camel;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import csirt.agent.ApiToken;
import csirt.agent.Main;
import csirt.agent.cases.CaseRecord;
import csirt.agent.cases.CaseStore;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A drill (plan 5(2)) end to end: the shipped ransomware-like scenario and the lost-USB report play
 * through the real pipeline — journal, criteria, correlation, cases, outbox, SMTP — every case and
 * notice marked 【訓練】, and no real case count changes.
 */
class DrillTest {

    @RegisterExtension
    static final GreenMailExtension MAIL = new GreenMailExtension(new ServerSetup(0, "127.0.0.1", "smtp").dynamicPort());

    @TempDir
    Path dir;

    private static HttpResponse<String> post(AgentHarness agent, Path data, String path, String body) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.httpPort + path))
                .header("Authorization", "Bearer " + ApiToken.read(data))
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void a_drill_plays_through_the_real_pipeline_its_notices_say_so_and_real_counts_do_not_change() throws Exception {
        Path data = dir.resolve("data");
        try (AgentHarness agent = AgentHarness.start(data, Map.of("mail.smtp.host", "127.0.0.1",
                "mail.smtp.port", Integer.toString(MAIL.getSmtp().getPort())))) {
            double realOpenedBefore = agent.metric("csirt_cases_opened_total{category=\"cyber\",level=\"2\"}");
            HttpResponse<String> started = post(agent, data, "/api/drill", "scenario: ransomware-spread\nby: tanaka\n");
            assertThat(started.statusCode()).as(started.body()).isEqualTo(200);
            assertThat(started.body()).contains("訓練「ランサムウェアのような拡散").contains("【訓練】");
            assertThat(post(agent, data, "/api/drill", "scenario: lost-usb\nby: tanaka\n").statusCode()).isEqualTo(200);
            assertThat(post(agent, data, "/api/drill", "scenario: ../etc/passwd\n").body()).contains("a drill is named by its file");
            CaseStore cases = agent.daemon.services().cases();
            assertThat(AgentHarness.await(Duration.ofSeconds(30), () -> cases.list().stream().anyMatch(c -> c.level() == 2
                    && c.criterionId().equals("AV-020")) && cases.list().stream().anyMatch(c -> c.category().equals("theft"))))
                    .as("%s", cases.list()).isTrue();
            List<CaseRecord> all = cases.list();
            assertThat(all).allSatisfy(c -> {
                assertThat(CaseStore.drill(c)).as(c.toString()).isTrue();
                assertThat(c.title()).startsWith("【訓練】");
            });
            assertThat(cases.openCases()).as("a drill's cases are not among the open cases (digest, metrics)").isEmpty();
            assertThat(AgentHarness.await(Duration.ofSeconds(20), () -> MAIL.getReceivedMessages().length >= 2)).isTrue();
            for (MimeMessage m : MAIL.getReceivedMessages()) {
                if (m.getSubject().contains("日報")) {
                    continue;
                }
                assertThat(m.getSubject()).as("subject").contains("【訓練】");
                assertThat(GreenMailUtil.getBody(m).isEmpty()).isFalse();
                assertThat(new String(m.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).as("body")
                        .contains("【訓練】これは訓練の通知です");
            }
            assertThat(Arrays.stream(MAIL.getReceivedMessages()).map(m -> {
                try {
                    return m.getSubject();
                } catch (Exception e) {
                    return "";
                }
            })).anySatisfy(s -> assertThat(s).contains("報告（職員等）"));
            assertThat(agent.metric("csirt_cases_opened_total{category=\"cyber\",level=\"2\"}")).as("real counts unchanged")
                    .isEqualTo(realOpenedBefore);

            // the command line lists them apart
            PrintStream old = System.out;
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            try {
                System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
                new CommandLine(new Main()).execute("cases", "list", "--data", data.toString(), "--config", "config");
                String real = buf.toString(StandardCharsets.UTF_8);
                buf.reset();
                new CommandLine(new Main()).execute("cases", "list", "--drills", "--data", data.toString(), "--config", "config");
                String drills = buf.toString(StandardCharsets.UTF_8);
                System.setOut(old);
                assertThat(real).contains("0 case(s)");
                assertThat(drills).contains("【訓練】").contains("AV-020");
            } finally {
                System.setOut(old);
            }
        }
    }
}
