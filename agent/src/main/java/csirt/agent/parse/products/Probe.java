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
 */
record Probe(String message, String app, boolean equals, boolean comma, boolean record, boolean bare) {

    static Probe of(Event e) {
        String m = e.message();
        boolean record = false;
        for (String k : e.fields().keySet()) {
            if (k.startsWith("json.") || k.startsWith("cef.") || k.startsWith("leef.") || k.startsWith("cisco.") || k.startsWith("fortigate.")) {
                record = true;
                break;
            }
        }
        return new Probe(m, e.app() == null ? "" : e.app(), m.indexOf('=') >= 0, m.indexOf(',') >= 0, record,
                e.format() == Format.BARE);
    }
}
