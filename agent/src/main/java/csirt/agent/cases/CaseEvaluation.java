package csirt.agent.cases;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The times the plan's evaluation of a handling needs (4(2)⑤(II)): from the first reception to the
 * verdict, to the notice the mail server accepted (or the file it was written to), to a person's
 * first step, and to each of responding, recovering and closed — read from the case's timeline.
 */
public final class CaseEvaluation {

    /** One step: its name in the plan's words, when it happened (null: not yet), and how long after the first reception. */
    public record Step(String name, Instant at, Duration sinceReception) {
    }

    private CaseEvaluation() {
    }

    /**
     * @param acknowledgedAt a person's first step (null: none yet; epoch 0: before it was recorded)
     */
    public static List<Step> of(CaseRecord c, List<TimelineEntry> timeline, Instant acknowledgedAt) {
        Instant received = c.firstSeen();
        Instant verdict = null;
        Instant notified = null;
        Instant responding = null;
        Instant recovering = null;
        Instant closed = null;
        for (TimelineEntry t : timeline) {
            switch (t.kind()) {
                case "received" -> received = received == null || t.at().isBefore(received) ? t.at() : received;
                case "triaged" -> verdict = verdict == null ? t.at() : verdict;
                case "notified" -> notified = notified == null ? t.at() : notified;
                case "state" -> {
                    if (responding == null && t.text().contains("「" + CaseState.japanese(CaseState.RESPONDING) + "」に変更")) {
                        responding = t.at();
                    }
                    if (recovering == null && t.text().contains("「" + CaseState.japanese(CaseState.RECOVERING) + "」に変更")) {
                        recovering = t.at();
                    }
                    if (t.text().contains("「" + CaseState.japanese(CaseState.CLOSED) + "」に変更")) {
                        closed = t.at();
                    }
                }
                default -> { }
            }
        }
        Instant ack = acknowledgedAt != null && acknowledgedAt.toEpochMilli() == 0 ? null : acknowledgedAt;
        List<Step> out = new ArrayList<>();
        out.add(step("最初の受信", received, received));
        out.add(step("判定", verdict, received));
        out.add(step("通知（メールサーバが受理）", notified, received));
        out.add(step("最初の対応（人）", ack, received));
        out.add(step("対応中（証拠保全・封じ込め・根絶）", responding, received));
        out.add(step("復旧中", recovering, received));
        out.add(step("収束（クローズ）", closed, received));
        return out;
    }

    private static Step step(String name, Instant at, Instant received) {
        return new Step(name, at, at == null || received == null ? null : Duration.between(received, at));
    }

    /** A duration as the evaluation writes it: 「2時間5分」「45秒」. */
    public static String span(Duration d) {
        if (d == null) {
            return "-";
        }
        long s = Math.max(0, d.toSeconds());
        if (s < 60) {
            return s + "秒";
        }
        long days = s / 86400;
        long hours = s % 86400 / 3600;
        long minutes = s % 3600 / 60;
        return (days > 0 ? days + "日" : "") + (hours > 0 ? hours + "時間" : "") + (days == 0 ? minutes + "分" : "");
    }
}
