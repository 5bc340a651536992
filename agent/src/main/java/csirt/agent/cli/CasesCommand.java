package csirt.agent.cli;

import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

import csirt.agent.cases.CaseEvent;
import csirt.agent.cases.CaseRecord;
import csirt.agent.cases.CaseStore;
import csirt.agent.cases.TimelineEntry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code cases}: list cases and show one with its timeline; works while the daemon runs. */
@Command(name = "cases", mixinStandardHelpOptions = true, description = "List cases, or show one with its timeline.",
        footer = {"", "Each command (`csirt-agent cases COMMAND --help` explains its options):",
                "  list [--by-priority]                  every case; times in notice.zone",
                "  show ID                               facts, events, verdicts, timeline",
                "  note ID TEXT [--by NAME]              a note in the timeline",
                "  status ID STATE [--why TEXT]          the next state the plan allows",
                "  assign ID HANDLER [--by NAME]         the incident handler",
                "  report ID [--markdown]                Report form 1 (報告様式1)",
                "  legal ID [--personal ... | --sent R]  a personal-data breach: the law's report clocks",
                "  legal-report ID                       the nine items of the report to the Commission",
                "  evaluate ID                           the handling's times for the plan's evaluation",
                "ID is C-000001 (or 1). Every command takes --config DIR and --data DIR",
                "(default ./config and ./data) for another agent's files."},
        subcommands = {CasesCommand.ListCases.class, CasesCommand.Show.class, CasesCommand.Note.class, CasesCommand.Status.class,
                CasesCommand.Assign.class, CasesCommand.Report.class, LegalCommands.Legal.class, LegalCommands.Report.class,
                EvaluateCommand.class})
