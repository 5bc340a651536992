package csirt.agent.parse;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;

/**
 * A JSON object as the message (JSON lines: NXLog's to_json(), EDR and antivirus exports,
 * Suricata EVE, Wazuh alerts), flattened to {@code json.<path>} fields ({@code {"alert":{"action":
 * "blocked"}}} gives {@code json.alert.action}); the values of an array are joined with commas.
 * Read with jackson-core's streaming parser, limited in size and depth, so a hostile line can
 * neither build objects nor exhaust memory (the SnakeYAML reading it replaced cost 20 times as
 * much per line). Anything that is not exactly one object is left alone.
 */
final class JsonAlertParser {

    private static final int MAX_CHARS = 256 * 1024;
    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(20).maxStringLength(MAX_CHARS)
                    .maxNumberLength(100).build())
            .build();

    private JsonAlertParser() {
    }

    /** The flattened fields, or null when {@code message} is not a JSON object. */
    static Map<String, String> parse(String message) {
        String s = message.strip();
        if (s.length() < 2 || s.length() > MAX_CHARS || s.charAt(0) != '{' || s.charAt(s.length() - 1) != '}') {
            return null;
        }
        Map<String, String> out = new LinkedHashMap<>();
        try (JsonParser p = JSON.createParser(s)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            object(p, "json", out);
            if (p.nextToken() != null) {
                return null; // something after the object: not one JSON object
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return out;
    }

    /** The members of the object whose START_OBJECT was just read. */
    private static void object(JsonParser p, String prefix, Map<String, String> out) throws IOException {
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String key = prefix + "." + p.currentName();
            value(p, p.nextToken(), key, out);
        }
        if (t != JsonToken.END_OBJECT) {
            throw new IOException("unterminated object");
        }
    }

    private static void value(JsonParser p, JsonToken t, String key, Map<String, String> out) throws IOException {
        if (t == null) {
            throw new IOException("end of input in a value");
        }
        switch (t) {
            case START_OBJECT -> object(p, key, out);
            case START_ARRAY -> array(p, key, out);
            case VALUE_NULL -> { }
            default -> out.put(key, p.getText());
        }
    }

    /** An array's scalar values joined with commas under {@code key}; objects inside it flattened under {@code key}. */
    private static void array(JsonParser p, String key, Map<String, String> out) throws IOException {
        StringBuilder joined = new StringBuilder();
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t == null) {
                throw new IOException("unterminated array");
            }
            if (t == JsonToken.START_OBJECT) {
                Map<String, String> inner = new LinkedHashMap<>();
                object(p, key, inner);
                inner.forEach(out::putIfAbsent);
            } else if (t == JsonToken.START_ARRAY) {
                array(p, key, out);
            } else if (t != JsonToken.VALUE_NULL) {
                if (joined.length() > 0) {
                    joined.append(',');
                }
                joined.append(p.getText());
            }
        }
        if (joined.length() > 0 || !out.containsKey(key)) {
            out.put(key, joined.toString());
        }
    }
}
