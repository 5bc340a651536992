package csirt.agent.triage;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import csirt.agent.asset.Asset;
import csirt.agent.parse.Event;

/**
 * One decision rule of the criteria set: which events it takes, which Annex table 1 example it
 * implements, the level and category it gives, and its optional correlation.
 *
 * @param caseKey fields that, with the category, say which events belong to the same case
 * @param hold    wait before deciding, in case a releasing event (e.g. "Removed.") follows
 * @param spread  count distinct values of a field within a window, per group
 */
public record Criterion(String id, String title, Category category, int level, String status,
                        String annexId, String annexText, List<Condition> match, List<String> caseKey,
                        Hold hold, Spread spread, Path file, int line, int order) {

    /** Wait {@code duration} for an event matching {@code releasedBy} with the same {@code same} fields. */
    public record Hold(Duration duration, List<Condition> releasedBy, List<String> same, String thenCriterion) {
    }

    /** Matches when {@code threshold} distinct values of {@code countDistinct} share {@code groupBy} within {@code window}. */
    public record Spread(String countDistinct, String groupBy, int threshold, Duration window) {
    }

    public boolean matches(Event e, Asset asset) {
        for (Condition c : match) {
            if (!c.matches(e, asset)) {
                return false;
            }
        }
        return true;
    }

    /** How specific the criterion is: ties between equal levels go to the more specific one. */
    public int specificity() {
        return match.size() + (spread != null ? 2 : 0);
    }
}
