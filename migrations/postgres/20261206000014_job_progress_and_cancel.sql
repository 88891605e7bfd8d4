-- What a long job is doing, and asking it to stop (postgres). Kept in step with ../sqlite/20261206000014_job_progress_and_cancel.sql.

-- A line for the page that waits on the job ("scale 2 of 8, EM cycle 14,
-- log-likelihood -12345.6").
ALTER TABLE jobs ADD COLUMN progress_note TEXT;
-- Someone asked a running job to stop; its handler sees it when it next
-- reports progress, stops, and the job ends as cancelled.
ALTER TABLE jobs ADD COLUMN cancel_requested BIGINT NOT NULL DEFAULT 0;
