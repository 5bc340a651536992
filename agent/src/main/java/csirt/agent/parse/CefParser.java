package csirt.agent.parse;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * ArcSight Common Event Format, as most antivirus, EDR and IPS products export alerts over syslog:
 * {@code CEF:Version|Vendor|Product|Version|Event Class ID|Name|Severity|key=value key=value}.
 * Header fields escape {@code \|} and {@code \\}; extension values escape {@code \=}, {@code \\},
 * {@code \n} and {@code \r}, and run up to the next {@code " key="}. Custom fields ({@code cs1} with
 * {@code cs1Label=VirusName}) are also given under their label.
 *
 * <p>Fields come out as {@code cef.vendor}, {@code cef.product}, {@code cef.version},
 * {@code cef.class}, {@code cef.name}, {@code cef.severity} and {@code cef.<key>} for the extension.
 */
public final class CefParser {

    private static final Pattern START = Pattern.compile("CEF:\\d+\\|");
    private static final Pattern KEY = Pattern.compile("(?:^| )([A-Za-z0-9_.\\[\\]-]+)=");
    private static final String[] HEADER = {"cef.vendor", "cef.product", "cef.version", "cef.class", "cef.name", "cef.severity"};

    private CefParser() {
    }

    /** The CEF fields in {@code text} (after any syslog header), or null when it holds no CEF record. */
    public static Map<String, String> parse(String text) {
        int at = text.indexOf("CEF:");
        if (at < 0) {
            return null;
        }
        Matcher start = START.matcher(text);
        if (!start.find(at)) {
            return null;
        }
        int i = start.end();
        Map<String, String> out = new LinkedHashMap<>();
        for (String key : HEADER) {
            StringBuilder v = new StringBuilder();
            while (i < text.length() && text.charAt(i) != '|') {
                char c = text.charAt(i);
                if (c == '\\' && i + 1 < text.length() && (text.charAt(i + 1) == '|' || text.charAt(i + 1) == '\\')) {
                    c = text.charAt(++i);
                }
                v.append(c);
                i++;
            }
            if (i >= text.length()) {
                return null; // fewer than 7 header fields: not CEF
            }
            out.put(key, v.toString());
            i++; // the '|'
        }
        extension(text.substring(i), out);
        return out;
    }

    private static void extension(String ext, Map<String, String> out) {
        Matcher m = KEY.matcher(ext);
        String key = null;
        int valueStart = 0;
        Map<String, String> raw = new LinkedHashMap<>();
        while (m.find()) {
            if (key != null) {
                raw.put(key, unescape(ext.substring(valueStart, m.start())));
            }
            key = m.group(1);
            valueStart = m.end();
        }
        if (key != null) {
            raw.put(key, unescape(ext.substring(valueStart).stripTrailing()));
        }
        for (Map.Entry<String, String> e : raw.entrySet()) {
            out.put("cef." + e.getKey(), e.getValue());
            String label = raw.get(e.getKey() + "Label");
            if (label != null && !label.isBlank()) {
                out.putIfAbsent("cef." + label.strip().replace(' ', '_'), e.getValue());
            }
        }
    }

    private static String unescape(String v) {
        if (v.indexOf('\\') < 0) {
            return v;
        }
        StringBuilder b = new StringBuilder(v.length());
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '\\' && i + 1 < v.length()) {
                char n = v.charAt(i + 1);
                switch (n) {
                    case '=', '\\', '|' -> { b.append(n); i++; continue; }
                    case 'n' -> { b.append('\n'); i++; continue; }
                    case 'r' -> { b.append('\r'); i++; continue; }
                    default -> { }
                }
            }
            b.append(c);
        }
        return b.toString();
    }
}
