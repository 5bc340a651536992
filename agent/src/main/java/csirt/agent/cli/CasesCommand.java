package csirt.agent.cli;

import java.nio.file.Files;
import java.time.ZoneId;
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
        subcommands = {CasesCommand.ListCases.class, CasesCommand.Show.class})
public final class CasesCommand implements Callable<Integer> {

    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

    @Override
    public Integer call() {
        System.err.println("Say what to do: csirt-agent cases list | csirt-agent cases show C-000001");
        return 2;
    }

    static CaseStore open(CommonOptions o) {
        if (!Files.exists(o.data().resolve("cases").resolve("cases.mv.db"))) {
            return null;
        }
        return CaseStore.open(o.data());
    }

    /** {@code cases list}. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "List all cases, oldest first.")
    static final class ListCases implements Callable<Integer> {
        @Mixin
        CommonOptions options;

        @Override
        public Integer call() throws Exception {
            CaseStore store = open(options);
            if (store == null) {
                System.out.println("No cases yet (no case database in " + options.data() + ").");
                return 0;
            }
            try (store) {
                List<CaseRecord> all = store.list();
                System.out.printf("%-9s %-5s %-7s %-10s %-8s %-19s %6s  %s%n", "CASE", "LEVEL", "CAT", "STATE", "CRITERION",
                        "FIRST SEEN", "EVENTS", "HOST: TITLE");
                for (CaseRecord c : all) {
                    System.out.printf("%-9s %-5d %-7s %-10s %-8s %-19s %6d  %s: %s%n", c.displayId(), c.level(), c.category(),
                            c.state(), c.criterionId(), TIME.format(c.firstSeen()), c.eventCount(), c.host(), c.title());
                }
                System.out.println(all.size() + " case(s)");
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
                System.out.println(c.displayId() + "  level " + c.level() + "  " + c.category() + "  " + c.state());
                System.out.println("  title:     " + c.title());
                System.out.println("  criterion: " + c.criterionId() + " (Annex " + c.annexId() + ")");
                System.out.println("  host:      " + c.host());
                System.out.println("  key:       " + c.caseKey());
                System.out.println("  seen:      " + TIME.format(c.firstSeen()) + " .. " + TIME.format(c.lastSeen())
                        + ", " + c.eventCount() + " event(s)");
                System.out.println("Events:");
                for (CaseEvent e : store.events(n, 1000)) {
                    System.out.println("  seq " + e.journalSeq() + "  " + TIME.format(e.receivedAt()) + "  L" + e.level() + " "
                            + e.criterionId() + "  " + e.host() + "  " + e.rawText().replaceAll("\\p{Cntrl}", "?"));
                }
                System.out.println("Timeline:");
                for (TimelineEntry t : store.timeline(n)) {
                    System.out.println("  " + TIME.format(t.at()) + "  " + String.format("%-13s", t.kind()) + " " + t.actor()
                            + "  " + t.text());
                }
            }
            return 0;
        }
    }
}
