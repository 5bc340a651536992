package csirt.agent.cases;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import csirt.agent.parse.EventParser;
import csirt.agent.triage.Verdict;

/**
 * The SQL of the cases: every statement on the tables {@code cases}, {@code case_events} and
 * {@code timeline}, on the caller's connection (inside its transaction). The same SQL serves
 * SQLite and PostgreSQL. No decisions here: {@link CaseRules} makes them, {@link CaseStore} runs them.
 */
final class CaseRows {

    private static final int RAW_TEXT_MAX = 8192;
    private static final int TEXT_MAX = 4000;

    private volatile String journalId = "local";
    /** A database several agents share (PostgreSQL): rows are locked, and the same event from two journals is counted once. */
    private volatile boolean shared;

    /** The journal whose sequence numbers the events refer to. */
    void journalId(String id) {
        this.journalId = id;
    }

    String journalId() {
        return journalId;
    }

    void shared(boolean shared) {
        this.shared = shared;
    }

    boolean shared() {
        return shared;
    }

    // ---- cases

    /**
     * The open case of {@code key}. In a shared database its row is locked until the transaction
     * ends: two agents judging the same event take turns on the case, and the second sees what the
     * first wrote (its level, the event it linked) instead of deciding on the same old row.
     */
    Optional<CaseRecord> findOpen(Connection c, String key) throws SQLException {
        return one(c, "SELECT * FROM cases WHERE open_key = ?" + (shared ? " FOR UPDATE" : ""), ps -> ps.setString(1, key));
    }

