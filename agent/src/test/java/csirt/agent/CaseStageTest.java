package csirt.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import csirt.agent.cases.CaseChange;
import csirt.agent.cases.CaseStore;
import csirt.agent.journal.Receipt;
import csirt.agent.parse.EventParser;
import csirt.agent.triage.ShippedConfig;
import csirt.agent.triage.TriageEngine;
import csirt.agent.triage.Verdict;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one case writer: batches that wait are applied together, each gets its own changes back, coverage is the last one's. */
class CaseStageTest {

    @TempDir
    Path data;

    @Test
    void batches_queued_behind_one_another_are_one_transaction_and_each_future_gets_its_own_changes() throws Exception {
        TriageEngine engine = new TriageEngine(ShippedConfig.criteria(), ShippedConfig.assets());
        EventParser parser = new EventParser(ZoneId.of("Asia/Tokyo"));
        try (CaseStore cases = CaseStore.open(data)) {
            List<List<CaseChange>> applied = new ArrayList<>();
            CaseStage stage = new CaseStage(cases, null, data.resolve("triage").resolve("state.bin"), applied::add);
            List<CompletableFuture<List<CaseChange>>> done = new ArrayList<>();
            long seq = 0;
            // queued before the stage runs: they wait together, as a burst does behind a slow commit
            for (int b = 0; b < 50; b++) {
                List<Verdict> batch = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    seq++;
                    String line = "<11>Nov 26 18:00:00 web01 clamd[812]: /srv/f" + seq + ".php: Php.Test.Group-" + seq + " FOUND";
                    batch.addAll(engine.evaluate(parser.parse(seq, new Receipt(Instant.parse("2026-11-26T09:00:00Z"), "t", "tcp",
                            "192.0.2.10", 1), line.getBytes(StandardCharsets.UTF_8), EventParser.Source.SYSLOG)));
                }
                CompletableFuture<List<CaseChange>> f = new CompletableFuture<>();
                stage.incidents(batch, seq, f);
                done.add(f);
            }
            stage.start();
            for (int b = 0; b < done.size(); b++) {
                List<CaseChange> changes = done.get(b).get(30, TimeUnit.SECONDS);
                assertThat(changes).hasSize(3);
                assertThat(changes).extracting(c -> c.verdict().event().seq()).containsExactly(3L * b + 1, 3L * b + 2, 3L * b + 3);
                assertThat(changes).allMatch(c -> c.kind() == CaseChange.Kind.OPENED);
            }
            assertThat(applied.size()).as("fewer transactions than batches").isLessThan(50);
            assertThat(cases.list()).hasSize(150);
            assertThat(cases.coveredSeq()).isEqualTo(150);
            stage.drain(5_000);
        }
    }
}
