package csirt.agent.parse.products;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import csirt.agent.parse.Event;

/**
 * CEF and LEEF records from the network security products that write them (IPS, next-generation
 * firewalls, WAFs, sandboxes): a record only such a product writes makes its sender a security
 * device when the inventory does not say otherwise, and its attack becomes {@code alert.kind}
 * attack (blocked when {@code act} or {@code outcome} says so). Antivirus findings in CEF are
 * read by the generic normalisation; Trend Micro Apex Central and Carbon Black are tagged here.
 */
final class CefSecurityDevices implements ProductReader {

    /** Vendor and product words of network security products (CEF header fields 2 and 3). */
    private static final List<String> DEVICES = List.of("fortinet", "palo alto", "check point", "checkpoint", "tippingpoint", "sourcefire",
            "firepower", "snort", "suricata", "imperva", "f5", "network security platform", "deep discovery", "deep security", "juniper",
            "sophos|xg", "barracuda", "zscaler", "fireeye", "trellix|nx", "cisco|asa", "stormshield", "watchguard", "hillstone", "yamaha");

    @Override
    public String id() {
        return "cef";
    }

    @Override
    public String name() {
        return "CEF / LEEF records (ArcSight Common Event Format, IBM LEEF)";
    }

    @Override
    public List<String> yields() {
        return List.of("av.", "alert.kind=attack,scan,dos,c2,firewall");
    }

    @Override
    public boolean mayRead(Probe p) {
        return p.record();
    }

    @Override
    public Reading read(Event e) {
        Map<String, String> f = e.fields();
        String p = f.containsKey("cef.vendor") ? "cef." : f.containsKey("leef.vendor") ? "leef." : null;
        if (p == null) {
            return null;
        }
        String vendor = f.getOrDefault(p + "vendor", "");
        String product = f.getOrDefault(p + "product", "");
        String vp = (vendor + "|" + product).toLowerCase(Locale.ROOT);
        Reading r = new Reading();
        if (vp.startsWith("trend micro|apex") || vp.startsWith("trend micro|officescan") || vp.startsWith("trend micro|control manager")) {
            r.put("product.name", "Trend Micro Apex One");
            return r;
        }
        if (vp.startsWith("carbonblack") || vp.startsWith("carbon black") || vp.startsWith("cb|")) {
            return carbonBlack(f, p, r);
        }
        boolean device = false;
        for (String d : DEVICES) {
            if (vp.contains(d)) {
                device = true;
                break;
            }
        }
        if (!device) {
            return r;
        }
        r.fromSecurityDevice();
        String name = String.join(" ", f.getOrDefault(p + "name", ""), f.getOrDefault(p + "class", ""), f.getOrDefault(p + "cat", ""))
                .toLowerCase(Locale.ROOT);
        String act = String.join(" ", f.getOrDefault(p + "act", ""), f.getOrDefault(p + "outcome", "")).toLowerCase(Locale.ROOT);
        boolean blocked = act.contains("block") || act.contains("drop") || act.contains("deny") || act.contains("reset") || act.contains("prevent")
                || act.contains("reject");
        String kind = name.contains("botnet") || name.contains("c&c") || name.contains("command and control") ? "c2"
                : name.contains("scan") ? "scan" : name.contains("flood") || name.contains("dos") ? "dos"
                : name.contains("traffic") || name.contains("connection") ? "firewall" : "attack";
        return r.alert(kind, blocked ? "blocked" : "detected", f.getOrDefault(p + "name", f.get(p + "class")));
    }

    /**
     * Carbon Black Cloud's syslog connector ("CbDefense_Syslog_Connector"): Active_Threat and
     * Threat_Hunter notifications name what ran ({@code act=Alert}: seen), Policy_Action records what
     * the sensor stopped ({@code act} of a block or terminate).
     */
    private static Reading carbonBlack(Map<String, String> f, String p, Reading r) {
        r.host(f.get(p + "dvchost"));
        r.put("alert.user", f.get(p + "duser"));
        String cls = f.getOrDefault(p + "class", "");
        String act = f.getOrDefault(p + "act", "").toLowerCase(Locale.ROOT);
        boolean blocked = act.contains("block") || act.contains("terminat") || act.contains("deny");
        if (cls.equals("Active_Threat") || cls.equals("Policy_Action") || cls.equals("CBC_ALERT")) {
            return r.alert("attack", blocked ? "blocked" : "detected", f.get(p + "name"));
        }
        return r.alert("other", null, null);
    }
}
