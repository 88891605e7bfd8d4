-- Scores meant for individual reports (sqlite). Kept in step with ../postgres/20261206000008_individual_reports.sql.

-- A score record of an instrument not meant for reports about one person
-- (the workforce pulse: results only for groups of at least five) keeps 0
-- here, and no profile, comparison, export or feedback reads it. Until
-- banks declared their intended use, a recruiter could put the pulse in a
-- hiring battery; those scores stay stored (nothing is deleted) but are no
-- longer shown per person.
ALTER TABLE scores ADD COLUMN individual_report INTEGER NOT NULL DEFAULT 1;
UPDATE scores SET individual_report = 0 WHERE instrument = 'pulse';
