package csirt.agent.cases;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import csirt.agent.parse.Event;

/**
 * Messages per sender (the host an event names), counted on the judge thread and added to the
 * store's per-day table by a timed job: when each source last sent and how much, for the plan's
 * check that the logs needed are actually collected (5(1)②). A flood of invented host names is
 * bounded: past {@link #MAX_HOSTS} names in one minute the rest count as one "(others)".
 */
public final class SourceTally {

    static final int MAX_HOSTS = 10_000;
    static final String OTHERS = "(others)";

    /** count, first seen, last seen (epoch ms) of one host since the last drain. */
    private Map<String, long[]> counts = new HashMap<>();

    /** One event: its sender counted (the agent's own messages are not a source). */
    public synchronized void seen(Event e) {
        if (e.host() == null || "internal".equals(e.receipt().transport())) {
            return;
        }
        String host = e.host().length() > 255 ? e.host().substring(0, 255) : e.host();
        long[] c = counts.get(host);
        if (c == null) {
            String key = counts.size() >= MAX_HOSTS ? OTHERS : host;
            c = counts.computeIfAbsent(key, k -> new long[] {0, Long.MAX_VALUE, 0});
        }
        long at = e.receipt().receivedAt().toEpochMilli();
        c[0]++;
        c[1] = Math.min(c[1], at);
        c[2] = Math.max(c[2], at);
    }

    /** The counts since the last call, by host as sent (lower-cased when stored). */
    public synchronized Map<String, long[]> drain() {
        Map<String, long[]> out = counts;
        counts = new HashMap<>();
        return out;
    }

    /** Adds drained counts to {@code day}'s rows (one upsert per host, the same SQL for SQLite and PostgreSQL). */
    static void add(Connection c, LocalDate day, Map<String, long[]> drained) throws SQLException {
        Map<String, long[]> merged = new HashMap<>();
        drained.forEach((host, v) -> merged.merge(host.toLowerCase(Locale.ROOT), v.clone(),
                (a, b) -> new long[] {a[0] + b[0], Math.min(a[1], b[1]), Math.max(a[2], b[2])}));
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO source_days (day, host, count, first_seen, last_seen) VALUES (?,?,?,?,?) "
                + "ON CONFLICT (day, host) DO UPDATE SET count = source_days.count + excluded.count, "
                + "first_seen = CASE WHEN excluded.first_seen < source_days.first_seen THEN excluded.first_seen ELSE source_days.first_seen END, "
                + "last_seen = CASE WHEN excluded.last_seen > source_days.last_seen THEN excluded.last_seen ELSE source_days.last_seen END")) {
            for (Map.Entry<String, long[]> e : merged.entrySet()) {
                ps.setString(1, day.toString());
                ps.setString(2, e.getKey());
                ps.setLong(3, e.getValue()[0]);
                ps.setLong(4, e.getValue()[1]);
                ps.setLong(5, e.getValue()[2]);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** What one sender sent: in all, over the recent days, and when first and last. */
    public record Sent(String host, long total, long recent, Instant firstSeen, Instant lastSeen) {
    }

    /** Every sender ever counted, with its messages since {@code recentFrom} (inclusive). */
    static Map<String, Sent> senders(Connection c, LocalDate recentFrom) throws SQLException {
        Map<String, Sent> out = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT host, SUM(count), SUM(CASE WHEN day >= ? THEN count ELSE 0 END), "
                + "MIN(first_seen), MAX(last_seen) FROM source_days GROUP BY host ORDER BY host")) {
            ps.setString(1, recentFrom.toString());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), new Sent(rs.getString(1), rs.getLong(2), rs.getLong(3), Instant.ofEpochMilli(rs.getLong(4)),
                            Instant.ofEpochMilli(rs.getLong(5))));
                }
            }
        }
        return out;
    }
}
