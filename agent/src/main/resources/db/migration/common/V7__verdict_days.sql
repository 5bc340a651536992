-- Verdicts per day (in notice.zone) by category and level, level 0 included: the console's overview
-- shows what was judged, not only what became a case. Added from the agent's memory every minute
-- (a crash loses at most that minute's counts; the journal and the cases lose nothing).
CREATE TABLE verdict_days (
    day      VARCHAR(10) NOT NULL,
    category VARCHAR(16) NOT NULL,
    level    INTEGER     NOT NULL,
    count    BIGINT      NOT NULL,
    PRIMARY KEY (day, category, level)
);
