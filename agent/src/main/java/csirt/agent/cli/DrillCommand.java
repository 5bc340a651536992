package csirt.agent.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code drill}: the plan's drills (5(2)), played by the running agent through its real pipeline. */
@Command(name = "drill", mixinStandardHelpOptions = true, description = "Drills (plan 5(2)): scenarios of config/drills/ played "
        + "through the running agent's real pipeline, their cases and notices marked 【訓練】 and kept apart from real ones.",
        subcommands = {DrillCommand.Run.class, DrillCommand.ListDrills.class})
public final class DrillCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        System.err.println("Say what to do: csirt-agent drill list | csirt-agent drill run NAME");
        return 2;
    }

    /** {@code drill run NAME}. */
    @Command(name = "run", mixinStandardHelpOptions = true, description = "Play the scenario config/drills/NAME.yaml through the "
            + "running agent: journaled, judged, cases opened and notices sent as for real, all marked 【訓練】.")
    static final class Run implements Callable<Integer> {
        @Mixin
        CommonOptions options;
        @Parameters(index = "0", paramLabel = "NAME", description = "The scenario, e.g. ransomware-spread (drill list shows them).")
        String name;
        @picocli.CommandLine.Option(names = "--by", paramLabel = "NAME", description = "Who runs the drill (default: the login name).")
        String by;

        @Override
        public Integer call() throws Exception {
            return LocalApi.post(options, "/api/drill", "scenario: " + csirt.agent.util.Json.string(name) + "\nby: "
                    + csirt.agent.util.Json.string(CasesCommand.me(by)) + "\n");
        }
    }

    /** {@code drill list}. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "The scenarios of config/drills/ with their titles.")
    static final class ListDrills implements Callable<Integer> {
        @Mixin
        CommonOptions options;

        @Override
        public Integer call() throws Exception {
            Path dir = options.config().resolve("drills");
            if (!Files.isDirectory(dir)) {
                Terminal.println("No drills in " + dir);
                return 0;
            }
            try (Stream<Path> s = Files.list(dir)) {
                for (Path f : s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                    String title = Files.readAllLines(f).stream().filter(l -> l.startsWith("title:")).findFirst()
                            .map(l -> l.substring(6).strip()).orElse("");
                    String n = f.getFileName().toString();
                    Terminal.printf("%-24s %s\n", n.substring(0, n.length() - 5), title);
                }
            }
            return 0;
        }
    }
}
