package csirt.agent.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import csirt.agent.cases.CaseChange;
import csirt.agent.cases.CaseEvent;
import csirt.agent.cases.CaseRecord;
import csirt.agent.journal.Receipt;
import csirt.agent.parse.EventParser;
import csirt.agent.triage.ShippedConfig;
import csirt.agent.triage.TriageEngine;
import csirt.agent.triage.Verdict;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;

/** The notice as a mail parser reads it: Japanese decodes, nothing from a log line becomes a header. */
class NoticeComposerTest {

    private final Contacts contacts = Contacts.load(Path.of("config/contacts.yaml"), new ArrayList<>());
    private final NoticeTemplates templates = NoticeTemplates.load(Path.of("config/templates"), "ja", new ArrayList<>());
    private final NoticeComposer composer = new NoticeComposer(contacts, templates, ZoneId.of("Asia/Tokyo"), "loghost.example",
            "UTF-8", "http://127.0.0.1:9464/cases/");

    private Verdict verdict(String line) {
        TriageEngine engine = new TriageEngine(ShippedConfig.criteria(), ShippedConfig.assets());
        Receipt r = new Receipt(Instant.parse("2026-11-26T09:00:00Z"), "syslog-tcp", "tcp", "192.0.2.1", 1);
        List<Verdict> v = new ArrayList<>(engine.evaluate(new EventParser(ZoneId.of("Asia/Tokyo"))
                .parse(7, r, line.getBytes(StandardCharsets.UTF_8), EventParser.Source.SYSLOG)));
        v.addAll(engine.tick(Instant.parse("2026-11-27T00:00:00Z")));
        return v.get(0);
    }

    private static CaseRecord caseOf(Verdict v, int level) {
        Instant t = v.event().receipt().receivedAt();
        return new CaseRecord(42, v.caseKey(), v.category().id(), level, "triaged", v.title(), v.criterionId(), v.annexId(),
                v.event().host(), t, t, t, 1, null, 0, null);
    }

