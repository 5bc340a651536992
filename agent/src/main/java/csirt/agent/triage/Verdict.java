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
 */
public record Verdict(Event event, Asset asset, String criterionId, String title, Category category, int level,
                      String annexId, String annexText, List<String> facts, String caseKey, List<Long> relatedSeqs,
                      String criteriaHash) {

    public boolean incident() {
        return level > 0;
    }

    /** One line for logs and the command line: seq, level, category, criterion, host. */
    public String summary() {
        return "seq=" + event.seq() + " level=" + level
                + " category=" + (category == null ? "-" : category.id())
                + " criterion=" + (criterionId == null ? "-" : criterionId)
                + " host=" + event.host();
    }
}
