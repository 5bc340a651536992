-- A case is acknowledged by a person's first step on it (a state change, a note, an assignment):
-- until then the agent reminds the reporting chain (notice.ack.*). Times are epoch milliseconds
-- (the same in SQLite and PostgreSQL, whatever the server's zone).
CREATE TABLE case_acks (
    case_id         BIGINT      NOT NULL PRIMARY KEY REFERENCES cases(id),
    acknowledged_at BIGINT,
    acknowledged_by VARCHAR(64),
    reminded_at     BIGINT,
    reminders       INTEGER     DEFAULT 0 NOT NULL
);
-- Cases a person already acted on before this table existed are acknowledged (at 0: before it was
-- recorded), so an upgrade does not remind about them.
INSERT INTO case_acks (case_id, acknowledged_at, acknowledged_by)
    SELECT DISTINCT case_id, 0, 'before-upgrade' FROM timeline
    WHERE kind IN ('state', 'note', 'assigned') AND actor NOT IN ('agent', 'intake', 'silence-watch', 'journal-verifier');
