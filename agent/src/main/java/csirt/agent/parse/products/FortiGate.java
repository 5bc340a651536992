package csirt.agent.parse.products;

import java.util.List;
import java.util.Locale;

import csirt.agent.parse.Event;

/**
 * FortiGate (FortiOS Log Message Reference), already split into {@code fortigate.*} by the header
 * dialect: {@code type="utm"} with {@code subtype} ips (an attack signature, {@code attack=}),
 * anomaly (DoS policies: {@code attack="tcp_syn_flood"}), virus (an antivirus finding, read by the
 * dialect), webfilter, app-ctrl, dns (botnet domains); {@code type="traffic"} is the firewall's
 * session log. {@code action}: dropped, blocked, reset, clear_session mean stopped; detected,
 * pass, passthrough, monitored mean seen only.
 */
final class FortiGate implements ProductReader {

    @Override
    public String id() {
        return "fortigate";
    }

    @Override
    public String name() {
        return "Fortinet FortiGate (FortiOS)";
    }

    @Override
    public List<String> yields() {
        return List.of("av.", "alert.kind=attack,dos,c2,firewall");
    }

    @Override
    public boolean mayRead(Probe p) {
        return p.record();
    }

    @Override
    public Reading read(Event e) {
        if (!"fortigate".equals(e.app()) || e.fields().get("fortigate.type") == null) {
            return null;
        }
        Reading r = new Reading().fromSecurityDevice();
        String type = e.fields().get("fortigate.type");
        String subtype = e.fields().getOrDefault("fortigate.subtype", "");
        String action = e.fields().getOrDefault("fortigate.action", "").toLowerCase(Locale.ROOT);
        boolean blocked = action.startsWith("drop") || action.startsWith("block") || action.startsWith("reset") || action.equals("deny")
                || action.equals("clear_session") || action.equals("blocked");
        String attack = e.fields().get("fortigate.attack");
        String text = String.join(" ", e.fields().getOrDefault("fortigate.attack", ""), e.fields().getOrDefault("fortigate.msg", ""),
                e.fields().getOrDefault("fortigate.catdesc", "")).toLowerCase(Locale.ROOT);
        if (type.equals("traffic")) {
            return r.alert("firewall", blocked ? "blocked" : null, null);
        }
        if (!type.equals("utm")) {
            return r; // system events (a link down, an HA failover) are judged by the message criteria
        }
        switch (subtype) {
            case "ips":
                return r.alert(text.contains("botnet") ? "c2" : "attack", blocked ? "blocked" : "detected", attack);
            case "anomaly":
                return r.alert("dos", blocked ? "blocked" : "detected", attack);
            case "dns":
            case "webfilter":
                if (text.contains("botnet") || text.contains("c&c") || text.contains("command and control")) {
                    return r.alert("c2", blocked ? "blocked" : "detected", e.fields().getOrDefault("fortigate.qname",
                            e.fields().get("fortigate.hostname")));
                }
                return r.alert("other", blocked ? "blocked" : null, null);
            default:
                return r.alert("other", blocked ? "blocked" : null, attack);
        }
    }
}
