package csirt.agent.cases;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import csirt.agent.triage.Category;
import csirt.agent.triage.Verdict;
import org.flywaydb.core.Flyway;

/**
 * Cases in an embedded SQLite database under the data directory (or a shared PostgreSQL): opens a
 * case for a level 1 or 2 verdict, or attaches the verdict to the open case with the same key and
 * raises its level when the verdict is higher; keeps each case's timeline from the reception of its
 * first event, and what of the journal the cases cover.
 */
public final class CaseStore implements Closeable {

    public static final String STATE_TRIAGED = CaseState.TRIAGED;
    public static final String STATE_CLOSED = CaseState.CLOSED;
    private static final int RAW_TEXT_MAX = 8192;

    private final HikariDataSource ds;
    private final Outbox outbox;
    private volatile String journalId = "local";

    /** The identity of the journal whose sequence numbers this agent records (agents sharing a database differ). */
    public void journalId(String id) {
        this.journalId = id;
    }

    private CaseStore(HikariDataSource ds, java.time.Duration firstRetry, java.time.Duration maxRetry) {
        this.ds = ds;
        this.outbox = new Outbox(ds, firstRetry, maxRetry, this); // one write lock: CaseStore's synchronized methods
    }

    /** The durable outbox of notices, in the same database. */
    public Outbox outbox() {
        return outbox;
    }

    /** Opens (creating and migrating if needed) the case database in {@code dataDir/cases}. */
    public static CaseStore open(Path dataDir) {
        return open(dataDir, java.time.Duration.ofSeconds(2), java.time.Duration.ofMinutes(1));
    }

