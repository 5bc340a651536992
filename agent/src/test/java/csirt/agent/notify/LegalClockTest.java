package csirt.agent.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

import csirt.agent.LegalAnswers;
import csirt.agent.cases.CaseRecord;
import csirt.agent.cases.CaseStore;
import csirt.agent.cases.LegalClock;
import csirt.agent.cases.OutboxItem;
import csirt.agent.cases.PpcReport;
import csirt.agent.journal.Receipt;
import csirt.agent.metrics.AgentMetrics;
import csirt.agent.parse.Event;
import csirt.agent.parse.Format;
import csirt.agent.triage.AnnexTable;
import csirt.agent.triage.Category;
import csirt.agent.triage.Verdict;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.mail.Address;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The law's report clocks for a personal-data breach (個人情報保護法26条, 施行規則7条・8条) on a fixed
 * clock: which answers make a case reportable, the 速報 (5th day) and 確報 (30 days, 60 for 不正の
 * 目的) in calendar days that a weekend does not move, the reminders before and after each deadline
 * to the CSIRT manager and responsible, and none for a case that does not qualify.
 */
class LegalClockTest {

    private static final ZoneId JST = ZoneId.of("Asia/Tokyo");
    /** A Friday, 10:00 JST. */
    private static final Instant LEARNED = LocalDate.of(2026, 12, 4).atTime(10, 0).atZone(JST).toInstant();

    @TempDir
    Path data;
    private CaseStore cases;
    private NoticeService notices;

    @BeforeEach
    void open() {
        cases = CaseStore.open(data);
        Contacts contacts = Contacts.load(Path.of("config/contacts.yaml"), new ArrayList<>());
        NoticeComposer composer = new NoticeComposer(contacts, NoticeTemplates.load(Path.of("config/templates"), "ja", new ArrayList<>()),
                JST, "loghost", "UTF-8", null);
        notices = new NoticeService(cases, composer, new NoticeFiles(data.resolve("notices")), new AgentMetrics(new SimpleMeterRegistry()),
                () -> 42, () -> "cd".repeat(32), Duration.ofMinutes(30), 20, LocalTime.of(8, 30), JST, Duration.ofMinutes(30), data);
    }

    @AfterEach
    void close() throws Exception {
        cases.close();
    }

    @Test
    void the_four_triggers_decide_and_only_with_personal_data() {
        assertThat(new LegalClock.Answers(true, true, false, false, 1).reportable()).isTrue();
        assertThat(new LegalClock.Answers(true, false, true, false, 1).reportable()).isTrue();
        assertThat(new LegalClock.Answers(true, false, false, true, 1).reportable()).isTrue();
        assertThat(new LegalClock.Answers(true, false, false, false, 1001).reportable()).isTrue();
        assertThat(new LegalClock.Answers(true, false, false, false, 1000).reportable()).as("1,000 persons is not more than 1,000").isFalse();
        assertThat(new LegalClock.Answers(false, true, true, true, 5000).reportable()).as("no personal data").isFalse();
    }

    @Test
    void deadlines_are_calendar_days_from_the_day_it_was_learned_of_and_a_weekend_does_not_move_them() {
        LegalClock.Answers plain = new LegalClock.Answers(true, true, false, false, 12);
        LegalClock.Answers wrongful = new LegalClock.Answers(true, false, false, true, 12);
        assertThat(LegalClock.due(LegalClock.Report.PRELIMINARY, plain, LEARNED, JST))
                .isEqualTo(LocalDate.of(2026, 12, 10).atStartOfDay(JST).toInstant()); // the end of Wednesday 9 December
        // 30 days after 4 December is Sunday 3 January: it stays there
        assertThat(LegalClock.due(LegalClock.Report.FINAL, plain, LEARNED, JST)).isEqualTo(LocalDate.of(2027, 1, 4).atStartOfDay(JST).toInstant());
        assertThat(LegalClock.due(LegalClock.Report.FINAL, wrongful, LEARNED, JST)).isEqualTo(LocalDate.of(2027, 2, 3).atStartOfDay(JST).toInstant());
        LegalClock.State s = new LegalClock.State(1, plain, LEARNED, "tanaka", null, null, "");
        assertThat(PpcReport.dueDay(LegalClock.Report.FINAL, s, JST)).isEqualTo("2027年1月3日（日）");
        assertThat(LegalClock.reminder(LegalClock.Report.PRELIMINARY, s, LEARNED.plus(Duration.ofDays(1)), JST)).isNull();
        assertThat(LegalClock.reminder(LegalClock.Report.PRELIMINARY, s, LocalDate.of(2026, 12, 7).atTime(0, 1).atZone(JST).toInstant(), JST))
                .isEqualTo("PRELIMINARY:due");
        assertThat(LegalClock.reminder(LegalClock.Report.PRELIMINARY, s, LocalDate.of(2026, 12, 10).atTime(0, 0).atZone(JST).toInstant(), JST))
                .isEqualTo("PRELIMINARY:overdue:2026-12-10");
        LegalClock.State sent = new LegalClock.State(1, plain, LEARNED, "tanaka", LEARNED.plus(Duration.ofDays(2)), null, "");
        assertThat(LegalClock.reminder(LegalClock.Report.PRELIMINARY, sent, LEARNED.plus(Duration.ofDays(9)), JST)).isNull();
    }

