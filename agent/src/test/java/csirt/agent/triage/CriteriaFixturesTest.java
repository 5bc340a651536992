package csirt.agent.triage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import csirt.agent.config.Durations;
import csirt.agent.journal.Receipt;
import csirt.agent.parse.Event;
import csirt.agent.parse.EventParser;
import csirt.agent.parse.Format;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.yaml.snakeyaml.Yaml;

/**
 * Runs every fixture of criteria-fixtures.yaml through the real parser and triage engine with the
 * shipped criteria and assets; a failure names the fixture, the line, what was expected and what came.
 */
class CriteriaFixturesTest {

    static final Instant START = Instant.parse("2026-11-26T09:00:00Z");

    /**
     * The fixtures of criteria-fixtures.yaml and of every product's file products/&lt;id&gt;.yaml
     * (the lines of a product file carry {@code product: <id>}: its reader must read them).
     */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> fixtures() throws IOException {
        List<Map<String, Object>> all = new ArrayList<>(load("/criteria-fixtures.yaml"));
        for (csirt.agent.parse.products.ProductReader reader : csirt.agent.parse.products.Products.ALL) {
            List<Map<String, Object>> own = productFixtures(reader.id());
            for (Map<String, Object> f : own) {
                Map<String, Object> m = new LinkedHashMap<>(f);
                m.putIfAbsent("product", reader.id());
                m.put("name", reader.id() + ": " + f.get("name"));
                all.add(m);
            }
        }
        return all;
    }

    /** The fixture file of one product, empty when it has none. */
    static List<Map<String, Object>> productFixtures(String id) throws IOException {
        return CriteriaFixturesTest.class.getResource("/products/" + id + ".yaml") == null ? List.of() : load("/products/" + id + ".yaml");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> load(String resource) throws IOException {
        try (InputStream in = CriteriaFixturesTest.class.getResourceAsStream(resource)) {
            List<Map<String, Object>> l = (List<Map<String, Object>>) new Yaml().load(in);
            return l == null ? List.of() : l;
        }
    }

    /** One input of a fixture: a raw line, or a manual report's answers, at a time. */
    record Input(Instant at, String line, Map<String, String> report, String from, String input) {
    }

    @SuppressWarnings("unchecked")
    static List<Input> inputs(Map<String, Object> fixture) {
        List<Input> out = new ArrayList<>();
        Instant t = START;
        String from = (String) fixture.getOrDefault("from", "192.0.2.10");
        String input = (String) fixture.getOrDefault("input", "fixture");
        if (fixture.containsKey("report")) {
            Map<String, String> report = new LinkedHashMap<>();
            ((Map<String, Object>) fixture.get("report")).forEach((k, v) -> report.put("report." + k, String.valueOf(v)));
            out.add(new Input(t, "manual report " + report, report, from, "intake"));
            return out;
        }
        boolean first = true;
        for (Object o : (List<Object>) fixture.get("lines")) {
            if (o instanceof Map<?, ?> m) {
                t = t.plus(Durations.parse(String.valueOf(m.get("after"))));
                out.add(new Input(t, (String) m.get("line"), null, from, input));
            } else {
                t = first ? t : t.plusSeconds(1);
                out.add(new Input(t, (String) o, null, from, input));
            }
            first = false;
        }
        return out;
    }

    /** Verdicts by line number (1-based), in the order they came, after time runs a day past the last line. */
    static Map<Integer, List<Verdict>> run(List<Input> inputs) {
        TriageEngine engine = new TriageEngine(ShippedConfig.criteria(), ShippedConfig.assets());
        EventParser parser = new EventParser(ZoneId.of("Asia/Tokyo"));
        Map<Integer, List<Verdict>> byLine = new HashMap<>();
        for (int i = 0; i < inputs.size(); i++) {
            Input in = inputs.get(i);
            for (Verdict v : engine.tick(in.at())) {
                byLine.computeIfAbsent((int) v.event().seq(), k -> new ArrayList<>()).add(v);
            }
            Receipt r = new Receipt(in.at(), in.input(), "tcp", in.from(), 514);
            Event e = in.report() == null
                    ? parser.parse(i + 1, r, in.line().getBytes(StandardCharsets.UTF_8), EventParser.Source.SYSLOG)
                    : new Event(i + 1, r, Format.UNPARSED, -1, -1, null, "intake", "intake", null, null, null,
                    in.line(), in.line(), null, null, in.report());
            for (Verdict v : engine.evaluate(e)) {
                byLine.computeIfAbsent((int) v.event().seq(), k -> new ArrayList<>()).add(v);
            }
        }
        Instant end = inputs.get(inputs.size() - 1).at().plus(Duration.ofDays(1));
        for (Verdict v : engine.tick(end)) {
            byLine.computeIfAbsent((int) v.event().seq(), k -> new ArrayList<>()).add(v);
        }
        return byLine;
    }

    static String describe(Verdict v) {
        return (v.criterionId() == null ? "none" : v.criterionId()) + " level " + v.level()
                + (v.repeatOf() > 0 ? " repeat" : "");
    }

    @TestFactory
    @SuppressWarnings("unchecked")
    Stream<DynamicTest> every_fixture_gets_the_expected_verdicts() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (Map<String, Object> f : fixtures()) {
            String name = (String) f.get("name");
            List<Map<String, Object>> expect = (List<Map<String, Object>>) f.get("expect");
            tests.add(DynamicTest.dynamicTest(name, () -> {
                List<Input> inputs = inputs(f);
                Map<Integer, List<Verdict>> got = run(inputs);
                for (int line = 1; line <= inputs.size(); line++) {
                    List<Verdict> vs = got.getOrDefault(line, List.of());
                    assertThat(vs).as("fixture '%s': line %d gets a first verdict (revision 0) exactly once: %s", name, line,
                            inputs.get(line - 1).line()).filteredOn(v -> v.revision() == 0).hasSize(1);
                    Object product = f.get("product");
                    if (product != null && !"none".equals(product) && inputs.get(line - 1).report() == null) {
                        Event read = vs.stream().filter(v -> v.revision() == 0).findFirst().orElseThrow().event();
                        assertThat(read.fields().get(csirt.agent.parse.products.Products.PRODUCT))
                                .as("fixture '%s': line %d is read by the %s reader (fields %s)", name, line, product, read.fields())
                                .isEqualTo(product);
                    }
                }
                for (Map<String, Object> e : expect) {
                    int line = (Integer) e.getOrDefault("line", 1);
                    int revision = (Integer) e.getOrDefault("revision", 0);
                    String criterion = (String) e.get("criterion");
                    int level = (Integer) e.get("level");
                    boolean repeat = Boolean.TRUE.equals(e.get("repeat"));
                    List<Verdict> vs = got.getOrDefault(line, List.of()).stream().filter(v -> v.revision() == revision).toList();
                    String actual = vs.isEmpty() ? "no verdict" : describe(vs.get(0));
                    assertThat(actual).as("fixture '%s', line %d, revision %d: %s%nexpected %s level %d, facts: %s", name,
                            line, revision, inputs.get(line - 1).line(), criterion, level, vs.isEmpty() ? "-" : vs.get(0).facts())
                            .isEqualTo(criterion + " level " + level + (repeat ? " repeat" : ""));
                    if (e.containsKey("host")) {
                        assertThat(vs.get(0).event().host()).as("fixture '%s', line %d: the host it is about", name, line)
                                .isEqualTo(e.get("host"));
                    }
                }
            }));
        }
        return tests.stream();
    }
}
