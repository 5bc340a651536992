package csirt.agent.cli;

import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

import csirt.agent.ApiToken;
import csirt.agent.config.ConfigProblem;
import csirt.agent.config.Settings;
import csirt.agent.config.Settings.Key;
import csirt.agent.util.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code intake}: record a report from a person with the running agent. */
@Command(name = "intake", mixinStandardHelpOptions = true,
        description = {"Record a report from a person (plan 4(2)②): the running agent journals it, decides its level "
                + "(theft and loss by the decision table of config/criteria/theft.yaml; other categories by the Annex "
                + "example you give), and opens a case or records it as not an incident and tells the CSIRT manager.",
                "Example: intake --reporter staff --contact 'somu 1234' --category theft --summary 'USB memory lost' "
                        + "--fact kind=lost --fact item=medium --fact holds=personal --fact encrypted=false"})
public final class IntakeCommand implements Callable<Integer> {

    @Mixin
    CommonOptions options;

    @Option(names = "--file", paramLabel = "FILE", description = "The report as YAML or JSON (instead of the options below).")
    Path file;
    @Option(names = "--reporter", paramLabel = "KIND", description = "staff, system, citizen, city, prefecture, state, jlis.")
    String reporter;
    @Option(names = "--contact", paramLabel = "TEXT", description = "How to reach the reporter.")
    String contact;
    @Option(names = "--verified", description = "The plan's check for this kind of reporter was done (call-back etc.).")
    boolean verified;
    @Option(names = "--verification", paramLabel = "TEXT", description = "How it was checked.")
    String verification;
    @Option(names = "--category", paramLabel = "CAT", description = "outage, cyber or theft.")
    String category;
    @Option(names = "--summary", paramLabel = "TEXT", description = "What was reported, in a sentence.")
    String summary;
    @Option(names = "--host", paramLabel = "NAME", description = "The device or system concerned, if any.")
    String host;
    @Option(names = "--fact", paramLabel = "K=V", description = "Theft/loss facts: kind, item, holds, encrypted, affects_work, found_safe.")
    Map<String, String> facts = new LinkedHashMap<>();
    @Option(names = "--annex", paramLabel = "ID", description = "The handler's decision as an Annex table 1 example, e.g. cyber.1.4.")
    String annex;

    @Override
    public Integer call() throws Exception {
        String body;
        if (file != null) {
            body = Files.readString(file, StandardCharsets.UTF_8);
        } else {
            Map<String, Object> m = new LinkedHashMap<>();
            Map<String, Object> rep = new LinkedHashMap<>();
            rep.put("kind", reporter);
            rep.put("contact", contact);
            rep.put("verified", verified);
            if (verification != null) {
                rep.put("verification", verification);
            }
            m.put("reporter", rep);
            m.put("category", category);
            m.put("summary", summary);
            if (host != null) {
                m.put("host", host);
            }
            if (!facts.isEmpty()) {
                m.put("facts", facts);
            }
            if (annex != null) {
                m.put("annex", annex);
            }
            body = Json.value(m);
        }
        Settings s = Settings.load(options.config().resolve("application.properties"), new java.util.ArrayList<ConfigProblem>());
        String token;
        try {
            token = ApiToken.read(options.data());
        } catch (NoSuchFileException e) {
            System.err.println("No running agent uses " + options.data() + ": start it, or pass its --data directory.");
            return 2;
        }
        String h = s.get(Key.HTTP_HOST).equals("0.0.0.0") ? "127.0.0.1" : s.get(Key.HTTP_HOST);
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://" + h + ":" + s.get(Key.HTTP_PORT) + "/api/intake"))
                .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build();
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(req, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            System.out.print(r.body());
            return r.statusCode() == 200 ? 0 : 1;
        } catch (ConnectException e) {
            System.err.println("The agent does not answer on " + h + ":" + s.get(Key.HTTP_PORT) + ": is it running with this --config?");
            return 2;
        }
    }
}
