package csirt.agent.parse;

import java.time.Instant;
import java.util.Map;

import csirt.agent.journal.Receipt;

/**
 * A journaled message after parsing: the header fields its format carries, the decoded text,
 * and, when parsing failed, why; the raw text always travels along so triage can still judge it.
 *
 * @param seq            the journal sequence number of the raw bytes
 * @param facility       syslog facility 0..23, or -1 when the format has none
 * @param severity       syslog severity 0..7, or -1
 * @param timestamp      the time the sender claims, null when it gave none (the receipt time is in {@code receipt})
 * @param host           the host the message is about: the header's hostname, else the peer address
 * @param text           the whole message decoded as text (invalid bytes as U+FFFD)
 * @param parseProblem   null when parsed; otherwise what was wrong, in a sentence
 * @param av             an antivirus finding in the message, or null
 * @param fields         further named fields (a manual report's {@code report.*} answers, a product's key=value pairs)
 */
public record Event(long seq, Receipt receipt, Format format, int facility, int severity, Instant timestamp,
                    String host, String app, String procId, String msgId, String structuredData, String message,
                    String text, String parseProblem, AvAlert av, Map<String, String> fields) {

    public boolean parsed() {
        return parseProblem == null;
    }

    /**
     * The time the correlation windows use: the receipt time. Live, the sender's clock is not
     * trusted; a replay sets the receipt time to the event's own timestamp.
     */
    public Instant time() {
        return receipt.receivedAt();
    }

    public Event withAv(AvAlert alert) {
        return new Event(seq, receipt, format, facility, severity, timestamp, host, app, procId, msgId,
                structuredData, message, text, parseProblem, alert, fields);
    }

    public Event withReceipt(Receipt r) {
        return new Event(seq, r, format, facility, severity, timestamp, host, app, procId, msgId,
                structuredData, message, text, parseProblem, av, fields);
    }

    /** The host the message is about, when the message names it better than the syslog header (an AV server reporting an endpoint). */
    public Event withHost(String h) {
        return new Event(seq, receipt, format, facility, severity, timestamp, h, app, procId, msgId,
                structuredData, message, text, parseProblem, av, fields);
    }

    public Event withFields(Map<String, String> f) {
        return new Event(seq, receipt, format, facility, severity, timestamp, host, app, procId, msgId,
                structuredData, message, text, parseProblem, av, Map.copyOf(f));
    }
}
