//! Durable jobs: work that outlives a request (the clean-up, automatic
//! reminders, sending e-mail, item analysis, calibration, webhook deliveries)
//! kept as rows in the database and run by a [`Worker`] in every
//! `vigil serve` process.
//!
//! - **Once.** A job is claimed by one worker under a lease (one statement;
//!   `FOR UPDATE SKIP LOCKED` on PostgreSQL, the single writer on SQLite),
//!   so however many processes share the database, one runs it.
//! - **Survives a crash.** The worker's heartbeat extends the lease while
//!   the job runs; when a process dies its lease runs out and another worker
//!   claims the job again. A worker that finds its lease taken over stops
//!   the job and writes nothing more (every write checks the lease).
//! - **Recurring** jobs are one row each (`ensure_recurring_job`), queued
//!   again after each run: every process asks for the row, one exists.
//! - **Retries**: a failed run is tried again after a growing pause
//!   ([`retry_delay_ms`]) until the job's attempts are spent, then it is
//!   marked failed with the reason; a recurring job just runs at its next turn.
//!
//! Why our own table rather than a queue crate: the jobs must live in the
//! same database, through the same storage seam and on both SQLite and
//! PostgreSQL (the crates we looked at serve one of the two or bring their
//! own schema and runtime); the whole mechanism is two small files.

use std::{collections::HashMap, sync::Arc, time::Duration};

use tokio::{sync::watch, task::JoinHandle};

use crate::{
    store::{AfterFailure, ClaimedJob, Store, StoreError},
    time::now_ms,
};

/// The kinds of job, by the name stored with each.
pub mod kind {
    pub const CLEANUP: &str = "clean-up";
    pub const AUTOMATIC_REMINDERS: &str = "automatic-reminders";
    pub const WAVE_UPKEEP: &str = "wave-upkeep";
    pub const SEND_MAIL: &str = "send-mail";
    pub const ITEM_ANALYSIS: &str = "item-analysis";
    pub const CALIBRATION: &str = "calibration";
    pub const DELIVER_WEBHOOKS: &str = crate::store::WEBHOOK_DELIVERY_JOB;
}

/// Why a run failed, and whether trying again may help.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobError {
    pub message: String,
    pub retry: bool,
}

impl JobError {
    /// A failure that may pass (a database or mail server not answering).
    pub fn transient(message: impl Into<String>) -> JobError {
        JobError {
            message: message.into(),
            retry: true,
        }
    }

    /// A failure that the same input will always meet (a malformed payload).
    pub fn permanent(message: impl Into<String>) -> JobError {
        JobError {
            message: message.into(),
            retry: false,
        }
    }
}

impl From<StoreError> for JobError {
    fn from(e: StoreError) -> JobError {
        JobError::transient(e.to_string())
    }
}

/// What runs one kind of job.
#[async_trait::async_trait]
pub trait Handler: Send + Sync + 'static {
    /// Does the work; the result (JSON) is stored with the job.
    async fn run(&self, job: &ClaimedJob) -> Result<serde_json::Value, JobError>;

    /// Whether a run under way finishes when the process stops (short
    /// jobs), rather than being given back for another worker (long ones).
    fn finish_on_stop(&self) -> bool {
        true
    }
}

/// One kind of job a worker runs; `every`: a recurring job of that kind.
#[derive(Clone)]
pub struct Registration {
    pub kind: &'static str,
    pub handler: Arc<dyn Handler>,
    pub every: Option<Duration>,
}

/// How a worker paces itself.
#[derive(Debug, Clone, Copy)]
pub struct WorkerOptions {
    /// How long a claim holds without a heartbeat.
    pub lease: Duration,
    /// How often a running job's lease is extended (well under `lease`).
    pub heartbeat: Duration,
    /// How often the worker looks for jobs other processes added.
    pub poll: Duration,
}

impl Default for WorkerOptions {
    fn default() -> WorkerOptions {
        WorkerOptions {
            lease: Duration::from_secs(60),
            heartbeat: Duration::from_secs(15),
            poll: Duration::from_secs(2),
        }
    }
}

/// The pause before try `attempts + 1` of a failed job: 30 s doubling with
/// each try, at most an hour.
pub fn retry_delay_ms(attempts: i64) -> i64 {
    // 30 s × 2^(attempts − 1), capped at 3,600 s
    let doublings = (attempts - 1).clamp(0, 7) as u32;
    (30_000_i64 << doublings).min(3_600_000)
}

/// What happens after a failed run.
pub fn after_failure(job: &ClaimedJob, error: &JobError, now: i64) -> AfterFailure {
    match job.every_ms {
        Some(every) => AfterFailure::RetryAt(now + every.min(retry_delay_ms(job.attempts))),
        None if error.retry && job.attempts < job.max_attempts => {
            AfterFailure::RetryAt(now + retry_delay_ms(job.attempts))
        }
        None => AfterFailure::GiveUp,
    }
}

