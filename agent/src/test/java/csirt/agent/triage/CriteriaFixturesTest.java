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
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import csirt.agent.journal.Receipt;
import csirt.agent.parse.Event;
import csirt.agent.parse.EventParser;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.yaml.snakeyaml.Yaml;

/**
 * Runs every fixture of criteria-fixtures.yaml through the real parser and triage engine with the
 * shipped criteria and assets; a failure names the fixture, the line, what was expected and what came.
 */
class CriteriaFixturesTest {

    static final Instant START = Instant.parse("2026-11-26T09:00:00Z");

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> fixtures() throws IOException {
        try (InputStream in = CriteriaFixturesTest.class.getResourceAsStream("/criteria-fixtures.yaml")) {
            return (List<Map<String, Object>>) new Yaml().load(in);
        }
    }

    /** Verdicts by line number (1-based) after feeding the lines and letting every hold end. */
    static Map<Integer, Verdict> run(List<String> lines) {
        TriageEngine engine = new TriageEngine(ShippedConfig.criteria(), ShippedConfig.assets());
        EventParser parser = new EventParser(ZoneId.of("Asia/Tokyo"));
        Map<Long, Verdict> bySeq = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            Receipt r = new Receipt(START.plusSeconds(i), "fixture", "tcp", "192.0.2.10", 514);
            Event e = parser.parse(i + 1, r, lines.get(i).getBytes(StandardCharsets.UTF_8), EventParser.Source.SYSLOG);
            for (Verdict v : engine.evaluate(e)) {
                bySeq.put(v.event().seq(), v);
            }
        }
        for (Verdict v : engine.tick(START.plus(Duration.ofDays(1)))) {
            bySeq.put(v.event().seq(), v);
        }
        Map<Integer, Verdict> byLine = new HashMap<>();
        bySeq.forEach((seq, v) -> byLine.put(seq.intValue(), v));
        return byLine;
    }

    @TestFactory
    @SuppressWarnings("unchecked")
    Stream<DynamicTest> every_fixture_gets_the_expected_verdicts() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (Map<String, Object> f : fixtures()) {
            String name = (String) f.get("name");
            List<String> lines = (List<String>) f.get("lines");
            List<Map<String, Object>> expect = (List<Map<String, Object>>) f.get("expect");
            tests.add(DynamicTest.dynamicTest(name, () -> {
                Map<Integer, Verdict> got = run(lines);
                assertThat(got).as("every line gets exactly one verdict: %s", name).hasSize(lines.size());
                for (Map<String, Object> e : expect) {
                    int line = (Integer) e.get("line");
                    String criterion = (String) e.get("criterion");
                    int level = (Integer) e.get("level");
                    Verdict v = got.get(line);
                    String actual = v == null ? "no verdict" : (v.criterionId() == null ? "none" : v.criterionId()) + " level " + v.level();
                    assertThat(actual).as("fixture '%s', line %d: %s%nexpected %s level %d, facts: %s", name, line,
                            lines.get(line - 1), criterion, level, v == null ? "-" : v.facts())
                            .isEqualTo(criterion + " level " + level);
                }
            }));
        }
        return tests.stream();
    }
}
