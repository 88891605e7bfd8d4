//! A candidate's path over plain HTTP (what a browser without JavaScript
//! does), and every bad input on the way, on SQLite and PostgreSQL.

use crate::common;

use common::{candidate::*, TestApp};
use vigil::{
    secrets::secret_hash,
    store::{NewCampaign, NewInvitation},
};

/// A campaign that runs the enlarged SVI pool adaptively.
async fn invite_adaptive(app: &TestApp) -> (String, String) {
    let s = &app.db.store;
    let org = s.create_organisation("Adaptive Ltd", &format!("ad-{}", uuid::Uuid::new_v4().simple()), false).await.expect("org");
    let battery = serde_json::json!({ "instruments": [{ "instrument": "svi", "version": "1.1.0" }] }).to_string();
    let campaign = s
        .create_campaign(&NewCampaign {
            org_id: &org.id, name: "CAT", role_family: "security", battery: &battery, time_limit_minutes: None,
            adaptive: true, candidate_feedback: false, invitation_ttl_days: 14, created_by: None,
            reminder_days: None,
            link_base: None,
        })
        .await
        .expect("campaign");
    let inv = s
        .create_invitation(&NewInvitation {
            org_id: &org.id, campaign_id: &campaign.id, candidate_name: None, candidate_email: None,
            language: "en", token_hash: &secret_hash(TOKEN), expires_at: vigil::time::now_ms() + 86_400_000, created_by: None,
        })
        .await
        .expect("invitation");
    (org.id, inv.invitation_id)
}


/// Sets a session's deadline behind the server's back (as if time had passed).
async fn set_deadline(app: &TestApp, session_id: &str, at: i64) {
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(app.db.url.expose()).await.expect("pool");
    sqlx::query("UPDATE assessment_sessions SET deadline_at = $1 WHERE id = $2").bind(at).bind(session_id).execute(&pool).await.expect("update");
}

/// Sends one answer as the browser's save queue does; returns the status.
async fn save_json(app: &TestApp, cookie: &str, key: &str, value: &str, seq: i64) -> u16 {
    save_answer(app, cookie, key, value, seq).await.status().as_u16()
}

/// Sends one answer as the browser's save queue does; the whole response.
async fn save_answer(app: &TestApp, cookie: &str, key: &str, value: &str, seq: i64) -> reqwest::Response {
    let body = serde_json::json!({ "answers": [{ "key": key, "value": value, "latency_ms": 1800, "seq": seq }] });
    app.client
        .post(format!("{}/api/save_answers", app.base))
        .header("cookie", cookie)
        .header("origin", &app.base)
        .header("content-type", "application/json")
        .header("accept", "application/json")
        .body(body.to_string())
        .send()
        .await
        .expect("post")
}

