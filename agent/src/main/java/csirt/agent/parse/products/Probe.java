package csirt.agent.parse.products;

import csirt.agent.parse.Event;
import csirt.agent.parse.Format;

/**
 * What every reader would look at first, worked out once per event: most lines (sshd, cron,
 * systemd) are no product's, and asking each reader to search them cost more than parsing them.
 *
 * @param equals  the message holds '=' (key=value records)
 * @param comma   the message holds ',' (comma lists, CSV)
 * @param record  the event carries a record's own fields (json., cef., leef., cisco., fortigate.)
 * @param bare    the line had no header of its own (format bare: a product's record after a PRI, or none)
 * @param pairs   the first '=' follows a word that starts a token ("key=value" records, not "(uid=1000)")
 * @param eventId the structured data names a Windows EventID (NXLog's to_syslog_ietf)
 */
record Probe(String message, String app, boolean equals, boolean comma, boolean record, boolean bare, boolean pairs, boolean eventId) {

    static Probe of(Event e) {
        String m = e.message();
        boolean record = false;
        for (String k : e.fields().keySet()) {
            if (k.startsWith("json.") || k.startsWith("cef.") || k.startsWith("leef.") || k.startsWith("cisco.") || k.startsWith("fortigate.")) {
                record = true;
                break;
            }
        }
        int eq = m.indexOf('=');
        return new Probe(m, e.app() == null ? "" : e.app(), eq >= 0, m.indexOf(',') >= 0, record, e.format() == Format.BARE, pairs(m, eq),
                e.structuredData() != null && e.structuredData().contains("EventID="));
    }

    private static boolean pairs(String m, int eq) {
        if (eq <= 0) {
            return false;
        }
        int k = eq;
        while (k > 0 && (Character.isLetterOrDigit(m.charAt(k - 1)) || m.charAt(k - 1) == '_' || m.charAt(k - 1) == '-')) {
            k--;
        }
        return k < eq && (k == 0 || m.charAt(k - 1) == ' ' || m.charAt(k - 1) == '\t');
    }

    /**
     * False when no reader's {@code mayRead} can be true: the union of their cheap conditions
     * (kept beside them: a reader whose condition is not covered here would never be asked).
     */
    boolean mayBeAnyProducts() {
        return record || pairs || comma || bare || eventId || message.indexOf('<') >= 0 || message.startsWith("%")
                || app.startsWith("Microsoft-Windows-") || HardwareAlarms.candidate(this);
    }
}