/// Runs CPU-heavy work of a job (an analysis, a calibration) on a thread of
/// its own at a lower scheduling priority, so that requests, a candidate's
/// answer above all, always go first; threads it starts inherit the
/// priority. Resolves with the work's result.
pub async fn run_cpu_bound<T: Send + 'static>(name: &str, work: impl FnOnce() -> T + Send + 'static) -> Result<T, JobError> {
    let (done, result) = tokio::sync::oneshot::channel();
    std::thread::Builder::new()
        .name(name.to_string())
        .spawn(move || {
            lower_this_threads_priority();
            let _ = done.send(work());
        })
        .map_err(|e| JobError::transient(format!("no thread for the work: {e}")))?;
    result.await.map_err(|_| JobError::transient("the work stopped without a result"))
}

/// The calling thread runs only when no other thread wants the processor
/// (Linux's SCHED_IDLE policy, set per thread and inherited by the threads
/// it starts); elsewhere, or when refused, at normal priority.
fn lower_this_threads_priority() {
    #[cfg(target_os = "linux")]
    // SAFETY: sched_setscheduler reads the parameter struct we pass by
    // reference for the duration of the call; pid 0 is the calling thread.
    unsafe {
        let param = libc::sched_param { sched_priority: 0 };
        libc::sched_setscheduler(0, libc::SCHED_IDLE, &param);
    }
}

/// How many threads CPU-heavy job work may use: every processor but one,
/// which stays free for requests (measured: on 2 processors, two analysis
/// threads raised the answer-save p99 from 0.3 to 2 ms even at idle
/// priority, one left it under 1 ms; see docs/architecture.md).
pub fn cpu_threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| usize::from(n).saturating_sub(1).max(1))
}

/// The shortest pause between two looks for due jobs (no busy loop when a
/// due job was just taken by another process).
const MIN_WAIT: Duration = Duration::from_millis(50);

/// A running worker; [`Worker::stop`] ends it.
pub struct Worker {
    name: &'static str,
    stop: watch::Sender<bool>,
    task: JoinHandle<()>,
}

impl Worker {
    /// Makes sure each recurring job exists, then runs the registered kinds
    /// of job as they fall due, one at a time.
    pub async fn start(
        store: Store,
        name: &'static str,
        registrations: Vec<Registration>,
        options: WorkerOptions,
    ) -> Result<Worker, StoreError> {
        let now = now_ms();
        for r in &registrations {
            if let Some(every) = r.every {
                store
                    .ensure_recurring_job(r.kind, every.as_millis() as i64, now, now)
                    .await?;
            }
        }
        let (stop, stopped) = watch::channel(false);
        let owner = format!(
            "{}:{}:{}",
            name,
            std::process::id(),
            &crate::store::new_id()[..8]
        );
        let handlers = registrations
            .into_iter()
            .map(|r| (r.kind, r.handler))
            .collect();
        let task = tokio::spawn(run(
            Running {
                store,
                owner,
                handlers,
                options,
            },
            stopped,
        ));
        Ok(Worker { name, stop, task })
    }

    /// Stops looking for jobs; a short job under way finishes first, a long
    /// one is given back. Waits for that.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        if let Err(e) = self.task.await {
            tracing::warn!(worker = self.name, error = %e, "job worker ended abnormally");
        }
    }
}

struct Running {
    store: Store,
    owner: String,
    handlers: HashMap<&'static str, Arc<dyn Handler>>,
    options: WorkerOptions,
}

/// What became of one claimed job.
enum Ran {
    Recorded,
    Stopped,
}

async fn run(worker: Running, mut stopped: watch::Receiver<bool>) {
    let kinds: Vec<&str> = worker.handlers.keys().copied().collect();
    let added = worker.store.jobs_added();
    loop {
        // Listening before looking: a job added meanwhile is not missed.
        let notified = added.notified();
        tokio::pin!(notified);
        notified.as_mut().enable();
        loop {
            if *stopped.borrow() {
                return;
            }
            let now = now_ms();
            match worker
                .store
                .claim_job(
                    &kinds,
                    &worker.owner,
                    now,
                    now + worker.options.lease.as_millis() as i64,
                )
                .await
            {
                Ok(Some(job)) => {
                    if let Ran::Stopped = run_one(&worker, job, &mut stopped).await {
                        return;
                    }
                }
                Ok(None) => break,
                Err(e) => {
                    tracing::warn!(error = %e, "could not look for jobs; trying again shortly");
                    break;
                }
            }
        }
        let wait = match worker.store.next_job_due(&kinds).await {
            Ok(Some(due)) => Duration::from_millis((due - now_ms()).max(0) as u64)
                .clamp(MIN_WAIT, worker.options.poll),
            _ => worker.options.poll,
        };
        tokio::select! {
            biased;
            _ = stopped.changed() => return,
            _ = &mut notified => {}
            _ = tokio::time::sleep(wait) => {}
        }
    }
}

