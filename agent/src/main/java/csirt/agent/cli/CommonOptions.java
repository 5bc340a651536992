package csirt.agent.cli;

import java.nio.file.Path;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;

import csirt.agent.config.Settings;

import picocli.CommandLine.Option;

/** The options every command takes: where the configuration and the data are. */
public final class CommonOptions {

    @Option(names = "--config", paramLabel = "DIR", defaultValue = "./config",
            description = "Configuration directory (default: ${DEFAULT-VALUE}).")
    Path config;

    @Option(names = "--data", paramLabel = "DIR", defaultValue = "./data",
            description = "Data directory: journal, cases, notices (default: ${DEFAULT-VALUE}).")
    Path data;

    public Path config() {
        return config;
    }

    public Path data() {
        return data;
    }

    /** How the command line writes times: in notice.zone (as the notices do), with the zone named. */
    public DateTimeFormatter timeFormat() {
        Settings s = Settings.load(config.resolve("application.properties"), new ArrayList<>());
        return DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss z").withZone(s.getZone(Settings.Key.NOTICE_ZONE));
    }
}
