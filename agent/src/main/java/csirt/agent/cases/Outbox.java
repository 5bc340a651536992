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


/**
 * The durable outbox: a notice is stored here before any attempt to send it (in the same
 * transaction as the case change that caused it) and deleted only after the SMTP server accepted
 * it. Failed attempts are retried with exponential backoff, across restarts.
 *
 * <p>Agents sharing one database send each notice once: a delivery pass claims its rows for a while
 * ({@link #claim}; in PostgreSQL with {@code FOR UPDATE SKIP LOCKED}, so two passes never wait for
 * each other nor take the same row), and a row whose claimer died before the SMTP server accepted it
 * is taken over once the claim has run out. One that died between the server's acceptance and the
 * row's removal is sent again, with the same Message-ID (a mail client shows it once).
 */
public final class Outbox {

    private final Transactions tx;
    private final boolean shared;
    private final Duration firstRetry;
    private final Duration maxRetry;

    /**
     * @param tx     the case store's transactions: one write lock for every writer of the database
     * @param shared PostgreSQL, which other agents may share: claims skip the rows another pass has locked
     */
    Outbox(Transactions tx, boolean shared, Duration firstRetry, Duration maxRetry) {
        this.tx = tx;
        this.shared = shared;
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
        return tx.write("store the notice " + messageId + " in the outbox", c -> add(c, caseId, kind, level, messageId, message));
    }

    /** Notices whose next attempt is due, oldest first, at most {@code limit}. */
    public List<OutboxItem> due(Instant now, int limit) {
        return query("SELECT * FROM outbox WHERE next_attempt_at <= ? ORDER BY id LIMIT ?", now, limit);
    }

    /**
     * Claims for {@code agent} until {@code now + lease} the notices whose next attempt is due and
     * that nobody else holds a live claim on, oldest first, at most {@code limit}; returns them.
     */
    public List<OutboxItem> claim(String agent, Instant now, int limit, Duration lease) {
        // milliseconds: what both databases store exactly, so that the claim is found again by its time
        Instant ms = now.truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        Timestamp at = Timestamp.from(ms);
        Timestamp until = Timestamp.from(ms.plus(lease));
        if (!shared) {
            // the embedded database has one agent, whose passes take turns: a read, without the write lock
            // (a claim would wait for the case writer's transaction, and every notice with it)
            return due(now, limit);
        }
        return tx.write("claim the notices due in the outbox", c -> {
            String free = "next_attempt_at <= ? AND (claimed_until IS NULL OR claimed_until < ?)";
            // PostgreSQL: the rows another agent's pass holds are skipped, the ones taken stay locked until the commit
            List<Long> ids = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM outbox WHERE " + free + " ORDER BY id LIMIT ?"
                    + (shared ? " FOR UPDATE SKIP LOCKED" : ""))) {
                ps.setTimestamp(1, at);
                ps.setTimestamp(2, at);
                ps.setInt(3, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getLong(1));
                    }
                }
            }
            if (ids.isEmpty()) {
                return List.<OutboxItem>of();
            }
            String in = " id IN (" + String.join(",", java.util.Collections.nCopies(ids.size(), "?")) + ")";
            try (PreparedStatement ps = c.prepareStatement("UPDATE outbox SET claimed_by = ?, claimed_until = ? WHERE" + in)) {
                int i = 0;
                ps.setString(++i, agent);
                ps.setTimestamp(++i, until);
                for (long id : ids) {
                    ps.setLong(++i, id);
                }
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM outbox WHERE" + in + " ORDER BY id")) {
                int i = 0;
                for (long id : ids) {
                    ps.setLong(++i, id);
                }
                return items(ps);
            }
        });
    }

    /**
     * Frees the claims {@code agent} held before it stopped (killed in the middle of a delivery pass):
     * its notices are sent now, not once those claims run out. Called at start; returns how many.
     */
    public int releaseClaims(String agent) {
        return tx.write("release this agent's earlier claims in the outbox", c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE outbox SET claimed_by = NULL, claimed_until = NULL WHERE claimed_by = ?")) {
                ps.setString(1, agent);
                return ps.executeUpdate();
            }
        });
    }

    public List<OutboxItem> all() {
        return query("SELECT * FROM outbox ORDER BY id LIMIT ?", null, 100_000);
    }

    /** The SMTP server accepted it (or it was written as a file): it leaves the outbox. */
    public void delivered(long id) {
        update("DELETE FROM outbox WHERE id = ?", id);
    }

    /** An attempt failed: count it, remember why, and schedule the next one with exponential backoff. */
    public Instant failed(long id, int attemptsBefore, String error) {
        long factor = 1L << Math.min(20, attemptsBefore);
        Duration delay = firstRetry.multipliedBy(factor);
        if (delay.compareTo(maxRetry) > 0) {
            delay = maxRetry;
        }
        Instant next = Instant.now().plus(delay);
        return tx.write("record the failed attempt of outbox item " + id, c -> {
            // the claim ends with the attempt: after the backoff any agent may try it
            try (PreparedStatement ps = c.prepareStatement("UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ?, "
                    + "claimed_by = NULL, claimed_until = NULL WHERE id = ?")) {
                ps.setString(1, error == null ? null : error.length() > 1000 ? error.substring(0, 1000) : error);
                ps.setTimestamp(2, Timestamp.from(next));
                ps.setLong(3, id);
                ps.executeUpdate();
            }
            return next;
        });
    }

    /** Marks that a copy was written to data/notices/failed for a person to send by hand. */
    public void keptAsFile(long id) {
        update("UPDATE outbox SET kept_as_file = TRUE WHERE id = ?", id);
    }

    /** How many notices wait; -1 when the database cannot say. */
    public int depth() {
        try {
            return tx.read("count the outbox", c -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM outbox"); ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getInt(1);
                }
            });
        } catch (IllegalStateException e) {
            return -1;
        }
    }

    /** When the oldest waiting notice was stored, or null when none waits (or the database cannot say). */
    public Instant oldest() {
        try {
            return tx.read("read the outbox", c -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT MIN(created_at) FROM outbox"); ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    Timestamp t = rs.getTimestamp(1);
                    return t == null ? null : t.toInstant();
                }
            });
        } catch (IllegalStateException e) {
            return null;
        }
    }

    private void update(String sql, long id) {
        tx.write("update outbox item " + id, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setLong(1, id);
                return ps.executeUpdate();
            }
        });
    }

    private List<OutboxItem> query(String sql, Instant now, int limit) {
        return tx.read("read the outbox", c -> {
            List<OutboxItem> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                int i = 1;
                if (now != null) {
                    ps.setTimestamp(i++, Timestamp.from(now));
                }
                ps.setInt(i, limit);
                out.addAll(items(ps));
            }
            return out;
        });
    }

    private static List<OutboxItem> items(PreparedStatement ps) throws SQLException {
        List<OutboxItem> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new OutboxItem(rs.getLong("id"), rs.getLong("case_id"), rs.getString("kind"), rs.getInt("level"),
                        rs.getString("message_id"), rs.getTimestamp("created_at").toInstant(), rs.getInt("attempts"),
                        rs.getTimestamp("next_attempt_at").toInstant(), rs.getString("last_error"),
                        rs.getBoolean("kept_as_file"), rs.getBytes("message")));
            }
        }
        return out;
    }
}
