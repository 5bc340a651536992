package csirt.agent.triage;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import csirt.agent.asset.Asset;
import csirt.agent.asset.AssetInventory;
import csirt.agent.parse.Event;

/**
 * Decides, for every event, whether it is an incident, of which category and level, by the
 * criteria set (Annex table 1 as data). When several criteria match, the highest level wins;
 * among equal levels the most specific (most conditions; a window or sequence counts extra), then
 * the first in file order (files by name).
 *
 * <p>Correlation in time: windows (counts and distinct counts per group), holds with a grace period
 * and an escalation ladder (a "down" released by its "up" in time is level 0, else level 1, and
 * level 2 past the long threshold, driven by {@link #tick} even when no event comes), sequences
 * ({@code after}: a success after a brute force), and suppression of identical repeats. Time comes
 * from the events (their receipt time) and from {@link #tick}, never from the wall clock, so a
 * replay of old logs decides as the live daemon did. All state is bounded.
 */
public final class TriageEngine {

    /** Bound on held events: beyond it the oldest hold is decided at once rather than growing memory. */
    static final int MAX_HELD = 100_000;
    /** Bound on window groups (e.g. distinct signatures or sources); the stalest group is dropped. */
    static final int MAX_GROUPS = 50_000;
    /** Bound on remembered firings (for sequences) and first-seen repeats (for suppression). */
    static final int MAX_MEMORY = 100_000;

    /** An event waiting for its release, or for the next step of its escalation ladder. */
    static final class Held {
        final Event event;
        final Asset asset;
        final Criterion criterion;
        final List<String> facts;
        final Map<String, String> extracted;
        final Instant start;
        int step;
        Instant deadline;

        Held(Event event, Asset asset, Criterion criterion, List<String> facts, Map<String, String> extracted,
             Instant start, int step, Instant deadline) {
            this.event = event;
            this.asset = asset;
            this.criterion = criterion;
            this.facts = facts;
            this.extracted = extracted;
            this.start = start;
            this.step = step;
            this.deadline = deadline;
        }
    }

    /**
     * One event counted in a window; its sequence number boxed once here, as the verdicts list it.
     * A distinct count (a spread) keeps the event's line too, for the notice to show every host's
     * detection; null otherwise and after a restart.
     */
    record Sighting(Instant time, String value, Long seq, String line) {
    }

    record Seen(long seq, Instant time) {
    }

    private CriteriaSet criteria;
    private AssetInventory assets;
    /** For each criterion, the {@code same} lists of the criteria that name it in {@code after}. */
    private Map<String, List<List<String>>> sequenceRefs;
    final Map<String, List<Held>> held = new LinkedHashMap<>();
    private int heldCount;
    final Map<String, Sightings> windows = lru(MAX_GROUPS);

    /**
     * A window's sightings in time order, with how many carry each distinct value, kept as they
     * come and go: the distinct count costs nothing per event, however many sightings a burst
     * leaves in the window (counting them again for every event made a flood quadratic).
     */
    static final class Sightings extends ArrayDeque<Sighting> {
        private final Map<String, int[]> values = new HashMap<>();

        @Override
        public void addLast(Sighting s) {
            super.addLast(s);
            if (s.value() != null) {
                values.computeIfAbsent(s.value(), k -> new int[1])[0]++;
            }
        }

        @Override
        public Sighting removeFirst() {
            Sighting s = super.removeFirst();
            if (s.value() != null) {
                int[] n = values.get(s.value());
                if (n != null && --n[0] == 0) {
                    values.remove(s.value());
                }
            }
            return s;
        }

        int distinct() {
            return values.size();
        }

        boolean has(String value) {
            return values.containsKey(value);
        }
    }
    final Map<String, Instant> fired = lru(MAX_MEMORY);
    final Map<String, Seen> seen = lru(MAX_MEMORY);

    public TriageEngine(CriteriaSet criteria, AssetInventory assets) {
        replace(criteria, assets);
    }

