-- Optional, self-reported group variables for fairness checks (sqlite). Kept in step with ../postgres/20261207000027_group_answers.sql.
-- group_settings: which variables an organisation asks its candidates about
-- (comma-separated ids from Vigil's list, server/src/fairness/variables.rs;
-- empty: none) and its own notice, in English and German.
CREATE TABLE group_settings (
    org_id      TEXT PRIMARY KEY REFERENCES organisations(id),
    variables   TEXT NOT NULL DEFAULT '',
    notice_en   TEXT NOT NULL DEFAULT '',
    notice_de   TEXT NOT NULL DEFAULT '',
    updated_at  BIGINT NOT NULL,
    updated_by  TEXT REFERENCES users(id)
);
-- What a candidate chose to say, by session, never beside a name: no
-- invitation, candidate or e-mail here. "Prefer not to say" stores nothing.
-- Deleted with the candidate's personal data on erasure.
CREATE TABLE group_answers (
    session_id  TEXT NOT NULL REFERENCES assessment_sessions(id),
    org_id      TEXT NOT NULL REFERENCES organisations(id),
    variable    TEXT NOT NULL,
    value       TEXT NOT NULL,
    answered_at BIGINT NOT NULL,
    PRIMARY KEY (session_id, variable)
);
CREATE INDEX group_answers_by_variable ON group_answers (org_id, variable);
