-- What the cases cover of each journal: every incident judged from the records up to covered_seq is
-- in the cases. Written in the same transaction as the cases it speaks for, so after a crash the
-- agent judges again from here, whatever a separate state file says (it can only say more).
CREATE TABLE coverage (
    journal_id  VARCHAR(64) NOT NULL PRIMARY KEY,
    covered_seq BIGINT      NOT NULL
);
