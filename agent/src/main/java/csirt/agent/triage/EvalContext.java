package csirt.agent.triage;

import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.regex.Matcher;

import csirt.agent.asset.Asset;
import csirt.agent.parse.Event;

/**
 * One event under judgement: the event, its asset, the values the current criterion's regular
 * expressions extracted ({@code x.<group>}), and a memo of regex results so that a pattern shared
 * by several criteria runs once per event.
 */
public final class EvalContext {

    /** memo values: the regex of that slot has not run, found nothing, or matched (its groups in {@code matchers}). */
    private static final byte NOT_RUN = 0;
    private static final byte NO_MATCH = 1;
    private static final byte MATCHED = 2;

    final Event event;
    final Asset asset;
    private final Map<String, String> extracted = new HashMap<>(4);
    private byte[] memo;
    private Matcher[] matchers;
    /** memo and matchers are the matching thread's, lent for one {@code match}: see {@link #endMatching}. */
    private boolean lent;

    public EvalContext(Event event, Asset asset) {
        this(event, asset, null);
    }

    /**
     * With {@code scratch}: the thread's memo and matchers by regex slot, cleared and reused for
     * this event instead of allocating two arrays and a match result per event (the engine's
     * matching ran at some 250,000 events a second, and these were some 7 % of all its garbage).
     */
    EvalContext(Event event, Asset asset, Scratch scratch) {
        this.event = event;
        this.asset = asset;
        if (scratch != null) {
            scratch.fit(Condition.memoSlots());
            this.memo = scratch.memo;
            this.matchers = scratch.matchers;
            this.lent = true;
        }
    }

    /** One thread's reusable regex state; a context borrows it from construction to {@link #endMatching}. */
    static final class Scratch {
        private byte[] memo = new byte[0];
        private Matcher[] matchers = new Matcher[0];

        private void fit(int slots) {
            if (memo.length < slots) {
                memo = new byte[Math.max(slots, 16)];
                matchers = java.util.Arrays.copyOf(matchers, memo.length);
            } else {
                java.util.Arrays.fill(memo, NOT_RUN);
            }
        }
    }

    /**
     * Gives the borrowed scratch back: the context may go on to another thread (the judge's) and
     * the next event on this one reuses the scratch. Regexes run after this start afresh.
     */
    void endMatching() {
        if (lent) {
            memo = null;
            matchers = null;
            lent = false;
        }
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

    /** Makes {@code values} the extracted x.* values again (those of the criterion that decided, for its facts). */
    void useExtracted(Map<String, String> values) {
        extracted.clear();
        extracted.putAll(values);
    }

    /** What the current criterion extracted so far. */
    Map<String, String> extracted() {
        return extracted.isEmpty() ? Map.of() : Map.copyOf(extracted);
    }

    // the lower-case text of the last field asked for (criteria mostly test one field, the message)
    private String loweredField;
    private String lowered;

    String lower(String field, String value) {
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
            // own arrays (no scratch, or a slot added by a reload since): copies, the scratch stays the thread's
            int n = Math.max(Condition.memoSlots(), slot + 1);
            memo = memo == null ? new byte[n] : java.util.Arrays.copyOf(memo, n);
            matchers = matchers == null ? new Matcher[n] : java.util.Arrays.copyOf(matchers, n);
            lent = false;
        }
        byte r = memo[slot];
        if (r == NOT_RUN && c.prefilter() != null
                && !c.prefilter().mayMatch(c.prefilter().caseInsensitive() ? lower(c.field(), value) : value)) {
            r = NO_MATCH; // none of the literals every match needs is in the text
            memo[slot] = r;
        }
        if (r == NOT_RUN) {
            Matcher m = matchers[slot];
            if (m == null) {
                m = c.regex().matcher(value);
                matchers[slot] = m;
            } else {
                m.reset(value);
            }
            r = m.find() ? MATCHED : NO_MATCH;
            memo[slot] = r;
        }
        if (r == NO_MATCH) {
            return false;
        }
        List<String> groups = c.groups();
        if (!groups.isEmpty()) {
            // the slot's matcher still holds this event's match: a slot is one (field, regex) pair
            Matcher m = matchers[slot];
            List<String> keys = c.groupKeys();
            for (int i = 0; i < groups.size(); i++) {
                String v = m.group(groups.get(i));
                if (v != null) {
                    extracted.put(keys.get(i), v);
                }
            }
        }
        return true;
    }
}