    private static <V> Map<String, V> lru(int max) {
        return new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > max;
            }
        };
    }

    /**
     * Puts a new criteria set and inventory in force at once (a reload). Windows, holds and
     * sequences carry over; a held event keeps the criterion it was held under.
     */
    public synchronized void replace(CriteriaSet newCriteria, AssetInventory newAssets) {
        Map<String, List<List<String>>> refs = new HashMap<>();
        for (Criterion c : newCriteria.criteria()) {
            if (c.after() != null) {
                refs.computeIfAbsent(c.after().criterion(), k -> new ArrayList<>()).add(c.after().same());
            }
        }
        this.criteria = newCriteria;
        this.index = new CriteriaIndex(newCriteria.criteria());
        this.holding = newCriteria.criteria().stream().filter(c -> c.hold() != null).toList();
        this.assets = newAssets;
        this.sequenceRefs = refs;
        this.rules = new Rules(newCriteria, index, holding, newAssets);
    }

    /** The rules in force, published together for {@link #match} on other threads (a reload replaces them at once). */
    private record Rules(CriteriaSet criteria, CriteriaIndex index, List<Criterion> holding, AssetInventory assets) {
    }

    private volatile Rules rules;

    /** Regex memo and matchers per thread that matches (the inputs' threads, the judge's). */
    private static final ThreadLocal<EvalContext.Scratch> SCRATCH = ThreadLocal.withInitial(EvalContext.Scratch::new);

    /**
     * The stateless half of judging an event: its asset, which criteria its fields match (with the
     * values their expressions extracted) and which held events it would release. Needs none of
     * the engine's state, so it runs on any thread: the pipeline does it on the input's thread,
     * next to parsing, and the engine's one thread is left with windows, holds and verdicts.
     */
    public static final class Matched {
        private final Rules rules;
        private final EvalContext ctx;
        private final int[] criteria;
        private final List<Map<String, String>> extracted;
        private final int[] releases;
        private final List<Map<String, String>> releaseExtracted;

        private Matched(Rules rules, EvalContext ctx, int[] criteria, List<Map<String, String>> extracted, int[] releases,
                        List<Map<String, String>> releaseExtracted) {
            this.rules = rules;
            this.ctx = ctx;
            this.criteria = criteria;
            this.extracted = extracted;
            this.releases = releases;
            this.releaseExtracted = releaseExtracted;
        }

        public Event event() {
            return ctx.event();
        }
    }

    /** See {@link Matched}; safe on any thread. */
    public Matched match(Event event) {
        Rules r = rules;
        EvalContext ctx = new EvalContext(event, r.assets().lookup(event.host(), event.fields().get("source.role")), SCRATCH.get());
        java.util.BitSet cand = new java.util.BitSet();
        r.index().candidates(ctx, cand);
        int[] matched = new int[cand.cardinality()];
        int n = 0;
        List<Map<String, String>> extracted = new ArrayList<>(2);
        List<Criterion> all = r.criteria().criteria();
        for (int i = cand.nextSetBit(0); i >= 0; i = cand.nextSetBit(i + 1)) {
            if (all.get(i).matches(ctx)) {
                matched[n++] = i;
                extracted.add(ctx.extracted());
            }
        }
        int[] rel = new int[r.holding().size()];
        int m = 0;
        List<Map<String, String>> relExtracted = new ArrayList<>(0);
        for (int j = 0; j < r.holding().size(); j++) {
            if (releases(r.holding().get(j).hold().releasedBy(), ctx)) {
                rel[m++] = j;
                relExtracted.add(ctx.extracted());
            }
        }
        ctx.endMatching();
        return new Matched(r, ctx, java.util.Arrays.copyOf(matched, n), extracted, java.util.Arrays.copyOf(rel, m), relExtracted);
    }

    private CriteriaIndex index;
    /** The criteria that hold events for a release, in file order. */
    private List<Criterion> holding = List.of();

    public synchronized CriteriaSet criteria() {
        return criteria;
    }

    public synchronized AssetInventory assets() {
        return assets;
    }

    /**
     * Judges one event. Usually returns its verdict; returns nothing when the event is held (its
     * verdict comes from a later event or from {@link #tick}), and may also return the verdicts of
     * events this one released.
     */
    public List<Verdict> evaluate(Event event) {
        return evaluate(match(event));
    }

    /** As {@link #evaluate(Event)}, for an event already {@link #match matched} (again if the rules changed since). */
    public synchronized List<Verdict> evaluate(Matched m) {
        if (m.rules != rules) {
            m = match(m.event()); // reloaded in between: match against the rules in force now
        }
        Event event = m.event();
        EvalContext ctx = m.ctx;
        Asset asset = ctx.asset();
        List<Verdict> out = new ArrayList<>(1);
        if (!held.isEmpty()) {
            release(m, out);
        }

        Criterion best = null;
        Map<String, String> bestExtracted = Map.of();
        String bestSequenceFact = null;
        WindowCount bestWindow = null;
        List<Criterion> all = criteria.criteria();
        for (int k = 0; k < m.criteria.length; k++) {
            Criterion c = all.get(m.criteria[k]);
            Map<String, String> extracted = m.extracted.get(k);
            String sequenceFact = null;
            if (c.after() != null) {
                Instant t = fired.get(key(c.after().criterion(), c.after().same(), ctx, extracted));
                if (t == null || t.isBefore(event.time().minus(c.after().within())) || t.isAfter(event.time())) {
                    continue;
                }
                sequenceFact = "after " + c.after().criterion() + " for the same " + String.join(", ", c.after().same())
                        + " at " + t + " (within " + describe(c.after().within()) + ")";
            }
            WindowCount w = c.window() == null ? null : count(c, ctx, extracted);
            if (w != null && w.count < c.window().threshold()) {
                continue;
            }
            if (best == null || better(c, best)) {
                best = c;
                bestExtracted = extracted;
                bestSequenceFact = sequenceFact;
                bestWindow = w;
            }
        }
        if (best == null) {
            out.add(new Verdict(event, asset, null, null, null, 0, null, null, List.of("no criterion matched"),
                    null, List.of(), List.of(), criteria.hash(), 0, 0));
            return out;
        }
        long repeatOf = 0;
        Seen first = null;
        if (best.hold() == null && best.suppress() != null) {
            String k = key(best.id(), best.suppress().same(), ctx, bestExtracted);
            first = seen.get(k);
            if (first != null && !first.time.isBefore(event.time().minus(best.suppress().period()))) {
                repeatOf = first.seq;
            } else {
                seen.put(k, new Seen(event.seq(), event.time()));
            }
        }
        // The explanation is written for the criterion that decided only (most events match a
        // level-0 criterion first and a more specific one later): the facts as that one saw them.
        // Live, only incidents and held events keep theirs (case records, notices); the facts of
        // level-0 verdicts and repeats went nowhere and were a fifth of the judge's work. Replay
        // explains every verdict.
        List<String> facts;
        List<Long> related = List.of();
        List<String> relatedLines = List.of();
        if (explainAll || best.hold() != null || (best.level() > 0 && repeatOf == 0)) {
            facts = facts(ctx, best, bestExtracted, bestSequenceFact, bestWindow);
            if (bestWindow != null) {
                related = bestWindow.seqs();
                relatedLines = bestWindow.lines();
            }
            if (repeatOf > 0) {
                facts.add("repeat of seq " + first.seq + " within " + describe(best.suppress().period()));
            }
        } else {
            facts = List.of();
        }
        if (best.hold() != null) {
            hold(ctx, best, facts, bestExtracted, out);
        } else {
            Verdict v = verdict(event, asset, best, facts, bestExtracted, related, 0, repeatOf);
            out.add(relatedLines.isEmpty() ? v : v.withRelatedLines(relatedLines));
        }
        return out;
    }

    private static List<String> facts(EvalContext ctx, Criterion best, Map<String, String> extracted, String sequenceFact,
                                      WindowCount window) {
        ctx.useExtracted(extracted);
        List<String> facts = new ArrayList<>(best.match().size() + extracted.size() + 3);
        for (Condition cond : best.match()) {
            facts.add(cond.fact(ctx));
        }
        extracted.forEach((k, v) -> facts.add(k + "=" + Condition.abbreviate(v)));
        if (sequenceFact != null) {
            facts.add(sequenceFact);
        }
        if (window != null) {
            facts.add(window.describe(best));
        }
        return facts;
    }

    /**
     * Whether level-0 verdicts and repeats get their facts too (replay, the explain commands: yes;
     * the live pipeline, where nothing reads them: no). Their levels, criteria and counts are the same either way.
     */
    public void explainAll(boolean all) {
        this.explainAll = all;
    }

    private volatile boolean explainAll = true;

    /** Decides every held event whose grace or escalation step ended at or before {@code now}. */
    public synchronized List<Verdict> tick(Instant now) {
        List<Verdict> out = new ArrayList<>();
        Iterator<Map.Entry<String, List<Held>>> it = held.entrySet().iterator();
        while (it.hasNext()) {
            List<Held> list = it.next().getValue();
            list.removeIf(h -> {
                while (!h.deadline.isAfter(now)) {
                    List<Criterion.Step> ladder = h.criterion.hold().escalate();
                    List<String> facts = new ArrayList<>(h.facts);
                    if (h.step == 0) {
                        facts.add("not released within " + describe(h.criterion.hold().grace()));
                        out.add(verdict(h.event, h.asset, h.criterion, facts, h.extracted, List.of(), 0, 0));
                    } else {
                        Criterion.Step step = ladder.get(h.step - 1);
                        Criterion to = criteria.byId(step.to());
                        if (to == null) {
                            to = h.criterion; // removed by a reload: the ladder ends at its last known level
                        }
                        facts.add("still not released after " + describe(step.after()));
                        // the case stays the one the held criterion opened: the ladder escalates it
                        out.add(verdict(h.event, h.asset, to, h.criterion, facts, h.extracted, List.of(), h.step, 0));
                    }
                    if (h.step >= ladder.size()) {
                        heldCount--;
                        return true;
                    }
                    h.deadline = h.start.plus(ladder.get(h.step).after());
                    h.step++;
                }
                return false;
            });
            if (list.isEmpty()) {
                it.remove();
            }
        }
        return out;
    }

    /** How many window groups (a criterion and its group-by values) the engine keeps, at most {@link #MAX_GROUPS}. */
    public synchronized int windowGroups() {
        return windows.size();
    }

    /** How many events wait for a release or an escalation step. */
    public synchronized int heldCount() {
        return heldCount;
    }

    private static boolean better(Criterion c, Criterion best) {
        if (c.level() != best.level()) {
            return c.level() > best.level();
        }
        return c.specificity() > best.specificity();
    }

    private void hold(EvalContext ctx, Criterion c, List<String> facts, Map<String, String> extracted, List<Verdict> out) {
        if (heldCount >= MAX_HELD) {
            // Memory is bounded: decide the oldest holds now rather than wait for their release.
            Map.Entry<String, List<Held>> oldest = held.entrySet().iterator().next();
            held.remove(oldest.getKey());
            for (Held h : oldest.getValue()) {
                heldCount--;
                List<String> f = new ArrayList<>(h.facts);
                f.add("decided early: too many events held (" + MAX_HELD + ")");
                out.add(verdict(h.event, h.asset, h.criterion, f, h.extracted, List.of(), h.step, 0));
            }
        }
        Instant start = ctx.event.time();
        held.computeIfAbsent(key(c.id(), c.hold().same(), ctx, extracted), k -> new ArrayList<>())
                .add(new Held(ctx.event, ctx.asset, c, facts, extracted, start, 0, start.plus(c.hold().grace())));
        heldCount++;
    }

    private void release(Matched m, List<Verdict> out) {
        EvalContext ctx = m.ctx;
        for (int k = 0; k < m.releases.length; k++) {
            Criterion c = holding.get(m.releases[k]);
            Map<String, String> extracted = m.releaseExtracted.get(k);
            ctx.useExtracted(extracted);
            List<Held> released = held.remove(key(c.id(), c.hold().same(), ctx, extracted));
            if (released == null) {
                continue;
            }
            Criterion then = criteria.byId(c.hold().thenCriterion());
            for (Held h : released) {
                heldCount--;
                if (h.step > 0 || then == null) {
                    continue; // already decided as an incident: the recovery does not undo it
                }
                List<String> facts = new ArrayList<>(h.facts);
                facts.add("released by seq " + ctx.event.seq() + " after "
                        + describe(Duration.between(h.start, ctx.event.time())) + ": "
                        + c.hold().releasedBy().get(0).fact(ctx));
                out.add(verdict(h.event, h.asset, then, facts, h.extracted, List.of(ctx.event.seq()), 0, 0));
            }
        }
    }

    private static boolean releases(List<Condition> conditions, EvalContext ctx) {
        ctx.resetExtracted();
        for (Condition c : conditions) {
            if (!c.matches(ctx)) {
                return false;
            }
        }
        return true;
    }

    private static String value(EvalContext ctx, Map<String, String> extracted, String field) {
        return field.startsWith("x.") ? extracted.get(field) : ctx.get(field);
    }

    private static String key(String id, List<String> fields, EvalContext ctx, Map<String, String> extracted) {
        StringBuilder b = new StringBuilder(id);
        for (String f : fields) {
            b.append('\u0000').append(value(ctx, extracted, f));
        }
        return b.toString();
    }

    /**
     * A window's count for one event, and (worked out only for the criterion that decides) the
     * values counted and their first events: the window does not change in between, as each
     * criterion has windows of its own.
     */
    private static final class WindowCount {
        final int count;
        final String group;
        private final Sightings sightings;
        private final boolean distinct;
        private List<String> values;
        private List<Long> seqs;
        private List<String> lines;

        WindowCount(int count, String group, Sightings sightings, boolean distinct) {
            this.count = count;
            this.group = group;
            this.sightings = sightings;
            this.distinct = distinct;
        }

        /** The first 50 events counted (distinct: the first event of each of the first 50 values). */
        List<Long> seqs() {
            details();
            return seqs;
        }

        /** The lines of {@link #seqs()} ("" where not kept). */
        List<String> lines() {
            details();
            return lines;
        }

        private void details() {
            if (seqs != null) {
                return;
            }
            List<Long> out = new ArrayList<>(Math.min(50, distinct ? sightings.distinct() : sightings.size()));
            if (!distinct) {
                for (Iterator<Sighting> it = sightings.iterator(); it.hasNext() && out.size() < 50; ) {
                    out.add(it.next().seq());
                }
                this.seqs = out;
                this.values = List.of();
                this.lines = List.of();
                return;
            }
            // every value's first sighting found: the rest of the window (up to 10 × the threshold) only repeats them
            int wanted = Math.min(50, sightings.distinct());
            Set<String> seen = new HashSet<>(Math.max(4, wanted * 2));
            List<String> firstValues = new ArrayList<>(wanted);
            List<String> firstLines = new ArrayList<>(wanted);
            for (Iterator<Sighting> it = sightings.iterator(); it.hasNext() && out.size() < wanted; ) {
                Sighting s = it.next();
                if (seen.add(s.value())) {
                    out.add(s.seq());
                    firstValues.add(s.value());
                    firstLines.add(s.line() == null ? "" : s.line());
                }
            }
            this.seqs = out;
            this.values = firstValues;
            this.lines = firstLines;
        }

        String describe(Criterion c) {
            details();
            Criterion.Window w = c.window();
            String what = w.countDistinct() == null ? "events" : w.countDistinct() + " distinct";
            String shown = values.size() > 10 ? String.join(", ", values.subList(0, 10)) + ", ..." : String.join(", ", values);
            return what + "=" + count + (w.countDistinct() == null ? "" : " (" + shown + ")") + " within "
                    + TriageEngine.describe(w.span()) + (group.isEmpty() ? "" : " for " + group)
                    + " (threshold " + w.threshold() + ")";
        }
    }

    private WindowCount count(Criterion c, EvalContext ctx, Map<String, String> extracted) {
        Criterion.Window w = c.window();
        StringBuilder group = new StringBuilder();
        for (String f : w.groupBy()) {
            group.append(group.length() == 0 ? "" : ", ").append(f).append('=').append(value(ctx, extracted, f));
        }
        String k = c.id() + '\u0000' + group;
        Sightings d = windows.computeIfAbsent(k, x -> new Sightings());
        String v = w.countDistinct() == null ? null : String.valueOf(value(ctx, extracted, w.countDistinct()));
        // a distinct count keeps the line of a value's first sighting only (a spread shows one line per host):
        // memory grows with the distinct values, not with every repeat of them within the window
        d.addLast(new Sighting(ctx.event.time(), v, ctx.event.seq(), v == null || d.has(v) ? null : ctx.event.text()));
        Instant from = ctx.event.time().minus(w.span());
        while (!d.isEmpty() && d.peekFirst().time().isBefore(from)) {
            d.removeFirst();
        }
        // Memory stays bounded inside one group too: far more sightings than the threshold add nothing.
        while (d.size() > 10L * w.threshold() + 100) {
            d.removeFirst();
        }
        int count = w.countDistinct() == null ? d.size() : d.distinct();
        return new WindowCount(count, group.toString(), d, w.countDistinct() != null);
    }

    private Verdict verdict(Event e, Asset a, Criterion c, List<String> facts, Map<String, String> extracted,
                            List<Long> related, int revision, long repeatOf) {
        return verdict(e, a, c, c, facts, extracted, related, revision, repeatOf);
    }

    private Verdict verdict(Event e, Asset a, Criterion c, Criterion keyFrom, List<String> facts,
                            Map<String, String> extracted, List<Long> related, int revision, long repeatOf) {
        EvalContext ctx = new EvalContext(e, a);
        String caseKey = null;
        if (explainAll || (c.level() > 0 && repeatOf == 0)) { // the case stage's key: incidents only, live
            StringBuilder key = new StringBuilder(keyFrom.category().id());
            for (String f : keyFrom.caseKey()) {
                key.append(':').append(value(ctx, extracted, f));
            }
            caseKey = key.toString();
        }
        List<List<String>> refs = sequenceRefs.get(c.id());
        if (refs != null) {
            for (List<String> same : refs) {
                fired.put(key(c.id(), same, ctx, extracted), e.time());
            }
        }
        return new Verdict(e, a, c.id(), c.title(), c.category(), c.level(), c.annexId(), c.annexText(),
                List.copyOf(facts), caseKey, related, List.of(), criteria.hash(), revision, repeatOf);
    }

    static String describe(Duration d) {
        long s = d.toSeconds();
        if (s % 3600 == 0 && s >= 3600) {
            return (s / 3600) + "h";
        }
        if (s % 60 == 0 && s >= 60) {
            return (s / 60) + "min";
        }
        return s + "s";
    }

    /** The held events, for saving the state across a restart. */
    synchronized Collection<List<Held>> heldForState() {
        return held.values();
    }

    /** Restores one held event (state saved before a restart). */
    synchronized void restoreHeld(Held h, String key) {
        held.computeIfAbsent(key, k -> new ArrayList<>()).add(h);
        heldCount++;
    }
}
