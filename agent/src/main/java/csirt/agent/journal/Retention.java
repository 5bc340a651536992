package csirt.agent.journal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongPredicate;

/**
 * Deletes whole sealed segments past the retention period, unless a case holds one of their
 * records (legal hold). The manifest of a deleted segment is kept in {@code journal/deleted/}, and
 * the caller journals a deletion record, so verification still passes and shows what went and why.
 */
public final class Retention {

    /** A segment that was deleted, with the sentence the deletion record carries. */
    public record Deleted(SegmentManifest manifest, String record) {
    }

    private Retention() {
    }

    /**
     * @param held true for a sequence number a case still holds (open, or closed within the retention)
     * @param now  the current time
     */
    public static List<Deleted> apply(Journal journal, Duration retention, LongPredicate held, Instant now) throws IOException {
        Path dir = journal.file().getParent();
        List<Deleted> out = new ArrayList<>();
        for (Path seg : Journal.segments(dir)) {
            Path mf = SegmentManifest.pathFor(seg);
            if (!Files.exists(mf) || seg.equals(journal.file())) {
                continue; // only sealed segments, never the one being written
            }
            SegmentManifest m = SegmentManifest.read(mf);
            if (m.sealedAt().isAfter(now.minus(retention))) {
                continue;
            }
            boolean hold = false;
            for (long q = m.firstSeq(); q <= m.lastSeq() && !hold; q++) {
                hold = held.test(q);
            }
            if (hold) {
                continue;
            }
            Path deletedDir = dir.resolve("deleted");
            Files.createDirectories(deletedDir);
            Files.copy(mf, deletedDir.resolve(mf.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            Files.delete(seg);
            Files.delete(mf);
            String text = "csirt-agent journal-retention: deleted segment " + m.segment() + " (records " + m.firstSeq() + ".."
                    + m.lastSeq() + ", sha256 " + m.sha256() + ", last_hash " + m.lastHash() + ", sealed " + m.sealedAt()
                    + "): older than the retention of " + retention.toDays() + " days and held by no case";
            out.add(new Deleted(m, text));
        }
        return out;
    }

    /** Manifests of segments deleted by retention, by first sequence number. */
    static java.util.Map<Long, SegmentManifest> deleted(Path dir) throws IOException {
        java.util.Map<Long, SegmentManifest> out = new java.util.TreeMap<>();
        Path d = dir.resolve("deleted");
        if (!Files.isDirectory(d)) {
            return out;
        }
        try (java.util.stream.Stream<Path> s = Files.list(d)) {
            for (Path p : s.filter(f -> f.toString().endsWith(".manifest")).toList()) {
                SegmentManifest m = SegmentManifest.read(p);
                out.put(m.firstSeq(), m);
            }
        }
        return out;
    }
}
