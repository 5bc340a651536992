package csirt.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import csirt.agent.Main;
import csirt.agent.asset.AssetInventory;
import csirt.agent.asset.SourceCoverage;
import csirt.agent.camel.AgentHarness;
import csirt.agent.cases.CaseStore;
import csirt.agent.cases.SourceTally;
import csirt.agent.config.AgentConfig;
import csirt.agent.journal.Receipt;
import csirt.agent.notify.Contacts;
import csirt.agent.parse.EventParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The plan's upkeep in peacetime (5(1)): every asset's log coverage (last sent, per day, never), the
 * senders the inventory does not list, and the contact list's review date.
 */
class CoverageCommandTest {

    @TempDir
    Path tmp;

    private static void seen(SourceTally t, EventParser parser, long seq, String line, Instant at) {
        Receipt r = new Receipt(at, "syslog-tcp", "tcp", "192.0.2.9", 1);
        t.seen(parser.parse(seq, r, line.getBytes(StandardCharsets.UTF_8), EventParser.Source.SYSLOG));
    }

    @Test
    void every_asset_says_when_it_last_sent_and_whether_it_ever_did_and_unlisted_senders_are_named() throws Exception {
        Path data = tmp.resolve("data");
        EventParser parser = new EventParser(ZoneId.of("Asia/Tokyo"));
        SourceTally tally = new SourceTally();
        LocalDate today = LocalDate.now(ZoneId.of("Asia/Tokyo"));
        try (CaseStore store = CaseStore.open(data)) {
            Instant t = Instant.now().minusSeconds(3600);
            for (int i = 0; i < 14; i++) {
                seen(tally, parser, i, "<30>Nov 26 18:00:00 FILES01 systemd[1]: Started Session " + i + ".", t.plusSeconds(i));
            }
            seen(tally, parser, 99, "<30>Nov 26 18:00:00 rogue-01 sshd[1]: Accepted password for x", t);
            store.addSourceCounts(today.minusDays(1), tally.drain());
            seen(tally, parser, 100, "<30>Nov 26 18:00:00 files01 systemd[1]: Started Session 100.", t.plusSeconds(100));
            store.addSourceCounts(today, tally.drain());

            AssetInventory inventory = AssetInventory.load(Path.of("config/assets.yaml"), new ArrayList<>());
            SourceCoverage.Report r = SourceCoverage.of(inventory, store.senders(today.minusDays(6)), 7);
            SourceCoverage.AssetRow files01 = r.assets().stream().filter(a -> a.asset().host().equals("files01")).findFirst().orElseThrow();
            assertThat(files01.total()).as("the name's case does not split a sender").isEqualTo(15);
            assertThat(files01.perDay()).isEqualTo(15 / 7.0);
            assertThat(files01.lastSeen()).isEqualTo(t.plusSeconds(100).truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
            assertThat(r.neverSent()).extracting(a -> a.asset().host()).contains("web01").doesNotContain("files01");
            assertThat(r.unlisted()).extracting(SourceTally.Sent::host).containsExactly("rogue-01");
        }

        Path config = AgentHarness.copyShippedConfig(tmp);
        String out = run("coverage", "--config", config.toString(), "--data", data.toString());
        assertThat(out).contains("files01").contains("never").contains("rogue-01").contains(" JST");
    }

    @Test
    void a_flood_of_invented_host_names_is_counted_without_growing_memory() {
        SourceTally tally = new SourceTally();
        EventParser parser = new EventParser(ZoneId.of("Asia/Tokyo"));
        for (int i = 0; i < 10_050; i++) {
            seen(tally, parser, i, "<30>Nov 26 18:00:00 h" + i + " x: y", Instant.now());
        }
        Map<String, long[]> drained = tally.drain();
        assertThat(drained).hasSize(10_001);
        assertThat(drained.get("(others)")[0]).isEqualTo(50);
        assertThat(tally.drain()).isEmpty();
    }

    @Test
    void the_contact_list_says_when_it_was_reviewed_and_check_config_warns_when_that_is_old() throws Exception {
        Path config = AgentHarness.copyShippedConfig(tmp);
        Contacts shipped = Contacts.load(config.resolve("contacts.yaml"), new ArrayList<>());
        assertThat(shipped.reviewed()).isNotNull();
        assertThat(shipped.reviewDue(shipped.reviewed().plusMonths(6), 6)).isFalse();
        assertThat(shipped.reviewDue(shipped.reviewed().plusMonths(6).plusDays(1), 6)).isTrue();
        String yaml = Files.readString(config.resolve("contacts.yaml")).replaceAll("(?m)^reviewed: .*$", "reviewed: 2020-04-01");
        Files.writeString(config.resolve("contacts.yaml"), yaml);
        AgentConfig c = AgentConfig.load(config);
        assertThat(c.warnings()).anySatisfy(w -> assertThat(w).contains("contacts.yaml was last reviewed on 2020-04-01"));
        Files.writeString(config.resolve("contacts.yaml"), yaml.replace("reviewed: 2020-04-01", "reviewed: last spring"));
        List<csirt.agent.config.ConfigProblem> problems = new ArrayList<>();
        Contacts.load(config.resolve("contacts.yaml"), problems);
        assertThat(problems).anySatisfy(p -> assertThat(p.toString()).contains("is not a date"));
    }

    private static String run(String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
            new CommandLine(new Main()).execute(args);
            return buf.toString(StandardCharsets.UTF_8);
        } finally {
            System.setOut(old);
        }
    }
}
