package csirt.agent.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.function.Consumer;

/** Reads the records of a journal from a sequence number on, in order (structure checked, not hashes). */
public final class JournalReader {

    private JournalReader() {
    }

    /** One link of the chain: a record's format version, its body and hash, and the hash before it. */
    public record Link(long seq, int version, byte[] body, byte[] hash, byte[] prevHash) {
    }

    /**
     * Hands every record from {@code from} to {@code to} to {@code visitor} as a chain link, in
     * order; sealed segments wholly before {@code from} are passed through their manifests.
     */
    public static void readChain(Path dir, long from, long to, Consumer<Link> visitor) throws IOException {
        byte[] prev = JournalFormat.GENESIS_HASH;
        for (Path seg : Journal.segments(dir)) {
            Path mf = SegmentManifest.pathFor(seg);
            if (java.nio.file.Files.exists(mf)) {
                SegmentManifest m = SegmentManifest.read(mf);
                if (m.lastSeq() < from) {
                    prev = java.util.HexFormat.of().parseHex(m.lastHash());
                    continue;
                }
                prev = java.util.HexFormat.of().parseHex(m.prevHash());
            }
            try (JournalScanner s = new JournalScanner(seg)) {
                JournalScanner.Raw raw;
                while ((raw = s.next()) != null) {
                    long seq = JournalScanner.seqOf(raw.body());
                    if (seq > to) {
                        return;
                    }
                    if (seq >= from) {
                        visitor.accept(new Link(seq, raw.version(), raw.body(), raw.hash(), prev));
                    }
                    prev = raw.hash();
                }
            }
        }
    }

    /** Hands every record with {@code seq >= from} to {@code visitor}, in journal order. */
    public static void read(Path dir, long from, Consumer<JournalRecord> visitor) throws IOException {
        for (Path seg : Journal.segments(dir)) {
            try (JournalScanner s = new JournalScanner(seg)) {
                JournalScanner.Raw raw;
                while ((raw = s.next()) != null) {
                    if (JournalScanner.seqOf(raw.body()) >= from) {
                        visitor.accept(JournalFormat.readBody(ByteBuffer.wrap(raw.body()), raw.hash()));
                    }
                }
            }
        }
    }
}
