package csirt.agent.notify;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * Writes the plain-text notices (Japanese by default) from the templates of config/templates:
 * a case opened or escalated, updates on a case, the daily digest, and the warning when the hourly
 * cap holds updates back. Recipients follow the plan's reporting chain (4(2)④) by level.
 *
 * <p>Nothing from a log line can become a header: values that go into the subject are stripped of
 * CR, LF and other control characters, and the whole rendered subject once more; raw lines in the
 * body are quoted and their control characters made visible as {@code \xNN}.
 */
public final class NoticeComposer {

    /** Raw lines quoted in a notice at most; the rest are in the journal. */
    public static final int MAX_RAW_LINES = 20;
    /** Longest quoted raw line; longer ones are cut (the journal has them whole). */
    static final int MAX_RAW_LINE_CHARS = 500;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss z");

    private volatile Contacts contacts;
    private final NoticeTemplates templates;
    private final ZoneId zone;
    private final String hostName;
    private final String charset;
    private volatile String caseUrlBase;
    private final Session session = Session.getInstance(new Properties());

    /**
     * @param hostName    the agent's host, used in Message-IDs
     * @param charset     UTF-8, or ISO-2022-JP for old mail clients
     * @param caseUrlBase where the web console shows a case, e.g. http://127.0.0.1:9464/cases/
     */
    public NoticeComposer(Contacts contacts, NoticeTemplates templates, ZoneId zone, String hostName, String charset,
                          String caseUrlBase) {
        this.contacts = contacts;
        this.templates = templates;
        this.zone = zone;
        this.hostName = safeToken(hostName);
        this.charset = charset;
        this.caseUrlBase = caseUrlBase;
    }

    /** Where a case is shown, once the HTTP endpoint knows its port (a configured 0 is known only then). */
    public void caseUrlBase(String base) {
        this.caseUrlBase = base;
    }

    /** Puts reloaded contacts in force for the next notice. */
    public void contacts(Contacts reloaded) {
        this.contacts = reloaded;
    }

    /**
     * The notice of a case opened or escalated.
     *
     * @param events   the case's events (journal order), for the raw lines
     * @param headSeq  the journal's last sequence number when the notice is written
     * @param headHash the journal's chain head hash (the outside witness)
     */
    public Notice caseChange(CaseChange change, List<CaseEvent> events, long headSeq, String headHash) {
        CaseRecord c = change.caseRecord();
        Verdict v = change.verdict();
        boolean escalated = change.kind() == CaseChange.Kind.ESCALATED;
        Map<String, Object> m = caseModel(c, v.asset(), events, headSeq, headHash);
        m.put("previous_level", change.previousLevel());
        m.put("criterion_id", v.criterionId());
        m.put("title", oneLine(v.title(), 120));
        m.put("annex_id", v.annexId());
        m.put("annex_text", v.annexText());
        List<String> facts = new ArrayList<>();
        for (String f : v.facts()) {
            facts.add(visible(f, 300));
        }
        m.put("facts", facts);
        NoticeTemplates.Kind kind = escalated ? NoticeTemplates.Kind.ESCALATED : NoticeTemplates.Kind.OPENED;
        return build(c.id(), kind, c.level(), m, escalated ? c.firstNoticeId() : null);
    }

    /** An update: {@code newEvents} more events arrived on the case since its last notice. */
    public Notice update(CaseRecord c, Asset asset, int newEvents, Instant since, List<CaseEvent> latest, long headSeq,
                         String headHash) {
        Map<String, Object> m = caseModel(c, asset, latest, headSeq, headHash);
        m.put("new_events", newEvents);
        m.put("since", format(since));
        m.put("criterion_id", c.criterionId());
        m.put("title", oneLine(c.title(), 120));
        m.put("annex_id", c.annexId());
        return build(c.id(), NoticeTemplates.Kind.UPDATE, c.level(), m, c.firstNoticeId());
    }

