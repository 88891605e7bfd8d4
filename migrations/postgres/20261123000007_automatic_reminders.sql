-- Automatic reminders (postgres). Kept in step with ../sqlite/20261123000007_automatic_reminders.sql.

-- A campaign may remind each candidate who has not finished once, this many
-- days before their link runs out (NULL: never by itself). link_base is the
-- address candidates reach Vigil at, as the campaign's creator used it (for
-- links written without a request, when no public address is configured).
ALTER TABLE campaigns ADD COLUMN reminder_days BIGINT;
ALTER TABLE campaigns ADD COLUMN link_base TEXT;
-- When the automatic reminder went to this invitation (at most once).
ALTER TABLE invitations ADD COLUMN auto_reminded_at BIGINT;
