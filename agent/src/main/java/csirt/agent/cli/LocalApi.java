package csirt.agent.cli;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.ArrayList;

import csirt.agent.ApiToken;
import csirt.agent.config.Settings.Key;
import csirt.agent.config.Settings;

/** How the command line asks the running agent to do something: a POST to its local API with the token. */
final class LocalApi {

    private LocalApi() {
    }

    /** The running agent's answer to a POST: its HTTP status and body. */
    record Answer(int status, String body) {
    }

    /**
     * Posts {@code body} to {@code path} on the agent of {@code options} and returns its answer;
     * throws, saying what to do, when no agent of that data directory answers.
     */
    static Answer call(CommonOptions options, String path, String body) throws IOException, InterruptedException {
        String token = ApiToken.read(options.data());
        String endpoint = endpoint(options);
        try {
            HttpResponse<String> r = send(endpoint, token, path, body);
            return new Answer(r.statusCode(), r.body().strip());
        } catch (ConnectException e) {
            throw new IOException("the agent that holds the journal of " + options.data() + " does not answer on " + endpoint
                    + ": is it running with this --data directory?", e);
        }
    }

    /**
     * Posts {@code body} to {@code path} on the agent of {@code options}, prints its answer and
     * returns the exit code: 0 done, 1 refused, 2 no agent to ask.
     */
    static int post(CommonOptions options, String path, String body) throws IOException, InterruptedException {
        String token;
        try {
            token = ApiToken.read(options.data());
        } catch (NoSuchFileException e) {
            System.err.println("No running agent uses " + options.data() + " (no " + ApiToken.FILE + "): start it, or pass its --data directory.");
            return 2;
        }
        String endpoint = endpoint(options);
        try {
            HttpResponse<String> r = send(endpoint, token, path, body);
            String answer = r.body().endsWith("\n") ? r.body() : r.body() + "\n";
            System.out.print(Terminal.safe(answer.substring(0, answer.length() - 1)) + "\n");
            return r.statusCode() == 200 ? 0 : 1;
        } catch (ConnectException e) {
            System.err.println("The agent does not answer on " + endpoint + ": is it running with this --data directory?");
            return 2;
        }
    }

    /** Where the agent of this data directory serves (the port it bound), else where the configuration says. */
    private static String endpoint(CommonOptions options) {
        String written = ApiToken.endpoint(options.data());
        if (written != null) {
            return written;
        }
        Settings s = Settings.load(options.config().resolve("application.properties"), new ArrayList<>());
        return (s.get(Key.HTTP_HOST).equals("0.0.0.0") ? "127.0.0.1" : s.get(Key.HTTP_HOST)) + ":" + s.get(Key.HTTP_PORT);
    }

    /**
     * One request to the agent: plain HTTP ({@code host:port}), or TLS ({@code https://host:port
     * sha256=HEX}) to exactly the certificate the agent wrote beside its token.
     */
    private static HttpResponse<String> send(String endpoint, String token, String path, String body) throws IOException, InterruptedException {
        HttpClient client;
        String base;
        if (endpoint.startsWith("https://")) {
            int space = endpoint.indexOf(" sha256=");
            if (space < 0) {
                throw new IOException("the agent's " + ApiToken.ENDPOINT_FILE + " names TLS without its certificate's SHA-256: restart the agent");
            }
            base = endpoint.substring(0, space);
            client = HttpClient.newBuilder().sslContext(PinnedCertificate.context(endpoint.substring(space + " sha256=".length()).strip()))
                    .build();
        } else {
            base = "http://" + endpoint;
            client = HttpClient.newHttpClient();
        }
        HttpRequest req = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build();
        return client.send(req, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }
}
