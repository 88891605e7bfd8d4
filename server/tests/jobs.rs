//! Durable jobs, on SQLite and PostgreSQL: a job is claimed by one worker at
//! a time, survives the death of the worker that held it, runs once however
//! many workers (and stores, as separate processes have) look for it, comes
//! back when it recurs, and is retried and then given up when it fails.

use crate::common;

use std::{
    collections::{HashMap, HashSet},
    sync::{Arc, Mutex},
    time::Duration,
};

use common::TestDb;
use vigil::{
    jobs::{Handler, JobError, Registration, Worker, WorkerOptions},
    store::{AfterFailure, ClaimedJob, NewJob, Store},
};

const T: i64 = 1_900_000_000_000;
const LEASE: i64 = 60_000;

fn new_job<'a>(kind: &'a str, dedupe_key: Option<&'a str>, run_after: i64) -> NewJob<'a> {
    NewJob {
        org_id: None,
        kind,
        dedupe_key,
        payload: r#"{"n":1}"#,
        run_after,
        every_ms: None,
        max_attempts: 3,
        created_by: None,
    }
}

/// Waits (see `common::eventually`) until `done` holds.
async fn until<F, Fut>(what: &str, mut done: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    common::eventually(what, || {
        let check = done();
        async move { check.await.then_some(()) }
    })
    .await
}

async fn status(store: &Store, id: &str) -> String {
    store
        .job_by_id(id)
        .await
        .expect("read")
        .expect("job")
        .status
}

/// Quick options for tests: a short poll so jobs added by another store are
/// found soon (the waits are on conditions, not on these).
fn quick() -> WorkerOptions {
    WorkerOptions {
        lease: Duration::from_secs(30),
        heartbeat: Duration::from_secs(5),
        poll: Duration::from_millis(100),
    }
}

/// Records every run, and fails the test's check when one job runs twice at once.
#[derive(Default)]
struct Recorder {
    runs: Mutex<HashMap<String, usize>>,
    running: Mutex<HashSet<String>>,
    overlapped: Mutex<bool>,
}

#[async_trait::async_trait]
impl Handler for Recorder {
    async fn run(&self, job: &ClaimedJob) -> Result<serde_json::Value, JobError> {
        if !self.running.lock().unwrap().insert(job.id.clone()) {
            *self.overlapped.lock().unwrap() = true;
        }
        tokio::task::yield_now().await;
        *self.runs.lock().unwrap().entry(job.id.clone()).or_default() += 1;
        self.running.lock().unwrap().remove(&job.id);
        Ok(serde_json::json!({ "payload": job.payload }))
    }
}

/// Never finishes by itself; given back when the worker stops.
struct Endless;

#[async_trait::async_trait]
impl Handler for Endless {
    async fn run(&self, _job: &ClaimedJob) -> Result<serde_json::Value, JobError> {
        std::future::pending().await
    }
    fn finish_on_stop(&self) -> bool {
        false
    }
}

/// Always fails the same way.
struct Broken;

#[async_trait::async_trait]
impl Handler for Broken {
    async fn run(&self, _job: &ClaimedJob) -> Result<serde_json::Value, JobError> {
        Err(JobError::permanent("the payload names no bank"))
    }
}

