package csirt.agent.cli;

import java.util.concurrent.Callable;

import csirt.agent.config.AgentConfig;
import csirt.agent.config.ConfigException;
import csirt.agent.config.ConfigProblem;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code check-config}: lists every problem of the configuration, exits non-zero if there is one. */
@Command(name = "check-config", mixinStandardHelpOptions = true,
        description = "Check application.properties, criteria, assets, contacts and routes; list every problem.")
public final class CheckConfigCommand implements Callable<Integer> {

    @Mixin
    CommonOptions options;

    @Override
    public Integer call() {
        try {
            AgentConfig c = AgentConfig.load(options.config());
            for (String w : c.warnings()) {
                System.out.println("warning: " + w);
            }
            System.out.println("OK: " + options.config() + " — " + c.criteria().criteria().size() + " criteria (set "
                    + c.criteria().hash() + "), " + c.assets().size() + " assets, routes in " + c.routesDir());
            return 0;
        } catch (ConfigException e) {
            for (ConfigProblem p : e.problems()) {
                System.out.println(p);
            }
            System.out.println(e.problems().size() + " problem(s) found in " + options.config());
            return 1;
        }
    }
}
