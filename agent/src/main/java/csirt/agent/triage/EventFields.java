package csirt.agent.triage;

import java.util.List;

import csirt.agent.asset.Asset;
import csirt.agent.parse.Event;

/** The named fields of an event and its asset that criteria can test. */
public final class EventFields {

    /**
     * The answers of a manual report (plan 4(2)② reports from staff, citizens, the city...), as
     * the intake records them; the theft-and-loss decision table tests these.
     */
    public static final List<String> REPORT = List.of(
            "report.kind",        // lost, stolen, leaked, exposed, taken-out
            "report.item",        // device, medium, information
            "report.holds",       // none, non-personal, staff-personal, personal, business, design
            "report.encrypted",   // true, false
            "report.affects_work",// true, false: affects staff work or network operation
            "report.found_safe"); // true: found soon, where no one else could see it

    /** Every field name a criterion may use besides {@code x.*}; the lint rejects others. */
    public static final List<String> NAMES = List.of(
            "format", "parsed", "input", "transport", "host", "app", "procid", "msgid", "facility", "severity",
            "message", "text", "structured_data",
            "av.product", "av.signature", "av.path", "av.action", "av.hash", "av.size",
            "alert.host", "alert.user", "alert.src", "alert.dst",
            "asset.host", "asset.role", "asset.networked", "asset.affects", "asset.criticality",
            "asset.location", "asset.contractor", "asset.encrypted", "asset.known",
            "report.kind", "report.item", "report.holds", "report.encrypted", "report.affects_work", "report.found_safe");

    private EventFields() {
    }

    /**
     * True for the names of {@link #NAMES}, for {@code x.*} (checked against named groups by the
     * lint), and for a CEF or LEEF record's or a device dialect's own fields ({@code cef.act},
     * {@code leef.usrName}, {@code cisco.mnemonic}, {@code fortigate.action}).
     */
    public static boolean known(String name) {
        return name.startsWith("x.") || name.startsWith("cef.") || name.startsWith("leef.") || name.startsWith("json.") || name.startsWith("cisco.")
                || name.startsWith("fortigate.") || NAMES.contains(name);
    }

    /** The value of {@code name} for this event, or null when the event has none. */
    public static String get(Event e, Asset asset, String name) {
        switch (name) {
            case "format": return e.format().label();
            case "parsed": return e.parsed() ? "true" : "false";
            case "input": return e.receipt().input();
            case "transport": return e.receipt().transport();
            case "host": return e.host();
            case "app": return e.app();
            case "procid": return e.procId();
            case "msgid": return e.msgId();
            case "facility": return e.facility() < 0 ? null : Integer.toString(e.facility());
            case "severity": return e.severity() < 0 ? null : Integer.toString(e.severity());
            case "message": return e.message();
            case "text": return e.text();
            case "structured_data": return e.structuredData();
            case "av.product": return e.av() == null ? null : e.av().product();
            case "av.signature": return e.av() == null ? null : e.av().signature();
            case "av.path": return e.av() == null ? null : e.av().path();
            case "av.action": return e.av() == null ? null : e.av().action().label();
            case "av.hash": return e.av() == null ? null : e.av().hash();
            case "av.size": return e.av() == null ? null : e.av().size();
            default:
                if (name.startsWith("asset.")) {
                    return asset.attributes().get(name);
                }
                return e.fields().get(name);
        }
    }
}
