-- Norm tables built in the browser (postgres). Kept in step with ../sqlite/20261206000013_norm_tables.sql.

-- A norm table an organisation froze from its own completed sessions: the
-- table's TOML text (the format of the shipped tables), its content hash,
-- how many sessions it rests on and the selection that chose them. Never
-- updated: a new group is a new table.
CREATE TABLE norm_tables (
    org_id TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    instrument TEXT NOT NULL,
    version TEXT NOT NULL,
    id TEXT NOT NULL,
    source TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    sessions BIGINT NOT NULL,
    selection TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (org_id, instrument, version, id)
);
CREATE INDEX norm_tables_created ON norm_tables (created_at);
