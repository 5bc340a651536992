package csirt.agent.cases;

import java.time.Instant;

/** A journaled event linked to a case, with its verdict and raw text. */
public record CaseEvent(long journalSeq, Instant receivedAt, String host, String criterionId, int level,
                        String facts, String rawText) {
}
