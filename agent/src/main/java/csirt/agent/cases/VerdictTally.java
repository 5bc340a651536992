package csirt.agent.cases;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

import csirt.agent.triage.Category;
import csirt.agent.triage.Verdict;

/**
 * Verdicts counted per category and level as they are decided (one array slot, no allocation on
 * the judge thread), and added to the store's per-day table by a timed job: the overview's daily
 * counts of level 0 to 2 without a write per event.
 */
public final class VerdictTally {

    /** Categories as the table names them; "none": no criterion matched. */
    public static final String[] CATEGORIES = {"outage", "cyber", "theft", "none"};

    private final LongAdder[] counts = new LongAdder[CATEGORIES.length * 3];

    public VerdictTally() {
        for (int i = 0; i < counts.length; i++) {
            counts[i] = new LongAdder();
        }
    }

    /** Counts one verdict (a repeat too: it was judged). */
    public void count(Verdict v) {
        if (v.event().receipt().input().startsWith("drill")) {
            return; // a drill's verdicts are kept out of the counts
        }
        Category c = v.category();
        int row = c == null ? 3 : c.ordinal();
        int level = Math.max(0, Math.min(2, v.level()));
        counts[row * 3 + level].increment();
    }

    /** Takes the counts since the last call: "category:level" → count, zeros left out. */
    public Map<String, Long> drain() {
        Map<String, Long> out = new LinkedHashMap<>();
        for (int i = 0; i < counts.length; i++) {
            long n = counts[i].sumThenReset();
            if (n > 0) {
                out.put(CATEGORIES[i / 3] + ":" + (i % 3), n);
            }
        }
        return out;
    }

    /** Adds drained counts to {@code day}'s rows (one upsert per category and level, the same SQL for SQLite and PostgreSQL). */
    static void add(Connection c, LocalDate day, Map<String, Long> drained) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO verdict_days (day, category, level, count) VALUES (?,?,?,?) "
                + "ON CONFLICT (day, category, level) DO UPDATE SET count = verdict_days.count + excluded.count")) {
            for (Map.Entry<String, Long> e : drained.entrySet()) {
                int colon = e.getKey().indexOf(':');
                ps.setString(1, day.toString());
                ps.setString(2, e.getKey().substring(0, colon));
                ps.setInt(3, Integer.parseInt(e.getKey().substring(colon + 1)));
                ps.setLong(4, e.getValue());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** The rows from {@code from} on: "yyyy-mm-dd|category|level" → count. */
    static Map<String, Long> since(Connection c, LocalDate from) throws SQLException {
        Map<String, Long> out = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT day, category, level, count FROM verdict_days WHERE day >= ? ORDER BY day")) {
            ps.setString(1, from.toString());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1) + "|" + rs.getString(2) + "|" + rs.getInt(3), rs.getLong(4));
                }
            }
        }
        return out;
    }
}
