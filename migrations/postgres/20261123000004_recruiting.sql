-- Recruiting (postgres). Kept in step with ../sqlite/20261123000004_recruiting.sql.

-- One invitation per e-mail address and campaign, so a re-uploaded CSV
-- creates nothing twice. The key is the SHA-256 of the normalised
-- address (the address itself stays in candidates, apart from responses);
-- NULL for invitations made without an address (any number may exist).
ALTER TABLE invitations ADD COLUMN email_key TEXT;
CREATE UNIQUE INDEX invitations_campaign_email ON invitations(campaign_id, email_key);
-- When and by whom an invitation was withdrawn (status is then 'revoked').
ALTER TABLE invitations ADD COLUMN revoked_at BIGINT;
ALTER TABLE invitations ADD COLUMN revoked_by TEXT REFERENCES users(id);

-- Recruiters' decisions: appended, never changed; the newest is current.
-- Vigil records the decision and its reason; it never makes it.
CREATE TABLE decisions (
    id             TEXT PRIMARY KEY,
    org_id         TEXT NOT NULL REFERENCES organisations(id),
    campaign_id    TEXT NOT NULL REFERENCES campaigns(id),
    invitation_id  TEXT NOT NULL REFERENCES invitations(id),
    decision       TEXT NOT NULL CHECK (decision IN ('advance', 'hold', 'decline')),
    reason         TEXT NOT NULL,
    decided_by     TEXT NOT NULL REFERENCES users(id),
    decided_at     BIGINT NOT NULL
);
CREATE INDEX decisions_invitation ON decisions(org_id, invitation_id, decided_at);

-- E-mails to candidates. Sent by SMTP when configured; otherwise kept here
-- for staff to read and forward. The body holds the candidate's link, so it
-- is emptied once the message is sent or the link stops working
-- ('withdrawn': the invitation was revoked or given a new link before sending).
CREATE TABLE outbox (
    id             TEXT PRIMARY KEY,
    org_id         TEXT NOT NULL REFERENCES organisations(id),
    invitation_id  TEXT REFERENCES invitations(id),
    kind           TEXT NOT NULL CHECK (kind IN ('invitation', 'reminder')),
    to_address     TEXT NOT NULL,
    subject        TEXT NOT NULL,
    body           TEXT NOT NULL,
    status         TEXT NOT NULL CHECK (status IN ('queued', 'sent', 'failed', 'withdrawn')),
    attempts       BIGINT NOT NULL DEFAULT 0,
    last_error     TEXT,
    created_at     BIGINT NOT NULL,
    sent_at        BIGINT
);
CREATE INDEX outbox_org ON outbox(org_id, created_at);
CREATE INDEX outbox_status ON outbox(status, created_at);
