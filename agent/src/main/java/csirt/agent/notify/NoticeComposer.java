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
import csirt.agent.cases.CaseState;
import csirt.agent.cases.CaseStore;
import csirt.agent.cases.LegalClock;
import csirt.agent.intake.ManualReport;
import csirt.agent.intake.ReporterChecks;
import csirt.agent.triage.Category;
import csirt.agent.triage.FactWording;
import csirt.agent.triage.Verdict;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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

    private static final Logger LOG = LoggerFactory.getLogger(NoticeComposer.class);

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
    private final String caseUrlBase;
    private final Session session = Session.getInstance(new Properties());

    /**
     * @param hostName    the agent's host, used in Message-IDs
     * @param charset     UTF-8, or ISO-2022-JP for old mail clients
     * @param caseUrlBase where the notices' recipients open a case in the web console, e.g.
     *                    https://logserver.example.lg.jp:9443/cases/; null: the notice names the command
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

    private volatile int reviewMonths = 6;

    /** How old the contact list's review may be before the digest reminds (contacts.review-months). */
    public void reviewContactsEvery(int months) {
        this.reviewMonths = months;
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
        Map<String, Object> m = caseModel(c, v.asset(), related(v, events), headSeq, headHash);
        if (!v.relatedSeqs().isEmpty()) {
            java.util.TreeSet<Long> all = new java.util.TreeSet<>(v.relatedSeqs());
            events.forEach(e -> all.add(e.journalSeq()));
            m.put("seqs", String.join(", ", all.stream().map(String::valueOf).toList()));
        }
        m.put("previous_level", change.previousLevel());
        m.put("criterion_id", "MANUAL".equals(v.criterionId()) ? "インシデントハンドラーの判断" : v.criterionId());
        m.put("title", oneLine(v.title(), 120));
        m.put("annex_id", v.annexId());
        m.put("annex_text", v.annexText());
        List<String> facts = facts(v.facts(), c.category());
        m.put("facts", facts);
        m.put("has_facts", !facts.isEmpty());
        if (!escalated && v.event().receipt().input().endsWith("intake")) {
            ManualReport r = ManualReport.fromLine(v.event().text());
            if (r != null) {
                reportModel(m, r, c);
                return build(c.id(), NoticeTemplates.Kind.REPORTED, c.level(), m, null);
            }
        }
        NoticeTemplates.Kind kind = escalated ? NoticeTemplates.Kind.ESCALATED : NoticeTemplates.Kind.OPENED;
        return build(c.id(), kind, c.level(), m, escalated ? c.firstNoticeId() : null);
    }

    /**
     * The events a notice shows: the case's own, and for a spread every host's detection that made
     * the decision (some are still held and in no case yet), in journal order.
     */
    private static List<CaseEvent> related(Verdict v, List<CaseEvent> events) {
        if (v.relatedSeqs().isEmpty()) {
            return events;
        }
        Map<Long, CaseEvent> bySeq = new java.util.TreeMap<>();
        for (CaseEvent e : events) {
            bySeq.put(e.journalSeq(), e);
        }
        for (int i = 0; i < v.relatedSeqs().size(); i++) {
            long seq = v.relatedSeqs().get(i);
            String line = i < v.relatedLines().size() ? v.relatedLines().get(i) : "";
            if (!line.isEmpty()) { // a count of events keeps no lines: the journal has them (listed below by seq)
                bySeq.putIfAbsent(seq, new CaseEvent(seq, null, null, null, 0, null, line));
            }
        }
        return new ArrayList<>(bySeq.values());
    }

    /** A verdict's facts for the notice's language: sentences in Japanese, the engine's own words otherwise. */
    private List<String> facts(List<String> facts, String category) {
        List<String> out = new ArrayList<>();
        for (String f : "ja".equals(templates.language()) ? FactWording.sentences(facts, category, zone) : facts) {
            out.add(visible(f, 300));
        }
        return out;
    }

    /** Who reported what and how to reach them, whether the plan's check was done, and what comes next for that reporter. */
    private void reportModel(Map<String, Object> m, ManualReport r, CaseRecord c) {
        m.put("reporter_kind", english() ? ENGLISH.getOrDefault("reporter." + r.reporterKind(), r.reporterKind())
                : FactWording.reporter(r.reporterKind()));
        m.put("reporter_contact", oneLine(r.reporterContact(), 200));
        m.put("summary", oneLine(r.summary(), 300));
        m.put("unverified", r.needsVerification());
        m.put("verification", r.needsVerification() ? null
                : r.verified() ? "確認済み" + (r.verification() == null ? "" : "（" + oneLine(r.verification(), 200) + "）") : null);
        List<String> checks = new ArrayList<>();
        for (ReporterChecks.Check k : ReporterChecks.forKind(r.reporterKind())) {
            String a = r.checks().get(k.id());
            checks.add(k.question() + ": " + (a == null || a.isBlank() ? "未記録" : k.yesNo() ? ("true".equals(a) ? "済" : "未実施") : oneLine(a, 200)));
        }
        m.put("checks", checks);
        m.put("plan_step", ReporterChecks.planStep(r.reporterKind()));
        List<String> answers = new ArrayList<>();
        r.facts().forEach((k, v) -> {
            String label = FactWording.label(k);
            if (label != null) {
                answers.add(label + ": " + FactWording.value(k, v));
            }
        });
        m.put("answers", answers);
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
        return digest(levelZeroByCriterion, open, List.of(), List.of(), headSeq, headHash, from, to, outboxDepth);
    }

    /**
     * As above, with the open cases nobody has acted on yet and how long each has waited, and the
     * inventory's assets that never sent a message.
     */
    public Notice digest(Map<String, Long> levelZeroByCriterion, List<CaseRecord> open, List<CaseRecord> unacknowledged,
                         List<String> neverSent, long headSeq, String headHash, Instant from, Instant to, int outboxDepth) {
        Map<String, Object> m = new LinkedHashMap<>();
        List<String> quiet = new ArrayList<>();
        neverSent.forEach(h -> quiet.add(oneLine(h, 64)));
        m.put("never_sent", quiet);
        Contacts now = contacts;
        if (now.reviewDue(to.atZone(zone).toLocalDate(), reviewMonths)) {
            m.put("contacts_review", now.reviewed() == null ? "連絡先（contacts.yaml）の見直し日が記録されていません"
                    : "連絡先（contacts.yaml）の最後の見直しは " + now.reviewed() + " で、" + reviewMonths + "か月を過ぎています");
        }
        m.put("never_sent_count", quiet.size());
        List<Map<String, Object>> waiting = new ArrayList<>();
        for (CaseRecord c : unacknowledged) {
            waiting.add(Map.of("case_id", c.displayId(), "level", c.level(), "title", oneLine(c.title(), 120), "host", oneLine(c.host(), 64),
                    "age", span(java.time.Duration.between(c.openedAt(), to))));
        }
        m.put("unacknowledged", waiting);
        m.put("unacknowledged_count", waiting.size());
        List<Map<String, Object>> counts = new ArrayList<>();
        levelZeroByCriterion.forEach((k, n) -> counts.add(Map.of("criterion", oneLine(k, 160), "count", n)));
        m.put("level0", counts);
        m.put("level0_total", levelZeroByCriterion.values().stream().mapToLong(Long::longValue).sum());
        List<Map<String, Object>> cases = new ArrayList<>();
        for (CaseRecord c : open) {
            cases.add(Map.of("case_id", c.displayId(), "level", c.level(), "category_name", categoryName(c.category()),
                    "title", oneLine(c.title(), 120), "host", oneLine(c.host(), 64), "events", c.eventCount(),
                    "last_seen", format(c.lastSeen()), "state", english() ? c.state() : CaseState.japanese(c.state())));
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
        m.put("reporter_kind", FactWording.reporter(oneLine(reporterKind, 64)));
        m.put("reporter_contact", oneLine(reporterContact, 200));
        m.put("criterion_id", c.criterionId());
        m.put("annex_id", c.annexId());
        m.put("annex_text", annexText);
        m.put("first_seen", format(c.firstSeen()));
        return build(c.id(), NoticeTemplates.Kind.NOT_INCIDENT, 0, m, null, List.of(contacts.notAnIncident()));
    }

    /**
     * A reminder that nobody has acted on cases: one serious case to the CSIRT manager and the CSIRT
     * responsible, or the level-1 cases due together to the PoC (one mail, however many).
     *
     * @param reminder the reminder's number for a single case (1 for the first)
     * @param every    how long until the next reminder
     */
    public Notice unacknowledged(List<CaseRecord> due, int level, Instant now, java.time.Duration every, int reminder) {
        Map<String, Object> m = new LinkedHashMap<>();
        boolean single = due.size() == 1;
        CaseRecord first = due.get(0);
        m.put("single", single);
        m.put("count", due.size());
        m.put("level", level);
        m.put("level_name", english() ? ENGLISH.getOrDefault("level." + level, "") : Category.levelJapanese(level));
        m.put("case_id", first.displayId());
        m.put("category_name", categoryName(first.category()));
        m.put("host", oneLine(first.host(), 64));
        m.put("title", oneLine(first.title(), 120));
        m.put("age", span(single ? java.time.Duration.between(first.openedAt(), now) : every));
        m.put("interval", span(every));
        m.put("reminder", reminder);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (CaseRecord c : due.subList(0, Math.min(50, due.size()))) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("case_id", c.displayId());
            r.put("level", c.level());
            r.put("category_name", categoryName(c.category()));
            r.put("host", oneLine(c.host(), 64));
            r.put("title", oneLine(c.title(), 120));
            r.put("opened", format(c.openedAt()));
            r.put("age", span(java.time.Duration.between(c.openedAt(), now)));
            r.put("events", c.eventCount());
            r.put("url", caseUrlBase == null ? null : caseUrlBase + c.displayId());
            rows.add(r);
        }
        m.put("cases", rows);
        m.put("more", due.size() > 50 ? due.size() - 50 : null);
        List<Contacts.Contact> to = level >= 2 ? contacts.escalation() : List.of(contacts.poc());
        return build(single ? first.id() : 0, NoticeTemplates.Kind.UNACKNOWLEDGED, level, m, single ? first.firstNoticeId() : null, to);
    }

    /**
     * A reminder that a report to the Personal Information Protection Commission falls due or is
     * overdue: to the CSIRT manager and the CSIRT responsible.
     */
    public Notice legal(CaseRecord c, LegalClock.State s, LegalClock.Report r, boolean overdue) {
        DateTimeFormatter day = DateTimeFormatter.ofPattern("yyyy年M月d日（E）", java.util.Locale.JAPAN);
        Instant due = LegalClock.due(r, s.answers(), s.learnedAt(), zone);
        java.time.LocalDate dueDate = due.atZone(zone).toLocalDate().minusDays(1); // the deadline is 24:00 of this day
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("case_id", c.displayId());
        m.put("case_url", caseUrlBase == null ? null : caseUrlBase + c.displayId());
        m.put("title", oneLine(c.title(), 120));
        m.put("report", english() ? (r == LegalClock.Report.PRELIMINARY ? "preliminary report" : "final report") : r.japanese());
        m.put("report_id", r == LegalClock.Report.PRELIMINARY ? "preliminary" : "final");
        m.put("overdue", overdue);
        m.put("due_date", day.format(dueDate));
        m.put("learned_date", day.format(s.learnedAt().atZone(zone).toLocalDate()));
        m.put("days", java.time.temporal.ChronoUnit.DAYS.between(s.learnedAt().atZone(zone).toLocalDate(), dueDate));
        List<String> why = new ArrayList<>();
        if (s.answers().sensitive()) {
            why.add("要配慮個人情報が含まれる（1号）");
        }
        if (s.answers().financial()) {
            why.add("不正に利用されることにより財産的被害が生じるおそれがある（2号）");
        }
        if (s.answers().wrongful()) {
            why.add("不正の目的をもって行われたおそれがある（3号）: 確報は60日以内");
        }
        if (s.answers().persons() > 1000) {
            why.add("本人の数が1,000人を超える（4号）");
        }
        m.put("triggers", why);
        m.put("persons", s.answers().persons());
        m.put("preliminary_due", day.format(LegalClock.due(LegalClock.Report.PRELIMINARY, s.answers(), s.learnedAt(), zone)
                .atZone(zone).toLocalDate().minusDays(1)));
        m.put("final_due", day.format(LegalClock.due(LegalClock.Report.FINAL, s.answers(), s.learnedAt(), zone)
                .atZone(zone).toLocalDate().minusDays(1)));
        m.put("preliminary_sent", s.preliminarySentAt() == null ? null : format(s.preliminarySentAt()));
        m.put("final_sent", s.finalSentAt() == null ? null : format(s.finalSentAt()));
        return build(c.id(), NoticeTemplates.Kind.LEGAL, c.level(), m, c.firstNoticeId(), contacts.escalation());
    }

    /** A span as people say it: 「15分」「4時間」「2日と3時間」 (English: 15 min, 4 h). */
    private String span(java.time.Duration d) {
        long minutes = Math.max(0, d.toMinutes());
        if (english()) {
            return minutes < 120 ? minutes + " min" : minutes < 48 * 60 ? (minutes / 60) + " h" : (minutes / 1440) + " days";
        }
        if (minutes < 120) {
            return minutes + "分";
        }
        if (minutes < 48 * 60) {
            return (minutes / 60) + "時間" + (minutes % 60 == 0 ? "" : (minutes % 60) + "分");
        }
        return (minutes / 1440) + "日" + ((minutes % 1440) / 60 == 0 ? "" : "と" + (minutes % 1440) / 60 + "時間");
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
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("case_id", c.displayId());
        m.put("drill", CaseStore.drill(c));
        m.put("case_url", caseUrlBase == null ? null : caseUrlBase + c.displayId());
        m.put("level", c.level());
        m.put("level_name", english() ? ENGLISH.getOrDefault("level." + c.level(), "") : Category.levelJapanese(c.level()));
        m.put("level2", c.level() >= 2);
        m.put("category_name", categoryName(c.category()));
        m.put("host", oneLine(c.host(), 64));
        if (a != null) {
            m.put("asset_known", a.known());
            m.put("asset", (a.known() ? "" : "資産台帳に未登録（既定値）: ") + oneLine(FactWording.asset(a), 200));
            m.put("contractor", a.contractor().isEmpty() ? null : oneLine(a.contractor(), 200));
        }
        m.put("first_seen", format(c.firstSeen()));
        m.put("last_seen", format(c.lastSeen()));
        List<String> seqs = new ArrayList<>();
        List<Map<String, Object>> raw = new ArrayList<>();
        java.util.Set<String> hosts = new java.util.TreeSet<>();
        for (CaseEvent e : events) {
            seqs.add(Long.toString(e.journalSeq()));
            if (e.host() != null) {
                hosts.add(oneLine(e.host(), 64));
            }
            if (raw.size() < MAX_RAW_LINES) {
                raw.add(Map.of("seq", e.journalSeq(), "line", visible(e.rawText(), MAX_RAW_LINE_CHARS)));
            }
        }
        int count = Math.max(c.eventCount(), events.size());
        m.put("event_count", count);
        m.put("hosts", hosts.size() > 1 ? hosts.size() + "台（" + String.join(", ", hosts) + "）" : null);
        m.put("seqs", String.join(", ", seqs));
        m.put("raw_lines", raw);
        int more = Math.max(0, count - raw.size());
        m.put("more_lines", more > 0 ? more : null);
        m.put("chain_seq", headSeq);
        m.put("chain_hash", headHash);
        return m;
    }

    /** The names English notices use where Japanese ones use the plan's. */
    private static final Map<String, String> ENGLISH = Map.ofEntries(Map.entry("outage", "system outage"),
            Map.entry("cyber", "cyber attack"), Map.entry("theft", "theft or loss"), Map.entry("level.0", "not an incident"),
            Map.entry("level.1", "minor incident"), Map.entry("level.2", "serious incident"), Map.entry("reporter.staff", "staff"),
            Map.entry("reporter.system", "an in-house system"), Map.entry("reporter.citizen", "a citizen"),
            Map.entry("reporter.city", "the city"), Map.entry("reporter.prefecture", "the prefecture"),
            Map.entry("reporter.state", "the state"), Map.entry("reporter.jlis", "J-LIS"));

    private boolean english() {
        return "en".equals(templates.language());
    }

    private String categoryName(String id) {
        Category cat = Category.of(id);
        return cat == null ? id : english() ? ENGLISH.get(id) : cat.japanese();
    }

    /** One greeting line per recipient group: 「CSIRT 窓口（PoC）各位」 for the PoC, 「CSIRT管理者 様」 for a person. */
    private static List<String> greetings(List<Contacts.Contact> recipients) {
        List<String> out = new ArrayList<>();
        for (Contacts.Contact c : recipients) {
            String name = oneLine(c.name(), 80);
            out.add(name + ("poc".equals(c.role()) ? "各位" : " 様"));
        }
        return out;
    }

    private Notice build(long caseId, NoticeTemplates.Kind kind, int level, Map<String, Object> model, String threadOn) {
        return build(caseId, kind, level, model, threadOn, contacts.recipients(level));
    }

    private Notice build(long caseId, NoticeTemplates.Kind kind, int level, Map<String, Object> model, String threadOn,
                         List<Contacts.Contact> recipients) {
        model.putIfAbsent("greetings", greetings(recipients));
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
            String subject = jis ? JisText.safe(r.subject()) : r.subject();
            String body = wrap(jis ? JisText.safe(r.body()) : r.body());
            String used = charset;
            if (jis && !(JisText.encodable(subject) && JisText.encodable(body))) {
                // a character outside JIS X 0208 (髙, an emoji) would arrive as '?': this notice goes in UTF-8
                used = "UTF-8";
                jis = false;
                LOG.warn("The {} notice {} has characters ISO-2022-JP cannot carry; it is sent in UTF-8 instead", kind.id(), messageId);
            }
            m.setSubject(subject, used);
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
            m.setText(body, used);
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
