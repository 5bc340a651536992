package csirt.agent.parse.products;

import static csirt.agent.parse.products.RecordText.first;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import csirt.agent.parse.AvAction;
import csirt.agent.parse.AvAlert;
import csirt.agent.parse.Event;
import csirt.agent.parse.SecurityAlerts;

/**
 * Symantec Endpoint Protection Manager's syslog export ("Exporting data to a Syslog server",
 * SEPM help): comma-separated {@code Label: value} parts. Risk events start with their name
 * ({@code Virus found}, {@code Security risk found}, {@code Potential risk found}, in Japanese
 * {@code ウイルスが見つかりました}), name the endpoint ({@code Computer name:} / {@code コンピュータ名:}),
 * the risk ({@code Risk name:} / {@code リスク名:}), the file (an unlabelled part) and what was
 * done ({@code Actual action:} / {@code 実際の処理:}, then {@code Secondary action:}). Client IPS
 * events carry {@code Event Description:} and {@code CIDS Signature string:}; firewall packet and
 * traffic events carry {@code Rule:} and {@code Action:}.
 */
final class SymantecEndpoint implements ProductReader {

    @Override
    public String id() {
        return "symantec-sep";
    }

    @Override
    public String name() {
        return "Symantec Endpoint Protection (SEPM syslog)";
    }

    @Override
    public List<String> yields() {
        return List.of("av.", "alert.kind=attack,scan,firewall");
    }

    @Override
    public boolean mayRead(Probe p) {
        return p.comma();
    }

    @Override
    public Reading read(Event e) {
        String m = e.message();
        if (m == null || m.indexOf(',') < 0 || !(m.contains("Risk name:") || m.contains("リスク名") || m.contains("CIDS Signature")
                || m.contains("Local Host IP:") || m.contains("Local Host MAC:") || m.contains("Scan ID:"))) {
            return null;
        }
        List<String> loose = new ArrayList<>();
        Map<String, String> f = labelled(m, loose);
        Reading r = new Reading();
        f.forEach((k, v) -> r.put("sep." + k, v));
        String risk = first(f, "risk name", "リスク名");
        if (f.containsKey("risk name") || f.containsKey("リスク名")) {
            String signature = risk != null ? risk : first(f, "application name", "アプリケーション名");
            String actual = first(f, "actual action", "実際の処理", "実際の操作");
            String secondary = first(f, "secondary action", "2 次処理", "二次処理", "2次処理");
            AvAction action = action(actual, secondary);
            String path = first(f, "file path", "ファイル パス", "ファイルパス"); // a label since SEP 14.3
            for (String part : path != null ? List.<String>of() : loose) {
                if (part.contains("\\") || part.contains("/") || part.matches("^[A-Za-z]:.*")) {
                    path = part;
                    break;
                }
            }
            r.av = new AvAlert("Symantec Endpoint Protection", signature == null ? "unnamed risk" : signature, path, action);
            r.host(first(f, "computer name", "コンピュータ名", "コンピューター名"));
            return r;
        }
        if (f.containsKey("scan id")) {
            return r.host(f.get("computer")).alert("other", null, null); // a scan's start or summary
        }
        // agent IPS, traffic and packet records start with the computer's name, unlabelled
        r.host(m.indexOf(',') > 0 && labelEnd(m.substring(0, m.indexOf(','))) < 0 ? m.substring(0, m.indexOf(',')) : null);
        String description = f.get("event description");
        if (f.containsKey("cids signature string") || description != null && f.containsKey("intrusion id")) {
            String d = description == null ? "" : description.toLowerCase(Locale.ROOT);
            String sig = f.getOrDefault("cids signature string", description);
            if (sig == null || sig.isBlank()) {
                sig = description;
            }
            String kind = d.contains("audit:") ? "other" : d.contains("portscan") || d.contains("port scan") ? "scan" : "attack";
            boolean blocked = d.contains("block") && !d.contains("not blocked");
            return r.alert(kind, blocked ? "blocked" : "detected", sig);
        }
        if (f.containsKey("rule") || f.containsKey("action")) {
            return r.alert("firewall", "blocked".equalsIgnoreCase(f.get("action")) ? "blocked" : "detected", f.get("rule"));
        }
        return r.alert("other", null, null);
    }

    /** Actual action, read with the secondary one when the first only says it is pending or failed. */
    private static AvAction action(String actual, String secondary) {
        if (actual == null) {
            return AvAction.DETECTED;
        }
        String a = actual.toLowerCase(Locale.ROOT);
        if (a.contains("left alone") || a.contains("放置")) {
            return AvAction.DETECTED;
        }
        if (a.contains("pending") || a.contains("保留")) {
            return AvAction.DETECTED; // "Process terminate pending restart": the file is still there until then
        }
        AvAction first = SecurityAlerts.action(actual);
        if (first == AvAction.FAILED && secondary != null) {
            // "All actions failed" then "Secondary action: Quarantined" would be odd, but is what counts
            AvAction second = SecurityAlerts.action(secondary);
            return second == AvAction.REMOVED || second == AvAction.QUARANTINED ? second : AvAction.FAILED;
        }
        return first;
    }

    /** Parts with a label, by lower-case label; parts without one go to {@code loose} in order. */
    static Map<String, String> labelled(String m, List<String> loose) {
        Map<String, String> out = new LinkedHashMap<>();
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i <= m.length(); i++) {
            char c = i < m.length() ? m.charAt(i) : ',';
            if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                String part = m.substring(start, i).strip();
                if (part.length() > 1 && part.startsWith("\"") && part.endsWith("\"")) {
                    part = part.substring(1, part.length() - 1);
                }
                start = i + 1;
                int colon = labelEnd(part);
                if (colon > 0) {
                    out.putIfAbsent(part.substring(0, colon).strip().toLowerCase(Locale.ROOT), part.substring(colon + 1).strip());
                } else if (!part.isEmpty()) {
                    loose.add(part);
                }
            }
        }
        return out;
    }

    /** Where a part's label ends (its ':' or '：'), or -1: a label is short and is not a path ("C:\..."). */
    private static int labelEnd(String part) {
        for (int i = 0; i < Math.min(part.length(), 48); i++) {
            char c = part.charAt(i);
            if (c == ':' || c == '：') {
                boolean drive = i == 1 && part.length() > 2 && (part.charAt(2) == '\\' || part.charAt(2) == '/');
                return drive || i == 0 ? -1 : i;
            }
            if (c == '\\' || c == '/' || c == '=') {
                return -1;
            }
        }
        return -1;
    }
}
