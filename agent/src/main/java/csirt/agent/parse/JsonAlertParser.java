package csirt.agent.parse;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * A JSON object as the message (JSON lines: EDR and antivirus exports, Suricata EVE, Wazuh
 * alerts), flattened to {@code json.<path>} fields ({@code {"alert":{"action":"blocked"}}} gives
 * {@code json.alert.action}); arrays are joined with commas. Parsed with SnakeYAML's safe loader
 * (JSON is YAML 1.2 flow syntax) limited in size and aliases, so a hostile line cannot build
 * objects or exhaust memory. Anything that is not one object is left alone.
 */
final class JsonAlertParser {

    private static final int MAX_CHARS = 256 * 1024;

    private JsonAlertParser() {
    }

    /** The flattened fields, or null when {@code message} is not a JSON object. */
    static Map<String, String> parse(String message) {
        String s = message.strip();
        if (s.length() < 2 || s.length() > MAX_CHARS || s.charAt(0) != '{' || s.charAt(s.length() - 1) != '}') {
            return null;
        }
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(0);
        options.setAllowDuplicateKeys(true);
        options.setCodePointLimit(MAX_CHARS);
        options.setNestingDepthLimit(20);
        Object root;
        try {
            // JSON allows tabs between tokens; YAML flow context mostly does too, but not as indentation
            root = new Yaml(new SafeConstructor(options)).load(s);
        } catch (RuntimeException e) {
            return null;
        }
        if (!(root instanceof Map<?, ?> map)) {
            return null;
        }
        Map<String, String> out = new LinkedHashMap<>();
        flatten("json", map, out);
        return out;
    }

    private static void flatten(String prefix, Object value, Map<String, String> out) {
        if (value instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                flatten(prefix + "." + e.getKey(), e.getValue(), out);
            }
        } else if (value instanceof List<?> l) {
            out.put(prefix, String.join(",", l.stream().map(String::valueOf).toList()));
        } else if (value != null) {
            out.put(prefix, String.valueOf(value));
        }
    }
}
