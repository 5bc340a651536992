package csirt.agent.parse.products;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import csirt.agent.parse.Event;

/**
 * Cisco ASA and Firepower Threat Defense messages ("Cisco Secure Firewall ASA Series Syslog
 * Messages"), already split into {@code cisco.*} by the header dialect: 733100 threat detection
 * ("[ Scanning] drop rate-1 exceeded", "[ SYN Attack]": the ASA drops above the rate), 733101
 * "is attacking" / "is targeted", 400000-400050 the built-in IPS signatures, 338001-338004 the
 * botnet traffic filter's monitored hits and 338005-338008 its drops, 430001 and 430002 FTD's
 * intrusion events. Access-list denies (106001-106023, 106100) are a firewall doing its job.
 */
final class CiscoAsa implements ProductReader {

    private static final Pattern FROM = Pattern.compile("\\b(?:from|src) (?:[\\w-]+:)?([0-9A-Fa-f.:]*[0-9A-Fa-f])(?:/\\d+|\\(| )");
    private static final Pattern TO = Pattern.compile("\\b(?:to|dst) (?:[\\w-]+:)?([0-9A-Fa-f.:]*[0-9A-Fa-f])(?:/\\d+|\\(| )");

    @Override
    public String id() {
        return "cisco-asa";
    }

    @Override
    public String name() {
        return "Cisco ASA / Firepower Threat Defense";
    }

    @Override
    public List<String> yields() {
        return List.of("alert.kind=attack,scan,dos,c2,firewall");
    }

    @Override
    public boolean mayRead(Probe p) {
        return p.record();
    }

    @Override
    public Reading read(Event e) {
        String facility = e.fields().get("cisco.facility");
        if (facility == null || !(facility.equals("ASA") || facility.equals("FTD") || facility.equals("PIX") || facility.equals("FWSM"))) {
            return null;
        }
        Reading r = new Reading().fromSecurityDevice();
        String id = e.fields().getOrDefault("cisco.mnemonic", "");
        String m = e.message() == null ? "" : e.message();
        Matcher from = FROM.matcher(m);
        if (from.find()) {
            r.put("alert.src", from.group(1)); // "from inside:10.1.1.1/33340", "src outside:203.0.113.7/4444"
            Matcher to = TO.matcher(m);
            if (to.find(from.end())) {
                r.put("alert.dst", to.group(1));
            }
        }
        int n;
        try {
            n = Integer.parseInt(id);
        } catch (NumberFormatException x) {
            return r.alert("other", null, null);
        }
        if (n == 733100) {
            String what = m.startsWith("[") && m.indexOf(']') > 0 ? m.substring(1, m.indexOf(']')).strip() : m;
            String kind = what.toLowerCase(Locale.ROOT).contains("scan") ? "scan" : "dos";
            return r.alert(kind, "blocked", what);
        }
        if (n == 733101) {
            return r.alert("scan", "detected", m);
        }
        if (n >= 400000 && n <= 400050) {
            return r.alert("attack", "detected", m.contains(" from ") ? m.substring(0, m.indexOf(" from ")) : m);
        }
        if (n >= 338001 && n <= 338008) {
            return r.alert("c2", n >= 338005 ? "blocked" : "detected", "Botnet Traffic Filter: " + m.replaceFirst(" from .*", ""));
        }
        if (n == 430001 || n == 430002) {
            return r.alert("attack", m.contains("Block") ? "blocked" : "detected", m);
        }
        if (n >= 106001 && n <= 106103) {
            return r.alert("firewall", m.contains("denied") || m.startsWith("Deny") ? "blocked" : null, null);
        }
        return r.alert("other", null, null);
    }
}
