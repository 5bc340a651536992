package csirt.agent.cases;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import csirt.agent.PrivateFiles;
import csirt.agent.triage.Verdict;
import org.flywaydb.core.Flyway;

/**
 * Cases in an embedded SQLite database under the data directory (or a shared PostgreSQL): opens a
 * case for a level 1 or 2 verdict, or attaches the verdict to the open case with the same key and
 * raises its level when the verdict is higher; keeps each case's timeline from the reception of its
 * first event, and what of the journal the cases cover. What a verdict does is {@link CaseRules}'s
 * decision, the SQL is {@link CaseRows}', the timeline's words {@link TimelineText}'s; every write
 * is one transaction of {@link Transactions}, shared with the outbox.
 */
public final class CaseStore implements Closeable {

    public static final String STATE_TRIAGED = CaseState.TRIAGED;
    public static final String STATE_CLOSED = CaseState.CLOSED;
    /** Events of a case a notice lists. */
    private static final int NOTICE_EVENTS = 21;

    private final Transactions tx;
    private final CaseRows rows = new CaseRows();
    private final Outbox outbox;

    /** The identity of the journal whose sequence numbers this agent records (agents sharing a database differ). */
    public void journalId(String id) {
        rows.journalId(id);
    }

    private CaseStore(HikariDataSource ds, boolean shared, Duration firstRetry, Duration maxRetry) {
        this.tx = new Transactions(ds);
        this.outbox = new Outbox(tx, shared, firstRetry, maxRetry); // the same transactions and write lock
        this.peers = new Peers(tx, shared);
        rows.shared(shared);
    }

    private final Peers peers;

    /** The agents sharing this database, and which of them runs the shared timed jobs. */
    public Peers peers() {
        return peers;
    }

    /** Whether several agents may share this database (PostgreSQL), not the embedded file of one. */
    public boolean shared() {
        return rows.shared();
    }

    /** The durable outbox of notices, in the same database. */
    public Outbox outbox() {
        return outbox;
    }

    /** Opens (creating and migrating if needed) the case database in {@code dataDir/cases}. */
    public static CaseStore open(Path dataDir) {
        return open(dataDir, Duration.ofSeconds(2), Duration.ofMinutes(1));
    }

    /** As {@link #open(Path)}, with the outbox's first and longest retry delay. */
    public static CaseStore open(Path dataDir, Duration firstRetry, Duration maxRetry) {
        return open(dataDir, null, null, null, firstRetry, maxRetry);
    }

    /**
     * Opens the case database: the embedded SQLite file {@code dataDir/cases/cases.db} when
     * {@code jdbcUrl} is empty, else the database of that URL (PostgreSQL), which several agents may share.
     *
     * <p>The embedded store is SQLite in WAL mode with {@code synchronous=FULL}: a commit is on disk
     * when it returns (a notice queued with a case can never outlive the case after kill -9 or a power
     * cut); a full disk fails the one transaction and leaves the database usable when space returns;
     * nothing listens on the network, and readers in other processes (the command line) see the last
     * commit while the agent writes. A writer waits up to 5 s for the write lock; a transaction
     * that still cannot write fails whole and the case stage tries it again.
     */
    public static CaseStore open(Path dataDir, String jdbcUrl, String user, String password, Duration firstRetry,
                                 Duration maxRetry) {
        HikariConfig cfg = new HikariConfig();
        boolean embedded = jdbcUrl == null || jdbcUrl.isBlank();
        if (embedded) {
            Path dir = dataDir.resolve("cases").toAbsolutePath();
            try {
                // SQLite creates its files (the WAL and its index too) with the process umask: the
                // directory keeps them the owner's, and they are made 0600 below
                PrivateFiles.directory(dir);
            } catch (IOException e) {
                throw new IllegalStateException("Cannot create the case database directory " + dir + ": " + e.getMessage(), e);
            }
            if (Files.exists(dir.resolve("cases.mv.db")) && !Files.exists(dir.resolve(EMBEDDED_FILE))) {
                throw new IllegalStateException("The case database in " + dir + " is in the format of an earlier version (cases.mv.db, H2); "
                        + "this version keeps cases in " + EMBEDDED_FILE + " (SQLite). Move cases.mv.db and data/triage/state.bin "
                        + "away (keep them): the agent then judges the whole journal again at its next start and opens the cases "
                        + "anew (with new ids and notices); or keep the old cases in PostgreSQL with cases.jdbc-url.");
            }
            cfg.setJdbcUrl("jdbc:sqlite:" + dir.resolve(EMBEDDED_FILE));
            cfg.addDataSourceProperty("journal_mode", "WAL");
            cfg.addDataSourceProperty("synchronous", "FULL");
            cfg.addDataSourceProperty("busy_timeout", "5000");
            cfg.addDataSourceProperty("foreign_keys", "true");
        } else {
            cfg.setJdbcUrl(jdbcUrl);
            cfg.setUsername(user);
            cfg.setPassword(password);
        }
        cfg.setMaximumPoolSize(4);
        cfg.setMinimumIdle(1);
        cfg.setPoolName("cases");
        cfg.setInitializationFailTimeout(10_000);
        HikariDataSource ds = new HikariDataSource(cfg);
        try {
            // common SQL, plus what differs by database (sqlite, postgresql)
            String vendor = cfg.getJdbcUrl().startsWith("jdbc:postgresql:") ? "postgresql" : "sqlite";
            Flyway.configure().dataSource(ds).locations("classpath:db/migration/common", "classpath:db/migration/" + vendor)
                    .load().migrate();
        } catch (RuntimeException e) {
            ds.close();
            throw e;
        }
        if (embedded) {
            restrictFiles(dataDir.resolve("cases"));
        }
        return new CaseStore(ds, !embedded, firstRetry, maxRetry);
    }

