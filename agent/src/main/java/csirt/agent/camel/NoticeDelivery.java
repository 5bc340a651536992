package csirt.agent.camel;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import csirt.agent.AgentServices;
import csirt.agent.cases.OutboxItem;
import csirt.agent.cases.TimelineText;
import csirt.agent.notify.FixedIdMimeMessage;
import jakarta.mail.MessagingException;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;

/**
 * The beans of the case and notice routes: a verdict becomes a case change (and its notice goes
 * into the durable outbox with it); the outbox route takes the due notices and sends each by SMTP
 * (camel-mail) or writes it as an .eml file; success deletes it from the outbox, failure schedules
 * a retry. Nothing here decides what to send: that is {@link csirt.agent.notify.NoticeService}.
 */
public final class NoticeDelivery {

    static final String ITEM = "csirtOutboxItem";

    private final AgentServices services;

    public NoticeDelivery(AgentServices services) {
        this.services = services;
    }

    /** The notices due now, for one delivery pass (one pass at a time: the route has one consumer). */
    public List<OutboxItem> due() {
        return services.notices().due(Instant.now());
    }

    /** Puts the stored message in the body for the smtp endpoint, keeping the item for the outcome. */
    public void prepareSmtp(Exchange exchange) throws InvalidPayloadException, MessagingException {
        OutboxItem item = exchange.getMessage().getMandatoryBody(OutboxItem.class);
        exchange.setProperty(ITEM, item);
        jakarta.mail.internet.MimeMessage m = FixedIdMimeMessage.parse(item.message());
        // which agent sent it, where several share the case database (a mail re-sent after a takeover is told apart)
        m.setHeader("X-CSIRT-Agent", sender());
        exchange.getMessage().setBody(m);
    }

    private String sender() {
        // letters, digits, dot and hyphen only: a host name can carry nothing into the header
        return (services.hostName() + " " + services.agentId()).replaceAll("[^A-Za-z0-9.\\- ]", "_");
    }

    /** After the SMTP server accepted the notice. */
    public void sent(Exchange exchange) {
        OutboxItem item = exchange.getProperty(ITEM, OutboxItem.class);
        services.notices().delivered(item, "smtp", "通知メールを送信（" + TimelineText.noticeKind(item.kind()) + "、レベル" + item.level()
                + "、Message-ID " + item.messageId() + "）");
    }

    /** Without an SMTP host, notices are written as .eml files under the data directory. */
    public void writeFile(Exchange exchange) throws IOException, InvalidPayloadException {
        OutboxItem item = exchange.getMessage().getMandatoryBody(OutboxItem.class);
        exchange.setProperty(ITEM, item);
        Path file = services.noticeFiles().write(item.caseId(), item.kind(), item.level(), item.createdAt(), item.messageId(),
                item.message(), null);
        services.notices().delivered(item, "file", "通知を .eml ファイルとして保存（SMTP 未設定）: " + file.getFileName());
    }

    /** The attempt failed: the notice stays in the outbox and is retried with backoff. */
    public void failed(Exchange exchange) {
        OutboxItem item = exchange.getProperty(ITEM, OutboxItem.class);
        if (item == null) {
            item = exchange.getMessage().getBody(OutboxItem.class);
        }
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String reason = cause == null ? "unknown" : rootMessage(cause);
        if (item != null) {
            services.notices().failed(item, reason);
        }
    }

    private static String rootMessage(Throwable t) {
        Throwable r = t;
        while (r.getCause() != null && r.getCause() != r) {
            r = r.getCause();
        }
        return r.getClass().getSimpleName() + ": " + r.getMessage();
    }
}
