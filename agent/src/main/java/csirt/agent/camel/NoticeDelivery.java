package csirt.agent.camel;

import java.io.IOException;
import java.nio.file.Path;

import csirt.agent.AgentServices;
import csirt.agent.cases.CaseRecord;
import csirt.agent.notify.Notice;
import csirt.agent.triage.Verdict;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The beans of the case and notice routes: a verdict becomes a case change and maybe a notice; a
 * notice goes out by SMTP or as an .eml file; success and failure are written into the case
 * timeline and the metrics. A notice that cannot be sent is kept as a file, never dropped.
 */
public final class NoticeDelivery {

    private static final Logger LOG = LoggerFactory.getLogger(NoticeDelivery.class);
    static final String NOTICE = "csirtNotice";

    private final AgentServices services;

    public NoticeDelivery(AgentServices services) {
        this.services = services;
    }

    /** Applies a verdict to the cases; returns the notice to send, or null. */
    public Notice incident(Verdict v) {
        return services.onIncident(v);
    }

    /** Puts the MIME message in the body for the smtp endpoint, keeping the notice for the outcome. */
    public void prepareSmtp(Exchange exchange) throws InvalidPayloadException {
        Notice n = exchange.getMessage().getMandatoryBody(Notice.class);
        exchange.setProperty(NOTICE, n);
        exchange.getMessage().setBody(n.message());
    }

    /** After the SMTP server accepted the notice. */
    public void sent(Exchange exchange) {
        Notice n = exchange.getProperty(NOTICE, Notice.class);
        services.metrics().noticeSent("smtp");
        services.cases().recordNotice(n.caseId(), n.messageId(), "通知メールを送信（" + n.kind() + "、レベル" + n.level()
                + "、Message-ID " + n.messageId() + "）");
        LOG.info("Notice for case {} ({}) accepted by the SMTP server", CaseRecord.displayId(n.caseId()), n.kind());
    }

    /** Without an SMTP host, notices are written as .eml files under the data directory. */
    public void writeFile(Exchange exchange) throws IOException, InvalidPayloadException {
        Notice n = exchange.getMessage().getMandatoryBody(Notice.class);
        Path file = services.noticeFiles().write(n, null);
        services.metrics().noticeSent("file");
        services.cases().recordNotice(n.caseId(), n.messageId(), "通知を .eml ファイルとして保存（SMTP 未設定）: " + file.getFileName());
        LOG.info("Notice for case {} ({}) written to {}", CaseRecord.displayId(n.caseId()), n.kind(), file);
    }

    /** The notice could not be sent after the retries: keep it as a file and say so. */
    public void failed(Exchange exchange) {
        Notice n = exchange.getProperty(NOTICE, Notice.class);
        if (n == null) {
            n = exchange.getMessage().getBody(Notice.class);
        }
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String reason = cause == null ? "unknown" : cause.getClass().getSimpleName() + ": " + cause.getMessage();
        services.metrics().noticeFailed("smtp");
        if (n == null) {
            LOG.error("A notice could not be delivered and is not available to keep: {}", reason);
            return;
        }
        try {
            Path file = services.noticeFiles().write(n, "failed");
            services.cases().recordNoticeFailure(n.caseId(), "通知メールを送信できませんでした（" + reason + "）。"
                    + file.getFileName() + " として保存しました");
            LOG.error("Notice for case {} could not be sent ({}); kept as {}. Check mail.smtp.host and the mail server, "
                    + "then send the file by hand.", CaseRecord.displayId(n.caseId()), reason, file);
        } catch (IOException | RuntimeException e) {
            LOG.error("Notice for case {} could not be sent ({}) nor kept as a file ({})", CaseRecord.displayId(n.caseId()),
                    reason, e.toString());
        }
    }
}
