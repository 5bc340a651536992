package csirt.agent.console;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import csirt.agent.intake.ManualReport;
import csirt.agent.intake.ReporterChecks;
import csirt.agent.triage.AnnexTable;
import csirt.agent.triage.Category;
import csirt.agent.triage.FactWording;

/**
 * The intake form for reports from people (plan 4(2)②): the kind of reporter with the plan's checks
 * for that kind, the category, what happened, the theft-and-loss facts the decision table needs or
 * the handler's decision as an Annex example. The same report the command line's {@code intake}
 * sends; a refused form comes back with what was written and what to correct.
 */
final class IntakeForm {

    private IntakeForm() {
    }

    /** The form's fields as a report for the intake (blank fields left out). */
    static Map<String, Object> report(Map<String, String> form) {
        Map<String, Object> reporter = new LinkedHashMap<>();
        put(reporter, "kind", form.get("reporter_kind"));
        put(reporter, "contact", form.get("reporter_contact"));
        put(reporter, "verification", form.get("verification"));
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("reporter", reporter);
        put(r, "category", form.get("category"));
        put(r, "summary", form.get("summary"));
        put(r, "host", form.get("host"));
        String category = form.getOrDefault("category", "");
        if (!"theft".equals(category)) {
            put(r, "annex", form.get("annex_" + category));
        }
        if ("theft".equals(category)) {
            Map<String, Object> facts = new LinkedHashMap<>();
            for (String f : ManualReport.FACTS.keySet()) {
                put(facts, f, form.get("fact_" + f));
            }
            if (!facts.isEmpty()) {
                r.put("facts", facts);
            }
            put(r, "annex", form.get("annex_theft"));
        }
        Map<String, Object> checks = new LinkedHashMap<>();
        for (ReporterChecks.Check c : ReporterChecks.forKind(form.get("reporter_kind"))) {
            String v = form.get("check_" + form.get("reporter_kind") + "_" + c.id());
            put(checks, c.id(), c.yesNo() && v != null && !v.isBlank() ? (v.equals("on") ? "true" : v) : v);
        }
        if (!checks.isEmpty()) {
            r.put("checks", checks);
        }
        return r;
    }

    private static void put(Map<String, Object> m, String key, String value) {
        if (value != null && !value.isBlank()) {
            m.put(key, value.strip());
        }
    }

    /** The page's model: every choice in the plan's words, with what was written kept ({@code form}) and the problems. */
    static Map<String, Object> model(Map<String, String> form, List<String> problems, ConsoleWords words) {
        Map<String, Object> m = new HashMap<>();
        m.put("title", words.get("page.intake"));
        m.put("problems", problems);
        String kind = form.getOrDefault("reporter_kind", "staff");
        List<Map<String, Object>> kinds = new ArrayList<>();
        for (String k : ManualReport.REPORTER_ORDER) {
            Map<String, Object> e = new HashMap<>();
            e.put("value", k);
            e.put("name", words.reporter(k));
            e.put("selected", k.equals(kind));
            e.put("plan", ReporterChecks.planStep(k));
            List<Map<String, Object>> checks = new ArrayList<>();
            for (ReporterChecks.Check c : ReporterChecks.forKind(k)) {
                String name = "check_" + k + "_" + c.id();
                checks.add(Map.of("name", name, "question", words.japanese() ? c.question() : words.get("check." + c.id()), "yesNo", c.yesNo(),
                        "value", form.getOrDefault(name, ""), "checked", "on".equals(form.get(name)) || "true".equals(form.get(name))));
            }
            e.put("checks", checks);
            kinds.add(e);
        }
        m.put("kinds", kinds);
        m.put("contact", form.getOrDefault("reporter_contact", ""));
        m.put("verification", form.getOrDefault("verification", ""));
        m.put("summary", form.getOrDefault("summary", ""));
        m.put("host", form.getOrDefault("host", ""));
        String category = form.getOrDefault("category", "");
        List<Map<String, Object>> categories = new ArrayList<>();
        for (Category c : Category.values()) {
            Map<String, Object> e = new HashMap<>();
            e.put("value", c.id());
            e.put("name", words.category(c.id()));
            e.put("selected", c.id().equals(category));
            List<Map<String, Object>> examples = new ArrayList<>();
            for (AnnexTable.Example ex : AnnexTable.all().values()) {
                if (ex.category().equals(c.id())) {
                    examples.add(Map.of("value", ex.id(), "name", words.get("level.word") + ex.level() + " " + (words.japanese() ? ex.japanese() : ex.english()),
                            "selected", ex.id().equals(form.get("annex_" + c.id()))));
                }
            }
            e.put("examples", examples);
            categories.add(e);
        }
        m.put("categories", categories);
        List<Map<String, Object>> facts = new ArrayList<>();
        for (Map.Entry<String, List<String>> f : ManualReport.FACTS.entrySet()) {
            List<Map<String, Object>> answers = new ArrayList<>();
            for (String v : f.getValue()) {
                String label = v.equals("true") ? words.get("answer.true") : v.equals("false") ? words.get("answer.false")
                        : words.japanese() ? FactWording.value("report." + f.getKey(), v) : v;
                answers.add(Map.of("value", v, "name", label, "selected", v.equals(form.get("fact_" + f.getKey()))));
            }
            facts.add(Map.of("name", "fact_" + f.getKey(), "label", words.japanese() ? ManualReport.factLabel(f.getKey()) : f.getKey().replace('_', ' '), "answers", answers));
        }
        m.put("facts", facts);
        return m;
    }
}
