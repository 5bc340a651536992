package csirt.agent.camel;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * The shipped Grafana dashboard and Prometheus rules ask for metrics the agent exports (a renamed
 * meter would leave a panel empty and an alert silent), the rules pass promtool's own check and
 * unit tests, and the dashboard is one Grafana can provision.
 */
class MonitoringFilesTest {

    private static final Path RULES = Path.of("monitoring/prometheus/csirt-agent.rules.yml");
    private static final Path RULE_TESTS = Path.of("monitoring/prometheus/csirt-agent.rules.test.yml");
    private static final Path DASHBOARD = Path.of("monitoring/grafana/csirt-agent.json");
    private static final Pattern METRIC = Pattern.compile("\\b((?:csirt|jvm|process|system)_[a-z_]+)\\b");

    @TempDir
    Path tmp;

    @SuppressWarnings("unchecked")
    private static List<String> dashboardQueries() throws IOException {
        Map<String, Object> d = (Map<String, Object>) new Yaml(new LoaderOptions()).load(Files.readString(DASHBOARD, StandardCharsets.UTF_8));
        assertThat(d).containsKeys("uid", "title", "panels", "templating");
        List<String> out = new ArrayList<>();
        for (Map<String, Object> p : (List<Map<String, Object>>) d.get("panels")) {
            assertThat(p).as("panel %s", p.get("title")).containsKeys("id", "type", "gridPos", "datasource", "targets");
            for (Map<String, Object> t : (List<Map<String, Object>>) p.get("targets")) {
                out.add((String) t.get("expr"));
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static List<String> ruleExpressions() throws IOException {
        Map<String, Object> r = (Map<String, Object>) new Yaml(new LoaderOptions()).load(Files.readString(RULES, StandardCharsets.UTF_8));
        List<String> out = new ArrayList<>();
        for (Map<String, Object> g : (List<Map<String, Object>>) r.get("groups")) {
            for (Map<String, Object> rule : (List<Map<String, Object>>) g.get("rules")) {
                out.add((String) rule.get("expr"));
            }
        }
        return out;
    }

    private static Set<String> names(List<String> queries) {
        Set<String> out = new TreeSet<>();
        for (String q : queries) {
            Matcher m = METRIC.matcher(q);
            while (m.find()) {
                out.add(m.group(1));
            }
        }
        return out;
    }

    @Test
    void every_metric_the_dashboard_and_the_rules_query_is_exported_by_a_fresh_agent() throws Exception {
        List<String> queries = new ArrayList<>(dashboardQueries());
        queries.addAll(ruleExpressions());
        Set<String> wanted = names(queries);
        assertThat(wanted).as("the queries' metrics").hasSizeGreaterThan(15)
                .contains("csirt_ready", "csirt_outbox_oldest_age_seconds", "csirt_sources_silent", "csirt_journal_failures_total",
                        "csirt_udp_receive_drops_total");
        try (AgentHarness agent = AgentHarness.start(tmp.resolve("data"), Map.of())) {
            String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + agent.httpPort + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
            List<String> missing = new ArrayList<>();
            for (String name : wanted) {
                if (!Pattern.compile("(?m)^" + name + "[{ ]").matcher(body).find()) {
                    missing.add(name);
                }
            }
            assertThat(missing).as("queried but not exported").isEmpty();
        }
    }

    @Test
    void the_alerting_rules_pass_promtool_check_and_their_unit_tests() throws Exception {
        String promtool = AgentHarness.promtool();
        assertThat(run(promtool, "check", "rules", RULES.toString())).contains("SUCCESS: 8 rules found");
        assertThat(run(promtool, "test", "rules", RULE_TESTS.toString())).contains("SUCCESS");
    }

    private static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }
}
