package csirt.agent.triage;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * One decision rule of the criteria set: which events it takes, which Annex table 1 example it
 * implements, the level and category it gives, and its optional correlation in time.
 *
 * @param caseKey  fields that, with the category, say which events belong to the same case
 * @param hold     wait before deciding: a releasing event within the grace lowers the verdict,
 *                 none raises it along the escalation ladder (down/up, FOUND/Removed.)
 * @param window   count events (or distinct values) per group within a sliding window (spread, brute force)
 * @param after    match only when another criterion fired for the same values shortly before (sequences)
 * @param suppress identical repeats within a period are marked as repeats and open nothing
 */
public record Criterion(String id, String title, Category category, int level, String status,
                        String annexId, String annexText, List<Condition> match, List<String> caseKey,
                        Hold hold, Window window, After after, Suppress suppress, Path file, int line, int order) {

    /** Wait {@code grace} for an event matching {@code releasedBy} with the same {@code same} fields. */
    public record Hold(Duration grace, List<Condition> releasedBy, List<String> same, String thenCriterion,
                       List<Step> escalate) {
    }

    /** Still unreleased {@code after} the first event: re-decide with criterion {@code to}. */
    public record Step(Duration after, String to) {
    }

    /**
     * Matches when at least {@code threshold} events (or, with {@code countDistinct}, distinct values
     * of that field) share the {@code groupBy} values within {@code span}.
     */
    public record Window(String countDistinct, List<String> groupBy, int threshold, Duration span) {
    }

    /** Criterion {@code criterion} gave a verdict for the same {@code same} values within {@code within}. */
    public record After(String criterion, List<String> same, Duration within) {
    }

    /** The same values of {@code same} again within {@code period}: a repeat. */
    public record Suppress(List<String> same, Duration period) {
    }

    public boolean matches(EvalContext ctx) {
        ctx.resetExtracted();
        // indexed: this runs for every candidate criterion of every event, and an iterator is an allocation
        for (int i = 0; i < match.size(); i++) {
            if (!match.get(i).matches(ctx)) {
                return false;
            }
        }
        return true;
    }

    /** How specific the criterion is: ties between equal levels go to the more specific one. */
    public int specificity() {
        return match.size() + (window != null ? 2 : 0) + (after != null ? 2 : 0);
    }
}
