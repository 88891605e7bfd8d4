//! Item analysis in the browser, on SQLite and PostgreSQL: a psychologist
//! asks for it, a job computes it off the request path, the page shows the
//! result, equal to `vigil analyze` on the exported answers; the result is
//! reused while the data stay the same; selections narrow it; recruiters
//! and other organisations get nothing of it.

use crate::common;

use common::{web, TestApp};
use vigil::{
    catalog::Catalog,
    run::{start_background, Background},
    store::{Role, SheetFilter},
};

/// The demo organisation seeded, with a psychologist signed in: (org id, cookie).
async fn demo_with_psychologist(app: &TestApp) -> (String, String) {
    let catalog = Catalog::load(&Catalog::shipped_dir()).expect("banks");
    let credentials = tempfile::tempdir().expect("dir");
    vigil::demo::seed(&app.db.store, &catalog, &credentials.path().join("demo.txt")).await.expect("seed");
    let demo = app.db.store.organisation_by_slug("demo").await.expect("q").expect("demo");
    let hash = vigil::passwords::hash_password(web::PASSWORD).expect("hash");
    app.db
        .store
        .create_user(&vigil::store::NewUser { org_id: &demo.id, email: "ana@demo.vigil.test", display_name: "Ana", role: Role::Psychologist, password_hash: Some(&hash) })
        .await
        .expect("psychologist");
    (demo.id, web::login(app, "ana@demo.vigil.test").await)
}

/// Reloads `path` until it shows `marker` (see `common::eventually`).
async fn page_until(app: &TestApp, cookie: &String, path: &str, marker: &str) -> String {
    common::eventually(&format!("{path} showing {marker}"), || async {
        let (status, _, body) = web::get(app, Some(cookie), path).await;
        assert_eq!(status, 200, "{body}");
        body.contains(marker).then_some(body)
    })
    .await
}

