package csirt.agent;

import csirt.agent.cli.CasesCommand;
import csirt.agent.cli.CheckConfigCommand;
import csirt.agent.cli.CoverageCommand;
import csirt.agent.cli.DrillCommand;
import csirt.agent.cli.EvidenceCommand;
import csirt.agent.cli.IntakeCommand;
import csirt.agent.cli.ReloadCommand;
import csirt.agent.cli.ReplayCommand;
import csirt.agent.cli.ReportCommand;
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
                EvidenceCommand.class, CasesCommand.class, UsersCommand.class, CoverageCommand.class, DrillCommand.class, ReportCommand.class})
public final class Main implements Runnable {

    public static void main(String[] args) {
        useConfiguredLogback(args);
        CommandLine cl = new CommandLine(new Main());
        String unknown = unknownCommand(cl, args);
        if (unknown != null) {
            System.exit(2);
        }
        System.exit(cl.execute(args));
    }

    /**
     * Refuses a command name no command has before picocli sees it: with {@code --help} after it,
     * picocli would print the parent's help and exit 0 as if the command existed.
     *
     * @return the unknown name (already reported on stderr with the names that exist), or null
     */
    static String unknownCommand(CommandLine root, String[] args) {
        CommandLine current = root;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.startsWith("-")) {
                CommandLine.Model.OptionSpec o = current.getCommandSpec().findOption(a.contains("=") ? a.substring(0, a.indexOf('=')) : a);
                if (o == null) {
                    return null; // not an option here: picocli says so
                }
                if (!a.contains("=") && o.arity().max() > 0) {
                    i++; // the option's value
                }
                continue;
            }
            CommandLine sub = current.getSubcommands().get(a);
            if (sub != null) {
                current = sub;
                continue;
            }
            if (!current.getSubcommands().isEmpty() && current.getCommandSpec().positionalParameters().isEmpty()) {
                String path = current.getCommandSpec().qualifiedName();
                System.err.println(path + ": unknown command '" + a + "'; the commands are: "
                        + String.join(", ", current.getSubcommands().keySet()) + " (" + path + " --help explains them)");
                return a;
            }
            return null;
        }
        return null;
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