async fn run_one(worker: &Running, job: ClaimedJob, stopped: &mut watch::Receiver<bool>) -> Ran {
    let store = &worker.store;
    let Some(handler) = worker.handlers.get(job.kind.as_str()) else {
        // Cannot happen: only registered kinds are claimed.
        let _ = store.release_job(&job.id, &worker.owner).await;
        return Ran::Recorded;
    };
    if job.every_ms.is_none() && job.attempts > job.max_attempts {
        let why = format!("given up after {} tries", job.max_attempts);
        let _ = store
            .fail_job(&job.id, &worker.owner, &why, AfterFailure::GiveUp, now_ms())
            .await;
        tracing::warn!(job = %job.id, kind = %job.kind, "{why}");
        return Ran::Recorded;
    }
    let work = handler.run(&job);
    tokio::pin!(work);
    let lease_kept = keep_lease(store, &job.id, &worker.owner, worker.options);
    tokio::pin!(lease_kept);
    let outcome = tokio::select! {
        biased;
        outcome = &mut work => outcome,
        _ = &mut lease_kept => {
            tracing::warn!(job = %job.id, kind = %job.kind, "another worker took this job over (its lease ran out); stopped it here");
            return Ran::Recorded;
        }
        _ = stopped.changed(), if !handler.finish_on_stop() => {
            let _ = store.release_job(&job.id, &worker.owner).await;
            tracing::info!(job = %job.id, kind = %job.kind, "stopping: the job is given back for another worker");
            return Ran::Stopped;
        }
    };
    record(worker, &job, outcome).await;
    Ran::Recorded
}

/// Extends the lease at each heartbeat; returns when the lease is lost.
async fn keep_lease(store: &Store, id: &str, owner: &str, options: WorkerOptions) {
    loop {
        tokio::time::sleep(options.heartbeat).await;
        match store
            .heartbeat_job(id, owner, now_ms() + options.lease.as_millis() as i64)
            .await
        {
            Ok(true) => {}
            Ok(false) => return,
            // The database not answering for a moment: the lease may still hold.
            Err(e) => tracing::warn!(job = %id, error = %e, "could not extend the job's lease"),
        }
    }
}

async fn record(worker: &Running, job: &ClaimedJob, outcome: Result<serde_json::Value, JobError>) {
    let (store, now) = (&worker.store, now_ms());
    let written = match &outcome {
        Ok(result) => {
            store
                .complete_job(&job.id, &worker.owner, &result.to_string(), now)
                .await
        }
        Err(error) => {
            store
                .fail_job(
                    &job.id,
                    &worker.owner,
                    &error.message,
                    after_failure(job, error, now),
                    now,
                )
                .await
        }
    };
    match (written, outcome) {
        (Ok(true), Ok(_)) if job.every_ms.is_some() => {
            tracing::debug!(job = %job.id, kind = %job.kind, "job done")
        }
        (Ok(true), Ok(_)) => tracing::info!(job = %job.id, kind = %job.kind, "job done"),
        (Ok(true), Err(e)) => {
            tracing::warn!(job = %job.id, kind = %job.kind, attempt = job.attempts, error = %e.message, "job failed")
        }
        (Ok(false), _) => {
            tracing::warn!(job = %job.id, kind = %job.kind, "another worker took this job over; this run's outcome is not recorded")
        }
        (Err(e), _) => {
            tracing::warn!(job = %job.id, kind = %job.kind, error = %e, "the job's outcome could not be recorded; it will run again")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job(attempts: i64, max_attempts: i64, every_ms: Option<i64>) -> ClaimedJob {
        ClaimedJob {
            id: "j".into(),
            org_id: None,
            kind: "k".into(),
            payload: "{}".into(),
            attempts,
            max_attempts,
            every_ms,
            created_by: None,
        }
    }

    #[test]
    fn the_pause_before_a_retry_doubles_up_to_an_hour() {
        let pauses: Vec<i64> = (1..=9).map(retry_delay_ms).collect();
        assert_eq!(
            pauses,
            [30_000, 60_000, 120_000, 240_000, 480_000, 960_000, 1_920_000, 3_600_000, 3_600_000]
        );
        assert_eq!(retry_delay_ms(0), 30_000, "a first try counts as one");
    }

    #[test]
    fn a_failed_job_is_retried_while_tries_are_left_then_given_up() {
        let (transient, permanent) = (
            JobError::transient("busy"),
            JobError::permanent("bad payload"),
        );
        assert_eq!(
            after_failure(&job(1, 3, None), &transient, 1000),
            AfterFailure::RetryAt(31_000)
        );
        assert_eq!(
            after_failure(&job(2, 3, None), &transient, 1000),
            AfterFailure::RetryAt(61_000)
        );
        assert_eq!(
            after_failure(&job(3, 3, None), &transient, 1000),
            AfterFailure::GiveUp,
            "the third of three tries was the last"
        );
        assert_eq!(
            after_failure(&job(1, 3, None), &permanent, 1000),
            AfterFailure::GiveUp,
            "the same input fails again"
        );
    }

    #[test]
    fn a_recurring_job_is_never_given_up_and_comes_back_by_its_next_turn() {
        let error = JobError::permanent("mail server refused");
        assert_eq!(
            after_failure(&job(9, 1, Some(5_000)), &error, 1000),
            AfterFailure::RetryAt(6_000),
            "its interval is shorter than the pause"
        );
        assert_eq!(
            after_failure(&job(1, 1, Some(3_600_000)), &error, 1000),
            AfterFailure::RetryAt(31_000),
            "the pause is shorter than its interval"
        );
    }
}
