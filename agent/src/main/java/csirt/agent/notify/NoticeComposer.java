package csirt.agent.notify;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import csirt.agent.asset.Asset;
import csirt.agent.cases.CaseChange;
import csirt.agent.cases.CaseEvent;
import csirt.agent.cases.CaseRecord;
import csirt.agent.triage.Category;
import csirt.agent.triage.Verdict;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

/**
 * Writes the Japanese plain-text e-mail for a case that was opened or escalated: what happened,
 * which criterion and Annex example decided it, the host, the evidence reference and the raw
 * lines, and what the plan says to do next.
 *
 * <p>Nothing from a log line can become a header: text that goes into the subject is stripped of
 * CR, LF and other control characters; raw lines in the body are quoted and made visible.
 */
public final class NoticeComposer {

    /** Raw lines quoted in a notice at most; the rest are in the journal. */
    public static final int MAX_RAW_LINES = 20;
    private static final int MAX_RAW_LINE_CHARS = 1000;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss z");

    private volatile Contacts contacts;
    private final ZoneId zone;
    private final String hostName;
    private final Session session = Session.getInstance(new Properties());

    /** @param hostName the agent's host, used in Message-IDs */
    public NoticeComposer(Contacts contacts, ZoneId zone, String hostName) {
        this.contacts = contacts;
        this.zone = zone;
        this.hostName = safeToken(hostName);
    }

    /** Puts reloaded contacts in force for the next notice. */
    public void contacts(Contacts reloaded) {
        this.contacts = reloaded;
    }

    /**
     * @param events   the case's events (journal order), for the raw lines
     * @param headSeq  the journal's last sequence number when the notice is written
     * @param headHash the journal's chain head hash (the outside witness, DESIGN "Evidence")
     */
    public Notice compose(CaseChange change, List<CaseEvent> events, long headSeq, String headHash) {
        CaseRecord c = change.caseRecord();
        Verdict v = change.verdict();
        String kind = change.kind() == CaseChange.Kind.ESCALATED ? "escalated" : "opened";
        String messageId = "<" + c.displayId() + "." + kind + "." + c.level() + "." + System.currentTimeMillis()
                + "@" + hostName + ">";
        try {
            MimeMessage m = new FixedIdMimeMessage(session, messageId);
            m.setFrom(contacts.from());
            List<InternetAddress> to = new ArrayList<>();
            for (Contacts.Contact r : contacts.recipients(c.level())) {
                to.add(r.address());
            }
            m.setRecipients(Message.RecipientType.TO, to.toArray(new InternetAddress[0]));
            m.setSubject(subject(c, v), "UTF-8");
            m.setSentDate(java.util.Date.from(Instant.now()));
            m.setHeader("X-CSIRT-Case", c.displayId());
            m.setHeader("X-CSIRT-Level", Integer.toString(c.level()));
            if (change.kind() == CaseChange.Kind.ESCALATED && c.firstNoticeId() != null) {
                m.setHeader("In-Reply-To", c.firstNoticeId());
                m.setHeader("References", c.firstNoticeId());
            }
            m.setText(body(change, events, headSeq, headHash), "UTF-8");
            m.saveChanges();
            return new Notice(c.id(), kind, c.level(), messageId, m);
        } catch (MessagingException e) {
            throw new IllegalStateException("Cannot compose the notice of case " + c.displayId() + ": " + e.getMessage(), e);
        }
    }

    /** {@code [CSIRT][レベル2][サイバー攻撃] C-000001 host: title}, with log-supplied parts made safe. */
    public static String subject(CaseRecord c, Verdict v) {
        Category cat = Category.of(c.category());
        return "[CSIRT][レベル" + c.level() + "][" + (cat == null ? c.category() : cat.japanese()) + "] "
                + c.displayId() + " " + oneLine(c.host(), 64) + ": " + oneLine(c.title(), 120);
    }

