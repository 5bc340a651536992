package csirt.agent.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;

import csirt.agent.journal.Receipt;
import org.junit.jupiter.api.Test;

/**
 * Headers as devices really send them. Lines are quoted from public test data, named at each
 * test (Elastic integrations' pipeline tests, the Wazuh ruleset tests, vendor manuals); the
 * facts say which variant was read ({@code syslog.dialect}).
 */
class HeaderVariantsTest {

    private final EventParser parser = new EventParser(ZoneId.of("Asia/Tokyo"));

    private Event parse(String line, String receivedAt) {
        Receipt r = new Receipt(Instant.parse(receivedAt), "syslog-udp", "udp", "192.0.2.9", 514);
        return parser.parse(1, r, line.getBytes(StandardCharsets.UTF_8), EventParser.Source.SYSLOG);
    }

    private static String dialect(Event e) {
        return e.fields().get("syslog.dialect");
    }

    @Test
    void an_unpadded_day() {
        // the header of elastic/integrations packages/symantec_endpoint test-rfc3164.log, with the
        // administrative record of its sample_logs/symantec_endpoint.log
        Event e = parse("<51>Oct 4 10:51:33 symantec.endpointprotection.english.test SymantecServer: Site: SEPSite,Server: SEPServer,Domain: Default,Admin: admin,Administrator log on failed",
                "2026-10-04T02:00:00Z");
        assertThat(e.parsed()).isTrue();
        assertThat(e.host()).isEqualTo("symantec.endpointprotection.english.test");
        assertThat(e.app()).isEqualTo("SymantecServer");
        assertThat(e.timestamp()).isEqualTo(Instant.parse("2026-10-04T01:51:33Z"));
        assertThat(dialect(e)).isEqualTo("unpadded day");
    }

    @Test
    void a_space_after_the_pri_and_two_before_the_host() {
        // elastic/integrations packages/sonicwall_firewall test-general.log (the PRI followed by spaces)
        Event e = parse("<134>  id=firewall sn=xxxxxxxxxxxxxxx time=\"2022-05-06 16:10:06\" fw=192.168.255.6 pri=6 c=262144 m=98 msg=\"Connection Opened\"",
                "2026-05-06T07:10:07Z");
        assertThat(e.parsed()).isTrue();
        assertThat(e.format()).isEqualTo(Format.BARE);
        assertThat(e.message()).startsWith("id=firewall sn=");
        assertThat(dialect(e)).isEqualTo("space after PRI, PRI only");

        Event two = parse("<13>Nov 26 18:00:00  web01 sshd[1]: Accepted password for a from 192.0.2.5 port 22 ssh2", "2026-11-26T09:00:01Z");
        assertThat(two.host()).isEqualTo("web01");
        assertThat(two.app()).isEqualTo("sshd");
        assertThat(dialect(two)).isEqualTo("two spaces before the host");
    }

    @Test
    void busybox_writes_facility_and_level_between_host_and_tag() {
        // BusyBox syslogd's log line (syslogd.c timestamp_and_log: "%s %.64s %s\n" with the
        // facility.level when -S is not given), as OpenWrt's logread shows it
        Event e = parse("<30>Nov 26 18:00:00 OpenWrt daemon.info dnsmasq[1234]: started, version 2.80 cachesize 150", "2026-11-26T09:00:01Z");
        assertThat(e.host()).isEqualTo("OpenWrt");
        assertThat(e.app()).isEqualTo("dnsmasq");
        assertThat(e.procId()).isEqualTo("1234");
        assertThat(e.message()).isEqualTo("started, version 2.80 cachesize 150");
        assertThat(dialect(e)).isEqualTo("facility.level after the host");
    }

    @Test
    void no_host_as_pfsense_sends_it() {
        // Wazuh ruleset tests pfsense.ini (filterlog with no HOSTNAME)
        Event e = parse("<134>Nov 26 18:00:00 filterlog[5347]: 5,,,1000000103,em0,match,block,in,4,0x0,,64,0,0,DF,17,udp,90,192.0.2.44,192.0.2.1,40000,53,70",
                "2026-11-26T09:00:01Z");
        assertThat(e.host()).isEqualTo("192.0.2.9");
        assertThat(e.app()).isEqualTo("filterlog");
        assertThat(dialect(e)).isEqualTo("no host");
    }

