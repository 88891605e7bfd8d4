//! Two real `vigil serve` processes on one PostgreSQL database, as behind a
//! load balancer: a candidate's requests alternate between them from link
//! to finish; the sign-in limit counts the failures of both; a reminder due
//! is sent once; a job whose process is killed mid-way is finished, once,
//! by the other. (On SQLite one process serves: `durability.rs` and
//! `job_restart.rs` restart it instead.) The browser run of `make test` on
//! PostgreSQL goes through two processes as well, behind a round-robin
//! balancer (`examples/balance.rs`).

use crate::common;

use std::time::Duration;

use common::{
    candidate::{get, invite, open, page_of, post, questions, seq_of, TOKEN},
    process::{free_port, start, Server},
    smtp::{received, smtp_server},
    TestApp, TestDb,
};
use vigil::{
    calibration::CalibrationRequest,
    jobs::kind,
    secrets::secret_hash,
    store::{JobRow, NewCampaign, NewInvitation, NewJob, SheetFilter},
};

/// Two processes on a fresh PostgreSQL database, or `None` (skip) without PostgreSQL.
async fn two_processes() -> Option<(TestDb, [Server; 2], tempfile::TempDir)> {
    let db = TestDb::new(common::Db::Postgres).await?;
    let site = common::process::site();
    let url = db.url.expose().to_string();
    let first = start(&url, site.path(), free_port(), &[]).await;
    let second = start(&url, site.path(), free_port(), &[]).await;
    Some((db, [first, second], site))
}

