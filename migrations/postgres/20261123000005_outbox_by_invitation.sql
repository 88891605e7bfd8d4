-- Outbox by invitation (postgres). Kept in step with ../sqlite/20261123000005_outbox_by_invitation.sql.

-- The messages of one invitation: when it was last written to (reminders
-- leave out whoever had an e-mail in the last day) and which messages carry
-- a link that a new one replaces.
CREATE INDEX outbox_invitation ON outbox(invitation_id, created_at);
