package csirt.agent.cli;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import csirt.agent.config.AgentConfig;
import csirt.agent.config.ConfigException;
import csirt.agent.config.Settings.Key;
import csirt.agent.replay.Replay;
import csirt.agent.triage.Verdict;
import csirt.agent.util.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code replay}: the live triage engine over log files, with no side effects. */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = {"Run the triage engine (criteria, assets, correlation) over log files, using the events' own "
                + "timestamps as the clock, and print the verdicts and a summary. Touches nothing: no journal, "
                + "no case, no mail.",
                "Lines may be syslog as received (<PRI>...), syslog files as written by rsyslog (/var/log/auth.log), "
                        + "or ClamAV log lines."})
public final class ReplayCommand implements Callable<Integer> {

    @Mixin
    CommonOptions options;

    @Option(names = "--json", description = "One JSON object per verdict, then one with the summary.")
    boolean json;

    @Option(names = "--explain", description = "Show per line how it was read: the format, how its header differed from "
            + "the RFC (dialect) and the product reader that knew it (--json always carries them).")
    boolean explain;

    @Option(names = "--all", description = "Print level 0 verdicts too (by default: incidents only; the summary counts all).")
    boolean all;

    @Option(names = "--host", paramLabel = "NAME", defaultValue = "-",
            description = "The host of lines that name none (e.g. a ClamAV log file); default: unknown.")
    String host;

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "Log files, replayed in the order given.")
    List<Path> files;

    @Override
    public Integer call() throws Exception {
        AgentConfig config;
        try {
            config = AgentConfig.load(options.config());
        } catch (ConfigException e) {
            System.err.println("replay needs a valid configuration: " + e.getMessage());
            return 2;
        }
        for (Path f : files) {
            if (!Files.isReadable(f)) {
                System.err.println("Cannot read " + f + ": check the path and permissions.");
                return 2;
            }
        }
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        Replay replay = new Replay(config.criteria(), config.assets(), config.settings().getZone(Key.SYSLOG_ZONE), host);
        Replay.Summary s = replay.run(files, line -> {
            Verdict v = line.verdict();
            if (!all && v.level() == 0) {
                return;
            }
            out.println(json ? Json.value(jsonOf(line)) : explain ? text(line) + "\n    " + reading(line.verdict().event()) : text(line));
        });
        if (json) {
            out.println(Json.value(Map.of("summary", jsonOf(s, config.criteria().hash()))));
        } else {
            printSummary(out, s, config.criteria().hash());
        }
        out.flush();
        return 0;
    }

    private static String text(Replay.Line line) {
        Verdict v = line.verdict();
        return v.event().time() + "  L" + v.level() + " " + String.format("%-7s", v.category() == null ? "-" : v.category().id())
                + " " + String.format("%-9s", v.criterionId() == null ? "-" : v.criterionId())
                + " " + v.event().host()
                + (v.revision() > 0 ? " (re-decided " + v.revision() + ")" : "")
                + (v.repeatOf() > 0 ? " (repeat)" : "")
                + "  " + line.file().getFileName() + ":" + line.lineNo()
                + "  " + String.join("; ", v.facts());
    }

    /** How a line was read: format, header dialect, product reader. */
    static String reading(csirt.agent.parse.Event e) {
        String dialect = e.fields().get("syslog.dialect");
        String product = e.fields().get(csirt.agent.parse.products.Products.PRODUCT);
        return "read as " + e.format().label() + (dialect == null ? "" : " (" + dialect + ")")
                + (product == null ? ", no product reader" : ", product " + product)
                + (e.parsed() ? "" : ", not parsed: " + e.parseProblem());
    }

    private static Map<String, Object> jsonOf(Replay.Line line) {
        Verdict v = line.verdict();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("time", v.event().time().toString());
        m.put("file", line.file().toString());
        m.put("line", line.lineNo());
        m.put("level", v.level());
        m.put("category", v.category() == null ? null : v.category().id());
        m.put("criterion", v.criterionId());
        m.put("title", v.title());
        m.put("annex", v.annexId());
        m.put("annex_text", v.annexText());
        m.put("host", v.event().host());
        m.put("case_key", v.caseKey());
        m.put("revision", v.revision());
        m.put("repeat", v.repeatOf() > 0);
        m.put("facts", v.facts());
        m.put("criteria_hash", v.criteriaHash());
        m.put("format", v.event().format().label());
        m.put("dialect", v.event().fields().get("syslog.dialect"));
        m.put("product", v.event().fields().get(csirt.agent.parse.products.Products.PRODUCT));
        m.put("text", v.event().text());
        return m;
    }

    private static Map<String, Object> jsonOf(Replay.Summary s, String hash) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("lines", s.lines);
        m.put("verdicts", s.verdicts);
        m.put("repeats", s.repeats);
        m.put("criteria_hash", hash);
        m.put("by_category_and_level", s.byCategoryAndLevel);
        m.put("by_criterion", s.byCriterion);
        Map<String, Object> products = new LinkedHashMap<>();
        s.byProduct.forEach((k, n) -> products.put(k, Map.of("lines", n[0], "incidents", n[1], "no_criterion", n[2])));
        m.put("by_product", products);
        List<Map<String, Object>> cases = s.cases.values().stream().map(c -> {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("key", c.key);
            x.put("opened", c.opened.toString());
            x.put("opened_by", c.openedBy);
            x.put("opened_level", c.openedLevel);
            x.put("level", c.level);
            x.put("escalated_by", c.escalatedBy);
            x.put("events", c.events);
            return x;
        }).toList();
        m.put("cases", cases);
        return m;
    }

    private static void printSummary(PrintStream out, Replay.Summary s, String hash) {
        out.println();
        out.println("Summary: " + s.lines + " lines, " + s.verdicts + " verdicts (" + s.repeats + " repeats), criteria set " + hash);
        s.byCategoryAndLevel.forEach((k, v) -> out.println("  " + String.format("%-16s", k) + " " + v));
        out.println("By product reader (lines, incidents, lines no criterion matched):");
        s.byProduct.forEach((k, n) -> out.println("  " + String.format("%-16s", k) + " " + n[0] + " lines, " + n[1] + " incidents, "
                + n[2] + " matched no criterion"));
        out.println("Cases that would open: " + s.cases.size() + ", escalate: " + s.escalations());
        for (Replay.WouldBeCase c : s.cases.values()) {
            out.println("  " + c.opened + "  L" + c.openedLevel + (c.escalatedBy != null ? " -> L" + c.level + " by " + c.escalatedBy : "")
                    + "  " + c.openedBy + "  " + c.key + "  (" + c.events + " events)");
        }
    }
}
