package csirt.agent.cases;

import java.util.Optional;

import csirt.agent.triage.Verdict;

/**
 * What a level 1-2 verdict does to the cases, decided without the database: with no open case of
 * its key it opens one; one not above the open case's level joins it; a higher one escalates it.
 * A case in monitoring that gets a new event has a possible recurrence (plan 4(2)③(II)).
 */
final class CaseRules {

    /** The effect of one verdict on the open case of its key. */
    enum Effect { OPEN, ATTACH, ESCALATE }

    private CaseRules() {
    }

    static Effect effect(Optional<CaseRecord> open, Verdict v) {
        if (!v.incident()) {
            throw new IllegalArgumentException("level 0 verdicts open no case: " + v.summary());
        }
        if (open.isEmpty()) {
            return Effect.OPEN;
        }
        return v.level() <= open.get().level() ? Effect.ATTACH : Effect.ESCALATE;
    }

    /** True when new events on this case may be a recurrence: it was being watched after recovery. */
    static boolean recurrence(CaseRecord c) {
        return CaseState.MONITORING.equals(c.state());
    }

    /** The case's priority after this verdict, with the hosts it now has. */
    static int priority(int level, Verdict v, int hosts) {
        return Priority.of(level, v.asset().affects(), v.asset().criticality(), hosts);
    }
}
