package csirt.agent;

import csirt.agent.cli.CasesCommand;
import csirt.agent.cli.CheckConfigCommand;
import csirt.agent.cli.EvidenceCommand;
import csirt.agent.cli.RunCommand;
import csirt.agent.cli.VersionProvider;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The command line of csirt-agent: {@code run}, {@code check-config}, {@code evidence}, {@code cases}. */
@Command(name = "csirt-agent", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Turns the incident response plan into a log-server daemon: receives syslog and antivirus "
                + "alerts, journals them as evidence, triages them by Annex table 1, opens cases and notifies the PoC.",
        subcommands = {RunCommand.class, CheckConfigCommand.class, EvidenceCommand.class, CasesCommand.class})
public final class Main implements Runnable {

    public static void main(String[] args) {
        int code = new CommandLine(new Main()).execute(args);
        if (code != 0 || args.length == 0 || !"run".equals(args[0])) {
            System.exit(code);
        }
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
