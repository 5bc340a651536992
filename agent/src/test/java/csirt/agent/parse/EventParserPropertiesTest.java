package csirt.agent.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;

import csirt.agent.journal.Receipt;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;

/** Invariant: any bytes give an event that keeps the text; the parser never throws. */
class EventParserPropertiesTest {

    private static final Receipt R = new Receipt(Instant.parse("2026-11-26T09:00:00Z"), "t", "tcp", "192.0.2.1", 1);
    private final EventParser parser = new EventParser(ZoneId.of("Asia/Tokyo"));

    @Property(tries = 2000)
    void arbitrary_bytes_never_throw_and_keep_their_text(@ForAll @Size(max = 600) byte[] bytes) {
        for (EventParser.Source s : EventParser.Source.values()) {
            Event e = parser.parse(1, R, bytes, s);
            assertThat(e).isNotNull();
            assertThat(e.text()).isNotNull();
            assertThat(e.parsed() || e.parseProblem() != null).isTrue();
        }
    }

    @Property(tries = 2000)
    void syslog_shaped_garbage_never_throws(@ForAll @StringLength(max = 300) String tail, @ForAll("prefixes") String prefix) {
        byte[] bytes = (prefix + tail).getBytes(StandardCharsets.UTF_8);
        Event e = parser.parse(1, R, bytes, EventParser.Source.SYSLOG);
        String received = (prefix + tail).replaceAll("[\\r\\n\\x00]+$", "");
        assertThat(e.text()).isEqualTo(csirt.agent.util.ControlText.seeThrough(received));
        assertThat(e.fields().getOrDefault(EventParser.RECEIVED_TEXT, csirt.agent.util.ControlText.visible(e.text()))).as("the text as received, controls escaped")
                .isEqualTo(csirt.agent.util.ControlText.visible(received));
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<String> prefixes() {
        return net.jqwik.api.Arbitraries.of("<13>", "<165>1 ", "<34>Oct 11 22:14:15 ", "<14>1 2026-11-26T10:00:00Z h a - - [",
                "<0>", "<191>1 - - - - - ", "<13>Feb 29 10:00:00 ");
    }
}