    private static MimeMessage reparse(Notice n) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        n.message().writeTo(out);
        return new MimeMessage(Session.getInstance(new java.util.Properties()), new ByteArrayInputStream(out.toByteArray()));
    }

    @Test
    void the_subject_and_body_are_japanese_and_decode() throws Exception {
        Verdict v = verdict("<27>Nov 26 18:00:00 files01 systemd[1]: smbd.service: Failed with result 'exit-code'.");
        CaseRecord c = caseOf(v, 1);
        Notice n = composer.caseChange(new CaseChange(CaseChange.Kind.OPENED, c, v, 0),
                List.of(new CaseEvent(7, c.firstSeen(), "files01", "SVC-010", 1, "", v.event().text())), 7, "ab".repeat(32));
        MimeMessage m = reparse(n);
        assertThat(m.getSubject()).isEqualTo("[CSIRT][レベル1][情報システムの停止等] C-000042 files01: サーバのサービス障害（一部職員の業務に影響）");
        assertThat(m.getMessageID()).isEqualTo(n.messageId()).matches("<C-000042\\.opened\\.1\\.\\d+@loghost\\.example>");
        assertThat(m.getAllRecipients()).extracting(Object::toString).containsExactly("csirt-poc@localhost");
        String body = (String) m.getContent();
        assertThat(body).contains("案件番号: C-000042")
                .contains("レベル: 1（軽微なインシデント）")
                .contains("別表1の事例: outage.1.1「情報システム等の障害で、サービスには影響が無いが、一部職員の業務に影響を及ぼすもの」")
                .contains("運用事業者: 株式会社サンプル運用 保守窓口 029-000-0000")
                .contains("初回受信: 2026-11-26 18:00:00 JST")
                .contains("チェーン先頭（記録番号:SHA-256）: 7:" + "ab".repeat(32))
                .contains("    | 記録 7: <27>Nov 26 18:00:00 files01 systemd[1]: smbd.service: Failed with result 'exit-code'.")
                .contains("詳細（CSIRT 案件管理画面）: http://127.0.0.1:9464/cases/C-000042");
    }

    @Test
    void crlf_in_a_log_line_cannot_add_a_header() throws Exception {
        String evil = "<11>Nov 26 18:00:00 web01\r\nBcc: attacker@example.com\r\nX-Evil: 1 clamd[1]: /srv/x\r\nBcc: a@b: Sig FOUND";
        Verdict v = verdict(evil);
        CaseRecord c = new CaseRecord(1, "k", "cyber", 2, "triaged", "T\r\nBcc: attacker@example.com", "AV-021", "cyber.2.3",
                "web01\r\nBcc: attacker@example.com", Instant.now(), Instant.now(), Instant.now(), 1, null, 0, null);
        Notice n = composer.caseChange(new CaseChange(CaseChange.Kind.OPENED, c, v, 0),
                List.of(new CaseEvent(1, Instant.now(), "web01", "AV-021", 2, "", evil)), 1, "00".repeat(32));
        MimeMessage m = reparse(n);
        assertThat(m.getHeader("Bcc")).isNull();
        assertThat(m.getHeader("X-Evil")).isNull();
        assertThat(m.getAllRecipients()).extracting(Object::toString).doesNotContain("attacker@example.com").hasSize(3);
        assertThat(m.getSubject()).doesNotContain("\r").doesNotContain("\n");
        String body = (String) m.getContent();
        assertThat(body).contains("web01\\x0D\\x0ABcc: attacker@example.com\\x0D\\x0AX-Evil");
    }

    @Test
    void an_escalation_is_threaded_on_the_first_notice_and_goes_to_the_level_two_recipients() throws Exception {
        Verdict v = verdict("<11>Nov 26 18:00:00 web01 clamd[1]: /srv/x: Sig FOUND");
        Instant t = Instant.now();
        CaseRecord c = new CaseRecord(3, "cyber:Sig", "cyber", 2, "triaged", "t", "AV-020", "cyber.2.3", "web01", t, t, t, 3,
                "<C-000003.opened.1.1@loghost.example>", 0, null);
        Notice n = composer.caseChange(new CaseChange(CaseChange.Kind.ESCALATED, c, v, 1), Collections.emptyList(), 9, "11".repeat(32));
        assertThat(n.kind()).isEqualTo("escalated");
        MimeMessage m = reparse(n);
        assertThat(m.getHeader("In-Reply-To")[0]).isEqualTo("<C-000003.opened.1.1@loghost.example>");
        assertThat(m.getHeader("References")[0]).isEqualTo("<C-000003.opened.1.1@loghost.example>");
        assertThat((String) m.getContent()).contains("案件 C-000003 のレベルをレベル1からレベル2（重大なインシデント）に引き上げました。")
                .contains("CSIRT責任者は被害の程度と影響範囲に応じてCISOに報告する");
        assertThat(m.getSubject()).isEqualTo("[CSIRT][レベル2][サイバー攻撃] C-000003 web01: レベル1→2 サーバ又はネットワーク機器でウイルスを検知");
        // level 2 goes up the reporting chain (plan 4(2)④)
        assertThat(m.getAllRecipients()).extracting(Object::toString)
                .containsExactly("csirt-poc@localhost", "csirt-manager@localhost", "csirt-responsible@localhost");
    }

    @Test
    void iso_2022_jp_is_selectable_and_decodes() throws Exception {
        NoticeComposer jis = new NoticeComposer(contacts, templates, ZoneId.of("Asia/Tokyo"), "loghost.example", "ISO-2022-JP",
                "http://127.0.0.1:9464/cases/");
        Verdict v = verdict("<27>Nov 26 18:00:00 files01 systemd[1]: smbd.service: Failed with result 'exit-code'.");
        Notice n = jis.caseChange(new CaseChange(CaseChange.Kind.OPENED, caseOf(v, 1), v, 0), List.of(), 7, "ab".repeat(32));
        byte[] raw = NoticeComposer.bytes(n);
        String wire = new String(raw, java.nio.charset.StandardCharsets.US_ASCII);
        assertThat(wire).contains("Content-Type: text/plain; charset=ISO-2022-JP").contains("Content-Transfer-Encoding: 7bit")
                .contains("=?ISO-2022-JP?");
        for (byte b : raw) {
            assertThat(b & 0x80).as("7-bit only").isZero();
        }
        for (String line : wire.split("\r?\n")) {
            assertThat(line.length()).as("RFC 5322 line length: %s", line.substring(0, Math.min(200, line.length()))).isLessThanOrEqualTo(998);
        }
        MimeMessage m = reparse(n);
        assertThat(m.getSubject()).startsWith("[CSIRT][レベル1][情報システムの停止等] C-000042 files01:");
        assertThat((String) m.getContent()).contains("計画4(2)(2)").contains("証拠保全");
    }

    @Test
    void a_spread_notice_lists_every_hosts_detection_and_its_facts_as_sentences() throws Exception {
        TriageEngine engine = new TriageEngine(ShippedConfig.criteria(), ShippedConfig.assets());
        EventParser parser = new EventParser(ZoneId.of("Asia/Tokyo"));
        List<Verdict> all = new ArrayList<>();
        int seq = 1;
        for (String host : List.of("pc-01", "pc-03", "pc-02")) {
            Receipt r = new Receipt(Instant.parse("2026-11-26T09:00:0" + seq + "Z"), "syslog-tcp", "tcp", "192.0.2.1", 1);
            String line = "<11>Nov 26 18:00:0" + seq + " " + host + " clamd[9]: /tmp/x.exe: Win.Trojan.Agent-1 FOUND";
            all.addAll(engine.evaluate(parser.parse(seq++, r, line.getBytes(StandardCharsets.UTF_8), EventParser.Source.SYSLOG)));
        }
        Verdict spread = all.stream().filter(v -> v.level() == 2).findFirst().orElseThrow();
        CaseRecord c = caseOf(spread, 2);
        // the case holds the spread's own event only: the other two detections are still held by the engine
        Notice n = composer.caseChange(new CaseChange(CaseChange.Kind.OPENED, c, spread, 0),
                List.of(new CaseEvent(3, c.firstSeen(), "pc-02", "AV-020", 2, "", spread.event().text())), 3, "ab".repeat(32));
        String body = (String) reparse(n).getContent();
        assertThat(body).contains("イベント数: 3").contains("対象の記録番号: 1, 2, 3")
                .contains("| 記録 1: <11>Nov 26 18:00:01 pc-01 clamd[9]")
                .contains("| 記録 2: <11>Nov 26 18:00:02 pc-03 clamd[9]")
                .contains("| 記録 3: <11>Nov 26 18:00:03 pc-02 clamd[9]")
                .contains("- 1時間以内に3台（pc-01, pc-02, pc-03）で同一の検知名「Win.Trojan.Agent-1」（判定の基準: 3台以上）")
                .doesNotContain("distinct").doesNotContain("threshold").doesNotContain("av.signature");
        assertThat(body.lines().filter(l -> l.endsWith("各位") || l.endsWith(" 様")).toList())
                .containsExactly("CSIRT 窓口（PoC）各位", "CSIRT管理者 様", "CSIRT責任者 様");
    }

    @Test
    void without_a_base_url_the_notice_names_the_command_not_a_loopback_link() throws Exception {
        NoticeComposer plain = new NoticeComposer(contacts, templates, ZoneId.of("Asia/Tokyo"), "loghost.example", "UTF-8", null);
        Verdict v = verdict("<27>Nov 26 18:00:00 files01 systemd[1]: smbd.service: Failed with result 'exit-code'.");
        String body = (String) reparse(plain.caseChange(new CaseChange(CaseChange.Kind.OPENED, caseOf(v, 1), v, 0), List.of(), 7,
                "ab".repeat(32))).getContent();
        assertThat(body).contains("詳細の確認: ログサーバで csirt-agent cases show C-000042 を実行").doesNotContain("http");
    }

    @Test
    void a_report_from_a_citizen_not_yet_called_back_says_unverified_in_the_subject_and_at_the_top() throws Exception {
        String line = new csirt.agent.intake.ManualReport("citizen", "山田 029-000-1111", false, null, "cyber",
                "ホームページが改ざんされているとの電話", null, java.util.Map.of(), "cyber.2.1",
                java.util.Map.of("callback_number", "029-000-1111")).line();
        Receipt r = new Receipt(Instant.parse("2026-11-26T09:00:00Z"), "intake", "manual", "-", 0);
        csirt.agent.parse.Event e = new csirt.agent.parse.Event(5, r, csirt.agent.parse.Format.UNPARSED, -1, -1, null, "intake", "intake",
                null, null, null, "ホームページが改ざんされているとの電話", line, null, null, java.util.Map.of());
        Verdict v = new Verdict(e, null, "MANUAL", "ホームページが改ざんされているとの電話", csirt.agent.triage.Category.CYBER, 2,
                "cyber.2.1", "情報システム等から外部に向けた攻撃を行っている形跡が確認された場合",
                List.of("the handler's decision on a report from citizen"), "cyber:report:5", List.of(), List.of(), "h", 0, 0);
        Notice n = composer.caseChange(new CaseChange(CaseChange.Kind.OPENED, caseOf(v, 2), v, 0), List.of(), 5, "ab".repeat(32));
        assertThat(n.kind()).isEqualTo("reported");
        MimeMessage m = reparse(n);
        assertThat(m.getSubject()).isEqualTo("[CSIRT][レベル2][サイバー攻撃]【未確認】 C-000042 報告（市民等）: ホームページが改ざんされているとの電話");
        String body = (String) m.getContent();
        assertThat(body.lines().filter(l -> !l.isBlank()).skip(3).findFirst().orElseThrow()).startsWith("【未確認】");
        assertThat(body).contains("連絡先: 山田 029-000-1111")
                .contains("- 折り返し先の電話番号（組織の場合は調べた代表番号）: 029-000-1111")
                .contains("- 折り返しの連絡をして虚偽でない通報と確認した（メールの通報も電話で確認）: 未記録")
                .contains("判定: インシデントハンドラーの判断")
                .contains("通報者の連絡先を控え、折り返しの連絡を行う")
                .doesNotContain("検知し").doesNotContain("citizen").doesNotContain("MANUAL");
    }

    @Test
    void iso_2022_jp_carries_half_width_katakana_and_falls_back_to_utf8_for_what_jis_lacks() throws Exception {
        NoticeComposer jis = new NoticeComposer(contacts, templates, ZoneId.of("Asia/Tokyo"), "loghost.example", "ISO-2022-JP", null);
        Verdict v = verdict("<27>Nov 26 18:00:00 files01 systemd[1]: smbd.service: Failed with result 'exit-code'. ﾃｽﾄﾃﾞｰﾀ");
        Notice n = jis.caseChange(new CaseChange(CaseChange.Kind.OPENED, caseOf(v, 1), v, 0),
                List.of(new CaseEvent(7, Instant.now(), "files01", "SVC-010", 1, "", v.event().text())), 7, "ab".repeat(32));
        assertThat(new String(NoticeComposer.bytes(n), StandardCharsets.US_ASCII)).contains("charset=ISO-2022-JP");
        assertThat((String) reparse(n).getContent()).contains("テストデータ").doesNotContain("?");
        // 髙 is not in JIS X 0208: this notice goes in UTF-8 rather than show '?' for a name
        Verdict taka = verdict("<27>Nov 26 18:00:00 files01 systemd[1]: smbd.service: Failed with result 'exit-code'. 髙橋");
        Notice u = jis.caseChange(new CaseChange(CaseChange.Kind.OPENED, caseOf(taka, 1), taka, 0),
                List.of(new CaseEvent(7, Instant.now(), "files01", "SVC-010", 1, "", taka.event().text())), 7, "ab".repeat(32));
        assertThat(new String(NoticeComposer.bytes(u), StandardCharsets.US_ASCII)).contains("charset=UTF-8");
        assertThat((String) reparse(u).getContent()).contains("髙橋");
    }
}
