package csirt.agent.parse;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code key=value} records of firewalls (Sophos Firewall, Sophos UTM, SonicWall, FortiGate):
 * values bare or in double (or single) quotes, backslash escaping a quote inside. Scanned by hand:
 * regular expressions over quoted values backtrack badly on hostile input.
 */
public final class KeyValues {

    private KeyValues() {
    }

    /** The pairs in {@code s}, keys prefixed with {@code prefix}; a key given twice keeps its first value, an empty value is left out. */
    public static Map<String, String> parse(String s, String prefix) {
        Map<String, String> out = new LinkedHashMap<>();
        int n = s.length();
        int i = 0;
        while (i < n) {
            while (i < n && s.charAt(i) == ' ') {
                i++;
            }
            int k = i;
            while (i < n && s.charAt(i) != '=' && s.charAt(i) != ' ') {
                i++;
            }
            if (i >= n || s.charAt(i) != '=' || i == k) {
                // a word without "=": skip it
                while (i < n && s.charAt(i) != ' ') {
                    i++;
                }
                continue;
            }
            String key = s.substring(k, i);
            i++;
            String value;
            if (i < n && (s.charAt(i) == '"' || s.charAt(i) == '\'')) {
                char q = s.charAt(i++);
                StringBuilder v = new StringBuilder();
                while (i < n && s.charAt(i) != q) {
                    if (s.charAt(i) == '\\' && i + 1 < n && s.charAt(i + 1) == q) {
                        i++;
                    }
                    v.append(s.charAt(i++));
                }
                i++;
                value = v.toString();
            } else {
                int v = i;
                while (i < n && s.charAt(i) != ' ') {
                    i++;
                }
                value = s.substring(v, i);
            }
            if (!value.isEmpty()) {
                out.putIfAbsent(prefix + key, value); // "ep_uuid=" says nothing: left out
            }
        }
        return out;
    }
}
