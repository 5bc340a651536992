package csirt.agent.triage;

import java.util.List;

import csirt.agent.asset.Asset;
import csirt.agent.parse.Event;

/** The named fields of an event and its asset that criteria can test. */
public final class EventFields {

    /**
     * The answers of a manual report (plan 4(2)② reports from staff, citizens, the city...), as
     * the intake records them; the theft-and-loss decision table tests these.
     */
    public static final List<String> REPORT = List.of(
            "report.kind",        // lost, stolen, leaked, exposed, taken-out
            "report.item",        // device, medium, information
            "report.holds",       // none, non-personal, staff-personal, personal, business, design
            "report.encrypted",   // true, false
            "report.affects_work",// true, false: affects staff work or network operation
            "report.found_safe"); // true: found soon, where no one else could see it

    /** Every field name a criterion may use besides {@code x.*}; the lint rejects others. */
    public static final List<String> NAMES = List.of(
            "format", "parsed", "input", "transport", "host", "app", "procid", "msgid", "facility", "severity",
            "message", "text", "structured_data",
            "av.product", "av.signature", "av.path", "av.action", "av.hash", "av.size", "av.media",
            "alert.host", "alert.user", "alert.src", "alert.dst", "alert.kind", "alert.action", "alert.signature",
            "product", "source.role", "syslog.dialect", "outage.kind", "win.event_id", "win.channel", "win.source",
            "asset.host", "asset.role", "asset.networked", "asset.affects", "asset.criticality",
            "asset.location", "asset.contractor", "asset.encrypted", "asset.known", "asset.removable_drives",
            "report.kind", "report.item", "report.holds", "report.encrypted", "report.affects_work", "report.found_safe");

    /** The prefixes of a record's or a product's own fields, as the parsers name them. */
    private static final List<String> PRODUCT_PREFIXES = List.of("x.", "cef.", "leef.", "json.", "cisco.", "fortigate.", "sep.", "sophos.",
            "utm.", "sonicwall.", "paloalto.", "cylance.", "epo.", "kaspersky.", "win.");

    private EventFields() {
    }

    /**
     * True for the names of {@link #NAMES}, for {@code x.*} (checked against named groups by the
     * lint), and for a CEF or LEEF record's or a device dialect's own fields ({@code cef.act},
     * {@code leef.usrName}, {@code cisco.mnemonic}, {@code fortigate.action}).
     */
    public static boolean known(String name) {
        if (NAMES.contains(name)) {
            return true;
        }
        for (String p : PRODUCT_PREFIXES) {
            if (name.startsWith(p)) {
                return true;
            }
        }
        return false;
    }

    /** Field a product reader sets when the product itself says the medium was removable ("removable" or "fixed"). */
    public static final String PRODUCT_MEDIA = "av.media.product";

    /**
     * Where the detected file was: "removable" (a USB stick, a CD, a card) or "fixed" (the
     * system's own disk, also when the product names no file). The product's own word first
     * (Cylance's Drive Type, ESET's removable-media scanner); then the path: /media, /run/media
     * and /mnt on Linux, and on Windows the drive letters the asset lists as removable_drives, or
     * any letter but C: when it lists none ({@code \?\} and {@code file:///} prefixes read through).
     */
    static String media(Event e, Asset asset) {
        String said = e.fields().get(PRODUCT_MEDIA);
        if (said != null) {
            return said;
        }
        String p = e.av().path();
        if (p == null || p.isBlank()) {
            return "fixed";
        }
        if (p.startsWith("/media/") || p.startsWith("/run/media/") || p.startsWith("/mnt/")) {
            return "removable";
        }
        String w = p.startsWith("\\\\?\\") || p.startsWith("\\\\.\\") ? p.substring(4) : p.regionMatches(true, 0, "file:///", 0, 8) ? p.substring(8) : p;
        if (w.length() >= 3 && Character.isLetter(w.charAt(0)) && w.charAt(1) == ':' && (w.charAt(2) == '\\' || w.charAt(2) == '/')) {
            char letter = Character.toUpperCase(w.charAt(0));
            String drives = asset == null ? null : asset.attributes().get(Asset.REMOVABLE_DRIVES);
            if (drives != null) {
                return (" " + drives + " ").contains(" " + letter + " ") ? "removable" : "fixed";
            }
            return letter == 'C' ? "fixed" : "removable";
        }
        return "fixed";
    }

    /** The value of {@code name} for this event, or null when the event has none. */
    public static String get(Event e, Asset asset, String name) {
        switch (name) {
            case "format": return e.format().label();
            case "parsed": return e.parsed() ? "true" : "false";
            case "input": return e.receipt().input();
            case "transport": return e.receipt().transport();
            case "host": return e.host();
            case "app": return e.app();
            case "procid": return e.procId();
            case "msgid": return e.msgId();
            case "facility": return e.facility() < 0 ? null : Integer.toString(e.facility());
            case "severity": return e.severity() < 0 ? null : Integer.toString(e.severity());
            case "message": return e.message();
            case "text": return e.text();
            case "structured_data": return e.structuredData();
            case "av.product": return e.av() == null ? null : e.av().product();
            case "av.signature": return e.av() == null ? null : e.av().signature();
            case "av.path": return e.av() == null ? null : e.av().path();
            case "av.action": return e.av() == null ? null : e.av().action().label();
            case "av.hash": return e.av() == null ? null : e.av().hash();
            case "av.size": return e.av() == null ? null : e.av().size();
            case "av.media": return e.av() == null ? null : media(e, asset);
            default:
                if (name.startsWith("asset.")) {
                    return asset.attributes().get(name);
                }
                return e.fields().get(name);
        }
    }
}
