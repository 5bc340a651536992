package csirt.agent.cases;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import csirt.agent.triage.Category;
import csirt.agent.triage.Verdict;

/**
 * The prose of the timeline, from the template {@code timeline.properties} beside this class: the
 * case rules say what happened, this says it in the plan's words.
 */
public final class TimelineText {

    private static final Map<String, String> TEMPLATES = load();

    private TimelineText() {
    }

    private static Map<String, String> load() {
        Properties p = new Properties();
        try (InputStream in = TimelineText.class.getResourceAsStream("timeline.properties")) {
            if (in == null) {
                throw new IllegalStateException("timeline.properties is missing from the jar");
            }
            p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read timeline.properties: " + e.getMessage(), e);
        }
        Map<String, String> out = new TreeMap<>();
        p.stringPropertyNames().forEach(k -> out.put(k, p.getProperty(k)));
        return out;
    }

    /** A person's answers about a personal-data breach, as the timeline says them. */
    static String legal(LegalClock.Answers a) {
        String answers = !a.personal() ? "個人データを含まない"
                : "要配慮個人情報 " + (a.sensitive() ? "あり" : "なし") + "、財産的被害のおそれ " + (a.financial() ? "あり" : "なし")
                + "、不正の目的 " + (a.wrongful() ? "あり" : "なし") + "、本人の数 " + a.persons() + "人"
                + (a.reportable() ? "（個人情報保護委員会への報告対象）" : "（報告対象外）");
        return text("legal", "answers", answers);
    }

    /** A kind of notice (opened, update, ...) as the timeline names it. */
    public static String noticeKind(String kind) {
        return TEMPLATES.getOrDefault("notice.kind." + kind, kind);
    }

    /** The template {@code key} with each {name} replaced (names and values alternate in {@code values}). */
    static String text(String key, Object... values) {
        String t = TEMPLATES.get(key);
        if (t == null) {
            throw new IllegalArgumentException("no timeline template " + key);
        }
        Map<String, String> named = new java.util.HashMap<>();
        for (int i = 0; i + 1 < values.length; i += 2) {
            named.put(String.valueOf(values[i]), String.valueOf(values[i + 1]));
        }
        // one pass over the template: a value (a log line's text, a person's reason) is never read as a placeholder
        StringBuilder b = new StringBuilder(t.length() + 64);
        int i = 0;
        while (i < t.length()) {
            int open = t.indexOf('{', i);
            int close = open < 0 ? -1 : t.indexOf('}', open);
            if (close < 0) {
                b.append(t, i, t.length());
                break;
            }
            String value = named.get(t.substring(open + 1, close));
            b.append(t, i, open).append(value != null ? value : t.substring(open, close + 1));
            i = close + 1;
        }
        return b.toString();
    }

    static String reception(Verdict v) {
        var r = v.event().receipt();
        return text("received", "seq", v.event().seq(), "input", r.input(), "transport", r.transport(), "peer", r.peer());
    }

    static String triage(Verdict v) {
        return text(v.revision() > 0 ? "retriaged" : "triaged", "seq", v.event().seq(), "criterion", v.criterionId(), "level", v.level(),
                "category", v.category().japanese(), "annex", v.annexId(), "annexText", v.annexText(), "facts", String.join("; ", v.facts()));
    }

    /** The "received" entry of several events recorded together. */
    static String burstReception(List<Verdict> vs) {
        Set<String> peers = new TreeSet<>();
        vs.forEach(x -> peers.add(x.event().receipt().peer()));
        return text("received.burst", "count", vs.size(), "first", vs.get(0).event().seq(), "last", vs.get(vs.size() - 1).event().seq(),
                "peers", peers.size() <= 3 ? String.join("、", peers) : String.format(TEMPLATES.get("received.burst.peers"), peers.size()));
    }

    /** The "triaged" entry of several events recorded together: the count per criterion and level, then the last one. */
    static String burstTriage(List<Verdict> vs) {
        Map<String, Integer> byCriterion = new TreeMap<>();
        Map<String, String[]> parts = new LinkedHashMap<>();
        for (Verdict x : vs) {
            String k = x.criterionId() + " " + x.level();
            byCriterion.merge(k, 1, Integer::sum);
            parts.putIfAbsent(k, new String[] {x.criterionId(), Integer.toString(x.level())});
        }
        List<String> counts = byCriterion.entrySet().stream().map(e -> text("triaged.burst.count", "criterion", parts.get(e.getKey())[0],
                "level", parts.get(e.getKey())[1], "count", e.getValue())).toList();
        return text("triaged.burst", "counts", String.join("、", counts), "last", triage(vs.get(vs.size() - 1)));
    }

    static String opened(Verdict v) {
        return text("opened", "levelName", Category.levelJapanese(v.level()), "level", v.level(), "category", v.category().japanese());
    }

    static String linked(long previous) {
        return text("linked", "previous", CaseRecord.displayId(previous));
    }

    static String escalated(int from, Verdict v) {
        return text("escalated", "from", from, "to", v.level(), "levelName", Category.levelJapanese(v.level()), "criterion", v.criterionId(),
                "title", v.title());
    }

    static String recurrence(long seq, int n) {
        return text("recurrence", "seq", seq, "more", n > 1 ? text("recurrence.more", "count", n - 1) : "");
    }

    static String noticeQueued(NoticeFactory.Queued q) {
        return text("notice.queued", "kind", noticeKind(q.kind()), "level", q.level(), "messageId", q.messageId());
    }

    static String state(String from, String to, String why) {
        return text("state", "from", CaseState.japanese(from), "to", CaseState.japanese(to), "why", why == null || why.isBlank() ? "" : ": " + why);
    }
}
