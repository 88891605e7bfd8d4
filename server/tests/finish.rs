//! Finishing a session is one unit (completion, every score, the audit
//! entry), and instruments not meant for reports about one person (the
//! workforce pulse) never show per person: on SQLite and PostgreSQL.

use crate::common;

use std::borrow::Cow;

use common::{candidate as cand, web, Db, TestApp};
use vigil::{
    secrets::secret_hash,
    store::{NewCampaign, NewInvitation, Store},
};

/// A campaign of organisation `org_id` with this battery (written straight
/// into the store, as a campaign made before today's checks would be) and
/// an invitation whose link token is `cand::TOKEN`.
async fn campaign_with(store: &Store, org_id: &str, battery: serde_json::Value) -> (String, String) {
    let battery = battery.to_string();
    let campaign = store
        .create_campaign(&NewCampaign {
            org_id,
            name: "Analysts",
            role_family: "security",
            battery: &battery,
            time_limit_minutes: None,
            adaptive: false,
            candidate_feedback: true,
            invitation_ttl_days: 14,
            created_by: None,
            reminder_days: None,
            link_base: None,
        })
        .await
        .expect("campaign");
    let invitation = store
        .create_invitation(&NewInvitation {
            org_id,
            campaign_id: &campaign.id,
            candidate_name: Some("Alex"),
            candidate_email: Some("alex@example.org"),
            language: "en",
            token_hash: &secret_hash(cand::TOKEN),
            expires_at: vigil::time::now_ms() + 86_400_000,
            created_by: None,
        })
        .await
        .expect("invitation");
    (campaign.id, invitation.invitation_id)
}

async fn raw_pool(app: &TestApp) -> sqlx::AnyPool {
    sqlx::any::install_default_drivers();
    sqlx::AnyPool::connect(app.db.url.expose()).await.expect("raw pool")
}

async fn count(pool: &sqlx::AnyPool, sql: &str, id: &str) -> i64 {
    sqlx::query_scalar(sql).bind(id).fetch_one(pool).await.expect("count")
}

/// A trigger in the database that fails the second score of any session:
/// the failure comes from the real database, in the middle of the finish.
async fn fail_the_second_score(pool: &sqlx::AnyPool, db: Db) {
    let statements: &[&str] = match db {
        Db::Sqlite => &["CREATE TRIGGER fail_second_score BEFORE INSERT ON scores \
             WHEN (SELECT COUNT(*) FROM scores WHERE session_id = NEW.session_id) >= 1 \
             BEGIN SELECT RAISE(ABORT, 'injected failure: the second score'); END"],
        Db::Postgres => &[
            "CREATE FUNCTION fail_second_score() RETURNS trigger AS $$ BEGIN \
               IF (SELECT COUNT(*) FROM scores WHERE session_id = NEW.session_id) >= 1 THEN \
                 RAISE EXCEPTION 'injected failure: the second score'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql",
            "CREATE TRIGGER fail_second_score BEFORE INSERT ON scores FOR EACH ROW EXECUTE FUNCTION fail_second_score()",
        ],
    };
    for sql in statements {
        sqlx::query(sql).execute(pool).await.expect("install the failing trigger");
    }
}

async fn stop_failing(pool: &sqlx::AnyPool) {
    sqlx::query("DROP TRIGGER fail_second_score ON scores").execute(pool).await.or(sqlx::query("DROP TRIGGER fail_second_score").execute(pool).await).expect("drop the trigger");
}