/// The pid in a job's lease owner (`name:pid:tag`).
fn lease_pid(job: &JobRow) -> Option<u32> {
    job.lease_owner.as_deref()?.split(':').nth(1)?.parse().ok()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_candidate_goes_from_link_to_finish_with_each_request_on_the_other_process() {
    let Some((db, servers, _site)) = two_processes().await else { return };
    let apps: Vec<TestApp> = servers.iter().map(|s| s.app(&db)).collect();
    let on = |n: usize| &apps[n % 2];
    let (org, invitation) = invite(on(0), 86_400_000, None).await;
    let cookie = open(on(0)).await;
    assert!(post(on(1), &cookie, "/assessment/start", &[]).await.status().is_redirection(), "started on the other process");
    let mut request = 0;
    let mut last_page = Vec::new();
    loop {
        let (status, html) = get(on(request), &cookie, "/assessment").await;
        assert_eq!(status, 200, "{html}");
        if html.contains("Check and finish") {
            assert!(html.contains("You have answered every question"), "every answer is seen, whichever process took it");
            break;
        }
        let mut form = vec![("page".to_string(), page_of(&html)), ("seq".to_string(), seq_of(&html)), ("nav".to_string(), "next".to_string())];
        form.extend(questions(&html));
        assert!(post(on(request + 1), &cookie, "/assessment/answers", &form).await.status().is_redirection());
        last_page = form;
        request += 2;
        assert!(request < 80, "too many pages");
    }
    // The last page sent again to the other process (a retry after a lost reply) stores nothing twice.
    let session = db.store.session_by_invitation(&org, &invitation).await.expect("q").expect("session");
    let answered = db.store.answers_of(&session.id).await.expect("answers").len();
    assert!(post(on(request), &cookie, "/assessment/answers", &last_page).await.status().is_redirection());
    assert_eq!(db.store.answers_of(&session.id).await.expect("answers").len(), answered);
    assert!(post(on(request + 1), &cookie, "/assessment/finish", &[]).await.status().is_redirection());
    let (_, done) = get(on(request), &cookie, "/assessment").await;
    assert!(done.contains("Thank you"), "{done}");
    let session = db.store.session_by_invitation(&org, &invitation).await.expect("q").expect("session");
    assert_eq!(session.status, "completed");
    assert_eq!(db.store.answers_of(&session.id).await.expect("answers").len(), answered, "each answer stored once");
    let scores = db.store.scores_of(&org, &session.id).await.expect("scores");
    assert_eq!(scores.iter().filter(|s| s.method == "ctt").count(), 2, "scored once, one report per instrument");
    // Finished on one process: the other refuses further answers at once.
    let late = post(on(request), &cookie, "/assessment/answers", &[("page".into(), "1".into()), ("seq".into(), "999".into()), ("a:svi/svi-mot-01".into(), "3".into())]).await;
    assert_eq!(late.status(), 409);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn saves_sent_to_either_process_are_kept_once_in_order() {
    let Some((db, servers, _site)) = two_processes().await else { return };
    let apps: Vec<TestApp> = servers.iter().map(|s| s.app(&db)).collect();
    let (org, invitation) = invite(&apps[0], 86_400_000, None).await;
    let cookie = open(&apps[1]).await;
    post(&apps[0], &cookie, "/assessment/start", &[]).await;
    let save = |app: &TestApp, value: &str, seq: i64| {
        let body = serde_json::json!({ "answers": [{ "key": "svi/svi-mot-01", "value": value, "latency_ms": 1500, "seq": seq }] });
        app.client
            .post(format!("{}/api/save_answers", app.base))
            .header("cookie", &cookie)
            .header("origin", &app.base)
            .header("content-type", "application/json")
            .header("accept", "application/json")
            .body(body.to_string())
            .send()
    };
    let ack = |res: reqwest::Response| async move {
        assert_eq!(res.status(), 200);
        let ack: serde_json::Value = res.json().await.expect("ack");
        (ack["acked_seq"].as_i64().expect("acked_seq"), ack["stored"].as_i64().expect("stored"))
    };
    // The candidate changes the answer: 2 on one process, then 5 on the other.
    assert_eq!(ack(save(&apps[0], "2", 1).await.expect("save")).await, (1, 1));
    assert_eq!(ack(save(&apps[1], "5", 2).await.expect("save")).await, (2, 1));
    // The first save retried late, on the other process: acknowledged, and the newer answer stays.
    assert_eq!(ack(save(&apps[1], "2", 1).await.expect("save")).await.1, 0, "a retry stores nothing");
    let session = db.store.session_by_invitation(&org, &invitation).await.expect("q").expect("session");
    let answers = db.store.answers_of(&session.id).await.expect("answers");
    assert_eq!(answers.len(), 1);
    assert_eq!(answers[0].value, "5", "the newest answer, whichever process took which");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_passwords_sent_to_either_process_count_together() {
    let Some((db, servers, _site)) = two_processes().await else { return };
    let apps: Vec<TestApp> = servers.iter().map(|s| s.app(&db)).collect();
    common::web::people(&apps[0]).await;
    let (admin, right) = (common::web::ADMIN_A, common::web::PASSWORD);
    for n in 0..vigil::auth::MAX_FAILURES_PER_ACCOUNT as usize {
        let res = common::web::login_with(&apps[n % 2], admin, "a wrong guess", None).await;
        assert_eq!(res.status().as_u16(), 303, "wrong password {n} is answered as wrong");
    }
    // Each process saw only half of the failures; together they reach the limit.
    for app in &apps {
        let res = common::web::login_with(app, admin, right, None).await;
        assert_eq!(res.status().as_u16(), 429, "the next attempt waits on {}", app.base);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reminder_due_is_sent_once_by_two_processes() {
    let Some(smtp) = smtp_server().await else { return };
    let smtp_url = format!("smtp://127.0.0.1:{}", smtp.port);
    let Some(db) = TestDb::new(common::Db::Postgres).await else { return };
    let s = &db.store;
    let org = s.create_organisation("Reminded", "reminded", false).await.expect("org");
    let battery = serde_json::json!({ "instruments": [{ "instrument": "svi", "version": "1.0.0" }] }).to_string();
    let campaign = s
        .create_campaign(&NewCampaign {
            org_id: &org.id, name: "Analysts", role_family: "security", battery: &battery, time_limit_minutes: None,
            adaptive: false, candidate_feedback: false, invitation_ttl_days: 7, created_by: None,
            reminder_days: Some(2),
            link_base: Some("https://assess.example.org"),
        })
        .await
        .expect("campaign");
    // Invited a while ago, never written to since, the link runs out tomorrow: a reminder is due.
    let invitation = s
        .create_invitation(&NewInvitation {
            org_id: &org.id, campaign_id: &campaign.id, candidate_name: Some("Alex"), candidate_email: Some("alex@example.org"),
            language: "en", token_hash: &secret_hash(TOKEN), expires_at: vigil::time::now_ms() + 86_400_000, created_by: None,
        })
        .await
        .expect("invitation");
    // Both processes start at once, each with its workers looking for due reminders and mail to send.
    let site = common::process::site();
    let url = db.url.expose().to_string();
    let extra = ["--smtp-url", smtp_url.as_str()];
    let (first, second) = tokio::join!(start(&url, site.path(), free_port(), &extra), start(&url, site.path(), free_port(), &extra));
    let reminded = common::eventually_within("the reminder received", Duration::from_secs(120), || async {
        let mails: Vec<String> = received(smtp.maildir.path()).into_iter().filter(|m| m.contains("To: alex@example.org")).collect();
        let sent = s.outbox_of(&org.id, 10).await.expect("outbox").iter().all(|m| m.status == "sent");
        (!mails.is_empty() && sent).then_some(mails)
    })
    .await;
    let row = s.campaign_candidates(&org.id, &campaign.id).await.expect("rows").into_iter().find(|r| r.invitation_id == invitation.invitation_id).expect("row");
    assert!(row.auto_reminded_at.is_some(), "recorded as reminded");
    // The reminder job is done for now and both processes' mail workers have looked again since.
    let outbox = s.outbox_of(&org.id, 10).await.expect("outbox");
    assert_eq!(outbox.len(), 1, "one reminder queued: {outbox:?}");
    drop((first, second));
    assert_eq!(reminded.len(), 1, "received once");
    assert_eq!(received(smtp.maildir.path()).len(), 1, "and nothing else was sent");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_job_whose_process_is_killed_is_finished_once_by_the_other() {
    let Some(db) = TestDb::new(common::Db::Postgres).await else { return };
    let org = db.store.create_organisation("Killed", "killed", false).await.expect("org").id;
    common::sessions::simulated(&db.store, &org, "1.1.0", (400, 0), 41, |_| {}).await;
    let request = CalibrationRequest { instrument: "svi".into(), version: "1.1.0".into(), scale: None, filter: SheetFilter::default() };
    let payload = serde_json::to_string(&request).expect("json");
    let now = vigil::time::now_ms();
    let job = NewJob { org_id: Some(&org), kind: kind::CALIBRATION, dedupe_key: None, payload: &payload, run_after: now, every_ms: None, max_attempts: 3, created_by: None };
    let id = db.store.enqueue_job(&job, now).await.expect("job");
    let site = common::process::site();
    let url = db.url.expose().to_string();
    let (a, b) = tokio::join!(start(&url, site.path(), free_port(), &[]), start(&url, site.path(), free_port(), &[]));
    let mut servers = [a, b];
    let running = common::job_when(&db.store, &id, "running an EM cycle", |j| j.status == "running" && j.progress_note.as_deref().is_some_and(|n| n.contains("EM cycle"))).await;
    let holder = lease_pid(&running).expect("the lease names its process");
    let killed = servers.iter().position(|s| s.child.id() == holder).expect("one of the two processes runs it");
    servers[killed].child.kill().expect("SIGKILL");
    servers[killed].child.wait().expect("gone");
    // Only the other process is left to take it over once the lease has run out.
    // The lease runs 60 s before the other process may take the job over.
    let done = common::job_when(&db.store, &id, "done", |j| j.status == "done" || j.status == "failed").await;
    assert_eq!(done.status, "done", "{:?}", done.last_error);
    assert_eq!(done.attempts, 2, "run once by the killed process, once by the other after its lease ran out");
    assert!(servers[1 - killed].child.try_wait().expect("status").is_none(), "the other process still serves");
    assert!(done.result.is_some_and(|r| r.contains("\"sessions\":400")), "a whole result");
}
