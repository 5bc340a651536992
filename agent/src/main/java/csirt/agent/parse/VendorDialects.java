package csirt.agent.parse;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Syslog as common network devices really send it, which RFC 3164 parsing gets wrong:
 * <ul>
 * <li>Cisco IOS: {@code <189>52: router1: *Nov 26 09:00:00.123 JST: %LINK-3-UPDOWN: Interface Gi0/1,
 * changed state to down} — a sequence number, an optional host, "*" for an unsynchronised clock,
 * milliseconds and a zone name, then {@code %FACILITY-SEVERITY-MNEMONIC}.</li>
 * <li>FortiGate: {@code <189>date=2026-11-26 time=09:00:00 devname="FGT60F" ... type="utm"
 * subtype="virus" ...} — no header at all, only key=value pairs, the device named by devname.</li>
 * </ul>
 */
final class VendorDialects {

    private static final Pattern CISCO = Pattern.compile(
            "^(?:(\\d+): )?(?:([\\w.-]+): )?[*.]?([A-Z][a-z]{2}) +(\\d{1,2}) (?:\\d{4} )?(\\d\\d):(\\d\\d):(\\d\\d)(?:\\.\\d+)?(?: ([A-Z]{2,5}))?: "
                    + "%([A-Z0-9_]+)-([0-7])-([A-Z0-9_]+): (.*)$", Pattern.DOTALL);
    private static final Pattern KV = Pattern.compile("([\\w-]+)=(\"(?:[^\"\\\\]|\\\\.)*\"|\\S*)");

    private VendorDialects() {
    }

    /** True when {@code rest} (after PRI) was a Cisco IOS message and {@code f} is filled. */
    static boolean cisco(String rest, ParsedFields f, ZoneId zone, Instant receivedAt) {
        if (rest.indexOf('%') < 0) {
            return false;
        }
        Matcher m = CISCO.matcher(rest);
        if (!m.matches()) {
            return false;
        }
        f.format = Format.RFC3164;
        ZoneId z = "UTC".equals(m.group(8)) || "GMT".equals(m.group(8)) ? ZoneOffset.UTC : zone;
        f.timestamp = Rfc3164Parser.inferYear(m.group(3), Integer.parseInt(m.group(4)), Integer.parseInt(m.group(5)),
                Integer.parseInt(m.group(6)), Integer.parseInt(m.group(7)), z, receivedAt);
        f.host = m.group(2);
        f.app = m.group(9);
        f.msgId = m.group(9) + "-" + m.group(10) + "-" + m.group(11);
        f.message = m.group(12);
        Map<String, String> fields = new LinkedHashMap<>();
        if (m.group(1) != null) {
            fields.put("cisco.seq", m.group(1));
        }
        fields.put("cisco.facility", m.group(9));
        fields.put("cisco.severity", m.group(10));
        fields.put("cisco.mnemonic", m.group(11));
        f.fields = fields;
        return true;
    }

    /** True when {@code rest} was a FortiGate key=value message and {@code f} is filled. */
    static boolean fortigate(String rest, ParsedFields f, ZoneId zone) {
        if (!rest.startsWith("date=") || !rest.contains("devname=")) {
            return false;
        }
        Map<String, String> kv = new LinkedHashMap<>();
        Matcher m = KV.matcher(rest);
        while (m.find()) {
            String v = m.group(2);
            if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
                v = v.substring(1, v.length() - 1).replace("\\\"", "\"");
            }
            kv.put("fortigate." + m.group(1), v);
        }
        f.format = Format.RFC3164;
        f.host = kv.get("fortigate.devname");
        f.app = "fortigate";
        String type = kv.get("fortigate.type");
        String subtype = kv.get("fortigate.subtype");
        f.msgId = type == null ? null : subtype == null ? type : type + "/" + subtype;
        f.message = rest;
        f.timestamp = time(kv, zone);
        putIf(kv, "alert.src", kv.get("fortigate.srcip"));
        putIf(kv, "alert.dst", kv.get("fortigate.dstip"));
        putIf(kv, "alert.user", kv.get("fortigate.user"));
        if ("virus".equals(subtype) && kv.get("fortigate.virus") != null) {
            String path = kv.getOrDefault("fortigate.filename", kv.get("fortigate.url"));
            f.av = new AvAlert("Fortinet FortiGate", kv.get("fortigate.virus"), path, SecurityAlerts.action(kv.get("fortigate.action")));
        }
        f.fields = kv;
        return true;
    }

    private static Instant time(Map<String, String> kv, ZoneId zone) {
        String date = kv.get("fortigate.date");
        String time = kv.get("fortigate.time");
        if (date == null || time == null) {
            return null;
        }
        try {
            LocalDateTime t = LocalDateTime.parse(date + "T" + time);
            String tz = kv.get("fortigate.tz"); // "+0900" on FortiOS 6.2 and later
            if (tz != null && tz.matches("[+-]\\d{4}")) {
                return t.atOffset(ZoneOffset.of(tz.substring(0, 3) + ":" + tz.substring(3))).toInstant();
            }
            return t.atZone(zone).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static void putIf(Map<String, String> m, String k, String v) {
        if (v != null && !v.isEmpty()) {
            m.put(k, v);
        }
    }
}
