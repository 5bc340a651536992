package csirt.agent.cases;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

import csirt.agent.journal.Receipt;
import csirt.agent.parse.EventParser;
import csirt.agent.triage.ShippedConfig;
import csirt.agent.triage.TriageEngine;
import csirt.agent.triage.Verdict;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Cases in the real embedded database: open, attach, escalate, and the timeline that starts at reception. */
class CaseStoreTest {

    @TempDir
    Path data;
    private CaseStore store;
    private final TriageEngine engine = new TriageEngine(ShippedConfig.criteria(), ShippedConfig.assets());
    private final EventParser parser = new EventParser(ZoneId.of("Asia/Tokyo"));
    private long seq;
    private final Instant t0 = Instant.parse("2026-11-26T09:00:00Z");

    @BeforeEach
    void open() {
        store = CaseStore.open(data);
    }

    @AfterEach
    void close() throws Exception {
        store.close();
    }

    private List<Verdict> incidents(String line, Instant at) {
        Receipt r = new Receipt(at, "syslog-tcp", "tcp", "192.0.2.50", 40001);
        List<Verdict> out = new ArrayList<>(engine.evaluate(parser.parse(++seq, r, line.getBytes(StandardCharsets.UTF_8),
                EventParser.Source.SYSLOG)));
        out.addAll(engine.tick(at.plusSeconds(3600)));
        return out.stream().filter(Verdict::incident).toList();
    }

