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

/** A case through the plan's states, with recurrence while monitored, closure, and a new case linked to the closed one. */
class CaseLifecycleTest {

    @TempDir
    Path data;
    private CaseStore store;
    private final TriageEngine engine = new TriageEngine(ShippedConfig.criteria(), ShippedConfig.assets());
    private final EventParser parser = new EventParser(ZoneId.of("Asia/Tokyo"));
    private long seq;

    @BeforeEach
    void open() {
        store = CaseStore.open(data);
    }

    @AfterEach
    void close() throws Exception {
        store.close();
    }

    private CaseChange failure(String host) {
        Receipt r = new Receipt(Instant.now(), "t", "tcp", "192.0.2.1", 1);
        List<Verdict> v = new ArrayList<>(engine.evaluate(parser.parse(++seq, r,
                ("<3>Nov 26 18:00:00 " + host + " kernel: blk_update_request: I/O error, dev sda, sector " + seq).getBytes(StandardCharsets.UTF_8),
                EventParser.Source.SYSLOG)));
        return store.apply(v.get(0));
    }

    @Test
    void a_case_goes_through_the_plan_and_a_later_event_opens_a_new_linked_case() {
        CaseRecord c = failure("files01").caseRecord();
        assertThat(c.state()).isEqualTo("triaged");
        assertThat(c.priority()).isEqualTo(3); // level 1 on a server some staff use
        store.assign(c.id(), "sato", "tanaka");
        store.transition(c.id(), "responding", "tanaka", "証拠保全を開始");
        store.note(c.id(), "tanaka", "ディスクを交換予定");
        store.transition(c.id(), "recovering", "tanaka", null);
        store.transition(c.id(), "monitoring", "tanaka", "復旧完了、1週間監視");

        CaseChange again = failure("files01");
        assertThat(again.caseRecord().id()).isEqualTo(c.id());
        assertThat(store.find(c.id()).orElseThrow().recurrences()).isEqualTo(1);

        CaseRecord closed = store.transition(c.id(), "closed", "suzuki", "収束を確認");
        assertThat(closed.closedAt()).isNotNull();
        CaseChange next = failure("files01");
        assertThat(next.kind()).isEqualTo(CaseChange.Kind.OPENED);
        assertThat(next.caseRecord().previousCaseId()).isEqualTo(c.id());

        List<TimelineEntry> t = store.timeline(c.id());
        assertThat(t).extracting(TimelineEntry::kind).contains("assigned", "state", "note", "recurrence");
        assertThat(t).filteredOn(e -> e.kind().equals("state")).extracting(TimelineEntry::actor)
                .containsExactly("tanaka", "tanaka", "tanaka", "suzuki");
        assertThat(t).anySatisfy(e -> assertThat(e.text()).isEqualTo("状態を「再発監視中」から「収束（クローズ）」に変更: 収束を確認"));
        assertThat(store.timeline(next.caseRecord().id())).anySatisfy(e -> assertThat(e.text())
                .isEqualTo("収束済みの案件 " + c.displayId() + " と同じ事象です（再発の可能性）"));
    }

    @Test
    void steps_the_plan_does_not_allow_are_refused_with_the_allowed_ones() {
        CaseRecord c = failure("files01").caseRecord();
        assertThatThrownBy(() -> store.transition(c.id(), "closed", "x", null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Case " + c.displayId() + " is triaged; from there it can go to [responding, not-incident], not closed "
                        + "(states: [received, triaged, responding, recovering, monitoring, closed, not-incident])");
    }

    @Test
    void a_closed_case_reopens_unless_another_case_with_its_key_is_open() {
        CaseRecord c = failure("files01").caseRecord();
        store.transition(c.id(), "not-incident", "x", "計画保守");
        CaseRecord second = failure("files01").caseRecord();
        assertThat(second.id()).isNotEqualTo(c.id());
        assertThatThrownBy(() -> store.transition(c.id(), "triaged", "x", null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot be reopened: another open case has the same key");
        store.transition(second.id(), "not-incident", "x", null);
        assertThat(store.transition(c.id(), "triaged", "x", "再開").state()).isEqualTo("triaged");
    }

    @Test
    void priority_follows_level_scope_criticality_and_hosts() {
        assertThat(Priority.of(2, "all", "high", 1)).isEqualTo(1);
        assertThat(Priority.of(2, "one-user", "normal", 1)).isEqualTo(2);
        assertThat(Priority.of(1, "one-user", "normal", 1)).isEqualTo(4);
        assertThat(Priority.of(1, "one-user", "normal", 5)).isEqualTo(2);
        assertThat(Priority.of(1, "some-staff", "normal", 1)).isEqualTo(3);
    }
}
