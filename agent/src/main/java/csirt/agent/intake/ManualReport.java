package csirt.agent.intake;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

import csirt.agent.triage.AnnexTable;
import csirt.agent.triage.EventFields;
import csirt.agent.triage.FactWording;

/**
 * A report from a person (plan 4(2)②): who reported and how to reach them, whether the plan's
 * check for that kind of reporter was done, the category, what happened, and for theft and loss the
 * facts the decision table needs; for other categories the handler's decision as an Annex example.
 */
public record ManualReport(String reporterKind, String reporterContact, boolean verified, String verification, String category,
                           String summary, String host, Map<String, String> facts, String annexId, Map<String, String> checks) {

    /** The kinds of reporter the plan names, and whether it asks for a call-back check. */
    public static final Map<String, Boolean> REPORTERS = Map.of("staff", false, "system", false, "citizen", true, "city", true,
            "prefecture", true, "state", true, "jlis", true);

    private static final Set<String> KEYS = Set.of("reporter", "category", "summary", "host", "facts", "annex", "checks");

    public static final List<String> CATEGORIES = List.of("outage", "cyber", "theft");

    /** The facts of a theft or loss report and the answers the decision table knows (config/criteria/theft.yaml). */
    public static final Map<String, List<String>> FACTS = factTable();

    private static Map<String, List<String>> factTable() {
        Map<String, List<String>> m = new LinkedHashMap<>();
        m.put("kind", List.of("lost", "stolen", "leaked", "exposed", "taken-out"));
        m.put("item", List.of("device", "medium", "information"));
        m.put("holds", List.of("none", "non-personal", "staff-personal", "personal", "business", "design"));
        m.put("encrypted", List.of("true", "false"));
        m.put("affects_work", List.of("true", "false"));
        m.put("found_safe", List.of("true", "false"));
        return java.util.Collections.unmodifiableMap(m);
    }

    /**
     * A fact's answer as the decision table reads it: yes/no (and はい/いいえ) are true/false; null when
     * it is none of the allowed answers (the caller refuses it and lists them).
     */
    public static String factValue(String fact, String answer) {
        List<String> allowed = FACTS.get(fact);
        if (allowed == null || answer == null) {
            return null;
        }
        String a = answer.strip().toLowerCase(java.util.Locale.ROOT);
        if (allowed.contains("true")) {
            String yn = yesNo(a);
            a = yn == null ? a : yn;
        }
        return allowed.contains(a) ? a : null;
    }

    /**
     * Reads a report from a parsed YAML or JSON map; every problem is added to {@code problems} as a
     * sentence for the person who fills the form in (the field's name in parentheses for the API).
     */
    @SuppressWarnings("unchecked")
    public static ManualReport from(Map<String, Object> m, List<String> problems) {
        for (String k : m.keySet()) {
            if (!KEYS.contains(k)) {
                problems.add("知らない項目「" + k + "」があります（報告の項目は " + String.join(", ", new TreeSet<>(KEYS)) + "）");
            }
        }
        Map<String, Object> rep = m.get("reporter") instanceof Map<?, ?> r ? (Map<String, Object>) r : Map.of();
        String kind = str(rep.get("kind"));
        if (kind == null || !REPORTERS.containsKey(kind)) {
            List<String> kinds = new ArrayList<>();
            for (String k : REPORTER_ORDER) {
                kinds.add(FactWording.reporter(k) + "(" + k + ")");
            }
            problems.add("報告者の種別（reporter.kind）を次から選んでください: " + String.join("、", kinds) + "（計画4(2)②(I)）");
        }
        String contact = str(rep.get("contact"));
        if (contact == null || contact.isBlank()) {
            problems.add("報告者の連絡先（reporter.contact）を記入してください: 市民等や関係機関からの通報は折り返しの連絡で確認します");
        }
        Map<String, String> checks = checks(kind, m.get("checks"), problems);
        boolean verified = Boolean.parseBoolean(String.valueOf(rep.getOrDefault("verified", "false")))
                || ReporterChecks.verifies(kind, checks);
        String category = str(m.get("category"));
        if (category == null || !CATEGORIES.contains(category)) {
            problems.add("区分（category）を次から選んでください: 情報システムの停止等(outage)、サイバー攻撃(cyber)、盗難又は紛失(theft)");
        }
        String summary = str(m.get("summary"));
        if (summary == null || summary.isBlank()) {
            problems.add("報告の内容（summary）を一文で記入してください");
        }
        Map<String, String> facts = new LinkedHashMap<>();
        if (m.get("facts") instanceof Map<?, ?> f) {
            for (Map.Entry<?, ?> e : f.entrySet()) {
                String name = String.valueOf(e.getKey());
                String key = "report." + name;
                if (!EventFields.REPORT.contains(key)) {
                    problems.add("知らない事実「" + name + "」があります（事実は " + String.join(", ", FACTS.keySet()) + "）");
                    continue;
                }
                String value = factValue(name, e.getValue() == null ? null : String.valueOf(e.getValue()));
                if (value == null) {
                    // an answer the decision table does not know would match no criterion and read as "not an incident"
                    problems.add(factLabel(name) + "（" + name + "）の答え「" + e.getValue() + "」は判断基準にありません。次のいずれかです: "
                            + allowed(name));
                } else {
                    facts.put(key, value);
                }
            }
        }
        String annex = str(m.get("annex"));
        if (annex != null && AnnexTable.get(annex) == null) {
            problems.add("別表1の事例「" + annex + "」はありません（cyber.1.4 のような番号です）");
        } else if (annex != null && category != null && !annex.startsWith(category + ".")) {
            problems.add("別表1の事例 " + annex + " は区分 " + category + " の事例ではありません");
        }
        if ("theft".equals(category) && annex == null && !facts.containsKey("report.kind")) {
            problems.add("盗難又は紛失の報告には事実（事象 kind、対象 item、含まれる情報 holds、暗号化 encrypted、業務への影響 affects_work、"
                    + "発見 found_safe）か、インシデントハンドラーの判断（別表1の事例 annex）が必要です");
        }
        if (!"theft".equals(category) && annex == null && category != null && CATEGORIES.contains(category)) {
            problems.add("この区分の報告には、インシデントハンドラーの判断として別表1の事例（annex、例 " + category + ".1.1）を選んでください");
        }
        return new ManualReport(kind, contact, verified, str(rep.get("verification")), category, summary, str(m.get("host")),
                facts, annex, checks);
    }

    /** The answers to the plan's checks for this kind of reporter ({@link ReporterChecks}); blank answers are not recorded. */
    private static Map<String, String> checks(String kind, Object given, List<String> problems) {
        Map<String, String> checks = new LinkedHashMap<>();
        if (!(given instanceof Map<?, ?> answers)) {
            return checks;
        }
        List<ReporterChecks.Check> asked = ReporterChecks.forKind(kind);
        for (Map.Entry<?, ?> e : answers.entrySet()) {
            String id = String.valueOf(e.getKey());
            ReporterChecks.Check check = asked.stream().filter(c -> c.id().equals(id)).findFirst().orElse(null);
            String answer = e.getValue() == null ? "" : String.valueOf(e.getValue()).strip();
            if (check == null) {
                problems.add("確認項目「" + id + "」はこの報告者の種別にはありません（"
                        + String.join(", ", asked.stream().map(ReporterChecks.Check::id).toList()) + "）");
            } else if (!answer.isEmpty() && check.yesNo()) {
                String yn = yesNo(answer);
                if (yn == null) {
                    problems.add("「" + check.question() + "」の答えは はい か いいえ です（「" + answer + "」ではなく）");
                } else {
                    checks.put(id, yn);
                }
            } else if (!answer.isEmpty()) {
                checks.put(id, answer);
            }
        }
        return checks;
    }

    /** The kinds of reporter in the plan's order (4(2)②(I)). */
    public static final List<String> REPORTER_ORDER = List.of("staff", "system", "citizen", "city", "prefecture", "state", "jlis");

    /** A fact's name for people. */
    public static String factLabel(String fact) {
        String l = FactWording.label("report." + fact);
        return l == null ? fact : l;
    }

    /** A fact's allowed answers for people: 「紛失(lost)、盗難(stolen)…」, yes/no as はい/いいえ. */
    public static String allowed(String fact) {
        List<String> values = FACTS.getOrDefault(fact, List.of());
        if (values.contains("true")) {
            return "はい、いいえ（yes、no）";
        }
        List<String> out = new ArrayList<>();
        for (String v : values) {
            out.add(FactWording.value("report." + fact, v) + "(" + v + ")");
        }
        return String.join("、", out);
    }

    /** yes/no, はい/いいえ, true/false as true or false; null for anything else. */
    public static String yesNo(String answer) {
        return switch (answer.strip().toLowerCase(Locale.ROOT)) {
            case "yes", "y", "はい", "true", "済", "on" -> "true";
            case "no", "n", "いいえ", "false", "未", "off" -> "false";
            default -> null;
        };
    }

    /** The report journaled by {@link #line()}, read back for its notice; null when the line is not one. */
    public static ManualReport fromLine(String line) {
        if (line == null || !line.startsWith("manual-report ")) {
            return null;
        }
        Object parsed;
        try {
            parsed = new Yaml(new LoaderOptions()).load(line.substring("manual-report ".length()));
        } catch (RuntimeException e) {
            return null;
        }
        if (!(parsed instanceof Map<?, ?> m)) {
            return null;
        }
        return new ManualReport(str(m.get("reporter_kind")), str(m.get("reporter_contact")), Boolean.TRUE.equals(m.get("verified")),
                str(m.get("verification")), str(m.get("category")), str(m.get("summary")), str(m.get("host")), strings(m.get("facts")),
                str(m.get("annex")), strings(m.get("checks")));
    }

    private static Map<String, String> strings(Object o) {
        Map<String, String> out = new LinkedHashMap<>();
        if (o instanceof Map<?, ?> m) {
            m.forEach((k, v) -> out.put(String.valueOf(k), String.valueOf(v)));
        }
        return out;
    }

    /** True when the plan asks for a check of this kind of reporter and it has not been done. */
    public boolean needsVerification() {
        return REPORTERS.getOrDefault(reporterKind, false) && !verified;
    }

    private static String str(Object o) {
        return o == null ? null : String.valueOf(o).strip();
    }

    /** For the journal: the report as one line of text. */
    public String line() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("reporter_kind", reporterKind);
        m.put("reporter_contact", reporterContact);
        m.put("verified", verified);
        m.put("verification", verification);
        m.put("category", category);
        m.put("summary", summary);
        m.put("host", host);
        m.put("facts", facts);
        m.put("annex", annexId);
        m.put("checks", checks);
        return "manual-report " + csirt.agent.util.Json.value(m);
    }

    static List<String> none() {
        return new ArrayList<>();
    }
}
