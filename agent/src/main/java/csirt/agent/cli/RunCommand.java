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
        try {
            new AgentDaemon(config, options.data()).runUntilStopped();
            return 0;
        } catch (Exception e) {
            System.err.println("csirt-agent could not start: " + describe(e));
            return 1;
        }
    }

    /** The cause chain as one sentence, with what to do for the common cases. */
    static String describe(Throwable e) {
        StringBuilder b = new StringBuilder();
        java.net.BindException bind = null;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.BindException be) {
                bind = be;
            }
            if (t.getMessage() != null && b.indexOf(t.getMessage()) < 0) {
                b.append(b.length() == 0 ? "" : ": ").append(t.getMessage());
            }
        }
        if (bind != null) {
            b.append(". A port is already in use: another csirt-agent or a syslog daemon may be running; "
                    + "stop it or set syslog.udp.port, syslog.tcp.port and http.port in application.properties");
        }
        return b.toString();
    }
}
