package csirt.agent.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;

import csirt.agent.journal.Receipt;
import org.junit.jupiter.api.Test;

/** RFC 5424 parsing, with the examples of RFC 5424 section 6.5. */
class Rfc5424ParserTest {

    static final Receipt RECEIPT = new Receipt(Instant.parse("2026-11-26T09:00:00Z"), "syslog-tcp", "tcp", "192.0.2.7", 40000);
    private final EventParser parser = new EventParser(ZoneId.of("Asia/Tokyo"));

    private Event parse(String line) {
        return parser.parse(1, RECEIPT, line.getBytes(StandardCharsets.UTF_8), EventParser.Source.SYSLOG);
    }

    @Test
    void example1_with_no_structured_data_and_a_bom_before_the_message() {
        // RFC 5424 6.5 example 1 (BOM written as U+FEFF, as it arrives in UTF-8)
        Event e = parse("<34>1 2003-10-11T22:14:15.003Z mymachine.example.com su - ID47 - \uFEFF'su root' failed for lonvick on /dev/pts/8");
        assertThat(e.parsed()).isTrue();
        assertThat(e.format()).isEqualTo(Format.RFC5424);
        assertThat(e.facility()).isEqualTo(4);
        assertThat(e.severity()).isEqualTo(2);
        assertThat(e.timestamp()).isEqualTo(Instant.parse("2003-10-11T22:14:15.003Z"));
        assertThat(e.host()).isEqualTo("mymachine.example.com");
        assertThat(e.app()).isEqualTo("su");
        assertThat(e.procId()).isNull();
        assertThat(e.msgId()).isEqualTo("ID47");
        assertThat(e.structuredData()).isNull();
        assertThat(e.message()).isEqualTo("'su root' failed for lonvick on /dev/pts/8");
    }

    @Test
    void example2_with_an_offset_timestamp_and_microseconds() {
        // RFC 5424 6.5 example 2
        Event e = parse("<165>1 2003-08-24T05:14:15.000003-07:00 192.0.2.1 myproc 8710 - - %% It's time to make the do-nuts.");
        assertThat(e.parsed()).isTrue();
        assertThat(e.facility()).isEqualTo(20);
        assertThat(e.severity()).isEqualTo(5);
        assertThat(e.timestamp()).isEqualTo(Instant.parse("2003-08-24T12:14:15.000003Z"));
        assertThat(e.host()).isEqualTo("192.0.2.1");
        assertThat(e.app()).isEqualTo("myproc");
        assertThat(e.procId()).isEqualTo("8710");
        assertThat(e.message()).isEqualTo("%% It's time to make the do-nuts.");
    }

    @Test
    void example3_with_structured_data_and_a_message() {
        // RFC 5424 6.5 example 3
        Event e = parse("<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 "
                + "[exampleSDID@32473 iut=\"3\" eventSource=\"Application\" eventID=\"1011\"] \uFEFFAn application event log entry...");
        assertThat(e.parsed()).isTrue();
        assertThat(e.structuredData()).isEqualTo("[exampleSDID@32473 iut=\"3\" eventSource=\"Application\" eventID=\"1011\"]");
        assertThat(e.message()).isEqualTo("An application event log entry...");
    }

    @Test
    void example4_with_two_structured_data_elements_and_no_message() {
        // RFC 5424 6.5 example 4
        Event e = parse("<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 "
                + "[exampleSDID@32473 iut=\"3\" eventSource=\"Application\" eventID=\"1011\"][examplePriority@32473 class=\"high\"]");
        assertThat(e.parsed()).isTrue();
        assertThat(e.structuredData()).endsWith("[examplePriority@32473 class=\"high\"]");
        assertThat(e.message()).isEmpty();
    }

    @Test
    void escaped_bracket_and_quote_inside_a_param_value_do_not_end_the_structured_data() {
        // RFC 5424 6.3.3: '"', '\' and ']' are escaped with '\' inside PARAM-VALUE
        Event e = parse("<14>1 2026-11-26T10:00:00+09:00 web01 app - - [x@1 a=\"q\\\"]\\]\"] after");
        assertThat(e.parsed()).isTrue();
        assertThat(e.structuredData()).isEqualTo("[x@1 a=\"q\\\"]\\]\"]");
        assertThat(e.message()).isEqualTo("after");
    }

    @Test
    void japanese_text_is_decoded_as_utf8() {
        Event e = parse("<14>1 2026-11-26T10:00:00+09:00 web01 app - - - ディスク障害を検知");
        assertThat(e.message()).isEqualTo("ディスク障害を検知");
    }

    @Test
    void unbalanced_structured_data_is_a_parse_failure_that_keeps_the_text() {
        Event e = parse("<14>1 2026-11-26T10:00:00+09:00 web01 app - - [x@1 a=\"open");
        assertThat(e.parsed()).isFalse();
        assertThat(e.parseProblem()).isEqualTo("RFC 5424 STRUCTURED-DATA is not closed: expected ']' (section 6.3)");
        assertThat(e.text()).isEqualTo("<14>1 2026-11-26T10:00:00+09:00 web01 app - - [x@1 a=\"open");
        assertThat(e.host()).isEqualTo("web01");
    }

    @Test
    void a_bad_timestamp_is_reported_but_the_other_fields_are_kept() {
        Event e = parse("<14>1 yesterday web01 app - - - text");
        assertThat(e.parsed()).isFalse();
        assertThat(e.parseProblem()).isEqualTo("RFC 5424 TIMESTAMP is not RFC 3339: yesterday");
        assertThat(e.host()).isEqualTo("web01");
        assertThat(e.message()).isEqualTo("text");
    }
}