    /** As {@link #open(Path)}, with the outbox's first and longest retry delay. */
    public static CaseStore open(Path dataDir, java.time.Duration firstRetry, java.time.Duration maxRetry) {
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
    public static CaseStore open(Path dataDir, String jdbcUrl, String user, String password, java.time.Duration firstRetry,
                                 java.time.Duration maxRetry) {
        HikariConfig cfg = new HikariConfig();
        boolean embedded = jdbcUrl == null || jdbcUrl.isBlank();
        if (embedded) {
            Path dir = dataDir.resolve("cases").toAbsolutePath();
            try {
                // SQLite creates its files (the WAL and its index too) with the process umask: the
                // directory keeps them the owner's, and they are made 0600 below
                csirt.agent.PrivateFiles.directory(dir);
            } catch (java.io.IOException e) {
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
        return new CaseStore(ds, firstRetry, maxRetry);
    }

    /** A unique index refused the row: SQLSTATE 23505 (PostgreSQL), SQLITE_CONSTRAINT_UNIQUE (2067) or SQLITE_CONSTRAINT (19). */
    static boolean uniqueViolation(SQLException e) {
        return "23505".equals(e.getSQLState()) || e.getErrorCode() == 2067 || e.getErrorCode() == 19
                || e instanceof java.sql.SQLIntegrityConstraintViolationException;
    }

    /**
     * Rolls back after {@code cause}, keeping {@code cause} as the error: SQLite has already rolled
     * back a transaction that failed on a full disk, and "no transaction is active" must not hide why.
     */
    private void rollback(Connection c, Exception cause) {
        try {
            c.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
        // a connection a failed transaction went through is not used again: after SQLITE_FULL the
        // driver can be left believing a transaction is open, and every later commit would fail
        ds.evictConnection(c);
    }

    /** The embedded database's file name under {@code data/cases}. */
    public static final String EMBEDDED_FILE = "cases.db";

    /** True when {@code dataDir} has an embedded case database (the command line has something to read). */
    public static boolean embeddedExists(Path dataDir) {
        return Files.exists(dataDir.resolve("cases").resolve(EMBEDDED_FILE));
    }

    private static void restrictFiles(Path dir) {
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                csirt.agent.PrivateFiles.restrict(f);
            }
        } catch (java.io.IOException e) {
            // the directory (0700) still keeps them private
        }
    }

    /** Applies a level 1 or 2 verdict: open, attach or escalate (no notice: for tools and tests). */
    public synchronized CaseChange apply(Verdict v) {
        return apply(v, null);
    }

    /**
     * Applies a level 1 or 2 verdict and, when it opened or escalated a case, puts the notice that
     * {@code notices} writes into the outbox in the same transaction; an attached event counts
     * towards the next update instead.
     */
    public synchronized CaseChange apply(Verdict v, NoticeFactory notices) {
        if (!v.incident()) {
            throw new IllegalArgumentException("level 0 verdicts open no case: " + v.summary());
        }
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
    public synchronized List<CaseChange> applyAll(List<Verdict> vs, NoticeFactory notices) {
        return applyAll(vs, notices, 0);
    }

    /**
     * As {@link #applyAll(List, NoticeFactory)}, and in the same transaction records that the cases
     * now cover the journal up to {@code coveredSeq} (see {@link Coverage}); 0 leaves it as it is.
     */
    public synchronized List<CaseChange> applyAll(List<Verdict> vs, NoticeFactory notices, long coveredSeq) {
        try {
            return applyBatch(vs, notices, coveredSeq);
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
    public synchronized void cover(long seq) {
        try (Connection c = ds.getConnection()) {
            Coverage.advance(c, journalId, seq);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot record the cases' coverage of the journal (seq " + seq + "): " + e.getMessage(), e);
        }
    }

    /** How far the cases cover this agent's journal: every incident judged from records up to it is in a case (-1: never recorded). */
    public long coveredSeq() {
        try (Connection c = ds.getConnection()) {
            return Coverage.of(c, journalId);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read the cases' coverage of the journal: " + e.getMessage(), e);
        }
    }

    /** Events of one batch joining one open case. */
    private static final class Burst {
        final CaseRecord caseRecord;
        final List<Verdict> verdicts = new ArrayList<>();
        final java.util.Set<String> hosts = new java.util.HashSet<>();
        int newHosts;

        Burst(CaseRecord caseRecord) {
            this.caseRecord = caseRecord;
        }
    }

    private List<CaseChange> applyBatch(List<Verdict> vs, NoticeFactory notices, long coveredSeq) {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                List<CaseChange> out = new ArrayList<>(vs.size());
                java.util.Map<Long, Burst> bursts = new java.util.LinkedHashMap<>();
                java.util.Set<String> linked = linked(c, vs);
                java.util.Map<String, Optional<CaseRecord>> openByKey = new java.util.HashMap<>();
                for (Verdict v : vs) {
                    if (!v.incident()) {
                        throw new IllegalArgumentException("level 0 verdicts open no case: " + v.summary());
                    }
                    // the open case of a key, looked up once per batch (a burst has one key)
                    Optional<CaseRecord> open = openByKey.get(v.caseKey());
                    if (open == null) {
                        open = findOpen(c, v.caseKey());
                        openByKey.put(v.caseKey(), open);
                    }
                    if (open.isPresent() && v.level() <= open.get().level()) {
                        CaseRecord cr = open.get();
                        Burst b = bursts.computeIfAbsent(cr.id(), id -> new Burst(cr));
                        String host = String.valueOf(v.event().host());
                        boolean newHost = !b.hosts.contains(host) && isNewHost(c, cr.id(), v.event().host());
                        if (!insertEvent(c, cr.id(), v, linked)) {
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
                    linked.add(change.caseRecord().id() + ":" + v.event().seq() + ":" + v.revision());
                    if (notices != null && change.needsNotice()) {
                        queued(c, change.caseRecord().id(), notices.caseChange(change, events(c, change.caseRecord().id(), 21)));
                    }
                    out.add(change);
                }
                flush(c, bursts);
                Coverage.advance(c, journalId, coveredSeq);
                c.commit();
                return out;
            } catch (SQLException | RuntimeException e) {
                rollback(c, e);
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot record " + vs.size() + " verdicts in the case database: " + e.getMessage(), e);
        }
    }

    private void flush(Connection c, java.util.Map<Long, Burst> bursts) throws SQLException {
        for (Burst b : bursts.values()) {
            if (!b.verdicts.isEmpty()) {
                attached(c, b.caseRecord, b.verdicts, b.newHosts);
            }
        }
        bursts.clear();
    }

    private CaseChange applyOnce(Verdict v, NoticeFactory notices) {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                CaseChange change = apply(c, v);
                if (notices != null && change.needsNotice()) {
                    NoticeFactory.Queued q = notices.caseChange(change, events(c, change.caseRecord().id(), 21));
                    queued(c, change.caseRecord().id(), q);
                }
                c.commit();
                return change;
            } catch (SQLException | RuntimeException e) {
                rollback(c, e);
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot record the verdict " + v.summary() + " in the case database: " + e.getMessage(), e);
        }
    }

    private CaseChange apply(Connection c, Verdict v) throws SQLException {
        Instant received = v.event().receipt().receivedAt();
        Optional<CaseRecord> open = findOpen(c, v.caseKey());
        if (open.isEmpty()) {
            long id;
            long previous = previousClosed(c, v.caseKey());
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO cases (case_key, category, level, state, title, "
                    + "criterion_id, annex_id, host, opened_at, first_seen, last_seen, event_count, open_key, priority, previous_case_id) "
                    + "VALUES (?,?,?,?,?,?,?,?,?,?,?,1,?,?,?)", Statement.RETURN_GENERATED_KEYS)) {
                ps.setString(1, v.caseKey());
                ps.setString(2, v.category().id());
                ps.setInt(3, v.level());
                ps.setString(4, STATE_TRIAGED);
                ps.setString(5, v.title());
                ps.setString(6, v.criterionId());
                ps.setString(7, v.annexId());
                ps.setString(8, v.event().host());
                ps.setTimestamp(9, Timestamp.from(Instant.now()));
                ps.setTimestamp(10, Timestamp.from(received));
                ps.setTimestamp(11, Timestamp.from(received));
                ps.setString(12, v.caseKey());
                ps.setInt(13, Priority.of(v.level(), v.asset().affects(), v.asset().criticality(), 1));
                if (previous > 0) {
                    ps.setLong(14, previous);
                } else {
                    ps.setNull(14, java.sql.Types.BIGINT);
                }
                ps.executeUpdate();
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    keys.next();
                    id = keys.getLong(1);
                }
            }
            insertEvent(c, id, v);
            timeline(c, id, received, "received", reception(v));
            timeline(c, id, Instant.now(), "triaged", triage(v));
            timeline(c, id, Instant.now(), "opened", "案件を起票: " + Category.levelJapanese(v.level())
                    + "（レベル" + v.level() + "）、" + v.category().japanese());
            if (previous > 0) {
                timeline(c, id, Instant.now(), "linked", "収束済みの案件 " + CaseRecord.displayId(previous)
                        + " と同じ事象です（再発の可能性）");
            }
            return new CaseChange(CaseChange.Kind.OPENED, find(c, id).orElseThrow(), v, 0);
        }
        CaseRecord cr = open.get();
        boolean newHost = isNewHost(c, cr.id(), v.event().host());
        if (!insertEvent(c, cr.id(), v)) {
            return new CaseChange(CaseChange.Kind.DUPLICATE, cr, v, cr.level());
        }
        if (v.level() <= cr.level()) {
            attached(c, cr, List.of(v), newHost ? 1 : 0);
            return new CaseChange(CaseChange.Kind.ATTACHED, find(c, cr.id()).orElseThrow(), v, cr.level());
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE cases SET event_count = event_count + 1, "
                + "last_seen = CASE WHEN last_seen > ? THEN last_seen ELSE ? END, level = CASE WHEN level > ? THEN level ELSE ? END, "
                + "hosts = hosts + ?, "
                + "criterion_id = CASE WHEN ? > level THEN ? ELSE criterion_id END, "
                + "annex_id = CASE WHEN ? > level THEN ? ELSE annex_id END, "
                + "title = CASE WHEN ? > level THEN ? ELSE title END WHERE id = ?")) {
            // CASE instead of GREATEST: the same SQL for SQLite and PostgreSQL
            int i = 0;
            ps.setTimestamp(++i, Timestamp.from(received));
            ps.setTimestamp(++i, Timestamp.from(received));
            ps.setInt(++i, v.level());
            ps.setInt(++i, v.level());
            ps.setInt(++i, newHost ? 1 : 0);
            ps.setInt(++i, v.level());
            ps.setString(++i, v.criterionId());
            ps.setInt(++i, v.level());
            ps.setString(++i, v.annexId());
            ps.setInt(++i, v.level());
            ps.setString(++i, v.title());
            ps.setLong(++i, cr.id());
            ps.executeUpdate();
        }
        if (v.revision() == 0) {
            timeline(c, cr.id(), received, "received", reception(v));
        }
        timeline(c, cr.id(), Instant.now(), "triaged", triage(v));
        recurrence(c, cr, 1, v.event().seq());
        updatePriority(c, cr.id(), v.level(), v);
        timeline(c, cr.id(), Instant.now(), "escalated", "レベル" + cr.level() + "からレベル" + v.level()
                + "（" + Category.levelJapanese(v.level()) + "）へ引き上げ: " + v.criterionId() + " " + v.title());
        return new CaseChange(CaseChange.Kind.ESCALATED, find(c, cr.id()).orElseThrow(), v, cr.level());
    }

    /**
     * Events that join an open case without raising its level, already linked by {@link #insertEvent}:
     * the case's counters once, and its timeline. One event gets the usual "received" and "triaged"
     * entries; several that arrived together (a burst, applied as one batch) get one entry each,
     * with their count and sequence numbers, so a brute force of 10,000 attempts does not write
     * 20,000 timeline entries. Every event stays linked to the case (case_events) either way.
     */
    private void attached(Connection c, CaseRecord cr, List<Verdict> vs, int newHosts) throws SQLException {
        Instant last = vs.get(0).event().receipt().receivedAt();
        for (Verdict v : vs) {
            if (v.event().receipt().receivedAt().isAfter(last)) {
                last = v.event().receipt().receivedAt();
            }
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE cases SET event_count = event_count + ?, last_seen = CASE WHEN last_seen > ? THEN last_seen ELSE ? END, "
                + "hosts = hosts + ?, pending_updates = pending_updates + ? WHERE id = ?")) {
            ps.setInt(1, vs.size());
            ps.setTimestamp(2, Timestamp.from(last));
            ps.setTimestamp(3, Timestamp.from(last));
            ps.setInt(4, newHosts);
            ps.setInt(5, vs.size());
            ps.setLong(6, cr.id());
            ps.executeUpdate();
        }
        Verdict v = vs.get(vs.size() - 1);
        if (vs.size() == 1) {
            if (v.revision() == 0) {
                timeline(c, cr.id(), v.event().receipt().receivedAt(), "received", reception(v));
            }
            timeline(c, cr.id(), Instant.now(), "triaged", triage(v));
        } else {
            java.util.Set<String> peers = new java.util.TreeSet<>();
            java.util.Map<String, Integer> byCriterion = new java.util.TreeMap<>();
            for (Verdict x : vs) {
                peers.add(x.event().receipt().peer());
                byCriterion.merge(x.criterionId() + " レベル" + x.level(), 1, Integer::sum);
            }
            timeline(c, cr.id(), last, "received", "受信 " + vs.size() + "件 seq " + vs.get(0).event().seq() + "〜" + v.event().seq()
                    + "（一括で記録、送信元 " + (peers.size() <= 3 ? String.join("、", peers) : peers.size() + " か所") + "）");
            List<String> counts = new ArrayList<>();
            byCriterion.forEach((k, n) -> counts.add(k + " ×" + n));
            timeline(c, cr.id(), Instant.now(), "triaged", "判定 " + String.join("、", counts) + "。最後の一件: " + triage(v));
        }
        recurrence(c, cr, vs.size(), v.event().seq());
        updatePriority(c, cr.id(), cr.level(), v);
    }

    private static void recurrence(Connection c, CaseRecord cr, int n, long seq) throws SQLException {
        if (CaseState.MONITORING.equals(cr.state())) {
            // plan 4(2)③(II): after recovery the case is watched for recurrence; this is one
            try (PreparedStatement ps = c.prepareStatement("UPDATE cases SET recurrences = recurrences + ? WHERE id = ?")) {
                ps.setInt(1, n);
                ps.setLong(2, cr.id());
                ps.executeUpdate();
            }
            timeline(c, cr.id(), Instant.now(), "recurrence", "再発の可能性: 再発監視中の案件に新たなイベント（seq " + seq
                    + (n > 1 ? " ほか " + (n - 1) + "件" : "") + "）");
        }
    }

    private static void updatePriority(Connection c, long caseId, int level, Verdict v) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE cases SET priority = ? WHERE id = ?")) {
            ps.setInt(1, Priority.of(level, v.asset().affects(), v.asset().criticality(), hosts(c, caseId)));
            ps.setLong(2, caseId);
            ps.executeUpdate();
        }
    }

    /** True when no event of the case came from {@code host} yet (index case_events_by_host). */
    private static boolean isNewHost(Connection c, long caseId, String host) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(host == null
                ? "SELECT 1 FROM case_events WHERE case_id = ? AND host IS NULL LIMIT 1"
                : "SELECT 1 FROM case_events WHERE case_id = ? AND host = ? LIMIT 1")) {
            ps.setLong(1, caseId);
            if (host != null) {
                ps.setString(2, host);
            }
            try (ResultSet rs = ps.executeQuery()) {
                return !rs.next();
            }
        }
    }

    private static String reception(Verdict v) {
        var r = v.event().receipt();
        return "受信 seq " + v.event().seq() + "（入力 " + r.input() + "、" + r.transport() + "、送信元 " + r.peer() + "）";
    }

    private static String triage(Verdict v) {
        return (v.revision() > 0 ? "再判定（時間経過） seq " + v.event().seq() + ": " : "") + "判定 " + v.criterionId() + " レベル" + v.level() + " " + v.category().japanese()
                + "（別表1 " + v.annexId() + "「" + v.annexText() + "」）: " + String.join("; ", v.facts());
    }

    /** Stores a queued notice in the outbox and notes it on the case (inside the caller's transaction). */
    private static void queued(Connection c, long caseId, NoticeFactory.Queued q) throws SQLException {
        Outbox.add(c, caseId, q.kind(), q.level(), q.messageId(), q.bytes());
        try (PreparedStatement ps = c.prepareStatement("UPDATE cases SET first_notice_id = COALESCE(first_notice_id, ?), "
                + "last_notice_at = ?, pending_updates = 0 WHERE id = ?")) {
            ps.setString(1, q.messageId());
            ps.setTimestamp(2, Timestamp.from(Instant.now()));
            ps.setLong(3, caseId);
            ps.executeUpdate();
        }
        timeline(c, caseId, Instant.now(), "notice-queued", "通知（" + q.kind() + "、レベル" + q.level() + "）を送信待ちに登録: "
                + q.messageId());
    }

    /** Open cases with events attached since their last notice, whose last notice is {@code interval} old. */
    public List<CaseRecord> dueForUpdate(Instant now, java.time.Duration interval) {
        return query("SELECT * FROM cases WHERE open_key IS NOT NULL AND pending_updates > 0 AND (last_notice_at IS NULL OR last_notice_at <= ?) "
                + "ORDER BY level DESC, id", ps -> ps.setTimestamp(1, Timestamp.from(now.minus(interval))));
    }

    /** Queues an update about {@code caseId} (the events attached since its last notice). */
    public synchronized void queueUpdate(long caseId, NoticeFactory notices) {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                CaseRecord cr = find(c, caseId).orElseThrow();
                if (cr.pendingUpdates() == 0) {
                    c.rollback();
                    return;
                }
                List<CaseEvent> latest = new ArrayList<>(latestEvents(c, caseId, 5));
                java.util.Collections.reverse(latest);
                queued(c, caseId, notices.update(cr, cr.pendingUpdates(), cr.lastNoticeAt(), latest));
                c.commit();
            } catch (SQLException | RuntimeException e) {
                rollback(c, e);
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot queue the update of case " + CaseRecord.displayId(caseId) + ": " + e.getMessage(), e);
        }
    }

    /**
     * Journal sequence numbers a case still holds (legal hold): those of cases not closed, or seen
     * after {@code since}.
     */
    public java.util.Set<Long> heldSeqs(Instant since) {
        java.util.Set<Long> out = new java.util.HashSet<>();
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT e.journal_seq FROM case_events e JOIN cases c ON c.id = e.case_id "
                        + "WHERE c.open_key IS NOT NULL OR COALESCE(c.closed_at, c.last_seen) >= ?")) {
            ps.setTimestamp(1, Timestamp.from(since));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getLong(1));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read which records cases hold: " + e.getMessage(), e);
        }
        return out;
    }

    /** Cases not closed, most serious first. */
    public List<CaseRecord> openCases() {
        return query("SELECT * FROM cases WHERE open_key IS NOT NULL ORDER BY priority, level DESC, id", ps -> { });
    }

    /** Records in the timeline that a notice went out (or was written as a file). */
    public synchronized void recordNotice(long caseId, String messageId, String text) {
        try (Connection c = ds.getConnection()) {
            timeline(c, caseId, Instant.now(), "notified", text);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot record the notice of case " + CaseRecord.displayId(caseId), e);
        }
    }

    /**
     * Records a manual report triaged as not an incident (plan 4(2)②(III)): a record in state
     * not-incident with its timeline, and the notice {@code notice} writes for the CSIRT manager.
     */
    public synchronized CaseRecord recordNotAnIncident(Verdict v, String note, java.util.function.Function<CaseRecord, NoticeFactory.Queued> notice) {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                long id;
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO cases (case_key, category, level, state, title, criterion_id, "
                        + "annex_id, host, opened_at, first_seen, last_seen, event_count, priority) VALUES (?,?,0,?,?,?,?,?,?,?,?,1,4)",
                        Statement.RETURN_GENERATED_KEYS)) {
                    Instant received = v.event().receipt().receivedAt();
                    ps.setString(1, v.caseKey() == null ? "manual:" + v.event().seq() : v.caseKey());
                    ps.setString(2, v.category() == null ? "theft" : v.category().id());
                    ps.setString(3, CaseState.NOT_INCIDENT);
                    ps.setString(4, v.event().message());
                    ps.setString(5, v.criterionId() == null ? "none" : v.criterionId());
                    ps.setString(6, v.annexId());
                    ps.setString(7, v.event().host());
                    ps.setTimestamp(8, Timestamp.from(Instant.now()));
                    ps.setTimestamp(9, Timestamp.from(received));
                    ps.setTimestamp(10, Timestamp.from(received));
                    ps.executeUpdate();
                    try (ResultSet keys = ps.getGeneratedKeys()) {
                        keys.next();
                        id = keys.getLong(1);
                    }
                }
                insertEvent(c, id, v);
                timeline(c, id, v.event().receipt().receivedAt(), "received", "報告を受付 seq " + v.event().seq() + "（" + note + "）");
                timeline(c, id, Instant.now(), "triaged", "判定 " + (v.criterionId() == null ? "一致する基準なし" : v.criterionId())
                        + " レベル0: インシデントとはみなさない" + (v.annexText() == null ? "" : "（別表1 " + v.annexId() + "「" + v.annexText() + "」）"));
                CaseRecord cr = find(c, id).orElseThrow();
                NoticeFactory.Queued q = notice.apply(cr);
                Outbox.add(c, id, q.kind(), q.level(), q.messageId(), q.bytes());
                timeline(c, id, Instant.now(), "notice-queued", "CSIRT管理者への連絡を送信待ちに登録（計画4(2)②(III)）: " + q.messageId());
                c.commit();
                return cr;
            } catch (SQLException | RuntimeException e) {
                rollback(c, e);
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot record the report: " + e.getMessage(), e);
        }
    }

    private static long previousClosed(Connection c, String key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT id FROM cases WHERE case_key = ? AND open_key IS NULL ORDER BY id DESC LIMIT 1")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    private static int hosts(Connection c, long caseId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT hosts FROM cases WHERE id = ?")) {
            ps.setLong(1, caseId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getInt(1) : 1;
            }
        }
    }


    /**
     * Moves a case to {@code to} if the plan's order allows it (see {@link CaseState}), recording who
     * and why in the timeline. Closing frees its key: the next matching event opens a new case linked
     * to this one; reopening fails while another case with the same key is open.
     */
    public synchronized CaseRecord transition(long caseId, String to, String who, String why) {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                CaseRecord cr = find(c, caseId).orElseThrow(() -> new IllegalArgumentException(
                        "No case " + CaseRecord.displayId(caseId) + " (`csirt-agent cases list` shows them)"));
                if (!CaseState.allowed(cr.state(), to)) {
                    throw new IllegalArgumentException("Case " + cr.displayId() + " is " + cr.state() + "; from there it can go to "
                            + CaseState.next(cr.state()) + ", not " + to + " (states: " + CaseState.ALL + ")");
                }
                boolean open = CaseState.open(to);
                try (PreparedStatement ps = c.prepareStatement(
                        "UPDATE cases SET state = ?, open_key = ?, closed_at = ? WHERE id = ?")) {
                    ps.setString(1, to);
                    ps.setString(2, open ? cr.caseKey() : null);
                    ps.setTimestamp(3, CaseState.CLOSED.equals(to) ? Timestamp.from(Instant.now()) : null);
                    ps.setLong(4, caseId);
                    ps.executeUpdate();
                } catch (SQLException e) {
                    if (uniqueViolation(e)) {
                        throw new IllegalArgumentException("Case " + cr.displayId() + " cannot be reopened: another open case has the "
                                + "same key " + cr.caseKey() + "; close or link that one first", e);
                    }
                    throw e;
                }
                human(c, caseId, "state", who, "状態を「" + CaseState.japanese(cr.state()) + "」から「" + CaseState.japanese(to) + "」に変更"
                        + (why == null || why.isBlank() ? "" : ": " + why));
                c.commit();
                return find(c, caseId).orElseThrow();
            } catch (SQLException | RuntimeException e) {
                rollback(c, e);
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot change the state of case " + CaseRecord.displayId(caseId) + ": " + e.getMessage(), e);
        }
    }

    /** A person's note in the timeline. */
    public synchronized void note(long caseId, String who, String text) {
        mustExist(caseId);
        try (Connection c = ds.getConnection()) {
            human(c, caseId, "note", who, text);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot add the note to case " + CaseRecord.displayId(caseId), e);
        }
    }

    /** Who handles the case (the incident handler), recorded in the timeline. */
    public synchronized void assign(long caseId, String who, String assignee) {
        mustExist(caseId);
        try (Connection c = ds.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("UPDATE cases SET assignee = ? WHERE id = ?")) {
                ps.setString(1, assignee);
                ps.setLong(2, caseId);
                ps.executeUpdate();
            }
            human(c, caseId, "assigned", who, "担当者を " + assignee + " に設定");
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot assign case " + CaseRecord.displayId(caseId), e);
        }
    }

    private void mustExist(long caseId) {
        if (find(caseId).isEmpty()) {
            throw new IllegalArgumentException("No case " + CaseRecord.displayId(caseId) + " (`csirt-agent cases list` shows them)");
        }
    }

    private static void human(Connection c, long caseId, String kind, String who, String text) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO timeline (case_id, at, kind, actor, text) VALUES (?,?,?,?,?)")) {
            ps.setLong(1, caseId);
            ps.setTimestamp(2, Timestamp.from(Instant.now()));
            ps.setString(3, kind);
            ps.setString(4, who == null || who.isBlank() ? "unknown" : who.length() > 64 ? who.substring(0, 64) : who);
            ps.setString(5, truncate(text, 4000));
            ps.executeUpdate();
        }
    }

    /** Records a human step of the chain of custody (an export) with who did it. */
    public synchronized void recordCustody(long caseId, String who, String text) {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO timeline (case_id, at, kind, actor, text) VALUES (?,?,?,?,?)")) {
            ps.setLong(1, caseId);
            ps.setTimestamp(2, Timestamp.from(Instant.now()));
            ps.setString(3, "exported");
            ps.setString(4, who.length() > 64 ? who.substring(0, 64) : who);
            ps.setString(5, truncate(text, 4000));
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot record the export in case " + CaseRecord.displayId(caseId), e);
        }
    }

    /** Records in the timeline that a notice could not be delivered, and why. */
    public synchronized void recordNoticeFailure(long caseId, String text) {
        try (Connection c = ds.getConnection()) {
            timeline(c, caseId, Instant.now(), "notice-failed", text);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot record the failed notice of case " + CaseRecord.displayId(caseId), e);
        }
    }

    public List<CaseRecord> list() {
        return query("SELECT * FROM cases ORDER BY id", ps -> { });
    }

    public Optional<CaseRecord> find(long id) {
        try (Connection c = ds.getConnection()) {
            return find(c, id);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public List<TimelineEntry> timeline(long caseId) {
        List<TimelineEntry> out = new ArrayList<>();
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT at, kind, actor, text FROM timeline WHERE case_id = ? ORDER BY at, id")) {
            ps.setLong(1, caseId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new TimelineEntry(rs.getTimestamp(1).toInstant(), rs.getString(2), rs.getString(3), rs.getString(4)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    /** The case's events in journal order, at most {@code limit}. */
    public List<CaseEvent> events(long caseId, int limit) {
        try (Connection c = ds.getConnection()) {
            return events(c, caseId, limit);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<CaseEvent> events(Connection c, long caseId, int limit) throws SQLException {
        return eventQuery(c, "ORDER BY journal_seq, revision", caseId, limit);
    }

    private static List<CaseEvent> latestEvents(Connection c, long caseId, int limit) throws SQLException {
        return eventQuery(c, "ORDER BY journal_seq DESC, revision DESC", caseId, limit);
    }

    private static List<CaseEvent> eventQuery(Connection c, String order, long caseId, int limit) throws SQLException {
        List<CaseEvent> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT journal_seq, received_at, host, criterion_id, level, facts, raw_text "
                + "FROM case_events WHERE case_id = ? " + order + " LIMIT ?")) {
            ps.setLong(1, caseId);
            ps.setInt(2, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new CaseEvent(rs.getLong(1), rs.getTimestamp(2).toInstant(), rs.getString(3), rs.getString(4),
                            rs.getInt(5), rs.getString(6), rs.getString(7)));
                }
            }
        }
        return out;
    }

    private Optional<CaseRecord> findOpen(Connection c, String key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT * FROM cases WHERE open_key = ?")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(row(rs)) : Optional.empty();
            }
        }
    }

    private static Optional<CaseRecord> find(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT * FROM cases WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(row(rs)) : Optional.empty();
            }
        }
    }

    /** Links the event to the case; false when it was linked already (a verdict replayed). */
    private boolean insertEvent(Connection c, long caseId, Verdict v) throws SQLException {
        return insertEvent(c, caseId, v, null);
    }

    /**
     * The (case, seq, revision) links that exist already for the journal records of a batch, found
     * with one range query (index case_events_by_seq) instead of one query per event.
     */
    private java.util.Set<String> linked(Connection c, List<Verdict> vs) throws SQLException {
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (Verdict v : vs) {
            min = Math.min(min, v.event().seq());
            max = Math.max(max, v.event().seq());
        }
        java.util.Set<String> out = new java.util.HashSet<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT case_id, journal_seq, revision FROM case_events WHERE journal_id = ? AND journal_seq BETWEEN ? AND ?")) {
            ps.setString(1, journalId);
            ps.setLong(2, min);
            ps.setLong(3, max);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getLong(1) + ":" + rs.getLong(2) + ":" + rs.getInt(3));
                }
            }
        }
        return out;
    }

    /** As above; with {@code linked} (from {@link #linked}) no query is made to find out. */
    private boolean insertEvent(Connection c, long caseId, Verdict v, java.util.Set<String> linked) throws SQLException {
        if (linked != null) {
            if (!linked.add(caseId + ":" + v.event().seq() + ":" + v.revision())) {
                return false;
            }
            insertLink(c, caseId, v);
            return true;
        }
        try (PreparedStatement check = c.prepareStatement(
                "SELECT 1 FROM case_events WHERE case_id = ? AND journal_id = ? AND journal_seq = ? AND revision = ?")) {
            check.setLong(1, caseId);
            check.setString(2, journalId);
            check.setLong(3, v.event().seq());
            check.setInt(4, v.revision());
            try (ResultSet rs = check.executeQuery()) {
                if (rs.next()) {
                    return false;
                }
            }
        }
        insertLink(c, caseId, v);
        return true;
    }

    private void insertLink(Connection c, long caseId, Verdict v) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO case_events (case_id, journal_id, journal_seq, revision, received_at, "
                + "host, criterion_id, level, facts, raw_text) VALUES (?,?,?,?,?,?,?,?,?,?)")) {
            ps.setLong(1, caseId);
            ps.setString(2, journalId);
            ps.setLong(3, v.event().seq());
            ps.setInt(4, v.revision());
            ps.setTimestamp(5, Timestamp.from(v.event().receipt().receivedAt()));
            ps.setString(6, v.event().host());
            ps.setString(7, v.criterionId());
            ps.setInt(8, v.level());
            ps.setString(9, truncate(String.join("; ", v.facts()), 4000));
            // with its control characters shown as \xNN when it had any (the journal keeps the bytes)
            ps.setString(10, truncate(v.event().fields().getOrDefault(csirt.agent.parse.EventParser.RECEIVED_TEXT, v.event().text()),
                    RAW_TEXT_MAX));
            ps.executeUpdate();
        }
    }

    private static void timeline(Connection c, long caseId, Instant at, String kind, String text) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO timeline (case_id, at, kind, actor, text) VALUES (?,?,?,?,?)")) {
            ps.setLong(1, caseId);
            ps.setTimestamp(2, Timestamp.from(at));
            ps.setString(3, kind);
            ps.setString(4, "agent");
            ps.setString(5, truncate(text, 4000));
            ps.executeUpdate();
        }
    }

    private static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }

    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private List<CaseRecord> query(String sql, Binder binder) {
        List<CaseRecord> out = new ArrayList<>();
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(row(rs));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    private static CaseRecord row(ResultSet rs) throws SQLException {
        return new CaseRecord(rs.getLong("id"), rs.getString("case_key"), rs.getString("category"), rs.getInt("level"),
                rs.getString("state"), rs.getString("title"), rs.getString("criterion_id"), rs.getString("annex_id"),
                rs.getString("host"), rs.getTimestamp("opened_at").toInstant(), rs.getTimestamp("first_seen").toInstant(),
                rs.getTimestamp("last_seen").toInstant(), rs.getInt("event_count"), rs.getString("first_notice_id"),
                rs.getInt("pending_updates"), rs.getTimestamp("last_notice_at") == null ? null : rs.getTimestamp("last_notice_at").toInstant(),
                rs.getInt("priority"), rs.getString("assignee"), rs.getInt("recurrences"), rs.getLong("previous_case_id"),
                rs.getTimestamp("closed_at") == null ? null : rs.getTimestamp("closed_at").toInstant());
    }

    @Override
    public void close() throws IOException {
        ds.close();
    }
}
