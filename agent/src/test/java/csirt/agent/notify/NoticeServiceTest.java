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

import csirt.agent.cases.CaseStore;
import csirt.agent.cases.OutboxItem;
import csirt.agent.journal.Receipt;
import csirt.agent.metrics.AgentMetrics;
import csirt.agent.parse.EventParser;
import csirt.agent.triage.ShippedConfig;
import csirt.agent.triage.TriageEngine;
import csirt.agent.triage.Verdict;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Storm control over a real case store: one notice per opening, updates folded, a cap with one warning, one digest a day. */
class NoticeServiceTest {

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
                ZoneId.of("Asia/Tokyo"), "loghost", "UTF-8", "http://127.0.0.1:9464/cases/");
        notices = new NoticeService(cases, composer, new NoticeFiles(data.resolve("notices")), new AgentMetrics(new SimpleMeterRegistry()),
                () -> 42, () -> "cd".repeat(32), Duration.ofMinutes(30), 2, LocalTime.of(8, 30), ZoneId.of("Asia/Tokyo"),
                Duration.ofMinutes(30), data);
    }

    @AfterEach
    void close() throws Exception {
        cases.close();
    }

    private void incident(String line) {
        Receipt r = new Receipt(Instant.now(), "t", "tcp", "192.0.2.1", 1);
        List<Verdict> vs = new ArrayList<>(engine.evaluate(parser.parse(++seq, r, line.getBytes(StandardCharsets.UTF_8),
                EventParser.Source.SYSLOG)));
        vs.addAll(engine.tick(Instant.now().plusSeconds(60)));
        for (Verdict v : vs) {
            notices.countLevelZero(v);
            if (v.incident()) {
                cases.apply(v, notices);
            }
        }
    }

    private List<String> kinds() {
        return cases.outbox().all().stream().map(OutboxItem::kind).toList();
    }

    @Test
    void ten_thousand_events_of_one_incident_give_one_notice_then_one_update() throws Exception {
        for (int i = 0; i < 10_000; i++) {
            incident("<3>Nov 26 18:00:00 files01 kernel: blk_update_request: I/O error, dev sda, sector " + i);
        }
        assertThat(kinds()).containsExactly("opened");
        notices.queueUpdates(Instant.now()); // too early: within the update interval
        assertThat(kinds()).containsExactly("opened");
        notices.queueUpdates(Instant.now().plus(Duration.ofMinutes(31)));
        assertThat(kinds()).containsExactly("opened", "update");
        MimeMessage update = FixedIdMimeMessage.parse(cases.outbox().all().get(1).message());
        assertThat((String) update.getContent()).contains("9999 件のイベントが追加されました");
        assertThat(update.getHeader("In-Reply-To")[0]).isEqualTo(cases.outbox().all().get(0).messageId());
    }

    @Test
    void level_one_updates_past_the_hourly_cap_wait_with_one_warning_and_level_two_is_never_held() throws Exception {
        for (String host : List.of("sw-2f", "files01")) {
            for (int i = 0; i < 3; i++) {
                incident("<3>Nov 26 18:00:00 " + host + " kernel: blk_update_request: I/O error, dev sda, sector " + i);
            }
        }
        // a third level-1 case and a level-2 case, each with events after their opening
        incident("<11>Nov 26 18:00:00 pc-1 clamd[1]: /home/a/x.exe: Sig.One FOUND");
        incident("<11>Nov 26 18:00:00 pc-1 clamd[1]: /home/a/y.exe: Sig.One FOUND");
        for (int i = 0; i < 2; i++) {
            incident("<3>Nov 26 18:00:00 web01 kernel: blk_update_request: I/O error, dev sda, sector " + i);
        }
        Instant later = Instant.now().plus(Duration.ofMinutes(31));
        notices.queueUpdates(later);
        List<OutboxItem> updates = cases.outbox().all().stream().filter(o -> o.kind().equals("update")).toList();
        assertThat(updates).extracting(OutboxItem::level).containsExactlyInAnyOrder(2, 1, 1); // cap 2 for level 1, level 2 free
        assertThat(kinds()).filteredOn("cap-warning"::equals).hasSize(1);
        notices.queueUpdates(later.plusSeconds(60));
        assertThat(kinds()).filteredOn("cap-warning"::equals).hasSize(1); // one warning an hour, not one a minute
    }

    @Test
    void one_digest_a_day_with_level_zero_counts_and_open_cases() throws Exception {
        incident("<86>Nov 26 18:00:00 web01 sshd[2]: pam_unix(sshd:session): session opened for user a(uid=1) by (uid=0)");
        incident("<3>Nov 26 18:00:00 files01 kernel: blk_update_request: I/O error, dev sda, sector 1");
        Instant morning = java.time.ZonedDateTime.of(2026, 11, 27, 8, 29, 0, 0, ZoneId.of("Asia/Tokyo")).toInstant();
        notices.digestIfDue(morning);
        assertThat(kinds()).doesNotContain("digest");
        notices.digestIfDue(morning.plusSeconds(120));
        notices.digestIfDue(morning.plusSeconds(3600));
        assertThat(kinds()).filteredOn("digest"::equals).hasSize(1);
        OutboxItem d = cases.outbox().all().stream().filter(o -> o.kind().equals("digest")).findFirst().orElseThrow();
        MimeMessage m = FixedIdMimeMessage.parse(d.message());
        assertThat(m.getSubject()).isEqualTo("[CSIRT][日報] 2026-11-27 未完了の案件 1件、インシデントでない事象 1件");
        assertThat((String) m.getContent()).contains("IGN-001 通常のログイン・セッション記録（インシデントではない）: 1件").contains("C-000001 レベル1").contains("記録番号:SHA-256 42:" + "cd".repeat(32));
    }
}
