-- Durable jobs (sqlite). Kept in step with ../postgres/20261206000009_jobs.sql.

-- Work that outlives a request: claimed by one worker at a time under a
-- lease that its heartbeat extends; a lease that runs out (the process
-- died) lets another worker claim the job again. A recurring job is one row
-- that goes back to 'queued' after each run (every_ms later). Times are Unix
-- milliseconds. See server/src/jobs.rs.
CREATE TABLE jobs (
    id TEXT PRIMARY KEY,
    org_id TEXT REFERENCES organisations(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    -- One job per key at a time (recurring jobs: the kind's name).
    dedupe_key TEXT UNIQUE,
    payload TEXT NOT NULL DEFAULT '{}',
    -- 'queued', 'running', 'done' or 'failed'.
    status TEXT NOT NULL DEFAULT 'queued',
    run_after INTEGER NOT NULL,
    every_ms INTEGER,
    attempts INTEGER NOT NULL DEFAULT 0,
    max_attempts INTEGER NOT NULL DEFAULT 5,
    lease_owner TEXT,
    lease_until INTEGER,
    result TEXT,
    last_error TEXT,
    created_by TEXT,
    created_at INTEGER NOT NULL,
    started_at INTEGER,
    finished_at INTEGER
);
CREATE INDEX jobs_due ON jobs (status, run_after);
CREATE INDEX jobs_org ON jobs (org_id, kind, created_at);
