-- How many distinct hosts a case's events came from (it raises the priority, up to 5 hosts),
-- kept on the case instead of counted over all its events for every event attached: a case with
-- tens of thousands of events (a worm, a brute force) must not make each new event slower.
ALTER TABLE cases ADD COLUMN hosts INT DEFAULT 1 NOT NULL;
UPDATE cases SET hosts = (SELECT COUNT(DISTINCT e.host) FROM case_events e WHERE e.case_id = cases.id)
    WHERE EXISTS (SELECT 1 FROM case_events e WHERE e.case_id = cases.id);
CREATE INDEX case_events_by_host ON case_events (case_id, host);
-- Which events of a journal are linked already: one range query per batch instead of one per event.
CREATE INDEX case_events_by_seq ON case_events (journal_id, journal_seq);
