-- The candidate list filters, sorts and pages in SQL (sqlite). Kept in step with ../postgres/20261207000024_candidate_search.sql.
-- search_key: the candidate's name and e-mail address in lower case, kept
-- on the invitation (each invitation has its own candidate record) so the
-- list's search and name order need no join. Written by Vigil with each new
-- invitation (full Unicode case folding) and emptied on erasure. Existing
-- rows are folded here by the database's LOWER.
ALTER TABLE invitations ADD COLUMN search_key TEXT;
UPDATE invitations SET search_key = (
    SELECT LOWER(TRIM(COALESCE(c.name, '') || ' ' || COALESCE(c.email, ''))) FROM candidates c WHERE c.id = invitations.candidate_id AND c.erased_at IS NULL
);
-- The list's default order (invitation time) walks this.
CREATE INDEX invitations_campaign_created ON invitations(org_id, campaign_id, created_at, id);
