package csirt.agent.cases;

import csirt.agent.triage.Verdict;

/**
 * What a verdict did to the cases: opened one, raised one's level, or was attached to one.
 * Opening and escalation are what a notice is sent for.
 */
public record CaseChange(Kind kind, CaseRecord caseRecord, Verdict verdict, int previousLevel) {

    public enum Kind { OPENED, ESCALATED, ATTACHED, DUPLICATE }

    public boolean needsNotice() {
        return kind == Kind.OPENED || kind == Kind.ESCALATED;
    }
}
