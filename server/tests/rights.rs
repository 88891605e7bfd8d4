//! A candidate's rights, used by themselves, on SQLite and PostgreSQL: the
//! copy of what Vigil holds (JSON and page) after finishing; asking for
//! erasure and for a human review (once per kind while open, bad input
//! refused, another site refused); the organisation's administrators see
//! each request with the day it is due, record how they handled it
//! (audited), and nobody else can; erasing the candidate empties their notes.

use crate::common;

use common::{candidate, web};
use vigil::{
    passwords::hash_password,
    rights::{ANSWER_WITHIN_DAYS, MAX_NOTE_CHARS},
    store::{Actor, NewUser, Role},
};

const DAY_MS: i64 = 86_400_000;

/// A staff member of `org_id` with the tests' password, signed in.
async fn staff(app: &common::TestApp, org_id: &str, email: &str, role: Role) -> String {
    let hash = hash_password(web::PASSWORD).expect("hash");
    app.db.store.create_user(&NewUser { org_id, email, display_name: "Staff", role, password_hash: Some(&hash) }).await.expect("user");
    web::login(app, email).await
}

/// Alex of the Acme campaign, who finished the whole battery: (org, invitation, cookie).

fn form(kind: &str, note: &str) -> Vec<(String, String)> {
    vec![("kind".to_string(), kind.to_string()), ("note".to_string(), note.to_string())]
}