    @Test
    void cisco_sequence_numbers_and_uptime_stamps() {
        // Cisco IOS "service sequence-numbers" and "service timestamps log uptime" (Cisco IOS
        // Configuration Fundamentals, System Message Logging)
        Event e = parse("<189>52: 1w2d: %LINK-3-UPDOWN: Interface GigabitEthernet0/1, changed state to down", "2026-11-26T09:00:01Z");
        assertThat(e.app()).isEqualTo("LINK");
        assertThat(e.msgId()).isEqualTo("LINK-3-UPDOWN");
        assertThat(e.timestamp()).isNull();
        assertThat(e.message()).isEqualTo("Interface GigabitEthernet0/1, changed state to down");
        assertThat(dialect(e)).contains("Cisco uptime");
        Event h = parse("<189>53: rt-wan: 00:01:23: %LINEPROTO-5-UPDOWN: Line protocol on Interface Gi0/1, changed state to down", "2026-11-26T09:00:01Z");
        assertThat(h.host()).isEqualTo("rt-wan");
        assertThat(h.fields()).containsEntry("cisco.seq", "53");
    }

    @Test
    void rfc5424_without_its_version_and_without_pri() {
        // Wazuh ruleset tests mcafee_epo.ini (ePO's syslog forwarding, no PRI, no VERSION)
        Event e = parse("2019-07-03T13:49:44.0Z RH1WVEPO1 EPOEvents - EventFwd [agentInfo@3401 tenantId=\"1\"] <?xml version=\"1.0\"?><EPOevent></EPOevent>",
                "2019-07-03T13:49:45Z");
        assertThat(e.format()).isEqualTo(Format.RFC5424);
        assertThat(e.host()).isEqualTo("RH1WVEPO1");
        assertThat(e.app()).isEqualTo("EPOEvents");
        assertThat(e.msgId()).isEqualTo("EventFwd");
        assertThat(e.timestamp()).isEqualTo(Instant.parse("2019-07-03T13:49:44Z"));
        assertThat(e.message()).startsWith("<?xml");
        assertThat(dialect(e)).isEqualTo("RFC 5424 without VERSION");
    }

    @Test
    void bare_records_take_time_and_host_from_the_receipt() {
        // elastic/integrations packages/symantec_endpoint sample_logs/symantec_endpoint.log
        Event e = parse("Security risk found,IP Address: 1.128.3.4,Computer name: exampleComputer,Source: Auto-Protect scan", "2026-11-26T09:00:01Z");
        assertThat(e.parsed()).isTrue();
        assertThat(e.format()).isEqualTo(Format.BARE);
        assertThat(e.host()).isEqualTo("192.0.2.9");
        assertThat(e.timestamp()).isNull();
        assertThat(e.message()).startsWith("Security risk found,");
        assertThat(dialect(e)).isEqualTo("no header");
    }

    @Test
    void iso_8601_without_pri_and_without_zone() {
        Event e = parse("2026-11-26T18:00:00 files01 smartd[812]: Device: /dev/sda [SAT], FAILED SMART self-check. BACK UP DATA NOW!",
                "2026-11-26T09:00:01Z");
        assertThat(e.host()).isEqualTo("files01");
        assertThat(e.app()).isEqualTo("smartd");
        assertThat(e.timestamp()).isEqualTo(Instant.parse("2026-11-26T09:00:00Z"));
        assertThat(dialect(e)).isEqualTo("ISO 8601 time without zone");
    }

    @Test
    void sophos_utm_timestamp() {
        // Wazuh ruleset tests sophos.ini (Sophos UTM informational event)
        Event e = parse("<30>2021:05:19-16:37:28 fw-int-name ulogd[503]: id=\"2001\" severity=\"info\" sys=\"SecureNet\" sub=\"packetfilter\" name=\"Packet dropped\" action=\"drop\"",
                "2021-05-19T07:37:29Z");
        assertThat(e.host()).isEqualTo("fw-int-name");
        assertThat(e.app()).isEqualTo("ulogd");
        assertThat(e.timestamp()).isEqualTo(Instant.parse("2021-05-19T07:37:28Z"));
        assertThat(dialect(e)).isEqualTo("Sophos UTM timestamp");
    }