    private String body(CaseChange change, List<CaseEvent> events, long headSeq, String headHash) {
        CaseRecord c = change.caseRecord();
        Verdict v = change.verdict();
        Category cat = Category.of(c.category());
        StringBuilder b = new StringBuilder();
        b.append("CSIRT 窓口（PoC）各位\n\n");
        if (change.kind() == CaseChange.Kind.ESCALATED) {
            b.append("案件 ").append(c.displayId()).append(" のレベルをレベル").append(change.previousLevel())
                    .append("からレベル").append(c.level()).append("に引き上げました。\n\n");
        } else {
            b.append("csirt-agent がインシデントを検知し、案件 ").append(c.displayId()).append(" を起票しました。\n\n");
        }
        b.append("■ 案件\n");
        line(b, "案件番号", c.displayId());
        line(b, "レベル", c.level() + "（" + Category.levelJapanese(c.level()) + "）");
        line(b, "区分", cat == null ? c.category() : cat.japanese());
        line(b, "判定基準", v.criterionId() + " " + oneLine(v.title(), 200));
        line(b, "別表1の事例", v.annexId() + "「" + v.annexText() + "」");
        line(b, "判定の根拠", "");
        for (String fact : v.facts()) {
            b.append("    - ").append(visible(fact, 300)).append('\n');
        }
        b.append("\n■ 対象\n");
        Asset a = v.asset();
        line(b, "ホスト", oneLine(v.event().host(), 128));
        line(b, "資産情報", a.known() ? describe(a) : "資産台帳に未登録（既定値: " + describe(a) + "）");
        if (!a.contractor().isEmpty()) {
            line(b, "運用事業者", oneLine(a.contractor(), 200) + "（計画4(2)②: 警報を発した機器を特定し運用事業者に確認）");
        }
        line(b, "初回受信", format(c.firstSeen()));
        line(b, "最終受信", format(c.lastSeen()));
        line(b, "イベント数", Integer.toString(c.eventCount()));
        b.append("\n■ 証拠（ジャーナル）\n");
        List<String> seqs = new ArrayList<>();
        for (CaseEvent e : events) {
            seqs.add(Long.toString(e.journalSeq()));
        }
        line(b, "対象レコード", "seq " + String.join(", ", seqs));
        line(b, "チェーン先頭", "seq " + headSeq + " sha256 " + headHash);
        b.append("    （この値は改ざん検知の外部控えです。`csirt-agent evidence verify` で照合できます）\n");
        b.append("\n■ 受信したログ（原文、最大").append(MAX_RAW_LINES).append("行。制御文字は \\xNN で表示）\n");
        int n = 0;
        for (CaseEvent e : events) {
            if (n++ >= MAX_RAW_LINES) {
                b.append("    | …（残り ").append(events.size() - MAX_RAW_LINES).append(" 行はジャーナルを参照）\n");
                break;
            }
            b.append("    | seq ").append(e.journalSeq()).append(' ').append(visible(e.rawText(), MAX_RAW_LINE_CHARS)).append('\n');
        }
        b.append("\n■ 計画に定める次の対応\n");
        b.append("  1. 証拠保全: 封じ込めの前に、関係する端末・サーバ・ネットワーク機器のログと痕跡を収集・保全する（計画4(2)③(I)）。\n");
        b.append("  2. 事実確認: 警報を発した機器・システムを特定し、運用事業者に確認する（計画4(2)②(I)）。\n");
        b.append("  3. 対応方針を決め、封じ込め・根絶・復旧を行う。復旧後は再発を監視する（計画4(2)③）。\n");
        if (c.level() >= 2) {
            b.append("  4. 重大なインシデント: インシデント担当者はCSIRT管理者とCSIRT責任者に報告し、CSIRT責任者はCISOに報告する（計画4(2)④）。\n");
        } else {
            b.append("  4. インシデント担当者はトリアージ結果と対応状況をCSIRT管理者とCSIRT責任者に報告する（計画4(2)④）。\n");
        }
        b.append("\n-- \ncsirt-agent（このメールは自動送信です）\n");
        return b.toString();
    }

    private static String describe(Asset a) {
        return "役割 " + a.role() + "、" + (a.networked() ? "ネットワーク接続" : "スタンドアロン") + "、影響範囲 " + a.affects()
                + (a.location().isEmpty() ? "" : "、設置場所 " + oneLine(a.location(), 100));
    }

    private String format(Instant t) {
        return TIME.format(t.atZone(zone));
    }

    private static void line(StringBuilder b, String label, String value) {
        b.append("  ").append(label).append(": ").append(value).append('\n');
    }

    /** Text for a subject or a one-line field: control characters (CR and LF included) become spaces. */
    static String oneLine(String s, int max) {
        if (s == null) {
            return "-";
        }
        StringBuilder b = new StringBuilder(Math.min(s.length(), max));
        for (int i = 0; i < s.length() && b.length() < max; i++) {
            char ch = s.charAt(i);
            b.append(Character.isISOControl(ch) || ch == '\u2028' || ch == '\u2029' ? ' ' : ch);
        }
        return b.toString().strip();
    }

    /** A raw line made visible: control characters as \xNN, so it cannot break or fake mail structure. */
    static String visible(String s, int max) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && b.length() < max; i++) {
            char ch = s.charAt(i);
            if (Character.isISOControl(ch) || ch == '\u2028' || ch == '\u2029') {
                b.append(ch <= 0xFF ? String.format("\\x%02X", (int) ch) : String.format("\\u%04X", (int) ch));
            } else {
                b.append(ch);
            }
        }
        if (b.length() >= max) {
            b.append("…");
        }
        return b.toString();
    }

    private static String safeToken(String s) {
        String t = s == null ? "" : s.replaceAll("[^A-Za-z0-9.-]", "");
        return t.isEmpty() ? "csirt-agent.localhost" : t;
    }
}
