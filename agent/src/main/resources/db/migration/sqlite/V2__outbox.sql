-- The durable outbox (notices are stored before they are sent and deleted only after the SMTP
-- server accepted them) and what storm control needs to know about each case.
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id         BIGINT,
    kind            VARCHAR(32)   NOT NULL,
    level           INT           NOT NULL,
    message_id      VARCHAR(255)  NOT NULL,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    attempts        INT           NOT NULL,
    next_attempt_at TIMESTAMP WITH TIME ZONE NOT NULL,
    last_error      VARCHAR(1000),
    kept_as_file    BOOLEAN       NOT NULL,
    message         BLOB          NOT NULL
);
CREATE INDEX outbox_due ON outbox (next_attempt_at);

ALTER TABLE cases ADD COLUMN pending_updates INT DEFAULT 0 NOT NULL;
ALTER TABLE cases ADD COLUMN last_notice_at TIMESTAMP WITH TIME ZONE;
