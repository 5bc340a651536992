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
import java.util.Map;

import csirt.agent.ApiToken;
import csirt.agent.Main;
import csirt.agent.cases.CaseRecord;
import jakarta.mail.internet.MimeMessage;
import csirt.agent.notify.FixedIdMimeMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Reports from people through the running agent: theft and loss decided by Annex table 1 (3), not-an-incident to the manager. */
class IntakeTest {

    @TempDir
    Path dir;

    private static HttpResponse<String> post(AgentHarness agent, Path data, String path, String body) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.httpPort + path))
                .header("Authorization", "Bearer " + ApiToken.read(data))
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theft_and_loss_reports_get_the_level_of_the_table_and_not_an_incident_goes_to_the_manager() throws Exception {
        Path data = dir.resolve("data");
        try (AgentHarness agent = AgentHarness.start(data, Map.of())) {
            HttpResponse<String> l2 = post(agent, data, "/api/intake", """
                    reporter: {kind: staff, contact: 総務課 内線1234}
                    category: theft
                    summary: 個人情報を保存したUSBメモリを紛失
                    facts: {kind: lost, item: medium, holds: personal, encrypted: false}
                    """);
            assertThat(l2.statusCode()).as(l2.body()).isEqualTo(200);
            assertThat(l2.body()).startsWith("C-000001: レベル2（重大なインシデント）盗難又は紛失、判定基準 THEFT-202");
            HttpResponse<String> l1 = post(agent, data, "/api/intake", """
                    {"reporter": {"kind": "citizen", "contact": "029-000-1111"}, "category": "theft",
                     "summary": "暗号化されたノートPCの盗難", "facts": {"kind": "stolen", "item": "device", "encrypted": true}}
                    """);
            assertThat(l1.body()).startsWith("C-000002: レベル1（軽微なインシデント）盗難又は紛失、判定基準 THEFT-105").contains("未確認: 計画4(2)②(I) の確認（折り返し電話による確認）");
            HttpResponse<String> l0 = post(agent, data, "/api/intake", """
                    reporter: {kind: staff, contact: 内線5678}
                    category: theft
                    summary: 書類を紛失したがすぐに執務室内で発見
                    facts: {kind: lost, item: information, holds: personal, found_safe: true}
                    """);
            assertThat(l0.body()).startsWith("C-000003: インシデントとはみなさない（レベル0、判定基準 THEFT-001）。CSIRT管理者に連絡しました");
            CaseRecord c3 = agent.daemon.services().cases().find(3).orElseThrow();
            assertThat(c3.state()).isEqualTo("not-incident");
            MimeMessage toManager = FixedIdMimeMessage.parse(agent.daemon.services().cases().outbox().all().stream()
                    .filter(o -> o.kind().equals("not-incident")).findFirst().map(o -> o.message())
                    .orElseGet(() -> readEml(data, "not-incident")));
            assertThat(toManager.getAllRecipients()).extracting(Object::toString).containsExactly("csirt-manager@localhost");
            assertThat(toManager.getSubject()).isEqualTo("[CSIRT][インシデントではない] C-000003 書類を紛失したがすぐに執務室内で発見");

            HttpResponse<String> bad = post(agent, data, "/api/intake", "reporter: {kind: alien}\ncategory: theft\n");
            assertThat(bad.statusCode()).isEqualTo(422);
            assertThat(bad.body()).contains("報告者の種別（reporter.kind）を次から選んでください").contains("報告の内容（summary）を一文で記入してください");

            // the command line, for a cyber report decided by the handler
            PrintStream old = System.out;
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            int code;
            try {
                System.setProperty("http.port", Integer.toString(agent.httpPort));
                System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
                code = new CommandLine(new Main()).execute("intake", "--data", data.toString(), "--reporter", "staff", "--contact", "内線9",
                        "--category", "cyber", "--summary", "不審なメールの添付ファイルを開いた", "--host", "pc-0101", "--annex", "cyber.1.4");
            } finally {
                System.setOut(old);
                System.clearProperty("http.port");
            }
            assertThat(code).isZero();
            assertThat(buf.toString(StandardCharsets.UTF_8)).contains("C-000004: レベル1（軽微なインシデント）サイバー攻撃、判定基準 MANUAL（別表1 cyber.1.4）");
            assertThat(agent.daemon.services().cases().timeline(4)).anySatisfy(t -> assertThat(t.text())
                    .startsWith("報告者 職員等（内線9）"));

            // the case API: list, and writes with the token
            HttpResponse<String> state = post(agent, data, "/api/cases/C-000004/state", "{\"state\": \"responding\", \"by\": \"tanaka\", \"why\": \"添付を隔離\"}");
            assertThat(state.statusCode()).as(state.body()).isEqualTo(200);
            assertThat(post(agent, data, "/api/cases/C-000004/notes", "text: 端末をネットワークから切り離した\nby: tanaka\n").statusCode()).isEqualTo(200);
            HttpResponse<String> wrong = post(agent, data, "/api/cases/C-000004/state", "state: closed\n");
            assertThat(wrong.statusCode()).isEqualTo(422);
            assertThat(wrong.body()).contains("from there it can go to [recovering]");
            HttpResponse<String> list = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + agent.httpPort + "/api/cases")).header("Authorization", "Bearer " + ApiToken.read(data))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(list.body()).contains("\"id\":\"C-000004\"").contains("\"state\":\"responding\"");
            HttpResponse<String> noToken = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + agent.httpPort + "/api/cases/C-000004/notes"))
                    .POST(HttpRequest.BodyPublishers.ofString("text: x")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(noToken.statusCode()).isEqualTo(401);
        }
    }

    private static byte[] readEml(Path data, String kind) {
        try (var s = Files.list(data.resolve("notices"))) {
            return Files.readAllBytes(s.filter(p -> p.toString().contains("-" + kind + "-")).findFirst().orElseThrow());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
