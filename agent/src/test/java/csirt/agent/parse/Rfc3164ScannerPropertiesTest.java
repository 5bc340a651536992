package csirt.agent.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Matcher;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The hand-written scanners of the BSD timestamp and the TAG agree with the regular expressions
 * that define them (Rfc3164Parser.BSD_TIME and TAG), on texts built near their edges: months in
 * and out of case, fractions of 0 to 8 digits, names of 0 to 70 characters, pids of 0 to 40,
 * white space of every kind, brackets and colons where they break the shape.
 */
class Rfc3164ScannerPropertiesTest {

    @Property(tries = 5000)
    void the_timestamp_scanner_agrees_with_its_regex(@ForAll("timestamps") String s, @ForAll("offsets") int from) {
        int at = Math.min(from, s.length());
        Matcher m = Rfc3164Parser.BSD_TIME.matcher(s).region(at, s.length());
        int expected = m.lookingAt() ? m.end() : -1;
        assertThat(Rfc3164Parser.bsdEnd(s, at)).as("bsdEnd(%s, %d)", s, at).isEqualTo(expected);
    }

    @Property(tries = 5000)
    void the_tag_scanner_agrees_with_its_regex(@ForAll("tags") String s) {
        Matcher m = Rfc3164Parser.TAG.matcher(s);
        int[] out = new int[3];
        int end = Rfc3164Parser.tagEnd(s, 0, out);
        if (!m.lookingAt()) {
            assertThat(end).as("tagEnd(%s)", s).isEqualTo(-1);
            return;
        }
        assertThat(end).as("tagEnd(%s)", s).isEqualTo(m.end());
        assertThat(s.substring(0, out[0])).isEqualTo(m.group(1));
        assertThat(out[1] < 0 ? null : s.substring(out[1], out[2])).isEqualTo(m.group(2));
    }

    @Provide
    Arbitrary<Integer> offsets() {
        return Arbitraries.integers().between(0, 3);
    }

    @Provide
    Arbitrary<String> timestamps() {
        Arbitrary<String> month = Arbitraries.of("Jan", "Feb", "Nov", "Dec", "nov", "Foo", "No", "Nov ");
        Arbitrary<String> day = Arbitraries.of(" 5", "05", "26", "5 ", "x5", "  ", "00");
        Arbitrary<String> clock = Arbitraries.of("18:00:00", "8:00:00 ", "18:0:000", "18-00-00", "23:59:59", "99:99:99");
        Arbitrary<String> fraction = Arbitraries.strings().withChars("0123456789").ofMinLength(0).ofMaxLength(8).map(d -> "." + d)
                .injectDuplicates(0.1).optional().map(o -> o.orElse(""));
        Arbitrary<String> after = Arbitraries.of(" ", "", "\t", "x", " host app: msg", "  ");
        Arbitrary<String> before = Arbitraries.of("", " ", "<13>", "x");
        return Combinators.combine(before, month, day, clock, fraction, after)
                .as((b, mo, d, c, f, a) -> b + mo + " " + d + " " + c + f + a);
    }

    @Provide
    Arbitrary<String> tags() {
        Arbitrary<String> name = Arbitraries.strings().withChars("abcsshd-_./0123456789").ofMinLength(0).ofMaxLength(70);
        Arbitrary<String> noise = Arbitraries.of("", " ", "\t", ":", "[", "]", "\u000B", "\u3000", "é");
        Arbitrary<String> pid = Arbitraries.strings().withChars("0123456789ab ]\t").ofMinLength(0).ofMaxLength(40)
                .map(p -> "[" + p + "]").injectDuplicates(0.1).optional().map(o -> o.orElse(""));
        Arbitrary<String> colon = Arbitraries.of(": ", ":", ":  ", " :", "", "x");
        return Combinators.combine(name, noise, pid, colon, Arbitraries.of("", "msg", " msg"))
                .as((n, z, p, c, m) -> n + z + p + c + m);
    }
}
