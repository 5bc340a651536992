package csirt.agent.notify;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;

/**
 * A MIME message that keeps the Message-ID it was given: Jakarta Mail replaces it on every
 * {@code saveChanges()}, which would break threading and duplicate detection.
 */
public final class FixedIdMimeMessage extends MimeMessage {

    private final String messageId;

    FixedIdMimeMessage(Session session, String messageId) {
        super(session);
        this.messageId = messageId;
    }

    @Override
    protected void updateMessageID() throws MessagingException {
        setHeader("Message-ID", messageId);
    }

    /** A stored notice read back for sending; its Message-ID stays the one it was stored with. */
    public static MimeMessage parse(byte[] bytes) throws MessagingException {
        return new MimeMessage(Session.getInstance(new java.util.Properties()), new java.io.ByteArrayInputStream(bytes)) {
            @Override
            protected void updateMessageID() {
                // keep the stored Message-ID: threading and duplicate detection depend on it
            }
        };
    }
}
