-- Agents that share one case database (each with its own journal, all fed the same stream):
-- which are alive (each writes beat_at every few seconds) and which one holds the lease of the
-- shared timed jobs (updates, reminders, the digest, the daily counts), so that those run once.
CREATE TABLE agents (
    agent_id   VARCHAR(64)  NOT NULL PRIMARY KEY,
    host       VARCHAR(255) NOT NULL,
    started_at TIMESTAMP WITH TIME ZONE NOT NULL,
    beat_at    TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE TABLE leases (
    name       VARCHAR(64) NOT NULL PRIMARY KEY,
    holder     VARCHAR(64) NOT NULL,
    expires_at TIMESTAMP WITH TIME ZONE NOT NULL
);
-- An agent sending a notice claims its row until claimed_until: another agent leaves it alone
-- meanwhile, and takes it over when the claimer died before the SMTP server accepted it.
ALTER TABLE outbox ADD COLUMN claimed_by VARCHAR(64);
ALTER TABLE outbox ADD COLUMN claimed_until TIMESTAMP WITH TIME ZONE;
-- The same event journaled by two agents: a digest of its text, and whether this row is the copy of
-- an event another agent's journal already linked to the case (kept as evidence, not counted again).
ALTER TABLE case_events ADD COLUMN fingerprint VARCHAR(32);
ALTER TABLE case_events ADD COLUMN mirror BOOLEAN DEFAULT FALSE NOT NULL;
CREATE INDEX case_events_by_fingerprint ON case_events (case_id, fingerprint);
