-- The plan's lifecycle of a case (4(2)): states, who is on it, priority, recurrences, and the link
-- to an earlier closed case. open_key holds case_key while the case is not closed (NULL once closed):
-- a unique index on it lets only one open case per key exist, even with several writers.
ALTER TABLE cases ADD COLUMN priority INT DEFAULT 4 NOT NULL;
ALTER TABLE cases ADD COLUMN assignee VARCHAR(64);
ALTER TABLE cases ADD COLUMN recurrences INT DEFAULT 0 NOT NULL;
ALTER TABLE cases ADD COLUMN previous_case_id BIGINT;
ALTER TABLE cases ADD COLUMN closed_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE cases ADD COLUMN open_key VARCHAR(600);
UPDATE cases SET open_key = case_key WHERE state <> 'closed';
CREATE UNIQUE INDEX cases_one_open_per_key ON cases (open_key);
