-- Versions an organisation no longer offers for new campaigns (sqlite). Kept in step with ../postgres/20261206000015_retired_versions.sql.

-- Retiring a version (shipped or the organisation's own) takes it off the
-- campaign form; campaigns made with it keep it, and its data stay. Undone
-- by deleting the row.
CREATE TABLE retired_versions (
    org_id TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    instrument TEXT NOT NULL,
    version TEXT NOT NULL,
    retired_by TEXT NOT NULL,
    retired_at INTEGER NOT NULL,
    PRIMARY KEY (org_id, instrument, version)
);
