-- Workforce survey waves (sqlite). Kept in step with ../postgres/20261206000018_survey_waves.sql.

-- A wave: one workforce instrument for the units it covers (each with
-- everybody below it, JSON ids), open until it is closed.
CREATE TABLE survey_waves (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    instrument TEXT NOT NULL,
    version TEXT NOT NULL,
    units TEXT NOT NULL,
    -- JSON: employees invited per unit (their own unit), for response rates after the close.
    invited TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
    created_by TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    closes_at INTEGER NOT NULL,
    closed_at INTEGER
);
CREATE INDEX survey_waves_org ON survey_waves (org_id, created_at);

-- Participation: an employee's personal link (its SHA-256) and the groups
-- their answers count in, kept apart from the answers and deleted when the
-- wave closes. `answered`: for reminders, no time.
CREATE TABLE wave_links (
    token_hash TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    wave_id TEXT NOT NULL REFERENCES survey_waves(id) ON DELETE CASCADE,
    employee_id TEXT NOT NULL,
    unit_id TEXT NOT NULL,
    location TEXT,
    tenure_band TEXT,
    answered INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX wave_links_wave ON wave_links (wave_id);

-- Answers in progress belong to the link, so an employee can stop and come
-- back; they go when the answers are sent.
CREATE TABLE wave_drafts (
    token_hash TEXT NOT NULL REFERENCES wave_links(token_hash) ON DELETE CASCADE,
    item_id TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (token_hash, item_id)
) WITHOUT ROWID;

-- Sent answers waiting to be released: no link, no person, the day only.
-- Released into wave_responses in shuffled batches of at least five (and
-- all at the close), so their order says nothing about who sent them.
CREATE TABLE wave_inbox (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    wave_id TEXT NOT NULL REFERENCES survey_waves(id) ON DELETE CASCADE,
    unit_id TEXT NOT NULL,
    location TEXT,
    tenure_band TEXT,
    sent_on TEXT NOT NULL,
    answers TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX wave_inbox_wave ON wave_inbox (wave_id);

-- The wave's answers: what group results are computed from.
CREATE TABLE wave_responses (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    wave_id TEXT NOT NULL REFERENCES survey_waves(id) ON DELETE CASCADE,
    unit_id TEXT NOT NULL,
    location TEXT,
    tenure_band TEXT,
    sent_on TEXT NOT NULL,
    answers TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX wave_responses_wave ON wave_responses (wave_id);

-- Survey invitations go through the outbox too (kind 'survey'); SQLite
-- cannot change a CHECK constraint, so the table is rebuilt, every row kept.
CREATE TABLE outbox_new (
    id             TEXT PRIMARY KEY,
    org_id         TEXT NOT NULL REFERENCES organisations(id),
    invitation_id  TEXT REFERENCES invitations(id),
    kind           TEXT NOT NULL CHECK (kind IN ('invitation', 'reminder', 'survey')),
    to_address     TEXT NOT NULL,
    subject        TEXT NOT NULL,
    body           TEXT NOT NULL,
    status         TEXT NOT NULL CHECK (status IN ('queued', 'sent', 'failed', 'withdrawn')),
    attempts       INTEGER NOT NULL DEFAULT 0,
    last_error     TEXT,
    created_at     INTEGER NOT NULL,
    sent_at        INTEGER
);
INSERT INTO outbox_new (id, org_id, invitation_id, kind, to_address, subject, body, status, attempts, last_error, created_at, sent_at)
    SELECT id, org_id, invitation_id, kind, to_address, subject, body, status, attempts, last_error, created_at, sent_at FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_new RENAME TO outbox;
CREATE INDEX outbox_org ON outbox(org_id, created_at);
CREATE INDEX outbox_status ON outbox(status, created_at);
CREATE INDEX outbox_invitation ON outbox(invitation_id, created_at);
