package csirt.agent.cases;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import csirt.agent.triage.Category;

/**
 * A draft of the report to the Personal Information Protection Commission: the nine items of
 * 施行規則8条1項, filled from the case where it knows them (the dates, the hosts, what people wrote
 * into Report form 1, the people's steps), 【要記入】 where only a person can write. The Commission's
 * own form is filled from this; the agent does not send it.
 */
public final class PpcReport {

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy年M月d日（E）", Locale.JAPAN);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy年M月d日 HH時mm分", Locale.JAPAN);

    /** The items only a person can write (the others come from the case or from Report form 1's fields). */
    public static final Map<String, String> FIELDS = Map.of(
            "ppc.items", "個人情報保護委員会への報告 2 個人データの項目",
            "ppc.secondary", "個人情報保護委員会への報告 5 二次被害又はそのおそれ",
            "ppc.notified", "個人情報保護委員会への報告 6 本人への対応の実施状況");

    private PpcReport() {
    }

    /** The case's reporting state in a few lines: reportable or not, each deadline and whether it was sent. */
    public static String status(LegalClock.State s, ZoneId zone) {
        LegalClock.Answers a = s.answers();
        StringBuilder b = new StringBuilder();
        b.append(CaseRecord.displayId(s.caseId())).append(": ").append(TimelineText.legal(a)).append("（回答 ").append(s.answeredBy()).append("）\n");
        if (a.reportable()) {
            for (LegalClock.Report r : LegalClock.Report.values()) {
                Instant sent = r == LegalClock.Report.PRELIMINARY ? s.preliminarySentAt() : s.finalSentAt();
                b.append("  ").append(r.japanese()).append(" 期限 ").append(dueDay(r, s, zone))
                        .append(sent == null ? "（未送付）" : "（送付済み " + TIME.format(sent.atZone(zone)) + "）").append('\n');
            }
        }
        return b.toString().stripTrailing();
    }

    /** The day a report falls due (its 24:00 ends it). */
    public static String dueDay(LegalClock.Report r, LegalClock.State s, ZoneId zone) {
        return DAY.format(LegalClock.due(r, s.answers(), s.learnedAt(), zone).atZone(zone).toLocalDate().minusDays(1));
    }

    public static String render(CaseRecord c, LegalClock.State s, List<CaseEvent> events, List<TimelineEntry> timeline,
                                Map<String, String> written, ZoneId zone) {
        String todo = ReportForm1.TO_COMPLETE;
        java.util.function.Function<String, String> w = f -> {
            String t = written.get(f);
            return t == null || t.isBlank() ? todo : t.strip();
        };
        Set<String> hosts = new LinkedHashSet<>();
        events.forEach(e -> hosts.add(e.host()));
        Category cat = Category.of(c.category());
        StringBuilder b = new StringBuilder();
        b.append("個人データの漏えい等の報告（個人情報保護委員会）下書き — ").append(c.displayId()).append("\n\n");
        if (s == null) {
            b.append("（この案件は報告の要否がまだ回答されていません: csirt-agent cases legal ").append(c.displayId()).append(" --personal ...）\n\n");
        } else {
            b.append(status(s, zone)).append("\n\n");
        }
        b.append("1 概要\n  ").append(cat == null ? c.category() : cat.japanese()).append("、").append(c.title())
                .append("。発生（最初の受信）").append(TIME.format(c.firstSeen().atZone(zone)))
                .append(s == null ? "" : "、発覚（CSIRT が知った時）" + TIME.format(s.learnedAt().atZone(zone))).append("。\n");
        b.append("2 漏えい等が発生し、又は発生したおそれがある個人データの項目\n  ").append(w.apply("ppc.items")).append('\n');
        b.append("3 漏えい等が発生し、又は発生したおそれがある個人データに係る本人の数\n  ")
                .append(s == null ? todo : s.answers().persons() + "人").append('\n');
        b.append("4 原因\n  ").append(w.apply("cause")).append('\n');
        b.append("5 二次被害又はそのおそれの有無及びその内容\n  ").append(w.apply("ppc.secondary")).append('\n');
        b.append("6 本人への対応の実施状況\n  ").append(w.apply("ppc.notified")).append("（法26条2項: 本人への通知）\n");
        b.append("7 公表の実施状況\n  ").append(w.apply("external")).append('\n');
        b.append("8 再発防止のための措置\n  ").append(w.apply("prevention")).append('\n');
        b.append("9 その他参考となる事項\n  対象ホスト: ").append(String.join("、", hosts)).append('\n');
        for (TimelineEntry t : timeline) {
            if (t.kind().equals("state") || t.kind().equals("note") || t.kind().equals("assigned")) {
                b.append("  ").append(TIME.format(t.at().atZone(zone))).append(" ").append(t.textForPeople(zone)).append("（").append(t.actor())
                        .append("）\n");
            }
        }
        return b.toString();
    }
}
