package csirt.agent.cases;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

import csirt.agent.asset.Asset;
import org.junit.jupiter.api.Test;

/** Report form 1 against a golden file, and the form's structure as the plan's seed has it. */
class ReportForm1Test {

    static final Instant T = Instant.parse("2026-11-26T09:00:00Z");

    static String render(boolean markdown) {
        CaseRecord c = new CaseRecord(7, "outage:files01", "outage", 1, "monitoring", "サーバのハードウェア・ストレージ障害（他の資産への影響なし）",
                "OUT-012", "outage.1.2", "files01", T, T, T.plusSeconds(600), 2, "<x@y>", 0, T, 3, "tanaka", 0, 0, null);
        Asset a = new Asset("files01", List.of(), "server", true, "some-staff", "normal", "本庁舎 サーバ室",
                "株式会社サンプル運用 保守窓口 029-000-0000", false, true);
        List<CaseEvent> events = List.of(
                new CaseEvent(11, T, "files01", "OUT-012", 1, "asset.role=server; message ~ /(I/O error)/: blk_update_request: I/O error",
                        "<3>Nov 26 18:00:00 files01 kernel: blk_update_request: I/O error, dev sda, sector 1"),
                new CaseEvent(12, T.plusSeconds(600), "files01", "OUT-012", 1, "", "<3>Nov 26 18:10:00 files01 kernel: ..."));
        List<TimelineEntry> timeline = List.of(
                new TimelineEntry(T, "received", "agent", "受信 seq 11（入力 syslog-tcp、tcp、送信元 192.0.2.20:514）"),
                new TimelineEntry(T.plusSeconds(1), "opened", "agent", "案件を起票: 軽微なインシデント（レベル1）、情報システムの停止等"),
                new TimelineEntry(T.plusSeconds(60), "state", "tanaka", "状態を「トリアージ済み」から「対応中（証拠保全・封じ込め・根絶）」に変更: 証拠保全を開始"),
                new TimelineEntry(T.plusSeconds(3600), "note", "tanaka", "ディスクを交換"),
                new TimelineEntry(T.plusSeconds(7200), "state", "tanaka", "状態を「復旧中」から「再発監視中」に変更"));
        return ReportForm1.render(c, a, events, timeline, ZoneId.of("Asia/Tokyo"), Instant.parse("2026-11-30T01:00:00Z"), markdown);
    }

    @Test
    void the_report_matches_the_golden_file() throws IOException {
        if (Boolean.getBoolean("golden.update")) { // -Dgolden.update=true rewrites the file after a deliberate change
            java.nio.file.Files.writeString(java.nio.file.Path.of("agent/src/test/resources/report-form-1.golden.txt"), render(false));
        }
        try (InputStream in = ReportForm1Test.class.getResourceAsStream("/report-form-1.golden.txt")) {
            assertThat(render(false)).isEqualTo(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void it_has_the_title_and_the_eight_sections_of_the_seed_form() {
        String r = render(true);
        assertThat(r).contains("最高情報セキュリティ責任者（CISO）様", "情報セキュリティインシデント事案の発生について（報告）", "### 1 事案の状況",
                "(1) 発生した事案の種類", "(2) 発生日時", "(3) 発生場所", "(4) 発生した事案の概要",
                "### 2 事案が発生したサービスの概要及び影響並びに情報システムの概要", "### 3 事案が発生した原因（及び原因として想定される行為）",
                "### 4 確認した被害状況及び影響範囲（損害規模）", "### 5 対応状況（初動対応、復旧措置（復旧状況及び見込み、復旧に要する額等））",
                "### 6 再発防止策（恒久対策）", "### 7 対外的な対応（報道発表、住民への連絡、総務省、警察機関等）", "### 8 その他（時系列の対応記録等）");
        assertThat(r).contains(ReportForm1.TO_COMPLETE);
    }
}
