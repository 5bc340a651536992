package csirt.agent.camel;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import csirt.agent.cases.CaseRecord;
import csirt.agent.journal.JournalRecord;
import csirt.agent.journal.JournalVerifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped input routes with what real senders do: big datagrams, over-long frames, a tailed ClamAV log. */
class InputsTest {

    @TempDir
    Path data;

    private List<JournalRecord> journal() throws Exception {
        List<JournalRecord> out = new ArrayList<>();
        assertThat(JournalVerifier.verify(data.resolve("journal"), out::add).ok()).isTrue();
        return out;
    }

    @Test
    void a_udp_datagram_larger_than_netty_default_2048_bytes_arrives_whole() throws Exception {
        String msg = "<13>Nov 26 18:00:00 web01 app: " + "あ".repeat(3000); // about 9 KB of UTF-8
        try (AgentHarness agent = AgentHarness.start(data, Map.of())) {
            agent.udp(msg);
            assertThat(AgentHarness.await(Duration.ofSeconds(10),
                    () -> agent.daemon.services().journal().lastSeq() == 1)).isTrue();
        }
        List<JournalRecord> records = journal();
        assertThat(records).singleElement().satisfies(r -> {
            assertThat(r.payload()).isEqualTo(msg.getBytes(StandardCharsets.UTF_8));
            assertThat(r.receipt().transport()).isEqualTo("udp");
            assertThat(r.receipt().input()).isEqualTo("syslog-udp");
            assertThat(r.receipt().peerAddress()).isEqualTo("127.0.0.1");
        });
    }

