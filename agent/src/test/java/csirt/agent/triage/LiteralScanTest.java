package csirt.agent.triage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.BitSet;
import java.util.List;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

/** The one-pass scan finds exactly the literals a text contains, as String.contains would one by one. */
class LiteralScanTest {

    @Property(tries = 3000)
    void finds_exactly_the_literals_that_contains_finds(
            @ForAll @Size(min = 1, max = 30) List<@StringLength(min = 1, max = 6) @CharRange(from = 'a', to = 'd') String> literals,
            @ForAll @StringLength(max = 80) @CharRange(from = 'a', to = 'e') String text) {
        assertSame(literals, text);
    }

    @Property(tries = 1000)
    void also_with_any_characters(@ForAll @Size(min = 1, max = 10) List<@StringLength(min = 1, max = 4) String> literals,
                                  @ForAll @StringLength(max = 60) String text) {
        assertSame(literals, text);
    }

    @Test
    void overlapping_and_nested_literals_of_log_lines() {
        List<String> literals = List.of("failed", "failed password", "password", "word", "ssh", "sshd", "認証", "認証失敗", "d p");
        assertSame(literals, "sshd[1]: failed password for root from 203.0.113.7 port 22 ssh2");
        assertSame(literals, "ユーザーの認証失敗 (failed)");
        assertSame(literals, "nothing here");
    }

    private static void assertSame(List<String> literals, String text) {
        BitSet found = new BitSet();
        new LiteralScan(literals).scan(text, found);
        for (int i = 0; i < literals.size(); i++) {
            assertThat(found.get(i)).as("%s in %s", literals.get(i), text).isEqualTo(text.contains(literals.get(i)));
        }
    }
}
