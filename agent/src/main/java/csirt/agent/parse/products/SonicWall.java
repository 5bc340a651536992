package csirt.agent.parse.products;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import csirt.agent.parse.AvAction;
import csirt.agent.parse.AvAlert;
import csirt.agent.parse.Event;
import csirt.agent.parse.KeyValues;

/**
 * SonicWall SonicOS syslog (SonicOS Log Events Reference Guide): {@code id=firewall sn=... time=...
 * fw=... pri=... c=... m=... msg="..."} key=value pairs, the event's meaning in {@code msg}:
 * "IPS Prevention Alert" (dropped) and "IPS Detection Alert" (seen), "Possible port scan
 * detected", "Gateway Anti-Virus Alert", "Anti-Spyware Prevention Alert", botnet filtering, floods.
 */
final class SonicWall implements ProductReader {

    @Override
    public String id() {
        return "sonicwall";
    }

    @Override
    public String name() {
        return "SonicWall (SonicOS)";
    }

    @Override
    public List<String> yields() {
        return List.of("av.", "alert.kind=attack,scan,dos,c2,firewall");
    }

    @Override
    public boolean mayRead(Probe p) {
        return p.pairs();
    }

    @Override
    public Reading read(Event e) {
        String m = e.message();
        if (m == null || !(m.startsWith("id=") || m.contains(" id=firewall")) || !m.contains(" sn=")) {
            return null;
        }
        Map<String, String> kv = KeyValues.parse(m, "sonicwall.");
        Reading r = new Reading(kv).fromSecurityDevice();
        r.put("alert.src", hostPart(kv.get("sonicwall.src"))).put("alert.dst", hostPart(kv.get("sonicwall.dst"))).put("alert.user", kv.get("sonicwall.usr"));
        String msg = kv.getOrDefault("sonicwall.msg", "");
        String t = msg.toLowerCase(Locale.ROOT);
        String action = kv.getOrDefault("sonicwall.fw_action", "").toLowerCase(Locale.ROOT);
        boolean dropped = t.contains("prevention") || action.equals("drop") || t.contains("dropped") || t.contains("blocked");
        String sig = kv.getOrDefault("sonicwall.ipscat", msg.contains(": ") ? msg.substring(msg.indexOf(": ") + 2) : msg);
        if (t.contains("anti-virus") || t.contains("gav")) {
            r.av = new AvAlert("SonicWall Gateway Anti-Virus", sig, kv.get("sonicwall.dstname"), AvAction.BLOCKED);
            return r.alert("other", "blocked", sig);
        }
        if (t.contains("botnet") || t.contains("spyware")) {
            return r.alert("c2", dropped ? "blocked" : "detected", sig);
        }
        if (t.contains("flood")) {
            return r.alert("dos", "blocked", msg);
        }
        if (t.contains("port scan")) {
            return r.alert("scan", "detected", msg);
        }
        if (t.startsWith("ips ")) {
            // ipspri 3 is SonicOS's Low priority: informational signatures (ICMP echo replies), not attacks
            boolean low = "3".equals(kv.get("sonicwall.ipspri")) && !dropped;
            return r.alert(low ? "other" : "attack", dropped ? "blocked" : "detected", sig);
        }
        return r.alert(t.contains("connection") || t.contains("packet") ? "firewall" : "other", null, null);
    }

    /** "192.0.2.1:443:X1:name" is address, port, interface and name. */
    private static String hostPart(String v) {
        if (v == null || v.isEmpty() || v.startsWith(":")) {
            return null;
        }
        int c = v.indexOf(':');
        return c < 0 ? v : v.substring(0, c); // IPv6 addresses come in srcV6 and dstV6
    }
}
