-- Candidates' requests about their own data (sqlite). Kept in step with ../postgres/20261207000023_subject_requests.sql.
-- kind: 'erasure' (erase my personal data) or 'review' (a person reviews the decision).
-- due_at: when the organisation must have answered (a month after it was made).
-- note: what the candidate wrote; emptied when the candidate's personal data is erased.
CREATE TABLE subject_requests (
    id            TEXT PRIMARY KEY,
    org_id        TEXT NOT NULL REFERENCES organisations(id),
    invitation_id TEXT NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('erasure', 'review')),
    note          TEXT NOT NULL DEFAULT '',
    created_at    BIGINT NOT NULL,
    due_at        BIGINT NOT NULL,
    handled_at    BIGINT,
    handled_by    TEXT,
    outcome       TEXT
);
CREATE INDEX subject_requests_by_org ON subject_requests (org_id, handled_at, due_at);
CREATE INDEX subject_requests_by_invitation ON subject_requests (org_id, invitation_id);
