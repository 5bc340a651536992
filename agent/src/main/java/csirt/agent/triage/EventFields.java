package csirt.agent.triage;

import java.util.List;
import java.util.Map;

import csirt.agent.asset.Asset;
import csirt.agent.parse.Event;

/** The named fields of an event and its asset that criteria can test. */
public final class EventFields {

    /** Every field name a criterion may use; the lint rejects others. */
    public static final List<String> NAMES = List.of(
            "format", "parsed", "input", "transport", "host", "app", "procid", "msgid", "facility", "severity",
            "message", "text", "structured_data",
            "av.product", "av.signature", "av.path", "av.action",
            "asset.host", "asset.role", "asset.networked", "asset.affects", "asset.criticality",
            "asset.location", "asset.contractor", "asset.known");

    private EventFields() {
    }

    /** The value of {@code name} for this event, or null when the event has none. */
    public static String get(Event e, Asset asset, String name) {
        switch (name) {
            case "format": return e.format().label();
            case "parsed": return Boolean.toString(e.parsed());
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
            default:
                Map<String, String> attrs = asset.attributes();
                return attrs.get(name);
        }
    }
}
