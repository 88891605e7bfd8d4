-- Analysis sheets (sqlite). Kept in step with ../postgres/20261206000010_analysis_sheets.sql.

-- One row per completed session and bank: its answers as one record of the
-- analysis layout (`responses.csv`: a pseudonym, then every item and its
-- latency), written when the session is finished, so item analysis and the
-- export read one short row per session instead of every answer. Never a
-- name or an address; the session id only links it for erasure cascades.
CREATE TABLE analysis_sheets (
    session_id TEXT NOT NULL REFERENCES assessment_sessions(id) ON DELETE CASCADE,
    instrument TEXT NOT NULL,
    bank_version TEXT NOT NULL,
    org_id TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    campaign_id TEXT NOT NULL,
    completed_at INTEGER NOT NULL,
    language TEXT NOT NULL,
    adaptive INTEGER NOT NULL,
    validity_status TEXT NOT NULL,
    record TEXT NOT NULL,
    PRIMARY KEY (session_id, instrument)
);
CREATE INDEX analysis_sheets_bank ON analysis_sheets (org_id, instrument, bank_version, completed_at);

-- How far a running job has come (0 to 1), for the pages that wait on it.
ALTER TABLE jobs ADD COLUMN progress REAL;
