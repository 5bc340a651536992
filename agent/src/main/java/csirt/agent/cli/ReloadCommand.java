package csirt.agent.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code reload}: asks the running agent to load criteria, assets and contacts again. */
@Command(name = "reload", mixinStandardHelpOptions = true,
        description = "Ask the running agent to reload criteria, assets and contacts (it also does so by itself "
                + "within seconds of a change). A set with problems is refused and the one in force stays.")
public final class ReloadCommand implements Callable<Integer> {

    @Mixin
    CommonOptions options;

    @Override
    public Integer call() throws Exception {
        return LocalApi.post(options, "/reload", "");
    }
}
