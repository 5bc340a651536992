package csirt.agent.cli;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import csirt.agent.asset.AssetInventory;
import csirt.agent.asset.SourceCoverage;
import csirt.agent.cases.CaseStore;
import csirt.agent.cases.SourceTally;
import csirt.agent.config.ConfigProblem;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code coverage}: whether the logs the plan needs are collected (5(1)②), asset by asset, and who else sends. */
@Command(name = "coverage", mixinStandardHelpOptions = true,
        description = "Show for every asset of assets.yaml when it last sent, how many messages a day lately and whether it "
                + "ever sent at all, and the senders the inventory does not list (plan 5(1)②). The running agent adds its "
                + "counts every minute.")
public final class CoverageCommand implements Callable<Integer> {

    @Mixin
    CommonOptions options;

    @Option(names = "--days", paramLabel = "N", defaultValue = "7", description = "Days the per-day rate covers (default: ${DEFAULT-VALUE}).")
    int days;

    @Override
    public Integer call() throws Exception {
        if (days < 1) {
            System.err.println("--days must be 1 or more");
            return 2;
        }
        List<ConfigProblem> problems = new ArrayList<>();
        AssetInventory inventory = AssetInventory.load(options.config().resolve("assets.yaml"), problems);
        if (!problems.isEmpty()) {
            problems.forEach(p -> System.err.println(p));
            return 1;
        }
        CaseStore store = CasesCommand.open(options);
        if (store == null) {
            Terminal.println("Nothing received yet (no case database in " + options.data() + ").");
            return 0;
        }
        DateTimeFormatter time = options.timeFormat();
        try (store) {
            SourceCoverage.Report r = SourceCoverage.of(inventory, store.senders(LocalDate.now(time.getZone()).minusDays(days - 1)), days);
            Terminal.printf("%-24s %-16s %-23s %14s %12s\n", "ASSET", "ROLE", "LAST SENT", "PER DAY (" + days + " d)", "TOTAL");
            for (SourceCoverage.AssetRow a : r.assets()) {
                Terminal.printf("%-24s %-16s %-23s %14s %12d\n", a.asset().host(), a.asset().role(),
                        a.neverSent() ? "never" : time.format(a.lastSeen()), a.neverSent() ? "-" : String.format("%.1f", a.perDay()), a.total());
            }
            Terminal.println(r.assets().size() + " asset(s), " + r.neverSent().size() + " never sent"
                    + (r.neverSent().isEmpty() ? "" : ": check their log forwarding (docs/PRODUCTS.md)"));
            Terminal.println("");
            Terminal.println("Senders not in assets.yaml (" + r.unlisted().size() + "):");
            if (!r.unlisted().isEmpty()) {
                Terminal.printf("%-32s %12s  %-23s  %-23s\n", "HOST", "MESSAGES", "FIRST SEEN", "LAST SEEN");
            }
            for (SourceTally.Sent s : r.unlisted()) {
                Terminal.printf("%-32s %12d  %-23s  %-23s\n", s.host(), s.total(), time.format(s.firstSeen()), time.format(s.lastSeen()));
            }
        }
        return 0;
    }
}
