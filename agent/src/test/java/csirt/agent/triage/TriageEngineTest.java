package csirt.agent.triage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

import csirt.agent.journal.Receipt;
import csirt.agent.parse.Event;
import csirt.agent.parse.EventParser;
import org.junit.jupiter.api.Test;

/** The engine's rules beyond single fixtures: precedence, holds driven by time, spread windows, explanations. */
class TriageEngineTest {

    private final TriageEngine engine = new TriageEngine(ShippedConfig.criteria(), ShippedConfig.assets());
    private final EventParser parser = new EventParser(ZoneId.of("Asia/Tokyo"));
    private long seq;

    private List<Verdict> send(String line, Instant at) {
        Receipt r = new Receipt(at, "test", "tcp", "192.0.2.99", 1);
        Event e = parser.parse(++seq, r, line.getBytes(StandardCharsets.UTF_8), EventParser.Source.SYSLOG);
        return engine.evaluate(e);
    }

    @Test
    void a_held_detection_waits_for_its_deadline_and_is_decided_by_the_tick() {
        Instant t0 = Instant.parse("2026-11-26T09:00:00Z");
        assertThat(send("<11>Nov 26 18:00:00 pc-1 clamd[1]: /a: Eicar-Test-Signature FOUND", t0)).isEmpty();
        assertThat(engine.heldCount()).isEqualTo(1);
        assertThat(engine.tick(t0.plusSeconds(29))).isEmpty();
        List<Verdict> out = engine.tick(t0.plusSeconds(30));
        assertThat(out).singleElement().satisfies(v -> {
            assertThat(v.criterionId()).isEqualTo("AV-010");
            assertThat(v.facts()).contains("not released within 30s");
        });
        assertThat(engine.heldCount()).isZero();
    }

    @Test
    void spread_needs_three_distinct_hosts_within_the_window() {
        Instant t0 = Instant.parse("2026-11-26T09:00:00Z");
        send("<11>Nov 26 18:00:00 pc-1 clamd[1]: /a: Sig-X FOUND", t0);
        send("<11>Nov 26 18:00:00 pc-2 clamd[1]: /a: Sig-X FOUND", t0.plusSeconds(30 * 60));
        // 61 minutes after the first: pc-1 has left the one-hour window
        List<Verdict> third = send("<11>Nov 26 18:00:00 pc-3 clamd[1]: /a: Sig-X FOUND", t0.plusSeconds(61 * 60));
        assertThat(third).allSatisfy(v -> assertThat(v.criterionId()).isNotEqualTo("AV-020"));
        List<Verdict> fourth = send("<11>Nov 26 18:00:00 pc-4 clamd[1]: /a: Sig-X FOUND", t0.plusSeconds(62 * 60));
        assertThat(fourth).anySatisfy(v -> {
            assertThat(v.criterionId()).isEqualTo("AV-020");
            assertThat(v.level()).isEqualTo(2);
            assertThat(v.caseKey()).isEqualTo("cyber:Sig-X");
            assertThat(v.facts()).anySatisfy(f -> assertThat(f).contains("host distinct=3 (pc-2, pc-3, pc-4)"));
            assertThat(v.relatedSeqs()).hasSize(3);
        });
    }

    @Test
    void the_highest_level_wins_when_several_criteria_match() {
        // a detection on a server matches AV-021 (level 2); spread would too once three hosts see it
        List<Verdict> v = send("<11>Nov 26 18:00:00 web01 clamd[1]: /srv/x: Sig-Y FOUND", Instant.parse("2026-11-26T09:00:00Z"));
        assertThat(v).singleElement().satisfies(x -> {
            assertThat(x.criterionId()).isEqualTo("AV-021");
            assertThat(x.annexId()).isEqualTo("cyber.2.3");
            assertThat(x.annexText()).isEqualTo("ネットワーク接続機器がウイルス感染し、広範な情報に感染又は感染のおそれがある場合");
            assertThat(x.facts()).contains("av.action=detected", "asset.role=server");
            assertThat(x.criteriaHash()).isEqualTo(engine.criteria().hash());
        });
    }

    @Test
    void an_unknown_host_is_judged_as_the_documented_default_a_networked_terminal() {
        List<Verdict> v = send("<27>Nov 26 18:00:00 somehost systemd[1]: x.service: Failed with result 'exit-code'.",
                Instant.parse("2026-11-26T09:00:00Z"));
        assertThat(v).singleElement().satisfies(x -> {
            assertThat(x.asset().known()).isFalse();
            assertThat(x.asset().role()).isEqualTo("terminal");
            assertThat(x.criterionId()).isEqualTo("OUT-001");
            assertThat(x.level()).isZero();
        });
    }

    @Test
    void live_facts_are_kept_for_incidents_only_and_the_decisions_are_the_same_as_with_every_explanation() {
        // the live pipeline turns explanations of level-0 verdicts and repeats off; replay keeps them
        TriageEngine live = new TriageEngine(ShippedConfig.criteria(), ShippedConfig.assets());
        live.explainAll(false);
        Instant t0 = Instant.parse("2026-11-26T09:00:00Z");
        List<String> lines = new java.util.ArrayList<>();
        lines.add("<86>Nov 26 18:00:00 pc-1 sshd[9]: pam_unix(sshd:session): session opened for user u1(uid=1000) by (uid=0)");
        for (int i = 0; i < 14; i++) {
            lines.add("<38>Nov 26 18:00:00 web01 sshd[" + i + "]: Failed password for root from 198.51.100.7 port " + (40000 + i) + " ssh2");
        }
        lines.add("<11>Nov 26 18:00:00 web01 clamd[1]: /srv/x: Sig-Y FOUND");
        lines.add("<78>Nov 26 18:00:00 pc-2 CRON[5]: (root) CMD (true)");
        List<Verdict> all = new java.util.ArrayList<>();
        List<Verdict> incidentsOnly = new java.util.ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Receipt r = new Receipt(t0.plusSeconds(i), "test", "tcp", "192.0.2.99", 1);
            Event e = parser.parse(i + 1, r, lines.get(i).getBytes(StandardCharsets.UTF_8), EventParser.Source.SYSLOG);
            all.addAll(engine.evaluate(e));
            incidentsOnly.addAll(live.evaluate(e));
        }
        assertThat(incidentsOnly).hasSameSizeAs(all);
        for (int i = 0; i < all.size(); i++) {
            Verdict a = all.get(i);
            Verdict b = incidentsOnly.get(i);
            assertThat(List.of(b.event().seq(), String.valueOf(b.criterionId()), b.level(), b.repeatOf(), b.incident()))
                    .isEqualTo(List.of(a.event().seq(), String.valueOf(a.criterionId()), a.level(), a.repeatOf(), a.incident()));
            if (a.incident()) {
                assertThat(b.facts()).isEqualTo(a.facts()).isNotEmpty();
                assertThat(b.caseKey()).isEqualTo(a.caseKey());
                assertThat(b.relatedSeqs()).isEqualTo(a.relatedSeqs());
            } else if (a.criterionId() != null) {
                assertThat(a.facts()).isNotEmpty();
                assertThat(b.facts()).isEmpty();
            }
        }
        // the stream had all three kinds: level 0, an incident (the brute force, the server's detection), repeats
        assertThat(all).anySatisfy(v -> assertThat(v.level()).isZero());
        assertThat(all).filteredOn(Verdict::incident).extracting(Verdict::criterionId).contains("AUTH-100", "AV-021");
        assertThat(all).anySatisfy(v -> assertThat(v.repeatOf()).isPositive());
    }
}
