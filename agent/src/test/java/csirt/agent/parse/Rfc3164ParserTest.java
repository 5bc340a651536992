package csirt.agent.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;

import csirt.agent.journal.Receipt;
import org.junit.jupiter.api.Test;

/** RFC 3164 parsing, with the examples of RFC 3164 section 5.4, and the year and zone rules. */
class Rfc3164ParserTest {

    private final EventParser parser = new EventParser(ZoneId.of("Asia/Tokyo"));

    private Event parse(String line, String receivedAt) {
        Receipt r = new Receipt(Instant.parse(receivedAt), "syslog-udp", "udp", "192.0.2.9", 514);
        return parser.parse(1, r, line.getBytes(StandardCharsets.UTF_8), EventParser.Source.SYSLOG);
    }

    @Test
    void example1_host_tag_and_content() {
        // RFC 3164 5.4 example 1
        Event e = parse("<34>Oct 11 22:14:15 mymachine su: 'su root' failed for lonvick on /dev/pts/8", "2026-10-11T13:20:00Z");
        assertThat(e.parsed()).isTrue();
        assertThat(e.format()).isEqualTo(Format.RFC3164);
        assertThat(e.facility()).isEqualTo(4);
        assertThat(e.severity()).isEqualTo(2);
        assertThat(e.host()).isEqualTo("mymachine");
        assertThat(e.app()).isEqualTo("su");
        assertThat(e.message()).isEqualTo("'su root' failed for lonvick on /dev/pts/8");
        // read in Asia/Tokyo (UTC+9), in the receipt's year
        assertThat(e.timestamp()).isEqualTo(Instant.parse("2026-10-11T13:14:15Z"));
    }

    @Test
    void example2_an_ip_address_as_host_and_no_tag() {
        // RFC 3164 5.4 example 2: day padded with a space
        Event e = parse("<13>Feb  5 17:32:18 10.0.0.99 Use the BFG!", "2026-02-05T08:40:00Z");
        assertThat(e.host()).isEqualTo("10.0.0.99");
        assertThat(e.app()).isNull();
        assertThat(e.message()).isEqualTo("Use the BFG!");
        assertThat(e.timestamp()).isEqualTo(Instant.parse("2026-02-05T08:32:18Z"));
    }

    @Test
    void example3_tag_with_pid() {
        // RFC 3164 5.4 example 3: "CST 1987" follows the timestamp; a relay takes "CST" as the HOSTNAME
        Event e = parse("<165>Aug 24 05:34:00 CST 1987 mymachine myproc[10]: %% It's time to make the do-nuts.  %%  "
                + "Ingredients: Mix=OK, Jelly=OK # Devices: Mixer=OK, Jelly_Injector=OK, Frier=OK # Transport: "
                + "Conveyer1=OK, Conveyer2=OK # %%", "2026-08-24T00:00:00Z");
        assertThat(e.parsed()).isTrue();
        assertThat(e.facility()).isEqualTo(20);
        assertThat(e.severity()).isEqualTo(5);
        assertThat(e.host()).isEqualTo("CST");
        assertThat(e.message()).startsWith("1987 mymachine myproc[10]: %% It's time");
    }

    @Test
    void example4_no_valid_timestamp_makes_everything_after_pri_the_content() {
        // RFC 3164 5.4 example 4 and 4.3.2: an invalid TIMESTAMP, so the whole rest is CONTENT
        Event e = parse("<0>1990 Oct 22 10:52:01 TZ-6 scapegoat.dmz.example.org 10.1.2.3 sched[0]: That's All Folks!",
                "2026-10-22T01:00:00Z");
        assertThat(e.parsed()).isTrue();
        assertThat(e.timestamp()).isNull();
        assertThat(e.host()).isEqualTo("192.0.2.9");
        assertThat(e.message()).isEqualTo("1990 Oct 22 10:52:01 TZ-6 scapegoat.dmz.example.org 10.1.2.3 sched[0]: That's All Folks!");
    }

    @Test
    void a_december_line_received_in_january_belongs_to_the_year_before() {
        Event e = parse("<13>Dec 31 23:59:59 web01 app: last of the year", "2026-12-31T15:00:30Z");
        assertThat(e.timestamp()).isEqualTo(Instant.parse("2026-12-31T14:59:59Z"));
        Event late = parse("<13>Dec 31 23:59:59 web01 app: last of the year", "2027-01-01T00:00:30Z");
        assertThat(late.timestamp()).isEqualTo(Instant.parse("2026-12-31T14:59:59Z"));
    }

