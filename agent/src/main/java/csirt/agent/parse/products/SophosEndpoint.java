package csirt.agent.parse.products;

import static csirt.agent.parse.products.RecordText.first;
import static csirt.agent.parse.products.RecordText.tag;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import csirt.agent.parse.AvAction;
import csirt.agent.parse.AvAlert;
import csirt.agent.parse.Event;

/**
 * Sophos endpoint protection: Sophos Central's events as its SIEM integration script writes them
 * (github.com/sophos/Sophos-Central-SIEM-Integration, JSON or CEF: {@code type}
 * {@code Event::Endpoint::Threat::Detected}, {@code ...::CleanedUp}, {@code ...::CleanupFailed},
 * {@code ...::PuaDetected}, {@code ...::HIPSDetected}; {@code name} "Malware detected:
 * 'Eicar-AV-Test' at 'C:\...'"; the endpoint in {@code location} or {@code dhost}), and Sophos
 * Anti-Virus's XML log lines ({@code <log><category>savscan.log</category>...<msg>
 * NOTIFY_ONDEMANDTHREAT_INFECTED %s</msg>...<arg>path</arg></log>}).
 */
final class SophosEndpoint implements ProductReader {

    private static final Pattern NAMED = Pattern.compile("(?:detected|cleaned up|required|blocked|prevented)[^']*'([^']+)'(?: at '([^']+)')?");

    @Override
    public String id() {
        return "sophos-endpoint";
    }

    @Override
    public String name() {
        return "Sophos Central / Sophos Endpoint (Intercept X, SAV)";
    }

    @Override
    public List<String> yields() {
        return List.of("av.", "alert.kind=c2,dlp,protection-off");
    }

    @Override
    public boolean mayRead(Probe p) {
        return p.record() || p.message().startsWith("<log>");
    }

    @Override
    public Reading read(Event e) {
        Map<String, String> f = e.fields();
        String type = f.getOrDefault("json.type", f.get("cef.class"));
        if (type != null && type.startsWith("Event::Endpoint::")) {
            return central(type, f.getOrDefault("json.name", f.get("cef.name")), f);
        }
        String m = e.message();
        if (m != null && m.startsWith("<log>") && m.contains("<msg>")) {
            return sav(m);
        }
        return null;
    }

    private static Reading central(String type, String name, Map<String, String> f) {
        Reading r = new Reading();
        r.host(first(f, "json.location", "json.dhost", "cef.dhost", "json.host"));
        r.put("alert.user", first(f, "json.source", "json.suser", "cef.suser", "json.user"));
        String threat = first(f, "json.threat", "cef.threat");
        String path = first(f, "json.filePath", "cef.filePath", "json.path");
        if (name != null) {
            Matcher m = NAMED.matcher(name);
            if (m.find()) {
                threat = threat == null ? m.group(1) : threat;
                path = path == null ? m.group(2) : path;
            }
        }
        String t = type.toLowerCase(Locale.ROOT);
        if (t.contains("::threat::") || t.contains("::ransomware::")) {
            AvAction action = t.endsWith("cleanupfailed") || t.endsWith("notblocked") ? AvAction.FAILED
                    : t.endsWith("cleanedup") ? AvAction.REMOVED : t.endsWith("hipsdetected") ? AvAction.BLOCKED : AvAction.DETECTED;
            if (t.contains("commandandcontrol")) {
                return r.alert("c2", "detected", threat);
            }
            r.av = new AvAlert("Sophos Central", threat == null ? "unnamed threat" : threat, path, action);
            return r.alert("other", null, threat);
        }
        if (t.contains("datalossprevention")) {
            return r.alert("dlp", "detected", name);
        }
        return r.alert("other", null, null);
    }

    private static Reading sav(String m) {
        Reading r = new Reading();
        String msg = tag(m, "msg");
        r.put("sophos.category", tag(m, "category")).put("sophos.msg", msg);
        if (msg != null && (msg.contains("THREAT_INFECTED") || msg.contains("VIRUS_DETECTED") || msg.contains("THREAT_DETECTED"))) {
            String path = tag(m, "arg");
            r.av = new AvAlert("Sophos Anti-Virus", "unnamed threat (" + msg.replace(" %s", "").strip() + ")", path, AvAction.DETECTED);
            return r.alert("other", null, null);
        }
        if (msg != null && msg.contains("SCANNER_DIED")) {
            return r.alert("protection-off", "detected", msg);
        }
        return r.alert("other", null, null);
    }
}
