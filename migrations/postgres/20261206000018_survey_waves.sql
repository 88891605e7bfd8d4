-- Workforce survey waves (postgres). Kept in step with ../sqlite/20261206000018_survey_waves.sql.

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
    created_at BIGINT NOT NULL,
    closes_at BIGINT NOT NULL,
    closed_at BIGINT
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
);

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
);
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
);
CREATE INDEX wave_responses_wave ON wave_responses (wave_id);

-- Survey invitations go through the outbox too (kind 'survey').
ALTER TABLE outbox DROP CONSTRAINT outbox_kind_check;
ALTER TABLE outbox ADD CONSTRAINT outbox_kind_check CHECK (kind IN ('invitation', 'reminder', 'survey'));