    /** A unique index refused the row: SQLSTATE 23505 (PostgreSQL), SQLITE_CONSTRAINT_UNIQUE (2067) or SQLITE_CONSTRAINT (19). */
    static boolean uniqueViolation(SQLException e) {
        return "23505".equals(e.getSQLState()) || e.getErrorCode() == 2067 || e.getErrorCode() == 19
                || e instanceof SQLIntegrityConstraintViolationException;
    }

    /** The embedded database's file name under {@code data/cases}. */
    public static final String EMBEDDED_FILE = "cases.db";

    /** True when {@code dataDir} has an embedded case database (the command line has something to read). */
    public static boolean embeddedExists(Path dataDir) {
        return Files.exists(dataDir.resolve("cases").resolve(EMBEDDED_FILE));
    }

    private static void restrictFiles(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                PrivateFiles.restrict(f);
            }
        } catch (IOException e) {
            // the directory (0700) still keeps them private
        }
    }

    /** Applies a level 1 or 2 verdict: open, attach or escalate (no notice: for tools and tests). */
    public CaseChange apply(Verdict v) {
        return apply(v, null);
    }

    /**
     * Applies a level 1 or 2 verdict and, when it opened or escalated a case, puts the notice that
     * {@code notices} writes into the outbox in the same transaction; an attached event counts
     * towards the next update instead.
     */
    public CaseChange apply(Verdict verdict, NoticeFactory notices) {
        Verdict v = verdict.asDrill();
        CaseRules.effect(Optional.empty(), v); // refuses level 0 before anything is written
        try {
            return applyOnce(v, notices);
        } catch (IllegalStateException e) {
            if (e.getCause() instanceof SQLException s && uniqueViolation(s)) {
                // another agent sharing the database opened the case for this key a moment ago: attach to it
                return applyOnce(v, notices);
            }
            throw e;
        }
    }

    /**
     * Applies the level 1-2 verdicts of one batch (one read of an input) in one transaction, in
     * order, with the same outcome as {@link #apply(Verdict, NoticeFactory)} one by one, except that
     * events joining an already open case without raising its level are recorded together: each is
     * linked to the case, the counters and the timeline are written once per case (see
     * {@link #attached}). A burst of attacks against one case then costs one row per event.
     */
    public List<CaseChange> applyAll(List<Verdict> vs, NoticeFactory notices) {
        return applyAll(vs, notices, 0);
    }

    /**
     * As {@link #applyAll(List, NoticeFactory)}, and in the same transaction records that the cases
     * now cover the journal up to {@code coveredSeq} (see {@link Coverage}); 0 leaves it as it is.
     */
    public List<CaseChange> applyAll(List<Verdict> verdicts, NoticeFactory notices, long coveredSeq) {
        List<Verdict> vs = verdicts.stream().anyMatch(Verdict::drill) ? verdicts.stream().map(Verdict::asDrill).toList() : verdicts;
        try {
            return tx.write("record " + vs.size() + " verdicts in the case database", c -> applyBatch(c, vs, notices, coveredSeq));
        } catch (IllegalStateException e) {
            if (e.getCause() instanceof SQLException s && uniqueViolation(s)) {
                // another agent sharing the database opened a case of this batch a moment ago: one by one
                List<CaseChange> out = new ArrayList<>(vs.size());
                for (Verdict v : vs) {
                    out.add(apply(v, notices));
                }
                cover(coveredSeq);
                return out;
            }
            throw e;
        }
    }

    /** Records that the cases cover this agent's journal up to {@code seq} (a triage-state snapshot reached the cases). */
    public void cover(long seq) {
        tx.write("record the cases' coverage of the journal (seq " + seq + ")", c -> {
            Coverage.advance(c, rows.journalId(), seq);
            return null;
        });
    }

    /** How far the cases cover this agent's journal: every incident judged from records up to it is in a case (-1: never recorded). */
    public long coveredSeq() {
        return tx.read("read the cases' coverage of the journal", c -> Coverage.of(c, rows.journalId()));
    }

    /** Events of one batch joining one open case. */
    private static final class Burst {
        final CaseRecord caseRecord;
        final List<Verdict> verdicts = new ArrayList<>();
        final Set<String> hosts = new HashSet<>();
        int newHosts;

        Burst(CaseRecord caseRecord) {
            this.caseRecord = caseRecord;
        }
    }

    private List<CaseChange> applyBatch(Connection c, List<Verdict> vs, NoticeFactory notices, long coveredSeq) throws SQLException {
        List<CaseChange> out = new ArrayList<>(vs.size());
        Map<Long, Burst> bursts = new LinkedHashMap<>();
        Set<String> linked = rows.linked(c, vs);
        rows.lockOpen(c, vs.stream().map(Verdict::caseKey).toList());
        Map<String, Optional<CaseRecord>> openByKey = new HashMap<>();
        for (Verdict v : vs) {
            // the open case of a key, looked up once per batch (a burst has one key)
            Optional<CaseRecord> open = openByKey.get(v.caseKey());
            if (open == null) {
                open = rows.findOpen(c, v.caseKey());
                openByKey.put(v.caseKey(), open);
            }
            if (CaseRules.effect(open, v) == CaseRules.Effect.ATTACH) {
                CaseRecord cr = open.get();
                Burst b = bursts.computeIfAbsent(cr.id(), id -> new Burst(cr));
                String host = String.valueOf(v.event().host());
                boolean newHost = !b.hosts.contains(host) && CaseRows.isNewHost(c, cr.id(), v.event().host());
                if (rows.insertEvent(c, cr.id(), v, linked) != CaseRows.Link.NEW) {
                    // judged again, or the same event another agent sharing the database linked already
                    out.add(new CaseChange(CaseChange.Kind.DUPLICATE, cr, v, cr.level()));
                    continue;
                }
                b.hosts.add(host);
                b.newHosts += newHost ? 1 : 0;
                b.verdicts.add(v);
                out.add(new CaseChange(CaseChange.Kind.ATTACHED, cr, v, cr.level()));
                continue;
            }
            flush(c, bursts); // the timeline keeps the order: what came before an opening or escalation first
            CaseChange change = apply(c, v);
            openByKey.remove(v.caseKey()); // opened or escalated: looked up again when next needed
            linked.add(CaseRows.linkKey(change.caseRecord().id(), v));
            if (notices != null && change.needsNotice()) {
                queued(c, change.caseRecord().id(), notices.caseChange(change, CaseRows.events(c, change.caseRecord().id(), NOTICE_EVENTS, false)));
            }
            out.add(change);
        }
        flush(c, bursts);
        Coverage.advance(c, rows.journalId(), coveredSeq);
        return out;
    }

    private void flush(Connection c, Map<Long, Burst> bursts) throws SQLException {
        for (Burst b : bursts.values()) {
            if (!b.verdicts.isEmpty()) {
                attached(c, b.caseRecord, b.verdicts, b.newHosts);
            }
        }
        bursts.clear();
    }

    private CaseChange applyOnce(Verdict v, NoticeFactory notices) {
        return tx.write("record the verdict " + v.summary() + " in the case database", c -> {
            CaseChange change = apply(c, v);
            if (notices != null && change.needsNotice()) {
                queued(c, change.caseRecord().id(), notices.caseChange(change, CaseRows.events(c, change.caseRecord().id(), NOTICE_EVENTS, false)));
            }
            return change;
        });
    }

    /** One verdict on its own: what the rules say, written. */
    private CaseChange apply(Connection c, Verdict v) throws SQLException {
        Instant received = v.event().receipt().receivedAt();
        Optional<CaseRecord> open = rows.findOpen(c, v.caseKey());
        CaseRules.Effect effect = CaseRules.effect(open, v);
        if (effect == CaseRules.Effect.OPEN) {
            long previous = CaseRows.previousClosed(c, v.caseKey());
            long id = CaseRows.insertOpened(c, v, CaseRules.priority(v.level(), v, 1), previous);
            rows.insertEvent(c, id, v, null);
            agentStep(c, id, received, "received", TimelineText.reception(v));
            agentStep(c, id, Instant.now(), "triaged", TimelineText.triage(v));
            agentStep(c, id, Instant.now(), "opened", TimelineText.opened(v));
            if (previous > 0) {
                agentStep(c, id, Instant.now(), "linked", TimelineText.linked(previous));
            }
            return new CaseChange(CaseChange.Kind.OPENED, CaseRows.find(c, id).orElseThrow(), v, 0);
        }
        CaseRecord cr = open.get();
        boolean newHost = CaseRows.isNewHost(c, cr.id(), v.event().host());
        CaseRows.Link link = rows.insertEvent(c, cr.id(), v, null);
        if (link == CaseRows.Link.ALREADY || (link == CaseRows.Link.MIRROR && effect == CaseRules.Effect.ATTACH)) {
            // a mirror that would raise the level still does: the other agent judged the same event lower
            return new CaseChange(CaseChange.Kind.DUPLICATE, cr, v, cr.level());
        }
        if (effect == CaseRules.Effect.ATTACH) {
            attached(c, cr, List.of(v), newHost ? 1 : 0);
            return new CaseChange(CaseChange.Kind.ATTACHED, CaseRows.find(c, cr.id()).orElseThrow(), v, cr.level());
        }
        CaseRows.escalate(c, cr.id(), v, newHost);
        if (v.revision() == 0) {
            agentStep(c, cr.id(), received, "received", TimelineText.reception(v));
        }
        agentStep(c, cr.id(), Instant.now(), "triaged", TimelineText.triage(v));
        recurrence(c, cr, 1, v.event().seq());
        CaseRows.priority(c, cr.id(), CaseRules.priority(v.level(), v, CaseRows.hosts(c, cr.id())));
        agentStep(c, cr.id(), Instant.now(), "escalated", TimelineText.escalated(cr.level(), v));
        return new CaseChange(CaseChange.Kind.ESCALATED, CaseRows.find(c, cr.id()).orElseThrow(), v, cr.level());
    }

    /**
     * Events that join an open case without raising its level, already linked: the case's counters
     * once, and its timeline. One event gets the usual "received" and "triaged" entries; several
     * that arrived together (a burst, applied as one batch) get one entry each, with their count and
     * sequence numbers, so a brute force of 10,000 attempts does not write 20,000 timeline entries.
     * Every event stays linked to the case (case_events) either way.
     */
    private void attached(Connection c, CaseRecord cr, List<Verdict> vs, int newHosts) throws SQLException {
        Instant last = vs.get(0).event().receipt().receivedAt();
        for (Verdict v : vs) {
            if (v.event().receipt().receivedAt().isAfter(last)) {
                last = v.event().receipt().receivedAt();
            }
        }
        CaseRows.attach(c, cr.id(), vs.size(), newHosts, last);
        Verdict v = vs.get(vs.size() - 1);
        if (vs.size() == 1) {
            if (v.revision() == 0) {
                agentStep(c, cr.id(), v.event().receipt().receivedAt(), "received", TimelineText.reception(v));
            }
            agentStep(c, cr.id(), Instant.now(), "triaged", TimelineText.triage(v));
        } else {
            agentStep(c, cr.id(), last, "received", TimelineText.burstReception(vs));
            agentStep(c, cr.id(), Instant.now(), "triaged", TimelineText.burstTriage(vs));
        }
        recurrence(c, cr, vs.size(), v.event().seq());
        CaseRows.priority(c, cr.id(), CaseRules.priority(cr.level(), v, CaseRows.hosts(c, cr.id())));
    }

    private static void recurrence(Connection c, CaseRecord cr, int n, long seq) throws SQLException {
        if (CaseRules.recurrence(cr)) {
            CaseRows.addRecurrences(c, cr.id(), n);
            agentStep(c, cr.id(), Instant.now(), "recurrence", TimelineText.recurrence(seq, n));
        }
    }

    /** Stores a queued notice in the outbox and notes it on the case (inside the caller's transaction). */
    private static void queued(Connection c, long caseId, NoticeFactory.Queued q) throws SQLException {
        Outbox.add(c, caseId, q.kind(), q.level(), q.messageId(), q.bytes());
        CaseRows.noticed(c, caseId, q.messageId());
        agentStep(c, caseId, Instant.now(), "notice-queued", TimelineText.noticeQueued(q));
    }

    private static void agentStep(Connection c, long caseId, Instant at, String kind, String text) throws SQLException {
        CaseRows.timeline(c, caseId, at, kind, "agent", text);
    }

    /** Open cases with events attached since their last notice, whose last notice is {@code interval} old. */
    public List<CaseRecord> dueForUpdate(Instant now, Duration interval) {
        return tx.read("read the cases due for an update", c -> CaseRows.cases(c, "WHERE open_key IS NOT NULL AND pending_updates > 0 "
                + "AND (last_notice_at IS NULL OR last_notice_at <= ?) ORDER BY level DESC, id",
                ps -> ps.setTimestamp(1, Timestamp.from(now.minus(interval)))));
    }

    /** Queues an update about {@code caseId} (the events attached since its last notice). */
    public void queueUpdate(long caseId, NoticeFactory notices) {
        tx.write("queue the update of case " + CaseRecord.displayId(caseId), c -> {
            rows.lock(c, caseId); // another agent sharing the database queues it once, not twice
            CaseRecord cr = CaseRows.find(c, caseId).orElseThrow();
            if (cr.pendingUpdates() > 0) {
                List<CaseEvent> latest = new ArrayList<>(CaseRows.events(c, caseId, 5, true));
                Collections.reverse(latest);
                queued(c, caseId, notices.update(cr, cr.pendingUpdates(), cr.lastNoticeAt(), latest));
            }
            return null;
        });
    }

    /**
     * Journal sequence numbers a case still holds (legal hold): those of cases not closed, or seen
     * after {@code since}.
     */
    public Set<Long> heldSeqs(Instant since) {
        return tx.read("read which records cases hold", c -> rows.heldSeqs(c, since));
    }

    /** Cases not closed, most serious first. */
    public List<CaseRecord> openCases() {
        return tx.read("read the open cases", c -> CaseRows.cases(c, "WHERE open_key IS NOT NULL AND case_key NOT LIKE 'drill:%' "
                + "ORDER BY priority, level DESC, id", ps -> { }));
    }

    /** Whether a case is a drill's (opened by `drill run`): kept apart from real cases in lists and counts. */
    public static boolean drill(CaseRecord c) {
        return c.caseKey() != null && c.caseKey().startsWith("drill:");
    }

    /** Records in the timeline that a notice went out (or was written as a file). */
    public void recordNotice(long caseId, String messageId, String text) {
        tx.write("record the notice of case " + CaseRecord.displayId(caseId), c -> {
            agentStep(c, caseId, Instant.now(), "notified", text);
            return null;
        });
    }

    /**
     * Records a manual report triaged as not an incident (plan 4(2)②(III)): a record in state
     * not-incident with its timeline, and the notice {@code notice} writes for the CSIRT manager.
     */
    public CaseRecord recordNotAnIncident(Verdict verdict, String note, Function<CaseRecord, NoticeFactory.Queued> notice) {
        Verdict v = verdict.asDrill();
        return tx.write("record the report", c -> {
            long id = CaseRows.insertNotIncident(c, v);
            rows.insertEvent(c, id, v, null);
            agentStep(c, id, v.event().receipt().receivedAt(), "received", TimelineText.text("report.received", "seq", v.event().seq(), "note", note));
            agentStep(c, id, Instant.now(), "triaged", TimelineText.text("report.not-incident",
                    "criterion", v.criterionId() == null ? TimelineText.text("report.not-incident.none") : v.criterionId(),
                    "annex", v.annexText() == null ? "" : TimelineText.text("report.not-incident.annex", "annex", v.annexId(), "annexText", v.annexText())));
            CaseRecord cr = CaseRows.find(c, id).orElseThrow();
            NoticeFactory.Queued q = notice.apply(cr);
            Outbox.add(c, id, q.kind(), q.level(), q.messageId(), q.bytes());
            agentStep(c, id, Instant.now(), "notice-queued", TimelineText.text("report.manager-notice", "messageId", q.messageId()));
            return cr;
        });
    }

    /**
     * Moves a case to {@code to} if the plan's order allows it (see {@link CaseState}), recording who
     * and why in the timeline. Closing frees its key: the next matching event opens a new case linked
     * to this one; reopening fails while another case with the same key is open.
     */
    public CaseRecord transition(long caseId, String to, String who, String why) {
        return tx.write("change the state of case " + CaseRecord.displayId(caseId), c -> {
            CaseRecord cr = CaseRows.find(c, caseId).orElseThrow(() -> noSuchCase(caseId));
            if (!CaseState.allowed(cr.state(), to)) {
                throw new IllegalArgumentException("Case " + cr.displayId() + " is " + cr.state() + "; from there it can go to "
                        + CaseState.next(cr.state()) + ", not " + to + " (states: " + CaseState.ALL + ")");
            }
            try {
                CaseRows.state(c, caseId, to, CaseState.open(to) ? cr.caseKey() : null, CaseState.CLOSED.equals(to) ? Instant.now() : null);
            } catch (SQLException e) {
                if (uniqueViolation(e)) {
                    throw new IllegalArgumentException("Case " + cr.displayId() + " cannot be reopened: another open case has the "
                            + "same key " + cr.caseKey() + "; close or link that one first", e);
                }
                throw e;
            }
            Instant now = Instant.now();
            CaseRows.timeline(c, caseId, now, "state", who, TimelineText.state(cr.state(), to, why));
            Acknowledgements.acknowledge(c, caseId, who, now);
            return CaseRows.find(c, caseId).orElseThrow();
        });
    }

    /** A person's note in the timeline (the agent's own notes too: only a person's acknowledges the case). */
    public void note(long caseId, String who, String text) {
        note(caseId, who, text, true);
    }

    /**
     * A note that does not count as acting on the case: who recorded a report from a person (their
     * recording is not the reporting chain's acknowledgement of the incident).
     */
    public void recordingNote(long caseId, String who, String text) {
        note(caseId, who, text, false);
    }

    private void note(long caseId, String who, String text, boolean acknowledges) {
        tx.write("add the note to case " + CaseRecord.displayId(caseId), c -> {
            CaseRows.find(c, caseId).orElseThrow(() -> noSuchCase(caseId));
            Instant now = Instant.now();
            CaseRows.timeline(c, caseId, now, "note", who, text);
            if (acknowledges) {
                Acknowledgements.acknowledge(c, caseId, who, now);
            }
            return null;
        });
    }

    /**
     * A person's answers about a personal-data breach (the four triggers and the number of
     * persons); the clock runs from the case's first reception. In the timeline with who answered.
     */
    public LegalClock.State answerLegal(long caseId, LegalClock.Answers a, String who) {
        return tx.write("record the personal-data answers of case " + CaseRecord.displayId(caseId), c -> {
            CaseRecord cr = CaseRows.find(c, caseId).orElseThrow(() -> noSuchCase(caseId));
            Instant now = Instant.now();
            LegalReports.answer(c, caseId, a, cr.firstSeen(), who);
            CaseRows.timeline(c, caseId, now, "legal", who, TimelineText.legal(a));
            Acknowledgements.acknowledge(c, caseId, who, now);
            return LegalReports.of(c, caseId).orElseThrow();
        });
    }

    /** A person records that a report to the Commission was sent: its clock stops. */
    public void legalReportSent(long caseId, LegalClock.Report r, String who) {
        tx.write("record the " + r.name().toLowerCase(java.util.Locale.ROOT) + " report of case " + CaseRecord.displayId(caseId), c -> {
            if (LegalReports.of(c, caseId).isEmpty()) {
                throw new IllegalArgumentException(CaseRecord.displayId(caseId) + " has no personal-data answers yet: answer the four "
                        + "questions first (cases legal " + CaseRecord.displayId(caseId) + " --personal ...)");
            }
            Instant now = Instant.now();
            LegalReports.sent(c, caseId, r, now);
            CaseRows.timeline(c, caseId, now, "legal", who, TimelineText.text("legal.sent", "report", r.japanese()));
            return null;
        });
    }

    /** The case's personal-data reporting state, if a person answered for it. */
    public Optional<LegalClock.State> legal(long caseId) {
        return tx.read("read the personal-data answers of case " + CaseRecord.displayId(caseId), c -> LegalReports.of(c, caseId));
    }

    /** Every case whose reports to the Commission are not all recorded as sent. */
    public List<LegalClock.State> legalPending() {
        return tx.read("read the pending personal-data reports", LegalReports::pending);
    }

    /** Queues a reminder about a report's deadline and records its tag, in one transaction. */
    public void remindLegal(long caseId, String tag, NoticeFactory.Queued reminder) {
        tx.write("queue the reminder about the report of case " + CaseRecord.displayId(caseId), c -> {
            Outbox.add(c, caseId, reminder.kind(), reminder.level(), reminder.messageId(), reminder.bytes());
            LegalReports.reminded(c, caseId, tag);
            agentStep(c, caseId, Instant.now(), "notice-queued", TimelineText.noticeQueued(reminder));
            return null;
        });
    }

    /** The open incidents nobody has acted on yet, oldest first, with the reminders sent so far. */
    public List<Acknowledgements.Waiting> unacknowledged() {
        return tx.read("read the unacknowledged cases", Acknowledgements::waiting);
    }

    /** {count, oldest opened_at or null} of the open incidents nobody has acted on: one query (the metrics read it). */
    public Object[] unacknowledgedSummary() {
        return tx.read("count the unacknowledged cases", Acknowledgements::summary);
    }

    /** When and by whom the case was first acted on: {at, who}, or null while nobody has. */
    public Object[] acknowledgement(long caseId) {
        return tx.read("read the acknowledgement of case " + CaseRecord.displayId(caseId), c -> Acknowledgements.of(c, caseId));
    }

    /**
     * Queues a reminder that nobody has acted on the cases yet (one notice, about one or several
     * cases), and records it on each, in one transaction.
     */
    public void remind(List<Long> caseIds, Instant at, NoticeFactory.Queued reminder) {
        tx.write("queue the reminder about " + caseIds.size() + " unacknowledged case(s)", c -> {
            // the case's own notices (first notice, updates) are left as they are: a reminder is not an update
            Outbox.add(c, caseIds.size() == 1 ? caseIds.get(0) : 0, reminder.kind(), reminder.level(), reminder.messageId(), reminder.bytes());
            for (Long id : caseIds) {
                Acknowledgements.reminded(c, id, at);
                agentStep(c, id, at, "notice-queued", TimelineText.noticeQueued(reminder));
            }
            return null;
        });
    }

    /** Who handles the case (the incident handler), recorded in the timeline. */
    public void assign(long caseId, String who, String assignee) {
        tx.write("assign case " + CaseRecord.displayId(caseId), c -> {
            CaseRows.find(c, caseId).orElseThrow(() -> noSuchCase(caseId));
            CaseRows.assignee(c, caseId, assignee);
            Instant now = Instant.now();
            CaseRows.timeline(c, caseId, now, "assigned", who, TimelineText.text("assigned", "assignee", assignee));
            Acknowledgements.acknowledge(c, caseId, who, now);
            return null;
        });
    }

    private static IllegalArgumentException noSuchCase(long caseId) {
        return new IllegalArgumentException("No case " + CaseRecord.displayId(caseId) + " (`csirt-agent cases list` shows them)");
    }

    /** Records a human step of the chain of custody (an export) with who did it. */
    public void recordCustody(long caseId, String who, String text) {
        tx.write("record the export in case " + CaseRecord.displayId(caseId), c -> {
            CaseRows.timeline(c, caseId, Instant.now(), "exported", who, text);
            return null;
        });
    }

    /** Records in the timeline that a notice could not be delivered, and why. */
    public void recordNoticeFailure(long caseId, String text) {
        tx.write("record the failed notice of case " + CaseRecord.displayId(caseId), c -> {
            agentStep(c, caseId, Instant.now(), "notice-failed", text);
            return null;
        });
    }

    public List<CaseRecord> list() {
        return tx.read("read the cases", c -> CaseRows.cases(c, "ORDER BY id", ps -> { }));
    }

    public Optional<CaseRecord> find(long id) {
        return tx.read("read case " + CaseRecord.displayId(id), c -> CaseRows.find(c, id));
    }

    public List<TimelineEntry> timeline(long caseId) {
        return tx.read("read the timeline of case " + CaseRecord.displayId(caseId), c -> CaseRows.timeline(c, caseId));
    }

    /** This agent's journal records linked to the case: what an export of its journal takes. */
    public List<Long> journalSeqs(long caseId) {
        return tx.read("read the records of case " + CaseRecord.displayId(caseId), c -> rows.journalSeqs(c, caseId));
    }

    /** The case's events in journal order, at most {@code limit}. */
    public List<CaseEvent> events(long caseId, int limit) {
        return tx.read("read the events of case " + CaseRecord.displayId(caseId), c -> CaseRows.events(c, caseId, limit, false));
    }

    /** Adds a tally's counts to {@code day} (the overview's verdicts per day). */
    public void addVerdictCounts(java.time.LocalDate day, Map<String, Long> drained) {
        if (drained.isEmpty()) {
            return;
        }
        tx.write("add the verdicts of " + day + " to the daily counts", c -> {
            VerdictTally.add(c, day, drained);
            return null;
        });
    }

    /** Adds a sender tally's counts to {@code day} (coverage). */
    public void addSourceCounts(java.time.LocalDate day, Map<String, long[]> drained) {
        if (drained.isEmpty()) {
            return;
        }
        tx.write("add the senders of " + day + " to the daily counts", c -> {
            SourceTally.add(c, day, drained);
            return null;
        });
    }

    /** Every sender ever counted (lower-cased host), with its messages since {@code recentFrom}. */
    public Map<String, SourceTally.Sent> senders(java.time.LocalDate recentFrom) {
        return tx.read("read the senders' counts", c -> SourceTally.senders(c, recentFrom));
    }

    /** Verdicts per day from {@code from} on: "yyyy-mm-dd|category|level" → count. */
    public Map<String, Long> verdictCounts(java.time.LocalDate from) {
        return tx.read("read the daily verdict counts", c -> VerdictTally.since(c, from));
    }

    /** What people wrote into the case's Report form 1, by field ({@link ReportForm1#FIELDS}). */
    public Map<String, String> reportFields(long caseId) {
        return tx.read("read the report of case " + CaseRecord.displayId(caseId), c -> CaseRows.reportFields(c, caseId));
    }

    /** A person writes one part of Report form 1; the timeline says who and which part. */
    public void writeReportField(long caseId, String field, String text, String who) {
        String title = ReportForm1.FIELDS.getOrDefault(field, PpcReport.FIELDS.get(field));
        if (title == null) {
            throw new IllegalArgumentException("Report form 1 has no field " + field + "; its fields are " + ReportForm1.FIELDS.keySet()
                    + " and the Commission report's " + PpcReport.FIELDS.keySet());
        }
        tx.write("write the report of case " + CaseRecord.displayId(caseId), c -> {
            CaseRows.find(c, caseId).orElseThrow(() -> noSuchCase(caseId));
            CaseRows.reportField(c, caseId, field, text, who);
            CaseRows.timeline(c, caseId, Instant.now(), "report", who, TimelineText.text("report.field", "field", title));
            return null;
        });
    }

    @Override
    public void close() throws IOException {
        tx.close();
    }
}
