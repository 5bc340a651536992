-- What people write into Report form 1 (the parts marked 【要記入】), per case and section; the
-- agent fills the rest from the case. Kept as written, with who wrote it last and when.
CREATE TABLE report_fields (
    case_id    BIGINT      NOT NULL REFERENCES cases(id),
    field      VARCHAR(40) NOT NULL,
    text       TEXT        NOT NULL,
    updated_by VARCHAR(64) NOT NULL,
    updated_at TIMESTAMP   NOT NULL,
    PRIMARY KEY (case_id, field)
);