    @Test
    void cisco_asa_headers() {
        // elastic/integrations packages/cisco_asa test-sample.log
        Event a = parse("Apr 24 2013 16:00:28 INT-FW01 : %ASA-6-106100: access-list inside denied udp inside/172.29.2.101(1039) -> outside/192.168.2.10(53) hit-cnt 1 first hit [0xd820e56a, 0x0]",
                "2013-04-24T07:00:29Z");
        assertThat(a.host()).isEqualTo("INT-FW01");
        assertThat(a.msgId()).isEqualTo("ASA-6-106100");
        assertThat(a.timestamp()).isEqualTo(Instant.parse("2013-04-24T07:00:28Z"));
        assertThat(a.message()).startsWith("access-list inside denied");
        Event b = parse("Apr 15 2014 09:34:34 EDT: %ASA-session-5-106100: access-list acl_in permitted tcp inside/10.1.2.16(2241) -> outside/192.168.0.89(2000) hit-cnt 1 first hit [0x71a87d94, 0x0]",
                "2014-04-15T13:34:35Z");
        assertThat(b.host()).isEqualTo("192.0.2.9");
        assertThat(b.fields()).containsEntry("cisco.mnemonic", "106100");
        Event c = parse("<166>Aug 15 2012 23:30:09 : %ASA-6-302016 Teardown UDP connection 40 for outside:10.44.4.4/500 to inside:10.44.2.2/500 duration 0:02:02 bytes 1416",
                "2012-08-15T14:30:10Z");
        assertThat(c.message()).startsWith("Teardown UDP connection 40");
        assertThat(c.timestamp()).isEqualTo(Instant.parse("2012-08-15T14:30:09Z"));
        Event d = parse("<164>%ASA-4-733100: [ Scanning] drop rate-1 exceeded. Current burst rate is 10 per second, max configured rate is 10; Current average rate is 5 per second, max configured rate is 5; Cumulative total count is 3024",
                "2026-11-26T09:00:01Z");
        assertThat(d.fields()).containsEntry("cisco.mnemonic", "733100");
        assertThat(d.severity()).isEqualTo(4);
    }

    @Test
    void fortigate_without_devname() {
        // FortiOS 7.2 Log Message Reference, "Log message format" (devname removed by config)
        Event e = parse("<185>date=2026-11-26 time=18:00:00 devid=\"FGT60FTK20000000\" eventtime=1764147600000000000 tz=\"+0900\" logid=\"0419016384\" type=\"utm\" subtype=\"ips\" eventtype=\"signature\" level=\"alert\" srcip=203.0.113.9 dstip=192.0.2.10 action=\"dropped\" attack=\"Apache.Log4j.Error.Log.Remote.Code.Execution\"",
                "2026-11-26T09:00:01Z");
        assertThat(e.host()).isEqualTo("192.0.2.9");
        assertThat(e.msgId()).isEqualTo("utm/ips");
        assertThat(e.timestamp()).isEqualTo(Instant.parse("2026-11-26T09:00:00Z"));
    }

    @Test
    void a_bsd_time_with_its_year_and_a_version_before_a_bsd_time() {
        // a public syslog parser's tests (IBM QRadar forwarding of Trend Micro Apex Central CEF)
        Event y = parse("<133>Feb 14 2022 05:15:47 135.181.193.106 CEF:0|Trend Micro|Apex Central|2019|WB:7|7|3|deviceExternalId=38 act=1 dvchost=ApexOneClient08",
                "2026-11-26T09:00:01Z");
        assertThat(y.host()).isEqualTo("135.181.193.106");
        assertThat(y.timestamp()).isEqualTo(Instant.parse("2022-02-13T20:15:47Z"));
        assertThat(dialect(y)).isEqualTo("year in the timestamp");
        Event v = parse("<134>1 Feb 14 19:04:54 test.hq.ibm.com CEF:0|Vendor|Product|20.0.560|600|User Signed In|3|src=127.0.0.1 suser=Admin",
                "2026-02-14T10:05:00Z");
        assertThat(v.parsed()).isTrue();
        assertThat(v.host()).isEqualTo("test.hq.ibm.com");
        assertThat(v.timestamp()).isEqualTo(Instant.parse("2026-02-14T10:04:54Z"));
        assertThat(dialect(v)).isEqualTo("VERSION before a BSD timestamp");
    }
}
