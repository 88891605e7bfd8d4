-- A staff role for the security team (postgres). Kept in step with
-- ../sqlite/20261206000019_security_role.sql.
-- security: reads workforce results and champions, nothing of hiring.
ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check CHECK (role IN ('admin', 'recruiter', 'psychologist', 'security'));
