package csirt.agent.cases;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import csirt.agent.triage.Category;
import csirt.agent.triage.Criterion;

/**
 * The review of a period (plan 5(3)), from the cases: how many of each category and level, the
 * median and the worst of each handling time (4(2)⑤(II)), the drills held and their times, the
 * cases closed as not an incident per criterion (tuning candidates), the criteria of level 1–2 that
 * never fired, and the sources that fell silent.
 */
public final class PeriodReport {

    private PeriodReport() {
    }

    /**
     * @param from the first day, {@code to} the last (inclusive), in {@code zone}
     * @param criteria the criteria in force (for those that never fired)
     */
    public static String render(CaseStore store, List<Criterion> criteria, LocalDate from, LocalDate to, ZoneId zone) {
        Instant start = from.atStartOfDay(zone).toInstant();
        Instant end = to.plusDays(1).atStartOfDay(zone).toInstant();
        List<CaseRecord> real = new ArrayList<>();
        List<CaseRecord> drills = new ArrayList<>();
        for (CaseRecord c : store.list()) {
            if (!c.firstSeen().isBefore(start) && c.firstSeen().isBefore(end)) {
                (CaseStore.drill(c) ? drills : real).add(c);
            }
        }
        StringBuilder b = new StringBuilder();
        b.append("期間の振り返り（計画5(3)） ").append(from).append(" 〜 ").append(to).append("\n\n");
        b.append("■ 案件（区分・レベル別）\n");
        Map<String, Integer> counts = new TreeMap<>();
        for (CaseRecord c : real) {
            Category cat = Category.of(c.category());
            counts.merge((cat == null ? c.category() : cat.japanese()) + " レベル" + c.level(), 1, Integer::sum);
        }
        if (counts.isEmpty()) {
            b.append("  なし\n");
        }
        counts.forEach((k, n) -> b.append("  ").append(k).append(": ").append(n).append("件\n"));
        b.append("  合計 ").append(real.size()).append("件\n\n");
        b.append("■ 対応の時間（最初の受信から。中央値／最長、記録のある案件の数）\n");
        times(b, store, real);
        b.append("\n■ 訓練（").append(drills.size()).append("件）\n");
        for (CaseRecord c : drills) {
            List<CaseEvaluation.Step> steps = evaluation(store, c);
            b.append("  ").append(c.displayId()).append(" ").append(c.title()).append(": ");
            List<String> parts = new ArrayList<>();
            for (CaseEvaluation.Step s : steps.subList(1, steps.size())) {
                if (s.at() != null) {
                    parts.add(s.name() + " +" + CaseEvaluation.span(s.sinceReception()));
                }
            }
            b.append(parts.isEmpty() ? "記録なし" : String.join("、", parts)).append('\n');
        }
        b.append("\n■ インシデントではないとして閉じた案件（判定基準別。基準の見直しの候補）\n");
        Map<String, Integer> notIncident = new TreeMap<>();
        real.stream().filter(c -> CaseState.NOT_INCIDENT.equals(c.state())).forEach(c -> notIncident.merge(String.valueOf(c.criterionId()), 1,
                Integer::sum));
        if (notIncident.isEmpty()) {
            b.append("  なし\n");
        }
        notIncident.forEach((k, n) -> b.append("  ").append(k).append(": ").append(n).append("件\n"));
        b.append("\n■ 期間中に一度も案件にならなかった判定基準（レベル1・2）\n");
        Set<String> fired = new TreeSet<>();
        for (CaseRecord c : real) {
            fired.add(c.criterionId());
            store.events(c.id(), 10_000).forEach(e -> fired.add(e.criterionId()));
        }
        List<String> never = new ArrayList<>();
        for (Criterion cr : criteria) {
            if (cr.level() > 0 && !fired.contains(cr.id())) {
                never.add(cr.id());
            }
        }
        b.append("  ").append(never.isEmpty() ? "なし" : String.join("、", never)).append("（").append(never.size()).append("件）\n");
        b.append("\n■ ログが途絶えた送信元（ログの受信監視による案件）\n");
        List<String> silent = new ArrayList<>();
        for (CaseRecord c : real) {
            if (c.criterionId() != null && c.criterionId().startsWith("SIL-")) {
                silent.add(c.host() + "（" + c.displayId() + "）");
            }
        }
        b.append("  ").append(silent.isEmpty() ? "なし" : String.join("、", silent)).append('\n');
        return b.toString();
    }

    private static List<CaseEvaluation.Step> evaluation(CaseStore store, CaseRecord c) {
        Object[] ack = store.acknowledgement(c.id());
        return CaseEvaluation.of(c, store.timeline(c.id()), ack == null ? null : (Instant) ack[0]);
    }

    private static void times(StringBuilder b, CaseStore store, List<CaseRecord> cases) {
        Map<String, List<Duration>> byStep = new java.util.LinkedHashMap<>();
        for (CaseRecord c : cases) {
            List<CaseEvaluation.Step> steps = evaluation(store, c);
            for (CaseEvaluation.Step s : steps.subList(1, steps.size())) {
                byStep.computeIfAbsent(s.name(), k -> new ArrayList<>());
                if (s.sinceReception() != null) {
                    byStep.get(s.name()).add(s.sinceReception());
                }
            }
        }
        if (byStep.isEmpty()) {
            b.append("  なし\n");
        }
        byStep.forEach((step, list) -> {
            Collections.sort(list);
            b.append("  ").append(step).append(": ");
            if (list.isEmpty()) {
                b.append("記録なし\n");
            } else {
                b.append(CaseEvaluation.span(list.get((list.size() - 1) / 2))).append("／").append(CaseEvaluation.span(list.get(list.size() - 1)))
                        .append("（").append(list.size()).append("件）\n");
            }
        });
    }
}
