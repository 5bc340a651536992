package csirt.agent.cases;

import java.time.Instant;

/**
 * A case as stored: what it is about, how serious, where it stands, and when it was seen.
 *
 * @param pendingUpdates events attached since the last notice about the case
 * @param lastNoticeAt   when the last notice about it was queued, null before the first
 * @param priority       1 (first) to 4, see {@link Priority}
 * @param recurrences    events that arrived while the case was monitored for recurrence
 * @param previousCaseId the closed case with the same key this one may be a recurrence of, 0 if none
 */
public record CaseRecord(long id, String caseKey, String category, int level, String state, String title,
                         String criterionId, String annexId, String host, Instant openedAt, Instant firstSeen,
                         Instant lastSeen, int eventCount, String firstNoticeId, int pendingUpdates, Instant lastNoticeAt,
                         int priority, String assignee, int recurrences, long previousCaseId, Instant closedAt) {

    /** A case as the notices and older tests see it (no lifecycle fields yet). */
    public CaseRecord(long id, String caseKey, String category, int level, String state, String title, String criterionId,
                      String annexId, String host, Instant openedAt, Instant firstSeen, Instant lastSeen, int eventCount,
                      String firstNoticeId, int pendingUpdates, Instant lastNoticeAt) {
        this(id, caseKey, category, level, state, title, criterionId, annexId, host, openedAt, firstSeen, lastSeen, eventCount,
                firstNoticeId, pendingUpdates, lastNoticeAt, 4, null, 0, 0, null);
    }

    /** The id people see and write: {@code C-000042}. */
    public String displayId() {
        return displayId(id);
    }

    public static String displayId(long id) {
        return String.format("C-%06d", id);
    }

    /** Parses {@code C-000042} or {@code 42}; -1 when it is neither. */
    public static long parseId(String text) {
        String t = text.strip();
        if (t.regionMatches(true, 0, "C-", 0, 2)) {
            t = t.substring(2);
        }
        try {
            return Long.parseLong(t);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