    @Test
    void daylight_saving_time_follows_the_zone_rules_of_that_date() {
        EventParser ny = new EventParser(ZoneId.of("America/New_York"));
        Receipt summer = new Receipt(Instant.parse("2026-07-01T16:00:00Z"), "in", "udp", "-", 0);
        Receipt winter = new Receipt(Instant.parse("2026-01-15T17:00:00Z"), "in", "udp", "-", 0);
        Event s = ny.parse(1, summer, "<13>Jul  1 12:00:00 h a: x".getBytes(StandardCharsets.UTF_8), EventParser.Source.SYSLOG);
        Event w = ny.parse(2, winter, "<13>Jan 15 12:00:00 h a: x".getBytes(StandardCharsets.UTF_8), EventParser.Source.SYSLOG);
        assertThat(s.timestamp()).isEqualTo(Instant.parse("2026-07-01T16:00:00Z"));
        assertThat(w.timestamp()).isEqualTo(Instant.parse("2026-01-15T17:00:00Z"));
    }

    @Test
    void a_local_program_without_hostname_keeps_its_tag() {
        Event e = parse("<13>Nov 26 10:00:00 sshd[812]: Accepted publickey for alice", "2026-11-26T01:00:00Z");
        assertThat(e.host()).isEqualTo("192.0.2.9");
        assertThat(e.app()).isEqualTo("sshd");
        assertThat(e.procId()).isEqualTo("812");
        assertThat(e.message()).isEqualTo("Accepted publickey for alice");
    }

    @Test
    void rsyslog_forward_format_with_an_rfc3339_timestamp() {
        Event e = parse("<30>2026-11-26T10:00:00.123456+09:00 files01 systemd[1]: smb.service: Failed with result 'exit-code'.",
                "2026-11-26T01:00:01Z");
        assertThat(e.timestamp()).isEqualTo(Instant.parse("2026-11-26T01:00:00.123456Z"));
        assertThat(e.host()).isEqualTo("files01");
        assertThat(e.app()).isEqualTo("systemd");
        assertThat(e.message()).isEqualTo("smb.service: Failed with result 'exit-code'.");
    }

    @Test
    void a_line_without_pri_or_timestamp_is_a_bare_record_that_keeps_its_raw_text() {
        // Products send their own records with no header (Symantec, Sophos Firewall, SonicWall):
        // read as the message, the receipt and the sender giving time and host.
        Event e = parse("just some text\n", "2026-11-26T01:00:00Z");
        assertThat(e.parsed()).isTrue();
        assertThat(e.format()).isEqualTo(Format.BARE);
        assertThat(e.message()).isEqualTo("just some text");
        assertThat(e.text()).isEqualTo("just some text");
        assertThat(e.host()).isEqualTo("192.0.2.9");
    }

    @Test
    void a_pri_out_of_range_is_a_parse_failure() {
        Event e = parse("<192>Nov 26 10:00:00 h a: x", "2026-11-26T01:00:00Z");
        assertThat(e.parseProblem()).isEqualTo("syslog PRI 192 is out of range 0..191");
    }

    @Test
    void a_broken_pri_is_a_parse_failure_but_a_record_starting_with_a_tag_is_not() {
        assertThat(parse("<>Nov 26 10:00:00 h a: x", "2026-11-26T01:00:00Z").parseProblem()).startsWith("syslog PRI is empty");
        assertThat(parse("<13 Nov 26 10:00:00 h a: x", "2026-11-26T01:00:00Z").parseProblem()).startsWith("syslog PRI is not closed");
        assertThat(parse("<1a>Nov 26 10:00:00 h a: x", "2026-11-26T01:00:00Z").parseProblem()).isEqualTo("syslog PRI is not a number: <1a>");
        // Sophos Anti-Virus writes XML lines (Wazuh ruleset tests, sophos.ini): a record, not a broken PRI
        Event xml = parse("<log><category>savscan.log</category><msg>SCANNER_DIED_KILLED</msg></log>", "2026-11-26T01:00:00Z");
        assertThat(xml.parsed()).isTrue();
        assertThat(xml.format()).isEqualTo(Format.BARE);
    }
}
