package csirt.agent.ingest;

import csirt.agent.journal.JournalRecord;

/**
 * One syslog message as cut from a stream or datagram, without its framing bytes.
 *
 * @param bytes exactly the bytes of the message (or of one piece of an over-long one)
 * @param flags {@link JournalRecord#FLAG_CONTINUES}, {@link JournalRecord#FLAG_CONTINUATION},
 *              {@link JournalRecord#FLAG_INCOMPLETE}
 */
public record Frame(byte[] bytes, int flags) {

    public static Frame whole(byte[] bytes) {
        return new Frame(bytes, 0);
    }

    /** The first piece of a frame that was longer than the limit. */
    public boolean startsOversized() {
        return (flags & JournalRecord.FLAG_CONTINUES) != 0 && (flags & JournalRecord.FLAG_CONTINUATION) == 0;
    }

    public boolean continuation() {
        return (flags & JournalRecord.FLAG_CONTINUATION) != 0;
    }
}
