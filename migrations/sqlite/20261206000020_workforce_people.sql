-- Workforce surveys, second part (sqlite). Kept in step with ../postgres/20261206000020_workforce_people.sql.

-- An organisation's workforce settings.
CREATE TABLE workforce_settings (
    org_id TEXT PRIMARY KEY REFERENCES organisations(id) ON DELETE CASCADE,
    -- The answers of a closed wave are deleted this many days after its
    -- close; its suppressed results (survey_waves.results) are kept.
    retention_days INTEGER NOT NULL DEFAULT 365,
    -- The security view flags a unit whose intention to leave or security
    -- climate moved at least this much (scale points) since the last wave.
    flag_change REAL NOT NULL DEFAULT 0.3
);

-- One reminder per wave, on a day the administrator chose, to those who
-- have not answered (participation is known only while the wave is open).
ALTER TABLE survey_waves ADD COLUMN remind_at INTEGER;
-- The address links start with, as the administrator's request had it.
ALTER TABLE survey_waves ADD COLUMN link_base TEXT;
ALTER TABLE survey_waves ADD COLUMN reminded_at INTEGER;
-- JSON: the wave's suppressed results per unit, written at the close, so
-- they outlive the answers; and when the answers were deleted.
ALTER TABLE survey_waves ADD COLUMN results TEXT;
ALTER TABLE survey_waves ADD COLUMN answers_deleted_at INTEGER;

-- An employee's way in to their own page (their strengths report, the
-- champion listing, what Vigil holds about them): a link by e-mail, valid
-- for 7 days, only its SHA-256 kept.
CREATE TABLE employee_links (
    token_hash TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    employee_id TEXT NOT NULL REFERENCES employees(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX employee_links_employee ON employee_links (employee_id);

-- An employee's own Security Values Inventory, for themselves: answers
-- (JSON item -> value) in progress, then sent. Only the employee reads it;
-- the security role sees only what they choose to share (champions).
CREATE TABLE self_assessments (
    employee_id TEXT PRIMARY KEY REFERENCES employees(id) ON DELETE CASCADE,
    org_id TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    instrument TEXT NOT NULL,
    version TEXT NOT NULL,
    answers TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    completed_at INTEGER
);

-- Employees who chose to be listed as a possible security champion, with
-- the strengths they chose to share (JSON: scale id -> band). Withdrawing
-- deletes the row.
CREATE TABLE champions (
    employee_id TEXT PRIMARY KEY REFERENCES employees(id) ON DELETE CASCADE,
    org_id TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    shared TEXT NOT NULL,
    note TEXT,
    listed_at INTEGER NOT NULL
);
CREATE INDEX champions_org ON champions (org_id, listed_at);

-- The audit log names employees as actors too (listing themselves as a
-- champion, withdrawing): SQLite cannot change a CHECK, so the table is
-- rebuilt with every row kept.
CREATE TABLE audit_log_new (
    id           TEXT PRIMARY KEY,
    org_id       TEXT REFERENCES organisations(id),
    actor_id     TEXT,                             -- a user, API key or employee id, or NULL for the system / a candidate
    actor_kind   TEXT NOT NULL CHECK (actor_kind IN ('user', 'candidate', 'system', 'api_key', 'employee')),
    action       TEXT NOT NULL,
    object_type  TEXT NOT NULL,
    object_id    TEXT,
    detail       TEXT,                             -- JSON, never secrets
    at           INTEGER NOT NULL
);
INSERT INTO audit_log_new (id, org_id, actor_id, actor_kind, action, object_type, object_id, detail, at)
    SELECT id, org_id, actor_id, actor_kind, action, object_type, object_id, detail, at FROM audit_log;
DROP TABLE audit_log;
ALTER TABLE audit_log_new RENAME TO audit_log;
CREATE INDEX audit_log_org_at ON audit_log(org_id, at);