public final class CasesCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        System.err.println("Say what to do: csirt-agent cases list | csirt-agent cases show C-000001");
        return 2;
    }

    /** The case store the agent of {@code o} uses: PostgreSQL when cases.jdbc-url is set, else the embedded one. */
    static CaseStore open(CommonOptions o) {
        csirt.agent.config.Settings s = csirt.agent.config.Settings.load(o.config().resolve("application.properties"),
                new java.util.ArrayList<>());
        String url = s.get(csirt.agent.config.Settings.Key.CASES_JDBC_URL);
        if (url.isEmpty() && !CaseStore.embeddedExists(o.data())) {
            return null;
        }
        return CaseStore.open(o.data(), url, s.get(csirt.agent.config.Settings.Key.CASES_JDBC_USER),
                s.get(csirt.agent.config.Settings.Key.CASES_JDBC_PASSWORD), java.time.Duration.ofSeconds(2), java.time.Duration.ofMinutes(10));
    }

    /** {@code cases list}. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "List all cases, oldest first.")
    static final class ListCases implements Callable<Integer> {
        @Mixin
        CommonOptions options;

        @picocli.CommandLine.Option(names = "--by-priority", description = "Most urgent first (priority, then level).")
        boolean byPriority;

        @picocli.CommandLine.Option(names = "--drills", description = "The cases of drills (drill run) instead of the real ones.")
        boolean drills;

        @Override
        public Integer call() throws Exception {
            CaseStore store = open(options);
            if (store == null) {
                Terminal.println("No cases yet (no case database in " + options.data() + ").");
                return 0;
            }
            try (store) {
                List<CaseRecord> all = store.list().stream().filter(c -> CaseStore.drill(c) == drills).toList();
                if (byPriority) {
                    all = all.stream().sorted(java.util.Comparator.comparingInt(CaseRecord::priority)
                            .thenComparing(java.util.Comparator.comparingInt(CaseRecord::level).reversed())
                            .thenComparingLong(CaseRecord::id)).toList();
                }
                DateTimeFormatter time = options.timeFormat();
                java.util.Map<Long, csirt.agent.cases.LegalClock.State> legal = new java.util.HashMap<>();
                store.legalPending().forEach(st -> legal.put(st.caseId(), st));
                Terminal.printf("%-9s %-3s %-5s %-7s %-12s %-9s %-23s %6s  %s\n", "CASE", "PRI", "LEVEL", "CAT", "STATE", "CRITERION",
                        "FIRST SEEN", "EVENTS", "HOST: TITLE");
                for (CaseRecord c : all) {
                    Terminal.printf("%-9s P%-2d %-5d %-7s %-12s %-9s %-23s %6d  %s: %s\n", c.displayId(), c.priority(), c.level(),
                            c.category(), c.state(), c.criterionId(), time.format(c.firstSeen()), c.eventCount(), c.host(),
                            c.title() + legalDue(legal.get(c.id()), time.getZone()));
                }
                Terminal.println(all.size() + " case(s)");
            }
            return 0;
        }
    }

    /** {@code cases show ID}. */
    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one case: facts, events and timeline.")
    static final class Show implements Callable<Integer> {
        @Mixin
        CommonOptions options;

        @Parameters(paramLabel = "ID", description = "The case id, e.g. C-000001 (or 1).")
        String id;

        @Override
        public Integer call() throws Exception {
            long n = CaseRecord.parseId(id);
            CaseStore store = n < 0 ? null : open(options);
            if (store == null) {
                System.err.println("No case " + id + " (ids look like C-000001; `csirt-agent cases list` shows them).");
                return 1;
            }
            try (store) {
                Optional<CaseRecord> found = store.find(n);
                if (found.isEmpty()) {
                    System.err.println("No case " + id + " (`csirt-agent cases list` shows the cases).");
                    return 1;
                }
                CaseRecord c = found.get();
                DateTimeFormatter time = options.timeFormat();
                Terminal.println(c.displayId() + "  level " + c.level() + "  " + c.category() + "  " + c.state());
                Terminal.println("  title:     " + c.title());
                Terminal.println("  criterion: " + c.criterionId() + " (Annex " + c.annexId() + ")");
                Terminal.println("  host:      " + c.host());
                Terminal.println("  key:       " + c.caseKey());
                Terminal.println("  priority:  P" + c.priority() + (c.assignee() == null ? "" : ", assigned to " + c.assignee())
                        + (c.recurrences() > 0 ? ", " + c.recurrences() + " recurrence(s) while monitored" : "")
                        + (c.previousCaseId() > 0 ? ", may recur " + CaseRecord.displayId(c.previousCaseId()) : ""));
                Terminal.println("  seen:      " + time.format(c.firstSeen()) + " .. " + time.format(c.lastSeen())
                        + ", " + c.eventCount() + " event(s)");
                Terminal.println("Events:");
                for (CaseEvent e : store.events(n, 1000)) {
                    Terminal.println("  seq " + e.journalSeq() + "  " + time.format(e.receivedAt()) + "  L" + e.level() + " "
                            + e.criterionId() + "  " + e.host() + "  " + e.rawText());
                }
                Terminal.println("Timeline:");
                for (TimelineEntry t : store.timeline(n)) {
                    Terminal.println("  " + time.format(t.at()) + "  " + String.format("%-13s", t.kind()) + " " + t.actor()
                            + "  " + t.text());
                }
            }
            return 0;
        }
    }

    /** Runs {@code action} on the case store of {@code options}; a wrong id or step is a clear error. */
    static int withStore(CommonOptions options, String id, java.util.function.BiConsumer<CaseStore, Long> action) throws Exception {
        long n = CaseRecord.parseId(id);
        CaseStore store = n < 0 ? null : open(options);
        if (store == null) {
            System.err.println("No case " + id + " (ids look like C-000001; `csirt-agent cases list` shows them).");
            return 1;
        }
        try (store) {
            action.accept(store, n);
            return 0;
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            return 1;
        }
    }

    /**
     * A write (note, state, assignment) while the agent runs goes through its API, so the agent stays
     * the one writer of cases and the change is in order with what it records; else the store is opened here.
     */
    static boolean agentRunning(CommonOptions options) {
        return csirt.agent.journal.Journal.inUse(options.data().resolve("journal"));
    }

    static int viaAgent(CommonOptions options, String id, String what, java.util.Map<String, Object> body) throws Exception {
        long n = CaseRecord.parseId(id);
        if (n < 0) {
            System.err.println("No case " + id + " (ids look like C-000001; `csirt-agent cases list` shows them).");
            return 1;
        }
        return LocalApi.post(options, "/api/cases/" + CaseRecord.displayId(n) + "/" + what, csirt.agent.util.Json.value(body));
    }

    /** The next deadline of a reportable personal-data breach not yet reported: 「【速報期限 2026年12月7日（月）】」. */
    static String legalDue(csirt.agent.cases.LegalClock.State s, java.time.ZoneId zone) {
        if (s == null || !s.answers().reportable()) {
            return "";
        }
        csirt.agent.cases.LegalClock.Report r = s.preliminarySentAt() == null ? csirt.agent.cases.LegalClock.Report.PRELIMINARY
                : csirt.agent.cases.LegalClock.Report.FINAL;
        return "  【" + r.japanese() + "期限 " + csirt.agent.cases.PpcReport.dueDay(r, s, zone) + "】";
    }

    static String me(String by) {
        return by != null ? by : System.getProperty("user.name", "unknown");
    }

    /** {@code cases note ID TEXT}. */
    @Command(name = "note", mixinStandardHelpOptions = true, description = "Add a note to a case's timeline (who and when are recorded).")
    static final class Note implements Callable<Integer> {
        @Mixin
        CommonOptions options;
        @Parameters(index = "0", paramLabel = "ID", description = "The case id, e.g. C-000001 (or 1).")
        String id;
        @Parameters(index = "1", paramLabel = "TEXT", description = "The note, e.g. \"端末をネットワークから切り離した\".")
        String text;
        @picocli.CommandLine.Option(names = "--by", paramLabel = "NAME", description = "Who writes it (default: the login name).")
        String by;

        @Override
        public Integer call() throws Exception {
            if (agentRunning(options)) {
                return viaAgent(options, id, "notes", java.util.Map.of("text", text, "by", me(by)));
            }
            return withStore(options, id, (s, n) -> {
                s.note(n, me(by), text);
                Terminal.println("Noted in " + CaseRecord.displayId(n) + ".");
            });
        }
    }

    /** {@code cases status ID STATE}. */
    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Move a case along the plan: received, triaged, responding, recovering, monitoring, closed, not-incident.")
    static final class Status implements Callable<Integer> {
        @Mixin
        CommonOptions options;
        @Parameters(index = "0", paramLabel = "ID", description = "The case id, e.g. C-000001 (or 1).")
        String id;
        @Parameters(index = "1", paramLabel = "STATE", description = "The next state; from each state the plan allows: "
                + "received → triaged | not-incident; triaged → responding | not-incident; responding → recovering; "
                + "recovering → monitoring | responding; monitoring → closed | responding; closed → responding; not-incident → triaged.")
        String state;
        @picocli.CommandLine.Option(names = "--by", paramLabel = "NAME", description = "Who does it, for the timeline (default: the login name).")
        String by;
        @picocli.CommandLine.Option(names = "--why", paramLabel = "TEXT", description = "The reason, for the timeline.")
        String why;

        @Override
        public Integer call() throws Exception {
            if (agentRunning(options)) {
                java.util.Map<String, Object> body = new java.util.LinkedHashMap<>();
                body.put("state", state);
                body.put("by", me(by));
                if (why != null) {
                    body.put("why", why);
                }
                return viaAgent(options, id, "state", body);
            }
            return withStore(options, id, (s, n) -> {
                CaseRecord c = s.transition(n, state, me(by), why);
                Terminal.println(c.displayId() + " is now " + c.state() + " (" + csirt.agent.cases.CaseState.japanese(c.state()) + ").");
            });
        }
    }

    /** {@code cases assign ID NAME}. */
    @Command(name = "assign", mixinStandardHelpOptions = true, description = "Set the incident handler of a case.")
    static final class Assign implements Callable<Integer> {
        @Mixin
        CommonOptions options;
        @Parameters(index = "0", paramLabel = "ID", description = "The case id, e.g. C-000001 (or 1).")
        String id;
        @Parameters(index = "1", paramLabel = "HANDLER", description = "The incident handler's name.")
        String handler;
        @picocli.CommandLine.Option(names = "--by", paramLabel = "NAME", description = "Who does it, for the timeline (default: the login name).")
        String by;

        @Override
        public Integer call() throws Exception {
            if (agentRunning(options)) {
                return viaAgent(options, id, "assign", java.util.Map.of("assignee", handler, "by", me(by)));
            }
            return withStore(options, id, (s, n) -> {
                s.assign(n, me(by), handler);
                Terminal.println(CaseRecord.displayId(n) + " is assigned to " + handler + ".");
            });
        }
    }

    /** {@code cases report ID}: Report form 1. */
    @Command(name = "report", mixinStandardHelpOptions = true,
            description = "Print Report form 1 (報告様式1) for a case, filled from it; 【要記入】 marks what a person writes.")
    static final class Report implements Callable<Integer> {
        @Mixin
        CommonOptions options;
        @Parameters(index = "0", paramLabel = "ID", description = "The case id, e.g. C-000001 (or 1).")
        String id;
        @picocli.CommandLine.Option(names = "--markdown", description = "Markdown instead of plain text.")
        boolean markdown;

        @Override
        public Integer call() throws Exception {
            java.util.List<csirt.agent.config.ConfigProblem> problems = new java.util.ArrayList<>();
            csirt.agent.asset.AssetInventory assets = csirt.agent.asset.AssetInventory.load(options.config().resolve("assets.yaml"), problems);
            csirt.agent.config.Settings settings = csirt.agent.config.Settings.load(options.config().resolve("application.properties"), problems);
            return withStore(options, id, (s, n) -> {
                CaseRecord c = s.find(n).orElseThrow(() -> new IllegalArgumentException("No case " + id));
                Terminal.print(csirt.agent.cases.ReportForm1.render(c, assets.lookup(c.host()), s.events(n, 1000), s.timeline(n),
                        settings.getZone(csirt.agent.config.Settings.Key.NOTICE_ZONE), java.time.Instant.now(), markdown));
            });
        }
    }
}
