package csirt.agent.cases;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import csirt.agent.asset.Asset;
import csirt.agent.triage.AnnexTable;
import csirt.agent.intake.ManualReport;
import csirt.agent.triage.Category;
import csirt.agent.triage.FactWording;

/**
 * Report form 1 (報告様式1) of the plan: the CSIRT responsible's report of an incident to the
 * CISO, with the form's title and sections 1-8 filled from the case, and the parts only a person
 * can write marked 【要記入】. Plain text, or Markdown.
 */
public final class ReportForm1 {

    /** What a person still has to write. */
    public static final String TO_COMPLETE = "【要記入】";

    /** The parts of the form only a person can write, by field name, with the form's own words for them. */
    public static final Map<String, String> FIELDS = fields();

    private static Map<String, String> fields() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("location", "1(3) 発生場所");
        m.put("service_impact", "2 サービスへの影響");
        m.put("cause", "3 原因の調査結果");
        m.put("damage", "4 被害状況・損害規模");
        m.put("recovery", "5 復旧の見込み、復旧に要する額");
        m.put("prevention", "6 再発防止策（恒久対策）");
        m.put("external", "7 対外的な対応（報道発表、住民への連絡、総務省、警察機関等）");
        return java.util.Collections.unmodifiableMap(m);
    }

    /** The date as the plan's form writes it: in the Japanese era (令和8年12月2日), or the Western calendar. */
    public static String date(Instant at, ZoneId zone, boolean western) {
        return western ? DATE.format(at.atZone(zone))
                : ERA.format(java.time.chrono.JapaneseDate.from(at.atZone(zone).toLocalDate()));
    }

    private static final DateTimeFormatter ERA = DateTimeFormatter.ofPattern("GGGGy年M月d日", java.util.Locale.JAPAN)
            .withChronology(java.time.chrono.JapaneseChronology.INSTANCE);
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy年MM月dd日");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy年MM月dd日 HH時mm分");

    private ReportForm1() {
    }

    /**
     * @param asset the asset record of the case's host (place, system), or null
     * @param today the date the report carries
     */
    public static String render(CaseRecord c, Asset asset, List<CaseEvent> events, List<TimelineEntry> timeline, ZoneId zone,
                                Instant today, boolean markdown) {
        return render(c, asset, events, timeline, Map.of(), zone, today, markdown, false);
    }

    /**
     * As above, with what people wrote into the form ({@link #FIELDS}) in place of 【要記入】, and the
     * date in the Japanese era unless {@code western}.
     */
    public static String render(CaseRecord c, Asset asset, List<CaseEvent> events, List<TimelineEntry> timeline,
                                Map<String, String> written, ZoneId zone, Instant today, boolean markdown, boolean western) {
        java.util.function.Function<String, String> w = f -> {
            String t = written.get(f);
            return t == null || t.isBlank() ? TO_COMPLETE : t.strip();
        };
        Category cat = Category.of(c.category());
        String kind = cat == null ? c.category() : cat.japanese();
        AnnexTable.Example ex = c.annexId() == null ? null : AnnexTable.get(c.annexId());
        Set<String> hosts = new LinkedHashSet<>();
        events.forEach(e -> hosts.add(e.host()));
        String h1 = markdown ? "## " : "";
        String h2 = markdown ? "### " : "";
        String li = markdown ? "- " : "  ";
        StringBuilder b = new StringBuilder();
        b.append(markdown ? "# " : "").append("報告様式1\n\n");
        b.append(date(today, zone, western)).append("\n\n");
        b.append("最高情報セキュリティ責任者（CISO）様\n\n");
        b.append("統括情報セキュリティ責任者（CSIRT 責任者）\n\n");
        b.append(markdown ? "**" : "").append("情報セキュリティインシデント事案の発生について（報告）").append(markdown ? "**" : "").append("\n\n");
        b.append("このことについて、業務において").append(kind).append("（").append(c.title()).append("）の事案が発生したため、")
                .append("下記のとおり報告いたします。\n\n");
        b.append(h1).append("記\n\n");
        b.append(h2).append("1 事案の状況\n\n");
        b.append(li).append("(1) 発生した事案の種類: ").append(kind).append("、レベル").append(c.level()).append("（")
                .append(Category.levelJapanese(c.level())).append("）").append("\n");
        b.append(li).append("(2) 発生日時: ").append(TIME.format(c.firstSeen().atZone(zone))).append("（最初の受信）")
                .append(c.lastSeen().equals(c.firstSeen()) ? "" : "、最後の受信 " + TIME.format(c.lastSeen().atZone(zone))).append("\n");
        b.append(li).append("(3) 発生場所: ").append(asset != null && !asset.location().isEmpty() ? asset.location() + "（" + c.host() + "）"
                : written.containsKey("location") ? w.apply("location") + "（" + c.host() + "）" : c.host() + " " + TO_COMPLETE + "設置場所").append("\n");
        b.append(li).append("(4) 発生した事案の概要: ").append(c.title()).append("。判定基準 ").append(c.criterionId())
                .append(ex == null ? "" : "（別表1 " + ex.id() + "「" + ex.japanese() + "」）").append("により判定。イベント ")
                .append(c.eventCount()).append(" 件、対象ホスト ").append(String.join("、", hosts)).append("。");
        ManualReport report = report(events);
        if (report != null) {
            b.append(FactWording.reporter(report.reporterKind())).append("からの報告: ").append(report.summary())
                    .append(report.needsVerification() ? "（通報の確認は未了）" : "").append("。");
        }
        b.append("\n\n");
        b.append(h2).append("2 事案が発生したサービスの概要及び影響並びに情報システムの概要\n\n");
        if (asset != null) {
            b.append(li).append("情報システム: ").append(c.host()).append("（").append(FactWording.asset(asset)).append("）\n");
            if (!asset.contractor().isEmpty()) {
                b.append(li).append("運用事業者: ").append(asset.contractor()).append("\n");
            }
        }
        b.append(li).append("サービスへの影響: ").append(w.apply("service_impact")).append("\n\n");
        b.append(h2).append("3 事案が発生した原因（及び原因として想定される行為）\n\n");
        b.append(li).append("想定される原因: ").append(c.title()).append(ex == null ? "" : "（" + ex.japanese() + "）").append("\n");
        CaseEvent decided = levelSetting(c, events);
        List<String> why = decided == null ? List.of() : FactWording.sentences(decided.facts(), c.category(), zone);
        if (!why.isEmpty()) {
            b.append(li).append("判定の根拠: ").append(String.join("、", why)).append("\n");
        }
        b.append(li).append("原因の調査結果: ").append(w.apply("cause")).append("\n\n");
        b.append(h2).append("4 確認した被害状況及び影響範囲（損害規模）\n\n");
        b.append(li).append("影響を受けたホスト: ").append(hosts.size()).append(" 台（").append(String.join("、", hosts)).append("）\n");
        b.append(li).append("被害状況・損害規模: ").append(w.apply("damage")).append("\n\n");
        b.append(h2).append("5 対応状況（初動対応、復旧措置（復旧状況及び見込み、復旧に要する額等））\n\n");
        b.append(li).append("現在の状態: ").append(CaseState.japanese(c.state())).append(c.assignee() == null ? "" : "（担当 " + c.assignee() + "）").append("\n");
        for (TimelineEntry t : timeline) {
            if (t.kind().equals("state") || t.kind().equals("note")) {
                b.append(li).append(TIME.format(t.at().atZone(zone))).append(" ").append(t.textForPeople(zone)).append("（").append(t.actor()).append("）\n");
            }
        }
        b.append(li).append("復旧の見込み、復旧に要する額: ").append(w.apply("recovery")).append("\n\n");
        b.append(h2).append("6 再発防止策（恒久対策）\n\n").append(li).append(w.apply("prevention")).append("\n\n");
        b.append(h2).append("7 対外的な対応（報道発表、住民への連絡、総務省、警察機関等）\n\n").append(li).append(w.apply("external")).append("\n\n");
        b.append(h2).append("8 その他（時系列の対応記録等）\n\n");
        for (TimelineEntry t : timeline) {
            b.append(li).append(TIME.format(t.at().atZone(zone))).append("  ").append(t.textForPeople(zone))
                    .append(t.actor().equals("agent") ? "" : "（" + t.actor() + "）").append("\n");
        }
        b.append("\n以上\n");
        return b.toString();
    }

    /** The event whose verdict set the case's level: the first of its criterion at its level (the last one may be a lesser verdict). */
    private static CaseEvent levelSetting(CaseRecord c, List<CaseEvent> events) {
        for (CaseEvent e : events) {
            if (e.level() == c.level() && java.util.Objects.equals(e.criterionId(), c.criterionId())) {
                return e;
            }
        }
        return events.isEmpty() ? null : events.get(0);
    }

    /** The report from a person the case was opened on, or null. */
    private static ManualReport report(List<CaseEvent> events) {
        for (CaseEvent e : events) {
            ManualReport r = ManualReport.fromLine(e.rawText());
            if (r != null) {
                return r;
            }
        }
        return null;
    }
}
