package csirt.agent.triage;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which criteria can possibly match an event, found without trying them all: a criterion with an
 * "one of these values" condition (app, msgid, av.action, asset.role...) is filed under each of
 * those values, and only looked at when the event's field has one of them. Criteria without such a
 * condition are always tried. Only a pre-selection: every candidate still runs its full match, so
 * a criterion is never skipped that would have matched (values are compared folded as
 * {@link String#equalsIgnoreCase} compares them).
 *
 * <p>Criteria with a regular expression whose prefilter names literals (see {@link LiteralPrefilter})
 * are also filed under those literals: one scan of the field per event ({@link LiteralScan}) finds
 * which literals it holds, and a criterion none of whose literals is there is not tried. Without
 * this the cost per event grew with the number of criteria (a hundred times the shipped set ran
 * 40 times slower). With a set the size of the shipped one the scan is not made: the few
 * candidates left by the value index test their own literals for less than one pass over all of
 * them (the pass was a fifth of the live agent's CPU with the shipped criteria).
 */
final class CriteriaIndex {

    private final BitSet always = new BitSet();
    /** Criteria that need one of their regex prefilter's literals in a field: tried only when one is there. */
    private final BitSet literalGated = new BitSet();
    private final List<FieldScan> scans = new ArrayList<>();
    /** Criteria with literals from which one scan for all of them costs less than each candidate's own test. */
    static final int LITERAL_SCAN_FROM = 200;

    /** The literals of one field (and case rule) of every criterion gated by them, scanned together. */
    private record FieldScan(String field, boolean caseInsensitive, LiteralScan scan, BitSet[] byLiteral) {
    }

    /** One thread's bit sets for {@link #candidates}, reused event after event. */
    private static final ThreadLocal<BitSet[]> SCRATCH = ThreadLocal.withInitial(() -> new BitSet[] {new BitSet(), new BitSet(), new BitSet()});
    /** field → folded value → the criteria (positions in file order) gated by it. */
    private final Map<String, Map<String, BitSet>> gated = new HashMap<>();
    private final String[] fields;

    CriteriaIndex(List<Criterion> criteria) {
        for (int i = 0; i < criteria.size(); i++) {
            Criterion c = criteria.get(i);
            if (c.match().isEmpty()) {
                continue; // reached only through another criterion's hold
            }
            Condition gate = gate(c);
            if (gate == null) {
                always.set(i);
                continue;
            }
            Map<String, BitSet> byValue = gated.computeIfAbsent(gate.field(), f -> new HashMap<>());
            for (String v : gate.values()) {
                byValue.computeIfAbsent(fold(v), k -> new BitSet()).set(i);
            }
        }
        this.fields = gated.keySet().toArray(new String[0]);
        fileByLiterals(criteria);
    }

    private void fileByLiterals(List<Criterion> criteria) {
        Map<String, Map<String, Integer>> ids = new java.util.LinkedHashMap<>(); // field + case rule → literal → id
        Map<String, List<BitSet>> byId = new HashMap<>();
        for (int i = 0; i < criteria.size(); i++) {
            Condition gate = null;
            for (Condition cond : criteria.get(i).match()) {
                if (cond.op() == Condition.Op.REGEX && cond.prefilter() != null && !cond.field().startsWith("x.")) {
                    gate = cond;
                    break;
                }
            }
            if (gate == null) {
                continue;
            }
            // the first group: every match holds one of its literals (the further groups are the condition's own test)
            String key = (gate.prefilter().caseInsensitive() ? "i:" : "s:") + gate.field();
            Map<String, Integer> lits = ids.computeIfAbsent(key, k -> new java.util.LinkedHashMap<>());
            List<BitSet> bits = byId.computeIfAbsent(key, k -> new ArrayList<>());
            for (String l : gate.prefilter().literals()) {
                int id = lits.computeIfAbsent(l, x -> {
                    bits.add(new BitSet());
                    return bits.size() - 1;
                });
                bits.get(id).set(i);
            }
            literalGated.set(i);
        }
        if (literalGated.cardinality() < LITERAL_SCAN_FROM) {
            literalGated.clear();
            return;
        }
        ids.forEach((key, lits) -> scans.add(new FieldScan(key.substring(2), key.startsWith("i:"),
                new LiteralScan(new ArrayList<>(lits.keySet())), byId.get(key).toArray(new BitSet[0]))));
    }

    /**
     * The condition that files the criterion: "one of" values on an event field rather than on the
     * asset (most events come from terminals, so asset.role=terminal selects little), else on the asset.
     */
    private static Condition gate(Criterion c) {
        Condition asset = null;
        for (Condition cond : c.match()) {
            if (cond.op() != Condition.Op.ANY_OF || cond.values().isEmpty() || cond.field().startsWith("x.")) {
                continue;
            }
            if (!cond.field().startsWith("asset.")) {
                return cond;
            }
            if (asset == null) {
                asset = cond;
            }
        }
        return asset;
    }

    /** Sets in {@code out} the positions of the criteria worth trying on this event. */
    void candidates(EvalContext ctx, BitSet out) {
        out.clear();
        out.or(always);
        for (String f : fields) {
            String v = ctx.get(f);
            if (v == null) {
                continue;
            }
            BitSet b = gated.get(f).get(fold(v));
            if (b != null) {
                out.or(b);
            }
        }
        if (scans.isEmpty()) {
            return;
        }
        BitSet[] s = SCRATCH.get();
        BitSet possible = s[0];
        BitSet found = s[1];
        BitSet excluded = s[2];
        possible.clear();
        for (FieldScan fs : scans) {
            String v = ctx.get(fs.field());
            if (v == null) {
                continue; // the regex cannot match an absent field: its criteria stay excluded
            }
            found.clear();
            fs.scan().scan(fs.caseInsensitive() ? ctx.lower(fs.field(), v) : v, found);
            for (int id = found.nextSetBit(0); id >= 0; id = found.nextSetBit(id + 1)) {
                possible.or(fs.byLiteral()[id]);
            }
        }
        excluded.clear();
        excluded.or(literalGated);
        excluded.andNot(possible);
        out.andNot(excluded);
    }

    /** Case folding with the same outcome as equalsIgnoreCase: upper case, then lower case, per code point. */
    static String fold(String s) {
        boolean plain = true;
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch >= 'A' && ch <= 'Z' || ch >= 0x80) {
                plain = false;
                break;
            }
        }
        if (plain) {
            return s;
        }
        StringBuilder b = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> b.appendCodePoint(Character.toLowerCase(Character.toUpperCase(cp))));
        return b.toString();
    }

    /** Whether this set is large enough for the combined literal scan. */
    boolean scansLiterals() {
        return !scans.isEmpty();
    }

    List<String> fields() {
        return new ArrayList<>(List.of(fields));
    }
}
