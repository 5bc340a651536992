package csirt.agent.cases;

import java.time.Instant;

/**
 * A notice waiting in the durable outbox: the exact RFC 5322 bytes to send, and its delivery history.
 *
 * @param caseId 0 for notices about no single case (daily digest, rate warning)
 * @param kind   opened, escalated, update, digest, cap-warning
 */
public record OutboxItem(long id, long caseId, String kind, int level, String messageId, Instant createdAt,
                         int attempts, Instant nextAttemptAt, String lastError, boolean keptAsFile, byte[] message) {
}
