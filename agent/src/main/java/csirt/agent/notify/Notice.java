package csirt.agent.notify;

import jakarta.mail.internet.MimeMessage;

/**
 * A notice ready to go: the MIME message and what it is about.
 *
 * @param kind {@code opened} or {@code escalated}
 */
public record Notice(long caseId, String kind, int level, String messageId, MimeMessage message) {
}