on_both_databases! {
    async fn a_candidate_downloads_everything_vigil_holds_about_them(db: Db) {
        let Some(app) = common::spawn_app(db).await else { return };
        let (org, invitation, cookie) = candidate::finished(&app).await;
        let (status, page) = candidate::get(&app, &cookie, "/assessment").await;
        assert_eq!(status, 200);
        assert!(page.contains("href=\"/assessment/your-data\""), "the completion page links to the copy");

        let res = app.client.get(format!("{}/assessment/your-data.json", app.base)).header("cookie", &cookie).send().await.expect("json");
        assert_eq!(res.status(), 200);
        assert!(res.headers()["content-disposition"].to_str().expect("header").starts_with("attachment"));
        let copy: serde_json::Value = res.json().await.expect("a JSON copy");
        assert_eq!(copy["you"]["name"], "Alex");
        assert_eq!(copy["you"]["email"], "alex@example.org");
        assert_eq!(copy["notice"]["version"], vigil::NOTICE_VERSION);
        assert!(copy["session"]["completed_at"].is_string());
        // Every stored answer, as the candidate saw it: the question and the chosen option's words.
        let session = app.db.store.campaign_candidate(&org, &app.db.store.invitation(&org, &invitation).await.expect("q").expect("inv").campaign_id, &invitation).await.expect("q").expect("row").session_id.expect("session");
        let stored = app.db.store.answers_of(&session).await.expect("answers");
        let answers = copy["answers"].as_array().expect("answers");
        assert_eq!(answers.len(), stored.len());
        for a in answers {
            let (question, answer) = (a["question"].as_str().expect("question"), a["answer"].as_str().expect("answer"));
            assert!(question.len() > 10, "{a}");
            assert!(answer.chars().any(char::is_alphabetic), "an answer in words, not a code: {a}");
        }
        // Results of both instruments with how they were scored; no scoring material, no staff names.
        let results = copy["results"].as_array().expect("results");
        assert_eq!(results.len(), 2);
        assert!(results.iter().all(|r| r["scales"].as_array().is_some_and(|s| !s.is_empty() && s.iter().all(|s| s["scored_by"].is_string()))));
        let keys: Vec<&str> = copy.as_object().expect("object").keys().map(String::as_str).collect();
        for key in ["made_at", "organisation", "campaign", "you", "invitation", "notice", "session", "answers", "optional_group_answers", "results", "decisions", "requests", "what_this_copy_cannot_tell"] {
            assert!(keys.contains(&key), "{key} missing from {keys:?}");
        }
        assert_eq!(keys.len(), 13, "nothing else: {keys:?}");

        // The readable page says the same, in the candidate's language.
        let (status, html) = candidate::get(&app, &cookie, "/assessment/your-data").await;
        assert_eq!(status, 200);
        assert!(html.contains("<html lang=\"en\"") && html.contains("Your data and your rights") && html.contains("Alex"));
        assert!(html.contains(stored.first().map(|_| answers[0]["question"].as_str().unwrap_or_default()).unwrap_or_default()));

        // Without the candidate's cookie there is nothing to see.
        let res = app.client.get(format!("{}/assessment/your-data.json", app.base)).send().await.expect("anonymous");
        assert_eq!(res.status(), 404);
        let res = app.client.get(format!("{}/assessment/your-data", app.base)).header("cookie", "vigil_candidate=forged").send().await.expect("forged");
        assert_eq!(res.status(), 404);
    }

    async fn requests_reach_the_administrators_with_their_due_day_and_are_handled_once(db: Db) {
        let Some(app) = common::spawn_app(db).await else { return };
        let (org, invitation, cookie) = candidate::finished(&app).await;

        // Asking: once per kind while open; bad input and another site are refused.
        let res = candidate::post(&app, &cookie, "/assessment/your-data/requests", &form("review", "Please look at my scenario answers again.")).await;
        assert_eq!(res.headers()["location"], "/assessment/your-data?asked=1");
        let res = candidate::post(&app, &cookie, "/assessment/your-data/requests", &form("review", "Twice")).await;
        assert_eq!(res.headers()["location"], "/assessment/your-data?asked=again");
        let res = candidate::post(&app, &cookie, "/assessment/your-data/requests", &form("erasure", "")).await;
        assert_eq!(res.headers()["location"], "/assessment/your-data?asked=1");
        let res = candidate::post(&app, &cookie, "/assessment/your-data/requests", &form("delete-everything", "")).await;
        assert_eq!(res.status(), 422);
        assert!(res.text().await.expect("body").contains("Please choose what you are asking for"));
        let res = candidate::post(&app, &cookie, "/assessment/your-data/requests", &form("review", &"x".repeat(MAX_NOTE_CHARS + 1))).await;
        assert_eq!(res.status(), 422);
        let cross_site = app.client.post(format!("{}/assessment/your-data/requests", app.base)).header("cookie", &cookie).header("origin", "https://evil.example").form(&form("erasure", "")).send().await.expect("post");
        assert_eq!(cross_site.status(), 403);
        let anonymous = app.client.post(format!("{}/assessment/your-data/requests", app.base)).header("origin", &app.base).form(&form("erasure", "")).send().await.expect("post");
        assert_eq!(anonymous.status(), 404);

        let requests = app.db.store.subject_requests_of(&org).await.expect("requests");
        assert_eq!(requests.len(), 2, "one review, one erasure");
        for r in &requests {
            assert_eq!(r.due_at - r.created_at, ANSWER_WITHIN_DAYS * DAY_MS);
            assert_eq!(r.invitation_id, invitation);
        }
        let review = requests.iter().find(|r| r.kind == "review").expect("review");
        assert_eq!(review.note, "Please look at my scenario answers again.");

        // The organisation's administrator sees them; a recruiter and another organisation do not.
        let admin = staff(&app, &org, "admin@acme.example", Role::Admin).await;
        let recruiter = staff(&app, &org, "recruiter@acme.example", Role::Recruiter).await;
        let (status, _, html) = web::get(&app, Some(&admin), "/admin/requests").await;
        assert_eq!(status, 200);
        assert!(html.contains("Human review of the decision") && html.contains("Erase my personal data") && html.contains("Alex"));
        assert!(html.contains("Please look at my scenario answers again.") && html.contains("2 open."));
        assert!(html.contains(&vigil::time::date_utc(review.due_at)), "the due day is shown");
        let (status, _, _) = web::get(&app, Some(&recruiter), "/admin/requests").await;
        assert_eq!(status, 403);
        web::people(&app).await;
        let other_admin = web::login(&app, web::ADMIN_B).await;
        let (_, _, html) = web::get(&app, Some(&other_admin), "/admin/requests").await;
        assert!(!html.contains("Alex") && html.contains("No requests yet"), "{html}");
        let handle = format!("/admin/requests/{}/handled", review.id);
        let (status, _, _) = web::post(&app, Some(&other_admin), &handle, &[("outcome", "Not mine")]).await;
        assert_eq!(status, 404, "another organisation's request is not found");
        let (status, _, _) = web::post(&app, Some(&recruiter), &handle, &[("outcome", "Looked")]).await;
        assert_eq!(status, 403);
        let (status, _, _) = web::post(&app, Some(&admin), &handle, &[("outcome", "  ")]).await;
        assert_eq!(status, 422, "how it was handled must be said");

        // Handled once, audited, and the candidate's copy says how.
        let (status, location, _) = web::post(&app, Some(&admin), &handle, &[("outcome", "A second recruiter reviewed it; the decision stands, with reasons sent by e-mail.")]).await;
        assert_eq!((status, location.as_deref()), (303, Some("/admin/requests")));
        let (status, _, _) = web::post(&app, Some(&admin), &handle, &[("outcome", "Again")]).await;
        assert_eq!(status, 404, "a handled request cannot be handled again");
        let audit = app.db.store.audit_log(&org, 1000).await.expect("audit");
        assert_eq!(audit.iter().filter(|e| e.action == "subject_request.made").count(), 2);
        assert!(audit.iter().any(|e| e.action == "subject_request.handled" && e.object_id.as_deref() == Some(review.id.as_str())));
        let (_, copy) = candidate::get(&app, &cookie, "/assessment/your-data").await;
        assert!(copy.contains("the decision stands"), "{copy}");

        // Erasing the candidate empties what they wrote; the requests stay, without it.
        assert!(app.db.store.erase_candidate(&org, &invitation, Actor::System, "request", vigil::time::now_ms()).await.expect("erase"));
        let after = app.db.store.subject_requests_of(&org).await.expect("requests");
        assert_eq!(after.len(), 2);
        assert!(after.iter().all(|r| r.note.is_empty() && r.candidate_name.is_none()));
        let (_, _, html) = web::get(&app, Some(&admin), "/admin/requests").await;
        assert!(html.contains("(personal data erased)") && !html.contains("Please look at my scenario"));
    }
}
