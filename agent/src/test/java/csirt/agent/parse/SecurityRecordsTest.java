package csirt.agent.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;

import csirt.agent.journal.Receipt;
import org.junit.jupiter.api.Test;

/**
 * CEF and LEEF as products send them over syslog. Each line follows the layout of the vendor
 * document it is named after (field names and header as documented; host names, users, paths and
 * times are ours).
 */
class SecurityRecordsTest {

    private static Event parse(String line) {
        Receipt r = new Receipt(Instant.parse("2026-11-26T09:00:00Z"), "syslog-tcp", "tcp", "192.0.2.50", 40000);
        return new EventParser(ZoneId.of("Asia/Tokyo")).parse(1, r, line.getBytes(StandardCharsets.UTF_8), EventParser.Source.SYSLOG);
    }

    @Test
    void cef_header_and_extension_escapes_as_the_arcsight_specification_defines_them() {
        // ArcSight CEF white paper: \| and \\ in the header; \= and \\ in extension values
        Map<String, String> f = CefParser.parse(
                "CEF:0|security|threatmanager|1.0|100|detected a \\| in message|10|src=10.0.0.1 act=blocked a \\= sign dst=1.1.1.1 msg=line1\\nline2");
        assertThat(f).containsEntry("cef.vendor", "security").containsEntry("cef.product", "threatmanager")
                .containsEntry("cef.class", "100").containsEntry("cef.name", "detected a | in message")
                .containsEntry("cef.severity", "10").containsEntry("cef.src", "10.0.0.1")
                .containsEntry("cef.act", "blocked a = sign").containsEntry("cef.dst", "1.1.1.1")
                .containsEntry("cef.msg", "line1\nline2");
        assertThat(CefParser.parse("CEF:0|too|few|fields")).isNull();
        assertThat(CefParser.parse("a line that mentions CEF: but is not one")).isNull();
    }

    @Test
    void microsoft_defender_events_from_nxlog_json_name_the_endpoint_the_file_and_what_was_done() {
        // NXLog im_msvistalog to_json(): the event's own fields plus its EventData (Threat Name, Path, Action Name)
        String base = "{\"Hostname\":\"pc-0401\",\"EventID\":%d,\"SourceName\":\"Microsoft-Windows-Windows Defender\","
                + "\"Product Name\":\"Microsoft Defender Antivirus\",\"Threat Name\":\"Virus:DOS/EICAR_Test_File\","
                + "\"Path\":\"file:_C:\\\\Users\\\\yamada\\\\eicar.com\",\"Action Name\":\"%s\"}";
        Event detected = parse(String.format(base, 1116, "Not Applicable"));
        assertThat(detected.av()).isEqualTo(new AvAlert("Microsoft Defender Antivirus", "Virus:DOS/EICAR_Test_File",
                "C:\\Users\\yamada\\eicar.com", AvAction.DETECTED));
        assertThat(detected.host()).isEqualTo("pc-0401");
        assertThat(parse(String.format(base, 1117, "Quarantine")).av().action()).isEqualTo(AvAction.QUARANTINED);
        assertThat(parse(String.format(base, 1117, "Remove")).av().action()).isEqualTo(AvAction.REMOVED);
        assertThat(parse(String.format(base, 1117, "Allow")).av().action()).as("allowed by a person: still there").isEqualTo(AvAction.DETECTED);
        assertThat(parse(String.format(base, 1118, "Quarantine")).av().action()).as("the action failed").isEqualTo(AvAction.FAILED);
        assertThat(parse(String.format(base, 1119, "Remove")).av().action()).isEqualTo(AvAction.FAILED);
    }

    @Test
    void trend_micro_apex_central_virus_log_quarantined_on_an_endpoint() {
        // layout: Trend Micro Apex Central 2019 online help, "CEF Virus/Malware Logs" and "Spyware/Grayware"
        Event e = parse("<134>Nov 26 18:00:00 apexcentral CEF:0|Trend Micro|Apex Central|2019|AV:File quarantined|Eicar_test_file|3|"
                + "rt=Nov 26 2026 09:00:00 GMT+00:00 cnt=1 cs1Label=VirusName cs1=Eicar_test_file cs5Label=ActionResult "
                + "cs5=File quarantined dvchost=PC-0042 dhost=PC-0042 dst=10.1.2.42 fname=eicar.com "
                + "filePath=C:\\\\Users\\\\yamada\\\\Downloads\\\\ duser=yamada deviceFacility=Apex One");
        assertThat(e.av()).isEqualTo(new AvAlert("Trend Micro Apex One", "Eicar_test_file",
                "C:\\Users\\yamada\\Downloads\\eicar.com", AvAction.QUARANTINED));
        assertThat(e.host()).as("the endpoint, not the management server that sent the line").isEqualTo("PC-0042");
        assertThat(e.fields()).containsEntry("alert.user", "yamada").containsEntry("alert.dst", "10.1.2.42")
                .containsEntry("cef.VirusName", "Eicar_test_file");
    }

    @Test
    void trend_micro_predictive_machine_learning_log_carries_the_action_in_the_event_class() {
        // layout: Trend Micro Apex Central 2019 online help, "CEF Predictive Machine Learning Logs"
        Event e = parse("<134>Nov 26 18:00:00 apexcentral CEF:0|Trend Micro|Apex Central|2019|PML:File cleaned|TROJ_GEN.R002C0|3|"
                + "rt=Nov 26 2026 09:00:00 GMT+00:00 dvchost=apexcentral cs2Label=Security Threat cs2=Troj.Win32.TRX.XXPE50FFF0 "
                + "shost=PC-0077 suser=LG\\\\sato filePath=D:\\\\work\\\\ fname=invoice.exe");
        assertThat(e.av().signature()).isEqualTo("Troj.Win32.TRX.XXPE50FFF0");
        assertThat(e.av().action()).isEqualTo(AvAction.REMOVED);
        assertThat(e.av().path()).isEqualTo("D:\\work\\invoice.exe");
        assertThat(e.fields()).containsEntry("alert.user", "LG\\sato");
    }

