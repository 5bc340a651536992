package csirt.agent.cli;

import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;

import csirt.agent.cases.CaseEvaluation;
import csirt.agent.cases.CaseRecord;
import csirt.agent.cases.TimelineEntry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code cases evaluate ID}: the times the plan's evaluation of a handling needs (4(2)⑤(II)), then the timeline. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "The times of a case's handling for the plan's evaluation (4(2)⑤(II)): first reception, verdict, the "
                + "notice accepted by the mail server, a person's first step, responding, recovering, closed — each with the "
                + "time since the first reception — then the timeline.")
final class EvaluateCommand implements Callable<Integer> {

    @Mixin
    CommonOptions options;
    @Parameters(index = "0", paramLabel = "ID", description = "The case id, e.g. C-000001 (or 1).")
    String id;

    @Override
    public Integer call() throws Exception {
        DateTimeFormatter time = options.timeFormat();
        return CasesCommand.withStore(options, id, (s, n) -> {
            CaseRecord c = s.find(n).orElseThrow();
            Object[] ack = s.acknowledgement(n);
            java.util.List<TimelineEntry> timeline = s.timeline(n);
            Terminal.println(c.displayId() + "  " + c.title() + "（レベル" + c.level() + "）");
            for (CaseEvaluation.Step step : CaseEvaluation.of(c, timeline, ack == null ? null : (java.time.Instant) ack[0])) {
                Terminal.printf("  %-20s %-23s %s\n", step.name(), step.at() == null ? "-" : time.format(step.at()),
                        step.at() == null ? "" : "+" + CaseEvaluation.span(step.sinceReception()));
            }
            Terminal.println("Timeline:");
            for (TimelineEntry t : timeline) {
                Terminal.println("  " + time.format(t.at()) + "  " + t.actor() + "  " + t.textForPeople(time.getZone()));
            }
        });
    }
}
