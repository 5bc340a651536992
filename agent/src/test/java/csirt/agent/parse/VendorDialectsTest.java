package csirt.agent.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;

import csirt.agent.journal.Receipt;
import org.junit.jupiter.api.Test;

/** Network devices' own syslog shapes (Cisco IOS, FortiGate), as their documentation shows them; values ours. */
class VendorDialectsTest {

    private static Event parse(String line, Instant received) {
        Receipt r = new Receipt(received, "syslog-udp", "udp", "192.0.2.1", 514);
        return new EventParser(ZoneId.of("Asia/Tokyo")).parse(1, r, line.getBytes(StandardCharsets.UTF_8), EventParser.Source.SYSLOG);
    }

    @Test
    void cisco_ios_with_sequence_number_host_unsynchronised_clock_and_mnemonic() {
        // Cisco IOS "service sequence-numbers", "logging origin-id hostname", "service timestamps log datetime msec localtime show-timezone"
        Event e = parse("<187>52: rt-wan: *Nov 26 09:00:00.123 JST: %LINK-3-UPDOWN: Interface GigabitEthernet0/1, changed state to down",
                Instant.parse("2026-11-26T00:00:05Z"));
        assertThat(e.parsed()).isTrue();
        assertThat(e.host()).isEqualTo("rt-wan");
        assertThat(e.app()).isEqualTo("LINK");
        assertThat(e.msgId()).isEqualTo("LINK-3-UPDOWN");
        assertThat(e.message()).isEqualTo("Interface GigabitEthernet0/1, changed state to down");
        assertThat(e.timestamp()).isEqualTo(Instant.parse("2026-11-26T00:00:00Z"));
        assertThat(e.fields()).containsEntry("cisco.seq", "52").containsEntry("cisco.severity", "3").containsEntry("cisco.mnemonic", "UPDOWN");
    }

    @Test
    void cisco_without_a_host_takes_the_sender_address_and_a_utc_stamp_is_utc_in_the_old_year() {
        Event e = parse("<189>1043: Dec 31 23:59:58 UTC: %SYS-5-CONFIG_I: Configured from console by admin on vty0 (10.0.0.5)",
                Instant.parse("2027-01-01T00:00:01Z"));
        assertThat(e.host()).isEqualTo("192.0.2.1");
        assertThat(e.timestamp()).isEqualTo(Instant.parse("2026-12-31T23:59:58Z"));
        assertThat(e.msgId()).isEqualTo("SYS-5-CONFIG_I");
    }

    @Test
    void fortigate_key_values_name_the_device_and_a_virus_is_an_antivirus_finding() {
        // FortiOS log reference, UTM virus log (type="utm" subtype="virus")
        Event e = parse("<185>date=2026-11-26 time=09:00:00 devname=\"fw01\" devid=\"FGT60FTK0000000\" logid=\"0211008192\" "
                + "type=\"utm\" subtype=\"virus\" eventtype=\"infected\" level=\"warning\" vd=\"root\" tz=\"+0900\" "
                + "srcip=10.1.2.42 dstip=203.0.113.80 action=\"blocked\" service=\"HTTP\" virus=\"EICAR_TEST_FILE\" "
                + "filename=\"eicar.com\" url=\"http://203.0.113.80/eicar.com\" user=\"yamada\"", Instant.parse("2026-11-26T00:00:01Z"));
        assertThat(e.host()).isEqualTo("fw01");
        assertThat(e.msgId()).isEqualTo("utm/virus");
        assertThat(e.timestamp()).isEqualTo(Instant.parse("2026-11-26T00:00:00Z"));
        assertThat(e.av()).isEqualTo(new AvAlert("Fortinet FortiGate", "EICAR_TEST_FILE", "eicar.com", AvAction.BLOCKED));
        assertThat(e.fields()).containsEntry("alert.src", "10.1.2.42").containsEntry("alert.user", "yamada")
                .containsEntry("fortigate.logid", "0211008192");
    }

    @Test
    void a_fortigate_traffic_log_is_fields_only() {
        Event e = parse("<189>date=2026-11-26 time=09:00:00 devname=\"fw01\" type=\"traffic\" subtype=\"forward\" srcip=10.1.2.42 "
                + "dstip=198.51.100.7 action=\"deny\"", Instant.parse("2026-11-26T00:00:01Z"));
        assertThat(e.av()).isNull();
        assertThat(e.msgId()).isEqualTo("traffic/forward");
        assertThat(e.timestamp()).as("no tz field: the source zone, Asia/Tokyo").isEqualTo(Instant.parse("2026-11-26T00:00:00Z"));
    }
}
