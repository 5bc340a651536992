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

    /**
     * Cisco IOS, NX-OS and the devices that copy them (Arista): an optional ": " (NX-OS), sequence
     * number, device id, then a time ("Mmm dd hh:mm:ss", NX-OS's "yyyy Mmm dd hh:mm:ss", an
     * uptime such as "1w2d" or "00:01:23", with "*" or "." for an unsynchronised clock and a zone
     * name), then {@code %FACILITY-SEVERITY-MNEMONIC:}.
     */
    private static final Pattern CISCO = Pattern.compile(
            "^(?::\\s*)?(?:(\\d+): )?(?:(?!\\d+[ywd]\\d+[wdh]: )([\\w.-]+): )?"
                    + "(?:(?:[*.]?(?:(\\d{4}) )?([A-Z][a-z]{2}) +(\\d{1,2}) (?:(\\d{4}) )?(\\d\\d):(\\d\\d):(\\d\\d)(?:\\.\\d+)?(?: ([A-Z]{2,5}))?"
                    + "|(\\d+[ywd]\\d+[wdh]|\\d+:\\d\\d:\\d\\d(?:\\.\\d+)?)): )?"
                    + "%([A-Z0-9_]+(?:-[A-Z0-9_]+)?)-([0-7])-([A-Z0-9_]+): (.*)$", Pattern.DOTALL);
    /**
     * Cisco ASA, FTD, PIX and FWSM ("Cisco ASA Series Syslog Messages"): an optional "Mmm dd yyyy
     * hh:mm:ss" (logging timestamp), an optional device id, then {@code %ASA-level-nnnnnn:}.
     */
    private static final Pattern ASA = Pattern.compile(
            "^(?:(?:([A-Z][a-z]{2}) +(\\d{1,2})(?: (\\d{4}))? (\\d\\d):(\\d\\d):(\\d\\d)(?:\\.\\d+)?(?: ([A-Z]{3,4})(?=:))?"
                    + "|(\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(?:\\.\\d+)?(?:Z|[+-]\\d\\d:\\d\\d)?))?(?: ?([^\\s:%]+))? ?:? ?)?"
                    + "%(ASA|FTD|PIX|FWSM)-(?:[a-z]+-)?([0-7])-(\\d{6}):? ?(.*)$", Pattern.DOTALL);
    /** "Feb 14 2022 05:15:47 host ...": a BSD time with the year (Cisco "logging timestamp year", Trend Micro Apex Central, QRadar forwarding). */
    private static final Pattern YEAR_TIME = Pattern.compile("^([A-Z][a-z]{2}) +(\\d{1,2}) (\\d{4}) (\\d\\d):(\\d\\d):(\\d\\d)(?:\\.\\d{1,6})? ");
    private static final Pattern ISO_SPLIT = Pattern.compile("^(.*?)(Z|[+-]\\d\\d:\\d\\d)?$");
    /** Sophos UTM's own timestamp: "2021:05:19-16:37:28 host prog[pid]: ..." */
    private static final Pattern UTM_TIME = Pattern.compile("^(\\d{4}):(\\d\\d):(\\d\\d)-(\\d\\d):(\\d\\d):(\\d\\d) ");

    private VendorDialects() {
    }

    /** True when {@code rest} (after PRI) was a Cisco IOS or NX-OS message and {@code f} is filled. */
    static boolean cisco(String rest, ParsedFields f, ZoneId zone, Instant receivedAt) {
        int pct = rest.indexOf('%');
        if (pct < 0 || pct > 80) {
            return false;
        }
        Matcher m = CISCO.matcher(rest);
        if (!m.matches()) {
            return false;
        }
        f.format = Format.RFC3164;
        if (m.group(4) != null) {
            ZoneId z = "UTC".equals(m.group(10)) || "GMT".equals(m.group(10)) ? ZoneOffset.UTC : zone;
            String year = m.group(3) != null ? m.group(3) : m.group(6);
            int day = Integer.parseInt(m.group(5));
            int hh = Integer.parseInt(m.group(7));
            int mi = Integer.parseInt(m.group(8));
            int ss = Integer.parseInt(m.group(9));
            if (year != null) {
                try {
                    f.timestamp = LocalDateTime.of(Integer.parseInt(year), monthOf(m.group(4)), day, hh, mi, ss).atZone(z).toInstant();
                } catch (java.time.DateTimeException | IllegalArgumentException e) {
                    f.timestamp = null;
                }
            } else {
                f.timestamp = Rfc3164Parser.inferYear(m.group(4), day, hh, mi, ss, z, receivedAt);
            }
        } else if (m.group(11) != null) {
            f.variant("Cisco uptime instead of a time"); // "service timestamps log uptime": the receipt gives the time
        }
        f.variant("Cisco IOS");
        f.host = m.group(2);
        f.app = m.group(12);
        f.msgId = m.group(12) + "-" + m.group(13) + "-" + m.group(14);
        f.message = m.group(15);
        Map<String, String> fields = new LinkedHashMap<>();
        if (m.group(1) != null) {
            fields.put("cisco.seq", m.group(1));
        }
        fields.put("cisco.facility", m.group(12));
        fields.put("cisco.severity", m.group(13));
        fields.put("cisco.mnemonic", m.group(14));
        f.fields = fields;
        return true;
    }

    /**
     * A header other than RFC 3164's or 5424's, at {@code from} (after the PRI, or at 0 when there
     * is none): Cisco ASA and IOS, FortiGate's key=value line, Sophos UTM's timestamp, RFC 5424
     * without its VERSION. True when {@code f} is filled; {@code bsdTime} when an RFC 3164
     * timestamp starts at {@code from}, which only the Cisco ones may follow.
     */
    static boolean header(String s, int from, boolean bsdTime, ParsedFields f, ZoneId zone, Instant receivedAt) {
        // (the cheap tests first: most lines are none of these, and the rest of a line is a copy)
        if (s.indexOf('%', from) >= 0) {
            String rest = s.substring(from);
            if (asa(rest, f, zone, receivedAt) || cisco(rest, f, zone, receivedAt)) {
                return true;
            }
        }
        if (bsdTime) {
            return false; // an RFC 3164 timestamp: none of the headers below starts so
        }
        if ((s.startsWith("date=", from) || s.startsWith("logver=", from) || s.startsWith("eventtime=", from))
                && fortigate(s.substring(from), f, zone)) {
            return true;
        }
        if (s.length() > from + 20 && s.charAt(from + 4) == ':' && s.charAt(from + 10) == '-') {
            Matcher m = UTM_TIME.matcher(s).region(from, s.length());
            if (m.lookingAt()) {
                try {
                    f.timestamp = LocalDateTime.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)),
                            Integer.parseInt(m.group(4)), Integer.parseInt(m.group(5)), Integer.parseInt(m.group(6))).atZone(zone).toInstant();
                } catch (java.time.DateTimeException e) {
                    f.timestamp = null;
                }
                // the rest is RFC 3164's: HOSTNAME TAG: CONTENT, parsed after a timestamp we give it
                Rfc3164Parser.parseAfterTime(s, m.end(), f);
                f.variant("Sophos UTM timestamp");
                return true;
            }
        }
        if (s.length() > from + 21 && s.charAt(from + 3) == ' ' && Character.isUpperCase(s.charAt(from)) && yearAfterDay(s, from + 4)) {
            Matcher y = YEAR_TIME.matcher(s).region(from, s.length());
            if (y.lookingAt()) {
                try {
                    f.timestamp = LocalDateTime.of(Integer.parseInt(y.group(3)), monthOf(y.group(1)), Integer.parseInt(y.group(2)),
                            Integer.parseInt(y.group(4)), Integer.parseInt(y.group(5)), Integer.parseInt(y.group(6))).atZone(zone).toInstant();
                } catch (java.time.DateTimeException | IllegalArgumentException e) {
                    return false; // not a month name after all
                }
                Rfc3164Parser.parseAfterTime(s, y.end(), f);
                f.variant("year in the timestamp");
                return true;
            }
        }
        if (Rfc5424Parser.withoutVersion(s, from)) {
            Rfc5424Parser.parseAfterVersion(s, from, f);
            f.variant("RFC 5424 without VERSION");
            return true;
        }
        return false;
    }

    /** True when {@code rest} was a Cisco ASA (FTD, PIX, FWSM) message and {@code f} is filled. */
    static boolean asa(String rest, ParsedFields f, ZoneId zone, Instant receivedAt) {
        int pct = rest.indexOf('%');
        if (pct < 0 || pct > 60 || !(rest.startsWith("ASA-", pct + 1) || rest.startsWith("FTD-", pct + 1)
                || rest.startsWith("PIX-", pct + 1) || rest.startsWith("FWSM-", pct + 1))) {
            return false;
        }
        Matcher m = ASA.matcher(rest);
        if (!m.matches()) {
            return false;
        }
        f.format = Format.RFC3164;
        f.variant("Cisco ASA");
        if (m.group(1) != null) {
            ZoneId z = "UTC".equals(m.group(7)) || "GMT".equals(m.group(7)) ? ZoneOffset.UTC : zone;
            int day = Integer.parseInt(m.group(2));
            int hh = Integer.parseInt(m.group(4));
            int mi = Integer.parseInt(m.group(5));
            int ss = Integer.parseInt(m.group(6));
            if (m.group(3) != null) {
                try {
                    f.timestamp = LocalDateTime.of(Integer.parseInt(m.group(3)), monthOf(m.group(1)), day, hh, mi, ss).atZone(z).toInstant();
                } catch (java.time.DateTimeException | IllegalArgumentException e) {
                    f.timestamp = null;
                }
            } else {
                f.timestamp = Rfc3164Parser.inferYear(m.group(1), day, hh, mi, ss, z, receivedAt);
            }
        } else if (m.group(8) != null) {
            Matcher iso = ISO_SPLIT.matcher(m.group(8));
            f.timestamp = iso.matches() ? Rfc3164Parser.isoTime(iso.group(1), iso.group(2), zone) : null;
        }
        String host = m.group(9);
        f.host = host == null || host.startsWith("<") ? null : host;
        f.app = m.group(10);
        f.msgId = m.group(10) + "-" + m.group(11) + "-" + m.group(12);
        f.severity = f.severity < 0 ? Integer.parseInt(m.group(11)) : f.severity;
        f.message = m.group(13);
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("cisco.facility", m.group(10));
        fields.put("cisco.severity", m.group(11));
        fields.put("cisco.mnemonic", m.group(12));
        f.fields = fields;
        return true;
    }

    /** Whether "dd yyyy " (day padded or not) starts at {@code i}: the cheap test before {@link #YEAR_TIME}. */
    private static boolean yearAfterDay(String s, int i) {
        while (i < s.length() && s.charAt(i) == ' ') {
            i++;
        }
        int d = i;
        while (i < s.length() && i - d < 2 && Character.isDigit(s.charAt(i))) {
            i++;
        }
        if (i == d || i + 5 >= s.length() || s.charAt(i) != ' ') {
            return false;
        }
        for (int k = i + 1; k <= i + 4; k++) {
            if (!Character.isDigit(s.charAt(k))) {
                return false;
            }
        }
        return s.charAt(i + 5) == ' ';
    }

    private static int monthOf(String name) {
        int i = "JanFebMarAprMayJunJulAugSepOctNovDec".indexOf(name);
        if (i < 0 || i % 3 != 0) {
            throw new IllegalArgumentException(name);
        }
        return i / 3 + 1;
    }

    /** True when {@code rest} was a FortiGate key=value message and {@code f} is filled. */
    static boolean fortigate(String rest, ParsedFields f, ZoneId zone) {
        // FortiOS writes date= first, logver= or eventtime= on some versions and FortiAnalyzer
        // forwards; devname is left out when "set format" drops it: then the sender is the device.
        if (!(rest.contains(" logid=") || rest.contains(" devid=") || rest.contains("devname=")) || !rest.contains(" type=")) {
            return false;
        }
        Map<String, String> kv = KeyValues.parse(rest, "fortigate.");
        f.format = Format.RFC3164;
        f.variant("FortiGate key=value");
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
