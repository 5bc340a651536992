package csirt.agent;

import java.time.ZoneId;
import java.util.Map;

import csirt.agent.cases.CaseRecord;
import csirt.agent.cases.CaseStore;
import csirt.agent.cases.LegalClock;
import csirt.agent.intake.ManualReport;

/**
 * A person's answers about a personal-data breach, from the API, the command line or the console:
 * whether personal data is concerned, the four triggers of 施行規則7条 and the number of persons, or
 * that a report was sent ({@code sent: preliminary|final}). Answers are yes/no (はい/いいえ).
 */
public final class LegalAnswers {

    private LegalAnswers() {
    }

    /** Applies the answers or the record of a sent report; the sentence says what the case's reports now are. */
    public static String apply(CaseStore store, long id, String who, Map<String, Object> m) {
        Object sent = m.get("sent");
        if (sent != null) {
            LegalClock.Report r = switch (String.valueOf(sent).strip()) {
                case "preliminary", "速報" -> LegalClock.Report.PRELIMINARY;
                case "final", "確報" -> LegalClock.Report.FINAL;
                default -> throw new IllegalArgumentException("sent must be preliminary (速報) or final (確報), not " + sent);
            };
            store.legalReportSent(id, r, who);
            return CaseRecord.displayId(id) + ": " + r.japanese() + "を送付済みと記録しました。";
        }
        LegalClock.Answers a = new LegalClock.Answers(yes(m, "personal"), yes(m, "sensitive"), yes(m, "financial"), yes(m, "wrongful"),
                persons(m.get("persons")));
        LegalClock.State s = store.answerLegal(id, a, who);
        if (!a.reportable()) {
            return CaseRecord.displayId(id) + ": 個人情報保護委員会への報告の対象ではありません（施行規則7条の4つの場合のいずれにも当たらない）。";
        }
        ZoneId zone = ZoneId.of("Asia/Tokyo");
        return CaseRecord.displayId(id) + ": 個人情報保護委員会への報告の対象です。速報の期限 "
                + LegalClock.due(LegalClock.Report.PRELIMINARY, a, s.learnedAt(), zone).atZone(zone).toLocalDate().minusDays(1)
                + "、確報の期限 " + LegalClock.due(LegalClock.Report.FINAL, a, s.learnedAt(), zone).atZone(zone).toLocalDate().minusDays(1)
                + "（知った日 " + s.learnedAt().atZone(zone).toLocalDate() + " から暦日）。";
    }

    private static boolean yes(Map<String, Object> m, String key) {
        Object v = m.get(key);
        if (v == null) {
            return false;
        }
        String yn = ManualReport.yesNo(String.valueOf(v));
        if (yn == null) {
            throw new IllegalArgumentException(key + " is yes or no (はい/いいえ), not " + v);
        }
        return "true".equals(yn);
    }

    private static long persons(Object v) {
        if (v == null) {
            return 0;
        }
        try {
            long n = Long.parseLong(String.valueOf(v).strip().replace(",", ""));
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("persons is the number of persons concerned (0 or more), not " + v);
        }
    }
}
