package csirt.agent.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

import csirt.agent.cases.CaseRecord;
import csirt.agent.cases.CaseStore;
import csirt.agent.cases.OutboxItem;
import csirt.agent.journal.Receipt;
import csirt.agent.metrics.AgentMetrics;
import csirt.agent.parse.EventParser;
import csirt.agent.triage.ShippedConfig;
import csirt.agent.triage.TriageEngine;
import csirt.agent.triage.Verdict;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.mail.Address;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A case nobody acts on is told again up the reporting chain (plan 4(2)④), on a fixed clock: a
 * level-2 case after 15 minutes to the CSIRT manager and responsible with 未対応, again every 15
 * minutes until a person's step; level-1 cases after 4 hours to the PoC in one mail; the agent's own
 * steps and the recording of a report do not count as a person acting.
 */
class AcknowledgementTest {

    @TempDir
    Path data;
    private CaseStore cases;
    private NoticeService notices;
    private final TriageEngine engine = new TriageEngine(ShippedConfig.criteria(), ShippedConfig.assets());
    private final EventParser parser = new EventParser(ZoneId.of("Asia/Tokyo"));
    private long seq;

    @BeforeEach
    void open() {
        cases = CaseStore.open(data);
        Contacts contacts = Contacts.load(Path.of("config/contacts.yaml"), new ArrayList<>());
        NoticeComposer composer = new NoticeComposer(contacts, NoticeTemplates.load(Path.of("config/templates"), "ja", new ArrayList<>()),
                ZoneId.of("Asia/Tokyo"), "loghost", "UTF-8", null);
        notices = new NoticeService(cases, composer, new NoticeFiles(data.resolve("notices")), new AgentMetrics(new SimpleMeterRegistry()),
                () -> 42, () -> "cd".repeat(32), Duration.ofMinutes(30), 20, LocalTime.of(8, 30), ZoneId.of("Asia/Tokyo"),
                Duration.ofMinutes(30), data);
        notices.acknowledgeWithin(Duration.ofMinutes(15), Duration.ofMinutes(240));
    }

    @AfterEach
    void close() throws Exception {
        cases.close();
    }

    private CaseRecord incident(String line) {
        Receipt r = new Receipt(Instant.now(), "t", "tcp", "192.0.2.1", 1);
        List<Verdict> vs = new ArrayList<>(engine.evaluate(parser.parse(++seq, r, line.getBytes(StandardCharsets.UTF_8),
                EventParser.Source.SYSLOG)));
        vs.addAll(engine.tick(Instant.now().plusSeconds(60)));
        CaseRecord out = null;
        for (Verdict v : vs) {
            if (v.incident()) {
                out = cases.apply(v, notices).caseRecord();
            }
        }
        return out;
    }

    private List<OutboxItem> reminders() {
        return cases.outbox().all().stream().filter(o -> o.kind().equals("unacknowledged")).toList();
    }

    private static List<String> to(OutboxItem o) throws Exception {
        List<String> out = new ArrayList<>();
        for (Address a : FixedIdMimeMessage.parse(o.message()).getAllRecipients()) {
            out.add(a.toString());
        }
        return out;
    }

