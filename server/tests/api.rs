//! The integration API over real HTTP, on SQLite and PostgreSQL: an
//! applicant tracking system's whole flow (order with an idempotency key,
//! the candidate completes through the real routes, a signed webhook
//! arrives at a receiver on 127.0.0.1, the result is fetched and the feed
//! lists it), scopes, revocation, another organisation, the rate limit and
//! bad input, each answered with a problem document and nothing half-made.

use crate::common;

use std::sync::{Arc, Mutex};

use common::{candidate, web, TestApp};
use serde_json::{json, Value};
use vigil::{
    http::HttpOptions,
    run::{start_background, Background},
    store::NewCampaign,
    webhooks::{endpoints::UrlPolicy, signature::verify},
};

/// A webhook receiver on 127.0.0.1: every request's headers and body.
#[derive(Clone, Default)]
struct Receiver {
    got: Arc<Mutex<Vec<(axum::http::HeaderMap, String)>>>,
}

impl Receiver {
    async fn start(&self) -> String {
        let got = self.got.clone();
        let router = axum::Router::new().route(
            "/hook",
            axum::routing::post(move |headers: axum::http::HeaderMap, body: String| {
                let got = got.clone();
                async move {
                    got.lock().expect("lock").push((headers, body));
                    "ok"
                }
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        tokio::spawn(async move { axum::serve(listener, router).await });
        format!("http://{addr}/hook")
    }

    fn events(&self) -> Vec<(axum::http::HeaderMap, String)> {
        self.got.lock().expect("lock").clone()
    }
}

/// The secret a page shows once (`<code id="secret">`).
fn shown_secret(html: &str) -> String {
    html.split("<code id=\"secret\">").nth(1).and_then(|r| r.split('<').next()).map(|s| s.replace("&amp;", "&")).unwrap_or_else(|| panic!("no secret shown: {html}"))
}

async fn create_key(app: &TestApp, admin: &String, name: &str, scopes: &[&str], per_minute: &str) -> String {
    let mut form = vec![("name", name), ("per_minute", per_minute)];
    form.extend(scopes.iter().map(|s| ("scope", *s)));
    let (status, _, html) = web::post(app, Some(admin), "/admin/api-keys", &form).await;
    assert_eq!(status, 200, "{html}");
    shown_secret(&html)
}

async fn campaign(app: &TestApp, org: &str, name: &str) -> String {
    {
        let battery = json!({ "instruments": [{ "instrument": "svi", "version": "1.0.0" }] }).to_string();
        app.db
            .store
            .create_campaign(&NewCampaign { org_id: org, name, role_family: "security", battery: &battery, time_limit_minutes: None, adaptive: false, candidate_feedback: false, invitation_ttl_days: 14, created_by: None, reminder_days: None, link_base: None })
            .await
            .expect("campaign")
            .id
    }
}

struct Call {
    status: u16,
    headers: reqwest::header::HeaderMap,
    body: Value,
}

async fn call(app: &TestApp, key: &str, method: &str, path: &str, body: Option<&str>, extra: &[(&str, &str)]) -> Call {
    let url = format!("{}{path}", app.base);
    let mut req = if method == "GET" { app.client.get(url) } else { app.client.post(url) };
    req = req.header("authorization", format!("Bearer {key}"));
    if let Some(b) = body {
        req = req.header("content-type", "application/json").body(b.to_string());
    }
    for (k, v) in extra {
        req = req.header(*k, *v);
    }
    let res = req.send().await.expect("request");
    let (status, headers) = (res.status().as_u16(), res.headers().clone());
    let text = res.text().await.expect("body");
    let body = serde_json::from_str(&text).unwrap_or_else(|_| Value::String(text));
    Call { status, headers, body }
}

fn problem_type(c: &Call) -> &str {
    assert!(c.headers["content-type"].to_str().is_ok_and(|t| t == "application/problem+json"), "a problem document: {} {:?}", c.status, c.body);
    c.body["type"].as_str().unwrap_or_default()
}

/// Opens a candidate link, starts, answers every page and finishes.
async fn complete(app: &TestApp, link: &str) {
    let path = link.split_once("/take/").map(|(_, t)| format!("/take/{t}")).expect("a link");
    let res = app.client.get(format!("{}{path}", app.base)).send().await.expect("open");
    assert_eq!(res.status(), 303);
    let cookie = res.headers()["set-cookie"].to_str().expect("cookie").split(';').next().expect("pair").to_string();
    assert!(candidate::post(app, &cookie, "/assessment/start", &[]).await.status().is_redirection());
    candidate::answer_every_page(app, &cookie).await;
    assert!(candidate::post(app, &cookie, "/assessment/finish", &[]).await.status().is_redirection());
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::any::install_default_drivers();
    let pool = sqlx::any::AnyPoolOptions::new().max_connections(1).connect(app.db.url.expose()).await.expect("connect");
    let n: i64 = sqlx::query_scalar(sql).fetch_one(&pool).await.expect(sql);
    pool.close().await;
    n
}

on_both_databases! {
    async fn an_applicant_tracking_system_orders_follows_and_fetches_by_http_alone(db: Db) {
        let options = HttpOptions { webhooks: UrlPolicy { allow_loopback: true }, ..HttpOptions::default() };
        let Some(app) = common::spawn_app_with(db, options).await else { return };
        let people = web::people(&app).await;
        let admin = web::login(&app, web::ADMIN_A).await;
        let campaign_id = campaign(&app, &people.org_a, "Analysts via ATS").await;
        let catalog = vigil::catalog::Catalog::load(&vigil::catalog::Catalog::shipped_dir()).expect("banks");
        let workers = start_background(&app.db.store, &catalog, Background { retention_days: 183, public_url: None, mailer: None, webhooks: UrlPolicy { allow_loopback: true } }).await.expect("workers");

        // The administrator makes a key and registers the receiver.
        let key = create_key(&app, &admin, "Greenhouse", &["campaigns:read", "invitations:read", "invitations:write", "results:read"], "600").await;
        assert!(key.starts_with("vgl_"), "{key}");
        let receiver = Receiver::default();
        let hook = receiver.start().await;
        let events = ["invitation.started", "assessment.completed", "decision.recorded"];
        let mut form = vec![("url", hook.as_str())];
        form.extend(events.iter().map(|e| ("event", *e)));
        let (status, _, html) = web::post(&app, Some(&admin), "/admin/webhooks", &form).await;
        assert_eq!(status, 200, "{html}");
        let secret = shown_secret(&html);
        assert!(secret.starts_with("whsec_"));

        // Campaigns.
        let listed = call(&app, &key, "GET", "/api/v1/campaigns", None, &[]).await;
        assert_eq!(listed.status, 200, "{:?}", listed.body);
        let found = listed.body["campaigns"].as_array().expect("campaigns").iter().find(|c| c["id"] == campaign_id.as_str()).expect("our campaign").clone();
        assert_eq!(found["instruments"][0]["id"], "svi");

        // One order, sent twice with the same key: one invitation, the same answer.
        let order = json!({ "name": "Ada Candidate", "email": "ada@candidates.example", "language": "en", "external_id": "app-4711" }).to_string();
        let path = format!("/api/v1/campaigns/{campaign_id}/invitations");
        let first = call(&app, &key, "POST", &path, Some(&order), &[("idempotency-key", "order-4711")]).await;
        assert_eq!(first.status, 201, "{:?}", first.body);
        let again = call(&app, &key, "POST", &path, Some(&order), &[("idempotency-key", "order-4711")]).await;
        assert_eq!((again.status, &again.body), (201, &first.body), "a retried order gets the first answer");
        assert_eq!(again.headers["idempotent-replayed"], "true");
        assert_eq!(count(&app, "SELECT COUNT(*) FROM invitations").await, 1, "invited once");
        let other_body = call(&app, &key, "POST", &path, Some(&json!({ "name": "Bob", "email": "bob@candidates.example" }).to_string()), &[("idempotency-key", "order-4711")]).await;
        assert_eq!((other_body.status, problem_type(&other_body)), (409, "/api/docs#problem-idempotency-mismatch"));
        let invitation_id = first.body["invitation"]["id"].as_str().expect("id").to_string();
        assert_eq!(first.body["invitation"]["external_id"], "app-4711");
        assert_eq!(first.body["invitation"]["status"], "invited");
        let link = first.body["link"].as_str().expect("link").to_string();

        // The candidate takes the assessment through the real routes.
        complete(&app, &link).await;
        let status = call(&app, &key, "GET", &format!("/api/v1/invitations/{invitation_id}"), None, &[]).await;
        assert_eq!(status.body["status"], "completed", "{:?}", status.body);
        assert_eq!(status.body["result_url"], format!("/api/v1/invitations/{invitation_id}/result"));

        // The webhooks arrive, signed.
        let got = common::eventually("the started and completed webhooks", || async {
            let got = receiver.events();
            let types: Vec<String> = got.iter().filter_map(|(_, b)| serde_json::from_str::<Value>(b).ok()).filter_map(|v| v["type"].as_str().map(str::to_string)).collect();
            (types.contains(&"invitation.started".to_string()) && types.contains(&"assessment.completed".to_string())).then_some(got)
        })
        .await;
        for (headers, body) in &got {
            let id = headers["webhook-id"].to_str().expect("id");
            let ts: i64 = headers["webhook-timestamp"].to_str().expect("ts").parse().expect("seconds");
            assert!(verify(&secret, id, ts, body, headers["webhook-signature"].to_str().expect("sig")), "a valid signature on {body}");
            assert!((ts - vigil::time::now_ms() / 1000).abs() < 600, "a current timestamp");
            let v: Value = serde_json::from_str(body).expect("JSON");
            assert_eq!(v["data"]["invitation_id"], invitation_id.as_str());
            assert_eq!(v["data"]["external_id"], "app-4711");
        }

        // The result: scores with bands and provenance, never answers.
        let result = call(&app, &key, "GET", &format!("/api/v1/invitations/{invitation_id}/result"), None, &[]).await;
        assert_eq!(result.status, 200, "{:?}", result.body);
        let svi = &result.body["instruments"][0];
        assert_eq!(svi["instrument"], "svi");
        let normed = svi["scales"].as_array().expect("scales").iter().find(|s| s["normed"].is_object()).expect("a normed scale");
        let (t, band) = (normed["normed"]["t"].as_i64().expect("t"), normed["normed"]["t_band"].as_array().expect("band").clone());
        assert!(band[0].as_i64().expect("lo") <= t && t <= band[1].as_i64().expect("hi"), "T inside its 90% band");
        assert!(svi["norm"]["n"].as_u64().is_some_and(|n| n > 0) && svi["validity"]["status"].is_string() && svi["bank_hash"].is_string());
        let text = result.body.to_string();
        assert!(!text.contains("svi-mot-01") && !text.contains("\"answers\""), "no item-level data: {text}");
        assert!(result.body["note"].as_str().is_some_and(|n| n.contains("90% band")));

        // The feed lists it once it has settled; the cursor moves past it.
        let page = common::eventually("the result in the feed", || async {
            let page = call(&app, &key, "GET", "/api/v1/results?limit=10", None, &[]).await;
            (page.body["results"].as_array().is_some_and(|r| !r.is_empty())).then_some(page)
        })
        .await;
        assert_eq!(page.body["results"][0]["invitation_id"], invitation_id.as_str());
        let next = page.body["next_cursor"].as_str().expect("cursor");
        let after = call(&app, &key, "GET", &format!("/api/v1/results?cursor={next}"), None, &[]).await;
        assert_eq!((after.body["results"].as_array().map(Vec::len), after.body["next_cursor"].as_str()), (Some(0), Some(next)));

        // A recruiter's decision is told too.
        let (status, _, _) = web::post(&app, Some(&web::login(&app, web::RECRUITER_A).await), &format!("/campaigns/{campaign_id}/candidates/{invitation_id}/decision"), &[("decision", "advance"), ("reason", "Strong profile, interview next")]).await;
        assert_eq!(status, 303);
        common::eventually("the decision webhook", || async { receiver.events().iter().any(|(_, b)| b.contains("decision.recorded") && b.contains("advance")).then_some(()) }).await;
        let ids: Vec<String> = receiver.events().iter().map(|(h, _)| h["webhook-id"].to_str().expect("id").to_string()).collect();
        let delivered = count(&app, "SELECT COUNT(*) FROM webhook_deliveries WHERE status = 'delivered'").await;
        assert_eq!(delivered as usize, ids.iter().collect::<std::collections::BTreeSet<_>>().len(), "every event delivered and recorded");

        // Every call is audited with the key's name.
        assert!(count(&app, "SELECT COUNT(*) FROM audit_log WHERE actor_kind = 'api_key' AND detail LIKE '%Greenhouse%'").await >= 6);
        for w in workers {
            w.stop().await;
        }
    }

    async fn keys_are_scoped_revocable_rate_limited_and_blind_to_other_organisations(db: Db) {
        let Some(app) = common::spawn_app(db).await else { return };
        let people = web::people(&app).await;
        let (admin_a, admin_b) = (web::login(&app, web::ADMIN_A).await, web::login(&app, web::ADMIN_B).await);
        let campaign_a = campaign(&app, &people.org_a, "A's campaign").await;
        let campaign_b = campaign(&app, &people.org_b, "B's campaign").await;
        let reader = create_key(&app, &admin_a, "Read only", &["campaigns:read"], "600").await;
        let writer_b = create_key(&app, &admin_b, "B's ATS", &["campaigns:read", "invitations:read", "invitations:write", "results:read"], "600").await;

        // Scopes.
        assert_eq!(call(&app, &reader, "GET", &format!("/api/v1/campaigns/{campaign_a}"), None, &[]).await.status, 200);
        let order = json!({ "name": "Cy", "email": "cy@candidates.example" }).to_string();
        let refused = call(&app, &reader, "POST", &format!("/api/v1/campaigns/{campaign_a}/invitations"), Some(&order), &[]).await;
        assert_eq!((refused.status, problem_type(&refused)), (403, "/api/docs#problem-missing-scope"));
        assert!(refused.body["detail"].as_str().is_some_and(|d| d.contains("invitations:write")));

        // Another organisation's campaign and invitation are not found, never shown.
        for path in [format!("/api/v1/campaigns/{campaign_a}")] {
            let c = call(&app, &writer_b, "GET", &path, None, &[]).await;
            assert_eq!((c.status, problem_type(&c)), (404, "/api/docs#problem-not-found"));
        }
        let theirs = call(&app, &writer_b, "POST", &format!("/api/v1/campaigns/{campaign_a}/invitations"), Some(&order), &[]).await;
        assert_eq!(theirs.status, 404);
        let own = call(&app, &writer_b, "POST", &format!("/api/v1/campaigns/{campaign_b}/invitations"), Some(&order), &[]).await;
        assert_eq!(own.status, 201, "{:?}", own.body);
        let b_invitation = own.body["invitation"]["id"].as_str().expect("id").to_string();
        let admin_a_key = create_key(&app, &admin_a, "A's ATS", &["invitations:read", "results:read", "invitations:write"], "600").await;
        for (method, path) in [("GET", format!("/api/v1/invitations/{b_invitation}")), ("GET", format!("/api/v1/invitations/{b_invitation}/result")), ("POST", format!("/api/v1/invitations/{b_invitation}/revoke"))] {
            let c = call(&app, &admin_a_key, method, &path, None, &[]).await;
            assert_eq!(c.status, 404, "{method} {path}: {:?}", c.body);
            assert!(!c.body.to_string().contains("cy@candidates"), "nothing of B's");
        }
        let listed = call(&app, &admin_a_key, "GET", "/api/v1/results", None, &[]).await;
        assert_eq!(listed.status, 200);

        // A forged or missing key.
        for bad in ["vgl_00000000_forged", "", "Basic abc"] {
            let c = call(&app, bad, "GET", "/api/v1/campaigns", None, &[]).await;
            assert_eq!((c.status, problem_type(&c)), (401, "/api/docs#problem-unauthenticated"), "{bad}");
        }
        // A session cookie is not a key.
        let res = app.client.get(format!("{}/api/v1/campaigns", app.base)).header("cookie", &admin_a).send().await.expect("get");
        assert_eq!(res.status(), 401);

        // Revoked: refused at the next request.
        let key_id: String = {
            sqlx::any::install_default_drivers();
            let pool = sqlx::any::AnyPoolOptions::new().max_connections(1).connect(app.db.url.expose()).await.expect("connect");
            let id = sqlx::query_scalar("SELECT id FROM api_keys WHERE name = 'Read only'").fetch_one(&pool).await.expect("key");
            pool.close().await;
            id
        };
        let (status, location, _) = web::post(&app, Some(&admin_b), &format!("/admin/api-keys/{key_id}/revoke"), &[]).await;
        assert_eq!(status, 404, "another organisation's admin cannot revoke it");
        let (status, location2, _) = web::post(&app, Some(&admin_a), &format!("/admin/api-keys/{key_id}/revoke"), &[]).await;
        assert_eq!((status, location2.as_deref(), location), (303, Some("/admin/integrations"), None));
        let revoked = call(&app, &reader, "GET", "/api/v1/campaigns", None, &[]).await;
        assert_eq!((revoked.status, problem_type(&revoked)), (401, "/api/docs#problem-key-revoked"));

        // A key with an expiry date works until then, and is refused after.
        let (status, _, html) = web::post(&app, Some(&admin_a), "/admin/api-keys", &[("name", "Until"), ("scope", "campaigns:read"), ("expires", "2999-12-31")]).await;
        assert_eq!(status, 200, "{html}");
        let until = shown_secret(&html);
        assert_eq!(call(&app, &until, "GET", "/api/v1/campaigns", None, &[]).await.status, 200);
        let (status, _, _) = web::post(&app, Some(&admin_a), "/admin/api-keys", &[("name", "Past"), ("scope", "campaigns:read"), ("expires", "2001-01-01")]).await;
        assert_eq!(status, 422, "an expiry date in the past is refused");
        {
            sqlx::any::install_default_drivers();
            let pool = sqlx::any::AnyPoolOptions::new().max_connections(1).connect(app.db.url.expose()).await.expect("connect");
            sqlx::query("UPDATE api_keys SET expires_at = 1000 WHERE name = 'Until'").execute(&pool).await.expect("the day passes");
            pool.close().await;
        }
        let expired = call(&app, &until, "GET", "/api/v1/campaigns", None, &[]).await;
        assert_eq!((expired.status, problem_type(&expired)), (401, "/api/docs#problem-key-expired"));

        // The rate limit: 3 a minute. Seven quick calls span at most two
        // minutes, so one of them has four calls: at least one is refused.
        let limited = create_key(&app, &admin_a, "Slow", &["campaigns:read"], "3").await;
        let mut refusals = Vec::new();
        for _ in 0..7 {
            let c = call(&app, &limited, "GET", "/api/v1/campaigns", None, &[]).await;
            if c.status == 429 {
                assert_eq!(problem_type(&c), "/api/docs#problem-rate-limited");
                let wait: u64 = c.headers["retry-after"].to_str().expect("retry-after").parse().expect("seconds");
                assert!((1..=60).contains(&wait), "{wait}");
                refusals.push(wait);
            } else {
                assert_eq!(c.status, 200);
            }
        }
        assert!(!refusals.is_empty() && refusals.len() <= 4, "{refusals:?}");
    }

    async fn bad_input_gets_a_problem_naming_the_field_and_creates_nothing(db: Db) {
        let Some(app) = common::spawn_app(db).await else { return };
        let people = web::people(&app).await;
        let admin = web::login(&app, web::ADMIN_A).await;
        let campaign_id = campaign(&app, &people.org_a, "Careful").await;
        let key = create_key(&app, &admin, "ATS", &["invitations:write", "invitations:read"], "600").await;
        let one = format!("/api/v1/campaigns/{campaign_id}/invitations");
        let bulk = format!("/api/v1/campaigns/{campaign_id}/invitations/bulk");
        let huge = format!("{{\"invitations\":[{}]}}", vec![r#"{"name":"N","email":"n@x.example","external_id":"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"}"#; 120_000].join(","));
        let good = |email: &str| json!({ "name": "Good", "email": email });
        let cases: Vec<(&str, String, u16, &str, Option<&str>)> = vec![
            (&one, "{not json".into(), 400, "malformed-body", None),
            (&one, json!({ "name": "A", "email": "a@x.example", "colour": "red" }).to_string(), 422, "validation", Some("colour")),
            (&one, json!({ "name": "A" }).to_string(), 422, "validation", Some("email")),
            (&one, json!({ "name": "A", "email": "not an address" }).to_string(), 422, "validation", Some("email")),
            (&one, json!({ "name": "A", "email": "a@x.example", "language": "tlh" }).to_string(), 422, "validation", Some("language")),
            (&one, json!({ "name": "A", "email": 5 }).to_string(), 422, "validation", Some("email")),
            (&bulk, json!({ "invitations": [good("ok1@x.example"), good("ok2@x.example"), { "name": "Bad", "email": "nope" }] }).to_string(), 422, "validation", Some("invitations[2].email")),
            (&bulk, json!({ "invitations": [good("dup@x.example"), good("DUP@x.example")] }).to_string(), 422, "validation", Some("invitations[1].email")),
            (&bulk, json!({ "invitations": [] }).to_string(), 422, "validation", Some("invitations")),
        ];
        for (path, body, status, kind, field) in cases {
            let c = call(&app, &key, "POST", path, Some(&body), &[]).await;
            assert_eq!(c.status, status, "{:.80}: {:?}", body, c.body);
            assert_eq!(problem_type(&c), format!("/api/docs#problem-{kind}"), "{:.80}", body);
            assert_eq!(c.body["field"].as_str(), field, "{:.80}", body);
        }
        // Ten megabytes: refused before it is read to the end (so the answer is read while still sending).
        let bearer = format!("Bearer {key}");
        let (status, answer) = common::raw_post(&app, &bulk, &[("Authorization", &bearer), ("Content-Type", "application/json")], huge.as_bytes()).await;
        assert_eq!(status, 413, "{answer}");
        assert!(answer.contains("application/problem+json") && answer.contains("/api/docs#problem-too-large"), "{answer}");
        assert_eq!(count(&app, "SELECT COUNT(*) FROM invitations").await, 0, "nothing half-created");
        let closed = call(&app, &key, "GET", "/api/v1/invitations/no-such-invitation", None, &[]).await;
        assert_eq!(closed.status, 404);
        let cursor = call(&app, &key, "GET", "/api/v1/results?cursor=forged", None, &[]).await;
        assert_eq!(cursor.status, 403, "the key has no results:read");
        let unknown = call(&app, &key, "GET", "/api/v1/nothing-here", None, &[]).await;
        assert_eq!((unknown.status, problem_type(&unknown)), (404, "/api/docs#problem-not-found"));

        // A thousand at once, the same address twice across orders: one invitation.
        let thousand: Vec<Value> = (0..1000).map(|n| json!({ "name": format!("Candidate {n}"), "email": format!("c{n}@bulk.example"), "send_email": false })).collect();
        let started = std::time::Instant::now();
        let made = call(&app, &key, "POST", &bulk, Some(&json!({ "invitations": thousand }).to_string()), &[]).await;
        eprintln!("{db:?}: 1,000 invitations in one call took {:?}", started.elapsed());
        assert_eq!(made.status, 200, "{:?}", made.body);
        assert_eq!(made.body["created"].as_array().map(Vec::len), Some(1000));
        assert_eq!(count(&app, "SELECT COUNT(*) FROM outbox").await, 0, "send_email false: no e-mails");
        let twice = call(&app, &key, "POST", &bulk, Some(&json!({ "invitations": [good("c7@bulk.example"), good("new@bulk.example")] }).to_string()), &[]).await;
        assert_eq!(twice.body["created"].as_array().map(Vec::len), Some(1));
        assert_eq!(twice.body["already_invited"][0]["index"], 1 - 1);
        assert!(twice.body["already_invited"][0]["invitation_id"].as_str().is_some_and(|id| !id.is_empty()));
        assert_eq!(count(&app, "SELECT COUNT(*) FROM invitations").await, 1001);
    }
}