    @Test
    void a_failed_cleanup_is_failed_not_removed() {
        Event e = parse("<134>Nov 26 18:00:00 apexcentral CEF:0|Trend Micro|Apex Central|2019|AV:Unable to clean file|WORM_X|3|"
                + "cs1Label=VirusName cs1=WORM_X act=Unable to clean file dhost=PC-0050 fname=x.exe filePath=C:\\\\tmp\\\\");
        assertThat(e.av().action()).isEqualTo(AvAction.FAILED);
    }

    @Test
    void an_ips_record_is_not_an_antivirus_finding_but_its_addresses_are_normalised() {
        Event e = parse("<134>Nov 26 18:00:00 ips01 CEF:0|Example|IPS|5.1|2001|SQL injection attempt|8|src=203.0.113.9 dst=10.1.0.5 act=blocked");
        assertThat(e.av()).isNull();
        assertThat(e.host()).isEqualTo("ips01");
        assertThat(e.fields()).containsEntry("alert.src", "203.0.113.9").containsEntry("alert.dst", "10.1.0.5")
                .containsEntry("cef.name", "SQL injection attempt");
    }

    @Test
    void leef_1_with_tabs_and_leef_2_with_its_own_delimiter() {
        // IBM QRadar LEEF documentation: 1.0 separates attributes with TAB, 2.0 names the separator
        Event one = parse("<13>Nov 26 18:00:00 mail01 LEEF:1.0|Microsoft|MSExchange|4.0 SP1|15345|src=192.0.2.7\tdst=172.16.1.1\tsev=5\tcat=anomaly\tusrName=joe.black");
        assertThat(one.fields()).containsEntry("leef.vendor", "Microsoft").containsEntry("leef.event", "15345")
                .containsEntry("alert.user", "joe.black").containsEntry("alert.src", "192.0.2.7");
        Event two = parse("<13>Nov 26 18:00:00 nf01 LEEF:2.0|Lancope|StealthWatch|1.0|41|^|src=10.0.1.8^dst=10.0.0.5^sev=5^usrName=joe.black");
        assertThat(two.fields()).containsEntry("alert.src", "10.0.1.8").containsEntry("alert.dst", "10.0.0.5");
        Event hex = parse("<13>Nov 26 18:00:00 av01 LEEF:2.0|Example|AV|2.1|VirusFound|x09|virusName=EICAR\tfileName=/home/a/e.com\taction=Deleted\tidentHostName=pc-9");
        assertThat(hex.av()).isEqualTo(new AvAlert("Example AV", "EICAR", "/home/a/e.com", AvAction.REMOVED));
        assertThat(hex.host()).isEqualTo("pc-9");
    }

    @Test
    void json_lines_are_flattened_and_an_antivirus_record_is_normalised() {
        Event av = parse("<134>1 2026-11-26T09:00:00+09:00 edr01 edr - - - {\"host\":\"pc-0042\",\"threat\":\"Trojan.Agent\","
                + "\"file_path\":\"C:\\\\Users\\\\a\\\\x.exe\",\"action\":\"quarantined\",\"user\":{\"name\":\"yamada\"},\"tags\":[\"a\",\"b\"]}");
        assertThat(av.av()).isEqualTo(new AvAlert("unknown", "Trojan.Agent", "C:\\Users\\a\\x.exe", AvAction.QUARANTINED));
        assertThat(av.host()).isEqualTo("pc-0042");
        assertThat(av.fields()).containsEntry("json.user.name", "yamada").containsEntry("json.tags", "a,b");

        // Suricata EVE: an IPS alert, not an antivirus finding; addresses normalised
        Event eve = parse("<134>1 2026-11-26T09:00:00+09:00 ids01 suricata - - - {\"event_type\":\"alert\",\"src_ip\":\"203.0.113.9\","
                + "\"dest_ip\":\"10.1.0.5\",\"alert\":{\"action\":\"blocked\",\"signature\":\"ET SCAN Nmap\"}}");
        assertThat(eve.av()).isNull();
        assertThat(eve.fields()).containsEntry("alert.src", "203.0.113.9").containsEntry("json.alert.signature", "ET SCAN Nmap");

        Event broken = parse("<134>1 2026-11-26T09:00:00+09:00 edr01 edr - - - {\"unterminated\": [1, 2}");
        assertThat(broken.parsed()).isTrue();
        assertThat(broken.fields()).isEmpty();
        Event hostile = parse("<134>1 2026-11-26T09:00:00+09:00 edr01 edr - - - {a: &x [1], b: *x, c: !!java.io.File [\"/\"]}");
        assertThat(hostile.fields()).isEmpty();
    }

    @Test
    void actions_in_the_words_products_use() {
        assertThat(SecurityAlerts.action("File quarantined")).isEqualTo(AvAction.QUARANTINED);
        assertThat(SecurityAlerts.action("Deleted")).isEqualTo(AvAction.REMOVED);
        assertThat(SecurityAlerts.action("Clean failed")).isEqualTo(AvAction.FAILED);
        assertThat(SecurityAlerts.action("Access denied")).isEqualTo(AvAction.BLOCKED);
        assertThat(SecurityAlerts.action("Pass")).isEqualTo(AvAction.DETECTED);
        assertThat(SecurityAlerts.action(null)).isEqualTo(AvAction.DETECTED);
    }
}
