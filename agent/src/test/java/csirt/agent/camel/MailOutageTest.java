package csirt.agent.camel;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The mail server down during incidents, then back: every notice arrives, once; health shows the backlog meanwhile. */
class MailOutageTest {

    @TempDir
    Path data;

    @Test
    void notices_wait_in_the_outbox_while_the_server_is_down_and_arrive_once_when_it_is_back() throws Exception {
        int smtpPort = AgentHarness.freePort();
        Map<String, String> o = Map.of("mail.smtp.host", "127.0.0.1", "mail.smtp.port", Integer.toString(smtpPort),
                "mail.retry.delay-ms", "200", "mail.retry.max-delay-ms", "1000", "mail.smtp.timeout-ms", "2000",
                "notice.outbox.alert-after-minutes", "0");
        GreenMail mail = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", "smtp"));
        try (AgentHarness agent = AgentHarness.start(data, o)) {
            // the server is down: three incidents on three hosts
            agent.tcp("<3>Nov 26 18:00:00 files01 kernel: blk_update_request: I/O error, dev sda, sector 1\n");
            agent.tcp("<3>Nov 26 18:00:00 sw-2f kernel: blk_update_request: I/O error, dev sda, sector 1\n");
            agent.tcp("<3>Nov 26 18:00:00 web01 kernel: EXT4-fs error (device sda1): x\n");
            assertThat(AgentHarness.await(Duration.ofSeconds(20),
                    () -> agent.daemon.services().cases().outbox().depth() == 3 && metric(agent) >= 3)).isTrue();
            HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + agent.httpPort + "/health")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(503);
            assertThat(health.body()).contains("\"status\":\"DEGRADED\"").contains("not delivered for over 0 minutes")
                    .contains("ConnectException");
            assertThat(AgentHarness.await(Duration.ofSeconds(10), () -> count(data.resolve("notices").resolve("failed")) == 3))
                    .as("a copy of each overdue notice is kept to send by hand").isTrue();

            mail.start();
            // (which levels they get depends on the order the three connections are judged: three failing
            // systems within ten minutes make the last one OUT-220, level 2)
            assertThat(AgentHarness.await(Duration.ofSeconds(30), () -> mail.getReceivedMessages().length >= 5)).isTrue();
            assertThat(AgentHarness.await(Duration.ofSeconds(10), () -> agent.daemon.services().cases().outbox().depth() == 0)).isTrue();
            TimeUnit.SECONDS.sleep(2); // nothing more may come
            List<String> ids = new ArrayList<>();
            Map<String, Integer> recipients = new java.util.HashMap<>();
            for (MimeMessage m : mail.getReceivedMessages()) {
                ids.add(m.getMessageID());
                recipients.put(m.getMessageID(), m.getAllRecipients().length);
            }
            Map<String, Long> copies = ids.stream().collect(Collectors.groupingBy(s -> s, Collectors.counting()));
            assertThat(copies).as("three notices").hasSize(3);
            // each delivered once: one copy per recipient, no more
            copies.forEach((id, n) -> assertThat(n).as(id).isEqualTo(recipients.get(id).longValue()));
        } finally {
            mail.stop();
        }
    }

    @Test
    void a_notice_waiting_when_the_agent_stops_is_delivered_after_the_restart() throws Exception {
        int smtpPort = AgentHarness.freePort();
        Map<String, String> o = Map.of("mail.smtp.host", "127.0.0.1", "mail.smtp.port", Integer.toString(smtpPort),
                "mail.retry.delay-ms", "200", "mail.retry.max-delay-ms", "500", "mail.smtp.timeout-ms", "2000");
        try (AgentHarness agent = AgentHarness.start(data, o)) {
            agent.tcp("<3>Nov 26 18:00:00 files01 kernel: blk_update_request: I/O error, dev sda, sector 1\n");
            assertThat(AgentHarness.await(Duration.ofSeconds(20), () -> metric(agent) >= 1)).isTrue();
        }
        GreenMail mail = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", "smtp"));
        mail.start();
        try (AgentHarness agent = AgentHarness.start(data, o)) {
            assertThat(AgentHarness.await(Duration.ofSeconds(20), () -> mail.getReceivedMessages().length == 1)).isTrue();
            assertThat(AgentHarness.await(Duration.ofSeconds(10), () -> agent.daemon.services().cases().outbox().depth() == 0)).isTrue();
            assertThat(mail.getReceivedMessages()[0].getSubject()).startsWith("[CSIRT][レベル1][情報システムの停止等] C-000001 files01:");
        } finally {
            mail.stop();
        }
    }

    @Test
    void smtps_with_a_private_certificate_trusted_by_configuration() throws Exception {
        GreenMail mail = new GreenMail(new ServerSetup(AgentHarness.freePort(), "127.0.0.1", "smtps"));
        mail.start();
        Map<String, String> o = Map.of("mail.smtp.host", "127.0.0.1", "mail.smtp.port", Integer.toString(mail.getSmtps().getPort()),
                "mail.smtp.security", "smtps", "mail.smtp.ssl-trust", "127.0.0.1");
        try (AgentHarness agent = AgentHarness.start(data, o)) {
            agent.tcp("<3>Nov 26 18:00:00 files01 kernel: blk_update_request: I/O error, dev sda, sector 1\n");
            assertThat(AgentHarness.await(Duration.ofSeconds(20), () -> mail.getReceivedMessages().length == 1)).isTrue();
        } finally {
            mail.stop();
        }
    }

    private static double metric(AgentHarness agent) {
        try {
            return agent.metric("csirt_notices_failed_total{channel=\"smtp\"}");
        } catch (Exception e) {
            return -1;
        }
    }

    private static long count(Path dir) {
        try (var s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".eml")).count();
        } catch (IOException e) {
            return 0;
        }
    }
}
