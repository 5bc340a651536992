package csirt.agent.parse.products;

import java.util.List;
import java.util.Map;

import csirt.agent.parse.AvAction;
import csirt.agent.parse.AvAlert;
import csirt.agent.parse.Event;
import csirt.agent.parse.KeyValues;

/**
 * Sophos Firewall (SFOS, formerly XG) syslog ("Sophos Firewall log file details", Sophos docs):
 * key=value pairs from {@code device="SFW"}, with {@code log_type} IDP (intrusion prevention,
 * {@code log_subtype} Drop or Detect), Anti-Virus, ATP (advanced threat protection: hosts talking
 * to botnets and C&amp;C servers), Sandbox, Firewall...; the device is {@code device_name}.
 */
final class SophosFirewall implements ProductReader {

    @Override
    public String id() {
        return "sophos-firewall";
    }

    @Override
    public String name() {
        return "Sophos Firewall (XG, SFOS)";
    }

    @Override
    public List<String> yields() {
        return List.of("av.", "alert.kind=attack,c2,firewall");
    }

    @Override
    public boolean mayRead(Probe p) {
        return p.pairs();
    }

    @Override
    public Reading read(Event e) {
        String m = e.message();
        if (m == null || !(m.contains("device=\"SFW\"") || m.contains("log_type=") && m.contains("log_component="))) {
            return null;
        }
        Map<String, String> kv = KeyValues.parse(m, "sophos.");
        Reading r = new Reading(kv).fromSecurityDevice();
        r.host(kv.get("sophos.device_name"));
        r.put("alert.src", kv.get("sophos.src_ip")).put("alert.dst", kv.get("sophos.dst_ip")).put("alert.user", kv.get("sophos.user_name"));
        String type = kv.getOrDefault("sophos.log_type", "");
        String subtype = kv.getOrDefault("sophos.log_subtype", "");
        boolean blocked = !subtype.equalsIgnoreCase("Detect") && !subtype.equalsIgnoreCase("Alert") && !subtype.equalsIgnoreCase("Allowed");
        switch (type) {
            case "IDP":
                return r.alert("attack", blocked ? "blocked" : "detected", kv.get("sophos.signature_msg"));
            case "ATP":
                return r.alert("c2", blocked ? "blocked" : "detected", kv.getOrDefault("sophos.threatname", kv.get("sophos.malware")));
            case "Anti-Virus":
            case "Sandbox":
            case "Anti-Spam":
                String virus = kv.get("sophos.virus");
                if (virus != null && !virus.isBlank() && !type.equals("Anti-Spam")) {
                    String where = kv.getOrDefault("sophos.filename", kv.get("sophos.url"));
                    r.av = new AvAlert("Sophos Firewall", virus, where, AvAction.BLOCKED);
                }
                return r.alert("other", null, virus);
            case "Firewall":
                return r.alert("firewall", blocked ? "blocked" : "detected", kv.get("sophos.fw_rule_id"));
            default:
                return r.alert("other", null, null);
        }
    }
}
