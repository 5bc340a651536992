-- The report of a personal-data breach to the Personal Information Protection Commission (個人情報
-- 保護法26条1項, 施行規則7条・8条): the four triggers a person answers, the number of persons, when
-- the CSIRT learned of it (the case's first reception), and when each report was recorded as sent.
-- Times are epoch milliseconds. The nine items of 規則8条1項 are kept in report_fields (ppc.*).
CREATE TABLE legal_reports (
    case_id             BIGINT      NOT NULL PRIMARY KEY REFERENCES cases(id),
    personal            INTEGER     NOT NULL,
    sensitive           INTEGER     NOT NULL,
    financial           INTEGER     NOT NULL,
    wrongful            INTEGER     NOT NULL,
    persons             BIGINT      NOT NULL,
    learned_at          BIGINT      NOT NULL,
    answered_by         VARCHAR(64) NOT NULL,
    preliminary_sent_at BIGINT,
    final_sent_at       BIGINT,
    reminded            VARCHAR(200) DEFAULT '' NOT NULL
);
