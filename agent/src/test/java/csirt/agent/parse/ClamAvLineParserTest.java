package csirt.agent.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;

import csirt.agent.journal.Receipt;
import org.junit.jupiter.api.Test;

/** ClamAV results in the forms clamd, clamonacc, clamscan and clamdscan write them. */
class ClamAvLineParserTest {

    @Test
    void clamd_syslog_detection() {
        // clamd with LogSyslog yes: the message part of its syslog line
        AvAlert a = ClamAvLineParser.find("/home/alice/Downloads/eicar.com: Eicar-Test-Signature FOUND");
        assertThat(a).isEqualTo(new AvAlert("clamav", "Eicar-Test-Signature", "/home/alice/Downloads/eicar.com", AvAction.DETECTED));
    }

    @Test
    void clamd_logfile_detection_with_logtime() {
        // clamd with LogFile and LogTime yes
        AvAlert a = ClamAvLineParser.find("Thu Nov 26 18:00:01 2026 -> /srv/share/invoice.doc: Doc.Dropper.Agent-123 FOUND");
        assertThat(a.signature()).isEqualTo("Doc.Dropper.Agent-123");
        assertThat(a.path()).isEqualTo("/srv/share/invoice.doc");
        assertThat(a.action()).isEqualTo(AvAction.DETECTED);
    }

    @Test
    void extended_detection_info_keeps_hash_and_size_out_of_the_signature() {
        // clamd/scanner.c with ExtendedDetectionInfo yes: "%s: %s(%s:%llu) FOUND" (EICAR's MD5 and size)
        AvAlert a = ClamAvLineParser.find("/home/a/eicar.com: Eicar-Test-Signature(44d88612fea8a8f36de82e1278abb02f:68) FOUND");
        assertThat(a).isEqualTo(new AvAlert("clamav", "Eicar-Test-Signature", "/home/a/eicar.com", AvAction.DETECTED,
                "44d88612fea8a8f36de82e1278abb02f", "68"));
        AvAlert sha256 = ClamAvLineParser.find("ScanOnAccess: /tmp/x: Win.Test.X("
                + "275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f:68) FOUND");
        assertThat(sha256.signature()).isEqualTo("Win.Test.X");
        assertThat(sha256.hash()).hasSize(64);
        // parentheses that are not hash:size stay in the name
        assertThat(ClamAvLineParser.find("/tmp/y: Odd.Name(x) FOUND").signature()).isEqualTo("Odd.Name(x)");
    }

    @Test
    void a_virus_event_line_is_a_detection_of_its_signature_and_file() {
        // clamd.conf(5) VirusEvent, a handler logging "Virus detected: $CLAM_VIRUSEVENT_VIRUSNAME in $CLAM_VIRUSEVENT_FILENAME"
        assertThat(ClamAvLineParser.find("Virus detected: Win.Trojan.Agent-1 in /home/a/My Files/x.exe"))
                .isEqualTo(new AvAlert("clamav", "Win.Trojan.Agent-1", "/home/a/My Files/x.exe", AvAction.DETECTED));
        assertThat(ClamAvLineParser.find("Virus found: Eicar-Test-Signature in /tmp/eicar.com").signature()).isEqualTo("Eicar-Test-Signature");
        assertThat(ClamAvLineParser.find("nothing in here")).isNull();
    }

    @Test
    void path_with_spaces_and_colons_and_an_unofficial_signature() {
        AvAlert a = ClamAvLineParser.find("/home/a/My Files/report: v2.pdf: Eicar-Test-Signature.UNOFFICIAL FOUND");
        assertThat(a.path()).isEqualTo("/home/a/My Files/report: v2.pdf");
        assertThat(a.signature()).isEqualTo("Eicar-Test-Signature.UNOFFICIAL");
    }

    @Test
    void on_access_scanner_prefix() {
        AvAlert a = ClamAvLineParser.find("ScanOnAccess: /home/a/eicar.com: Eicar-Test-Signature FOUND");
        assertThat(a.path()).isEqualTo("/home/a/eicar.com");
    }

    @Test
    void clamscan_remove_line() {
        // clamscan --remove prints this after the FOUND line
        AvAlert a = ClamAvLineParser.find("/home/a/eicar.com: Removed.");
        assertThat(a).isEqualTo(new AvAlert("clamav", null, "/home/a/eicar.com", AvAction.REMOVED));
    }

    @Test
    void clamscan_move_line() {
        // clamscan --move=DIR prints this after the FOUND line
        AvAlert a = ClamAvLineParser.find("/home/a/eicar.com: moved to '/var/quarantine/eicar.com'");
        assertThat(a).isEqualTo(new AvAlert("clamav", null, "/home/a/eicar.com", AvAction.QUARANTINED));
    }

    @Test
    void other_clamav_lines_and_ordinary_text_hold_no_finding() {
        assertThat(ClamAvLineParser.find("Thu Nov 26 18:00:01 2026 -> SelfCheck: Database status OK.")).isNull();
        assertThat(ClamAvLineParser.find("/home/a/file.txt: OK")).isNull();
        assertThat(ClamAvLineParser.find("nothing FOUND")).isNull();
    }

    @Test
    void a_clamav_log_file_line_becomes_an_event_with_the_finding() {
        EventParser p = new EventParser(ZoneId.of("Asia/Tokyo"));
        Receipt r = new Receipt(Instant.parse("2026-11-26T09:00:00Z"), "clamav-file", "file", "pc-0101", 0);
        Event e = p.parse(5, r, "Thu Nov 26 18:00:01 2026 -> /home/a/eicar.com: Eicar-Test-Signature FOUND".getBytes(StandardCharsets.UTF_8),
                EventParser.Source.CLAMAV_LOG);
        assertThat(e.format()).isEqualTo(Format.CLAMAV_LOG);
        assertThat(e.host()).isEqualTo("pc-0101");
        assertThat(e.message()).isEqualTo("/home/a/eicar.com: Eicar-Test-Signature FOUND");
        assertThat(e.av().signature()).isEqualTo("Eicar-Test-Signature");
    }
}
