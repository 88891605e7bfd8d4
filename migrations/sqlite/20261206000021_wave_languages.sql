-- The languages a survey wave is offered in (sqlite). Kept in step with ../postgres/20261206000021_wave_languages.sql.
-- JSON: language codes, the first the language of the e-mails; NULL for waves made before (English first).
ALTER TABLE survey_waves ADD COLUMN languages TEXT;
