package csirt.agent.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scheduled verification's pace: a real journal read no faster than asked, with the same result as unpaced. */
class ReadPaceTest {

    @TempDir
    Path dir;

    @Test
    void a_paced_verification_takes_at_least_size_over_rate_and_agrees_with_the_unpaced_one() throws Exception {
        Receipt r = new Receipt(Instant.parse("2026-11-26T09:00:00Z"), "syslog-tcp", "tcp", "192.0.2.5", 1);
        try (Journal j = Journal.open(dir, 0)) {
            for (int b = 0; b < 40; b++) {
                List<JournalEntry> batch = new ArrayList<>();
                for (int i = 0; i < 100; i++) {
                    batch.add(new JournalEntry(r, 0, ("<13>message " + b + "/" + i + " " + "x".repeat(200)).getBytes(StandardCharsets.UTF_8)));
                }
                j.append(batch);
            }
        }
        VerifyResult fast = JournalVerifier.verify(dir);
        long bytes = java.nio.file.Files.size(Journal.segments(dir).get(0));
        long rate = bytes * 2; // about half a second for one pass over the records
        long t0 = System.nanoTime();
        VerifyResult paced = JournalVerifier.verify(dir, ReadPace.of(rate));
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertThat(paced.ok()).isTrue();
        assertThat(paced.records()).isEqualTo(fast.records()).isEqualTo(4000);
        assertThat(paced.headHash()).isEqualTo(fast.headHash());
        // the pace sleeps only when at least 10 ms ahead: allow that much early
        assertThat(seconds).isGreaterThanOrEqualTo(0.5 * 0.9 - 0.01);
    }

    @Test
    void a_pace_must_be_positive() {
        assertThatThrownBy(() -> ReadPace.of(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("positive");
    }
}
