package csirt.agent.cases;

import java.io.Closeable;
import java.io.IOException;
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
 * Cases in an embedded H2 database under the data directory: opens a case for a level 1 or 2
 * verdict, or attaches the verdict to the open case with the same key and raises its level when
 * the verdict is higher; keeps each case's timeline from the reception of its first event.
 *
 * <p>The database runs in H2's mixed mode (AUTO_SERVER), so {@code cases list} works while the
 * daemon holds the file: the second process connects to the first over loopback.
 */
public final class CaseStore implements Closeable {

    public static final String STATE_TRIAGED = "triaged";
    public static final String STATE_CLOSED = "closed";
    private static final int RAW_TEXT_MAX = 8192;

    private final HikariDataSource ds;

    private CaseStore(HikariDataSource ds) {
        this.ds = ds;
    }

    /** Opens (creating and migrating if needed) the case database in {@code dataDir/cases}. */
    public static CaseStore open(Path dataDir) {
        HikariConfig cfg = new HikariConfig();
        Path base = dataDir.resolve("cases").resolve("cases").toAbsolutePath();
        cfg.setJdbcUrl("jdbc:h2:file:" + base + ";AUTO_SERVER=TRUE");
        cfg.setUsername("csirt");
        cfg.setPassword("");
        cfg.setMaximumPoolSize(4);
        cfg.setMinimumIdle(1);
        cfg.setPoolName("cases");
        cfg.setInitializationFailTimeout(10_000);
        HikariDataSource ds = new HikariDataSource(cfg);
        try {
            Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        } catch (RuntimeException e) {
            ds.close();
            throw e;
        }
        return new CaseStore(ds);
    }

    /** Applies a level 1 or 2 verdict: open, attach or escalate. */
    public synchronized CaseChange apply(Verdict v) {
        if (!v.incident()) {
            throw new IllegalArgumentException("level 0 verdicts open no case: " + v.summary());
        }
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                CaseChange change = apply(c, v);
                c.commit();
                return change;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
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
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO cases (case_key, category, level, state, title, "
                    + "criterion_id, annex_id, host, opened_at, first_seen, last_seen, event_count) "
                    + "VALUES (?,?,?,?,?,?,?,?,?,?,?,1)", Statement.RETURN_GENERATED_KEYS)) {
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
            return new CaseChange(CaseChange.Kind.OPENED, find(c, id).orElseThrow(), v, 0);
        }
        CaseRecord cr = open.get();
        if (!insertEvent(c, cr.id(), v)) {
            return new CaseChange(CaseChange.Kind.DUPLICATE, cr, v, cr.level());
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE cases SET event_count = event_count + 1, "
                + "last_seen = GREATEST(last_seen, ?), level = GREATEST(level, ?), "
                + "criterion_id = CASE WHEN ? > level THEN ? ELSE criterion_id END, "
                + "annex_id = CASE WHEN ? > level THEN ? ELSE annex_id END, "
                + "title = CASE WHEN ? > level THEN ? ELSE title END WHERE id = ?")) {
            ps.setTimestamp(1, Timestamp.from(received));
            ps.setInt(2, v.level());
            ps.setInt(3, v.level());
            ps.setString(4, v.criterionId());
            ps.setInt(5, v.level());
            ps.setString(6, v.annexId());
            ps.setInt(7, v.level());
            ps.setString(8, v.title());
            ps.setLong(9, cr.id());
            ps.executeUpdate();
        }
        if (v.revision() == 0) {
            timeline(c, cr.id(), received, "received", reception(v));
        }
        timeline(c, cr.id(), Instant.now(), "triaged", triage(v));
        if (v.level() > cr.level()) {
            timeline(c, cr.id(), Instant.now(), "escalated", "レベル" + cr.level() + "からレベル" + v.level()
                    + "（" + Category.levelJapanese(v.level()) + "）へ引き上げ: " + v.criterionId() + " " + v.title());
            return new CaseChange(CaseChange.Kind.ESCALATED, find(c, cr.id()).orElseThrow(), v, cr.level());
        }
        return new CaseChange(CaseChange.Kind.ATTACHED, find(c, cr.id()).orElseThrow(), v, cr.level());
    }

    private static String reception(Verdict v) {
        var r = v.event().receipt();
        return "受信 seq " + v.event().seq() + "（入力 " + r.input() + "、" + r.transport() + "、送信元 " + r.peer() + "）";
    }

    private static String triage(Verdict v) {
        return (v.revision() > 0 ? "再判定（時間経過） seq " + v.event().seq() + ": " : "") + "判定 " + v.criterionId() + " レベル" + v.level() + " " + v.category().japanese()
                + "（別表1 " + v.annexId() + "「" + v.annexText() + "」）: " + String.join("; ", v.facts());
    }

    /** Records in the timeline that a notice went out (or was written as a file). */
    public void recordNotice(long caseId, String messageId, String text) {
        try (Connection c = ds.getConnection()) {
            timeline(c, caseId, Instant.now(), "notified", text);
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE cases SET first_notice_id = COALESCE(first_notice_id, ?) WHERE id = ?")) {
                ps.setString(1, messageId);
                ps.setLong(2, caseId);
                ps.executeUpdate();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot record the notice of case " + CaseRecord.displayId(caseId), e);
        }
    }

    /** Records in the timeline that a notice could not be delivered, and why. */
    public void recordNoticeFailure(long caseId, String text) {
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
        List<CaseEvent> out = new ArrayList<>();
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT journal_seq, received_at, host, criterion_id, level, facts, raw_text "
                     + "FROM case_events WHERE case_id = ? ORDER BY journal_seq, revision FETCH FIRST ? ROWS ONLY")) {
            ps.setLong(1, caseId);
            ps.setInt(2, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new CaseEvent(rs.getLong(1), rs.getTimestamp(2).toInstant(), rs.getString(3), rs.getString(4),
                            rs.getInt(5), rs.getString(6), rs.getString(7)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    private Optional<CaseRecord> findOpen(Connection c, String key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT * FROM cases WHERE case_key = ? AND state <> ? ORDER BY id DESC FETCH FIRST 1 ROWS ONLY")) {
            ps.setString(1, key);
            ps.setString(2, STATE_CLOSED);
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
    private static boolean insertEvent(Connection c, long caseId, Verdict v) throws SQLException {
        try (PreparedStatement check = c.prepareStatement(
                "SELECT 1 FROM case_events WHERE case_id = ? AND journal_seq = ? AND revision = ?")) {
            check.setLong(1, caseId);
            check.setLong(2, v.event().seq());
            check.setInt(3, v.revision());
            try (ResultSet rs = check.executeQuery()) {
                if (rs.next()) {
                    return false;
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO case_events (case_id, journal_seq, revision, received_at, "
                + "host, criterion_id, level, facts, raw_text) VALUES (?,?,?,?,?,?,?,?,?)")) {
            ps.setLong(1, caseId);
            ps.setLong(2, v.event().seq());
            ps.setInt(3, v.revision());
            ps.setTimestamp(4, Timestamp.from(v.event().receipt().receivedAt()));
            ps.setString(5, v.event().host());
            ps.setString(6, v.criterionId());
            ps.setInt(7, v.level());
            ps.setString(8, truncate(String.join("; ", v.facts()), 4000));
            ps.setString(9, truncate(v.event().text(), RAW_TEXT_MAX));
            ps.executeUpdate();
        }
        return true;
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
                rs.getTimestamp("last_seen").toInstant(), rs.getInt("event_count"), rs.getString("first_notice_id"));
    }

    @Override
    public void close() throws IOException {
        ds.close();
    }
}
