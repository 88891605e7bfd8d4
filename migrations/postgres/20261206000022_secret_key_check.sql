-- The key that seals secrets at rest (postgres). Kept in step with ../sqlite/20261206000022_secret_key_check.sql.
-- One row: the fingerprint (not the key) of the key the database's second-factor and
-- webhook secrets are sealed with (server/src/sealing.rs). A process started with
-- another key is refused; `vigil secret-key rotate` re-seals and changes the row.
CREATE TABLE secret_key_check (
    id     INTEGER PRIMARY KEY CHECK (id = 1),
    key_id TEXT NOT NULL,
    since  BIGINT NOT NULL
);
