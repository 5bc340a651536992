package csirt.agent.cases;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The SQL of {@link LegalClock}'s state: one row per case a person answered the four questions for. */
final class LegalReports {

    private LegalReports() {
    }

    static void answer(Connection c, long caseId, LegalClock.Answers a, Instant learnedAt, String who) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO legal_reports (case_id, personal, sensitive, financial, wrongful, "
                + "persons, learned_at, answered_by) VALUES (?,?,?,?,?,?,?,?) ON CONFLICT (case_id) DO UPDATE SET "
                + "personal = excluded.personal, sensitive = excluded.sensitive, financial = excluded.financial, "
                + "wrongful = excluded.wrongful, persons = excluded.persons, answered_by = excluded.answered_by")) {
            ps.setLong(1, caseId);
            ps.setInt(2, a.personal() ? 1 : 0);
            ps.setInt(3, a.sensitive() ? 1 : 0);
            ps.setInt(4, a.financial() ? 1 : 0);
            ps.setInt(5, a.wrongful() ? 1 : 0);
            ps.setLong(6, a.persons());
            ps.setLong(7, learnedAt.toEpochMilli());
            ps.setString(8, who.length() > 64 ? who.substring(0, 64) : who);
            ps.executeUpdate();
        }
    }

    static void sent(Connection c, long caseId, LegalClock.Report r, Instant at) throws SQLException {
        String column = r == LegalClock.Report.PRELIMINARY ? "preliminary_sent_at" : "final_sent_at";
        try (PreparedStatement ps = c.prepareStatement("UPDATE legal_reports SET " + column + " = ? WHERE case_id = ?")) {
            ps.setLong(1, at.toEpochMilli());
            ps.setLong(2, caseId);
            ps.executeUpdate();
        }
    }

    /** Records a reminder's tag; an overdue tag replaces the same report's previous one (one a day). */
    static void reminded(Connection c, long caseId, String tag) throws SQLException {
        Optional<LegalClock.State> s = of(c, caseId);
        if (s.isEmpty()) {
            return;
        }
        String prefix = tag.substring(0, tag.indexOf(':') + 1);
        List<String> kept = new ArrayList<>();
        for (String t : s.get().reminded().split(";")) {
            if (!t.isEmpty() && !(tag.contains(":overdue:") && t.startsWith(prefix + "overdue:"))) {
                kept.add(t);
            }
        }
        kept.add(tag);
        try (PreparedStatement ps = c.prepareStatement("UPDATE legal_reports SET reminded = ? WHERE case_id = ?")) {
            ps.setString(1, String.join(";", kept));
            ps.setLong(2, caseId);
            ps.executeUpdate();
        }
    }

    static Optional<LegalClock.State> of(Connection c, long caseId) throws SQLException {
        List<LegalClock.State> l = select(c, "WHERE case_id = " + caseId);
        return l.isEmpty() ? Optional.empty() : Optional.of(l.get(0));
    }

    /** The cases whose reports are not all recorded as sent. */
    static List<LegalClock.State> pending(Connection c) throws SQLException {
        return select(c, "WHERE preliminary_sent_at IS NULL OR final_sent_at IS NULL");
    }

    private static List<LegalClock.State> select(Connection c, String where) throws SQLException {
        List<LegalClock.State> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT case_id, personal, sensitive, financial, wrongful, persons, learned_at, "
                + "answered_by, preliminary_sent_at, final_sent_at, reminded FROM legal_reports " + where + " ORDER BY case_id");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                long pre = rs.getLong(9);
                Instant preliminary = rs.wasNull() ? null : Instant.ofEpochMilli(pre);
                long fin = rs.getLong(10);
                Instant fina = rs.wasNull() ? null : Instant.ofEpochMilli(fin);
                out.add(new LegalClock.State(rs.getLong(1), new LegalClock.Answers(rs.getInt(2) == 1, rs.getInt(3) == 1, rs.getInt(4) == 1,
                        rs.getInt(5) == 1, rs.getLong(6)), Instant.ofEpochMilli(rs.getLong(7)), rs.getString(8), preliminary, fina,
                        rs.getString(11)));
            }
        }
        return out;
    }
}
