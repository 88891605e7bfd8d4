-- Vigil schema v1 (PostgreSQL). Kept in step with ../sqlite/20261123000001_initial.sql:
-- same tables, same columns, same constraints; only the type names differ.
-- Identifiers are random UUIDs as text; times are Unix milliseconds (UTC).

CREATE TABLE organisations (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    slug        TEXT NOT NULL UNIQUE,
    is_demo     BIGINT NOT NULL DEFAULT 0,
    created_at  BIGINT NOT NULL
);

-- Staff accounts. Candidates are not users: they hold an invitation.
CREATE TABLE users (
    id             TEXT PRIMARY KEY,
    org_id         TEXT NOT NULL REFERENCES organisations(id),
    email          TEXT NOT NULL UNIQUE,          -- stored lower-case
    display_name   TEXT NOT NULL,
    role           TEXT NOT NULL CHECK (role IN ('admin', 'recruiter', 'psychologist')),
    password_hash  TEXT,                          -- argon2id PHC string; NULL until set
    active         BIGINT NOT NULL DEFAULT 1,
    created_at     BIGINT NOT NULL
);
CREATE INDEX users_org ON users(org_id);

-- Signed-in staff sessions; only a hash of the cookie value is stored.
CREATE TABLE staff_sessions (
    id_hash       TEXT PRIMARY KEY,
    user_id       TEXT NOT NULL REFERENCES users(id),
    org_id        TEXT NOT NULL REFERENCES organisations(id),
    created_at    BIGINT NOT NULL,
    last_seen_at  BIGINT NOT NULL,
    expires_at    BIGINT NOT NULL,
    second_factor_at  BIGINT                       -- room for TOTP
);
CREATE INDEX staff_sessions_user ON staff_sessions(user_id);

CREATE TABLE campaigns (
    id                   TEXT PRIMARY KEY,
    org_id               TEXT NOT NULL REFERENCES organisations(id),
    name                 TEXT NOT NULL,
    role_family          TEXT NOT NULL,
    battery              TEXT NOT NULL,            -- JSON: instruments, bank versions + hashes, norm tables
    time_limit_minutes   BIGINT,
    adaptive             BIGINT NOT NULL DEFAULT 0,
    candidate_feedback   BIGINT NOT NULL DEFAULT 0,
    invitation_ttl_days  BIGINT NOT NULL DEFAULT 14,
    status               TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
    created_by           TEXT REFERENCES users(id),
    created_at           BIGINT NOT NULL
);
CREATE INDEX campaigns_org ON campaigns(org_id);

-- Identity of a candidate, kept apart from responses so erasure and
-- retention purges can remove it while aggregate statistics survive.
CREATE TABLE candidates (
    id          TEXT PRIMARY KEY,
    org_id      TEXT NOT NULL REFERENCES organisations(id),
    name        TEXT,
    email       TEXT,
    language    TEXT NOT NULL DEFAULT 'en',
    created_at  BIGINT NOT NULL,
    erased_at   BIGINT
);
CREATE INDEX candidates_org ON candidates(org_id);

CREATE TABLE invitations (
    id            TEXT PRIMARY KEY,
    org_id        TEXT NOT NULL REFERENCES organisations(id),
    campaign_id   TEXT NOT NULL REFERENCES campaigns(id),
    candidate_id  TEXT NOT NULL REFERENCES candidates(id),
    token_hash    TEXT NOT NULL UNIQUE,            -- SHA-256 of the link token; the token itself is never stored
    language      TEXT NOT NULL DEFAULT 'en',
    status        TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'revoked')),
    expires_at    BIGINT NOT NULL,
    created_by    TEXT REFERENCES users(id),
    created_at    BIGINT NOT NULL,
    UNIQUE (campaign_id, candidate_id)
);
CREATE INDEX invitations_campaign ON invitations(org_id, campaign_id);

-- One candidate's assessment session (at most one per invitation).
CREATE TABLE assessment_sessions (
    id               TEXT PRIMARY KEY,
    org_id           TEXT NOT NULL REFERENCES organisations(id),
    campaign_id      TEXT NOT NULL REFERENCES campaigns(id),
    invitation_id    TEXT NOT NULL UNIQUE REFERENCES invitations(id),
    status           TEXT NOT NULL CHECK (status IN ('in_progress', 'completed', 'expired')),
    notice_version   TEXT NOT NULL,                -- the privacy notice the candidate acknowledged
    acknowledged_at  BIGINT NOT NULL,
    language         TEXT NOT NULL,
    seed             BIGINT NOT NULL,             -- adaptive item selection replays from this
    deadline_at      BIGINT,                      -- time limit, enforced by the server
    started_at       BIGINT NOT NULL,
    completed_at     BIGINT
);
CREATE INDEX assessment_sessions_campaign ON assessment_sessions(org_id, campaign_id);

-- Answers: one row per session + item, written by a single UPSERT. A retry
-- with the same or an older sequence number changes nothing; a newer one
-- (the candidate changed their answer) wins.
CREATE TABLE answers (
    session_id   TEXT NOT NULL REFERENCES assessment_sessions(id),
    instrument   TEXT NOT NULL,
    item_id      TEXT NOT NULL,
    value        TEXT NOT NULL,
    latency_ms   BIGINT,
    client_seq   BIGINT NOT NULL,
    revisions    BIGINT NOT NULL DEFAULT 1,
    answered_at  BIGINT NOT NULL,
    PRIMARY KEY (session_id, instrument, item_id)
);

-- Scores are never updated in place; every row says exactly what produced it.
CREATE TABLE scores (
    id               TEXT PRIMARY KEY,
    org_id           TEXT NOT NULL REFERENCES organisations(id),
    session_id       TEXT NOT NULL REFERENCES assessment_sessions(id),
    instrument       TEXT NOT NULL,
    method           TEXT NOT NULL CHECK (method IN ('ctt', 'irt', 'cat')),
    bank_version     TEXT NOT NULL,
    bank_hash        TEXT NOT NULL,
    norm_table_id    TEXT,
    norm_table_hash  TEXT,
    engine_version   TEXT NOT NULL,
    validity_status  TEXT NOT NULL CHECK (validity_status IN ('ok', 'caution', 'invalid')),
    report           TEXT NOT NULL,                -- JSON ScoreReport
    created_at       BIGINT NOT NULL
);
CREATE INDEX scores_session ON scores(org_id, session_id);

CREATE TABLE audit_log (
    id           TEXT PRIMARY KEY,
    org_id       TEXT REFERENCES organisations(id),
    actor_id     TEXT,                             -- a user id, or NULL for the system / a candidate
    actor_kind   TEXT NOT NULL CHECK (actor_kind IN ('user', 'candidate', 'system')),
    action       TEXT NOT NULL,
    object_type  TEXT NOT NULL,
    object_id    TEXT,
    detail       TEXT,                             -- JSON, never secrets
    at           BIGINT NOT NULL
);
CREATE INDEX audit_log_org_at ON audit_log(org_id, at);
