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
    /** A dialect's own named fields (cisco.*, fortigate.*, alert.*), null when none. */
    java.util.Map<String, String> fields;
    /** An antivirus finding the dialect reports (FortiGate subtype virus), or null. */
    AvAlert av;

    Event toEvent(long seq, Receipt receipt, String text) {
        String h = host != null ? host : receipt.peerAddress();
        String m = message != null ? message : text;
        return new Event(seq, receipt, format, facility, severity, timestamp, h, app, procId, msgId,
                structuredData, m, text, problem, av, fields == null ? java.util.Map.of() : java.util.Map.copyOf(fields));
    }

    static String nil(String s) {
        return "-".equals(s) ? null : s;
    }
}
