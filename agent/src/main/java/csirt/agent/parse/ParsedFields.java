package csirt.agent.parse;

import java.time.Instant;

import csirt.agent.journal.Receipt;

/** The fields a parser fills in, turned into an {@link Event} once parsing is done. */
final class ParsedFields {
    Format format = Format.UNPARSED;
    int facility = -1;
    int severity = -1;
    Instant timestamp;
    String host;
    String app;
    String procId;
    String msgId;
    String structuredData;
    String message;
    String problem;

    Event toEvent(long seq, Receipt receipt, String text) {
        String h = host != null ? host : receipt.peerAddress();
        String m = message != null ? message : text;
        return new Event(seq, receipt, format, facility, severity, timestamp, h, app, procId, msgId,
                structuredData, m, text, problem, null, java.util.Map.of());
    }

    static String nil(String s) {
        return "-".equals(s) ? null : s;
    }
}
