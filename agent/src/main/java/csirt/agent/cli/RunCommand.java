package csirt.agent.cli;

import java.util.concurrent.Callable;

import csirt.agent.camel.AgentDaemon;
import csirt.agent.config.AgentConfig;
import csirt.agent.config.ConfigException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code run}: validates the configuration, then runs the daemon until SIGTERM. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run the agent: receive syslog, journal, triage, open cases, send notices. Stops on SIGTERM.")
public final class RunCommand implements Callable<Integer> {

    @Mixin
    CommonOptions options;

    @Override
    public Integer call() throws Exception {
        AgentConfig config;
        try {
            config = AgentConfig.load(options.config());
        } catch (ConfigException e) {
            System.err.println("csirt-agent will not start: " + e.getMessage());
            System.err.println("Fix these and check with: csirt-agent check-config --config " + options.config());
            return 2;
        }
        new AgentDaemon(config, options.data()).runUntilStopped();
        return 0;
    }
}
