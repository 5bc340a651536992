package csirt.agent.triage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Stream;

import csirt.agent.config.ConfigProblem;
import csirt.agent.config.Durations;
import csirt.agent.config.YamlNode;
import csirt.agent.journal.JournalFormat;

/**
 * The criteria loaded from {@code config/criteria/*.yaml}, checked as a whole: every problem in
 * every file is collected (file, line, key, what to do), like a linter, not just the first.
 */
public final class CriteriaSet {

    private static final Pattern ID = Pattern.compile("^[A-Z]{2,5}-\\d{3}$");
    private static final Set<String> KEYS = Set.of("id", "title", "category", "level", "status", "annex", "match",
            "case_key", "hold", "spread", "repeat", "after", "suppress", "description", "false_positives", "references");
    /** The annex id of an explicit level-0 ignore that no example of the table describes. */
    public static final String NO_EXAMPLE = "none";
    private static final Set<String> STATUSES = Set.of("stable", "test", "experimental");

    private final List<Criterion> criteria;
    private final String hash;

    private CriteriaSet(List<Criterion> criteria, String hash) {
        this.criteria = List.copyOf(criteria);
        this.hash = hash;
    }

    public List<Criterion> criteria() {
        return criteria;
    }

    /** A short hash of the criteria files in force, recorded in every verdict. */
    public String hash() {
        return hash;
    }

    public Criterion byId(String id) {
        for (Criterion c : criteria) {
            if (c.id().equals(id)) {
                return c;
            }
        }
        return null;
    }

