package csirt.agent.camel;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import csirt.agent.journal.JournalRecord;
import csirt.agent.journal.JournalVerifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The RELP input spoken to byte for byte as librelp (rsyslog's omrelp) speaks it: the session's
 * open, messages answered only once journaled, close; and bytes that are not RELP.
 */
class RelpInputTest {

    @TempDir
    Path data;

    private static String frame(long txnr, String command, String payload) {
        int len = payload.getBytes(StandardCharsets.UTF_8).length;
        return txnr + " " + command + " " + len + (len > 0 ? " " + payload : "") + "\n";
    }

    private List<JournalRecord> journal() throws Exception {
        List<JournalRecord> out = new ArrayList<>();
        assertThat(JournalVerifier.verify(data.resolve("journal"), out::add).ok()).isTrue();
        return out;
    }

    private AgentHarness startWithRelp() throws Exception {
        return AgentHarness.start(data, Map.of("syslog.relp.enabled", "true", "syslog.relp.host", "127.0.0.1",
                "syslog.relp.port", "0"));
    }

    @Test
    void messages_are_acknowledged_after_they_are_journaled_and_close_ends_the_session() throws Exception {
        try (AgentHarness agent = startWithRelp(); Socket s = new Socket("127.0.0.1", agent.port("syslog-relp"))) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            out.write(frame(1, "open", "relp_version=0\nrelp_software=librelp,1.11.0,https://www.rsyslog.com\ncommands=syslog")
                    .getBytes(StandardCharsets.UTF_8));
            out.flush();
            assertThat(in.readLine()).startsWith("1 rsp ").contains("200 OK");
            assertThat(in.readLine()).isEqualTo("relp_version=0");
            assertThat(in.readLine()).isEqualTo("relp_software=csirt-agent");
            assertThat(in.readLine()).isEqualTo("commands=syslog");
            // three messages in one write, one of them Japanese; the answers come in order
            String burst = frame(2, "syslog", "<13>Nov 26 18:00:00 web01 app: one")
                    + frame(3, "syslog", "<13>Nov 26 18:00:01 web01 app: 二つ目")
                    + frame(4, "syslog", "<11>Nov 26 18:00:02 pc-1 clamd[1]: /x.exe: Win.Trojan.R FOUND");
            out.write(burst.getBytes(StandardCharsets.UTF_8));
            out.flush();
            for (int t = 2; t <= 4; t++) {
                assertThat(in.readLine()).isEqualTo(t + " rsp 6 200 OK");
                // acknowledged means journaled: the record is already there when the answer arrives
                assertThat(agent.daemon.services().journal().lastSeq()).isGreaterThanOrEqualTo(t - 1);
            }
            out.write(frame(5, "close", "").getBytes(StandardCharsets.UTF_8));
            out.flush();
            assertThat(in.readLine()).isEqualTo("5 rsp 0");
            assertThat(in.read()).as("the agent ends the session after close").isEqualTo(-1);
            assertThat(AgentHarness.await(Duration.ofSeconds(10),
                    () -> agent.metricNow("csirt_events_judged_total") >= 3)).isTrue();
        }
        List<JournalRecord> r = journal();
        assertThat(r).extracting(JournalRecord::payloadText).containsExactly("<13>Nov 26 18:00:00 web01 app: one",
                "<13>Nov 26 18:00:01 web01 app: 二つ目", "<11>Nov 26 18:00:02 pc-1 clamd[1]: /x.exe: Win.Trojan.R FOUND");
        assertThat(r).allSatisfy(x -> {
            assertThat(x.receipt().input()).isEqualTo("syslog-relp");
            assertThat(x.receipt().transport()).isEqualTo("relp");
        });
    }

    @Test
    void bytes_that_are_not_relp_are_journaled_counted_and_end_the_session() throws Exception {
        try (AgentHarness agent = startWithRelp(); Socket s = new Socket("127.0.0.1", agent.port("syslog-relp"))) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            // a plain syslog sender pointed at the RELP port by mistake
            out.write("<13>Nov 26 18:00:00 web01 app: plain tcp line\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            assertThat(in.readLine()).isEqualTo("0 serverclose 0");
            assertThat(in.read()).isEqualTo(-1);
            assertThat(agent.metric("csirt_relp_malformed_total{input=\"syslog-relp\"}")).isEqualTo(1.0);
            assertThat(agent.readiness()).contains("UP");
        }
        assertThat(journal()).singleElement().satisfies(x -> {
            assertThat(x.payloadText()).isEqualTo("<13>Nov 26 18:00:00 web01 app: plain tcp line\n");
            assertThat(x.flags()).isEqualTo(JournalRecord.FLAG_INCOMPLETE);
        });
    }
}
