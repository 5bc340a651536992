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
    private Map<String, MatchResult> memo;
    private Map<String, Matcher> matchers;

    public EvalContext(Event event, Asset asset) {
        this.event = event;
        this.asset = asset;
    }

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

    /** What the current criterion extracted so far. */
    Map<String, String> extracted() {
        return Map.copyOf(extracted);
    }

    private Map<String, String> lowered;

    private String lower(String field, String value) {
        if (lowered == null) {
            lowered = new HashMap<>(4);
        }
        return lowered.computeIfAbsent(field, f -> value.toLowerCase(java.util.Locale.ROOT));
    }

    /** Runs (or recalls) {@code c}'s regex on its field; on a match its named groups become x.* values. */
    boolean regex(Condition c) {
        String value = get(c.field());
        if (value == null) {
            return false;
        }
        if (memo == null) {
            memo = new HashMap<>(8);
            matchers = new HashMap<>(8);
        }
        MatchResult r = memo.get(c.memoKey());
        if (r == null && c.prefilter() != null && !c.prefilter().mayMatch(c.prefilter().caseInsensitive() ? lower(c.field(), value) : value)) {
            r = NO_MATCH; // none of the literals every match needs is in the text
            memo.put(c.memoKey(), r);
        }
        if (r == null) {
            Matcher m = c.regex().matcher(value);
            r = m.find() ? m.toMatchResult() : NO_MATCH;
            memo.put(c.memoKey(), r);
            if (r != NO_MATCH) {
                matchers.put(c.memoKey(), m);
            }
        }
        if (r == NO_MATCH) {
            return false;
        }
        if (!c.groups().isEmpty()) {
            Matcher m = matchers.get(c.memoKey());
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