on_both_databases! {
    async fn a_room_of_candidates_behind_one_address_all_open_their_links(db: Db) {
        let Some(app) = common::spawn_app(db).await else { return };
        let (org, _) = invite(&app, 86_400_000, None).await;
        let campaign = app.db.store.campaigns_of(&org).await.expect("campaigns").remove(0);
        let tokens: Vec<String> = (0..100).map(|n| format!("AssessmentDayToken{n:014}")).collect();
        for token in &tokens {
            app.db.store
                .create_invitation(&NewInvitation {
                    org_id: &org, campaign_id: &campaign.id, candidate_name: None, candidate_email: None,
                    language: "en", token_hash: &secret_hash(token), expires_at: vigil::time::now_ms() + 86_400_000, created_by: None,
                })
                .await
                .expect("invitation");
        }
        let status = |path: String| {
            let client = app.client.clone();
            async move { client.get(path).send().await.expect("open").status().as_u16() }
        };
        for token in &tokens {
            assert_eq!(status(format!("{}/take/{token}", app.base)).await, 303, "a valid link always opens");
        }
        // Unknown links count: after the limit the address waits.
        for n in 0..vigil::http::RATE_LIMITED_LINKS {
            assert_eq!(status(format!("{}/take/UnknownToken{n:020}", app.base)).await, 404);
        }
        assert_eq!(status(format!("{}/take/UnknownTokenOneMore000000", app.base)).await, 429);
    }

    async fn a_candidate_completes_the_battery_without_javascript(db: Db) {
        let Some(app) = common::spawn_app(db).await else { return };
        let (org, invitation) = invite(&app, 86_400_000, None).await;
        let cookie = open(&app).await;
        let (status, notice) = get(&app, &cookie, "/assessment").await;
        assert_eq!(status, 200);
        assert!(notice.contains("Before you start") && notice.contains("legitimate interest"), "{notice}");
        // How much there is, honestly: both sections, every question of the two fixed forms.
        let catalog = vigil::catalog::Catalog::load(&vigil::catalog::Catalog::shipped_dir()).expect("banks");
        let in_full: usize = [("svi", "1.0.0"), ("sjs", "1.0.0")].iter().map(|(i, v)| catalog.get(i, v).expect("bank").bank.items().len()).sum();
        assert!(notice.contains(&format!("id=\"notice-questions\">{in_full}<")), "{notice}");
        assert!(notice.contains("id=\"notice-sections\">2 sections: "), "{notice}");
        // Nothing is stored before the candidate chooses to continue.
        assert!(app.db.store.session_by_invitation(&org, &invitation).await.expect("q").is_none());
        assert!(post(&app, &cookie, "/assessment/start", &[]).await.status().is_redirection());
        let mut pages = 0;
        loop {
            let (status, html) = get(&app, &cookie, "/assessment").await;
            assert_eq!(status, 200);
            if html.contains("Check and finish") {
                assert!(html.contains("You have answered every question"), "review says all done");
                break;
            }
            let qs = questions(&html);
            assert!(!qs.is_empty(), "a page of items: {html}");
            // No scoring material reaches the candidate.
            assert!(!html.contains("reverse") && !html.contains("key =") && !html.contains("\"key\""));
            let mut form = vec![("page".to_string(), page_of(&html)), ("seq".to_string(), seq_of(&html)), ("nav".to_string(), "next".to_string())];
            form.extend(qs);
            assert!(post(&app, &cookie, "/assessment/answers", &form).await.status().is_redirection());
            pages += 1;
            assert!(pages < 40, "too many pages");
        }
        assert!(post(&app, &cookie, "/assessment/finish", &[]).await.status().is_redirection());
        let (_, done) = get(&app, &cookie, "/assessment").await;
        assert!(done.contains("Thank you"), "{done}");
        // The campaign offers feedback: strengths first, and what it cannot tell.
        assert!(done.contains("A short summary for you") && done.contains("not a judgement of you as a person"), "{done}");
        let session = app.db.store.session_by_invitation(&org, &invitation).await.expect("q").expect("session");
        assert_eq!(session.status, "completed");
        let scores = app.db.store.scores_of(&org, &session.id).await.expect("scores");
        let ctt: Vec<_> = scores.iter().filter(|s| s.method == "ctt").collect();
        assert_eq!(ctt.len(), 2, "one classical score report per instrument");
        assert!(ctt.iter().all(|s| !s.bank_hash.is_empty() && s.norm_table_id.is_some()));
        // Both shipped instruments are calibrated: IRT scores are stored too, with finite numbers.
        let irt: Vec<_> = scores.iter().filter(|s| s.method == "irt").collect();
        assert_eq!(irt.len(), 2);
        let report: serde_json::Value = serde_json::from_str(&irt[0].report).expect("irt json");
        let first = &report["irt"][0];
        assert!(first["theta"].as_f64().is_some_and(f64::is_finite) && first["se"].as_f64().is_some_and(|se| se > 0.0 && se < 1.0), "{first}");
        // After completion, answers are refused.
        let late = post(&app, &cookie, "/assessment/answers", &[("page".into(), "1".into()), ("seq".into(), "999".into()), ("a:svi/svi-mot-01".into(), "3".into())]).await;
        assert_eq!(late.status(), 409);
    }

    async fn reloading_resumes_on_the_first_unanswered_page_and_retries_do_not_duplicate(db: Db) {
        let Some(app) = common::spawn_app(db).await else { return };
        let (org, invitation) = invite(&app, 86_400_000, None).await;
        let cookie = open(&app).await;
        post(&app, &cookie, "/assessment/start", &[]).await;
        let (_, first) = get(&app, &cookie, "/assessment").await;
        let mut form = vec![("page".to_string(), page_of(&first)), ("seq".to_string(), seq_of(&first)), ("nav".to_string(), "next".to_string())];
        form.extend(questions(&first));
        post(&app, &cookie, "/assessment/answers", &form).await;
        post(&app, &cookie, "/assessment/answers", &form).await; // a retried request
        let session = app.db.store.session_by_invitation(&org, &invitation).await.expect("q").expect("session");
        let answers = app.db.store.answers_of(&session.id).await.expect("answers");
        assert_eq!(answers.len(), questions(&first).len());
        assert!(answers.iter().all(|a| a.revisions == 1), "a retry changes nothing");
        // A second device with the same link resumes on page 2.
        let other = open(&app).await;
        assert_ne!(other, cookie);
        let (_, resumed) = get(&app, &other, "/assessment").await;
        assert_eq!(page_of(&resumed), "2");
    }

    async fn bad_answers_are_refused_and_store_nothing(db: Db) {
        let Some(app) = common::spawn_app(db).await else { return };
        let (org, invitation) = invite(&app, 86_400_000, None).await;
        let cookie = open(&app).await;
        // Before the notice: no answers.
        let early = post(&app, &cookie, "/assessment/answers", &[("page".into(), "1".into()), ("seq".into(), "1".into()), ("a:svi/svi-mot-01".into(), "3".into())]).await;
        assert_eq!(early.status(), 409);
        post(&app, &cookie, "/assessment/start", &[]).await;
        let base = |extra: (&str, &str)| vec![("page".to_string(), "1".to_string()), ("seq".to_string(), "1".to_string()), ("a:svi/svi-mot-02".to_string(), "4".to_string()), (extra.0.to_string(), extra.1.to_string())];
        for (field, value, status) in [
            ("a:svi/no-such-item", "3", 422),
            ("a:svi/svi-mot-01", "9", 422),
            ("a:svi/svi-mot-01", "three", 422),
            ("a:nope/svi-mot-01", "3", 422),
            ("a:sjs/sjs-01", "z", 422),
        ] {
            let res = post(&app, &cookie, "/assessment/answers", &base((field, value))).await;
            assert_eq!(res.status().as_u16(), status, "{field}={value}");
            let body = res.text().await.expect("body");
            assert!(!body.contains("panicked") && !body.contains("sqlx"), "{body}");
        }
        let session = app.db.store.session_by_invitation(&org, &invitation).await.expect("q").expect("session");
        assert!(app.db.store.answers_of(&session.id).await.expect("answers").is_empty(), "one bad answer stores nothing");
        // A form sent from another site is refused.
        let forged = app.client.post(format!("{}/assessment/answers", app.base)).header("cookie", &cookie).header("origin", "https://evil.example")
            .form(&base(("a:svi/svi-mot-01", "3"))).send().await.expect("post");
        assert_eq!(forged.status(), 403);
        let cross_site = app.client.post(format!("{}/assessment/answers", app.base)).header("cookie", &cookie).header("sec-fetch-site", "cross-site")
            .form(&base(("a:svi/svi-mot-01", "3"))).send().await.expect("post");
        assert_eq!(cross_site.status(), 403);
        // Neither Origin nor Sec-Fetch-Site (every browser sends Origin on a post): refused.
        let unsaid = app.client.post(format!("{}/assessment/answers", app.base)).header("cookie", &cookie).form(&base(("a:svi/svi-mot-01", "3"))).send().await.expect("post");
        assert_eq!(unsaid.status(), 403);
        // No cookie, or a forged one: not found.
        let anonymous = app.client.post(format!("{}/assessment/answers", app.base)).header("origin", &app.base).form(&base(("a:svi/svi-mot-01", "3"))).send().await.expect("post");
        assert_eq!(anonymous.status(), 404);
        let (status, _) = get(&app, "vigil_candidate=forged0000000000000000000000000000", "/assessment").await;
        assert_eq!(status, 404);
    }

    async fn unknown_expired_and_revoked_links_get_a_friendly_page(db: Db) {
        let Some(app) = common::spawn_app(db).await else { return };
        let res = app.client.get(format!("{}/take/NoSuchToken1234567890abcdef", app.base)).send().await.expect("get");
        assert_eq!(res.status(), 404);
        assert!(res.text().await.expect("body").contains("This link does not work"));
        let (_org, invitation) = invite(&app, -1000, None).await;
        let res = app.client.get(format!("{}/take/{TOKEN}", app.base)).send().await.expect("get");
        assert_eq!(res.status(), 410);
        assert!(res.text().await.expect("body").contains("This link has expired"));
        let _ = invitation;
    }

    async fn the_json_endpoint_saves_answers_idempotently(db: Db) {
        let Some(app) = common::spawn_app(db).await else { return };
        let (org, invitation) = invite(&app, 86_400_000, None).await;
        let cookie = open(&app).await;
        let save = |body: serde_json::Value, cookie: Option<&str>| {
            let mut req = app.client.post(format!("{}/api/save_answers", app.base)).header("origin", &app.base).header("content-type", "application/json").header("accept", "application/json").body(body.to_string());
            if let Some(c) = cookie {
                req = req.header("cookie", c);
            }
            req.send()
        };
        let one = serde_json::json!({ "answers": [{ "key": "svi/svi-mot-01", "value": "4", "latency_ms": 2100, "seq": 1 }] });
        // Before the notice is acknowledged: refused.
        assert_eq!(save(one.clone(), Some(&cookie)).await.expect("post").status(), 400);
        post(&app, &cookie, "/assessment/start", &[]).await;
        let res = save(one.clone(), Some(&cookie)).await.expect("post");
        assert_eq!(res.status(), 200);
        let ack: serde_json::Value = res.json().await.expect("ack");
        assert_eq!((ack["acked_seq"].as_i64(), ack["stored"].as_i64()), (Some(1), Some(1)));
        // The same request again (a retry): acknowledged, nothing duplicated.
        let again: serde_json::Value = save(one, Some(&cookie)).await.expect("post").json().await.expect("ack");
        assert_eq!(again["stored"].as_i64(), Some(0));
        let session = app.db.store.session_by_invitation(&org, &invitation).await.expect("q").expect("session");
        let answers = app.db.store.answers_of(&session.id).await.expect("answers");
        assert_eq!(answers.len(), 1);
        assert_eq!(answers[0].latency_ms, Some(2100));
        // Out of range, unknown item, no cookie.
        let bad = serde_json::json!({ "answers": [{ "key": "svi/svi-mot-02", "value": "6", "seq": 2 }] });
        assert_eq!(save(bad, Some(&cookie)).await.expect("post").status(), 400);
        let unknown = serde_json::json!({ "answers": [{ "key": "svi/nope", "value": "3", "seq": 3 }] });
        assert_eq!(save(unknown, Some(&cookie)).await.expect("post").status(), 400);
        let anonymous = serde_json::json!({ "answers": [{ "key": "svi/svi-mot-02", "value": "3", "seq": 4 }] });
        assert_eq!(save(anonymous, None).await.expect("post").status(), 404);
        assert_eq!(app.db.store.answers_of(&session.id).await.expect("answers").len(), 1);
    }

    async fn saves_stop_at_once_when_time_runs_out_or_the_session_is_finished_elsewhere(db: Db) {
        let Some(app) = common::spawn_app(db).await else { return };
        let (org, invitation) = invite(&app, 86_400_000, Some(30)).await;
        let cookie = open(&app).await;
        post(&app, &cookie, "/assessment/start", &[]).await;
        let session = app.db.store.session_by_invitation(&org, &invitation).await.expect("q").expect("session");
        // Two saves: the second reuses what the first read about this candidate.
        assert_eq!(save_json(&app, &cookie, "svi/svi-mot-01", "3", 1).await, 200);
        assert_eq!(save_json(&app, &cookie, "svi/svi-mot-02", "3", 2).await, 200);
        // The deadline moves into the past behind the server's back: refused at once.
        set_deadline(&app, &session.id, vigil::time::now_ms() - 1).await;
        assert_eq!(save_json(&app, &cookie, "svi/svi-mot-03", "3", 3).await, 400);
        set_deadline(&app, &session.id, vigil::time::now_ms() + 600_000).await;
        assert_eq!(save_json(&app, &cookie, "svi/svi-mot-03", "3", 4).await, 200);
        // Finished from another device (here: directly in the store): refused.
        let seen = vigil::store::AnswersSeen::of(&app.db.store.answers_of(&session.id).await.expect("answers"));
        let audit = vigil::store::AuditEntry { org_id: Some(&org), actor: vigil::store::Actor::Candidate, action: "candidate.finished", object_type: "session", object_id: Some(&session.id), detail: None };
        app.db.store.finish_session(&org, &session.id, seen, &[], &[], &audit).await.expect("finish");
        assert_eq!(save_json(&app, &cookie, "svi/svi-mot-04", "3", 5).await, 400);
        let items: Vec<String> = app.db.store.answers_of(&session.id).await.expect("answers").into_iter().map(|a| a.item_id).collect();
        assert_eq!(items, vec!["svi-mot-01", "svi-mot-02", "svi-mot-03"]);
    }

    async fn saves_stop_at_once_when_the_invitation_is_revoked(db: Db) {
        let Some(app) = common::spawn_app(db).await else { return };
        let (org, invitation) = invite(&app, 86_400_000, None).await;
        let cookie = open(&app).await;
        post(&app, &cookie, "/assessment/start", &[]).await;
        assert_eq!(save_json(&app, &cookie, "svi/svi-mot-01", "3", 1).await, 200);
        assert_eq!(save_json(&app, &cookie, "svi/svi-mot-01", "4", 2).await, 200);
        let recruiter = app
            .db
            .store
            .create_user(&vigil::store::NewUser { org_id: &org, email: "rita@example.org", display_name: "Rita", role: vigil::store::Role::Recruiter, password_hash: None })
            .await
            .expect("user");
        assert!(app.db.store.revoke_invitation(&org, &invitation, &recruiter.id, vigil::time::now_ms()).await.expect("revoke"));
        assert_eq!(save_json(&app, &cookie, "svi/svi-mot-02", "3", 3).await, 404);
        assert_eq!(save_json(&app, &cookie, "svi/svi-mot-01", "5", 4).await, 404);
        let session = app.db.store.session_by_invitation(&org, &invitation).await.expect("q").expect("session");
        let answers = app.db.store.answers_of(&session.id).await.expect("answers");
        assert_eq!(answers.iter().map(|a| (a.item_id.as_str(), a.value.as_str())).collect::<Vec<_>>(), vec![("svi-mot-01", "4")]);
    }

    async fn declining_ends_politely_and_stores_nothing(db: Db) {
        let Some(app) = common::spawn_app(db).await else { return };
        let (org, invitation) = invite(&app, 86_400_000, None).await;
        let cookie = open(&app).await;
        let res = post(&app, &cookie, "/assessment/decline", &[]).await;
        assert!(res.status().is_redirection());
        let location = res.headers()["location"].to_str().expect("location").to_string();
        let (status, page) = get(&app, &cookie, &location).await;
        assert_eq!(status, 200);
        assert!(page.contains("You have chosen not to take part") && page.contains("Nothing more has been stored"), "{page}");
        assert!(app.db.store.session_by_invitation(&org, &invitation).await.expect("q").is_none());
    }

    async fn guessing_tokens_is_rate_limited(db: Db) {
        let Some(app) = common::spawn_app(db).await else { return };
        let mut statuses = Vec::new();
        for n in 0..40 {
            let res = app.client.get(format!("{}/take/Guess{n:027}", app.base)).send().await.expect("get");
            statuses.push(res.status().as_u16());
        }
        assert!(statuses[..30].iter().all(|s| *s == 404), "{statuses:?}");
        assert!(statuses[30..].iter().all(|s| *s == 429), "{statuses:?}");
    }

    async fn the_time_limit_is_enforced_by_the_server(db: Db) {
        let Some(app) = common::spawn_app(db).await else { return };
        let (org, invitation) = invite(&app, 86_400_000, Some(30)).await;
        let cookie = open(&app).await;
        post(&app, &cookie, "/assessment/start", &[]).await;
        let session = app.db.store.session_by_invitation(&org, &invitation).await.expect("q").expect("session");
        assert!(session.deadline_at.is_some());
        let (_, items) = get(&app, &cookie, "/assessment").await;
        assert!(items.contains("Time left: 29:") || items.contains("Time left: 30:"), "the countdown is rendered by the server too");
        // Move the deadline into the past, as if 30 minutes had gone by.
        set_deadline(&app, &session.id, vigil::time::now_ms() - 1).await;
        let res = post(&app, &cookie, "/assessment/answers", &[("page".into(), "1".into()), ("seq".into(), "1".into()), ("a:svi/svi-mot-01".into(), "3".into())]).await;
        assert_eq!(res.status(), 410);
        let (_, page) = get(&app, &cookie, "/assessment").await;
        assert!(page.contains("The time for this assessment is over"), "{page}");
    }

    async fn finishing_needs_enough_answers_and_says_where_they_are_missing(db: Db) {
        let Some(app) = common::spawn_app(db).await else { return };
        let (org, invitation) = invite(&app, 86_400_000, None).await;
        let cookie = open(&app).await;
        post(&app, &cookie, "/assessment/start", &[]).await;
        // Nothing answered: not finished, and the page says where to go.
        let res = post(&app, &cookie, "/assessment/finish", &[]).await;
        assert_eq!(res.status(), 422);
        let body = res.text().await.expect("body");
        assert!(body.contains("A few answers are still needed") && body.contains("href=\"/assessment?page=1\""), "{body}");
        let session = app.db.store.session_by_invitation(&org, &invitation).await.expect("q").expect("session");
        assert_eq!(session.status, "in_progress");
        assert!(app.db.store.scores_of(&org, &session.id).await.expect("scores").is_empty());
        // With every page answered it finishes.
        answer_every_page(&app, &cookie).await;
        assert!(post(&app, &cookie, "/assessment/finish", &[]).await.status().is_redirection());
        let session = app.db.store.session_by_invitation(&org, &invitation).await.expect("q").expect("session");
        assert_eq!(session.status, "completed");
    }

    async fn an_adaptive_run_must_end_before_finishing(db: Db) {
        let Some(app) = common::spawn_app(db).await else { return };
        let (org, invitation) = invite_adaptive(&app).await;
        let cookie = open(&app).await;
        post(&app, &cookie, "/assessment/start", &[]).await;
        let res = post(&app, &cookie, "/assessment/finish", &[]).await;
        assert_eq!(res.status(), 422);
        let body = res.text().await.expect("body");
        assert!(body.contains("still choosing questions") && body.contains("href=\"/assessment\""), "{body}");
        let session = app.db.store.session_by_invitation(&org, &invitation).await.expect("q").expect("session");
        assert_eq!(session.status, "in_progress");
    }

    async fn the_save_acknowledgement_names_the_next_adaptive_question(db: Db) {
        let Some(app) = common::spawn_app(db).await else { return };
        invite_adaptive(&app).await;
        let cookie = open(&app).await;
        post(&app, &cookie, "/assessment/start", &[]).await;
        // The first question from the page; then only the JSON API, following `next`.
        let (_, html) = get(&app, &cookie, "/assessment").await;
        let mut key = questions(&html).first().map(|(name, _)| name.trim_start_matches("a:").to_string()).expect("a question");
        let mut asked = Vec::new();
        for seq in 1..=200 {
            let res = save_answer(&app, &cookie, &key, if seq % 2 == 0 { "4" } else { "3" }, seq).await;
            assert_eq!(res.status(), 200);
            let ack: serde_json::Value = res.json().await.expect("json");
            assert_eq!(ack["stored"], 1);
            asked.push(key.clone());
            match ack["next"].as_str() {
                Some(next) => {
                    // The page asks the same question the acknowledgement named.
                    let (_, html) = get(&app, &cookie, "/assessment").await;
                    assert_eq!(questions(&html).first().map(|(n, _)| n.trim_start_matches("a:").to_string()).as_deref(), Some(next));
                    key = next.to_string();
                }
                None => break,
            }
        }
        assert!(asked.len() > 10 && asked.len() < 120, "{} questions", asked.len());
        let unique: std::collections::BTreeSet<_> = asked.iter().collect();
        assert_eq!(unique.len(), asked.len(), "never the same question twice");
        // When the run has ended there is no next question: the page goes on to the rest.
        let (_, html) = get(&app, &cookie, "/assessment").await;
        assert!(questions(&html).iter().all(|(n, _)| !asked.contains(&n.trim_start_matches("a:").to_string())));
    }

    async fn an_adaptive_answer_judged_on_an_out_of_date_run_is_refused_and_the_run_goes_on(db: Db) {
        let Some(app) = common::spawn_app(db).await else { return };
        let (org, invitation) = invite_adaptive(&app).await;
        // The same invitation opened on two devices: each has an access of its own.
        let (phone, laptop) = (open(&app).await, open(&app).await);
        post(&app, &phone, "/assessment/start", &[]).await;
        let (_, html) = get(&app, &phone, "/assessment").await;
        let first = questions(&html).first().map(|(name, _)| name.trim_start_matches("a:").to_string()).expect("a question");
        let ack = |res: reqwest::Response| async move {
            assert_eq!(res.status(), 200);
            let ack: serde_json::Value = res.json().await.expect("json");
            assert_eq!(ack["stored"], 1, "{ack}");
            ack["next"].as_str().expect("a next question").to_string()
        };
        // The phone answers the first question (its server now remembers the run),
        // then the laptop answers the second.
        let second = ack(save_answer(&app, &phone, &first, "3", 1).await).await;
        let third = ack(save_answer(&app, &laptop, &second, "4", 2).await).await;
        // The phone, still showing the second question, answers it otherwise: the
        // run it remembers is out of date, and read afresh the second question is
        // no longer the one asked.
        let res = save_answer(&app, &phone, &second, "2", 3).await;
        let status = res.status();
        let text = res.text().await.expect("body");
        assert!(status.is_client_error(), "{status} {text}");
        assert!(text.contains("not the one being asked now"), "{text}");
        let session = app.db.store.session_by_invitation(&org, &invitation).await.expect("q").expect("session");
        let stored = app.db.store.answers_of(&session.id).await.expect("answers");
        let value_of = |key: &str| stored.iter().find(|a| format!("{}/{}", a.instrument, a.item_id) == key).map(|a| a.value.clone());
        assert_eq!((stored.len(), value_of(&second).as_deref()), (2, Some("4")), "the laptop's answer stands");
        // The phone goes on with the question asked now, and names the one the page asks next.
        let fourth = ack(save_answer(&app, &phone, &third, "3", 4).await).await;
        let (_, html) = get(&app, &phone, "/assessment").await;
        assert_eq!(questions(&html).first().map(|(n, _)| n.trim_start_matches("a:").to_string()), Some(fourth));
    }

    async fn a_page_leaves_its_adaptive_run_for_the_saves_that_follow(db: Db) {
        let Some(app) = common::spawn_app(db).await else { return };
        let (org, invitation) = invite_adaptive(&app).await;
        let (store, contexts): (_, vigil::candidate::cache::ContextCache) = (&app.db.store, Default::default());
        let catalog = vigil::catalog::Catalog::load(&vigil::catalog::Catalog::shipped_dir()).expect("banks");
        let (secret, _) = vigil::candidate::open_link(store, TOKEN).await.expect("link");
        let ctx = vigil::candidate::context(store, &catalog, Some(&secret)).await.expect("context");
        vigil::candidate::acknowledge(store, &ctx).await.expect("start");
        // The number of answers the run kept for this access's saves was made from.
        let remembered = || contexts.get(&secret_hash(&secret)).and_then(|r| r.runs.get("svi")).map(|run| run.answers);
        let asked = |view| match view {
            app::candidate::model::CandidateView::Items(page) => page.items[0].key.clone(),
            _ => panic!("an adaptive question"),
        };
        let mut key = asked(vigil::candidate::view_for_access(store, &catalog, &contexts, Some(&secret), None).await.expect("page"));
        assert_eq!(remembered(), Some(0), "the page's run, made from no answers");
        for seq in 1..=3 {
            let answer = vigil::candidate::AnswerDto { key: key.clone(), value: "4".into(), latency_ms: None, seq };
            let saved = vigil::candidate::save_for_access(store, &catalog, &contexts, Some(&secret), &[answer]).await.expect("save");
            assert_eq!(saved.stored, 1);
            assert_eq!(remembered(), Some(seq), "the save's run, one answer more");
            // The page, read afresh, asks what the save named, and its run counts the same answers.
            key = asked(vigil::candidate::view_for_access(store, &catalog, &contexts, Some(&secret), None).await.expect("page"));
            assert_eq!(Some(key.clone()), saved.next);
            assert_eq!(remembered(), Some(seq));
        }
        let session = store.session_by_invitation(&org, &invitation).await.expect("q").expect("session");
        assert_eq!(store.answers_of(&session.id).await.expect("answers").len(), 3);
    }

    async fn an_answer_outside_the_adaptive_questions_choices_is_refused_and_not_stored(db: Db) {
        let Some(app) = common::spawn_app(db).await else { return };
        invite_adaptive(&app).await;
        let cookie = open(&app).await;
        post(&app, &cookie, "/assessment/start", &[]).await;
        let (_, html) = get(&app, &cookie, "/assessment").await;
        let key = questions(&html).first().map(|(name, _)| name.trim_start_matches("a:").to_string()).expect("a question");
        for (value, seq) in [("9", 1), ("0", 2), ("three", 3)] {
            let res = save_answer(&app, &cookie, &key, value, seq).await;
            let status = res.status();
            let text = res.text().await.expect("body");
            assert!(status.is_client_error(), "{value:?}: {status} {text}");
            assert!(text.contains(key.split('/').nth(1).expect("item id")), "{value:?}: the message names the question: {text}");
        }
        // Nothing was stored: the same question is still the one asked, and a valid answer to it is taken.
        let (_, html) = get(&app, &cookie, "/assessment").await;
        assert_eq!(questions(&html).first().map(|(n, _)| n.trim_start_matches("a:").to_string()), Some(key.clone()));
        let res = save_answer(&app, &cookie, &key, "4", 4).await;
        assert_eq!(res.status(), 200);
        let ack: serde_json::Value = res.json().await.expect("json");
        assert_eq!(ack["stored"], 1);
    }

    async fn adaptive_mode_asks_one_chosen_question_at_a_time_and_stops_early(db: Db) {
        let Some(app) = common::spawn_app(db).await else { return };
        let (org, invitation) = invite_adaptive(&app).await;
        let cookie = open(&app).await;
        // The notice states the honest range: the adaptive run asks between the least and the most it can.
        let (_, notice) = get(&app, &cookie, "/assessment").await;
        let catalog = vigil::catalog::Catalog::load(&vigil::catalog::Catalog::shipped_dir()).expect("banks");
        let length = vigil::battery::length(&[catalog.get("svi", "1.1.0").expect("svi")], true);
        assert!(length.questions[0] < length.questions[1]);
        assert!(notice.contains(&format!("id=\"notice-questions\">between {} and {}<", length.questions[0], length.questions[1])), "{notice}");
        post(&app, &cookie, "/assessment/start", &[]).await;
        let mut asked = Vec::new();
        let mut tampered = false;
        loop {
            let (status, html) = get(&app, &cookie, "/assessment").await;
            assert_eq!(status, 200);
            if html.contains("Check and finish") {
                break;
            }
            let qs = questions(&html);
            if page_of(&html) == "0" {
                assert_eq!(qs.len(), 1, "one adaptive question per page");
                assert!(html.contains("at most"), "the progress shows an honest upper bound");
                if !tampered {
                    // Answering another pool item than the one asked is refused.
                    let other = if qs[0].0 == "a:svi/svi-mot-20" { "a:svi/svi-mot-19" } else { "a:svi/svi-mot-20" };
                    let res = post(&app, &cookie, "/assessment/answers", &[("page".into(), "0".into()), ("seq".into(), seq_of(&html)), (other.into(), "3".into())]).await;
                    assert_eq!(res.status(), 422);
                    tampered = true;
                }
                asked.push(qs[0].0.clone());
            }
            let mut form = vec![("page".to_string(), page_of(&html)), ("seq".to_string(), seq_of(&html)), ("nav".to_string(), "next".to_string())];
            // A moderate respondent: alternate "agree" and "neither" (an extreme,
            // all-"strongly disagree" pattern is measured imprecisely at the edge
            // of the scale and rightly takes the maximum number of items).
            let n = asked.len();
            form.extend(qs.into_iter().map(|(name, value)| if name.starts_with("a:svi/") { (name, if n % 2 == 0 { "4".to_string() } else { "3".to_string() }) } else { (name, value) }));
            let res = post(&app, &cookie, "/assessment/answers", &form).await;
            assert!(res.status().is_redirection(), "{}", res.status());
            assert!(asked.len() < 200, "the adaptive run must end");
        }
        eprintln!("adaptive run: {} questions asked (pool 168 items in 9 scales)", asked.len());
        let unique: std::collections::BTreeSet<_> = asked.iter().collect();
        assert_eq!(unique.len(), asked.len(), "no question is asked twice");
        // 9 calibrated scales x at most 20 items; at SE 0.30 far fewer are needed.
        assert!(asked.len() < 120, "adaptive run used {} items", asked.len());
        post(&app, &cookie, "/assessment/finish", &[]).await;
        let session = app.db.store.session_by_invitation(&org, &invitation).await.expect("q").expect("session");
        let scores = app.db.store.scores_of(&org, &session.id).await.expect("scores");
        let cat = scores.iter().find(|s| s.method == "cat").expect("a CAT record");
        let report: serde_json::Value = serde_json::from_str(&cat.report).expect("json");
        assert_eq!(report["trace"].as_array().map(Vec::len), Some(asked.len()));
        assert!(report["scales"].as_array().expect("scales").iter().all(|s| s["stop"].is_string() || s["stop"].is_object()), "{}", report["scales"]);
    }
}
