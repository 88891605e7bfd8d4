-- The users table rebuilt with the security role (SQLite): run by
-- Store::allow_security_role with foreign keys off, in one transaction,
-- after every migration. It must hold every column users has after the
-- last migration (a column left out here would be lost on a new database;
-- tests/store.rs checks).
CREATE TABLE users_new (
    id             TEXT PRIMARY KEY,
    org_id         TEXT NOT NULL REFERENCES organisations(id),
    email          TEXT NOT NULL UNIQUE,          -- stored lower-case
    display_name   TEXT NOT NULL,
    -- security: reads workforce results and champions, nothing of hiring.
    role           TEXT NOT NULL CHECK (role IN ('admin', 'recruiter', 'psychologist', 'security')),
    password_hash  TEXT,                          -- argon2id PHC string; NULL until set
    active         INTEGER NOT NULL DEFAULT 1,
    created_at     INTEGER NOT NULL,
    deactivated_at INTEGER,
    totp_secret TEXT,
    totp_enabled_at INTEGER,
    totp_last_step INTEGER,
    language       TEXT NOT NULL DEFAULT 'en'
);
INSERT INTO users_new (id, org_id, email, display_name, role, password_hash, active, created_at, deactivated_at, totp_secret, totp_enabled_at, totp_last_step, language)
    SELECT id, org_id, email, display_name, role, password_hash, active, created_at, deactivated_at, totp_secret, totp_enabled_at, totp_last_step, language FROM users;
DROP TABLE users;
ALTER TABLE users_new RENAME TO users;
CREATE INDEX users_org ON users(org_id);
