package csirt.agent.triage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * A sender cannot hide a detection behind control characters: inserting CR, LF, CRLF, NUL, an
 * ANSI sequence or a C1 control anywhere in any line of any fixture (a file name holding CR/LF, a
 * TAG with an escape), or a TAB beside a space of the message, never lowers the level that line gets.
 */
class ControlCharacterPropertiesTest {

    /** One fixture line with something inserted: which fixture, which line, where, what. */
    record Mutation(int fixture, int line, int offset, String inserted) {
    }

    private static final List<Map<String, Object>> FIXTURES;

    private static final Map<Integer, Map<Integer, Integer>> ORIGINAL = new HashMap<>();

    static {
        try {
            FIXTURES = CriteriaFixturesTest.fixtures().stream().filter(f -> f.containsKey("lines")).toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Property(tries = 1500)
    void inserted_control_characters_never_lower_a_lines_level(@ForAll("mutations") Mutation m) {
        Map<String, Object> fixture = FIXTURES.get(m.fixture());
        List<CriteriaFixturesTest.Input> inputs = CriteriaFixturesTest.inputs(fixture);
        int line = m.line() % inputs.size();
        CriteriaFixturesTest.Input in = inputs.get(line);
        String text = in.line();
        int at = m.offset() % (text.length() + 1);
        if (!csirt.agent.util.ControlText.seeThrough(m.inserted()).isEmpty()) {
            // what leaves text behind (a TAB, which is whitespace and LEEF's separator, not a control to
            // see through; a forged header line) goes where a sender writes text of its own: inside a
            // file path of the message (a file name holds any byte but '/' and NUL)
            java.util.regex.Matcher path = java.util.regex.Pattern.compile("(?<=[ =])(?:/[^ :]{2,}|[A-Za-z]:\\\\[^ ]{2,})").matcher(text);
            List<int[]> spans = new ArrayList<>();
            int msg = text.indexOf(": ");
            while (msg >= 0 && path.find(msg)) {
                spans.add(new int[] {path.start(), path.end()});
                msg = path.end();
            }
            if (spans.isEmpty()) {
                return;
            }
            int[] span = spans.get(m.offset() % spans.size());
            at = span[0] + 1 + (m.offset() / spans.size()) % Math.max(1, span[1] - span[0] - 1);
        }
        String mutated = text.substring(0, at) + m.inserted() + text.substring(at);
        List<CriteriaFixturesTest.Input> changed = new ArrayList<>(inputs);
        changed.set(line, new CriteriaFixturesTest.Input(in.at(), mutated, in.report(), in.from(), in.input()));
        int before = ORIGINAL.computeIfAbsent(m.fixture(), k -> levels(inputs)).getOrDefault(line + 1, 0);
        int after = levels(changed).getOrDefault(line + 1, 0);
        assertThat(after).as("fixture '%s' line %d with %s inserted at %d: %s", fixture.get("name"), line + 1,
                csirt.agent.util.ControlText.visible(m.inserted()), at, csirt.agent.util.ControlText.visible(mutated))
                .isGreaterThanOrEqualTo(before);
    }

    /** The highest level each line (1-based) got. */
    private static Map<Integer, Integer> levels(List<CriteriaFixturesTest.Input> inputs) {
        Map<Integer, Integer> out = new HashMap<>();
        CriteriaFixturesTest.run(inputs).forEach((line, vs) -> out.put(line, vs.stream().mapToInt(Verdict::level).max().orElse(0)));
        return out;
    }

    @Provide
    Arbitrary<Mutation> mutations() {
        Arbitrary<String> controls = Arbitraries.of("\r", "\n", "\r\n", "\u0000", "\t", "\u001B[31m", "\u001B[2J\u001B[H", "\u009B",
                "\u0085", "\u2028", "\u001B]0;title\u0007", "\u0007", "\u007F", "\r\nBcc: x@example.invalid\r\n");
        return Combinators.combine(Arbitraries.integers().between(0, FIXTURES.size() - 1), Arbitraries.integers().between(0, 40),
                Arbitraries.integers().between(0, 4000), controls).as(Mutation::new);
    }
}
