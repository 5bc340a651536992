package csirt.agent.camel;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** Notices through an SMTP server that requires AUTH; the password appears in no log line. */
class SmtpAuthTest {

    private static final String PASSWORD = "Pw-7f3a9c-secret";

    @RegisterExtension
    static final GreenMailExtension MAIL = new GreenMailExtension(new ServerSetup(0, "127.0.0.1", "smtp").dynamicPort())
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("csirt-agent@localhost", "agent", PASSWORD));

    @TempDir
    Path data;

    @Test
    void the_notice_is_sent_with_auth_and_the_password_is_never_logged() throws Exception {
        MAIL.getUserManager().setAuthRequired(true);
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        root.addAppender(logs);
        try (AgentHarness agent = AgentHarness.start(data, Map.of("mail.smtp.host", "127.0.0.1",
                "mail.smtp.port", Integer.toString(MAIL.getSmtp().getPort()),
                "mail.smtp.username", "agent", "mail.smtp.password", PASSWORD))) {
            agent.tcp("<3>Nov 26 18:00:03 files01 kernel: blk_update_request: I/O error, dev sda, sector 2048\n");
            assertThat(AgentHarness.await(java.time.Duration.ofSeconds(15), () -> MAIL.getReceivedMessages().length >= 1)).isTrue();
        } finally {
            root.detachAppender(logs);
        }
        assertThat(logs.list).isNotEmpty();
        assertThat(logs.list).noneSatisfy(e -> assertThat(e.getFormattedMessage()).contains(PASSWORD));
        assertThat(logs.list).anySatisfy(e -> assertThat(e.getFormattedMessage()).contains("mail.smtp.password=******"));
    }
}
