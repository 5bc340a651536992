package csirt.agent.parse.products;

import static csirt.agent.parse.products.RecordText.tag;
import static csirt.agent.parse.products.RecordText.nz;

import java.util.List;
import java.util.Locale;

import csirt.agent.parse.AvAction;
import csirt.agent.parse.AvAlert;
import csirt.agent.parse.Event;

/**
 * Trellix (McAfee) ePolicy Orchestrator's syslog forwarding of threat events ("Registered
 * servers: syslog server", ePO 5.10 product guide): an {@code <EPOevent>} XML document with the
 * machine ({@code MachineName}, {@code TargetHostName}) and per event {@code ThreatName},
 * {@code ThreatCategory} ({@code av.detect}, {@code av.pup}..., {@code hip.*} and {@code ips.*}
 * for host intrusion prevention), {@code ThreatActionTaken}, {@code ThreatHandled} and
 * {@code TargetFileName}. Read with plain tag lookups: no XML parser sees a sender's document
 * (no entities, no external references).
 */
final class McAfeeEpo implements ProductReader {

    @Override
    public String id() {
        return "trellix-epo";
    }

    @Override
    public String name() {
        return "Trellix (McAfee) ePolicy Orchestrator";
    }

    @Override
    public List<String> yields() {
        return List.of("av.", "alert.kind=attack,scan,firewall");
    }

    @Override
    public boolean mayRead(Probe p) {
        return p.message().indexOf('<') >= 0;
    }

    @Override
    public Reading read(Event e) {
        String m = e.message();
        if (m == null || !(m.contains("<EPOevent") || m.contains("<EPOEvent"))) {
            return null;
        }
        Reading r = new Reading();
        String threat = unescape(tag(m, "ThreatName"));
        String category = nz(unescape(tag(m, "ThreatCategory"))).toLowerCase(Locale.ROOT);
        String taken = unescape(tag(m, "ThreatActionTaken"));
        String handled = unescape(tag(m, "ThreatHandled"));
        r.put("epo.threat_category", category).put("epo.action_taken", taken).put("epo.threat_handled", handled)
                .put("epo.event_id", unescape(tag(m, "EventID"))).put("epo.product", attribute(m, "ProductName"));
        String host = unescape(tag(m, "TargetHostName"));
        r.host(host != null && !host.isBlank() ? host : unescape(tag(m, "MachineName")));
        r.put("alert.user", unescape(tag(m, "TargetUserName"))).put("alert.src", tag(m, "SourceIPV4"));
        AvAction action = action(taken, handled);
        if (category.startsWith("av.") || category.startsWith("fileinfo") || category.contains("malware")) {
            r.av = new AvAlert(nz(attribute(m, "ProductName")).isEmpty() ? "Trellix Endpoint Security" : attribute(m, "ProductName"),
                    threat == null ? "unnamed threat" : threat, unescape(tag(m, "TargetFileName")), action);
            return r.alert("other", null, threat);
        }
        boolean blocked = action != AvAction.DETECTED && action != AvAction.FAILED;
        if (category.startsWith("hip.") || category.startsWith("ips") || category.startsWith("exploit") || category.startsWith("netscan")) {
            // "Self Protection" rules guard the product itself: a process touching its registry keys
            boolean selfProtection = nz(unescape(tag(m, "AnalyzerDetectionMethod"))).contains("Self Protection");
            return r.alert(selfProtection ? "other" : category.startsWith("netscan") ? "scan" : "attack", blocked ? "blocked" : "detected", threat);
        }
        if (category.startsWith("fw.")) {
            return r.alert("firewall", blocked ? "blocked" : null, threat);
        }
        return r.alert("other", null, threat);
    }

    private static AvAction action(String taken, String handled) {
        String t = nz(taken).toLowerCase(Locale.ROOT);
        // ENS writes codes (IDS_ALERT_ACT_TAK_DEL) or words (deleted, blocked, would block)
        if (t.contains("would") || t.contains("none") || t.contains("alert") && !t.contains("act_tak")) {
            return AvAction.DETECTED;
        }
        if (t.contains("fail") || "false".equalsIgnoreCase(nz(handled).strip()) && !t.isEmpty() && !t.contains("block") && !t.contains("den")) {
            return AvAction.FAILED;
        }
        if (t.contains("qua")) {
            return AvAction.QUARANTINED;
        }
        if (t.contains("del") || t.contains("clea") || t.contains("cle")) {
            return AvAction.REMOVED;
        }
        if (t.contains("block") || t.contains("den") || t.contains("blk")) {
            return AvAction.BLOCKED;
        }
        return "true".equalsIgnoreCase(nz(handled).strip()) ? AvAction.BLOCKED : AvAction.DETECTED;
    }


    private static String attribute(String m, String name) {
        int a = m.indexOf(name + "=\"");
        if (a < 0) {
            return null;
        }
        int from = a + name.length() + 2;
        int b = m.indexOf('"', from);
        return b < 0 ? null : unescape(m.substring(from, b));
    }

    private static String unescape(String s) {
        if (s == null) {
            return null;
        }
        return s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'").replace("&amp;", "&");
    }
}