    /** Loads every {@code *.yaml} in {@code dir} in name order; problems are added to {@code problems}. */
    public static CriteriaSet load(Path dir, List<ConfigProblem> problems) {
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".yaml")).sorted().toList();
        } catch (IOException e) {
            problems.add(new ConfigProblem(dir, 0, null, "the criteria directory cannot be read: " + e.getMessage()
                    + "; it must hold the criteria files (*.yaml)"));
            return new CriteriaSet(List.of(), "none");
        }
        if (files.isEmpty()) {
            problems.add(new ConfigProblem(dir, 0, null, "no criteria files (*.yaml): without criteria nothing is ever an incident"));
        }
        MessageDigest digest = JournalFormat.sha256();
        List<Criterion> all = new ArrayList<>();
        List<YamlNode> holdNodes = new ArrayList<>();
        Map<String, Criterion> byId = new HashMap<>();
        for (Path f : files) {
            try {
                digest.update(f.getFileName().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                digest.update(Files.readAllBytes(f));
            } catch (IOException e) {
                problems.add(new ConfigProblem(f, 0, null, "cannot be read: " + e.getMessage()));
                continue;
            }
            YamlNode root = YamlNode.load(f, problems);
            if (root == null) {
                continue;
            }
            Map<String, YamlNode> top = root.entries();
            root.rejectUnknownKeys(top, Set.of("criteria"));
            if (!top.containsKey("criteria")) {
                root.problem("criteria", "missing: a criteria file holds a list under 'criteria:'");
                continue;
            }
            for (YamlNode item : top.get("criteria").items()) {
                Criterion c = read(item, f, all.size());
                if (c == null) {
                    continue;
                }
                if (byId.containsKey(c.id())) {
                    Criterion other = byId.get(c.id());
                    item.problem("id", "'" + c.id() + "' is already used at " + other.file() + ":" + other.line()
                            + "; every criterion needs its own id");
                    continue;
                }
                byId.put(c.id(), c);
                all.add(c);
                holdNodes.add(item);
            }
        }
        // References between criteria can only be checked once all files are read.
        Set<String> reachable = new java.util.HashSet<>();
        for (Criterion c : all) {
            if (c.hold() != null) {
                reachable.add(c.hold().thenCriterion());
                c.hold().escalate().forEach(step -> reachable.add(step.to()));
            }
        }
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).match().isEmpty() && !reachable.contains(all.get(i).id())) {
                holdNodes.get(i).problem("match", "missing: say which events the criterion takes "
                        + "(only a criterion named by another's hold.then or hold.escalate may go without)");
            }
        }
        for (int i = 0; i < all.size(); i++) {
            Criterion c = all.get(i);
            YamlNode where = holdNodes.get(i);
            if (c.hold() != null) {
                Criterion then = byId.get(c.hold().thenCriterion());
                if (then == null) {
                    where.problem("hold.then", "names criterion '" + c.hold().thenCriterion() + "', which does not exist");
                } else if (then.level() >= c.level()) {
                    where.problem("hold.then", "'" + then.id() + "' must have a lower level than "
                            + c.id() + ": a release can only lower the verdict");
                }
                int last = c.level();
                for (Criterion.Step step : c.hold().escalate()) {
                    Criterion to = byId.get(step.to());
                    if (to == null) {
                        where.problem("hold.escalate", "names criterion '" + step.to() + "', which does not exist");
                    } else if (to.level() < last) {
                        where.problem("hold.escalate", "'" + to.id() + "' has a lower level than the step before: "
                                + "an escalation ladder only goes up");
                    } else {
                        last = to.level();
                    }
                }
            }
            if (c.after() != null) {
                Criterion before = byId.get(c.after().criterion());
                if (before == null) {
                    where.problem("after.criterion", "names criterion '" + c.after().criterion() + "', which does not exist");
                } else {
                    for (String f : c.after().same()) {
                        if (f.startsWith("x.") && !extracts(before.match(), f)) {
                            where.problem("after.same", "'" + f + "' is not extracted by " + before.id()
                                    + "'s match: name the group the same in both criteria");
                        }
                    }
                }
            }
        }
        String hash = HexFormat.of().formatHex(digest.digest()).substring(0, 12);
        return new CriteriaSet(all, hash);
    }

    private static Criterion read(YamlNode item, Path file, int order) {
        int before = countProblems(item);
        Map<String, YamlNode> e = item.entries();
        item.rejectUnknownKeys(e, KEYS);
        String id = required(item, e, "id");
        if (id != null && !ID.matcher(id).matches()) {
            item.problemAt(e, "id", "'" + id + "' is not a criterion id: use 2-5 capital letters, a hyphen and 3 digits, e.g. AV-010");
        }
        String title = required(item, e, "title");
        String categoryText = required(item, e, "category");
        Category category = categoryText == null ? null : Category.of(categoryText);
        if (categoryText != null && category == null) {
            item.problemAt(e, "category", "unknown category '" + categoryText + "'; use outage, cyber or theft (plan section 3)");
        }
        String levelText = required(item, e, "level");
        int level = -1;
        if (levelText != null) {
            if (levelText.matches("[012]")) {
                level = Integer.parseInt(levelText);
            } else {
                item.problemAt(e, "level", "level must be 0, 1 or 2 (Annex table 1), was '" + levelText + "'");
            }
        }
        String status = e.containsKey("status") ? e.get("status").text() : "stable";
        if (status != null && !STATUSES.contains(status)) {
            item.problemAt(e, "status", "unknown status '" + status + "'; use one of " + STATUSES);
        }
        String annexId = null;
        String annexText = null;
        if (!e.containsKey("annex")) {
            item.problem("annex", "missing: every criterion cites the Annex table 1 example it implements (id and Japanese text)");
        } else {
            YamlNode a = e.get("annex");
            Map<String, YamlNode> ae = a.entries();
            a.rejectUnknownKeys(ae, Set.of("id", "text"));
            annexId = required(a, ae, "id");
            if (NO_EXAMPLE.equals(annexId)) {
                // An explicit ignore that no example of the table describes: only at level 0, and it must say why.
                if (level > 0) {
                    a.problemAt(ae, "id", "'none' is allowed only for level 0 criteria: an incident must cite its Annex table 1 example");
                }
                if (!e.containsKey("description")) {
                    item.problem("description", "a criterion that cites no Annex example must say why its events are not incidents");
                }
            } else {
                annexText = required(a, ae, "text");
            }
            AnnexTable.Example ex = annexId == null || NO_EXAMPLE.equals(annexId) ? null : AnnexTable.get(annexId);
            if (annexId != null && !NO_EXAMPLE.equals(annexId) && ex == null) {
                a.problemAt(ae, "id", "'" + annexId + "' is not an example of Annex table 1; ids look like cyber.1.4");
            } else if (ex != null) {
                if (annexText != null && !annexText.strip().equals(ex.japanese())) {
                    a.problemAt(ae, "text", "must quote example " + annexId + " verbatim: " + ex.japanese());
                }
                if (category != null && !ex.category().equals(category.id())) {
                    a.problemAt(ae, "id", "example " + annexId + " belongs to category " + ex.category()
                            + ", but the criterion's category is " + category.id());
                }
                if (level >= 0 && ex.level() != level) {
                    a.problemAt(ae, "id", "example " + annexId + " is level " + ex.level() + " in Annex table 1, but the criterion gives level " + level);
                }
            }
        }
        List<Condition> match = List.of();
        if (!e.containsKey("match")) {
            // Allowed for a criterion reached only through another one's hold (then / escalate): checked below.
        } else {
            match = conditions(e.get("match"));
            if (match.isEmpty()) {
                e.get("match").problem(null, "needs at least one condition");
            }
        }
        List<String> caseKey = e.containsKey("case_key") ? fields(e.get("case_key"), match) : List.of("host");
        Criterion.Hold hold = e.containsKey("hold") ? hold(e.get("hold"), match) : null;
        if (e.containsKey("spread") && e.containsKey("repeat")) {
            item.problem("repeat", "a criterion counts either distinct values (spread) or events (repeat), not both");
        }
        Criterion.Window window = e.containsKey("spread") ? window(e.get("spread"), match, true)
                : e.containsKey("repeat") ? window(e.get("repeat"), match, false) : null;
        Criterion.After after = e.containsKey("after") ? after(e.get("after"), match) : null;
        Criterion.Suppress suppress = e.containsKey("suppress") ? suppress(e.get("suppress"), match) : null;
        if (countProblems(item) > before || id == null || category == null || level < 0) {
            return null;
        }
        List<Condition> ordered = new ArrayList<>(match);
        ordered.sort(java.util.Comparator.comparingInt(Condition::cost));
        return new Criterion(id, title, category, level, status, annexId, annexText == null ? null : annexText.strip(),
                List.copyOf(ordered), caseKey, hold, window, after, suppress, file, item.line(), order);
    }

    /** True when one of the regexes of {@code conditions} has the named group of field {@code x.name}. */
    static boolean extracts(List<Condition> conditions, String field) {
        String group = field.substring(2);
        for (Condition c : conditions) {
            if (c.groups().contains(group)) {
                return true;
            }
        }
        return false;
    }

    private static List<Condition> conditions(YamlNode node) {
        List<Condition> out = new ArrayList<>();
        for (Map.Entry<String, YamlNode> m : node.entries().entrySet()) {
            String field = m.getKey();
            YamlNode v = m.getValue();
            if (!EventFields.known(field) || field.startsWith("x.")) {
                v.problem(null, "unknown field '" + field + "'; fields are " + EventFields.NAMES
                        + (field.startsWith("x.") ? " (x.* fields come from named groups and cannot be matched)" : ""));
                continue;
            }
            if (v.isMap()) {
                Map<String, YamlNode> ops = v.entries();
                v.rejectUnknownKeys(ops, Set.of("regex", "exists", "not"));
                if (ops.containsKey("regex")) {
                    String re = ops.get("regex").text();
                    try {
                        out.add(Condition.regex(field, Pattern.compile(re)));
                    } catch (PatternSyntaxException | NullPointerException ex) {
                        ops.get("regex").problem(null, "the regular expression does not compile: "
                                + (ex instanceof PatternSyntaxException p ? p.getDescription() : "empty"));
                    }
                }
                if (ops.containsKey("exists")) {
                    boolean want = "true".equals(ops.get("exists").text());
                    out.add(Condition.of(field, want ? Condition.Op.EXISTS : Condition.Op.ABSENT, List.of()));
                }
                if (ops.containsKey("not")) {
                    out.add(Condition.of(field, Condition.Op.NONE_OF, ops.get("not").texts()));
                }
            } else {
                out.add(Condition.of(field, Condition.Op.ANY_OF, v.texts()));
            }
        }
        return out;
    }

    /** Field names for keys and groups: event and asset fields, or x.* extracted by {@code match}. */
    private static List<String> fields(YamlNode node, List<Condition> match) {
        List<String> out = new ArrayList<>();
        for (String f : node.texts()) {
            if (f.startsWith("x.") ? !extracts(match, f) : !EventFields.known(f)) {
                node.problem(null, f.startsWith("x.")
                        ? "'" + f + "' is not extracted: add a named group (?<" + f.substring(2) + ">...) to a regex of match"
                        : "unknown field '" + f + "'; fields are " + EventFields.NAMES);
            } else {
                out.add(f);
            }
        }
        return out;
    }

    private static Criterion.Hold hold(YamlNode node, List<Condition> match) {
        Map<String, YamlNode> e = node.entries();
        node.rejectUnknownKeys(e, Set.of("for", "released_by", "same", "then", "escalate"));
        Duration d = duration(node, e, "for");
        List<Condition> releasedBy = e.containsKey("released_by") ? conditions(e.get("released_by")) : List.of();
        if (releasedBy.isEmpty()) {
            node.problemAt(e, "released_by", "missing: which event releases the hold");
        }
        List<String> same = List.of("host");
        if (e.containsKey("same")) {
            same = fields(e.get("same"), match);
            for (String f : same) {
                if (f.startsWith("x.") && !extracts(releasedBy, f)) {
                    e.get("same").problem(null, "'" + f + "' must also be extracted by a named group of released_by");
                }
            }
        }
        String then = required(node, e, "then");
        List<Criterion.Step> steps = new ArrayList<>();
        if (e.containsKey("escalate")) {
            Duration previous = d;
            for (YamlNode step : e.get("escalate").items()) {
                Map<String, YamlNode> se = step.entries();
                step.rejectUnknownKeys(se, Set.of("after", "to"));
                Duration after = duration(step, se, "after");
                String to = required(step, se, "to");
                if (after != null && previous != null && after.compareTo(previous) <= 0) {
                    step.problemAt(se, "after", "must be longer than the step before (" + previous + ")");
                }
                previous = after;
                steps.add(new Criterion.Step(after, to));
            }
        }
        return new Criterion.Hold(d, releasedBy, same, then, List.copyOf(steps));
    }

    private static Criterion.Window window(YamlNode node, List<Condition> match, boolean distinct) {
        Map<String, YamlNode> e = node.entries();
        node.rejectUnknownKeys(e, distinct ? Set.of("count_distinct", "group_by", "threshold", "window")
                : Set.of("group_by", "threshold", "window"));
        String countDistinct = null;
        if (distinct) {
            countDistinct = required(node, e, "count_distinct");
            if (countDistinct != null && (countDistinct.startsWith("x.") ? !extracts(match, countDistinct) : !EventFields.known(countDistinct))) {
                node.problemAt(e, "count_distinct", "unknown field '" + countDistinct + "'");
            }
        }
        List<String> group = e.containsKey("group_by") ? fields(e.get("group_by"), match) : List.of();
        String t = required(node, e, "threshold");
        int threshold = 0;
        if (t != null && t.matches("\\d{1,6}") && Integer.parseInt(t) >= 2) {
            threshold = Integer.parseInt(t);
        } else if (t != null) {
            node.problemAt(e, "threshold", "must be a whole number of at least 2, was '" + t + "'");
        }
        return new Criterion.Window(countDistinct, group, threshold, duration(node, e, "window"));
    }

    private static Criterion.After after(YamlNode node, List<Condition> match) {
        Map<String, YamlNode> e = node.entries();
        node.rejectUnknownKeys(e, Set.of("criterion", "same", "within"));
        String criterion = required(node, e, "criterion");
        List<String> same = e.containsKey("same") ? fields(e.get("same"), match) : List.of("host");
        return new Criterion.After(criterion, same, duration(node, e, "within"));
    }

    private static Criterion.Suppress suppress(YamlNode node, List<Condition> match) {
        Map<String, YamlNode> e = node.entries();
        node.rejectUnknownKeys(e, Set.of("same", "for"));
        List<String> same = e.containsKey("same") ? fields(e.get("same"), match) : List.of("host", "message");
        return new Criterion.Suppress(same, duration(node, e, "for"));
    }

    private static Duration duration(YamlNode node, Map<String, YamlNode> e, String key) {
        String t = required(node, e, key);
        Duration d = Durations.parse(t);
        if (t != null && (d == null || d.isZero())) {
            node.problemAt(e, key, "'" + t + "' is not a duration; write e.g. 30s, 5m, 1h or 2d");
        }
        return d;
    }

    private static String required(YamlNode node, Map<String, YamlNode> e, String key) {
        if (!e.containsKey(key)) {
            node.problem(key, "missing");
            return null;
        }
        String t = e.get(key).text();
        if (t == null || t.isBlank()) {
            node.problem(key, "must not be empty");
            return null;
        }
        return t.strip();
    }

    private static int countProblems(YamlNode node) {
        return node.problemCount();
    }
}
