package csirt.agent.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

import csirt.agent.triage.ShippedConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Replay uses the events' own timestamps as the clock and touches nothing. */
class ReplayTest {

    @TempDir
    Path dir;

    @Test
    void windows_and_holds_follow_the_timestamps_in_the_file_not_the_wall_clock() throws Exception {
        // auth.log as rsyslog writes it (no PRI), an hour apart: no brute force within 5 minutes
        StringBuilder slow = new StringBuilder();
        StringBuilder fast = new StringBuilder();
        for (int i = 0; i < 12; i++) {
            slow.append(String.format("Nov 26 %02d:00:00 web01 sshd[1]: Failed password for root from 203.0.113.9 port 1 ssh2%n", i));
            fast.append(String.format("Nov 26 10:00:%02d web01 sshd[1]: Failed password for root from 203.0.113.9 port 1 ssh2%n", i));
        }
        Path slowFile = write("slow.log", slow.toString());
        Path fastFile = write("fast.log", fast.toString());
        Replay.Summary s1 = new Replay(ShippedConfig.criteria(), ShippedConfig.assets(), ZoneId.of("Asia/Tokyo"), "-")
                .run(List.of(slowFile), l -> { });
        Replay.Summary s2 = new Replay(ShippedConfig.criteria(), ShippedConfig.assets(), ZoneId.of("Asia/Tokyo"), "-")
                .run(List.of(fastFile), l -> { });
        assertThat(s1.cases).isEmpty();
        assertThat(s1.byCriterion).containsEntry("AUTH-001", 12L);
        assertThat(s2.cases).hasSize(1);
        assertThat(s2.byCriterion).containsEntry("AUTH-100", 3L);
    }

    @Test
    void a_clamav_log_file_replays_with_its_log_times_and_the_host_given() throws Exception {
        Path f = write("clamav.log", """
                Thu Nov 26 18:00:00 2026 -> /home/a/x.exe: Win.Trojan.X FOUND
                Thu Nov 26 18:00:10 2026 -> /home/a/y.exe: Win.Trojan.Y FOUND
                Thu Nov 26 18:00:12 2026 -> /home/a/y.exe: Removed.
                """);
        List<Replay.Line> lines = Replay.collect(new Replay(ShippedConfig.criteria(), ShippedConfig.assets(),
                ZoneId.of("Asia/Tokyo"), "pc-9"), List.of(f));
        assertThat(lines).extracting(l -> l.verdict().criterionId() + "@" + l.lineNo())
                .containsExactlyInAnyOrder("AV-010@1", "AV-001@2", "AV-001@3");
        assertThat(lines).allSatisfy(l -> assertThat(l.verdict().event().host()).isEqualTo("pc-9"));
        Replay.Line first = lines.stream().filter(l -> l.lineNo() == 1).findFirst().orElseThrow();
        assertThat(first.verdict().event().time()).isEqualTo(Instant.parse("2026-11-26T09:00:00Z"));
    }

    private Path write(String name, String text) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, text, StandardCharsets.UTF_8);
        Files.setLastModifiedTime(f, FileTime.from(Instant.parse("2026-11-27T00:00:00Z")));
        return f;
    }
}
