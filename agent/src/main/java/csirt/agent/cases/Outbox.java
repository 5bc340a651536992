package csirt.agent.cases;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

/**
 * The durable outbox: a notice is stored here before any attempt to send it (in the same
 * transaction as the case change that caused it) and deleted only after the SMTP server accepted
 * it. Failed attempts are retried with exponential backoff, across restarts.
 */
public final class Outbox {

    private final DataSource ds;
    private final Duration firstRetry;
    private final Duration maxRetry;
    /**
     * The case store's write lock: the agent's writers take turns in the process instead of meeting
     * in the database, where SQLite's busy handler would make one sleep in growing steps (tens to
     * hundreds of milliseconds, which a notice would wait).
     */
    private final Object writeLock;

    Outbox(DataSource ds, Duration firstRetry, Duration maxRetry, Object writeLock) {
        this.ds = ds;
        this.writeLock = writeLock;
        this.firstRetry = firstRetry;
        this.maxRetry = maxRetry;
    }

    /** Stores a notice on the caller's connection (inside its transaction). */
    static long add(Connection c, long caseId, String kind, int level, String messageId, byte[] message) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO outbox (case_id, kind, level, message_id, created_at, attempts, "
                + "next_attempt_at, kept_as_file, message) VALUES (?,?,?,?,?,0,?,FALSE,?)", new String[] {"id"})) {
            Timestamp now = Timestamp.from(Instant.now());
            if (caseId > 0) {
                ps.setLong(1, caseId);
            } else {
                ps.setNull(1, java.sql.Types.BIGINT);
            }
            ps.setString(2, kind);
            ps.setInt(3, level);
            ps.setString(4, messageId);
            ps.setTimestamp(5, now);
            ps.setTimestamp(6, now);
            ps.setBytes(7, message);
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    /** Stores a notice in its own transaction. */
    public long add(long caseId, String kind, int level, String messageId, byte[] message) {
        synchronized (writeLock) {
            return addLocked(caseId, kind, level, messageId, message);
        }
    }

    private long addLocked(long caseId, String kind, int level, String messageId, byte[] message) {
        try (Connection c = ds.getConnection()) {
            return add(c, caseId, kind, level, messageId, message);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot store the notice " + messageId + " in the outbox: " + e.getMessage(), e);
        }
    }

    /** Notices whose next attempt is due, oldest first, at most {@code limit}. */
    public List<OutboxItem> due(Instant now, int limit) {
        return query("SELECT * FROM outbox WHERE next_attempt_at <= ? ORDER BY id LIMIT ?", now, limit);
    }

    public List<OutboxItem> all() {
        return query("SELECT * FROM outbox ORDER BY id LIMIT ?", null, 100_000);
    }

    /** The SMTP server accepted it (or it was written as a file): it leaves the outbox. */
    public void delivered(long id) {
        synchronized (writeLock) {
            update("DELETE FROM outbox WHERE id = ?", id);
        }
    }

    /** An attempt failed: count it, remember why, and schedule the next one with exponential backoff. */
    public Instant failed(long id, int attemptsBefore, String error) {
        synchronized (writeLock) {
            return failedLocked(id, attemptsBefore, error);
        }
    }

    private Instant failedLocked(long id, int attemptsBefore, String error) {
        long factor = 1L << Math.min(20, attemptsBefore);
        Duration delay = firstRetry.multipliedBy(factor);
        if (delay.compareTo(maxRetry) > 0) {
            delay = maxRetry;
        }
        Instant next = Instant.now().plus(delay);
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ? WHERE id = ?")) {
            ps.setString(1, error == null ? null : error.length() > 1000 ? error.substring(0, 1000) : error);
            ps.setTimestamp(2, Timestamp.from(next));
            ps.setLong(3, id);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot record the failed attempt of outbox item " + id, e);
        }
        return next;
    }

    /** Marks that a copy was written to data/notices/failed for a person to send by hand. */
    public void keptAsFile(long id) {
        synchronized (writeLock) {
            update("UPDATE outbox SET kept_as_file = TRUE WHERE id = ?", id);
        }
    }

    /** How many notices wait. */
    public int depth() {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM outbox");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        } catch (SQLException e) {
            return -1;
        }
    }

    /** When the oldest waiting notice was stored, or null when none waits. */
    public Instant oldest() {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT MIN(created_at) FROM outbox");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            Timestamp t = rs.getTimestamp(1);
            return t == null ? null : t.toInstant();
        } catch (SQLException e) {
            return null;
        }
    }

    private void update(String sql, long id) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, id);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot update outbox item " + id + ": " + e.getMessage(), e);
        }
    }

    private List<OutboxItem> query(String sql, Instant now, int limit) {
        List<OutboxItem> out = new ArrayList<>();
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            if (now != null) {
                ps.setTimestamp(i++, Timestamp.from(now));
            }
            ps.setInt(i, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new OutboxItem(rs.getLong("id"), rs.getLong("case_id"), rs.getString("kind"), rs.getInt("level"),
                            rs.getString("message_id"), rs.getTimestamp("created_at").toInstant(), rs.getInt("attempts"),
                            rs.getTimestamp("next_attempt_at").toInstant(), rs.getString("last_error"),
                            rs.getBoolean("kept_as_file"), rs.getBytes("message")));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read the outbox: " + e.getMessage(), e);
        }
        return out;
    }
}
