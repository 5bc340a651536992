package csirt.agent.triage;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.ZoneId;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The engine's facts as a person reads them: no field names, no patterns, values in the plan's words. */
class FactWordingTest {

    private static final ZoneId JST = ZoneId.of("Asia/Tokyo");

    @Test
    void each_form_of_fact_the_engine_writes_becomes_a_sentence() {
        assertThat(FactWording.sentence("not released within 30s", "cyber", JST)).isEqualTo("30秒以内に駆除の記録なし");
        assertThat(FactWording.sentence("still not released after 1h", "outage", JST)).isEqualTo("1時間を過ぎても復旧の記録なし");
        assertThat(FactWording.sentence("released by seq 12 after 5min: message ~ /(Started)/: Started smbd", "outage", JST))
                .isEqualTo("5分後に復旧を確認（記録 seq 12）");
        assertThat(FactWording.sentence("host distinct=3 (pc-03, pc-01, pc-02) within 1h for av.signature=Win.Trojan.Agent-1 (threshold 3)",
                "cyber", JST)).isEqualTo("1時間以内に3台（pc-01, pc-02, pc-03）で同一の検知名「Win.Trojan.Agent-1」（判定の基準: 3台以上）");
        assertThat(FactWording.sentence("events=10 within 5min for x.src=203.0.113.9 (threshold 10)", "cyber", JST))
                .isEqualTo("5分以内に10件、送信元「203.0.113.9」（判定の基準: 10件以上）");
        assertThat(FactWording.sentence("message ~ /(I/O error|EXT4-fs error)/: blk_update_request: I/O error", "outage", JST))
                .isEqualTo("ログの内容「blk_update_request: I/O error」");
        assertThat(FactWording.sentence("asset.affects=some-staff", "outage", JST)).isEqualTo("影響範囲: 一部の職員");
        assertThat(FactWording.sentence("av.action=detected", "cyber", JST)).isEqualTo("ウイルス対策ソフトの対処: 検知のみ（駆除・隔離されていない）");
        assertThat(FactWording.sentence("asset.networked=true", "cyber", JST)).isEqualTo("ネットワーク接続: あり");
        assertThat(FactWording.sentence("av.action=detected (not removed|quarantined)", "cyber", JST))
                .isEqualTo("ウイルス対策ソフトの対処: 検知のみ（駆除・隔離されていない）");
        assertThat(FactWording.sentence("repeat of seq 4 within 1h", "cyber", JST)).isEqualTo("1時間以内の同じ事象の繰り返し（最初の記録 seq 4）");
        assertThat(FactWording.sentence("after WIN-100 for the same alert.src at 2026-11-26T09:00:00Z (within 1h)", "cyber", JST))
                .isEqualTo("1時間以内に同じ送信元アドレスで判定基準 WIN-100 に該当（2026-11-26 18:00:00 JST）");
        assertThat(FactWording.sentence("x.unit=smbd.service", "outage", JST)).isEqualTo("サービス: smbd.service");
        assertThat(FactWording.sentence("x.whatever=abc", "outage", JST)).isEqualTo("該当箇所「abc」");
        assertThat(FactWording.sentence("alert.kind absent", "outage", JST)).isNull();
    }

    @Test
    void a_stored_list_splits_where_a_fact_begins_not_inside_a_value() {
        List<String> facts = FactWording.split("asset.role=server; message ~ /(x)/: a; b; c; not released within 30s");
        assertThat(facts).containsExactly("asset.role=server", "message ~ /(x)/: a; b; c", "not released within 30s");
        assertThat(FactWording.sentences("asset.role=server; alert.kind absent; asset.role=server", "outage", JST))
                .containsExactly("資産の役割: サーバ");
    }

    @Test
    void every_value_a_shipped_criterion_tests_has_words_for_people() {
        // a criterion matching a value this file does not translate would put an English word in a Japanese notice
        for (Criterion c : ShippedConfig.criteria().criteria()) {
            for (Condition cond : c.match()) {
                if (cond.op() != Condition.Op.ANY_OF || cond.field().equals("app") || cond.field().startsWith("win.")
                        || cond.field().equals("av.signature")) {
                    continue;
                }
                assertThat(FactWording.label(cond.field())).as("words for the field %s (%s)", cond.field(), c.id()).isNotNull();
                for (String v : cond.values()) {
                    assertThat(FactWording.value(cond.field(), v)).as("words for %s=%s (%s)", cond.field(), v, c.id()).isNotEqualTo(v);
                }
            }
        }
    }
}
