package csirt.agent.triage;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import csirt.agent.asset.Asset;
import csirt.agent.parse.Event;

/**
 * One test of a criterion's {@code match}: a field compared with a value, one of several values
 * (case-insensitive), a regular expression, presence, or the negation of values.
 */
public record Condition(String field, Op op, List<String> values, Pattern regex) {

    public enum Op { ANY_OF, NONE_OF, REGEX, EXISTS, ABSENT }

    public boolean matches(Event e, Asset asset) {
        String v = EventFields.get(e, asset, field);
        return switch (op) {
            case EXISTS -> v != null && !v.isEmpty();
            case ABSENT -> v == null || v.isEmpty();
            case REGEX -> v != null && regex.matcher(v).find();
            case ANY_OF -> v != null && anyEquals(v);
            case NONE_OF -> v == null || !anyEquals(v);
        };
    }

    private boolean anyEquals(String v) {
        for (String want : values) {
            if (want.equalsIgnoreCase(v)) {
                return true;
            }
        }
        return false;
    }

    /** The fact this condition establishes, e.g. {@code asset.role=server}, for the verdict's explanation. */
    public String fact(Event e, Asset asset) {
        String v = EventFields.get(e, asset, field);
        String shown = v == null ? "(none)" : abbreviate(v);
        return switch (op) {
            case REGEX -> field + " ~ /" + regex.pattern() + "/: " + shown;
            case NONE_OF -> field + "=" + shown + " (not " + String.join("|", values) + ")";
            default -> field + "=" + shown;
        };
    }

    private static String abbreviate(String v) {
        String oneLine = v.replaceAll("[\\r\\n\\t]", " ");
        return oneLine.length() > 120 ? oneLine.substring(0, 117) + "..." : oneLine;
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
