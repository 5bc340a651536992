package csirt.agent;

import csirt.agent.cli.CasesCommand;
import csirt.agent.cli.CheckConfigCommand;
import csirt.agent.cli.EvidenceCommand;
import csirt.agent.cli.IntakeCommand;
import csirt.agent.cli.ReloadCommand;
import csirt.agent.cli.ReplayCommand;
import csirt.agent.cli.RunCommand;
import csirt.agent.cli.UsersCommand;
import csirt.agent.cli.VersionProvider;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The command line of csirt-agent: {@code run}, {@code check-config}, {@code evidence}, {@code cases}. */
@Command(name = "csirt-agent", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Turns the incident response plan into a log-server daemon: receives syslog and antivirus "
                + "alerts, journals them as evidence, triages them by Annex table 1, opens cases and notifies the PoC.",
        subcommands = {RunCommand.class, CheckConfigCommand.class, ReloadCommand.class, ReplayCommand.class, IntakeCommand.class,
                EvidenceCommand.class, CasesCommand.class, UsersCommand.class})
public final class Main implements Runnable {

    public static void main(String[] args) {
        useConfiguredLogback(args);
        System.exit(new CommandLine(new Main()).execute(args));
    }

    /** Logs go by {@code <config>/logback.xml} when it exists; set before any logger is created. */
    private static void useConfiguredLogback(String[] args) {
        if (System.getProperty("logback.configurationFile") != null) {
            return;
        }
        String dir = "./config";
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--config") && i + 1 < args.length) {
                dir = args[i + 1];
            } else if (args[i].startsWith("--config=")) {
                dir = args[i].substring("--config=".length());
            }
        }
        java.nio.file.Path file = java.nio.file.Path.of(dir, "logback.xml");
        if (java.nio.file.Files.isRegularFile(file)) {
            System.setProperty("logback.configurationFile", file.toAbsolutePath().toString());
        }
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
