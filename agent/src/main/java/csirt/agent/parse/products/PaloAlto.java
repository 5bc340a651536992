package csirt.agent.parse.products;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import csirt.agent.parse.AvAction;
import csirt.agent.parse.AvAlert;
import csirt.agent.parse.Event;

/**
 * Palo Alto Networks PAN-OS syslog in its default CSV format ("Syslog Field Descriptions",
 * PAN-OS Administrator's Guide): {@code FUTURE_USE,Receive Time,Serial Number,Type,Threat/Content
 * Type,...}. THREAT records name their subtype (virus, wildfire-virus, spyware — anti-spyware's
 * command-and-control detections —, vulnerability, scan, flood, url, file, data), the action
 * (field 31: alert, allow, deny, drop, reset-client, reset-server, reset-both, block-url,
 * sinkhole) and the threat (field 33).
 */
final class PaloAlto implements ProductReader {

    @Override
    public String id() {
        return "paloalto";
    }

    @Override
    public String name() {
        return "Palo Alto Networks (PAN-OS)";
    }

    @Override
    public List<String> yields() {
        return List.of("av.", "alert.kind=attack,scan,dos,c2,firewall");
    }

    @Override
    public boolean mayRead(Probe p) {
        return p.comma() && !p.message().isEmpty() && Character.isDigit(p.message().charAt(0));
    }

    @Override
    public Reading read(Event e) {
        String m = e.message();
        if (m == null || m.length() < 30 || !Character.isDigit(m.charAt(0)) || m.charAt(1) != ',' || m.charAt(6) != '/') {
            return null;
        }
        List<String> c = csv(m);
        if (c.size() < 5) {
            return null;
        }
        String type = c.get(3);
        if (!List.of("THREAT", "TRAFFIC", "SYSTEM", "CONFIG", "URL", "DATA", "WILDFIRE", "GLOBALPROTECT", "HIPMATCH", "USERID", "AUTH",
                "DECRYPTION", "TUNNEL", "CORRELATION").contains(type)) {
            return null;
        }
        Reading r = new Reading().fromSecurityDevice();
        r.put("paloalto.type", type).put("paloalto.subtype", c.get(4));
        if (c.size() > 8) {
            r.put("alert.src", c.get(7)).put("alert.dst", c.get(8));
        }
        if (c.size() > 12) {
            r.put("alert.user", c.get(12));
        }
        String action = c.size() > 30 ? c.get(30) : "";
        r.put("paloalto.action", action);
        boolean blocked = !action.isEmpty() && !action.equals("alert") && !action.equals("allow");
        if (!type.equals("THREAT")) {
            return r.alert(type.equals("TRAFFIC") ? "firewall" : "other", blocked ? "blocked" : null, null);
        }
        String threat = c.size() > 32 ? c.get(32) : null;
        r.put("paloalto.threat", threat);
        String subtype = c.get(4).toLowerCase(Locale.ROOT);
        switch (subtype) {
            case "virus":
            case "wildfire-virus":
            case "wildfire":
                if (subtype.equals("wildfire") && (c.size() <= 33 || !"malicious".equalsIgnoreCase(c.get(33)))) {
                    return r.alert("other", null, threat);
                }
                r.av = new AvAlert("Palo Alto Networks", threat, c.size() > 31 ? c.get(31) : null, blocked ? AvAction.BLOCKED : AvAction.DETECTED);
                return r.alert("other", blocked ? "blocked" : "detected", threat);
            case "spyware":
                return r.alert("c2", blocked ? "blocked" : "detected", threat);
            case "vulnerability":
                return r.alert("attack", blocked ? "blocked" : "detected", threat);
            case "scan":
                return r.alert("scan", blocked ? "blocked" : "detected", threat);
            case "flood":
                return r.alert("dos", blocked ? "blocked" : "detected", threat);
            default:
                return r.alert("other", blocked ? "blocked" : null, threat);
        }
    }

    /** CSV as PAN-OS writes it: fields in double quotes may hold commas, a quote doubled inside. */
    static List<String> csv(String s) {
        List<String> out = new ArrayList<>(64);
        StringBuilder b = new StringBuilder();
        boolean q = false;
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (q) {
                if (ch == '"') {
                    if (i + 1 < s.length() && s.charAt(i + 1) == '"') {
                        b.append('"');
                        i++;
                    } else {
                        q = false;
                    }
                } else {
                    b.append(ch);
                }
            } else if (ch == '"') {
                q = true;
            } else if (ch == ',') {
                out.add(b.toString().strip());
                b.setLength(0);
            } else {
                b.append(ch);
            }
        }
        out.add(b.toString().strip());
        return out;
    }
}
