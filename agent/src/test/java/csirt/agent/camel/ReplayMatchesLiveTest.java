package csirt.agent.camel;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import csirt.agent.replay.Replay;
import csirt.agent.triage.ShippedConfig;
import csirt.agent.triage.Verdict;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The same lines through the live daemon and through replay give the same verdicts, one for one. */
class ReplayMatchesLiveTest {

    @TempDir
    Path data;

    private static final List<String> LINES = buildLines();

    private static List<String> buildLines() {
        // RFC 5424 lines all stamped in the same second: live they arrive within a second too.
        String t = "2026-11-26T18:00:00+09:00";
        List<String> l = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            l.add("<11>1 " + t + " pc-" + i + " clamd - - - /home/u/x.exe: Win.Trojan.Live-1 FOUND");
        }
        l.add("<13>1 " + t + " pc-9 clamscan - - - /tmp/e.com: Eicar-Test-Signature FOUND");
        l.add("<13>1 " + t + " pc-9 clamscan - - - /tmp/e.com: Removed.");
        for (int i = 0; i < 12; i++) {
            l.add("<38>1 " + t + " web01 sshd 77 - - Failed password for root from 203.0.113.66 port " + (40000 + i) + " ssh2");
        }
        l.add("<38>1 " + t + " web01 sshd 78 - - Accepted password for root from 203.0.113.66 port 41000 ssh2");
        l.add("<27>1 " + t + " files01 systemd 1 - - smbd.service: Failed with result 'exit-code'.");
        l.add("<3>1 " + t + " files01 kernel - - - blk_update_request: I/O error, dev sda, sector 8");
        l.add("<86>1 " + t + " web01 sshd 9 - - pam_unix(sshd:session): session opened for user alice(uid=1000) by (uid=0)");
        l.add("garbage without any syslog shape");
        return List.copyOf(l);
    }

    private static String describe(Verdict v, long index) {
        return index + ":" + (v.criterionId() == null ? "none" : v.criterionId()) + ":L" + v.level() + ":r" + v.revision()
                + (v.repeatOf() > 0 ? ":repeat" : "");
    }

    @Test
    void replay_and_the_live_daemon_give_the_same_verdicts() throws Exception {
        List<Verdict> live = Collections.synchronizedList(new ArrayList<>());
        try (AgentHarness agent = AgentHarness.start(data, Map.of())) {
            agent.daemon.services().pipeline().addListener(live::add);
            agent.tcp(String.join("\n", LINES) + "\n");
            assertThat(AgentHarness.await(Duration.ofSeconds(10),
                    () -> agent.daemon.services().journal().lastSeq() == LINES.size())).isTrue();
            // the end of the input, as replay has it: time runs on a day, holds end, ladders climb
            // every line judged: decided now, or held for a release
            assertThat(AgentHarness.await(Duration.ofSeconds(5), () -> live.stream().filter(v -> v.revision() == 0).count()
                    + agent.daemon.services().pipeline().triage().heldCount() == LINES.size())).isTrue();
            agent.daemon.services().pipeline().tick(Instant.now().plus(Duration.ofDays(1)));
        }
        Path file = data.resolve("lines.log");
        Files.write(file, LINES, StandardCharsets.UTF_8);
        List<Replay.Line> replayed = Replay.collect(new Replay(ShippedConfig.criteria(), ShippedConfig.assets(),
                ZoneId.of("Asia/Tokyo"), "127.0.0.1"), List.of(file));

        List<String> fromLive = live.stream().sorted(Comparator.comparingLong((Verdict v) -> v.event().seq())
                .thenComparingInt(Verdict::revision)).map(v -> describe(v, v.event().seq())).toList();
        List<String> fromReplay = replayed.stream().sorted(Comparator.comparingLong((Replay.Line l) -> l.lineNo())
                .thenComparingInt(l -> l.verdict().revision())).map(l -> describe(l.verdict(), l.lineNo())).toList();
        assertThat(fromLive).hasSizeGreaterThanOrEqualTo(LINES.size());
        assertThat(fromReplay).containsExactlyElementsOf(fromLive);
        assertThat(fromLive).contains("3:AV-020:L2:r0", "5:AV-001:L0:r0", "15:AUTH-100:L1:r0", "18:AUTH-200:L2:r0",
                "19:SVC-010:L1:r0", "19:OUT-230:L2:r1", "20:OUT-012:L1:r0", "22:none:L0:r0");
    }
}
