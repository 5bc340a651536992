package csirt.agent.cli;

import java.nio.file.Path;

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
}
