//! Calibration in the browser, on SQLite and PostgreSQL: a psychologist
//! asks for it, a job estimates the parameters the engine of `vigil
//! calibrate` gives on the same answers, the page shows them beside the
//! current ones, and they are saved into a new draft (a major version);
//! one calibration at a time per organisation; a queued or running one can
//! be cancelled; too few sessions or a constant item are refused with the
//! reason; recruiters and other organisations get nothing of it.

use crate::common;

use assessments::commands::{calibrate_sessions, CalibrateOptions, CalibrationKind};
use common::{web, TestApp};
use vigil::{
    calibration::{CalibrationJob, CalibrationResult},
    catalog::Catalog,
    jobs::{kind, Handler, Registration, Worker, WorkerOptions},
};

const PAGE: &str = "/instruments/svi/1.0.0/calibration";

async fn worker(app: &TestApp) -> Worker {
    let catalog = Catalog::load(&Catalog::shipped_dir()).expect("banks");
    let handler = std::sync::Arc::new(CalibrationJob { store: app.db.store.clone(), catalog });
    Worker::start(app.db.store.clone(), "test calibration", vec![Registration { kind: kind::CALIBRATION, handler, every: None }], WorkerOptions::default()).await.expect("worker")
}

/// Reloads the page until it shows `marker`.
async fn page_until(app: &TestApp, cookie: &String, marker: &str) -> String {
    common::eventually(&format!("the calibration page showing {marker}"), || async {
        let (status, _, body) = web::get(app, Some(cookie), PAGE).await;
        assert_eq!(status, 200, "{body}");
        body.contains(marker).then_some(body)
    })
    .await
}

