package csirt.agent.cases;

import java.time.Instant;
import java.util.List;

/**
 * Writes the notices the case store puts into the outbox, inside the transaction of the case
 * change that calls for them: a change and its notice are stored together or not at all.
 */
public interface NoticeFactory {

    /** A notice ready for the outbox: its kind, level, Message-ID and exact bytes. */
    record Queued(String kind, int level, String messageId, byte[] bytes) {
    }

    /** The notice of a case opened or escalated. */
    Queued caseChange(CaseChange change, List<CaseEvent> events);

    /** An update: {@code newEvents} more events since {@code since}; {@code latest} are the newest. */
    Queued update(CaseRecord c, int newEvents, Instant since, List<CaseEvent> latest);
}
