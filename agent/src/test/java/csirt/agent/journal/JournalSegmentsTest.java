package csirt.agent.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Segments: rotation by size and age, seals, and what verification finds when segments are tampered with. */
class JournalSegmentsTest {

    @TempDir
    Path dir;

    private static final Receipt R = new Receipt(Instant.parse("2026-11-26T09:00:00Z"), "syslog-tcp", "tcp", "192.0.2.5", 50123);

    private void write(Journal j, int records) {
        for (int i = 0; i < records; i += 5) {
            List<JournalEntry> batch = new ArrayList<>();
            for (int k = 0; k < 5; k++) {
                batch.add(new JournalEntry(R, 0, ("<13>message " + (i + k) + " " + "x".repeat(100)).getBytes(StandardCharsets.UTF_8)));
            }
            j.append(batch);
        }
    }

    private List<Path> segments() {
        return Journal.segments(dir);
    }

    private void writeSegmented(int records) throws IOException {
        try (Journal j = Journal.open(dir, 0)) {
            j.rotateAt(2_000, null);
            write(j, records);
        }
    }

    @Test
    void rotates_by_size_seals_each_closed_segment_and_the_chain_runs_across_them() throws IOException {
        writeSegmented(100);
        List<Path> segs = segments();
        assertThat(segs).hasSizeGreaterThan(3);
        for (Path s : segs.subList(0, segs.size() - 1)) {
            SegmentManifest m = SegmentManifest.read(SegmentManifest.pathFor(s));
            assertThat(m.sha256()).isEqualTo(SegmentManifest.sha256(s));
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(s))).isEqualTo("r--------");
        }
        try (Journal j = Journal.open(dir, 0)) { // a restart continues the chain in the last segment
            assertThat(j.lastSeq()).isEqualTo(100);
            write(j, 5);
        }
        VerifyResult r = JournalVerifier.verify(dir);
        assertThat(r.ok()).as(r.problem()).isTrue();
        assertThat(r.records()).isEqualTo(105);
        List<JournalRecord> all = new ArrayList<>();
        JournalReader.read(dir, 1, all::add);
        assertThat(all).extracting(JournalRecord::seq).startsWith(1L, 2L).endsWith(105L).hasSize(105);
    }

    @Test
    void rotates_by_age_at_the_timer() throws IOException {
        AtomicLong clock = new AtomicLong(1_000_000);
        try (Journal j = Journal.open(dir, 0, clock::get)) {
            j.rotateAt(Long.MAX_VALUE, Duration.ofHours(1));
            write(j, 5);
            clock.addAndGet(Duration.ofMinutes(59).toMillis());
            j.sync();
            assertThat(segments()).hasSize(1);
            clock.addAndGet(Duration.ofMinutes(2).toMillis());
            j.sync();
            assertThat(segments()).hasSize(2);
            write(j, 5);
        }
        assertThat(JournalVerifier.verify(dir).records()).isEqualTo(10);
    }

    @Test
    void a_changed_byte_in_a_sealed_segment_is_found_at_its_record_and_against_the_seal() throws IOException {
        writeSegmented(100);
        Path second = segments().get(1);
        SegmentManifest m = SegmentManifest.read(SegmentManifest.pathFor(second));
        second.toFile().setWritable(true);
        try (RandomAccessFile f = new RandomAccessFile(second.toFile(), "rw")) {
            f.seek(70);
            int b = f.read();
            f.seek(70);
            f.write(b ^ 1);
        }
        VerifyResult r = JournalVerifier.verify(dir);
        assertThat(r.ok()).isFalse();
        assertThat(r.problemSeq()).isEqualTo(m.firstSeq());
        assertThat(r.problem()).contains("does not match its hash").contains("does not match its manifest");
        assertThat(r.problemFile()).isEqualTo(second);
    }

    @Test
    void a_deleted_segment_is_found() throws IOException {
        writeSegmented(100);
        Path second = segments().get(1);
        SegmentManifest m = SegmentManifest.read(SegmentManifest.pathFor(second));
        Files.delete(second);
        Files.delete(SegmentManifest.pathFor(second));
        VerifyResult r = JournalVerifier.verify(dir);
        assertThat(r.problemSeq()).isEqualTo(m.firstSeq());
        assertThat(r.problem()).isEqualTo("records " + m.firstSeq() + ".." + m.lastSeq() + " are missing: a segment before "
                + segments().get(1).getFileName() + " was deleted");
    }

    @Test
    void a_lost_seal_is_found() throws IOException {
        writeSegmented(100);
        Path second = segments().get(1);
        Files.delete(SegmentManifest.pathFor(second));
        VerifyResult r = JournalVerifier.verify(dir);
        assertThat(r.ok()).isFalse();
        assertThat(r.problem()).contains("has no manifest");
    }

    @Test
    void a_range_is_verified_through_the_seals_without_reading_the_segments_before_it() throws IOException {
        writeSegmented(100);
        List<Long> seen = new ArrayList<>();
        VerifyResult r = JournalVerifier.verify(dir, 80, 90, rec -> seen.add(rec.seq()));
        assertThat(r.ok()).as(r.problem()).isTrue();
        assertThat(seen).contains(80L, 90L).doesNotContain(1L);
    }
}
