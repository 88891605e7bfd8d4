-- Staff sign-in (SQLite). Kept in step with ../postgres/20261123000003_staff_auth.sql.

-- When an admin deactivated the account (users.active is then 0).
ALTER TABLE users ADD COLUMN deactivated_at INTEGER;

-- Failed sign-ins, for the rate limit per account and per address. Kept in
-- the database (not in memory) so that several `vigil serve` processes
-- behind one load balancer share the count. Rows older than the window are
-- deleted as new ones arrive.
CREATE TABLE login_failures (
    id     TEXT PRIMARY KEY,
    email  TEXT NOT NULL,                          -- as typed, lower-case; need not be a user
    ip     TEXT NOT NULL,
    at     INTEGER NOT NULL
);
CREATE INDEX login_failures_email ON login_failures(email, at);
CREATE INDEX login_failures_ip ON login_failures(ip, at);

-- One-time links with which an invited staff member sets their password.
-- Only the SHA-256 of the link's token is stored.
CREATE TABLE password_setups (
    token_hash  TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users(id),
    org_id      TEXT NOT NULL REFERENCES organisations(id),
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL,
    used_at     INTEGER
);
CREATE INDEX password_setups_user ON password_setups(user_id);
