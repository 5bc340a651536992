package csirt.agent.parse.products;

import static csirt.agent.parse.products.RecordText.first;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import csirt.agent.parse.AvAction;
import csirt.agent.parse.AvAlert;
import csirt.agent.parse.Event;
import csirt.agent.parse.KeyValues;

/**
 * Kaspersky Security Center's SIEM export (CEF, LEEF or syslog; "Converting events to the CEF or
 * LEEF format" and the KSC Open API's event attributes): the event type names the finding,
 * {@code GNRL_EV_VIRUS_FOUND} and {@code GNRL_EV_SUSPICIOUS_OBJECT_FOUND} (detected: Kaspersky
 * Endpoint Security reports the disinfection as its own event), {@code GNRL_EV_OBJECT_CURED} and
 * {@code GNRL_EV_OBJECT_DELETED} (removed), {@code GNRL_EV_OBJECT_QUARANTINED},
 * {@code GNRL_EV_OBJECT_NOTCURED} (could not be disinfected), {@code GNRL_EV_ATTACK_DETECTED} (the
 * network attack blocker stopped an attack). Attributes: p1 the object, p2 the virus name (the
 * attack name and protocol for an attack); the CEF message text repeats them as "Object:" and
 * "Detected:" (in Japanese "オブジェクト:" and "検知:").
 */
final class Kaspersky implements ProductReader {

    private static final Pattern TYPE = Pattern.compile("\\b(GNRL_EV_[A-Z_]+|KLPRCI_[A-Za-z_]+)\\b");
    private static final Pattern DETECTED = Pattern.compile("(?:Detected|検知|Result\\\\?: ?Detected)\\s*[:：]\\s*([^\\r\\n\\\\]+)");
    private static final Pattern OBJECT = Pattern.compile("(?:Object|オブジェクト)\\s*[:：]\\s*([^\\r\\n]+?)(?:\\\\r|\\\\n|\\r|\\n|$)");

    @Override
    public String id() {
        return "kaspersky-ksc";
    }

    @Override
    public String name() {
        return "Kaspersky Security Center";
    }

    @Override
    public List<String> yields() {
        return List.of("av.", "alert.kind=attack");
    }

    @Override
    public boolean mayRead(Probe p) {
        return p.record() || p.pairs() && p.message().contains("GNRL_EV_");
    }

    @Override
    public Reading read(Event e) {
        Map<String, String> f = e.fields();
        String vendor = f.getOrDefault("cef.vendor", f.getOrDefault("leef.vendor", ""));
        String m = e.message() == null ? "" : e.message();
        boolean cef = vendor.toLowerCase(Locale.ROOT).startsWith("kaspersky");
        if (!cef && !m.contains("GNRL_EV_")) {
            return null;
        }
        String type = f.getOrDefault("cef.class", f.get("leef.event"));
        if (type == null || !type.startsWith("GNRL_EV_")) {
            Matcher t = TYPE.matcher(m);
            type = t.find() ? t.group(1) : "";
        }
        Map<String, String> kv = cef ? Map.of() : KeyValues.parse(m, "");
        Reading r = new Reading();
        r.put("kaspersky.event_type", type);
        r.host(first(f, "cef.dhost", "leef.dhost", "cef.shost"));
        if (r.host == null) {
            r.host(kv.getOrDefault("hdn", kv.get("dhost")));
        }
        String text = f.getOrDefault("cef.msg", m);
        String object = first(f, "cef.p1", "cef.filePath", "cef.fname");
        if (object == null) {
            object = kv.get("p1");
        }
        if (object == null) {
            Matcher o = OBJECT.matcher(text);
            object = o.find() ? o.group(1).strip() : null;
        }
        String virus = first(f, "cef.p2", "cef.cs1");
        if (virus == null) {
            virus = kv.get("p2");
        }
        if (virus == null) {
            Matcher d = DETECTED.matcher(text);
            virus = d.find() ? d.group(1).strip() : null;
        }
        r.put("alert.user", first(f, "cef.duser", "cef.suser"));
        AvAction action;
        switch (type) {
            case "GNRL_EV_VIRUS_FOUND":
            case "GNRL_EV_SUSPICIOUS_OBJECT_FOUND":
            case "GNRL_EV_OBJECT_REPORTED":
                action = AvAction.DETECTED;
                break;
            case "GNRL_EV_OBJECT_CURED":
            case "GNRL_EV_OBJECT_DELETED":
                action = AvAction.REMOVED;
                break;
            case "GNRL_EV_OBJECT_QUARANTINED":
                action = AvAction.QUARANTINED;
                break;
            case "GNRL_EV_OBJECT_NOTCURED":
            case "GNRL_EV_OBJECT_NOTDELETED":
            case "GNRL_EV_OBJECT_NOTQUARANTINED":
                action = AvAction.FAILED;
                break;
            case "GNRL_EV_ATTACK_DETECTED":
                return r.alert("attack", "blocked", virus == null ? object : object + (virus == null ? "" : " (" + virus + ")"));
            default:
                return r.alert("other", null, null);
        }
        r.av = new AvAlert("Kaspersky Endpoint Security", virus == null ? "unnamed threat" : virus, object, action);
        return r.alert("other", null, virus);
    }
}