on_both_databases! {
    async fn a_job_is_claimed_by_one_worker_and_its_result_kept(db: Db) {
        let Some(db) = TestDb::new(db).await else { return };
        let s = &db.store;
        let id = s.enqueue_job(&new_job("analysis", None, T), T).await.expect("enqueue");
        assert!(s.claim_job(&["analysis"], "a", T - 1, T + LEASE).await.expect("claim").is_none(), "not before it is due");
        assert!(s.claim_job(&["calibration"], "a", T, T + LEASE).await.expect("claim").is_none(), "only the kinds asked for");
        let claimed = s.claim_job(&["calibration", "analysis"], "a", T, T + LEASE).await.expect("claim").expect("due");
        assert_eq!((claimed.id.as_str(), claimed.attempts, claimed.payload.as_str()), (id.as_str(), 1, r#"{"n":1}"#));
        assert!(s.claim_job(&["analysis"], "b", T + 1, T + LEASE).await.expect("claim").is_none(), "held by a");
        assert!(s.complete_job(&id, "a", r#"{"ok":true}"#, T + 5).await.expect("complete"));
        let row = s.job_by_id(&id).await.expect("read").expect("job");
        assert_eq!((row.status.as_str(), row.result.as_deref(), row.finished_at), ("done", Some(r#"{"ok":true}"#), Some(T + 5)));
        assert!(s.claim_job(&["analysis"], "b", T + 10 * LEASE, T + 11 * LEASE).await.expect("claim").is_none(), "a done job never runs again");
    }

    async fn a_lease_that_ran_out_passes_the_job_on_and_the_old_holder_writes_nothing(db: Db) {
        let Some(db) = TestDb::new(db).await else { return };
        let s = &db.store;
        let id = s.enqueue_job(&new_job("analysis", None, T), T).await.expect("enqueue");
        s.claim_job(&["analysis"], "a", T, T + LEASE).await.expect("claim").expect("due");
        assert!(s.heartbeat_job(&id, "a", T + 2 * LEASE).await.expect("beat"), "a's heartbeat extends its lease");
        assert!(s.claim_job(&["analysis"], "b", T + LEASE + 1, T + 3 * LEASE).await.expect("claim").is_none(), "the extended lease holds");
        // a stops answering; its lease runs out.
        let taken = s.claim_job(&["analysis"], "b", T + 2 * LEASE + 1, T + 3 * LEASE).await.expect("claim").expect("taken over");
        assert_eq!(taken.attempts, 2);
        let row = s.job_by_id(&id).await.expect("read").expect("job");
        assert_eq!(row.last_error.as_deref(), Some("the worker that ran it stopped answering"));
        assert!(!s.heartbeat_job(&id, "a", T + 9 * LEASE).await.expect("beat"), "a learns it lost the job");
        assert!(!s.complete_job(&id, "a", r#"{"by":"a"}"#, T).await.expect("complete"), "a's late result is refused");
        assert!(!s.fail_job(&id, "a", "late", AfterFailure::GiveUp, T).await.expect("fail"));
        assert!(s.complete_job(&id, "b", r#"{"by":"b"}"#, T + 3 * LEASE).await.expect("complete"));
        assert_eq!(s.job_by_id(&id).await.expect("read").expect("job").result.as_deref(), Some(r#"{"by":"b"}"#));
    }

    async fn a_key_holds_one_job_at_a_time(db: Db) {
        let Some(db) = TestDb::new(db).await else { return };
        let s = &db.store;
        let first = s.enqueue_job(&new_job("analysis", Some("svi@1.1.0"), T), T).await.expect("enqueue");
        let again = s.enqueue_job(&new_job("analysis", Some("svi@1.1.0"), T), T).await.expect("enqueue");
        assert_eq!(first, again, "the same analysis asked for twice is one job");
        let other = s.enqueue_job(&new_job("analysis", Some("sjs@1.0.0"), T + 1), T).await.expect("enqueue");
        assert_ne!(first, other);
        let claimed = s.claim_job(&["analysis"], "a", T, T + LEASE).await.expect("claim").expect("due");
        assert_eq!(claimed.id, first, "the other is not due yet");
        assert_eq!(s.enqueue_job(&new_job("analysis", Some("svi@1.1.0"), T), T).await.expect("enqueue"), first, "still running: the same job");
        assert!(s.complete_job(&first, "a", "{}", T + 1).await.expect("complete"));
        let later = s.enqueue_job(&new_job("analysis", Some("svi@1.1.0"), T + 2), T + 2).await.expect("enqueue");
        assert_ne!(later, first, "once it ended, the key is free for a new run");
    }

    async fn a_recurring_job_is_one_row_and_comes_back_after_each_run(db: Db) {
        let Some(db) = TestDb::new(db).await else { return };
        let s = &db.store;
        let other_process = Store::open(&db.url).await.expect("a second store on the same database");
        s.ensure_recurring_job("clean-up", 300_000, T, T).await.expect("ensure");
        other_process.ensure_recurring_job("clean-up", 300_000, T, T).await.expect("ensure");
        let first = s.claim_job(&["clean-up"], "a", T, T + LEASE).await.expect("claim").expect("due");
        assert!(other_process.claim_job(&["clean-up"], "b", T, T + LEASE).await.expect("claim").is_none(), "one row, claimed once");
        assert_eq!(first.every_ms, Some(300_000));
        assert!(s.complete_job(&first.id, "a", "{}", T + 10).await.expect("complete"));
        assert_eq!(status(s, &first.id).await, "queued", "back in the queue");
        assert!(s.claim_job(&["clean-up"], "b", T + 300_009, T + LEASE).await.expect("claim").is_none(), "not before its next turn");
        let next = other_process.claim_job(&["clean-up"], "b", T + 300_010, T + 400_000).await.expect("claim").expect("its turn");
        assert_eq!((next.id, next.attempts), (first.id, 1), "the same row, its tries counted afresh");
        other_process.close().await;
    }

    async fn a_failed_job_is_tried_again_later_then_given_up_with_the_reason(db: Db) {
        let Some(db) = TestDb::new(db).await else { return };
        let s = &db.store;
        let id = s.enqueue_job(&new_job("analysis", Some("key"), T), T).await.expect("enqueue");
        s.claim_job(&["analysis"], "a", T, T + LEASE).await.expect("claim").expect("due");
        assert!(s.fail_job(&id, "a", "database busy", AfterFailure::RetryAt(T + 30_000), T + 1).await.expect("fail"));
        let row = s.job_by_id(&id).await.expect("read").expect("job");
        assert_eq!((row.status.as_str(), row.run_after, row.last_error.as_deref()), ("queued", T + 30_000, Some("database busy")));
        assert!(s.claim_job(&["analysis"], "a", T + 29_999, T + LEASE).await.expect("claim").is_none(), "waits out its pause");
        let again = s.claim_job(&["analysis"], "b", T + 30_000, T + 90_000).await.expect("claim").expect("due again");
        assert_eq!(again.attempts, 2);
        assert!(s.fail_job(&id, "b", "the bank is gone", AfterFailure::GiveUp, T + 30_001).await.expect("fail"));
        let row = s.job_by_id(&id).await.expect("read").expect("job");
        assert_eq!((row.status.as_str(), row.last_error.as_deref()), ("failed", Some("the bank is gone")));
        assert_ne!(s.enqueue_job(&new_job("analysis", Some("key"), T), T).await.expect("enqueue"), id, "a failed job frees its key");
    }

    async fn workers_of_two_processes_run_every_job_exactly_once(db: Db) {
        let Some(db) = TestDb::new(db).await else { return };
        let other_process = Store::open(&db.url).await.expect("a second store on the same database");
        let recorder = Arc::new(Recorder::default());
        let registration = || vec![Registration { kind: "echo", handler: recorder.clone(), every: None }];
        let mut ids = Vec::new();
        for n in 0..60 {
            // Added through both stores, as requests to either process would.
            let store = if n % 2 == 0 { &db.store } else { &other_process };
            ids.push(store.enqueue_job(&new_job("echo", None, 0), 0).await.expect("enqueue"));
        }
        let workers = vec![
            Worker::start(db.store.clone(), "one", registration(), quick()).await.expect("worker"),
            Worker::start(db.store.clone(), "two", registration(), quick()).await.expect("worker"),
            Worker::start(other_process.clone(), "three", registration(), quick()).await.expect("worker"),
            Worker::start(other_process.clone(), "four", registration(), quick()).await.expect("worker"),
        ];
        let store = db.store.clone();
        let all = ids.clone();
        until("every job done", || {
            let (store, all) = (store.clone(), all.clone());
            async move {
                for id in &all {
                    if status(&store, id).await != "done" {
                        return false;
                    }
                }
                true
            }
        })
        .await;
        for worker in workers {
            worker.stop().await;
        }
        let runs = recorder.runs.lock().unwrap().clone();
        assert_eq!(runs.len(), ids.len());
        assert!(runs.values().all(|&n| n == 1), "each job ran once: {runs:?}");
        assert!(!*recorder.overlapped.lock().unwrap(), "no job ran twice at the same time");
        let row = db.store.job_by_id(&ids[0]).await.expect("read").expect("job");
        assert_eq!(row.result.as_deref(), Some(r#"{"payload":"{\"n\":1}"}"#), "the handler's result is stored");
        other_process.close().await;
    }

    async fn a_worker_takes_over_the_job_of_a_worker_that_died(db: Db) {
        let Some(db) = TestDb::new(db).await else { return };
        let s = &db.store;
        let now = vigil::time::now_ms();
        let id = s.enqueue_job(&new_job("echo", None, now), now).await.expect("enqueue");
        // A process claimed it, then died: nothing extends its lease, which ran out a moment ago.
        s.claim_job(&["echo"], "dead-process", now, now - 1).await.expect("claim").expect("due");
        let recorder = Arc::new(Recorder::default());
        let worker = Worker::start(s.clone(), "survivor", vec![Registration { kind: "echo", handler: recorder.clone(), every: None }], quick()).await.expect("worker");
        until("the job done by the survivor", || async { status(s, &id).await == "done" }).await;
        worker.stop().await;
        let row = s.job_by_id(&id).await.expect("read").expect("job");
        assert_eq!(row.attempts, 2, "the dead worker's try counts");
        assert_eq!(recorder.runs.lock().unwrap().get(&id), Some(&1));
    }

    async fn stopping_gives_a_long_job_back_unrun_and_a_broken_one_is_given_up(db: Db) {
        let Some(db) = TestDb::new(db).await else { return };
        let s = &db.store;
        let now = vigil::time::now_ms();
        let long = s.enqueue_job(&new_job("calibration", None, now), now).await.expect("enqueue");
        let broken = s.enqueue_job(&new_job("broken", None, now - 1), now).await.expect("enqueue");
        let worker = Worker::start(
            s.clone(),
            "stopping",
            vec![
                Registration { kind: "calibration", handler: Arc::new(Endless), every: None },
                Registration { kind: "broken", handler: Arc::new(Broken), every: None },
            ],
            quick(),
        )
        .await
        .expect("worker");
        until("the broken job given up", || async { status(s, &broken).await == "failed" }).await;
        until("the long job running", || async { status(s, &long).await == "running" }).await;
        worker.stop().await;
        let row = s.job_by_id(&long).await.expect("read").expect("job");
        assert_eq!((row.status.as_str(), row.attempts), ("queued", 0), "given back, the run not counted");
        let row = s.job_by_id(&broken).await.expect("read").expect("job");
        assert_eq!((row.attempts, row.last_error.as_deref()), (1, Some("the payload names no bank")), "a permanent failure is not retried");
    }
}
