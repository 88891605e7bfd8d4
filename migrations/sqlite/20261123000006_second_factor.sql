-- Staff second factor (sqlite). Kept in step with ../postgres/20261123000006_second_factor.sql.

-- The TOTP secret (base32). Written when enrolment starts; the factor is on
-- only once a first code confirmed it (totp_enabled_at). totp_last_step is
-- the time step of the last code accepted: a code works once.
ALTER TABLE users ADD COLUMN totp_secret TEXT;
ALTER TABLE users ADD COLUMN totp_enabled_at INTEGER;
ALTER TABLE users ADD COLUMN totp_last_step INTEGER;

-- One-time recovery codes for a lost authenticator: only their SHA-256 is kept.
CREATE TABLE recovery_codes (
    code_hash   TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users(id),
    created_at  INTEGER NOT NULL,
    used_at     INTEGER
);
CREATE INDEX recovery_codes_user ON recovery_codes(user_id);
