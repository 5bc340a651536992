package csirt.agent.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;

/**
 * Recomputes the hash chain of a journal across its segments and reports the first record or
 * segment that does not check: a changed byte, a deleted, inserted or reordered record, a cut or
 * missing segment, a sealed segment whose file or records differ from its manifest.
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
        return verify(dir, 1, Long.MAX_VALUE, visitor);
    }

    /**
     * Verifies the segments that hold records {@code from}..{@code to}. The chain is entered at the
     * first such segment through its manifest's {@code prev_hash}, once the sealed segments before it
     * are checked against their manifests (file hash and chain links), so a range needs no full read.
     */
    public static VerifyResult verify(Path dir, long from, long to, Consumer<JournalRecord> visitor) throws IOException {
        return verify(dir, from, to, visitor, ReadPace.NONE);
    }

    /** As {@link #verify(Path)}, reading no faster than {@code pace} (the agent's scheduled verification). */
    public static VerifyResult verify(Path dir, ReadPace pace) throws IOException {
        return verify(dir, 1, Long.MAX_VALUE, r -> { }, pace);
    }

    private static VerifyResult verify(Path dir, long from, long to, Consumer<JournalRecord> visitor, ReadPace pace)
            throws IOException {
        List<Path> segments = Journal.segments(dir);
        boolean live = Journal.inUse(dir);
        MessageDigest digest = JournalFormat.sha256();
        byte[] prev = JournalFormat.GENESIS_HASH;
        long expected = 1;
        long count = 0;
        java.util.Map<Long, SegmentManifest> deleted = Retention.deleted(dir);
        java.util.List<String> attestations = new java.util.ArrayList<>();
        java.util.List<SegmentManifest> skipped = new java.util.ArrayList<>();
        Consumer<JournalRecord> watch = r -> {
            if ("journal-retention".equals(r.receipt().input())) {
                attestations.add(r.payloadText());
            }
            visitor.accept(r);
        };
        for (int i = 0; i < segments.size(); i++) {
            Path seg = segments.get(i);
            Path mf = SegmentManifest.pathFor(seg);
            boolean last = i == segments.size() - 1;
            SegmentManifest m = Files.exists(mf) ? SegmentManifest.read(mf) : null;
            // segments deleted by retention before this one: their kept manifests carry the chain over the gap
            long first = m != null ? m.firstSeq() : firstSeqOfSegment(seg);
            while (expected < first && deleted.containsKey(expected)
                    && deleted.get(expected).prevHash().equals(HexFormat.of().formatHex(prev))) {
                SegmentManifest gone = deleted.get(expected);
                skipped.add(gone);
                prev = HexFormat.of().parseHex(gone.lastHash());
                expected = gone.lastSeq() + 1;
            }
            if (m == null && !last) {
                return problem(count, expected, prev, seg, -1, "segment " + seg.getFileName()
                        + " is not the last but has no manifest: a sealed segment lost its seal, or segments were mixed");
            }
            if (m != null) {
                if (m.firstSeq() != expected) {
                    return problem(count, expected, prev, seg, 0, m.firstSeq() > expected
                            ? "records " + expected + ".." + (m.firstSeq() - 1) + " are missing: a segment before "
                            + seg.getFileName() + " was deleted"
                            : "segment " + seg.getFileName() + " starts at record " + m.firstSeq() + " but " + expected
                            + " was expected: segments overlap or were reordered");
                }
                if (!m.prevHash().equals(HexFormat.of().formatHex(prev))) {
                    return problem(count, expected, prev, seg, 0, "segment " + seg.getFileName()
                            + " does not link to the segment before it (prev_hash of its manifest)");
                }
                String actual = SegmentManifest.sha256(seg, pace);
                if (!actual.equals(m.sha256())) {
                    // find the first bad record for the report, then say the file differs from its seal
                    VerifyResult r = verifySegment(seg, digest, prev, expected, count, watch, false, pace);
                    String why = "segment " + seg.getFileName() + " does not match its manifest (sha256 " + actual
                            + ", sealed " + m.sha256() + "): changed or cut after sealing";
                    return r.ok() ? problem(count + r.records(), r.lastSeq() + 1, HexFormat.of().parseHex(r.headHash()), seg, -1, why)
                            : new VerifyResult(r.records(), r.lastSeq(), r.headHash(), r.problemSeq(), seg, r.problemOffset(),
                            r.problem() + "; " + why);
                }
                if (m.lastSeq() < from) {
                    // sealed, intact, before the range: enter the chain after it without reading it
                    prev = HexFormat.of().parseHex(m.lastHash());
                    expected = m.lastSeq() + 1;
                    continue;
                }
            }
            if (expected > to) {
                break;
            }
            VerifyResult r = verifySegment(seg, digest, prev, expected, count, watch, last && live, pace);
            if (!r.ok()) {
                return r;
            }
            if (m != null && (r.lastSeq() != m.lastSeq() || !r.headHash().equals(m.lastHash()))) {
                return problem(r.records(), r.lastSeq() + 1, HexFormat.of().parseHex(r.headHash()), seg, -1,
                        "segment " + seg.getFileName() + " ends at record " + r.lastSeq() + " but its manifest says " + m.lastSeq());
            }
            count = r.records();
            expected = r.lastSeq() + 1;
            prev = HexFormat.of().parseHex(r.headHash());
        }
        for (SegmentManifest gone : skipped) {
            boolean attested = attestations.stream().anyMatch(a -> a.contains("deleted segment " + gone.segment() + " ")
                    && a.contains("sha256 " + gone.sha256()));
            if (!attested && from <= 1) {
                return problem(count, gone.firstSeq(), HexFormat.of().parseHex(gone.prevHash()), dir.resolve(gone.segment()), -1,
                        "segment " + gone.segment() + " (records " + gone.firstSeq() + ".." + gone.lastSeq()
                                + ") is gone but no deletion record in the journal attests it");
            }
        }
        return new VerifyResult(count, expected - 1, HexFormat.of().formatHex(prev), 0, null, -1, null,
                skipped.stream().map(g -> g.segment() + " (" + g.firstSeq() + ".." + g.lastSeq() + ")").toList());
    }

    private static long firstSeqOfSegment(Path seg) {
        String n = seg.getFileName().toString();
        try {
            return Long.parseLong(n.substring("segment-".length(), n.length() - ".csj".length()));
        } catch (RuntimeException e) {
            return 1;
        }
    }

    private static VerifyResult verifySegment(Path seg, MessageDigest digest, byte[] prev, long expected, long count,
                                              Consumer<JournalRecord> visitor, boolean mayBeMidWrite, ReadPace pace)
            throws IOException {
        try (JournalScanner s = new JournalScanner(seg)) {
            JournalScanner.Raw raw;
            while (true) {
                try {
                    raw = s.next();
                } catch (JournalScanner.DamagedException e) {
                    return problem(count, expected, prev, seg, e.offset, "record " + expected + " is damaged: " + e.getMessage());
                }
                if (raw == null) {
                    break;
                }
                long seq = JournalScanner.seqOf(raw.body());
                byte[] computed = JournalFormat.chainHash(digest, raw.version(), prev, raw.body());
                if (!Arrays.equals(computed, raw.hash())) {
                    return problem(count, expected, prev, seg, raw.offset(),
                            "record " + expected + " does not match its hash: its bytes, its hash or an earlier "
                                    + "record were changed, or a record was inserted or removed before it");
                }
                if (seq != expected) {
                    return problem(count, expected, prev, seg, raw.offset(),
                            "expected record " + expected + " but found record " + seq + ": records were removed, inserted or reordered");
                }
                JournalRecord rec;
                try {
                    rec = JournalFormat.readBody(ByteBuffer.wrap(raw.body()), raw.hash());
                } catch (RuntimeException e) {
                    return problem(count, expected, prev, seg, raw.offset(), "record " + expected + " cannot be decoded: " + e.getMessage());
                }
                visitor.accept(rec);
                pace.read(JournalFormat.PREFIX_BYTES + raw.body().length + JournalFormat.HASH_BYTES);
                prev = raw.hash();
                expected++;
                count++;
            }
            if (s.tornTail() && !mayBeMidWrite) {
                return problem(count, expected, prev, seg, s.offset(), "the file ends inside record " + expected
                        + " (cut short); starting the agent cuts a torn last record back, anything else means truncation");
            }
        }
        return new VerifyResult(count, expected - 1, HexFormat.of().formatHex(prev), 0, null, -1, null);
    }

    private static VerifyResult problem(long count, long seq, byte[] prev, Path file, long offset, String message) {
        return new VerifyResult(count, seq - 1, HexFormat.of().formatHex(prev), seq, file, offset, message);
    }
}
