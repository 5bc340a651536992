package csirt.agent.parse.products;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import csirt.agent.parse.AvAction;
import csirt.agent.parse.AvAlert;
import csirt.agent.parse.Event;
import csirt.agent.parse.KeyValues;

/**
 * Sophos UTM (formerly Astaro) syslog: {@code id="2001" severity="info" sys="SecureNet"
 * sub="packetfilter" name="Packet dropped" action="drop" ...}. {@code sub="ips"} is its intrusion
 * prevention ({@code name="Intrusion protection alert"}, {@code action} drop or alert,
 * {@code reason} the rule), {@code sys="SecureWeb"} its web proxy, whose virus scanner names the
 * virus in {@code virus=...}.
 */
final class SophosUtm implements ProductReader {

    @Override
    public String id() {
        return "sophos-utm";
    }

    @Override
    public String name() {
        return "Sophos UTM";
    }

    @Override
    public List<String> yields() {
        return List.of("av.", "alert.kind=attack,scan,dos,firewall");
    }

    @Override
    public boolean mayRead(Probe p) {
        return p.pairs();
    }

    @Override
    public Reading read(Event e) {
        String m = e.message();
        if (m == null || !(m.contains("sys=\"Secure") || m.contains("sys=\"System\"")) || !m.contains("sub=\"")) {
            return null;
        }
        Map<String, String> kv = KeyValues.parse(m, "utm.");
        Reading r = new Reading(kv).fromSecurityDevice();
        r.put("alert.src", kv.get("utm.srcip")).put("alert.dst", kv.get("utm.dstip")).put("alert.user", kv.get("utm.user"));
        String sub = kv.getOrDefault("utm.sub", "");
        String action = kv.getOrDefault("utm.action", "");
        boolean blocked = action.equals("drop") || action.equals("block") || action.equals("reject");
        String virus = kv.get("utm.virus");
        if (virus != null && !virus.isBlank() && !virus.equals("-")) {
            r.av = new AvAlert("Sophos UTM", virus, kv.get("utm.url"), AvAction.BLOCKED);
            return r.alert("other", "blocked", virus);
        }
        if (sub.equals("ips")) {
            String name = kv.getOrDefault("utm.name", "");
            String kind = name.toLowerCase(Locale.ROOT).contains("flood") ? "dos"
                    : name.toLowerCase(Locale.ROOT).contains("portscan") ? "scan" : "attack";
            return r.alert(kind, blocked ? "blocked" : "detected", kv.getOrDefault("utm.reason", name));
        }
        if (sub.equals("packetfilter")) {
            return r.alert("firewall", blocked ? "blocked" : "detected", kv.get("utm.fwrule"));
        }
        return r.alert("other", null, null);
    }
}
