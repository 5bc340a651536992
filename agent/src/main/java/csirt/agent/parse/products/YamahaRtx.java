package csirt.agent.parse.products;

import java.util.List;
import java.util.Locale;

import csirt.agent.parse.Event;

/**
 * YAMAHA RTX and NVR routers: they send a PRI and the message only (no time, no host), such as
 * {@code [INSPECT] LAN2[out][200102] TCP ...} for the stateful inspection, {@code LAN2 Rejected
 * at IN(200099) filter TCP ...} for a static filter's reject and {@code [IDS]} for the intrusion
 * detection function ("ip intrusion detection"), which names the attack it saw and whether the
 * packet was discarded ("reject"). Their records make the sender a security device.
 */
final class YamahaRtx implements ProductReader {

    @Override
    public String id() {
        return "yamaha-rtx";
    }

    @Override
    public String name() {
        return "YAMAHA RTX / NVR routers";
    }

    @Override
    public List<String> yields() {
        return List.of("alert.kind=attack,scan,dos,firewall");
    }

    @Override
    public boolean mayRead(Probe p) {
        return p.bare() && (p.message().startsWith("[") || p.message().contains(" Rejected at "));
    }

    @Override
    public Reading read(Event e) {
        String m = e.message();
        boolean inspect = m.startsWith("[INSPECT]");
        boolean filter = m.contains(" Rejected at ") && m.contains(" filter ");
        boolean ids = m.startsWith("[IDS]") || m.contains("] [IDS]") || m.startsWith("IDS ");
        if (!inspect && !filter && !ids) {
            return null;
        }
        Reading r = new Reading().fromSecurityDevice();
        if (!ids) {
            return r.alert("firewall", filter ? "blocked" : null, null);
        }
        String t = m.toLowerCase(Locale.ROOT);
        String kind = t.contains("flood") ? "dos" : t.contains("scan") ? "scan" : "attack";
        boolean blocked = t.contains("reject") || t.contains("discard") || t.contains("破棄");
        String sig = m.replaceFirst("^.*?\\[IDS\\]\\s*", "");
        return r.alert(kind, blocked ? "blocked" : "detected", sig.length() > 120 ? sig.substring(0, 120) : sig);
    }
}
