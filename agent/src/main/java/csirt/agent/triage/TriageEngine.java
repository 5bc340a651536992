package csirt.agent.triage;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import csirt.agent.asset.Asset;
import csirt.agent.asset.AssetInventory;
import csirt.agent.parse.Event;

/**
 * Decides, for every event, whether it is an incident, of which category and level, by the
 * criteria set (Annex table 1 as data). When several criteria match, the highest level wins;
 * among equal levels the most specific (most conditions, correlation counts extra), then the
 * first in file order.
 *
 * <p>Time comes from the events (their receipt time) and from {@link #tick(Instant)}, never from
 * the wall clock, so a replay of old logs decides as the live daemon did.
 */
public final class TriageEngine {

    /** Bound on held events: beyond it the oldest hold is decided at once rather than growing memory. */
    static final int MAX_HELD = 100_000;
    /** Bound on spread groups per criterion (e.g. distinct signatures); the stalest group is dropped. */
    static final int MAX_GROUPS = 10_000;

    private record Held(Event event, Asset asset, Criterion criterion, List<String> facts, Instant deadline) {
    }

    private record Sighting(Instant time, String value, long seq) {
    }

    private final CriteriaSet criteria;
    private final AssetInventory assets;
    private final Map<String, List<Held>> held = new LinkedHashMap<>();
    private int heldCount;
    private final Map<String, Deque<Sighting>> windows = new LinkedHashMap<>(16, 0.75f, true);

    public TriageEngine(CriteriaSet criteria, AssetInventory assets) {
        this.criteria = criteria;
        this.assets = assets;
    }

    public CriteriaSet criteria() {
        return criteria;
    }

    /**
     * Judges one event. Usually returns its verdict; returns nothing when the event is held (its
     * verdict comes from a later event or from {@link #tick}), and may also return the verdicts of
     * events this one released.
     */
    public synchronized List<Verdict> evaluate(Event event) {
        Asset asset = assets.lookup(event.host());
        List<Verdict> out = new ArrayList<>(1);
        release(event, asset, out);

        Criterion best = null;
        List<String> bestFacts = null;
        List<Long> bestRelated = List.of();
        for (Criterion c : criteria.criteria()) {
            if (!c.matches(event, asset)) {
                continue;
            }
            Spread s = c.spread() == null ? null : spread(c, event, asset);
            if (s != null && s.distinct < c.spread().threshold()) {
                continue;
            }
            if (best == null || better(c, best)) {
                List<String> facts = new ArrayList<>();
                for (Condition cond : c.match()) {
                    facts.add(cond.fact(event, asset));
                }
                List<Long> related = List.of();
                if (s != null) {
                    facts.add(s.describe(c));
                    related = s.seqs;
                }
                best = c;
                bestFacts = facts;
                bestRelated = related;
            }
        }
        if (best == null) {
            out.add(new Verdict(event, asset, null, null, null, 0, null, null, List.of("no criterion matched"),
                    null, List.of(), criteria.hash()));
        } else if (best.hold() != null) {
            hold(event, asset, best, bestFacts, out);
        } else {
            out.add(verdict(event, asset, best, bestFacts, bestRelated));
        }
        return out;
    }

    /** Decides every held event whose wait ended at or before {@code now}. */
    public synchronized List<Verdict> tick(Instant now) {
        List<Verdict> out = new ArrayList<>();
        Iterator<Map.Entry<String, List<Held>>> it = held.entrySet().iterator();
        while (it.hasNext()) {
            List<Held> list = it.next().getValue();
            list.removeIf(h -> {
                if (h.deadline.isAfter(now)) {
                    return false;
                }
                List<String> facts = new ArrayList<>(h.facts);
                facts.add("no release within " + h.criterion.hold().duration().toSeconds() + "s");
                out.add(verdict(h.event, h.asset, h.criterion, facts, List.of()));
                heldCount--;
                return true;
            });
            if (list.isEmpty()) {
                it.remove();
            }
        }
        return out;
    }

    /** How many events wait for a release or a deadline. */
    public synchronized int heldCount() {
        return heldCount;
    }

    private static boolean better(Criterion c, Criterion best) {
        if (c.level() != best.level()) {
            return c.level() > best.level();
        }
        return c.specificity() > best.specificity();
    }

