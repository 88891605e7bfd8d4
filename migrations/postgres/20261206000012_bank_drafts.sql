-- Instruments authored in the browser (postgres). Kept in step with ../sqlite/20261206000012_bank_drafts.sql.

-- An instrument id an organisation authors under. Ids are unique across
-- organisations (sessions and scores name banks by id and version); the
-- ids of the banks shipped with Vigil are never stored here.
CREATE TABLE instrument_owners (
    instrument TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL
);

-- A published version: its text is immutable (nothing updates this table;
-- a correction is a new version), with who published it, when and why.
CREATE TABLE bank_versions (
    instrument TEXT NOT NULL REFERENCES instrument_owners(instrument) ON DELETE CASCADE,
    version TEXT NOT NULL,
    org_id TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    source TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    parent TEXT,
    published_by TEXT NOT NULL,
    published_at BIGINT NOT NULL,
    note TEXT NOT NULL,
    PRIMARY KEY (instrument, version)
);
CREATE INDEX bank_versions_org ON bank_versions (org_id, instrument);

-- A draft: its newest revision number (saves compare it, so two people
-- editing at once get a conflict, not a lost change), where it came from,
-- and once published the version it became.
CREATE TABLE bank_drafts (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    instrument TEXT NOT NULL,
    parent TEXT,
    revision BIGINT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open', 'published', 'discarded')),
    published_version TEXT,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX bank_drafts_org ON bank_drafts (org_id, status, updated_at);

-- Every saved revision of a draft, kept so any can be restored.
CREATE TABLE bank_draft_revisions (
    draft_id TEXT NOT NULL REFERENCES bank_drafts(id) ON DELETE CASCADE,
    revision BIGINT NOT NULL,
    source TEXT NOT NULL,
    saved_by TEXT NOT NULL,
    saved_at BIGINT NOT NULL,
    note TEXT NOT NULL,
    PRIMARY KEY (draft_id, revision)
);
