package csirt.agent.console;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import csirt.agent.cases.CaseRecord;
import csirt.agent.cases.CaseState;
import csirt.agent.cases.CaseStore;
import csirt.agent.cases.VerdictTally;
import csirt.agent.triage.Category;
import csirt.agent.util.Json;

/**
 * The overview: cases opened per day over the last 30 days by category and level (a chart), every
 * verdict per day by category and level with level 0 (what was judged not to be an incident), open
 * cases by age, watched sources that are silent, the outbox, and readiness — the numbers the
 * metrics and health give.
 */
final class OverviewPage {

    private static final int CHART_DAYS = 30;
    private static final int TABLE_DAYS = 14;

    private OverviewPage() {
    }

    static Map<String, Object> model(CaseStore cases, Map<String, Instant> silent, List<String> problems, DateTimeFormatter time,
                                     Instant now, ConsoleWords words) {
        ZoneId zone = time.getZone();
        LocalDate today = now.atZone(zone).toLocalDate();
        List<LocalDate> days = new ArrayList<>();
        for (int i = CHART_DAYS - 1; i >= 0; i--) {
            days.add(today.minusDays(i));
        }
        List<String> seriesNames = new ArrayList<>();
        Map<String, long[]> perSeries = new LinkedHashMap<>();
        for (Category cat : Category.values()) {
            for (int level = 2; level >= 1; level--) {
                seriesNames.add(words.category(cat.id()) + " " + words.get("level.word") + level);
                perSeries.put(cat.id() + ":" + level, new long[days.size()]);
            }
        }
        int[] ages = new int[4];
        List<CaseRecord> all = cases.list().stream().filter(c -> !CaseStore.drill(c)).toList();
        for (CaseRecord c : all) {
            int d = (int) ChronoUnit.DAYS.between(days.get(0), c.firstSeen().atZone(zone).toLocalDate());
            long[] counts = perSeries.get(c.category() + ":" + c.level());
            if (counts != null && d >= 0 && d < days.size()) {
                counts[d]++;
            }
            if (CaseState.open(c.state())) {
                long hours = Duration.between(c.firstSeen(), now).toHours();
                ages[hours < 24 ? 0 : hours < 24 * 7 ? 1 : hours < 24 * 30 ? 2 : 3]++;
            }
        }
        Map<String, Object> chart = new LinkedHashMap<>();
        chart.put("days", days.stream().map(d -> d.atStartOfDay(zone).toEpochSecond()).toList());
        chart.put("series", seriesNames);
        List<List<Long>> values = new ArrayList<>();
        perSeries.values().forEach(v -> values.add(Arrays.stream(v).boxed().toList()));
        chart.put("values", values);
        chart.put("dayLabel", words.get("chart.day"));
        chart.put("countLabel", words.get("chart.count"));
        Map<String, Object> m = new HashMap<>();
        m.put("title", words.get("page.overview"));
        m.put("chartJson", Json.value(chart).replace("<", "\\u003c"));
        m.put("ages", List.of(Map.of("name", words.get("ages.day"), "count", ages[0]), Map.of("name", words.get("ages.week"), "count", ages[1]),
                Map.of("name", words.get("ages.month"), "count", ages[2]), Map.of("name", words.get("ages.older"), "count", ages[3])));
        m.put("open", ages[0] + ages[1] + ages[2] + ages[3]);
        m.put("total", all.size());
        verdictDays(m, cases.verdictCounts(today.minusDays(TABLE_DAYS - 1)), today, words);
        List<Map<String, Object>> quiet = new ArrayList<>();
        silent.forEach((host, since) -> quiet.add(Map.of("host", host, "since", time.format(since) + " JST",
                "hours", Duration.between(since, now).toHours())));
        m.put("silent", quiet);
        m.put("silentCount", quiet.size());
        m.put("outboxDepth", cases.outbox().depth());
        Instant oldest = cases.outbox().oldest();
        m.put("outboxOldest", oldest == null ? null : time.format(oldest) + " JST");
        m.put("ready", problems.isEmpty());
        m.put("problems", problems);
        return m;
    }

    /** The table of verdicts per day: one row a day, newest first; a column per category and level, and "no criterion". */
    private static void verdictDays(Map<String, Object> m, Map<String, Long> rows, LocalDate today, ConsoleWords words) {
        List<String> categories = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        for (Category cat : Category.values()) {
            categories.add(words.category(cat.id()));
            for (int level = 0; level <= 2; level++) {
                keys.add(cat.id() + "|" + level);
            }
        }
        keys.add(VerdictTally.CATEGORIES[3] + "|0");
        List<Map<String, Object>> out = new ArrayList<>();
        for (int i = 0; i < TABLE_DAYS; i++) {
            LocalDate day = today.minusDays(i);
            List<Long> counts = new ArrayList<>();
            long total = 0;
            for (String k : keys) {
                long n = rows.getOrDefault(day + "|" + k, 0L);
                counts.add(n);
                total += n;
            }
            out.add(Map.of("day", day.toString(), "counts", counts, "total", total));
        }
        m.put("verdictCategories", categories);
        m.put("verdictDays", out);
    }
}
