package csirt.agent.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Retention deletes whole sealed segments no case holds, and the chain still verifies through the kept seals. */
class RetentionTest {

    @TempDir
    Path dir;

    private static final Receipt R = new Receipt(Instant.parse("2026-11-26T09:00:00Z"), "syslog-tcp", "tcp", "192.0.2.5", 1);
    private static final Instant LATER = Instant.now().plus(Duration.ofDays(400));

    private static void write(Journal j, int records) {
        for (int i = 0; i < records; i += 5) {
            List<JournalEntry> batch = new ArrayList<>();
            for (int k = 0; k < 5; k++) {
                batch.add(new JournalEntry(R, 0, ("<13>message " + (i + k) + " " + "x".repeat(100)).getBytes(StandardCharsets.UTF_8)));
            }
            j.append(batch);
        }
    }

    private static void attest(Journal j, Retention.Deleted d) {
        j.append(List.of(new JournalEntry(new Receipt(Instant.now(), "journal-retention", "internal", "-", 0), 0,
                d.record().getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void deletes_old_segments_no_case_holds_keeps_held_ones_and_verification_still_passes() throws IOException {
        SegmentManifest held;
        try (Journal j = Journal.open(dir, 0)) {
            j.rotateAt(2_000, null);
            write(j, 100);
            held = SegmentManifest.read(SegmentManifest.pathFor(Journal.segments(dir).get(2)));
            long heldSeq = held.firstSeq() + 1;
            List<Retention.Deleted> deleted = Retention.apply(j, Duration.ofDays(365), q -> q == heldSeq, LATER);
            assertThat(deleted).hasSizeGreaterThan(2);
            assertThat(deleted).noneSatisfy(d -> assertThat(d.manifest().segment()).isEqualTo(held.segment()));
            deleted.forEach(d -> attest(j, d));
        }
        assertThat(Journal.segments(dir)).extracting(p -> p.getFileName().toString()).contains(held.segment());
        VerifyResult r = JournalVerifier.verify(dir);
        assertThat(r.ok()).as(r.problem()).isTrue();
        assertThat(r.deletedByRetention()).isNotEmpty();
        assertThat(r.deletedByRetention().get(0)).startsWith("segment-00000000000000000001.csj (1..");
    }

    @Test
    void recent_segments_are_kept() throws IOException {
        try (Journal j = Journal.open(dir, 0)) {
            j.rotateAt(2_000, null);
            write(j, 50);
            assertThat(Retention.apply(j, Duration.ofDays(365), q -> false, Instant.now())).isEmpty();
        }
    }

    @Test
    void a_segment_removed_by_hand_with_its_seal_copied_is_not_passed_off_as_retention() throws IOException {
        try (Journal j = Journal.open(dir, 0)) {
            j.rotateAt(2_000, null);
            write(j, 100);
        }
        Path first = Journal.segments(dir).get(0);
        Files.createDirectories(dir.resolve("deleted"));
        Files.copy(SegmentManifest.pathFor(first), dir.resolve("deleted").resolve(SegmentManifest.pathFor(first).getFileName()));
        Files.delete(first);
        Files.delete(SegmentManifest.pathFor(first));
        VerifyResult r = JournalVerifier.verify(dir);
        assertThat(r.ok()).isFalse();
        assertThat(r.problem()).contains("is gone but no deletion record in the journal attests it");
    }
}
