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
 */
final class CriteriaIndex {

    private final BitSet always = new BitSet();
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

    List<String> fields() {
        return new ArrayList<>(List.of(fields));
    }
}
