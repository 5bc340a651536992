package csirt.agent.triage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

import csirt.agent.journal.Receipt;
import csirt.agent.parse.EventParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The correlation state survives a restart: held events, windows, sequences and repeats. */
class TriageStateTest {

    @TempDir
    Path dir;
    private final EventParser parser = new EventParser(ZoneId.of("Asia/Tokyo"));
    private final Instant t0 = Instant.parse("2026-11-26T09:00:00Z");

    private List<Verdict> send(TriageEngine e, long seq, String line, Instant at) {
        return e.evaluate(parser.parse(seq, new Receipt(at, "t", "tcp", "192.0.2.99", 1),
                line.getBytes(StandardCharsets.UTF_8), EventParser.Source.SYSLOG));
    }

    private static TriageEngine fresh() {
        return new TriageEngine(ShippedConfig.criteria(), ShippedConfig.assets());
    }

    @Test
    void a_held_failure_and_a_brute_force_count_continue_after_a_restart() throws Exception {
        TriageEngine before = fresh();
        assertThat(send(before, 1, "<27>Nov 26 18:00:00 files01 systemd[1]: smbd.service: Failed with result 'exit-code'.", t0)).isEmpty();
        for (int i = 0; i < 9; i++) {
            send(before, 10 + i, "<38>Nov 26 18:00:00 web01 sshd[1]: Failed password for root from 203.0.113.5 port 1 ssh2", t0.plusSeconds(i));
        }
        Path file = dir.resolve("triage").resolve("state.bin");
        TriageState.save(before, file);
        assertThat(PosixFilePermissions.toString(java.nio.file.Files.getPosixFilePermissions(file))).isEqualTo("rw-------");

        TriageEngine after = fresh();
        assertThat(TriageState.restore(after, file).dropped()).isZero();
        assertThat(after.heldCount()).isEqualTo(1);
        // the tenth failure after the restart completes the brute force
        List<Verdict> tenth = send(after, 20, "<38>Nov 26 18:00:10 web01 sshd[1]: Failed password for root from 203.0.113.5 port 1 ssh2",
                t0.plusSeconds(10));
        assertThat(tenth).singleElement().satisfies(v -> assertThat(v.criterionId()).isEqualTo("AUTH-100"));
        // and the held failure is still decided when its grace ends
        List<Verdict> later = new ArrayList<>(after.tick(t0.plusSeconds(301)));
        assertThat(later).singleElement().satisfies(v -> {
            assertThat(v.criterionId()).isEqualTo("SVC-010");
            assertThat(v.event().seq()).isEqualTo(1);
            assertThat(v.event().text()).contains("smbd.service");
        });
        // a success from the brute-forcing source after the restart is still the sequence
        List<Verdict> success = send(after, 21, "<38>Nov 26 18:01:00 web01 sshd[1]: Accepted password for root from 203.0.113.5 port 2 ssh2",
                t0.plusSeconds(60));
        assertThat(success).singleElement().satisfies(v -> assertThat(v.criterionId()).isEqualTo("AUTH-200"));
    }

    @Test
    void a_released_hold_after_restart_still_gives_the_lower_verdict() throws Exception {
        TriageEngine before = fresh();
        send(before, 1, "<13>Nov 26 18:00:00 pc-1 clamscan: /tmp/a.exe: Win.Trojan.A FOUND", t0);
        Path file = dir.resolve("state.bin");
        TriageState.save(before, file);
        TriageEngine after = fresh();
        TriageState.restore(after, file);
        List<Verdict> v = send(after, 2, "<13>Nov 26 18:00:05 pc-1 clamscan: /tmp/a.exe: Removed.", t0.plusSeconds(5));
        assertThat(v).extracting(Verdict::criterionId).containsExactly("AV-001", "AV-001");
        assertThat(v.get(0).event().seq()).isEqualTo(1);
    }
}
