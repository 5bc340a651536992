package csirt.agent.parse.products;

import java.util.Map;

/** Small lookups the readers share over a record's fields and text. */
final class RecordText {

    private RecordText() {
    }

    /** The first of {@code keys} with a value that is not blank, stripped; null when none has one. */
    static String first(Map<String, String> f, String... keys) {
        for (String k : keys) {
            String v = f.get(k);
            if (v != null && !v.isBlank()) {
                return v.strip();
            }
        }
        return null;
    }

    /** The text between {@code <name>} and {@code </name>} in an XML line, stripped; null when there is none. */
    static String tag(String m, String name) {
        int a = m.indexOf("<" + name + ">");
        if (a < 0) {
            return null;
        }
        int from = a + name.length() + 2;
        int b = m.indexOf("</" + name + ">", from);
        return b < 0 ? null : m.substring(from, b).strip();
    }

    static String nz(String s) {
        return s == null ? "" : s;
    }
}