on_both_databases! {
    async fn sessions_finished_before_sheets_were_kept_get_theirs_once(db: Db) {
        let Some(t) = common::TestDb::new(db).await else { return };
        let s = &t.store;
        let catalog = Catalog::load(&Catalog::shipped_dir()).expect("banks");
        let svi = catalog.get("svi", "1.1.0").expect("svi");
        let org = s.create_organisation("Old data", "old-data", false).await.expect("org").id;
        let battery = serde_json::json!({ "instruments": [{ "instrument": "svi", "version": "1.1.0" }] }).to_string();
        let campaign = s
            .create_campaign(&vigil::store::NewCampaign { org_id: &org, name: "Before", role_family: "it", battery: &battery, time_limit_minutes: None, adaptive: false, candidate_feedback: false, invitation_ttl_days: 7, created_by: None, reminder_days: None, link_base: None })
            .await
            .expect("campaign")
            .id;
        let invitation = s
            .create_invitation(&vigil::store::NewInvitation { org_id: &org, campaign_id: &campaign, candidate_name: None, candidate_email: None, language: "de", token_hash: "h", expires_at: i64::MAX / 2, created_by: None })
            .await
            .expect("invitation")
            .invitation_id;
        let session = s
            .start_session(&vigil::store::NewSession { org_id: &org, campaign_id: &campaign, invitation_id: &invitation, notice_version: "n", language: "de", seed: 1, deadline_at: None })
            .await
            .expect("session");
        let first = svi.bank.items()[0].id.clone();
        s.save_answers(&[vigil::store::AnswerInput { session_id: &session, instrument: "svi", item_id: &first, value: "4", latency_ms: Some(2300), client_seq: 1, answers_before: None }]).await.expect("answer");
        let seen = vigil::store::AnswersSeen::of(&s.answers_of(&session).await.expect("answers"));
        let audit = vigil::store::AuditEntry { org_id: Some(&org), actor: vigil::store::Actor::System, action: "candidate.finished", object_type: "session", object_id: Some(&session), detail: None };
        // Finished as before sheets existed: none written.
        s.finish_session(&org, &session, seen, &[], &[], &audit).await.expect("finish");
        assert_eq!(s.sheets_version(&org, "svi", "1.1.0", &SheetFilter::default()).await.expect("count").sessions, 0);
        assert_eq!(vigil::sheets::backfill(s, &svi.bank, &org, true).await.expect("backfill"), 1);
        assert_eq!(vigil::sheets::backfill(s, &svi.bank, &org, true).await.expect("backfill"), 0, "once");
        let rows = s.sheets(&org, "svi", "1.1.0", &SheetFilter::default()).await.expect("sheets");
        assert_eq!((rows.len(), rows[0].language.as_str(), rows[0].adaptive), (1, "de", 0));
        let sheets = vigil::sheets::read(&svi.bank, &rows).expect("readable");
        assert_eq!(sheets[0].respondent, vigil::sheets::pseudonym(&session));
        assert_eq!((sheets[0].answer(0), sheets[0].latency_ms(0)), (Some(assessments::responses::Answer::Value(4)), Some(2300)));
        assert!(sheets[0].answers()[1..].iter().all(Option::is_none));
    }

    async fn a_psychologist_runs_the_item_analysis_and_it_equals_vigil_analyze(db: Db) {
        let Some(app) = common::spawn_app(db).await else { return };
        let (org, psychologist) = demo_with_psychologist(&app).await;
        let catalog = Catalog::load(&Catalog::shipped_dir()).expect("banks");
        let workers = start_background(&app.db.store, &catalog, Background { retention_days: 183, public_url: None, mailer: None, webhooks: Default::default() }).await.expect("workers");

        let page = "/instruments/svi/1.1.0/analysis";
        let (status, _, before) = web::get(&app, Some(&psychologist), page).await;
        assert_eq!(status, 200, "{before}");
        assert!(before.contains("id=\"no-result\"") && before.contains("id=\"run-analysis\""), "{before}");
        let (status, location, _) = web::post(&app, Some(&psychologist), page, &[]).await;
        assert_eq!((status, location.as_deref()), (303, Some(page)));
        let shown = page_until(&app, &psychologist, page, "id=\"computed-on\"").await;
        assert!(shown.contains("<section class=\"scale-analysis\"") && shown.contains("<svg class=\"answer-bars\" role=\"img\""), "tables and charts: {shown}");
        assert!(!shown.contains("id=\"run-analysis\""), "up to date: nothing to run");
        for name in vigil::demo::demo_names() {
            assert!(!shown.contains(name), "{name} appears on the analysis page");
        }

        // The same numbers as `vigil analyze` on the exported answers (the export's analysis.json is that).
        let (status, _, report) = web::get(&app, Some(&psychologist), "/instruments/svi/1.1.0/analysis/report.json").await;
        assert_eq!(status, 200, "{report}");
        let report: serde_json::Value = serde_json::from_str(&report).expect("json");
        let (_, _, exported) = web::get(&app, Some(&psychologist), "/instruments/svi/1.1.0/analysis.json").await;
        let exported: serde_json::Value = serde_json::from_str(&exported).expect("json");
        assert_eq!(report["report"], exported, "the page's analysis is vigil analyze's");
        let sessions = report["report"]["sessions"].as_u64().expect("sessions");
        assert!(sessions > 0);
        assert_eq!(report["data_version"]["sessions"].as_u64(), Some(sessions));
        assert!(!report.to_string().contains('@'), "no address in the result");

        // Asked again with the same data: the result is reused, no new job.
        web::post(&app, Some(&psychologist), page, &[]).await;
        assert_eq!(app.db.store.jobs_of(&org, "item-analysis", 10).await.expect("jobs").len(), 1);

        // The CSV: one row per item of the analysed scales.
        let (status, _, csv) = web::get(&app, Some(&psychologist), "/instruments/svi/1.1.0/analysis/report.csv").await;
        assert_eq!(status, 200);
        let items: usize = report["report"]["scales"].as_array().expect("scales").iter().map(|s| s["item_stats"].as_array().map_or(0, Vec::len)).sum();
        assert_eq!(csv.lines().count(), items + 1, "{csv}");
        assert!(csv.starts_with("scale,scale_items,n_complete,alpha,"));

        // A selection: only sessions with a validity status of "invalid" (fewer, maybe none).
        let narrow = SheetFilter { validity: Some("invalid".into()), ..SheetFilter::default() };
        let expected = app.db.store.sheets_version(&org, "svi", "1.1.0", &narrow).await.expect("count").sessions;
        assert!(expected < sessions as i64);
        let (status, _, selected) = web::get(&app, Some(&psychologist), &format!("{page}?validity=invalid")).await;
        assert_eq!(status, 200);
        assert!(selected.contains(&format!("holds {expected} completed sessions")), "{selected}");
        assert!(selected.contains("<option value=\"invalid\" selected>"), "the form shows the selection");
        for worker in workers {
            worker.stop().await;
        }
    }

    async fn recruiters_other_organisations_and_bad_selections_get_nothing(db: Db) {
        let Some(app) = common::spawn_app(db).await else { return };
        let (_, psychologist) = demo_with_psychologist(&app).await;
        web::people(&app).await;
        let page = "/instruments/svi/1.1.0/analysis";
        let recruiter = web::login(&app, web::RECRUITER_A).await;
        assert_eq!(web::get(&app, Some(&recruiter), page).await.0, 403, "recruiters never see item-level data");
        assert_eq!(web::post(&app, Some(&recruiter), page, &[]).await.0, 403);
        // Another organisation's administrator sees their own (empty) data, and no result of the demo's.
        let other = web::login(&app, web::ADMIN_B).await;
        let (status, _, body) = web::get(&app, Some(&other), page).await;
        assert_eq!(status, 200);
        assert!(body.contains("holds 0 completed sessions"), "{body}");
        assert_eq!(web::get(&app, Some(&other), &format!("{page}/report.json")).await.0, 404);
        // Bad selections and banks.
        let (status, _, body) = web::get(&app, Some(&psychologist), &format!("{page}?from=last+week")).await;
        assert_eq!(status, 422);
        assert!(body.contains("YYYY-MM-DD"), "{body}");
        assert_eq!(web::get(&app, Some(&psychologist), &format!("{page}?validity=perfect")).await.0, 422);
        assert_eq!(web::get(&app, Some(&psychologist), "/instruments/svi/9.9.9/analysis").await.0, 404);
        assert_eq!(web::get(&app, Some(&psychologist), "/instruments/pulse/1.0.0/analysis").await.0, 422, "group-only banks are never analysed item by item");
        assert_eq!(web::get(&app, Some(&psychologist), &format!("{page}/report.json")).await.0, 404, "no result yet");
        assert_eq!(web::get(&app, Some(&psychologist), &format!("{page}/report.exe")).await.0, 404);
        assert_eq!(web::post(&app, Some(&psychologist), &format!("{page}?x=1"), &[("from", "2026-02-30")]).await.0, 422);
    }
}
