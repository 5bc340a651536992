package csirt.agent.cases;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

import csirt.agent.journal.Receipt;
import csirt.agent.parse.EventParser;
import csirt.agent.triage.ShippedConfig;
import csirt.agent.triage.TriageEngine;
import csirt.agent.triage.Verdict;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The handling's times for the plan's evaluation (4(2)⑤(II)), read from a real case's timeline. */
class CaseEvaluationTest {

    @TempDir
    Path data;

    @Test
    void each_step_of_the_handling_has_its_time_since_the_first_reception() throws Exception {
        try (CaseStore cases = CaseStore.open(data)) {
            TriageEngine engine = new TriageEngine(ShippedConfig.criteria(), ShippedConfig.assets());
            Receipt r = new Receipt(Instant.now(), "t", "tcp", "192.0.2.1", 1);
            List<Verdict> vs = new ArrayList<>(engine.evaluate(new EventParser(ZoneId.of("Asia/Tokyo")).parse(1, r,
                    "<3>Nov 26 18:00:00 files01 kernel: blk_update_request: I/O error, dev sda, sector 8".getBytes(StandardCharsets.UTF_8),
                    EventParser.Source.SYSLOG)));
            CaseRecord c = cases.apply(vs.get(0), null).caseRecord();
            List<CaseEvaluation.Step> open = CaseEvaluation.of(c, cases.timeline(c.id()), null);
            assertThat(open).extracting(CaseEvaluation.Step::name).containsExactly("最初の受信", "判定", "通知（メールサーバが受理）",
                    "最初の対応（人）", "対応中（証拠保全・封じ込め・根絶）", "復旧中", "収束（クローズ）");
            assertThat(open.get(0).at()).isNotNull();
            assertThat(open.get(1).at()).isNotNull();
            assertThat(open.subList(2, 7)).allSatisfy(s -> assertThat(s.at()).isNull());

            cases.recordNotice(c.id(), "<x@y>", "通知メールを送信（起票、レベル1）");
            cases.transition(c.id(), "responding", "tanaka", "ディスク交換の手配");
            cases.transition(c.id(), "recovering", "tanaka", null);
            cases.transition(c.id(), "monitoring", "tanaka", null);
            cases.transition(c.id(), "closed", "tanaka", null);
            List<CaseEvaluation.Step> done = CaseEvaluation.of(c, cases.timeline(c.id()), (Instant) cases.acknowledgement(c.id())[0]);
            assertThat(done).allSatisfy(s -> assertThat(s.at()).as(s.name()).isNotNull());
            for (int i = 1; i < done.size(); i++) {
                assertThat(done.get(i).sinceReception()).as(done.get(i).name()).isGreaterThanOrEqualTo(Duration.ZERO);
            }
            assertThat(done.get(3).at()).as("the first step is the first state change").isEqualTo(done.get(4).at());
        }
        assertThat(CaseEvaluation.span(Duration.ofSeconds(45))).isEqualTo("45秒");
        assertThat(CaseEvaluation.span(Duration.ofMinutes(125))).isEqualTo("2時間5分");
        assertThat(CaseEvaluation.span(Duration.ofHours(50))).isEqualTo("2日2時間");
    }
}