    private CaseRecord theftCase(String annex) {
        Receipt r = new Receipt(LEARNED, "intake", "manual", "-", 0);
        Event e = new Event(1, r, Format.UNPARSED, -1, -1, null, "intake", "intake", null, null, null, "USBメモリを紛失", "USBメモリを紛失", null,
                null, java.util.Map.of());
        AnnexTable.Example ex = AnnexTable.get(annex);
        Verdict v = new Verdict(e, csirt.agent.asset.AssetInventory.empty().lookup("intake"), "MANUAL", "個人情報を保存したUSBメモリを紛失", Category.THEFT, ex.level(), ex.id(), ex.japanese(),
                List.of("the handler's decision on a report from staff"), "theft:report:" + annex, List.of(), List.of(), "h", 0, 0);
        return cases.apply(v, null).caseRecord();
    }

    private List<OutboxItem> legalNotices() {
        return cases.outbox().all().stream().filter(o -> o.kind().equals("legal")).toList();
    }

    @Test
    void a_reportable_case_is_reminded_before_and_after_each_deadline_until_recorded_as_sent_and_one_that_is_not_never() throws Exception {
        CaseRecord c = theftCase("theft.2.4");
        CaseRecord notReportable = theftCase("theft.2.2");
        CaseRecord unanswered = theftCase("theft.2.1");
        assertThat(LegalClock.asks(c)).isTrue();
        assertThat(LegalAnswers.apply(cases, c.id(), "tanaka", java.util.Map.of("personal", "はい", "sensitive", "no", "financial", "yes",
                "wrongful", "no", "persons", "120"))).contains("報告の対象です");
        assertThat(LegalAnswers.apply(cases, notReportable.id(), "tanaka", java.util.Map.of("personal", "yes", "persons", "3")))
                .contains("対象ではありません");
        Instant learned = cases.find(c.id()).orElseThrow().firstSeen();
        LocalDate day = learned.atZone(JST).toLocalDate();

        notices.remindLegal(learned.plus(Duration.ofDays(1)));
        assertThat(legalNotices()).isEmpty();
        notices.remindLegal(day.plusDays(3).atTime(9, 0).atZone(JST).toInstant());
        assertThat(legalNotices()).hasSize(1);
        MimeMessage due = FixedIdMimeMessage.parse(legalNotices().get(0).message());
        assertThat(due.getSubject()).startsWith("[CSIRT][期限][個人情報保護委員会への速報] " + c.displayId());
        List<String> to = new ArrayList<>();
        for (Address a : due.getAllRecipients()) {
            to.add(a.toString());
        }
        assertThat(to).containsExactly("csirt-manager@localhost", "csirt-responsible@localhost");
        assertThat((String) due.getContent()).contains("不正に利用されることにより財産的被害が生じるおそれがある（2号）")
                .contains("本人の数: 120人").contains("csirt-agent cases legal " + c.displayId() + " --sent preliminary");
        notices.remindLegal(day.plusDays(4).atTime(9, 0).atZone(JST).toInstant());
        assertThat(legalNotices()).as("the 'due' reminder once").hasSize(1);
        notices.remindLegal(day.plusDays(6).atTime(0, 5).atZone(JST).toInstant());
        assertThat(legalNotices()).hasSize(2);
        assertThat(FixedIdMimeMessage.parse(legalNotices().get(1).message()).getSubject()).startsWith("[CSIRT][期限超過][個人情報保護委員会への速報]");
        notices.remindLegal(day.plusDays(6).atTime(12, 0).atZone(JST).toInstant());
        assertThat(legalNotices()).as("overdue once a day").hasSize(2);
        notices.remindLegal(day.plusDays(7).atTime(0, 5).atZone(JST).toInstant());
        assertThat(legalNotices()).hasSize(3);

        cases.legalReportSent(c.id(), LegalClock.Report.PRELIMINARY, "tanaka");
        notices.remindLegal(day.plusDays(8).atTime(9, 0).atZone(JST).toInstant());
        assertThat(legalNotices()).hasSize(3);
        notices.remindLegal(day.plusDays(24).atTime(9, 0).atZone(JST).toInstant());
        assertThat(legalNotices()).as("the final report a week before its day").hasSize(4);
        assertThat(FixedIdMimeMessage.parse(legalNotices().get(3).message()).getSubject()).contains("確報");
        cases.legalReportSent(c.id(), LegalClock.Report.FINAL, "tanaka");
        notices.remindLegal(day.plusDays(40).atTime(9, 0).atZone(JST).toInstant());
        assertThat(legalNotices()).hasSize(4);
        assertThat(legalNotices()).allSatisfy(o -> assertThat(o.caseId()).isEqualTo(c.id()))
                .as("no reminder about %s or %s", notReportable.displayId(), unanswered.displayId());
        assertThat(cases.timeline(c.id())).anySatisfy(t -> assertThat(t.text()).contains("個人情報保護委員会への速報を送付済みと記録"));
        String draft = PpcReport.render(cases.find(c.id()).orElseThrow(), cases.legal(c.id()).orElseThrow(), cases.events(c.id(), 10),
                cases.timeline(c.id()), cases.reportFields(c.id()), JST);
        assertThat(draft).contains("3 漏えい等が発生し、又は発生したおそれがある個人データに係る本人の数\n  120人")
                .contains("2 漏えい等が発生し、又は発生したおそれがある個人データの項目\n  【要記入】").contains("9 その他参考となる事項");
    }
}