    @Test
    void a_serious_case_nobody_acts_on_is_told_again_every_fifteen_minutes_until_a_person_acts() throws Exception {
        CaseRecord c = incident("<1>Nov 26 18:00:00 web01 ossec: Integrity checksum changed for: '/var/www/html/index.html'");
        assertThat(c.level()).isEqualTo(2);
        Instant opened = c.openedAt();
        String firstNotice = cases.find(c.id()).orElseThrow().firstNoticeId();
        cases.note(c.id(), "agent", "the agent's own note is not a person acting");
        cases.recordingNote(c.id(), "tanaka", "recording a report is not acting on the incident");
        assertThat(cases.unacknowledged()).hasSize(1);
        Object[] summary = cases.unacknowledgedSummary(); // what the metrics read
        assertThat(summary[0]).isEqualTo(1);
        assertThat(((Instant) summary[1]).toEpochMilli()).isEqualTo(opened.toEpochMilli());

        notices.remindUnacknowledged(opened.plus(Duration.ofMinutes(14)));
        assertThat(reminders()).isEmpty();
        notices.remindUnacknowledged(opened.plus(Duration.ofMinutes(15)));
        assertThat(reminders()).hasSize(1);
        OutboxItem first = reminders().get(0);
        MimeMessage m = FixedIdMimeMessage.parse(first.message());
        assertThat(m.getSubject()).startsWith("[CSIRT][未対応][レベル2][サイバー攻撃] " + c.displayId()).endsWith("（起票から15分）");
        assertThat(to(first)).containsExactly("csirt-manager@localhost", "csirt-responsible@localhost");
        assertThat((String) m.getContent()).contains("まだ誰も対応を記録していません（1回目の連絡）")
                .contains("この連絡を15分ごとに繰り返します").contains("csirt-agent cases show " + c.displayId());
        assertThat(m.getHeader("In-Reply-To")[0]).isEqualTo(firstNotice);

        notices.remindUnacknowledged(opened.plus(Duration.ofMinutes(29)));
        assertThat(reminders()).hasSize(1);
        notices.remindUnacknowledged(opened.plus(Duration.ofMinutes(30)));
        assertThat(reminders()).hasSize(2);
        assertThat((String) FixedIdMimeMessage.parse(reminders().get(1).message()).getContent()).contains("（2回目の連絡）");

        // a person's note acknowledges it: no more reminders, and the case's own notices are untouched
        cases.note(c.id(), "tanaka", "端末をネットワークから切り離した");
        assertThat(cases.unacknowledged()).isEmpty();
        assertThat(cases.unacknowledgedSummary()).containsExactly(0, null);
        assertThat(cases.acknowledgement(c.id())[1]).isEqualTo("tanaka");
        notices.remindUnacknowledged(opened.plus(Duration.ofHours(3)));
        assertThat(reminders()).hasSize(2);
        assertThat(cases.find(c.id()).orElseThrow().firstNoticeId()).isEqualTo(firstNotice);
    }

    @Test
    void minor_cases_wait_four_hours_and_go_to_the_poc_in_one_mail_and_an_assignment_or_state_change_acknowledges() throws Exception {
        CaseRecord a = incident("<11>Nov 26 18:00:00 pc-a clamd[1]: /home/a/x.exe: Sig.A FOUND");
        CaseRecord b = incident("<11>Nov 26 18:00:00 pc-b clamd[1]: /home/b/y.exe: Sig.B FOUND");
        CaseRecord done = incident("<11>Nov 26 18:00:00 pc-c clamd[1]: /home/c/z.exe: Sig.C FOUND");
        assertThat(List.of(a.level(), b.level(), done.level())).as("three level-1 cases").containsOnly(1);
        cases.assign(done.id(), "suzuki", "suzuki");
        Instant opened = b.openedAt();

        notices.remindUnacknowledged(opened.plus(Duration.ofMinutes(239)));
        assertThat(reminders()).isEmpty();
        notices.remindUnacknowledged(opened.plus(Duration.ofMinutes(241)));
        assertThat(reminders()).hasSize(1);
        OutboxItem r = reminders().get(0);
        assertThat(to(r)).containsExactly("csirt-poc@localhost");
        MimeMessage m = FixedIdMimeMessage.parse(r.message());
        assertThat(m.getSubject()).isEqualTo("[CSIRT][未対応][レベル1] 対応の記録がない案件 2件");
        assertThat((String) m.getContent()).contains(a.displayId()).contains(b.displayId()).doesNotContain(done.displayId());

        cases.transition(a.id(), "responding", "tanaka", "調査開始");
        notices.remindUnacknowledged(opened.plus(Duration.ofMinutes(241 + 240)));
        assertThat(reminders()).hasSize(2);
        MimeMessage again = FixedIdMimeMessage.parse(reminders().get(1).message());
        assertThat(again.getSubject()).isEqualTo("[CSIRT][未対応][レベル1][サイバー攻撃] " + b.displayId()
                + " pc-b: " + b.title() + "（起票から8時間1分）");
    }

    @Test
    void the_digest_lists_the_cases_nobody_has_acted_on() throws Exception {
        CaseRecord c = incident("<3>Nov 26 18:00:00 files01 kernel: blk_update_request: I/O error, dev sda, sector 8");
        notices.digestIfDue(Instant.parse("2026-11-27T00:00:00Z"));
        OutboxItem d = cases.outbox().all().stream().filter(o -> o.kind().equals("digest")).findFirst().orElseThrow();
        assertThat((String) FixedIdMimeMessage.parse(d.message()).getContent()).contains("■ 対応の記録がない案件（1件）")
                .contains(c.displayId() + " レベル1 files01");
    }
}
