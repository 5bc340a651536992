package csirt.agent.cases;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Whether a person has acted on a case yet (plan 4(2)④: a serious incident nobody acts on is what
 * the reporting chain exists to prevent), and when the agent last reminded about it. The first
 * state change, note or assignment by a person acknowledges the case; the agent's own steps and the
 * intake's record of a report do not.
 */
public final class Acknowledgements {

    /** Actors that are the agent, not a person. */
    static final Set<String> AUTOMATIC = Set.of("agent", "intake", "silence-watch", "journal-verifier");

    /** An open case nobody has acted on, and the reminders so far. */
    public record Waiting(CaseRecord caseRecord, Instant remindedAt, int reminders) {
    }

    private Acknowledgements() {
    }

    /** The first step of a person acknowledges; later ones change nothing. */
    static void acknowledge(Connection c, long caseId, String who, Instant at) throws SQLException {
        if (who == null || AUTOMATIC.contains(who)) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO case_acks (case_id, acknowledged_at, acknowledged_by) VALUES (?,?,?) "
                + "ON CONFLICT (case_id) DO UPDATE SET acknowledged_at = COALESCE(case_acks.acknowledged_at, excluded.acknowledged_at), "
                + "acknowledged_by = COALESCE(case_acks.acknowledged_by, excluded.acknowledged_by)")) {
            ps.setLong(1, caseId);
            ps.setLong(2, at.toEpochMilli());
            ps.setString(3, who.length() > 64 ? who.substring(0, 64) : who);
            ps.executeUpdate();
        }
    }

    /** Records that a reminder about the case was queued at {@code at}. */
    static void reminded(Connection c, long caseId, Instant at) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO case_acks (case_id, reminded_at, reminders) VALUES (?,?,1) "
                + "ON CONFLICT (case_id) DO UPDATE SET reminded_at = excluded.reminded_at, reminders = case_acks.reminders + 1")) {
            ps.setLong(1, caseId);
            ps.setLong(2, at.toEpochMilli());
            ps.executeUpdate();
        }
    }

    /** How many open incidents no person has acted on, and when the oldest was opened (null: none); one query, for the metrics. */
    static Object[] summary(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*), MIN(c.opened_at) FROM cases c LEFT JOIN case_acks a "
                + "ON a.case_id = c.id WHERE c.open_key IS NOT NULL AND c.level >= 1 AND a.acknowledged_at IS NULL AND c.case_key NOT LIKE 'drill:%'");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            java.sql.Timestamp oldest = rs.getTimestamp(2);
            return new Object[] {rs.getInt(1), oldest == null ? null : oldest.toInstant()};
        }
    }

    /** The open incidents (level 1 and 2) no person has acted on, oldest first: the cases, then their reminders (two queries). */
    static List<Waiting> waiting(Connection c) throws SQLException {
        List<CaseRecord> open = CaseRows.cases(c, "WHERE open_key IS NOT NULL AND level >= 1 AND id NOT IN "
                + "(SELECT case_id FROM case_acks WHERE acknowledged_at IS NOT NULL) ORDER BY id", ps -> { });
        java.util.Map<Long, long[]> reminders = new java.util.HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT case_id, reminded_at, reminders FROM case_acks WHERE reminded_at IS NOT NULL");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                reminders.put(rs.getLong(1), new long[] {rs.getLong(2), rs.getInt(3)});
            }
        }
        List<Waiting> out = new ArrayList<>(open.size());
        for (CaseRecord cr : open) {
            long[] r = reminders.get(cr.id());
            out.add(new Waiting(cr, r == null ? null : Instant.ofEpochMilli(r[0]), r == null ? 0 : (int) r[1]));
        }
        return out;
    }

    /** Who acknowledged the case and when, or null while nobody has. */
    static Object[] of(Connection c, long caseId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT acknowledged_at, acknowledged_by FROM case_acks WHERE case_id = ?")) {
            ps.setLong(1, caseId);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    long at = rs.getLong(1);
                    if (!rs.wasNull()) {
                        return new Object[] {Instant.ofEpochMilli(at), rs.getString(2)};
                    }
                }
            }
        }
        return null;
    }
}
