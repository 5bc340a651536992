package csirt.agent.cases;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agents that share one case database, each fed the same stream with a journal of its own:
 * every agent writes a beat every few seconds, and the one holding the lease of the shared timed
 * jobs (updates, reminders, the digest, the daily counts) runs them, so they happen once. When the
 * holder stops beating (killed, its machine down), its lease runs out and another agent takes it
 * at its next beat. Opening and escalation notices need no lease: they are stored with the case
 * change that caused them, by whichever agent made it, and the outbox's claims send each once.
 *
 * <p>In the embedded database this agent is alone by construction: always the holder, no rows.
 * Times are the agents' clocks: keep them synchronised (NTP), as the journal's times need anyway.
 */
public final class Peers {

    private static final Logger LOG = LoggerFactory.getLogger(Peers.class);
    private static final String JOBS = "timed-jobs";

    /** Another agent that beat within the lease. */
    public record Peer(String agentId, String host, Instant startedAt, Instant beatAt) {
    }

    private final Transactions tx;
    private final boolean shared;
    private volatile boolean leader;
    private volatile Instant leaderUntil = Instant.MIN;
    private volatile List<Peer> peers = List.of();
    private volatile Instant lastBeat;
    private volatile String lastError;
    private volatile String agentId = "local";
    private volatile String host = "localhost";
    private volatile Instant startedAt = Instant.now();
    private volatile Duration lease = Duration.ofSeconds(15);

    Peers(Transactions tx, boolean shared) {
        this.tx = tx;
        this.shared = shared;
    }

    /** Who this agent is among those sharing the database, since when, and how long its lease of the timed jobs lasts. */
    public void joinAs(String agentId, String host, Instant startedAt, Duration lease) {
        this.agentId = agentId;
        this.host = host;
        this.startedAt = startedAt;
        this.lease = lease;
    }

    /** Whether other agents may share the database (PostgreSQL). */
    public boolean shared() {
        return shared;
    }

    /**
     * Says this agent is alive, takes or keeps the lease of the timed jobs when it is free or its
     * holder's ran out, and reads which other agents beat within the lease.
     */
    public void beat(Instant now) {
        if (!shared) {
            return;
        }
        Instant at = now.truncatedTo(ChronoUnit.MILLIS);
        try {
            Object[] out = tx.write("beat in the shared case database", c -> {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO agents (agent_id, host, started_at, beat_at) VALUES (?,?,?,?) "
                        + "ON CONFLICT (agent_id) DO UPDATE SET host = excluded.host, started_at = excluded.started_at, beat_at = excluded.beat_at")) {
                    ps.setString(1, agentId);
                    ps.setString(2, host);
                    ps.setTimestamp(3, Timestamp.from(startedAt));
                    ps.setTimestamp(4, Timestamp.from(at));
                    ps.executeUpdate();
                }
                // taken when free, kept by its holder, taken over once the holder's time ran out
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO leases (name, holder, expires_at) VALUES (?,?,?) "
                        + "ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at "
                        + "WHERE leases.holder = excluded.holder OR leases.expires_at < ?")) {
                    ps.setString(1, JOBS);
                    ps.setString(2, agentId);
                    ps.setTimestamp(3, Timestamp.from(at.plus(lease)));
                    ps.setTimestamp(4, Timestamp.from(at));
                    ps.executeUpdate();
                }
                String holder;
                try (PreparedStatement ps = c.prepareStatement("SELECT holder FROM leases WHERE name = ?")) {
                    ps.setString(1, JOBS);
                    try (ResultSet rs = ps.executeQuery()) {
                        holder = rs.next() ? rs.getString(1) : null;
                    }
                }
                List<Peer> alive = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement("SELECT agent_id, host, started_at, beat_at FROM agents "
                        + "WHERE agent_id <> ? AND beat_at >= ? ORDER BY agent_id")) {
                    ps.setString(1, agentId);
                    ps.setTimestamp(2, Timestamp.from(at.minus(lease)));
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            alive.add(new Peer(rs.getString(1), rs.getString(2), rs.getTimestamp(3).toInstant(), rs.getTimestamp(4).toInstant()));
                        }
                    }
                }
                return new Object[] {agentId.equals(holder), alive};
            });
            boolean nowLeader = (Boolean) out[0];
            @SuppressWarnings("unchecked")
            List<Peer> alive = (List<Peer>) out[1];
            said(nowLeader, alive);
            leader = nowLeader;
            leaderUntil = at.plus(lease);
            peers = List.copyOf(alive);
            lastBeat = at;
            lastError = null;
        } catch (IllegalStateException e) {
            if (lastError == null) {
                LOG.warn("Cannot beat in the shared case database ({}); the other agents take over the timed jobs once this "
                        + "agent's lease runs out", e.getMessage());
            }
            lastError = e.getMessage();
        }
    }

    private void said(boolean nowLeader, List<Peer> alive) {
        if (nowLeader && !leader) {
            LOG.info("This agent runs the shared timed jobs (updates, reminders, the digest){}",
                    alive.isEmpty() ? "; no other agent beats" : "; other agents: " + names(alive));
        }
        for (Peer p : peers) {
            if (alive.stream().noneMatch(a -> a.agentId().equals(p.agentId()))) {
                LOG.warn("The agent {} on {} stopped beating (last beat {}): {}", p.agentId(), p.host(), p.beatAt(),
                        alive.isEmpty() ? "this agent runs alone" : "still running: this agent and " + names(alive));
            }
        }
        for (Peer a : alive) {
            if (peers.stream().noneMatch(p -> p.agentId().equals(a.agentId()))) {
                LOG.info("The agent {} on {} shares the case database (started {})", a.agentId(), a.host(), a.startedAt());
            }
        }
    }

    private static String names(List<Peer> ps) {
        return String.join(", ", ps.stream().map(p -> p.agentId() + " on " + p.host()).toList());
    }

    /** Whether this agent runs the shared timed jobs now: always in the embedded database; while its lease lasts in a shared one. */
    public boolean leader() {
        return !shared || (leader && Instant.now().isBefore(leaderUntil));
    }

    /** The other agents that beat within the lease at the last beat (none in the embedded database). */
    public List<Peer> others() {
        return peers;
    }

    /** When this agent last beat, null before the first (or in the embedded database). */
    public Instant lastBeat() {
        return lastBeat;
    }

    /** At a clean stop: the lease is given back and the agent leaves the list, so another takes over at once. */
    public void leave() {
        if (!shared) {
            return;
        }
        try {
            tx.write("leave the shared case database", c -> {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM leases WHERE name = ? AND holder = ?")) {
                    ps.setString(1, JOBS);
                    ps.setString(2, agentId);
                    ps.executeUpdate();
                }
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM agents WHERE agent_id = ?")) {
                    ps.setString(1, agentId);
                    ps.executeUpdate();
                }
                return null;
            });
        } catch (IllegalStateException e) {
            LOG.warn("Cannot leave the shared case database cleanly ({}); another agent takes over when the lease runs out", e.getMessage());
        }
        leader = false;
    }
}
