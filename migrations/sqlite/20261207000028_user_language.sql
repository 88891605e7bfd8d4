-- The language each staff member reads Vigil's pages in (sqlite): 'en' or 'de',
-- chosen on their account page. Kept in step with ../postgres/20261207000028_user_language.sql.
ALTER TABLE users ADD COLUMN language TEXT NOT NULL DEFAULT 'en';
