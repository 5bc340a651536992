-- Which senders sent how much, per day (in notice.zone): the plan's 5(1)② check that the logs
-- needed are collected (`coverage`). Times are epoch milliseconds. Added from memory every minute.
CREATE TABLE source_days (
    day        VARCHAR(10)  NOT NULL,
    host       VARCHAR(255) NOT NULL,
    count      BIGINT       NOT NULL,
    first_seen BIGINT       NOT NULL,
    last_seen  BIGINT       NOT NULL,
    PRIMARY KEY (day, host)
);