    /** Locks a case's row in a shared database (no-op in the embedded one, whose writer is alone). */
    void lock(Connection c, long caseId) throws SQLException {
        if (shared) {
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM cases WHERE id = ? FOR UPDATE")) {
                ps.setLong(1, caseId);
                ps.executeQuery().close();
            }
        }
    }

    /**
     * Locks the open cases of these keys in one order (by key) in a shared database: two agents whose
     * batches touch the same cases in different orders then wait for each other instead of deadlocking.
     */
    void lockOpen(Connection c, java.util.Collection<String> keys) throws SQLException {
        if (!shared || keys.isEmpty()) {
            return;
        }
        List<String> sorted = new ArrayList<>(new java.util.TreeSet<>(keys));
        for (int from = 0; from < sorted.size(); from += 500) {
            List<String> part = sorted.subList(from, Math.min(sorted.size(), from + 500));
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM cases WHERE open_key IN ("
                    + String.join(",", java.util.Collections.nCopies(part.size(), "?")) + ") ORDER BY open_key FOR UPDATE")) {
                for (int i = 0; i < part.size(); i++) {
                    ps.setString(i + 1, part.get(i));
                }
                ps.executeQuery().close();
            }
        }
    }

    static Optional<CaseRecord> find(Connection c, long id) throws SQLException {
        return one(c, "SELECT * FROM cases WHERE id = ?", ps -> ps.setLong(1, id));
    }

    /** The last closed case of {@code key}, or 0. */
    static long previousClosed(Connection c, String key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM cases WHERE case_key = ? AND open_key IS NULL ORDER BY id DESC LIMIT 1")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    /** A new open case for {@code v}, linked to {@code previous} (a closed case of the same key) when that is not 0; its id. */
    static long insertOpened(Connection c, Verdict v, int priority, long previous) throws SQLException {
        Instant received = v.event().receipt().receivedAt();
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO cases (case_key, category, level, state, title, "
                + "criterion_id, annex_id, host, opened_at, first_seen, last_seen, event_count, open_key, priority, previous_case_id) "
                + "VALUES (?,?,?,?,?,?,?,?,?,?,?,1,?,?,?)", Statement.RETURN_GENERATED_KEYS)) {
            ps.setString(1, v.caseKey());
            ps.setString(2, v.category().id());
            ps.setInt(3, v.level());
            ps.setString(4, CaseState.TRIAGED);
            ps.setString(5, v.title());
            ps.setString(6, v.criterionId());
            ps.setString(7, v.annexId());
            ps.setString(8, v.event().host());
            ps.setTimestamp(9, Timestamp.from(Instant.now()));
            ps.setTimestamp(10, Timestamp.from(received));
            ps.setTimestamp(11, Timestamp.from(received));
            ps.setString(12, v.caseKey());
            ps.setInt(13, priority);
            if (previous > 0) {
                ps.setLong(14, previous);
            } else {
                ps.setNull(14, Types.BIGINT);
            }
            return insert(ps);
        }
    }

    /** A record of a report that is not an incident (state not-incident, level 0); its id. */
    static long insertNotIncident(Connection c, Verdict v) throws SQLException {
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
            return insert(ps);
        }
    }

    /** One more event that raises the case to the verdict's level, criterion and title. */
    static void escalate(Connection c, long caseId, Verdict v, boolean newHost) throws SQLException {
        Instant received = v.event().receipt().receivedAt();
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
            ps.setLong(++i, caseId);
            ps.executeUpdate();
        }
    }

    /** {@code events} more events (waiting for the next update), {@code newHosts} of them from hosts new to the case. */
    static void attach(Connection c, long caseId, int events, int newHosts, Instant last) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE cases SET event_count = event_count + ?, "
                + "last_seen = CASE WHEN last_seen > ? THEN last_seen ELSE ? END, hosts = hosts + ?, pending_updates = pending_updates + ? WHERE id = ?")) {
            ps.setInt(1, events);
            ps.setTimestamp(2, Timestamp.from(last));
            ps.setTimestamp(3, Timestamp.from(last));
            ps.setInt(4, newHosts);
            ps.setInt(5, events);
            ps.setLong(6, caseId);
            ps.executeUpdate();
        }
    }

    static void addRecurrences(Connection c, long caseId, int n) throws SQLException {
        update(c, "UPDATE cases SET recurrences = recurrences + ? WHERE id = ?", ps -> {
            ps.setInt(1, n);
            ps.setLong(2, caseId);
        });
    }

    static void priority(Connection c, long caseId, int priority) throws SQLException {
        update(c, "UPDATE cases SET priority = ? WHERE id = ?", ps -> {
            ps.setInt(1, priority);
            ps.setLong(2, caseId);
        });
    }

    static int hosts(Connection c, long caseId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT hosts FROM cases WHERE id = ?")) {
            ps.setLong(1, caseId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getInt(1) : 1;
            }
        }
    }

    /** A notice was queued: the first notice id (threading), when, and no update pending any more. */
    static void noticed(Connection c, long caseId, String messageId) throws SQLException {
        update(c, "UPDATE cases SET first_notice_id = COALESCE(first_notice_id, ?), last_notice_at = ?, pending_updates = 0 WHERE id = ?", ps -> {
            ps.setString(1, messageId);
            ps.setTimestamp(2, Timestamp.from(Instant.now()));
            ps.setLong(3, caseId);
        });
    }

    /** A new state; {@code openKey} null frees the key (closed, or not an incident). */
    static void state(Connection c, long caseId, String state, String openKey, Instant closedAt) throws SQLException {
        update(c, "UPDATE cases SET state = ?, open_key = ?, closed_at = ? WHERE id = ?", ps -> {
            ps.setString(1, state);
            ps.setString(2, openKey);
            ps.setTimestamp(3, closedAt == null ? null : Timestamp.from(closedAt));
            ps.setLong(4, caseId);
        });
    }

    static void assignee(Connection c, long caseId, String assignee) throws SQLException {
        update(c, "UPDATE cases SET assignee = ? WHERE id = ?", ps -> {
            ps.setString(1, assignee);
            ps.setLong(2, caseId);
        });
    }

    static List<CaseRecord> cases(Connection c, String where, Binder binder) throws SQLException {
        List<CaseRecord> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT * FROM cases " + where)) {
            binder.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(row(rs));
                }
            }
        }
        return out;
    }

    // ---- events

    /** True when no event of the case came from {@code host} yet (index case_events_by_host). */
    static boolean isNewHost(Connection c, long caseId, String host) throws SQLException {
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

    /**
     * The (case, seq, revision) links that exist already for the journal records of a batch, found
     * with one range query (index case_events_by_seq) instead of one query per event.
     */
    Set<String> linked(Connection c, List<Verdict> vs) throws SQLException {
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (Verdict v : vs) {
            min = Math.min(min, v.event().seq());
            max = Math.max(max, v.event().seq());
        }
        Set<String> out = new HashSet<>();
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

    static String linkKey(long caseId, Verdict v) {
        return caseId + ":" + v.event().seq() + ":" + v.revision();
    }

    /** What linking an event to a case did. */
    enum Link {
        /** This journal's record was linked already (a verdict judged again): nothing written. */
        ALREADY,
        /** A new event of the case. */
        NEW,
        /** Linked as evidence, but another agent's journal holds the same event in this case already: not counted again. */
        MIRROR
    }

    /**
     * Links the event to the case. With {@code linked} (from {@link #linked}) no query is made to
     * find out whether it was linked already. In a shared database the event's text is compared with
     * the other journals' events of the case: two agents fed the same stream each journal every event,
     * and the case counts it once. The n-th copy of a text from this journal is a mirror when another
     * journal has at least n copies of it in the case, so a line that really repeats (the same failed
     * login twice in a second) still counts twice.
     */
    Link insertEvent(Connection c, long caseId, Verdict v, Set<String> linked) throws SQLException {
        if (linked != null) {
            if (!linked.add(linkKey(caseId, v))) {
                return Link.ALREADY;
            }
        } else {
            try (PreparedStatement check = c.prepareStatement(
                    "SELECT 1 FROM case_events WHERE case_id = ? AND journal_id = ? AND journal_seq = ? AND revision = ?")) {
                check.setLong(1, caseId);
                check.setString(2, journalId);
                check.setLong(3, v.event().seq());
                check.setInt(4, v.revision());
                try (ResultSet rs = check.executeQuery()) {
                    if (rs.next()) {
                        return Link.ALREADY;
                    }
                }
            }
        }
        String raw = truncate(v.event().fields().getOrDefault(EventParser.RECEIVED_TEXT, v.event().text()), RAW_TEXT_MAX);
        String fingerprint = shared ? fingerprint(raw) : null;
        boolean mirror = shared && mirrored(c, caseId, fingerprint, v.revision());
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO case_events (case_id, journal_id, journal_seq, revision, received_at, "
                + "host, criterion_id, level, facts, raw_text, fingerprint, mirror) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)")) {
            ps.setLong(1, caseId);
            ps.setString(2, journalId);
            ps.setLong(3, v.event().seq());
            ps.setInt(4, v.revision());
            ps.setTimestamp(5, Timestamp.from(v.event().receipt().receivedAt()));
            ps.setString(6, v.event().host());
            ps.setString(7, v.criterionId());
            ps.setInt(8, v.level());
            ps.setString(9, truncate(String.join("; ", v.facts()), TEXT_MAX));
            // with its control characters shown as \xNN when it had any (the journal keeps the bytes)
            ps.setString(10, raw);
            ps.setString(11, fingerprint);
            ps.setBoolean(12, mirror);
            ps.executeUpdate();
        }
        return mirror ? Link.MIRROR : Link.NEW;
    }

    /** Whether this journal's next copy of the text is one another journal of the case already holds. */
    private boolean mirrored(Connection c, long caseId, String fingerprint, int revision) throws SQLException {
        long mine = 0;
        long others = 0;
        try (PreparedStatement ps = c.prepareStatement("SELECT journal_id, COUNT(*) FROM case_events WHERE case_id = ? AND fingerprint = ? "
                + "AND revision = ? GROUP BY journal_id")) {
            ps.setLong(1, caseId);
            ps.setString(2, fingerprint);
            ps.setInt(3, revision);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (journalId.equals(rs.getString(1))) {
                        mine = rs.getLong(2);
                    } else {
                        others = Math.max(others, rs.getLong(2));
                    }
                }
            }
        }
        return mine < others;
    }

    /** 128 bits of the text's SHA-256, in hex: equal texts from two journals. */
    static String fingerprint(String text) {
        try {
            byte[] d = java.security.MessageDigest.getInstance("SHA-256").digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(d, 0, 16);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    /** This journal's records linked to the case (mirrors included): what an export of this agent's journal holds. */
    List<Long> journalSeqs(Connection c, long caseId) throws SQLException {
        List<Long> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT journal_seq FROM case_events WHERE case_id = ? AND journal_id = ? "
                + "ORDER BY journal_seq")) {
            ps.setLong(1, caseId);
            ps.setString(2, journalId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getLong(1));
                }
            }
        }
        return out;
    }

    /** The case's events, in journal order or (latest) the newest first, at most {@code limit}. */
    static List<CaseEvent> events(Connection c, long caseId, int limit, boolean latest) throws SQLException {
        List<CaseEvent> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT journal_seq, received_at, host, criterion_id, level, facts, raw_text "
                + "FROM case_events WHERE case_id = ? AND mirror = FALSE ORDER BY " + (latest ? "journal_seq DESC, revision DESC" : "journal_seq, revision")
                + " LIMIT ?")) {
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

    /** This journal's sequence numbers of cases not closed, or seen after {@code since} (the legal hold). */
    Set<Long> heldSeqs(Connection c, Instant since) throws SQLException {
        Set<Long> out = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT e.journal_seq FROM case_events e JOIN cases c ON c.id = e.case_id "
                + "WHERE e.journal_id = ? AND (c.open_key IS NOT NULL OR COALESCE(c.closed_at, c.last_seen) >= ?)")) {
            ps.setString(1, journalId);
            ps.setTimestamp(2, Timestamp.from(since));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getLong(1));
                }
            }
        }
        return out;
    }

    // ---- Report form 1

    static java.util.Map<String, String> reportFields(Connection c, long caseId) throws SQLException {
        java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT field, text FROM report_fields WHERE case_id = ? ORDER BY field")) {
            ps.setLong(1, caseId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        return out;
    }

    /** Writes (or replaces) one field; the same upsert for SQLite and PostgreSQL. */
    static void reportField(Connection c, long caseId, String field, String text, String who) throws SQLException {
        update(c, "INSERT INTO report_fields (case_id, field, text, updated_by, updated_at) VALUES (?,?,?,?,?) "
                + "ON CONFLICT (case_id, field) DO UPDATE SET text = excluded.text, updated_by = excluded.updated_by, "
                + "updated_at = excluded.updated_at", ps -> {
                    ps.setLong(1, caseId);
                    ps.setString(2, field);
                    ps.setString(3, truncate(text, TEXT_MAX));
                    ps.setString(4, who == null || who.isBlank() ? "unknown" : who.length() > 64 ? who.substring(0, 64) : who);
                    ps.setTimestamp(5, Timestamp.from(Instant.now()));
                });
    }

    // ---- timeline

    /** An entry by {@code actor} ("agent" for the agent's own steps); the actor is cut at 64 characters, the text at 4,000. */
    static void timeline(Connection c, long caseId, Instant at, String kind, String actor, String text) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO timeline (case_id, at, kind, actor, text) VALUES (?,?,?,?,?)")) {
            ps.setLong(1, caseId);
            ps.setTimestamp(2, Timestamp.from(at));
            ps.setString(3, kind);
            ps.setString(4, actor == null || actor.isBlank() ? "unknown" : actor.length() > 64 ? actor.substring(0, 64) : actor);
            ps.setString(5, truncate(text, TEXT_MAX));
            ps.executeUpdate();
        }
    }

    static List<TimelineEntry> timeline(Connection c, long caseId) throws SQLException {
        List<TimelineEntry> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT at, kind, actor, text FROM timeline WHERE case_id = ? ORDER BY at, id")) {
            ps.setLong(1, caseId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new TimelineEntry(rs.getTimestamp(1).toInstant(), rs.getString(2), rs.getString(3), rs.getString(4)));
                }
            }
        }
        return out;
    }

    // ----

    /** Binds a statement's parameters. */
    @FunctionalInterface
    interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private static Optional<CaseRecord> one(Connection c, String sql, Binder binder) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(row(rs)) : Optional.empty();
            }
        }
    }

    private static void update(Connection c, String sql, Binder binder) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            ps.executeUpdate();
        }
    }

    private static long insert(PreparedStatement ps) throws SQLException {
        ps.executeUpdate();
        try (ResultSet keys = ps.getGeneratedKeys()) {
            keys.next();
            return keys.getLong(1);
        }
    }

    static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max - 1) + "…";
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
}
