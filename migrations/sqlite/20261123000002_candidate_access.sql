-- Candidate access: an invitation link's token is exchanged for this
-- cookie-held secret (only its SHA-256 is stored), so the token never
-- stays in the address bar, history or logs. One invitation may have
-- several (another device, another browser).
CREATE TABLE candidate_access (
    id_hash        TEXT PRIMARY KEY,
    org_id         TEXT NOT NULL REFERENCES organisations(id),
    invitation_id  TEXT NOT NULL REFERENCES invitations(id),
    created_at     INTEGER NOT NULL,
    expires_at     INTEGER NOT NULL
);
CREATE INDEX candidate_access_invitation ON candidate_access(invitation_id);