on_both_databases! {
    async fn a_failed_finish_stores_nothing_and_a_retry_scores_everything_once(db: Db) {
        let Some(app) = common::spawn_app(db).await else { return };
        let org = app.db.store.create_organisation("Acme", "acme", false).await.expect("org");
        let battery = serde_json::json!({ "instruments": [{ "instrument": "svi", "version": "1.0.0" }, { "instrument": "sjs", "version": "1.0.0" }] });
        let (_, invitation) = campaign_with(&app.db.store, &org.id, battery).await;
        let cookie = cand::open(&app).await;
        assert!(cand::post(&app, &cookie, "/assessment/start", &[]).await.status().is_redirection());
        cand::answer_every_page(&app, &cookie).await;
        let session = app.db.store.session_by_invitation(&org.id, &invitation).await.expect("q").expect("session");
        let pool = raw_pool(&app).await;
        let scores_sql = "SELECT COUNT(*) FROM scores WHERE session_id = $1";
        let finished_sql = "SELECT COUNT(*) FROM audit_log WHERE action = 'candidate.finished' AND object_id = $1";

        fail_the_second_score(&pool, db).await;
        let res = cand::post(&app, &cookie, "/assessment/finish", &[]).await;
        assert_eq!(res.status().as_u16(), 503);
        let page = res.text().await.expect("body");
        for words in ["We could not finish your assessment", "Your answers are safe", "action=\"/assessment/finish\"", "Try again"] {
            assert!(page.contains(words), "{words:?} missing from {page}");
        }
        assert!(!page.contains("injected failure"), "the cause is logged, never shown");
        // Nothing of the finish was kept: not the completion, not the first score, not the audit entry.
        let after = app.db.store.session_by_invitation(&org.id, &invitation).await.expect("q").expect("session");
        assert_eq!(after.status, "in_progress");
        assert_eq!(count(&pool, scores_sql, &session.id).await, 0);
        assert_eq!(count(&pool, finished_sql, &session.id).await, 0);
        let answers = app.db.store.answers_of(&session.id).await.expect("answers").len();
        assert!(answers > 100, "every answer is kept ({answers})");
        let (_, review) = cand::get(&app, &cookie, "/assessment").await;
        assert!(review.contains("Check and finish"), "the candidate is back on the review page: {review}");

        stop_failing(&pool).await;
        assert!(cand::post(&app, &cookie, "/assessment/finish", &[]).await.status().is_redirection());
        let (_, done) = cand::get(&app, &cookie, "/assessment").await;
        assert!(done.contains("Thank you"), "{done}");
        let done_session = app.db.store.session_by_invitation(&org.id, &invitation).await.expect("q").expect("session");
        assert_eq!(done_session.status, "completed");
        let methods = |scores: &[vigil::store::StoredScore]| scores.iter().map(|s| format!("{}:{}", s.instrument, s.method)).collect::<Vec<_>>();
        let scores = app.db.store.scores_of(&org.id, &session.id).await.expect("scores");
        assert_eq!(methods(&scores), vec!["svi:irt", "svi:ctt", "sjs:irt", "sjs:ctt"]);
        assert_eq!(count(&pool, finished_sql, &session.id).await, 1);

        // A retry after success changes nothing.
        assert!(cand::post(&app, &cookie, "/assessment/finish", &[]).await.status().is_redirection());
        assert_eq!(count(&pool, scores_sql, &session.id).await, 4);
        assert_eq!(count(&pool, finished_sql, &session.id).await, 1);
    }

    async fn the_pulse_in_an_existing_hiring_campaign_is_never_shown_per_person(db: Db) {
        let Some(app) = common::spawn_app(db).await else { return };
        let people = web::people(&app).await;
        let battery = serde_json::json!({ "instruments": [{ "instrument": "svi", "version": "1.0.0" }, { "instrument": "pulse", "version": "1.0.0" }] });
        let (campaign, invitation) = campaign_with(&app.db.store, &people.org_a, battery).await;
        let cookie = cand::open(&app).await;
        cand::post(&app, &cookie, "/assessment/start", &[]).await;
        cand::answer_every_page(&app, &cookie).await;
        assert!(cand::post(&app, &cookie, "/assessment/finish", &[]).await.status().is_redirection());
        let session = app.db.store.session_by_invitation(&people.org_a, &invitation).await.expect("q").expect("session");
        // Stored (nothing is thrown away), but not for individual reports.
        let pool = raw_pool(&app).await;
        assert!(count(&pool, "SELECT COUNT(*) FROM scores WHERE session_id = $1 AND instrument = 'pulse' AND individual_report = 0", &session.id).await >= 1);
        let shown = app.db.store.scores_of(&people.org_a, &session.id).await.expect("scores");
        assert!(!shown.is_empty() && shown.iter().all(|s| s.instrument == "svi"), "{:?}", shown.iter().map(|s| &s.instrument).collect::<Vec<_>>());

        let recruiter = web::login(&app, web::RECRUITER_A).await;
        let (status, _, profile) = web::get(&app, Some(&recruiter), &format!("/campaigns/{campaign}/candidates/{invitation}")).await;
        assert_eq!(status, 200, "{profile}");
        assert!(profile.contains("Security motivation") || profile.contains("security"), "the SVI is on the profile");
        for pulse in ["Intention to leave", "intention_to_leave", "Job satisfaction", "Workforce Pulse"] {
            assert!(!profile.contains(pulse), "{pulse:?} on the profile");
        }
        // Person fit from the stored IRT record joins the validity panel, scale by scale.
        let irt = shown.iter().find(|s| s.method == "irt").expect("an IRT record for the calibrated SVI");
        let report: serde_json::Value = serde_json::from_str(&irt.report).expect("json");
        let flagged: Vec<&str> = report["irt"].as_array().expect("irt scores").iter().filter(|s| s["lz_star"].as_f64().is_some_and(|lz| lz < -1.645)).filter_map(|s| s["scale"].as_str()).collect();
        assert!(!flagged.is_empty(), "answering the first choice everywhere (reverse-keyed items too) is an unusual pattern: {report}");
        assert_eq!(profile.matches("Unusual answer pattern on").count(), flagged.len(), "one caution per flagged scale");
        let (_, _, csv) = web::get(&app, Some(&recruiter), &format!("/campaigns/{campaign}/export.csv")).await;
        let (_, _, json) = web::get(&app, Some(&recruiter), &format!("/campaigns/{campaign}/candidates/{invitation}/export.json")).await;
        for (name, body) in [("CSV", &csv), ("JSON", &json)] {
            assert!(!body.contains("intention_to_leave") && !body.contains("Intention to leave") && !body.contains("\"pulse\""), "the pulse in the {name}: {body}");
        }
    }

    async fn the_migration_hides_pulse_scores_stored_before_it(db: Db) {
        let Some((url, _dir)) = common::fresh_database_url(db).await else { return };
        let store = Store::connect(&url).await.expect("connect");
        sqlx::any::install_default_drivers();
        let pool = sqlx::AnyPool::connect(url.expose()).await.expect("raw pool");
        // The schema as it was before scores knew whether they may be shown per person.
        let all = match db {
            Db::Sqlite => sqlx::migrate!("../migrations/sqlite"),
            Db::Postgres => sqlx::migrate!("../migrations/postgres"),
        };
        let hides = 20261206000008;
        let before = sqlx::migrate::Migrator { migrations: Cow::Owned(all.iter().filter(|m| m.version < hides).cloned().collect()), ..all };
        before.run(&pool).await.expect("the older schema");
        let org = store.create_organisation("Acme", "acme", false).await.expect("org");
        let battery = serde_json::json!({ "instruments": [{ "instrument": "svi", "version": "1.0.0" }, { "instrument": "pulse", "version": "1.0.0" }] });
        let campaign = store
            .create_campaign(&NewCampaign {
                org_id: &org.id, name: "Analysts", role_family: "security", battery: &battery.to_string(), time_limit_minutes: None, adaptive: false,
                candidate_feedback: true, invitation_ttl_days: 14, created_by: None, reminder_days: None, link_base: None,
            })
            .await
            .expect("campaign")
            .id;
        // Written as the older code did (today's invitations carry a search key, and
        // today's start also tells webhooks, whose tables come later).
        let (candidate, invitation) = (uuid::Uuid::new_v4().to_string(), uuid::Uuid::new_v4().to_string());
        sqlx::query("INSERT INTO candidates (id, org_id, name, email, language, created_at) VALUES ($1, $2, 'Alex', 'alex@example.org', 'en', 1)").bind(&candidate).bind(&org.id).execute(&pool).await.expect("candidate");
        sqlx::query("INSERT INTO invitations (id, org_id, campaign_id, candidate_id, token_hash, language, expires_at, created_at) VALUES ($1, $2, $3, $4, $5, 'en', $6, 1)")
            .bind(&invitation)
            .bind(&org.id)
            .bind(&campaign)
            .bind(&candidate)
            .bind(secret_hash(cand::TOKEN))
            .bind(vigil::time::now_ms() + 86_400_000)
            .execute(&pool)
            .await
            .expect("invitation");
        let session = uuid::Uuid::new_v4().to_string();
        sqlx::query(
            "INSERT INTO assessment_sessions (id, org_id, campaign_id, invitation_id, status, notice_version, acknowledged_at, language, seed, started_at) \
             VALUES ($1, $2, $3, $4, 'in_progress', 'n', 1, 'en', 1, 1)",
        )
        .bind(&session)
        .bind(&org.id)
        .bind(&campaign)
        .bind(&invitation)
        .execute(&pool)
        .await
        .expect("session");
        for instrument in ["svi", "pulse"] {
            sqlx::query(
                "INSERT INTO scores (id, org_id, session_id, instrument, method, bank_version, bank_hash, engine_version, validity_status, report, created_at) \
                 VALUES ($1, $2, $3, $4, 'ctt', '1.0.0', 'sha256:x', '0.1.0', 'ok', '{}', 1)",
            )
            .bind(uuid::Uuid::new_v4().to_string())
            .bind(&org.id)
            .bind(&session)
            .bind(instrument)
            .execute(&pool)
            .await
            .expect("an old score");
        }
        store.migrate().await.expect("migrate to today's schema");
        let shown: Vec<String> = store.scores_of(&org.id, &session).await.expect("scores").into_iter().map(|s| s.instrument).collect();
        assert_eq!(shown, vec!["svi"]);
        let kept: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM scores WHERE session_id = $1").bind(&session).fetch_one(&pool).await.expect("count");
        assert_eq!(kept, 2, "the pulse score is kept, only not shown");
        pool.close().await;
        store.close().await;
    }
}
