package csirt.agent.cases;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

import csirt.agent.triage.Category;
import csirt.agent.triage.FactWording;

/**
 * One line of a case's time-ordered record (plan 4(2)①: from reception, everything that happens
 * and everything CSIRT does is recorded in time order).
 *
 * @param kind  received, triaged, opened, attached, escalated, notified, notice-failed, ...
 * @param actor {@code agent} for automatic steps, a person's name for human ones
 */
public record TimelineEntry(Instant at, String kind, String actor, String text) {

    /**
     * The text as a person reads it in a report: a notice's Message-ID and file name are for the
     * audit (`cases show`, the export), not for the CISO.
     */
    public String textForPeople(ZoneId zone) {
        if (kind.equals("triaged") || kind.equals("retriaged")) {
            return verdictForPeople(zone);
        }
        if (!kind.startsWith("notice") && !kind.equals("notified")) {
            return text;
        }
        String t = text;
        int id = t.indexOf("、Message-ID");
        if (id >= 0) {
            int close = t.indexOf('）', id);
            t = t.substring(0, id) + (close >= 0 ? t.substring(close) : "）");
        }
        int colon = t.lastIndexOf(": ");
        if (colon >= 0 && (t.indexOf('<', colon) >= 0 || t.endsWith(".eml"))) {
            t = t.substring(0, colon);
        }
        return t;
    }

    /** A verdict's entry with its facts as sentences: 「判定 AV-020 レベル2 サイバー攻撃（別表1 …）: 1時間以内に3台…」. */
    private String verdictForPeople(ZoneId zone) {
        int at = text.lastIndexOf("）: ");
        if (at < 0) {
            return text;
        }
        String category = null;
        for (Category c : Category.values()) {
            if (text.contains(c.japanese())) {
                category = c.id();
            }
        }
        List<String> sentences = FactWording.sentences(text.substring(at + 3), category, zone);
        return text.substring(0, at + 1) + (sentences.isEmpty() ? "" : ": " + String.join("、", sentences));
    }
}
