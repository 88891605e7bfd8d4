//! A calibration job whose server process is killed with SIGKILL mid-way
//! is run again by the next process once its lease has run out, and
//! finishes once: the real `vigil` binary, on SQLite, where one process
//! serves and is restarted. (On PostgreSQL, where several serve at once,
//! `two_processes.rs` kills the one running it and the other finishes it.)

use crate::common;

use common::process::{free_port, start};
use vigil::{
    calibration::{CalibrationRequest, CalibrationResult},
    jobs::kind,
    store::{NewJob, SheetFilter},
};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_calibration_killed_mid_way_is_run_again_and_finishes_once() {
    let Some(t) = common::TestDb::new(common::Db::Sqlite).await else { return };
    let org = t.store.create_organisation("Killed", "killed", false).await.expect("org").id;
    common::sessions::simulated(&t.store, &org, "1.1.0", (400, 0), 41, |_| {}).await;
    let request = CalibrationRequest { instrument: "svi".into(), version: "1.1.0".into(), scale: None, filter: SheetFilter::default() };
    let payload = serde_json::to_string(&request).expect("json");
    let now = vigil::time::now_ms();
    let id = t
        .store
        .enqueue_job(&NewJob { org_id: Some(&org), kind: kind::CALIBRATION, dedupe_key: None, payload: &payload, run_after: now, every_ms: None, max_attempts: 3, created_by: None }, now)
        .await
        .expect("job");
    let site = common::process::site();
    let url = t.url.expose().to_string();
    let mut first = start(&url, site.path(), free_port(), &[]).await;
    common::job_when(&t.store, &id, "running an EM cycle", |j| j.status == "running" && j.progress_note.as_deref().is_some_and(|n| n.contains("EM cycle"))).await;
    first.child.kill().expect("SIGKILL");
    first.child.wait().expect("gone");
    let mut second = start(&url, site.path(), free_port(), &[]).await;
    let done = common::job_when(&t.store, &id, "done", |j| j.status == "done" || j.status == "failed").await;
    second.child.kill().expect("stop");
    let _ = second.child.wait();
    assert_eq!(done.status, "done", "{:?}", done.last_error);
    assert_eq!(done.attempts, 2, "run once by the killed process, once more after its lease ran out");
    let result: CalibrationResult = serde_json::from_str(done.result.as_deref().expect("result")).expect("json");
    assert_eq!(result.sessions, 400);
    assert_eq!(result.scales.len(), 9, "every scale");
}