    @Test
    void an_over_long_tcp_frame_is_journaled_in_pieces_and_counted() throws Exception {
        String longLine = "<13>Nov 26 18:00:00 web01 app: " + "x".repeat(2000);
        try (AgentHarness agent = AgentHarness.start(data, Map.of("syslog.max-frame-bytes", "1000"))) {
            agent.tcp(longLine + "\n<13>Nov 26 18:00:01 web01 app: after\n");
            assertThat(AgentHarness.await(Duration.ofSeconds(10),
                    () -> agent.daemon.services().journal().lastSeq() == 4)).isTrue();
            assertThat(agent.metric("csirt_frames_oversized_total{input=\"syslog-tcp\"}")).isEqualTo(1.0);
            // the pieces are evidence; only the first piece and the next message are events
            assertThat(agent.metric("csirt_events_parsed_total{format=\"rfc3164\"}")).isEqualTo(2.0);
        }
        List<JournalRecord> r = journal();
        assertThat(r).hasSize(4);
        StringBuilder joined = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            joined.append(r.get(i).payloadText());
        }
        assertThat(joined.toString()).isEqualTo(longLine);
        assertThat(r.get(0).flags()).isEqualTo(JournalRecord.FLAG_CONTINUES);
        assertThat(r.get(2).flags()).isEqualTo(JournalRecord.FLAG_CONTINUATION);
        assertThat(r.get(3).payloadText()).isEqualTo("<13>Nov 26 18:00:01 web01 app: after");
    }

    @Test
    void invalid_bytes_are_journaled_as_sent_marked_in_the_text_and_counted_and_the_input_goes_on() throws Exception {
        byte[] bad = "<13>Nov 26 18:00:00 pc-1 app: caf\u00e9 ".getBytes(StandardCharsets.ISO_8859_1); // Latin-1 e-acute: not UTF-8
        byte[] line = java.util.Arrays.copyOf(bad, bad.length + 1);
        line[bad.length] = '\n';
        try (AgentHarness agent = AgentHarness.start(data, Map.of())) {
            try (java.net.Socket s = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), agent.syslogPort)) {
                s.getOutputStream().write(line);
                s.getOutputStream().write("<13>Nov 26 18:00:01 pc-1 app: next\n".getBytes(StandardCharsets.US_ASCII));
            }
            assertThat(AgentHarness.await(Duration.ofSeconds(10),
                    () -> agent.daemon.services().journal().lastSeq() == 2)).isTrue();
            assertThat(AgentHarness.await(Duration.ofSeconds(5),
                    () -> agent.metricNow("csirt_decode_errors_total{charset=\"UTF-8\",input=\"syslog-tcp\"}") == 1.0)).isTrue();
        }
        List<JournalRecord> r = journal();
        assertThat(r.get(0).payload()).isEqualTo(bad);
        assertThat(r.get(1).payloadText()).isEqualTo("<13>Nov 26 18:00:01 pc-1 app: next");
    }

    @Test
    void other_log_files_are_tailed_as_syslog_lines_and_judged() throws Exception {
        Path auth = data.resolve("kern.log");
        Path edr = data.resolve("edr.jsonl");
        Files.createDirectories(data);
        Files.writeString(auth, "", StandardCharsets.UTF_8);
        Files.writeString(edr, "", StandardCharsets.UTF_8);
        try (AgentHarness agent = AgentHarness.start(data, Map.of("files.paths", auth + ", " + edr, "files.host", "files01"))) {
            Files.writeString(auth, "Nov 26 18:00:00 files01 kernel: blk_update_request: I/O error, dev sda, sector 8\n",
                    StandardCharsets.UTF_8, StandardOpenOption.APPEND);
            Files.writeString(edr, "{\"threat\":\"Trojan.Agent\",\"file_path\":\"/srv/share/x.exe\",\"action\":\"detected\"}\n",
                    StandardCharsets.UTF_8, StandardOpenOption.APPEND);
            assertThat(AgentHarness.await(Duration.ofSeconds(10),
                    () -> agent.daemon.services().cases().list().size() == 2)).isTrue();
            assertThat(agent.daemon.services().cases().list()).extracting(CaseRecord::criterionId).containsExactlyInAnyOrder("OUT-012", "AV-021");
            assertThat(agent.metric("csirt_messages_received_total{input=\"file-tail\"}")).isEqualTo(2.0);
        }
        assertThat(journal()).allSatisfy(r -> assertThat(r.receipt().transport()).isEqualTo("file"));
    }

    @Test
    void a_tailed_clamav_log_file_feeds_detections_and_removals() throws Exception {
        Path log = data.resolve("clamav.log");
        Files.createDirectories(data);
        Files.writeString(log, "Thu Nov 26 18:00:00 2026 -> SelfCheck: Database status OK.\n", StandardCharsets.UTF_8);
        try (AgentHarness agent = AgentHarness.start(data, Map.of("clamav.log.enabled", "true",
                "clamav.log.file", log.toString(), "clamav.log.host", "files01"))) {
            assertThat(AgentHarness.await(Duration.ofSeconds(10),
                    () -> agent.daemon.services().journal().lastSeq() == 1)).isTrue();
            Files.writeString(log, "Thu Nov 26 18:00:05 2026 -> /srv/share/a.doc: Doc.Dropper.Agent-5 FOUND\n",
                    StandardCharsets.UTF_8, StandardOpenOption.APPEND);
            assertThat(AgentHarness.await(Duration.ofSeconds(10),
                    () -> agent.daemon.services().cases().list().size() == 1)).isTrue();
            CaseRecord c = agent.daemon.services().cases().list().get(0);
            assertThat(c.host()).isEqualTo("files01");
            assertThat(c.criterionId()).isEqualTo("AV-021");
            assertThat(agent.metric("csirt_messages_received_total{input=\"clamav-file\"}")).isEqualTo(2.0);
        }
        List<JournalRecord> r = journal();
        assertThat(r.get(1).payloadText()).isEqualTo("Thu Nov 26 18:00:05 2026 -> /srv/share/a.doc: Doc.Dropper.Agent-5 FOUND");
        assertThat(r.get(1).receipt().transport()).isEqualTo("file");
    }
}
