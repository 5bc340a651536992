package csirt.agent.triage;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;

import csirt.agent.asset.Asset;
import csirt.agent.parse.Event;

/**
 * One event under judgement: the event, its asset, the values the current criterion's regular
 * expressions extracted ({@code x.<group>}), and a memo of regex results so that a pattern shared
 * by several criteria runs once per event.
 */
public final class EvalContext {

    private static final MatchResult NO_MATCH = new MatchResult() {
        @Override public int start() { return -1; }
        @Override public int start(int group) { return -1; }
        @Override public int end() { return -1; }
        @Override public int end(int group) { return -1; }
        @Override public String group() { return null; }
        @Override public String group(int group) { return null; }
        @Override public int groupCount() { return 0; }
    };

    final Event event;
    final Asset asset;
    private final Map<String, String> extracted = new HashMap<>(4);
    private MatchResult[] memo;
    private Matcher[] matchers;

    public EvalContext(Event event, Asset asset) {
        this(event, asset, null);
    }

    /**
     * With {@code pool}: matchers by regex slot that this context may reset and reuse (the engine
     * owns one set, used by one judgement at a time), instead of allocating one per regex run.
     */
    EvalContext(Event event, Asset asset, Matcher[] pool) {
        this.event = event;
        this.asset = asset;
        this.pool = pool;
    }

    private final Matcher[] pool;

    public Event event() {
        return event;
    }

    public Asset asset() {
        return asset;
    }

    /** The value of a field: an event or asset field, or {@code x.<name>} extracted by a regex. */
    public String get(String field) {
        if (field.startsWith("x.")) {
            return extracted.get(field);
        }
        return EventFields.get(event, asset, field);
    }

    /** Starts the judgement of the next criterion: forget what the previous one extracted. */
    void resetExtracted() {
        extracted.clear();
    }

    /** Makes {@code values} the extracted x.* values again (those of the criterion that decided, for its facts). */
    void useExtracted(Map<String, String> values) {
        extracted.clear();
        extracted.putAll(values);
    }

    /** What the current criterion extracted so far. */
    Map<String, String> extracted() {
        return Map.copyOf(extracted);
    }

    // the lower-case text of the last field asked for (criteria mostly test one field, the message)
    private String loweredField;
    private String lowered;

    private String lower(String field, String value) {
        if (!field.equals(loweredField)) {
            loweredField = field;
            lowered = value.toLowerCase(java.util.Locale.ROOT);
        }
        return lowered;
    }

    /** Runs (or recalls) {@code c}'s regex on its field; on a match its named groups become x.* values. */
    boolean regex(Condition c) {
        String value = get(c.field());
        if (value == null) {
            return false;
        }
        int slot = c.memoSlot();
        if (memo == null || slot >= memo.length) {
            int n = Math.max(Condition.memoSlots(), slot + 1);
            memo = memo == null ? new MatchResult[n] : java.util.Arrays.copyOf(memo, n);
            matchers = matchers == null ? new Matcher[n] : java.util.Arrays.copyOf(matchers, n);
        }
        MatchResult r = memo[slot];
        if (r == null && c.prefilter() != null && !c.prefilter().mayMatch(c.prefilter().caseInsensitive() ? lower(c.field(), value) : value)) {
            r = NO_MATCH; // none of the literals every match needs is in the text
            memo[slot] = r;
        }
        if (r == null) {
            Matcher m;
            if (pool != null && slot < pool.length) {
                m = pool[slot];
                if (m == null) {
                    m = c.regex().matcher(value);
                    pool[slot] = m;
                } else {
                    m.reset(value);
                }
            } else {
                m = c.regex().matcher(value);
            }
            r = m.find() ? m.toMatchResult() : NO_MATCH;
            memo[slot] = r;
            if (r != NO_MATCH) {
                matchers[slot] = m;
            }
        }
        if (r == NO_MATCH) {
            return false;
        }
        if (!c.groups().isEmpty()) {
            Matcher m = matchers[c.memoSlot()];
            for (String g : c.groups()) {
                String v = m.group(g);
                if (v != null) {
                    extracted.put("x." + g, v);
                }
            }
        }
        return true;
    }
}
