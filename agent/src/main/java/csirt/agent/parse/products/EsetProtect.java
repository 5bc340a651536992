package csirt.agent.parse.products;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import csirt.agent.parse.AvAction;
import csirt.agent.parse.AvAlert;
import csirt.agent.parse.Event;

/**
 * ESET PROTECT's syslog export in JSON ("Export logs to Syslog", ESET PROTECT online help; the
 * event types Threat_Event, FirewallAggregated_Event, HipsAggregated_Event, Audit_Event...):
 * {@code threat_name}, {@code action_taken} ("cleaned by deleting", "connection terminated",
 * "retained"...), {@code threat_handled} (true when the threat was dealt with), {@code hostname}
 * of the endpoint and {@code object_uri} ({@code file:///C:/...}; another drive letter is a
 * removable or second disk). LEEF exports carry the same names.
 */
final class EsetProtect implements ProductReader {

    @Override
    public String id() {
        return "eset-protect";
    }

    @Override
    public String name() {
        return "ESET PROTECT";
    }

    @Override
    public List<String> yields() {
        return List.of("av.", "alert.kind=attack,scan,c2,firewall");
    }

    @Override
    public boolean mayRead(Probe p) {
        return p.record();
    }

    @Override
    public Reading read(Event e) {
        Map<String, String> f = e.fields();
        String p = f.containsKey("json.event_type") ? "json." : f.containsKey("leef.event_type") ? "leef." : null;
        if (p == null) {
            return null;
        }
        String type = f.get(p + "event_type");
        Reading r = new Reading();
        r.host(f.get(p + "hostname"));
        r.put("alert.user", f.get(p + "username")).put("alert.src", f.get(p + "source_address")).put("alert.dst", f.get(p + "target_address"));
        String handled = f.getOrDefault(p + "threat_handled", "");
        String taken = f.getOrDefault(p + "action_taken", f.getOrDefault(p + "action", ""));
        switch (type.toLowerCase(Locale.ROOT)) {
            case "threat_event": {
                String name = f.get(p + "threat_name");
                if (name == null || name.isBlank()) {
                    return r.alert("other", null, null); // Threat_Event also carries logins and audit lines
                }
                AvAction action = action(taken, handled);
                r.av = new AvAlert("ESET PROTECT", name, path(f.get(p + "object_uri")), action, f.get(p + "hash"), null);
                String kind = f.getOrDefault(p + "threat_type", "").toLowerCase(Locale.ROOT);
                return r.alert(kind.contains("botnet") ? "c2" : "other", null, name);
            }
            case "firewallaggregated_event": {
                String event = f.getOrDefault(p + "event", "");
                String ev = event.toLowerCase(Locale.ROOT);
                String kind = ev.contains("botnet") ? "c2" : ev.contains("scan") ? "scan" : ev.contains("attack") || ev.contains("exploit") ? "attack" : "firewall";
                boolean blocked = taken.toLowerCase(Locale.ROOT).contains("block") || taken.toLowerCase(Locale.ROOT).contains("den");
                return r.alert(kind, blocked ? "blocked" : "detected", f.getOrDefault(p + "threat_name", event));
            }
            case "hipsaggregated_event": {
                boolean blocked = taken.toLowerCase(Locale.ROOT).contains("block") || taken.toLowerCase(Locale.ROOT).contains("den");
                return r.alert("attack", blocked ? "blocked" : "detected", f.getOrDefault(p + "rule_name", f.get(p + "operation")));
            }
            default:
                return r.alert("other", null, null);
        }
    }

    private static AvAction action(String taken, String handled) {
        String t = taken.toLowerCase(Locale.ROOT);
        if (t.contains("retain") || t.contains("no action") || t.isEmpty() && !"true".equalsIgnoreCase(handled)) {
            return "false".equalsIgnoreCase(handled) && !t.isEmpty() ? AvAction.FAILED : AvAction.DETECTED;
        }
        if (t.contains("quarant")) {
            return AvAction.QUARANTINED;
        }
        if (t.contains("clean") || t.contains("delet")) {
            return AvAction.REMOVED;
        }
        if (t.contains("terminat") || t.contains("block")) {
            return AvAction.BLOCKED;
        }
        return "true".equalsIgnoreCase(handled) ? AvAction.REMOVED : "false".equalsIgnoreCase(handled) ? AvAction.FAILED : AvAction.DETECTED;
    }

    /** "file:///E:/USB/a.exe" is E:\USB\a.exe; other URIs (a web address) stay as they are. */
    static String path(String uri) {
        if (uri == null) {
            return null;
        }
        if (uri.regionMatches(true, 0, "file:///", 0, 8)) {
            String p = URLDecoder.decode(uri.substring(8).replace("+", "%2B"), StandardCharsets.UTF_8);
            return p.length() > 1 && p.charAt(1) == ':' ? p.replace('/', '\\') : "/" + p;
        }
        return uri;
    }
}
