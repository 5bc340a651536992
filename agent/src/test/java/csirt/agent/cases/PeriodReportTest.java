package csirt.agent.cases;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
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

/** The review of a period (plan 5(3)) from real cases: counts, handling times, drills apart, not-incident per criterion. */
class PeriodReportTest {

    private static final ZoneId JST = ZoneId.of("Asia/Tokyo");

    @TempDir
    Path data;

    private static CaseRecord incident(CaseStore cases, TriageEngine engine, long seq, String input, String line) {
        Receipt r = new Receipt(Instant.now(), input, "tcp", "192.0.2.1", 1);
        List<Verdict> vs = new ArrayList<>(engine.evaluate(new EventParser(JST).parse(seq, r, line.getBytes(StandardCharsets.UTF_8),
                EventParser.Source.SYSLOG)));
        vs.addAll(engine.tick(Instant.now().plusSeconds(60)));
        CaseRecord out = null;
        for (Verdict v : vs) {
            if (v.incident()) {
                out = cases.apply(v, null).caseRecord();
            }
        }
        return out;
    }

    @Test
    void the_period_counts_real_cases_gives_the_times_and_keeps_drills_apart() throws Exception {
        try (CaseStore cases = CaseStore.open(data)) {
            TriageEngine engine = new TriageEngine(ShippedConfig.criteria(), ShippedConfig.assets());
            CaseRecord disk = incident(cases, engine, 1, "syslog-tcp", "<3>Nov 26 18:00:00 files01 kernel: blk_update_request: I/O error, dev sda, sector 8");
            CaseRecord av = incident(cases, engine, 2, "syslog-tcp", "<11>Nov 26 18:00:00 pc-a clamd[1]: /home/a/x.exe: Sig.A FOUND");
            CaseRecord drill = incident(cases, engine, 3, "drill", "<11>Nov 26 18:00:00 drill-pc-01 clamd[1]: /tmp/y.exe: Sig.Drill FOUND");
            cases.transition(disk.id(), "responding", "tanaka", "交換");
            cases.transition(disk.id(), "recovering", "tanaka", null);
            cases.transition(disk.id(), "monitoring", "tanaka", null);
            cases.transition(disk.id(), "closed", "tanaka", null);
            cases.transition(av.id(), "not-incident", "tanaka", "テスト用ファイル");
            cases.transition(drill.id(), "responding", "suzuki", "訓練の手順どおり");
            LocalDate today = LocalDate.now(JST);
            String report = PeriodReport.render(cases, ShippedConfig.criteria().criteria(), today.minusDays(1), today, JST);
            assertThat(report).contains("期間の振り返り（計画5(3)）")
                    .contains("情報システムの停止等 レベル1: 1件").contains("サイバー攻撃 レベル1: 1件").contains("合計 2件")
                    .contains("収束（クローズ）: ").contains("（1件）")
                    .contains("■ 訓練（1件）").contains(drill.displayId() + " 【訓練】")
                    .contains("  AV-010: 1件")
                    .contains("期間中に一度も案件にならなかった判定基準");
            assertThat(report.substring(report.indexOf("一度も案件にならなかった"))).doesNotContain("OUT-012、").contains("AV-020");
            assertThat(PeriodReport.render(cases, ShippedConfig.criteria().criteria(), today.minusDays(30), today.minusDays(10), JST))
                    .contains("合計 0件");
        }
    }
}
