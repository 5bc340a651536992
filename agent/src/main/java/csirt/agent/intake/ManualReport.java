package csirt.agent.intake;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import csirt.agent.triage.AnnexTable;
import csirt.agent.triage.EventFields;

/**
 * A report from a person (plan 4(2)②): who reported and how to reach them, whether the plan's
 * check for that kind of reporter was done, the category, what happened, and for theft and loss the
 * facts the decision table needs; for other categories the handler's decision as an Annex example.
 */
public record ManualReport(String reporterKind, String reporterContact, boolean verified, String verification, String category,
                           String summary, String host, Map<String, String> facts, String annexId) {

    /** The kinds of reporter the plan names, and whether it asks for a call-back check. */
    public static final Map<String, Boolean> REPORTERS = Map.of("staff", false, "system", false, "citizen", true, "city", true,
            "prefecture", true, "state", true, "jlis", true);

    private static final Set<String> KEYS = Set.of("reporter", "category", "summary", "host", "facts", "annex");

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
            a = switch (a) {
                case "yes", "y", "はい", "true" -> "true";
                case "no", "n", "いいえ", "false" -> "false";
                default -> a;
            };
        }
        return allowed.contains(a) ? a : null;
    }

    /** Reads a report from a parsed YAML or JSON map; every problem is added to {@code problems}. */
    @SuppressWarnings("unchecked")
    public static ManualReport from(Map<String, Object> m, List<String> problems) {
        for (String k : m.keySet()) {
            if (!KEYS.contains(k)) {
                problems.add("unknown field '" + k + "'; a report has " + KEYS);
            }
        }
        Map<String, Object> rep = m.get("reporter") instanceof Map<?, ?> r ? (Map<String, Object>) r : Map.of();
        String kind = str(rep.get("kind"));
        if (kind == null || !REPORTERS.containsKey(kind)) {
            problems.add("reporter.kind must be one of " + REPORTERS.keySet() + " (plan 4(2)②(I))");
        }
        String contact = str(rep.get("contact"));
        if (contact == null || contact.isBlank()) {
            problems.add("reporter.contact is needed: how to reach the reporter (the plan calls back citizens and authorities)");
        }
        boolean verified = Boolean.parseBoolean(String.valueOf(rep.getOrDefault("verified", "false")));
        String category = str(m.get("category"));
        if (category == null || !CATEGORIES.contains(category)) {
            problems.add("category must be outage, cyber or theft");
        }
        String summary = str(m.get("summary"));
        if (summary == null || summary.isBlank()) {
            problems.add("summary is needed: what was reported, in a sentence");
        }
        Map<String, String> facts = new LinkedHashMap<>();
        if (m.get("facts") instanceof Map<?, ?> f) {
            for (Map.Entry<?, ?> e : f.entrySet()) {
                String name = String.valueOf(e.getKey());
                String key = "report." + name;
                if (!EventFields.REPORT.contains(key)) {
                    problems.add("unknown fact '" + name + "'; facts are " + FACTS.keySet());
                    continue;
                }
                String value = factValue(name, e.getValue() == null ? null : String.valueOf(e.getValue()));
                if (value == null) {
                    // an answer the decision table does not know would match no criterion and read as "not an incident"
                    problems.add("fact " + name + ": '" + e.getValue() + "' is not one of " + FACTS.get(name));
                } else {
                    facts.put(key, value);
                }
            }
        }
        String annex = str(m.get("annex"));
        if (annex != null && AnnexTable.get(annex) == null) {
            problems.add("annex '" + annex + "' is not an example of Annex table 1 (ids look like cyber.1.4)");
        } else if (annex != null && category != null && !annex.startsWith(category + ".")) {
            problems.add("annex " + annex + " is not of category " + category);
        }
        if ("theft".equals(category) && annex == null && !facts.containsKey("report.kind")) {
            problems.add("a theft or loss report needs facts (kind: lost|stolen|leaked|exposed|taken-out, item, holds, encrypted, "
                    + "affects_work, found_safe) or the handler's decision as annex");
        }
        if (!"theft".equals(category) && annex == null && category != null) {
            problems.add("for " + category + " reports give the handler's decision as annex (an Annex table 1 example id)");
        }
        return new ManualReport(kind, contact, verified, str(rep.get("verification")), category, summary, str(m.get("host")),
                facts, annex);
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
        return "manual-report " + csirt.agent.util.Json.value(m);
    }

    static List<String> none() {
        return new ArrayList<>();
    }
}
