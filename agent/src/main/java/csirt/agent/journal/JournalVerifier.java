package csirt.agent.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;

/**
 * Recomputes the hash chain of a journal from the first record and reports the first record
 * that does not check: a changed byte, a deleted, inserted or reordered record, a cut file.
 */
public final class JournalVerifier {

    private JournalVerifier() {
    }

    /**
     * Verifies every segment of {@code dir}. A partial last record is accepted only while a running
     * agent holds the journal (it may be mid-write); otherwise it is reported.
     */
    public static VerifyResult verify(Path dir) throws IOException {
        return verify(dir, r -> { });
    }

    /** As {@link #verify(Path)}, handing each record that checks to {@code visitor}. */
    public static VerifyResult verify(Path dir, Consumer<JournalRecord> visitor) throws IOException {
        List<Path> segments = Journal.segments(dir);
        boolean live = Journal.inUse(dir);
        MessageDigest digest = JournalFormat.sha256();
        byte[] prev = JournalFormat.GENESIS_HASH;
        long expected = 1;
        long count = 0;
        for (Path seg : segments) {
            try (JournalScanner s = new JournalScanner(seg)) {
                JournalScanner.Raw raw;
                while (true) {
                    try {
                        raw = s.next();
                    } catch (JournalScanner.DamagedException e) {
                        return problem(count, expected, prev, seg, e.offset,
                                "record " + expected + " is damaged: " + e.getMessage());
                    }
                    if (raw == null) {
                        break;
                    }
                    long seq = JournalScanner.seqOf(raw.body());
                    digest.reset();
                    digest.update(prev);
                    digest.update(raw.body());
                    byte[] computed = digest.digest();
                    if (!Arrays.equals(computed, raw.hash())) {
                        return problem(count, expected, prev, seg, raw.offset(),
                                "record " + expected + " does not match its hash: its bytes, its hash or an earlier "
                                        + "record were changed, or a record was inserted or removed before it");
                    }
                    if (seq != expected) {
                        return problem(count, expected, prev, seg, raw.offset(),
                                "expected record " + expected + " but found record " + seq
                                        + ": records were removed, inserted or reordered");
                    }
                    JournalRecord rec;
                    try {
                        rec = JournalFormat.readBody(ByteBuffer.wrap(raw.body()), raw.hash());
                    } catch (RuntimeException e) {
                        return problem(count, expected, prev, seg, raw.offset(),
                                "record " + expected + " cannot be decoded: " + e.getMessage());
                    }
                    visitor.accept(rec);
                    prev = raw.hash();
                    expected++;
                    count++;
                }
                if (s.tornTail() && !live) {
                    return problem(count, expected, prev, seg, s.offset(),
                            "the file ends inside record " + expected + " (cut short); "
                                    + "starting the agent cuts a torn last record back, anything else means truncation");
                }
            }
        }
        return new VerifyResult(count, expected - 1, HexFormat.of().formatHex(prev), 0, null, -1, null);
    }

    private static VerifyResult problem(long count, long seq, byte[] prev, Path file, long offset, String message) {
        return new VerifyResult(count, seq - 1, HexFormat.of().formatHex(prev), seq, file, offset, message);
    }
}