    /** The daily digest: level-0 counts by criterion, the open cases, the chain head. */
    public Notice digest(Map<String, Long> levelZeroByCriterion, List<CaseRecord> open, long headSeq, String headHash,
                         Instant from, Instant to, int outboxDepth) {
        Map<String, Object> m = new LinkedHashMap<>();
        List<Map<String, Object>> counts = new ArrayList<>();
        levelZeroByCriterion.forEach((k, n) -> counts.add(Map.of("criterion", k, "count", n)));
        m.put("level0", counts);
        m.put("level0_total", levelZeroByCriterion.values().stream().mapToLong(Long::longValue).sum());
        List<Map<String, Object>> cases = new ArrayList<>();
        for (CaseRecord c : open) {
            Category cat = Category.of(c.category());
            cases.add(Map.of("case_id", c.displayId(), "level", c.level(), "category_name", cat == null ? c.category() : cat.japanese(),
                    "title", oneLine(c.title(), 120), "host", oneLine(c.host(), 64), "events", c.eventCount(),
                    "last_seen", format(c.lastSeen()), "state", c.state()));
        }
        m.put("open_cases", cases);
        m.put("open_count", open.size());
        m.put("chain_seq", headSeq);
        m.put("chain_hash", headHash);
        m.put("from", format(from));
        m.put("to", format(to));
        m.put("outbox_depth", outboxDepth);
        m.put("date", to.atZone(zone).toLocalDate().toString());
        return build(0, NoticeTemplates.Kind.DIGEST, 0, m, null);
    }

