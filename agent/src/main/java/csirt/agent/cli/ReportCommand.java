package csirt.agent.cli;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import csirt.agent.cases.CaseStore;
import csirt.agent.cases.PeriodReport;
import csirt.agent.config.ConfigProblem;
import csirt.agent.triage.CriteriaSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code report period FROM TO}: the review of a period (plan 5(3)). */
@Command(name = "report", mixinStandardHelpOptions = true, description = "Reports over the cases.",
        subcommands = {ReportCommand.Period.class})
public final class ReportCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        System.err.println("Say what to do: csirt-agent report period 2026-04-01 2026-09-30");
        return 2;
    }

    /** {@code report period FROM TO}. */
    @Command(name = "period", mixinStandardHelpOptions = true, description = "The review of a period (plan 5(3)): cases by category "
            + "and level, the median and worst of each handling time, drills held and their times, cases closed as not an "
            + "incident per criterion, level 1-2 criteria that never fired, sources that fell silent.")
    static final class Period implements Callable<Integer> {
        @Mixin
        CommonOptions options;
        @Parameters(index = "0", paramLabel = "FROM", description = "The first day, YYYY-MM-DD (in notice.zone).")
        String from;
        @Parameters(index = "1", paramLabel = "TO", description = "The last day, YYYY-MM-DD (inclusive).")
        String to;

        @Override
        public Integer call() throws Exception {
            LocalDate a;
            LocalDate b;
            try {
                a = LocalDate.parse(from);
                b = LocalDate.parse(to);
            } catch (DateTimeParseException e) {
                System.err.println("FROM and TO are days as YYYY-MM-DD, e.g. report period 2026-04-01 2026-09-30");
                return 2;
            }
            if (b.isBefore(a)) {
                System.err.println("TO (" + b + ") is before FROM (" + a + ")");
                return 2;
            }
            List<ConfigProblem> problems = new ArrayList<>();
            CriteriaSet criteria = CriteriaSet.load(options.config().resolve("criteria"), problems);
            CaseStore store = CasesCommand.open(options);
            if (store == null) {
                Terminal.println("No cases yet (no case database in " + options.data() + ").");
                return 0;
            }
            try (store) {
                Terminal.println(PeriodReport.render(store, criteria.criteria(), a, b, options.timeFormat().getZone()));
            }
            return 0;
        }
    }
}
