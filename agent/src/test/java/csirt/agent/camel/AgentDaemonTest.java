package csirt.agent.camel;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import csirt.agent.cases.CaseRecord;
import csirt.agent.journal.JournalVerifier;
import csirt.agent.journal.VerifyResult;
import jakarta.mail.Message;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real daemon in this JVM with the shipped routes and configuration, over real sockets, with
 * a real SMTP server (GreenMail): receive, journal, triage, case, notice.
 */
class AgentDaemonTest {

    @RegisterExtension
    static final GreenMailExtension MAIL = new GreenMailExtension(new ServerSetup(0, "127.0.0.1", "smtp").dynamicPort());

    @TempDir
    Path data;

    private Map<String, String> smtp() {
        return Map.of("mail.smtp.host", "127.0.0.1", "mail.smtp.port", Integer.toString(MAIL.getSmtp().getPort()));
    }

    @Test
    void a_spread_and_a_server_failure_give_two_cases_and_two_mails_and_everything_is_journaled() throws Exception {
        try (AgentHarness agent = AgentHarness.start(data, smtp())) {
            agent.tcp(AgentHarness.octetCounted(
                    "<11>Nov 26 18:00:00 pc-1 clamd[1]: /home/a/x.exe: Win.Trojan.Spread-1 FOUND",
                    "<11>Nov 26 18:00:01 pc-2 clamd[1]: /home/b/x.exe: Win.Trojan.Spread-1 FOUND\n"));
            // two connections are processed concurrently: let the first land so that pc-3 is the third host
            assertThat(AgentHarness.await(Duration.ofSeconds(5), () -> metric(agent, "csirt_journal_records_total") == 2.0)).isTrue();
            agent.tcp("<11>Nov 26 18:00:02 pc-3 clamd[1]: /home/c/x.exe: Win.Trojan.Spread-1 FOUND\n"
                    + "<3>Nov 26 18:00:03 files01 kernel: blk_update_request: I/O error, dev sda, sector 2048\n");
            agent.udp("<86>Nov 26 18:00:04 web01 sshd[9]: pam_unix(sshd:session): session opened for user alice(uid=1000) by (uid=0)");

            // level 1 to the PoC; level 2 also to the CSIRT manager and responsible: 1 + 3 copies of 2 notices
            assertThat(AgentHarness.await(Duration.ofSeconds(15), () -> MAIL.getReceivedMessages().length >= 4))
                    .as("two notices arrive").isTrue();
            assertThat(MAIL.getReceivedMessages()).hasSize(4);
            MimeMessage[] mails = MAIL.getReceivedMessages();
            assertThat(Stream.of(mails).map(AgentDaemonTest::messageId).distinct()).hasSize(2);
            MimeMessage spread = Stream.of(mails).filter(m -> subject(m).contains("レベル2")).findFirst().orElseThrow();
            assertThat(subject(spread)).matches("\\[CSIRT\\]\\[レベル2\\]\\[サイバー攻撃\\] C-00000\\d pc-3: 同一ウイルスを複数の端末で検知（拡散のおそれ）");
            assertThat(spread.getRecipients(Message.RecipientType.TO)).containsExactly(new InternetAddress("csirt-poc@localhost"),
                    new InternetAddress("csirt-manager@localhost"), new InternetAddress("csirt-responsible@localhost"));
            assertThat(spread.getHeader("X-CSIRT-Level")[0]).isEqualTo("2");
            String body = GreenMailUtil.getBody(spread);
            String text = new String(java.util.Base64.getMimeDecoder().decode(body), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(text).contains("別表1の事例: cyber.2.3「ネットワーク接続機器がウイルス感染し、広範な情報に感染又は感染のおそれがある場合」");
            assertThat(text).contains("pc-3 clamd[1]: /home/c/x.exe: Win.Trojan.Spread-1 FOUND");
            assertThat(text).contains("証拠保全");
            MimeMessage outage = Stream.of(mails).filter(m -> subject(m).contains("レベル1")).findFirst().orElseThrow();
            assertThat(subject(outage)).contains("[情報システムの停止等]").contains("files01: サーバのハードウェア・ストレージ障害（他の資産への影響なし）");

            assertThat(AgentHarness.await(Duration.ofSeconds(5),
                    () -> metric(agent, "csirt_messages_received_total{input=\"syslog-udp\"}") == 1.0)).isTrue();
            assertThat(agent.metric("csirt_messages_received_total{input=\"syslog-tcp\"}")).isEqualTo(4.0);
            assertThat(agent.metric("csirt_journal_records_total")).isEqualTo(5.0);
            // the kernel's drop count for the UDP input's own socket: found, and nothing lost here
            // ready although the inputs switched off by default (TLS, ClamAV file) are not running
            assertThat(agent.metric("csirt_ready")).as(agent.readiness()).isEqualTo(1.0);
            assertThat(agent.metric("csirt_udp_receive_drops_total{input=\"syslog-udp\"}")).isEqualTo(0.0);
            assertThat(agent.metric("csirt_cases_opened_total{category=\"cyber\",level=\"2\"}")).isEqualTo(1.0);
            assertThat(agent.metric("csirt_cases_opened_total{category=\"outage\",level=\"1\"}")).isEqualTo(1.0);
            assertThat(agent.metric("csirt_notices_sent_total{channel=\"smtp\"}")).isEqualTo(2.0);
            assertThat(agent.metric("csirt_verdicts_total{category=\"cyber\",level=\"0\"}")).isEqualTo(1.0);

            List<CaseRecord> cases = agent.daemon.services().cases().list();
            assertThat(cases).hasSize(2);
            CaseRecord cyber = cases.stream().filter(c -> c.level() == 2).findFirst().orElseThrow();
            assertThat(agent.daemon.services().cases().timeline(cyber.id()))
                    .anySatisfy(t -> assertThat(t.text()).startsWith("通知メールを送信（起票、レベル2、Message-ID <" + cyber.displayId()));
            assertThat(spread.getMessageID()).startsWith("<" + cyber.displayId() + ".opened.2.");
            // the case as JSON from the local API
            java.net.http.HttpResponse<String> api = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + agent.httpPort + "/api/cases/" + cyber.displayId()))
                    .header("Authorization", "Bearer " + csirt.agent.ApiToken.read(data)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(api.statusCode()).isEqualTo(200);
            assertThat(api.body()).startsWith("{\"id\":\"" + cyber.displayId() + "\",\"level\":2,").contains("\"kind\":\"notified\"")
                    .contains("Win.Trojan.Spread-1 FOUND");
            // without notice.base-url the notice names the command on the log server, never a loopback link
            assertThat(text).contains("詳細の確認: ログサーバで csirt-agent cases show " + cyber.displayId() + " を実行")
                    .doesNotContain("127.0.0.1");
            java.net.http.HttpResponse<String> page = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + agent.httpPort + "/cases/" + cyber.displayId())).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).as("the console asks for a login first").isEqualTo(303);
        }
        VerifyResult v = JournalVerifier.verify(data.resolve("journal"));
        assertThat(v.ok()).isTrue();
        assertThat(v.records()).isEqualTo(5);
    }

    @Test
    void an_unreachable_mail_server_keeps_the_notice_as_a_file_and_counts_it() throws Exception {
        Map<String, String> o = Map.of("mail.smtp.host", "127.0.0.1", "mail.smtp.port", Integer.toString(AgentHarness.freePort()),
                "notice.outbox.alert-after-minutes", "0", "mail.retry.delay-ms", "100", "mail.smtp.timeout-ms", "1000");
        try (AgentHarness agent = AgentHarness.start(data, o)) {
            agent.tcp("<3>Nov 26 18:00:03 files01 kernel: blk_update_request: I/O error, dev sda, sector 2048\n");
            Path failed = data.resolve("notices").resolve("failed");
            assertThat(AgentHarness.await(Duration.ofSeconds(15), () -> count(failed) == 1)).as("notice kept in " + failed).isTrue();
            assertThat(AgentHarness.await(Duration.ofSeconds(5),
                    () -> metric(agent, "csirt_notices_failed_total{channel=\"smtp\"}") >= 1.0)).isTrue();
            // still in the outbox, retried; health says why
            assertThat(agent.daemon.services().cases().outbox().depth()).isEqualTo(1);
            assertThat(agent.metric("csirt_outbox_depth")).isEqualTo(1.0);
            CaseRecord c = agent.daemon.services().cases().list().get(0);
            assertThat(agent.daemon.services().cases().timeline(c.id()))
                    .anySatisfy(t -> assertThat(t.kind()).isEqualTo("notice-failed"));
        }
    }

    @Test
    void without_an_smtp_host_the_notice_is_written_as_an_eml_file() throws Exception {
        try (AgentHarness agent = AgentHarness.start(data, Map.of())) {
            agent.tcp("<11>Nov 26 18:00:00 web01 clamd[1]: /srv/www/shell.php: Php.Webshell.Generic FOUND\n");
            Path dir = data.resolve("notices");
            assertThat(AgentHarness.await(Duration.ofSeconds(10), () -> count(dir) == 1)).isTrue();
            try (Stream<Path> s = Files.list(dir)) {
                Path eml = s.filter(p -> p.toString().endsWith(".eml")).findFirst().orElseThrow();
                assertThat(eml.getFileName().toString()).matches("\\d{8}T\\d{6}\\.\\d{3}Z-C-000001-opened-L2-[0-9a-f]{8}\\.eml");
                MimeMessage m = new MimeMessage(null, Files.newInputStream(eml));
                assertThat(m.getSubject()).isEqualTo("[CSIRT][レベル2][サイバー攻撃] C-000001 web01: サーバ又はネットワーク機器でウイルスを検知");
            }
        }
    }

    private static long count(Path dir) {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".eml")).count();
        } catch (java.io.IOException e) {
            return 0;
        }
    }

    private static double metric(AgentHarness agent, String sample) {
        try {
            return agent.metric(sample);
        } catch (Exception e) {
            return -1;
        }
    }

    private static String messageId(MimeMessage m) {
        try {
            return m.getMessageID();
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String subject(MimeMessage m) {
        try {
            return m.getSubject();
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }
}
