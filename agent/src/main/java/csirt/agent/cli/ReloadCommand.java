package csirt.agent.cli;

import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.concurrent.Callable;

import csirt.agent.ApiToken;
import csirt.agent.config.ConfigProblem;
import csirt.agent.config.Settings;
import csirt.agent.config.Settings.Key;
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
        java.util.List<ConfigProblem> ignored = new java.util.ArrayList<>();
        Settings s = Settings.load(options.config().resolve("application.properties"), ignored);
        String token;
        try {
            token = ApiToken.read(options.data());
        } catch (NoSuchFileException e) {
            System.err.println("No running agent uses " + options.data() + " (no " + ApiToken.FILE + "); pass its --data directory.");
            return 2;
        }
        String host = s.get(Key.HTTP_HOST).equals("0.0.0.0") ? "127.0.0.1" : s.get(Key.HTTP_HOST);
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://" + host + ":" + s.get(Key.HTTP_PORT) + "/reload"))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.noBody()).build();
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(req, HttpResponse.BodyHandlers.ofString());
            System.out.print(r.body());
            return r.statusCode() == 200 ? 0 : 1;
        } catch (ConnectException e) {
            System.err.println("The agent does not answer on " + host + ":" + s.get(Key.HTTP_PORT) + ": is it running with this --config?");
            return 2;
        }
    }
}
