package csirt.agent.triage;

import java.util.List;

import csirt.agent.asset.Asset;
import csirt.agent.parse.Event;

/**
 * The decision about one event, and why: the criterion, the Annex table 1 example it implements
 * (quoted), the facts that matched and the window counts, the criteria set in force.
 *
 * @param criterionId null when no criterion matched (level 0, nothing to do)
 * @param category    null when no criterion matched
 * @param caseKey     which open case this belongs to, e.g. {@code cyber:Eicar-Test-Signature}
 * @param relatedSeqs journal sequence numbers of the other events that made the decision (a spread)
 * @param relatedLines the received lines of those events, in the same order, where the engine still
 *                    had them (a spread's detections on each host: some are still held, in no case yet);
 *                    empty, or shorter than relatedSeqs after a restart
 * @param revision    0 for the first decision about the event; 1, 2... when time re-decided it
 *                    (a failure still unresolved past an escalation step)
 * @param repeatOf    the sequence number of the first of identical repeats this one repeats, or 0
 */
public record Verdict(Event event, Asset asset, String criterionId, String title, Category category, int level,
                      String annexId, String annexText, List<String> facts, String caseKey, List<Long> relatedSeqs,
                      List<String> relatedLines, String criteriaHash, int revision, long repeatOf) {

    /** A verdict that needs a case: level 1 or 2 and not a suppressed repeat. */
    public boolean incident() {
        return level > 0 && repeatOf == 0;
    }

    /** The mark of a drill's cases: in the title of the case and of every notice, and before the case key. */
    public static final String DRILL = "【訓練】";

    /** Whether the event came from a drill (`drill run`): its case is a drill's, kept apart from real ones. */
    public boolean drill() {
        return event.receipt().input().startsWith("drill");
    }

    /** A drill's verdict as its case records it: 【訓練】 before the title, "drill:" before the case key. */
    public Verdict asDrill() {
        if (!drill() || (caseKey != null && caseKey.startsWith("drill:"))) {
            return this;
        }
        return new Verdict(event, asset, criterionId, title == null ? null : DRILL + title, category, level, annexId, annexText, facts,
                caseKey == null ? null : "drill:" + caseKey, relatedSeqs, relatedLines, criteriaHash, revision, repeatOf);
    }

    /** This verdict with the received lines of its related events. */
    public Verdict withRelatedLines(List<String> lines) {
        return new Verdict(event, asset, criterionId, title, category, level, annexId, annexText, facts, caseKey, relatedSeqs,
                List.copyOf(lines), criteriaHash, revision, repeatOf);
    }

    /** One line for logs and the command line: seq, level, category, criterion, host. */
    public String summary() {
        return "seq=" + event.seq() + " level=" + level
                + " category=" + (category == null ? "-" : category.id())
                + " criterion=" + (criterionId == null ? "-" : criterionId)
                + " host=" + event.host()
                + (revision > 0 ? " revision=" + revision : "")
                + (repeatOf > 0 ? " repeat-of=" + repeatOf : "");
    }
}
