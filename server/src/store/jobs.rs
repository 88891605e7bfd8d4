//! Durable jobs: the rows behind [`crate::jobs`]. A job is claimed by one
//! worker at a time under a lease (`lease_owner`, `lease_until`) that the
//! worker's heartbeat extends; every change a worker makes is conditional on
//! still holding the lease, so a worker that lost it (paused past its lease,
//! another took the job over) cannot overwrite what the other did.
//!
//! Claiming is one statement. On PostgreSQL the candidate row is locked with
//! `FOR UPDATE SKIP LOCKED`, so processes claiming at once each get a
//! different job and never wait on each other; on SQLite every write goes
//! through the one writer connection, which serialises claims by itself.

use crate::config::DatabaseKind;

use super::{new_id, Store, StoreResult};

/// A job to add.
#[derive(Debug, Clone)]
pub struct NewJob<'a> {
    pub org_id: Option<&'a str>,
    pub kind: &'a str,
    /// At most one job with this key is queued or running; `None`: no limit.
    pub dedupe_key: Option<&'a str>,
    /// What the job works on (JSON).
    pub payload: &'a str,
    /// Not before this time (Unix ms).
    pub run_after: i64,
    /// A recurring job runs again this long after each run, for ever.
    pub every_ms: Option<i64>,
    /// Runs tried before the job is given up (a recurring job never is).
    pub max_attempts: i64,
    pub created_by: Option<&'a str>,
}

/// A job as a worker holds it after claiming it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ClaimedJob {
    pub id: String,
    pub org_id: Option<String>,
    pub kind: String,
    pub payload: String,
    /// This run included.
    pub attempts: i64,
    pub max_attempts: i64,
    pub every_ms: Option<i64>,
    pub created_by: Option<String>,
}

/// A job as people see it: its state and outcome.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct JobRow {
    pub id: String,
    pub org_id: Option<String>,
    pub kind: String,
    pub payload: String,
    pub status: String,
    pub run_after: i64,
    pub attempts: i64,
    pub max_attempts: i64,
    pub result: Option<String>,
    pub last_error: Option<String>,
    /// How far a running job has come, 0 to 1, where its handler says.
    pub progress: Option<f64>,
    /// What it is doing, in words, where its handler says.
    pub progress_note: Option<String>,
    /// Someone asked it to stop (1).
    pub cancel_requested: i64,
    pub created_by: Option<String>,
    pub created_at: i64,
    pub started_at: Option<i64>,
    pub finished_at: Option<i64>,
    /// Which worker holds it while it runs: `name:pid:tag` (for operators
    /// and for the tests that stop the process running a job).
    pub lease_owner: Option<String>,
}

/// What happens to a job whose run failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AfterFailure {
    /// Queued again, to run at this time (Unix ms).
    RetryAt(i64),
    /// Given up: status 'failed'.
    GiveUp,
}

const JOB_COLUMNS: &str =
    "id, org_id, kind, payload, status, run_after, attempts, max_attempts, result, last_error, progress, progress_note, cancel_requested, created_by, created_at, started_at, finished_at, lease_owner";

