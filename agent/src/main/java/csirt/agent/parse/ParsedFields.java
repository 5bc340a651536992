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
    /**
     * How the header differed from the RFC it was read as ("space after PRI", "unpadded day", "no
     * header"...), several joined by ", "; null for a header as the RFC writes it.
     */
    String dialect;
    /** An antivirus finding the dialect reports (FortiGate subtype virus), or null. */
    AvAlert av;

    Event toEvent(long seq, Receipt receipt, String text) {
        String h = host != null ? host : receipt.peerAddress();
        String m = message != null ? message : text;
        java.util.Map<String, String> all;
        if (fields == null) {
            all = dialect == null ? java.util.Map.of() : java.util.Map.of(DIALECT, dialect);
        } else {
            if (dialect != null) {
                fields.put(DIALECT, dialect);
            }
            all = java.util.Map.copyOf(fields);
        }
        return new Event(seq, receipt, format, facility, severity, timestamp, h, app, procId, msgId,
                structuredData, m, text, problem, av, all);
    }

    /** The field that says how a header differed from its RFC (shown by replay --explain and cases show). */
    static final String DIALECT = "syslog.dialect";

    /** Records one more way the header differs from the RFC. */
    void variant(String what) {
        dialect = dialect == null ? what : dialect + ", " + what;
    }

    static String nil(String s) {
        return "-".equals(s) ? null : s;
    }
}
