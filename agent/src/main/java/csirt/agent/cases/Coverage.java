package csirt.agent.cases;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * How far the cases cover a journal: every incident judged from its records up to the covered
 * sequence number is in the cases (those still held by the triage state aside). Advanced inside
 * the transaction that stores those cases, so it can never say more than the database holds; a
 * restart after a crash judges again from the record after it.
 */
final class Coverage {

    private Coverage() {
    }

    /** Raises the covered seq of {@code journalId} to {@code seq} (never lowers it), in the caller's transaction. */
    static void advance(Connection c, String journalId, long seq) throws SQLException {
        if (seq <= 0) {
            return;
        }
        // UPDATE, then INSERT when there was no row: the same SQL for SQLite and PostgreSQL
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE coverage SET covered_seq = CASE WHEN covered_seq > ? THEN covered_seq ELSE ? END WHERE journal_id = ?")) {
            ps.setLong(1, seq);
            ps.setLong(2, seq);
            ps.setString(3, journalId);
            if (ps.executeUpdate() > 0) {
                return;
            }
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO coverage (journal_id, covered_seq) VALUES (?, ?)")) {
            ps.setString(1, journalId);
            ps.setLong(2, seq);
            ps.executeUpdate();
        }
    }

    /** The covered seq of {@code journalId}; -1 when the cases have never recorded any (a new store, or one of an earlier version). */
    static long of(Connection c, String journalId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT covered_seq FROM coverage WHERE journal_id = ?")) {
            ps.setString(1, journalId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : -1;
            }
        }
    }
}