/// `$first, $first+1, …` for `n` values of an `IN (…)` list.
fn placeholders(first: usize, n: usize) -> String {
    (first..first + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

impl Store {
    /// Told whenever this process adds a job or gives one back, so its
    /// workers need not wait for their next look.
    pub fn jobs_added(&self) -> std::sync::Arc<tokio::sync::Notify> {
        self.jobs_added.clone()
    }

    /// Adds a job and returns its id; with a `dedupe_key` that a queued or
    /// running job holds already, adds nothing and returns that job's id.
    pub async fn enqueue_job(&self, job: &NewJob<'_>, now: i64) -> StoreResult<String> {
        // The job holding the key may end between the insert and the look-up:
        // then the insert is tried again.
        for _ in 0..3 {
            let id = new_id();
            let added = sqlx::query(
                "INSERT INTO jobs (id, org_id, kind, dedupe_key, payload, status, run_after, every_ms, max_attempts, created_by, created_at) \
                 VALUES ($1, $2, $3, $4, $5, 'queued', $6, $7, $8, $9, $10) ON CONFLICT (dedupe_key) DO NOTHING",
            )
            .bind(&id)
            .bind(job.org_id)
            .bind(job.kind)
            .bind(job.dedupe_key)
            .bind(job.payload)
            .bind(job.run_after)
            .bind(job.every_ms)
            .bind(job.max_attempts)
            .bind(job.created_by)
            .bind(now)
            .execute(&self.write)
            .await?
            .rows_affected();
            if added == 1 {
                self.jobs_added.notify_waiters();
                return Ok(id);
            }
            let holder: Option<String> =
                sqlx::query_scalar("SELECT id FROM jobs WHERE dedupe_key = $1")
                    .bind(job.dedupe_key)
                    .fetch_optional(&self.write)
                    .await?;
            if let Some(id) = holder {
                return Ok(id);
            }
        }
        Err(super::StoreError::Conflict(
            "the job's key kept changing hands".into(),
        ))
    }

    /// Makes sure the recurring job `kind` exists (one row however many
    /// processes ask), running every `every_ms`, the first time at `first_at`
    /// when it is new. An existing one takes the new interval.
    pub async fn ensure_recurring_job(
        &self,
        kind: &str,
        every_ms: i64,
        first_at: i64,
        now: i64,
    ) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO jobs (id, org_id, kind, dedupe_key, payload, status, run_after, every_ms, max_attempts, created_at) \
             VALUES ($1, NULL, $2, $3, '{}', 'queued', $4, $5, 1, $6) ON CONFLICT (dedupe_key) DO UPDATE SET every_ms = excluded.every_ms",
        )
        .bind(new_id())
        .bind(kind)
        .bind(format!("recurring:{kind}"))
        .bind(first_at)
        .bind(every_ms)
        .bind(now)
        .execute(&self.write)
        .await?;
        self.jobs_added.notify_waiters();
        Ok(())
    }

    /// Claims the job of one of `kinds` that is due first at `now`: queued
    /// and due, or running under a lease that ran out (its worker is gone).
    /// The claim holds until `lease_until`; `None` when nothing is due.
    pub async fn claim_job(
        &self,
        kinds: &[&str],
        owner: &str,
        now: i64,
        lease_until: i64,
    ) -> StoreResult<Option<ClaimedJob>> {
        if kinds.is_empty() {
            return Ok(None);
        }
        let lock = match self.kind {
            DatabaseKind::Postgres => " FOR UPDATE SKIP LOCKED",
            DatabaseKind::Sqlite => "",
        };
        let sql = format!(
            "UPDATE jobs SET status = 'running', lease_owner = $1, lease_until = $2, attempts = attempts + 1, started_at = $3, progress = 0, \
               last_error = CASE WHEN status = 'running' THEN 'the worker that ran it stopped answering' ELSE last_error END \
             WHERE id = (SELECT id FROM jobs WHERE kind IN ({kinds}) \
               AND ((status = 'queued' AND run_after <= $3) OR (status = 'running' AND lease_until < $3)) \
               ORDER BY run_after, created_at, id LIMIT 1{lock}) \
             RETURNING id, org_id, kind, payload, attempts, max_attempts, every_ms, created_by",
            kinds = placeholders(4, kinds.len())
        );
        let mut query = sqlx::query_as(&sql).bind(owner).bind(lease_until).bind(now);
        for kind in kinds {
            query = query.bind(*kind);
        }
        Ok(query.fetch_optional(&self.write).await?)
    }

    /// Extends the lease of a job this worker holds; false when it no
    /// longer holds it (another worker took it over).
    pub async fn heartbeat_job(
        &self,
        id: &str,
        owner: &str,
        lease_until: i64,
    ) -> StoreResult<bool> {
        let done = sqlx::query("UPDATE jobs SET lease_until = $1 WHERE id = $2 AND lease_owner = $3 AND status = 'running'")
            .bind(lease_until)
            .bind(id)
            .bind(owner)
            .execute(&self.write)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Records a successful run of a job this worker holds: done with its
    /// result, or, recurring, queued again `every_ms` later. False (nothing
    /// written) when the worker no longer holds it.
    pub async fn complete_job(
        &self,
        id: &str,
        owner: &str,
        result: &str,
        now: i64,
    ) -> StoreResult<bool> {
        let done = sqlx::query(
            "UPDATE jobs SET \
               status = CASE WHEN every_ms IS NULL THEN 'done' ELSE 'queued' END, \
               run_after = CASE WHEN every_ms IS NULL THEN run_after ELSE $1 + every_ms END, \
               attempts = CASE WHEN every_ms IS NULL THEN attempts ELSE 0 END, \
               dedupe_key = CASE WHEN every_ms IS NULL THEN NULL ELSE dedupe_key END, \
               result = $2, last_error = NULL, lease_owner = NULL, lease_until = NULL, finished_at = $1 \
             WHERE id = $3 AND lease_owner = $4 AND status = 'running'",
        )
        .bind(now)
        .bind(result)
        .bind(id)
        .bind(owner)
        .execute(&self.write)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Records a failed run of a job this worker holds: queued again at a
    /// later time, or given up. False when the worker no longer holds it.
    pub async fn fail_job(
        &self,
        id: &str,
        owner: &str,
        error: &str,
        after: AfterFailure,
        now: i64,
    ) -> StoreResult<bool> {
        let (status, run_after) = match after {
            AfterFailure::RetryAt(at) => ("queued", Some(at)),
            AfterFailure::GiveUp => ("failed", None),
        };
        let done = sqlx::query(
            "UPDATE jobs SET status = $1, run_after = COALESCE($2, run_after), \
               dedupe_key = CASE WHEN $1 = 'failed' THEN NULL ELSE dedupe_key END, \
               last_error = $3, lease_owner = NULL, lease_until = NULL, finished_at = $4 \
             WHERE id = $5 AND lease_owner = $6 AND status = 'running'",
        )
        .bind(status)
        .bind(run_after)
        .bind(error)
        .bind(now)
        .bind(id)
        .bind(owner)
        .execute(&self.write)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Records how far a running job has come (0 to 1).
    pub async fn set_job_progress(&self, id: &str, progress: f64) -> StoreResult<()> {
        sqlx::query("UPDATE jobs SET progress = $1 WHERE id = $2 AND status = 'running'").bind(progress.clamp(0.0, 1.0)).bind(id).execute(&self.write).await?;
        Ok(())
    }

    /// Records how far a running job has come and what it is doing; gives
    /// whether it should stop (someone asked it to, or it is no longer running).
    pub async fn report_job_progress(&self, id: &str, progress: f64, note: &str) -> StoreResult<bool> {
        let asked: Option<i64> = sqlx::query_scalar("UPDATE jobs SET progress = $1, progress_note = $2 WHERE id = $3 AND status = 'running' RETURNING cancel_requested")
            .bind(progress.clamp(0.0, 1.0))
            .bind(note)
            .bind(id)
            .fetch_optional(&self.write)
            .await?;
        Ok(asked.is_none_or(|a| a != 0))
    }

    /// Asks an organisation's job to stop: a queued one ends at once as
    /// cancelled, a running one is told (its handler stops when it next
    /// reports progress). False when the job is not queued or running.
    pub async fn cancel_job(&self, org_id: &str, id: &str, reason: &str, now: i64) -> StoreResult<bool> {
        let queued = sqlx::query("UPDATE jobs SET status = 'failed', last_error = $1, finished_at = $2, dedupe_key = NULL WHERE org_id = $3 AND id = $4 AND status = 'queued'")
            .bind(reason)
            .bind(now)
            .bind(org_id)
            .bind(id)
            .execute(&self.write)
            .await?;
        if queued.rows_affected() == 1 {
            return Ok(true);
        }
        let running = sqlx::query("UPDATE jobs SET cancel_requested = 1 WHERE org_id = $1 AND id = $2 AND status = 'running'").bind(org_id).bind(id).execute(&self.write).await?;
        Ok(running.rows_affected() == 1)
    }

    /// Gives a job this worker holds back unrun (the process is stopping):
    /// queued again at once, the run not counted.
    pub async fn release_job(&self, id: &str, owner: &str) -> StoreResult<bool> {
        let done = sqlx::query(
            "UPDATE jobs SET status = 'queued', attempts = attempts - 1, lease_owner = NULL, lease_until = NULL \
             WHERE id = $1 AND lease_owner = $2 AND status = 'running'",
        )
        .bind(id)
        .bind(owner)
        .execute(&self.write)
        .await?;
        self.jobs_added.notify_waiters();
        Ok(done.rows_affected() == 1)
    }

    /// When the next job of one of `kinds` becomes claimable (Unix ms): the
    /// earliest due time of a queued job or lease end of a running one.
    pub async fn next_job_due(&self, kinds: &[&str]) -> StoreResult<Option<i64>> {
        if kinds.is_empty() {
            return Ok(None);
        }
        let sql = format!(
            "SELECT MIN(CASE WHEN status = 'queued' THEN run_after ELSE lease_until END) FROM jobs \
             WHERE kind IN ({}) AND status IN ('queued', 'running')",
            placeholders(1, kinds.len())
        );
        let mut query = sqlx::query_scalar(&sql);
        for kind in kinds {
            query = query.bind(*kind);
        }
        Ok(query.fetch_one(&self.read).await?)
    }

    /// One job of an organisation.
    pub async fn job(&self, org_id: &str, id: &str) -> StoreResult<Option<JobRow>> {
        Ok(sqlx::query_as(&format!(
            "SELECT {JOB_COLUMNS} FROM jobs WHERE id = $1 AND org_id = $2"
        ))
        .bind(id)
        .bind(org_id)
        .fetch_optional(&self.read)
        .await?)
    }

    /// A job by id whatever its organisation (workers, tests, the command line).
    pub async fn job_by_id(&self, id: &str) -> StoreResult<Option<JobRow>> {
        Ok(
            sqlx::query_as(&format!("SELECT {JOB_COLUMNS} FROM jobs WHERE id = $1"))
                .bind(id)
                .fetch_optional(&self.read)
                .await?,
        )
    }

    /// The newest jobs of one kind in an organisation first.
    pub async fn jobs_of(&self, org_id: &str, kind: &str, limit: i64) -> StoreResult<Vec<JobRow>> {
        Ok(sqlx::query_as(&format!("SELECT {JOB_COLUMNS} FROM jobs WHERE org_id = $1 AND kind = $2 ORDER BY created_at DESC, id LIMIT $3"))
            .bind(org_id)
            .bind(kind)
            .bind(limit)
            .fetch_all(&self.read)
            .await?)
    }

    /// Jobs that ended (done or failed) before `before`; recurring ones stay.
    pub async fn delete_finished_jobs(&self, before: i64) -> StoreResult<u64> {
        let done =
            sqlx::query("DELETE FROM jobs WHERE status IN ('done', 'failed') AND finished_at < $1")
                .bind(before)
                .execute(&self.write)
                .await?;
        Ok(done.rows_affected())
    }
}