    /** A manual report triaged as not an incident: to the CSIRT manager (plan 4(2)②(III)). */
    public Notice notAnIncident(CaseRecord c, String reporterKind, String reporterContact, String annexText) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("case_id", c.displayId());
        m.put("title", oneLine(c.title(), 200));
        m.put("reporter_kind", oneLine(reporterKind, 64));
        m.put("reporter_contact", oneLine(reporterContact, 200));
        m.put("criterion_id", c.criterionId());
        m.put("annex_id", c.annexId());
        m.put("annex_text", annexText);
        m.put("first_seen", format(c.firstSeen()));
        return build(c.id(), NoticeTemplates.Kind.NOT_INCIDENT, 0, m, null, List.of(contacts.notAnIncident()));
    }

    /** One warning that the hourly cap holds level-1 updates back. */
    public Notice capWarning(int cap, int casesWaiting) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cap", cap);
        m.put("cases_waiting", casesWaiting);
        m.put("now", format(Instant.now()));
        return build(0, NoticeTemplates.Kind.CAP_WARNING, 1, m, null);
    }

    private Map<String, Object> caseModel(CaseRecord c, Asset a, List<CaseEvent> events, long headSeq, String headHash) {
        Category cat = Category.of(c.category());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("case_id", c.displayId());
        m.put("case_url", caseUrlBase + c.displayId());
        m.put("level", c.level());
        m.put("level_name", Category.levelJapanese(c.level()));
        m.put("level2", c.level() >= 2);
        m.put("category_name", cat == null ? c.category() : cat.japanese());
        m.put("host", oneLine(c.host(), 64));
        if (a != null) {
            m.put("asset_known", a.known());
            m.put("asset", (a.known() ? "" : "資産台帳に未登録（既定値）: ") + describe(a));
            m.put("contractor", a.contractor().isEmpty() ? null : oneLine(a.contractor(), 200));
        }
        m.put("first_seen", format(c.firstSeen()));
        m.put("last_seen", format(c.lastSeen()));
        m.put("event_count", c.eventCount());
        List<String> seqs = new ArrayList<>();
        List<Map<String, Object>> raw = new ArrayList<>();
        for (CaseEvent e : events) {
            seqs.add(Long.toString(e.journalSeq()));
            if (raw.size() < MAX_RAW_LINES) {
                raw.add(Map.of("seq", e.journalSeq(), "line", visible(e.rawText(), MAX_RAW_LINE_CHARS)));
            }
        }
        m.put("seqs", String.join(", ", seqs));
        m.put("raw_lines", raw);
        int more = Math.max(0, c.eventCount() - raw.size());
        m.put("more_lines", more > 0 ? more : null);
        m.put("chain_seq", headSeq);
        m.put("chain_hash", headHash);
        return m;
    }

    private Notice build(long caseId, NoticeTemplates.Kind kind, int level, Map<String, Object> model, String threadOn) {
        return build(caseId, kind, level, model, threadOn, contacts.recipients(level));
    }

    private Notice build(long caseId, NoticeTemplates.Kind kind, int level, Map<String, Object> model, String threadOn,
                         List<Contacts.Contact> recipients) {
        NoticeTemplates.Rendered r = templates.render(kind, model);
        String messageId = "<" + (caseId > 0 ? CaseRecord.displayId(caseId) : "csirt") + "." + kind.id() + "." + level + "."
                + System.nanoTime() + "@" + hostName + ">";
        try {
            MimeMessage m = new FixedIdMimeMessage(session, messageId);
            m.setFrom(contacts.from());
            List<InternetAddress> to = new ArrayList<>();
            for (Contacts.Contact c : recipients) {
                to.add(c.address());
            }
            m.setRecipients(Message.RecipientType.TO, to.toArray(new InternetAddress[0]));
            boolean jis = "ISO-2022-JP".equalsIgnoreCase(charset);
            m.setSubject(jis ? JisText.safe(r.subject()) : r.subject(), charset);
            m.setSentDate(java.util.Date.from(Instant.now()));
            if (caseId > 0) {
                m.setHeader("X-CSIRT-Case", CaseRecord.displayId(caseId));
            }
            m.setHeader("X-CSIRT-Level", Integer.toString(level));
            m.setHeader("X-CSIRT-Kind", kind.id());
            if (threadOn != null) {
                m.setHeader("In-Reply-To", threadOn);
                m.setHeader("References", threadOn);
            }
            String body = wrap(r.body());
            m.setText(jis ? JisText.safe(body) : body, charset);
            if (jis) {
                // ISO-2022-JP is a 7-bit encoding and old clients expect it sent as such (RFC 1468)
                m.setHeader("Content-Transfer-Encoding", "7bit");
            }
            m.saveChanges();
            return new Notice(caseId, kind.id(), level, messageId, m);
        } catch (MessagingException e) {
            throw new IllegalStateException("Cannot compose the " + kind.id() + " notice: " + e.getMessage(), e);
        }
    }

    /** Longest body line in characters: 300 Japanese characters stay under RFC 5322's 998 octets even in ISO-2022-JP. */
    static final int MAX_LINE_CHARS = 300;

    /** Cuts body lines longer than {@link #MAX_LINE_CHARS}; the rest goes on a marked continuation line. */
    static String wrap(String body) {
        StringBuilder b = new StringBuilder(body.length() + 16);
        for (String line : body.split("\n", -1)) {
            if (b.length() > 0) {
                b.append('\n');
            }
            while (line.length() > MAX_LINE_CHARS) {
                b.append(line, 0, MAX_LINE_CHARS).append("\n      ↳ ");
                line = line.substring(MAX_LINE_CHARS);
            }
            b.append(line);
        }
        return b.toString();
    }

    /** The exact bytes of a notice as it goes to the SMTP server or into an .eml file. */
    public static byte[] bytes(Notice n) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            n.message().writeTo(out);
            return out.toByteArray();
        } catch (IOException | MessagingException e) {
            throw new IllegalStateException("Cannot write the notice " + n.messageId() + ": " + e.getMessage(), e);
        }
    }

    /** The subject as the opened notice has it, for logs and tests. */
    public static String subject(CaseRecord c) {
        Category cat = Category.of(c.category());
        return "[CSIRT][レベル" + c.level() + "][" + (cat == null ? c.category() : cat.japanese()) + "] "
                + c.displayId() + " " + oneLine(c.host(), 64) + ": " + oneLine(c.title(), 120);
    }

    private static String describe(Asset a) {
        return "役割 " + a.role() + "、" + (a.networked() ? "ネットワーク接続" : "スタンドアロン") + "、影響範囲 " + a.affects()
                + (a.location().isEmpty() ? "" : "、設置場所 " + oneLine(a.location(), 100));
    }

    private String format(Instant t) {
        return t == null ? "-" : TIME.format(t.atZone(zone));
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
        return csirt.agent.util.ControlText.visible(s, max);
    }

    private static String safeToken(String s) {
        String t = s == null ? "" : s.replaceAll("[^A-Za-z0-9.-]", "");
        return t.isEmpty() ? "csirt-agent.localhost" : t;
    }
}