on_both_databases! {
    async fn a_calibration_runs_as_a_job_equals_the_command_and_becomes_a_draft(db: Db) {
        let Some(app) = common::spawn_app(db).await else { return };
        let people = web::people(&app).await;
        let psychologist = web::login(&app, web::PSYCHOLOGIST_A).await;
        let recruiter = web::login(&app, web::RECRUITER_A).await;
        let admin_b = web::login(&app, web::ADMIN_B).await;
        let (_, answers) = common::sessions::simulated(&app.db.store, &people.org_a, "1.0.0", (260, 0), 21, |_| {}).await;
        let worker = worker(&app).await;
        let (status, location, body) = web::post(&app, Some(&psychologist), PAGE, &[("scale", "security_motivation")]).await;
        assert_eq!(status, 303, "{body}");
        assert_eq!(location.as_deref(), Some("/instruments/svi/1.0.0/calibration?notice=started"));
        let page = page_until(&app, &psychologist, "id=\"calibration-result\"").await;
        worker.stop().await;
        assert!(page.contains("260 sessions") && page.contains("marginal reliability"), "{page}");
        assert!(page.contains("<svg class=\"information\" role=\"img\""), "the information curves");
        assert!(!page.contains("Nora Norm"), "no identity on the page");

        // The same parameters as the engine of `vigil calibrate` on these answers (order aside: 1e-3).
        let job = app.db.store.jobs_of(&people.org_a, kind::CALIBRATION, 1).await.expect("q").remove(0);
        let result: CalibrationResult = serde_json::from_str(job.result.as_deref().expect("result")).expect("json");
        assert_eq!(result.kind, CalibrationKind::Empirical);
        let catalog = Catalog::load(&Catalog::shipped_dir()).expect("banks");
        let svi = catalog.get("svi", "1.0.0").expect("svi");
        let options = CalibrateOptions { scale: Some("security_motivation".into()), require_convergence: false, ..CalibrateOptions::default() };
        let expected = calibrate_sessions(&svi.bank, &answers, &options).expect("calibrated");
        assert_eq!(result.scales.len(), 1);
        for (got, want) in result.scales[0].items.iter().zip(&expected[0].items) {
            assert_eq!(got.id, want.id);
            assert!((got.a - want.a).abs() < 1e-3, "{}: a {} vs {}", got.id, got.a, want.a);
            assert!(got.b.iter().zip(&want.b).all(|(x, y)| (x - y).abs() < 1e-3), "{}: b {:?} vs {:?}", got.id, got.b, want.b);
        }

        // Nobody else sees it.
        let (status, _, _) = web::get(&app, Some(&recruiter), PAGE).await;
        assert_eq!(status, 403);
        let (status, _, body) = web::get(&app, Some(&admin_b), PAGE).await;
        assert_eq!(status, 200);
        assert!(!body.contains("calibration-result"), "another organisation's result is not shown");
        let (status, _, _) = web::post(&app, Some(&admin_b), &format!("{PAGE}/draft"), &[("job", &job.id), ("new_id", "b-svi")]).await;
        assert_eq!(status, 404);

        // Saved into a new draft: the new parameters, a major version, nothing else changed.
        let (status, location, body) = web::post(&app, Some(&psychologist), &format!("{PAGE}/draft"), &[("job", &job.id), ("new_id", "a-svi")]).await;
        assert_eq!(status, 303, "{body}");
        let draft = location.and_then(|l| l.strip_prefix("/drafts/").map(str::to_string)).expect("draft");
        let (_, _, page) = web::get(&app, Some(&psychologist), &format!("/drafts/{draft}")).await;
        assert!(page.contains("id=\"next-version\">2.0.0<"), "IRT parameters make a major version");
        let (_, _, diff) = web::get(&app, Some(&psychologist), &format!("/drafts/{draft}/diff")).await;
        let changed = result.scales[0].items.len();
        assert!(diff.contains(&format!("{changed} changed, 0 added, 0 retired")), "{}", diff.split("diff-summary").nth(1).unwrap_or_default().chars().take(120).collect::<String>());
        assert!(diff.contains("IRT parameters"));
    }

    async fn one_calibration_at_a_time_and_cancelling_stops_it(db: Db) {
        let Some(app) = common::spawn_app(db).await else { return };
        let people = web::people(&app).await;
        let psychologist = web::login(&app, web::PSYCHOLOGIST_A).await;
        common::sessions::simulated(&app.db.store, &people.org_a, "1.0.0", (210, 0), 22, |_| {}).await;
        // No worker: the first waits; a second of the organisation is refused.
        let (status, _, _) = web::post(&app, Some(&psychologist), PAGE, &[("scale", "security_motivation")]).await;
        assert_eq!(status, 303);
        let (status, _, body) = web::post(&app, Some(&psychologist), "/instruments/svi/1.1.0/calibration", &[("scale", "")]).await;
        assert_eq!(status, 422);
        assert!(body.contains("one runs at a time") || body.contains("completed session(s) match"), "{body}");
        let (status, _, body) = web::post(&app, Some(&psychologist), PAGE, &[("scale", "vigilance")]).await;
        assert_eq!(status, 422);
        assert!(body.contains("one runs at a time"), "{body}");
        let page = page_until(&app, &psychologist, "waiting for its turn").await;
        assert!(page.contains("id=\"cancel-calibration\""));
        // Cancelling the waiting one ends it; a new one may start.
        let job = app.db.store.jobs_of(&people.org_a, kind::CALIBRATION, 1).await.expect("q").remove(0);
        let (status, _, _) = web::post(&app, Some(&psychologist), &format!("{PAGE}/cancel"), &[("job", &job.id)]).await;
        assert_eq!(status, 303);
        page_until(&app, &psychologist, "The last calibration was cancelled.").await;
        let (status, _, body) = web::post(&app, Some(&psychologist), &format!("{PAGE}/cancel"), &[("job", &job.id)]).await;
        assert_eq!(status, 422, "already ended: {body}");
        let (status, _, _) = web::post(&app, Some(&psychologist), PAGE, &[("scale", "vigilance")]).await;
        assert_eq!(status, 303);
        // A running one asked to stop stops at its next report, as cancelled.
        let now = vigil::time::now_ms();
        let claimed = app.db.store.claim_job(&[kind::CALIBRATION], "test", now, now + 60_000).await.expect("claim").expect("a job");
        let (status, _, _) = web::post(&app, Some(&psychologist), &format!("{PAGE}/cancel"), &[("job", &claimed.id)]).await;
        assert_eq!(status, 303);
        let handler = CalibrationJob { store: app.db.store.clone(), catalog: Catalog::load(&Catalog::shipped_dir()).expect("banks") };
        let stopped = handler.run(&claimed).await.expect_err("stopped");
        assert_eq!(stopped.message, "cancelled");
    }

    async fn too_few_sessions_or_a_constant_item_are_refused_with_the_reason(db: Db) {
        let Some(app) = common::spawn_app(db).await else { return };
        let people = web::people(&app).await;
        let psychologist = web::login(&app, web::PSYCHOLOGIST_A).await;
        common::sessions::simulated(&app.db.store, &people.org_a, "1.0.0", (150, 0), 23, |_| {}).await;
        let (status, _, body) = web::post(&app, Some(&psychologist), PAGE, &[("scale", "")]).await;
        assert_eq!(status, 422);
        assert!(body.contains("150 completed session(s) match; a calibration needs at least 200"), "{body}");
        let (status, _, body) = web::post(&app, Some(&psychologist), PAGE, &[("scale", "no_such_scale")]).await;
        assert_eq!(status, 422);
        assert!(body.contains("no scale"), "{body}");
        // Everyone gave the same answer to one item of the scale.
        let catalog = Catalog::load(&Catalog::shipped_dir()).expect("banks");
        let bank = catalog.get("svi", "1.0.0").expect("svi").bank.clone();
        let item = bank.items_of_scale("vigilance")[0].id.clone();
        let (constant, _) = common::sessions::simulated(&app.db.store, &people.org_a, "1.0.0", (210, 0), 24, |r| {
            r.set(&bank, &item, &assessments::responses::RawAnswer::Value(3)).expect("answer");
        })
        .await;
        let mut all = Vec::new();
        let worker = worker(&app).await;
        let (status, _, body) = web::post(&app, Some(&psychologist), PAGE, &[("scale", "vigilance"), ("campaign", &constant)]).await;
        assert_eq!(status, 303, "{body}");
        let page = page_until(&app, &psychologist, "could not be done").await;
        worker.stop().await;
        assert!(page.contains("every respondent gave the same answer") || page.contains("constant item"), "{}", page.split("calibration-status").nth(1).unwrap_or_default().chars().take(300).collect::<String>());
        all.extend(app.db.store.jobs_of(&people.org_a, kind::CALIBRATION, 10).await.expect("q"));
        assert!(all.iter().all(|j| j.status == "failed" || j.status == "done"), "no job left running");
    }
}