    @Test
    void a_spread_opens_one_case_and_escalates_it_instead_of_opening_three() {
        List<CaseChange> changes = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            for (Verdict v : incidents("<11>Nov 26 18:00:00 pc-" + i + " clamd[1]: /x.exe: Win.Trojan.Z FOUND", t0.plusSeconds(i * 60))) {
                changes.add(store.apply(v));
            }
        }
        assertThat(changes).extracting(CaseChange::kind)
                .containsExactly(CaseChange.Kind.OPENED, CaseChange.Kind.ATTACHED, CaseChange.Kind.ESCALATED);
        assertThat(changes).filteredOn(CaseChange::needsNotice).hasSize(2);
        assertThat(store.list()).singleElement().satisfies(c -> {
            assertThat(c.level()).isEqualTo(2);
            assertThat(c.criterionId()).isEqualTo("AV-020");
            assertThat(c.eventCount()).isEqualTo(3);
            assertThat(c.caseKey()).isEqualTo("cyber:Win.Trojan.Z");
            assertThat(c.firstSeen()).isEqualTo(t0.plusSeconds(60));
        });
    }

    @Test
    void the_timeline_begins_at_reception_and_records_every_step_in_order() {
        Verdict v = incidents("<3>Nov 26 18:00:00 files01 kernel: blk_update_request: I/O error, dev sda, sector 2048", t0).get(0);
        CaseChange c = store.apply(v, FAKE_NOTICES);
        store.recordNotice(c.caseRecord().id(), "<id@x>", "通知メールを送信");
        List<TimelineEntry> t = store.timeline(c.caseRecord().id());
        assertThat(t).extracting(TimelineEntry::kind).containsExactly("received", "triaged", "opened", "notice-queued", "notified");
        assertThat(t.get(0).at()).isEqualTo(t0);
        assertThat(t.get(0).text()).isEqualTo("受信 seq 1（入力 syslog-tcp、tcp、送信元 192.0.2.50:40001）");
        assertThat(t.get(1).text()).startsWith("判定 OUT-012 レベル1 情報システムの停止等（別表1 outage.1.2「");
        assertThat(store.find(c.caseRecord().id()).orElseThrow().firstNoticeId()).isEqualTo("<id@x>");
        assertThat(store.events(c.caseRecord().id(), 10)).singleElement()
                .satisfies(e -> assertThat(e.rawText()).contains("I/O error, dev sda"));
    }

    /** A notice factory that writes a marker instead of a mail: the store's part is tested, not the composer's. */
    @Test
    void a_burst_applied_as_one_batch_links_every_event_but_writes_the_timeline_once_per_case() {
        // a spread of one signature over 5 hosts, then 200 more detections in one read of an input
        List<Verdict> batch = new ArrayList<>();
        for (int i = 1; i <= 205; i++) {
            batch.addAll(incidents("<11>Nov 26 18:00:00 pc-" + (i % 5) + " clamd[1]: /x" + i + ".exe: Win.Worm.B FOUND", t0.plusMillis(i)));
        }
        List<CaseChange> changes = store.applyAll(batch, FAKE_NOTICES);
        assertThat(changes).hasSize(batch.size());
        assertThat(changes).filteredOn(CaseChange::needsNotice).extracting(CaseChange::kind)
                .containsExactly(CaseChange.Kind.OPENED, CaseChange.Kind.ESCALATED);
        CaseRecord c = store.list().get(0);
        assertThat(store.list()).hasSize(1);
        assertThat(c.eventCount()).isEqualTo(batch.size());
        assertThat(store.events(c.id(), 1000)).hasSize(batch.size());
        // 5 distinct hosts raise the priority as counting them over every event did
        assertThat(c.priority()).isEqualTo(Priority.of(2, "one-user", "normal", 5));
        List<TimelineEntry> t = store.timeline(c.id());
        assertThat(t.size()).as("timeline entries for %d events", batch.size()).isLessThan(20);
        assertThat(t).filteredOn(e -> e.text().startsWith("受信 ") && e.text().contains("件 seq ")).isNotEmpty()
                .allSatisfy(e -> assertThat(e.text()).contains("一括で記録"));
        // the same batch again (a replay after a crash) links nothing twice
        assertThat(store.applyAll(batch, FAKE_NOTICES)).extracting(CaseChange::kind).containsOnly(CaseChange.Kind.DUPLICATE);
        assertThat(store.list().get(0).eventCount()).isEqualTo(batch.size());
    }

    static final NoticeFactory FAKE_NOTICES = new NoticeFactory() {
        @Override
        public Queued caseChange(CaseChange change, List<CaseEvent> events) {
            return new Queued(change.kind().name().toLowerCase(), change.caseRecord().level(), "<id@x>",
                    ("events " + events.size()).getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public Queued update(CaseRecord c, int newEvents, Instant since, List<CaseEvent> latest) {
            return new Queued("update", c.level(), "<update-" + newEvents + "@x>", ("latest " + latest.size()).getBytes(StandardCharsets.UTF_8));
        }
    };

    @Test
    void a_notice_is_stored_in_the_outbox_with_its_case_change_and_later_events_become_one_update() {
        for (int i = 1; i <= 3; i++) {
            for (Verdict v : incidents("<3>Nov 26 18:00:00 files01 kernel: blk_update_request: I/O error, dev sda, sector " + i, t0.plusSeconds(i))) {
                store.apply(v, FAKE_NOTICES);
            }
        }
        assertThat(store.outbox().all()).singleElement().satisfies(o -> {
            assertThat(o.kind()).isEqualTo("opened");
            assertThat(new String(o.message(), StandardCharsets.UTF_8)).isEqualTo("events 1");
        });
        CaseRecord c = store.list().get(0);
        assertThat(c.pendingUpdates()).isEqualTo(2);
        assertThat(store.dueForUpdate(Instant.now(), java.time.Duration.ofMinutes(30))).isEmpty();
        assertThat(store.dueForUpdate(Instant.now().plusSeconds(1801), java.time.Duration.ofMinutes(30))).hasSize(1);
        store.queueUpdate(c.id(), FAKE_NOTICES);
        assertThat(store.outbox().all()).extracting(OutboxItem::messageId).containsExactly("<id@x>", "<update-2@x>");
        assertThat(store.find(c.id()).orElseThrow().pendingUpdates()).isZero();
        store.outbox().delivered(store.outbox().all().get(0).id());
        assertThat(store.outbox().depth()).isEqualTo(1);
    }

    @Test
    void the_same_verdict_applied_twice_is_not_counted_twice() {
        Verdict v = incidents("<27>Nov 26 18:00:00 files01 systemd[1]: a.service: Failed with result 'exit-code'.", t0).get(0);
        store.apply(v);
        assertThat(store.apply(v).kind()).isEqualTo(CaseChange.Kind.DUPLICATE);
        assertThat(store.list()).singleElement().satisfies(c -> assertThat(c.eventCount()).isEqualTo(1));
    }

    @Test
    void cases_survive_a_restart_of_the_store() throws Exception {
        store.apply(incidents("<27>Nov 26 18:00:00 files01 systemd[1]: b.service: Failed with result 'exit-code'.", t0).get(0));
        store.close();
        store = CaseStore.open(data);
        assertThat(store.list()).hasSize(1);
    }

    @Test
    void a_level_zero_verdict_is_refused() {
        Receipt r = new Receipt(t0, "t", "tcp", "-", 0);
        Verdict zero = engine.evaluate(parser.parse(99, r, "<13>hello".getBytes(StandardCharsets.UTF_8), EventParser.Source.SYSLOG)).get(0);
        assertThatThrownBy(() -> store.apply(zero)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("level 0 verdicts open no case");
    }
}
