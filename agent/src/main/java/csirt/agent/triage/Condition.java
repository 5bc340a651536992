package csirt.agent.triage;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One test of a criterion's {@code match}: a field compared with a value, one of several values
 * (case-insensitive), a regular expression (whose named groups become {@code x.<name>} fields),
 * presence, or the negation of values.
 */
public record Condition(String field, Op op, List<String> values, Pattern regex, List<String> groups, String memoKey,
                        LiteralPrefilter prefilter, int memoSlot, List<String> groupKeys, String factPrefix) {

    /**
     * Every distinct (field, regex) pair gets a slot: an event's regex results are kept in an array
     * indexed by it, so a regex shared by several criteria runs once per event without a map.
     */
    private static final java.util.concurrent.ConcurrentHashMap<String, Integer> SLOTS = new java.util.concurrent.ConcurrentHashMap<>();

    static int memoSlots() {
        return SLOTS.size();
    }

    public enum Op { ANY_OF, NONE_OF, REGEX, EXISTS, ABSENT }

    private static final Pattern NAMED_GROUP = Pattern.compile("\\(\\?<([a-zA-Z][a-zA-Z0-9]*)>");

    public static Condition of(String field, Op op, List<String> values) {
        return new Condition(field, op, List.copyOf(values), null, List.of(), null, null, -1, List.of(), null);
    }

    public static Condition regex(String field, Pattern regex) {
        List<String> groups = new ArrayList<>();
        Matcher m = NAMED_GROUP.matcher(regex.pattern());
        while (m.find()) {
            groups.add(m.group(1));
        }
        String memoKey = field + '\u0000' + regex.pattern();
        // the x.* names and the start of the fact, made once here rather than for every matched event
        List<String> keys = groups.stream().map(g -> "x." + g).toList();
        return new Condition(field, Op.REGEX, List.of(), regex, List.copyOf(groups), memoKey,
                LiteralPrefilter.derive(regex.pattern()), SLOTS.computeIfAbsent(memoKey, k -> SLOTS.size()), keys,
                field + " ~ /" + abbreviate(regex.pattern()) + "/: ");
    }

    public boolean matches(EvalContext ctx) {
        if (op == Op.REGEX) {
            return ctx.regex(this);
        }
        String v = ctx.get(field);
        return switch (op) {
            case EXISTS -> v != null && !v.isEmpty();
            case ABSENT -> v == null || v.isEmpty();
            case ANY_OF -> v != null && anyEquals(v);
            case NONE_OF -> v == null || !anyEquals(v);
            default -> false;
        };
    }

    /** Equality and presence tests are cheap; regular expressions run last. */
    int cost() {
        return op == Op.REGEX ? 10 : 1;
    }

    private boolean anyEquals(String v) {
        for (int i = 0; i < values.size(); i++) {
            if (values.get(i).equalsIgnoreCase(v)) {
                return true;
            }
        }
        return false;
    }

    /** The fact this condition establishes, e.g. {@code asset.role=server}, for the verdict's explanation. */
    public String fact(EvalContext ctx) {
        String v = ctx.get(field);
        String shown = v == null ? "(none)" : abbreviate(v);
        return switch (op) {
            case REGEX -> factPrefix + shown;
            case NONE_OF -> field + "=" + shown + " (not " + String.join("|", values) + ")";
            case ABSENT -> field + " absent";
            default -> field + "=" + shown;
        };
    }

    /** One line of at most 120 characters (this runs for every matched event: no regex here). */
    static String abbreviate(String v) {
        int n = Math.min(v.length(), 120);
        StringBuilder b = null;
        for (int i = 0; i < n; i++) {
            char c = v.charAt(i);
            if (c == '\r' || c == '\n' || c == '\t') {
                if (b == null) {
                    b = new StringBuilder(n).append(v, 0, i);
                }
                b.append(' ');
            } else if (b != null) {
                b.append(c);
            }
        }
        String oneLine = b != null ? b.toString() : v.substring(0, n);
        return v.length() > 120 ? oneLine.substring(0, 117) + "..." : oneLine;
    }
}
