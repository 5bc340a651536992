package csirt.agent.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;

import csirt.agent.journal.Receipt;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.StringLength;

/**
 * The product-record parsers (CEF, LEEF, JSON lines, ClamAV, Cisco and FortiGate dialects) on
 * hostile text shaped like their input: they never throw, never take long (a regex that
 * backtracks without end would), and the event keeps the text it came from.
 */
class SecurityRecordPropertiesTest {

    private static final Receipt R = new Receipt(Instant.parse("2026-11-26T09:00:00Z"), "t", "tcp", "192.0.2.1", 1);
    private final EventParser parser = new EventParser(ZoneId.of("Asia/Tokyo"));

    @Property(tries = 1500)
    void record_shaped_garbage_parses_quickly_and_keeps_its_text(@ForAll("records") String prefix,
                                                                 @ForAll @StringLength(max = 400) String tail) {
        String line = "<134>Nov 26 18:00:00 host01 " + prefix + tail;
        Event e = assertTimeoutPreemptively(Duration.ofSeconds(2),
                () -> parser.parse(1, R, line.getBytes(StandardCharsets.UTF_8), EventParser.Source.SYSLOG));
        String received = line.replaceAll("[\\r\\n\\x00]+$", "");
        assertThat(e.text()).isEqualTo(csirt.agent.util.ControlText.seeThrough(received));
        assertThat(e.fields().getOrDefault(EventParser.RECEIVED_TEXT, csirt.agent.util.ControlText.visible(e.text()))).isEqualTo(csirt.agent.util.ControlText.visible(received));
    }

    @Property(tries = 1500)
    void the_parsers_alone_never_throw(@ForAll("records") String prefix, @ForAll @StringLength(max = 400) String tail) {
        String text = prefix + tail;
        assertTimeoutPreemptively(Duration.ofSeconds(2), () -> {
            CefParser.parse(text);
            LeefParser.parse(text);
            JsonAlertParser.parse(text);
            ClamAvLineParser.find(text);
            ClamAvLineParser.hasLogTime(text);
            return null;
        });
    }

    @Property(tries = 1500)
    void records_without_any_header_parse_quickly_and_keep_their_text(@ForAll("records") String prefix,
                                                                      @ForAll @StringLength(max = 400) String tail) {
        String line = prefix + tail;
        Event e = assertTimeoutPreemptively(Duration.ofSeconds(2),
                () -> parser.parse(1, R, line.getBytes(StandardCharsets.UTF_8), EventParser.Source.SYSLOG));
        String received = line.replaceAll("[\\r\\n\\x00]+$", "");
        assertThat(e.text()).isEqualTo(csirt.agent.util.ControlText.seeThrough(received));
        assertThat(e.fields()).doesNotContainKey("product.error");
    }

    @Property(tries = 500)
    void deeply_nested_or_huge_json_is_refused_not_fatal(@ForAll("depths") int depth) {
        String json = "[".repeat(depth) + "]".repeat(depth);
        String obj = "{\"a\":" + json + ", \"virus\":\"x\"}";
        assertTimeoutPreemptively(Duration.ofSeconds(2), () -> JsonAlertParser.parse(obj));
    }

    @Provide
    Arbitrary<String> records() {
        return Arbitraries.of("CEF:0|", "CEF:0|Trend Micro|Apex Central|2019|AV:File|Eicar|3|cs1Label=VirusName cs1=",
                "CEF:0|a|b|c|d|e|10|", "CEF:|||||||", "LEEF:1.0|IBM|QRadar|1|ev|", "LEEF:2.0|V|P|1|id|^|",
                "LEEF:2.0|V|P|1|id|x09|", "{", "{\"virus\":", "{\"alert\":{\"signature\":", "[",
                "date=2026-11-26 time=18:00:00 devname=fw tz=\"+0900\" type=utm subtype=virus ",
                "%LINK-3-UPDOWN: ", "45: *Nov 26 18:00:00.123: %SYS-5-CONFIG_I: ",
                "clamd[1]: /tmp/x: ", "clamscan: /home/a: ", "Thu Nov 26 18:00:00 2026 -> /x: ",
                // the product readers' markers (parse.products)
                "SymantecServer: Virus found,IP Address: 1.2.3.4,Computer name: ", "ウイルスが見つかりました,コンピュータ名: ",
                "x,Event Description: ", "Scan ID: 1,", "device=\"SFW\" log_type=\"IDP\" log_component=\"", "sys=\"SecureNet\" sub=\"",
                "id=firewall sn=1 msg=\"IPS ", "1,2026/11/26 18:00:00,0,THREAT,spyware,", "%ASA-4-338008: ", "%ASA-4-733100: [",
                "Event Type: Threat, Event Name: ", "<EPOevent><ThreatCategory>av.", "<log><msg>NOTIFY_", "{\"event_type\":\"Threat_Event\",",
                "{\"type\":\"Event::Endpoint::Threat::", "CEF:0|KasperskyLab|SecurityCenter|1|GNRL_EV_VIRUS_FOUND|x|4|p1=",
                "CEF:0|CarbonBlack|CbDefense_Syslog_Connector|2.0|Active_Threat|", "{\"EventID\":1116,\"SourceName\":\"Microsoft-Windows-Windows Defender\",",
                "Microsoft-Windows-Windows Defender[1]: Name: ", "smartd[1]: Device: ", "zed: eid=1 class=statechange vdev_state=",
                "Severity: Critical, MessageID: PSU", "UPS: On battery power in response to ", "[IDS] LAN2[in] ", ": 2018 Jul 16 23:56:11 CDT: %ETHPORT-");
    }

    @Provide
    Arbitrary<Integer> depths() {
        return Arbitraries.integers().between(1, 20_000);
    }
}
