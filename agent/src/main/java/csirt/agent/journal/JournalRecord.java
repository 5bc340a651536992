package csirt.agent.journal;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * One journaled message: sequence number, receipt metadata, flags, the exact bytes received,
 * and the chain hash that seals it to every record before it.
 */
public record JournalRecord(long seq, Receipt receipt, int flags, byte[] payload, byte[] hash) {

    /** Flag: this record is a piece of an over-long frame and the frame continues in the next record. */
    public static final int FLAG_CONTINUES = 1;
    /** Flag: this record continues an over-long frame begun in an earlier record. */
    public static final int FLAG_CONTINUATION = 2;
    /** Flag: the connection closed before the frame was complete (octet count not reached). */
    public static final int FLAG_INCOMPLETE = 4;

    public String hashHex() {
        return HexFormat.of().formatHex(hash);
    }

    /** The payload decoded as UTF-8, for display; the journal itself keeps the bytes. */
    public String payloadText() {
        return new String(payload, StandardCharsets.UTF_8);
    }
}
