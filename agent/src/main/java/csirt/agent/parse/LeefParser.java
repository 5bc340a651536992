package csirt.agent.parse;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * IBM QRadar's Log Event Extended Format: {@code LEEF:1.0|Vendor|Product|Version|EventID|} then
 * key=value attributes separated by TAB; LEEF 2.0 adds a sixth header field naming the separator
 * (a character, or its hex code as {@code x09} / {@code 0x5E}). Fields come out as
 * {@code leef.vendor}, {@code leef.product}, {@code leef.version}, {@code leef.event} and
 * {@code leef.<key>}.
 */
public final class LeefParser {

    private static final Pattern START = Pattern.compile("LEEF:(1\\.0|2\\.0)\\|");

    private LeefParser() {
    }

    /** The LEEF fields in {@code text}, or null when it holds no LEEF record. */
    public static Map<String, String> parse(String text) {
        int at = text.indexOf("LEEF:");
        if (at < 0) {
            return null;
        }
        Matcher m = START.matcher(text);
        if (!m.find(at)) {
            return null;
        }
        boolean v2 = m.group(1).equals("2.0");
        String[] header = {"leef.vendor", "leef.product", "leef.version", "leef.event"};
        Map<String, String> out = new LinkedHashMap<>();
        int i = m.end();
        for (String key : header) {
            int bar = text.indexOf('|', i);
            if (bar < 0) {
                return null;
            }
            out.put(key, text.substring(i, bar));
            i = bar + 1;
        }
        String separator = "\t";
        if (v2) {
            int bar = text.indexOf('|', i);
            if (bar >= 0 && bar - i <= 6) {
                separator = delimiter(text.substring(i, bar));
                i = bar + 1;
            }
        }
        for (String pair : text.substring(i).split(Pattern.quote(separator))) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                out.put("leef." + pair.substring(0, eq).strip(), pair.substring(eq + 1).strip());
            }
        }
        return out;
    }

    private static String delimiter(String spec) {
        String s = spec.strip();
        if (s.isEmpty()) {
            return "\t";
        }
        if (s.length() > 1 && (s.startsWith("x") || s.startsWith("0x"))) {
            try {
                return String.valueOf((char) Integer.parseInt(s.substring(s.indexOf('x') + 1), 16));
            } catch (NumberFormatException e) {
                return "\t";
            }
        }
        return s.substring(0, 1);
    }
}
