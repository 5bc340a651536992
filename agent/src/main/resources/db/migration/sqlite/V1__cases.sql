-- Cases, the events linked to them, and the time-ordered record the plan demands (4(2)①).
-- SQLite (the embedded store): INTEGER PRIMARY KEY AUTOINCREMENT for the identities, ids never reused.
CREATE TABLE cases (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    case_key        VARCHAR(600)  NOT NULL,
    category        VARCHAR(16)   NOT NULL,
    level           INT           NOT NULL,
    state           VARCHAR(32)   NOT NULL,
    title           VARCHAR(600)  NOT NULL,
    criterion_id    VARCHAR(16)   NOT NULL,
    annex_id        VARCHAR(16),
    host            VARCHAR(255),
    opened_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    first_seen      TIMESTAMP WITH TIME ZONE NOT NULL,
    last_seen       TIMESTAMP WITH TIME ZONE NOT NULL,
    event_count     INT           NOT NULL,
    first_notice_id VARCHAR(255)
);
CREATE INDEX cases_by_key ON cases (case_key, state);

CREATE TABLE case_events (
    case_id      BIGINT        NOT NULL REFERENCES cases (id),
    -- which agent's journal holds the record: agents sharing one database have a journal each
    journal_id   VARCHAR(64)   NOT NULL,
    journal_seq  BIGINT        NOT NULL,
    revision     INT           NOT NULL,
    received_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    host         VARCHAR(255),
    criterion_id VARCHAR(16),
    level        INT           NOT NULL,
    facts        VARCHAR(4000),
    raw_text     VARCHAR(8192) NOT NULL,
    -- revision > 0: the same event re-decided by time (a failure still unresolved past an escalation step)
    PRIMARY KEY (case_id, journal_id, journal_seq, revision)
);

CREATE TABLE timeline (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id BIGINT        NOT NULL REFERENCES cases (id),
    at      TIMESTAMP WITH TIME ZONE NOT NULL,
    kind    VARCHAR(32)   NOT NULL,
    actor   VARCHAR(64)   NOT NULL,
    text    VARCHAR(4000) NOT NULL
);
CREATE INDEX timeline_by_case ON timeline (case_id, at, id);