    private void hold(Event event, Asset asset, Criterion c, List<String> facts, List<Verdict> out) {
        if (heldCount >= MAX_HELD) {
            // Memory is bounded: decide the oldest holds now rather than wait for their release.
            Map.Entry<String, List<Held>> oldest = held.entrySet().iterator().next();
            held.remove(oldest.getKey());
            for (Held h : oldest.getValue()) {
                heldCount--;
                List<String> f = new ArrayList<>(h.facts);
                f.add("decided early: too many events held (" + MAX_HELD + ")");
                out.add(verdict(h.event, h.asset, h.criterion, f, List.of()));
            }
        }
        String key = holdKey(c, event, asset);
        held.computeIfAbsent(key, k -> new ArrayList<>())
                .add(new Held(event, asset, c, facts, event.time().plus(c.hold().duration())));
        heldCount++;
    }

    private void release(Event event, Asset asset, List<Verdict> out) {
        if (held.isEmpty()) {
            return;
        }
        for (Criterion c : criteria.criteria()) {
            if (c.hold() == null || !allMatch(c.hold().releasedBy(), event, asset)) {
                continue;
            }
            List<Held> released = held.remove(holdKey(c, event, asset));
            if (released == null) {
                continue;
            }
            Criterion then = criteria.byId(c.hold().thenCriterion());
            for (Held h : released) {
                heldCount--;
                List<String> facts = new ArrayList<>(h.facts);
                facts.add("released by seq " + event.seq() + ": " + c.hold().releasedBy().get(0).fact(event, asset));
                out.add(verdict(h.event, h.asset, then, facts, List.of(event.seq())));
            }
        }
    }

    private static boolean allMatch(List<Condition> conditions, Event e, Asset a) {
        for (Condition c : conditions) {
            if (!c.matches(e, a)) {
                return false;
            }
        }
        return true;
    }

    private static String holdKey(Criterion c, Event e, Asset a) {
        StringBuilder b = new StringBuilder(c.id());
        for (String f : c.hold().same()) {
            b.append('\u0000').append(EventFields.get(e, a, f));
        }
        return b.toString();
    }

    private record Spread(int distinct, List<String> values, List<Long> seqs, String group) {
        String describe(Criterion c) {
            return c.spread().countDistinct() + " distinct=" + distinct + " (" + String.join(", ", values) + ") within "
                    + c.spread().window().toMinutes() + "min for " + c.spread().groupBy() + "=" + group;
        }
    }

    private Spread spread(Criterion c, Event event, Asset asset) {
        String group = EventFields.get(event, asset, c.spread().groupBy());
        String value = EventFields.get(event, asset, c.spread().countDistinct());
        String key = c.id() + '\u0000' + group;
        Deque<Sighting> w = windows.computeIfAbsent(key, k -> new ArrayDeque<>());
        if (windows.size() > MAX_GROUPS) {
            Iterator<String> it = windows.keySet().iterator();
            it.next();
            it.remove();
        }
        w.addLast(new Sighting(event.time(), value, event.seq()));
        Instant from = event.time().minus(c.spread().window());
        while (!w.isEmpty() && w.peekFirst().time().isBefore(from)) {
            w.removeFirst();
        }
        Set<String> distinct = new LinkedHashSet<>();
        List<Long> seqs = new ArrayList<>();
        for (Sighting s : w) {
            if (distinct.add(String.valueOf(s.value()))) {
                seqs.add(s.seq());
            }
        }
        // Keep memory bounded inside one group too: only the newest sightings matter for a count.
        while (w.size() > 10 * Math.max(1, c.spread().threshold()) + 100) {
            w.removeFirst();
        }
        return new Spread(distinct.size(), List.copyOf(distinct), seqs, group);
    }

    private Verdict verdict(Event e, Asset a, Criterion c, List<String> facts, List<Long> related) {
        StringBuilder key = new StringBuilder(c.category().id());
        for (String f : c.caseKey()) {
            key.append(':').append(EventFields.get(e, a, f));
        }
        return new Verdict(e, a, c.id(), c.title(), c.category(), c.level(), c.annexId(), c.annexText(),
                List.copyOf(facts), key.toString(), related, criteria.hash());
    }
}
