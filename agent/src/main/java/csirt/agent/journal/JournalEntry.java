package csirt.agent.journal;

/** A message to append: its receipt, the flags of its framing, and the exact bytes received. */
public record JournalEntry(Receipt receipt, int flags, byte[] payload) {
}
