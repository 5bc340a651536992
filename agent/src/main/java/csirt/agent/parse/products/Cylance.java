package csirt.agent.parse.products;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import csirt.agent.parse.AvAction;
import csirt.agent.parse.AvAlert;
import csirt.agent.parse.Event;
import csirt.agent.triage.EventFields;

/**
 * BlackBerry CylancePROTECT's syslog ("Syslog/SIEM" settings of the Cylance console): {@code Event
 * Type: Threat, Event Name: threat_found, Device Name: ..., File Name: ..., Path: ..., Status:
 * Quarantined, ...}. A threat's Status: Quarantined, Cleared (removed), Waived (an administrator
 * allowed it), Unsafe or Abnormal (found, still there). ExploitAttempt and ScriptControl events
 * say whether the attempt was blocked or terminated ({@code Action}, {@code Event Name}).
 */
final class Cylance implements ProductReader {

    @Override
    public String id() {
        return "cylance";
    }

    @Override
    public String name() {
        return "BlackBerry CylancePROTECT";
    }

    @Override
    public List<String> yields() {
        return List.of("av.", "alert.kind=attack");
    }

    @Override
    public boolean mayRead(Probe p) {
        return p.comma();
    }

    @Override
    public Reading read(Event e) {
        String m = e.message();
        if (m == null) {
            return null;
        }
        int at = m.indexOf("Event Type:");
        if (at < 0) {
            return null;
        }
        Map<String, String> f = pairs(m.substring(at));
        Reading r = new Reading();
        f.forEach((k, v) -> r.put("cylance." + k.toLowerCase(Locale.ROOT).replace(' ', '_'), v));
        r.host(f.get("Device Name"));
        r.put("alert.user", f.get("User Name"));
        String type = f.getOrDefault("Event Type", "");
        String name = f.getOrDefault("Event Name", f.getOrDefault("EventName", "")).toLowerCase(Locale.ROOT);
        switch (type) {
            case "Threat": {
                String status = f.getOrDefault("Status", "").toLowerCase(Locale.ROOT);
                AvAction action = status.contains("quarantin") || name.contains("quarantin") ? AvAction.QUARANTINED
                        : status.contains("clear") || name.contains("cleared") ? AvAction.REMOVED : AvAction.DETECTED;
                String path = f.get("Path");
                String file = f.get("File Name");
                String full = path == null ? file : file == null || !(path.endsWith("\\") || path.endsWith("/")) ? path : path + file;
                String sig = f.getOrDefault("Threat Classification", file);
                if (sig == null || sig.isBlank() || sig.equals("UNCLASSIFIED")) {
                    sig = "Cylance: " + (file == null ? "unnamed" : file);
                }
                r.av = new AvAlert("CylancePROTECT", sig, full, action, f.get("SHA256"), null);
                String drive = f.getOrDefault("Drive Type", "").toLowerCase(Locale.ROOT);
                if (drive.contains("removable") || drive.contains("usb") || drive.contains("cd")) {
                    r.put(EventFields.PRODUCT_MEDIA, "removable");
                } else if (drive.contains("internal") || drive.contains("fixed") || drive.contains("hard")) {
                    r.put(EventFields.PRODUCT_MEDIA, "fixed");
                }
                return r.alert("other", null, sig);
            }
            case "ExploitAttempt": {
                String action = f.getOrDefault("Action", "").toLowerCase(Locale.ROOT);
                boolean blocked = action.contains("block") || action.contains("terminat");
                return r.alert("attack", blocked ? "blocked" : "detected", f.get("Violation Type"));
            }
            case "ScriptControl":
                return r.alert("attack", name.contains("block") ? "blocked" : "detected", "Script: " + f.getOrDefault("File Path", ""));
            default:
                return r.alert("other", null, null);
        }
    }

    /** "Key: value, Key: value": a comma only ends a value when a "Key:" follows it. */
    static Map<String, String> pairs(String s) {
        Map<String, String> out = new LinkedHashMap<>();
        Matcher k = KEY.matcher(s);
        String key = null;
        int from = 0;
        while (k.find()) {
            if (key != null) {
                out.putIfAbsent(key, s.substring(from, k.start()).strip());
            }
            key = k.group(1).strip();
            from = k.end();
        }
        if (key != null) {
            out.putIfAbsent(key, s.substring(from).strip());
        }
        return out;
    }

    private static final Pattern KEY = Pattern.compile("(?:^|,)\\s*([A-Z][A-Za-z0-9 ]{1,30}?):\\s*");
}
