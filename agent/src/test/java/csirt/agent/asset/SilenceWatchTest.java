package csirt.agent.asset;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

import csirt.agent.config.ConfigProblem;
import csirt.agent.journal.Receipt;
import csirt.agent.parse.Event;
import csirt.agent.parse.EventParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SilenceWatchTest {

    @TempDir
    Path dir;

    private final EventParser parser = new EventParser(ZoneId.of("Asia/Tokyo"));
    private static final Instant T0 = Instant.parse("2026-11-26T00:00:00Z");

    private AssetInventory inventory(String yaml, List<ConfigProblem> problems) throws Exception {
        Path f = dir.resolve("assets.yaml");
        Files.writeString(f, yaml, StandardCharsets.UTF_8);
        return AssetInventory.load(f, problems);
    }

    private Event event(String line, String peer, String transport, Instant at) {
        return parser.parse(1, new Receipt(at, "syslog-udp", transport, peer, 514), line.getBytes(StandardCharsets.UTF_8),
                EventParser.Source.SYSLOG);
    }

    @Test
    void silent_once_past_the_interval_then_speaking_again_by_name_or_address() throws Exception {
        List<ConfigProblem> problems = new ArrayList<>();
        AssetInventory inv = inventory("""
                assets:
                  - host: ups01
                    aliases: [192.0.2.20]
                    role: ups
                    expect_every: 15m
                  - host: web01
                    role: server
                """, problems);
        assertThat(problems).isEmpty();
        SilenceWatch w = new SilenceWatch();
        w.watch(inv, T0);

        assertThat(w.check(T0.plus(Duration.ofMinutes(15)))).as("exactly the interval is not yet silent").isEmpty();
        List<SilenceWatch.Change> silent = w.check(T0.plus(Duration.ofMinutes(16)));
        assertThat(silent).containsExactly(new SilenceWatch.Change("ups01", true, T0, Duration.ofMinutes(15)));
        assertThat(w.check(T0.plus(Duration.ofMinutes(30)))).as("reported once").isEmpty();

        // the agent's own SILENT line names ups01 but does not count as ups01 speaking
        w.seen(event("<27>1 2026-11-26T00:16:00Z ups01 csirt-agent - SILENT - x", "-", "internal", T0.plus(Duration.ofMinutes(16))));
        assertThat(w.check(T0.plus(Duration.ofMinutes(31)))).isEmpty();

        // a line without a host name, from the UPS's address
        w.seen(event("<13>upsd: on line power", "192.0.2.20", "udp", T0.plus(Duration.ofMinutes(40))));
        assertThat(w.check(T0.plus(Duration.ofMinutes(40))))
                .containsExactly(new SilenceWatch.Change("ups01", false, T0, Duration.ofMinutes(15)));
        assertThat(w.check(T0.plus(Duration.ofMinutes(50)))).isEmpty();
        assertThat(w.check(T0.plus(Duration.ofMinutes(56)))).extracting(SilenceWatch.Change::silent).containsExactly(true);
    }

    @Test
    void an_interval_under_a_minute_or_not_a_duration_is_a_problem() throws Exception {
        List<ConfigProblem> problems = new ArrayList<>();
        inventory("""
                assets:
                  - host: a
                    expect_every: 10s
                  - host: b
                    expect_every: often
                """, problems);
        assertThat(problems).hasSize(2).allSatisfy(p -> assertThat(p.message()).contains("at least 1m"));
    }
}
