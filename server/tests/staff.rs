//! Staff sign-in, sessions, roles and the admin pages over real HTTP, on
//! SQLite and PostgreSQL: what a browser without JavaScript does, and what
//! an attacker tries.

mod common;

use std::{
    io::Write,
    sync::{Arc, Mutex, OnceLock},
};

use common::{web::*, TestApp};
use vigil::{
    auth::{ABSOLUTE_TIMEOUT_MS, IDLE_TIMEOUT_MS, MAX_FAILURES_PER_ACCOUNT, MAX_FAILURES_PER_IP},
    secrets::secret_hash,
    time::now_ms,
};

/// A wrong password; like `PASSWORD`, it may never reach a log line or the audit log.
const WRONG: &str = "Tr0ub4dor&3-not-the-password";

/// Log output of every test in this binary (the servers run in-process).
fn captured_logs() -> Arc<Mutex<Vec<u8>>> {
    static LOGS: OnceLock<Arc<Mutex<Vec<u8>>>> = OnceLock::new();
    LOGS.get_or_init(|| {
        let buffer = Arc::new(Mutex::new(Vec::new()));
        let writer = buffer.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_ansi(false)
            .with_writer(move || Capture(writer.clone()))
            .finish();
        let _ = tracing::subscriber::set_global_default(subscriber);
        buffer
    })
    .clone()
}

struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if let Ok(mut b) = self.0.lock() {
            b.extend_from_slice(buf);
        }
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// True when the cookie still opens the staff home page.
async fn signed_in(app: &TestApp, cookie: &String) -> bool {
    let (status, location, _) = get(app, Some(cookie), "/staff").await;
    match status {
        200 => true,
        303 => {
            assert_eq!(location.as_deref(), Some("/login"));
            false
        }
        other => panic!("unexpected status {other}"),
    }
}

fn value_of(cookie: &str) -> &str {
    cookie.split_once('=').map(|(_, v)| v).unwrap_or_default()
}

on_both_databases! {
    async fn signing_in_sets_a_fresh_http_only_cookie_and_redirects(db: Db) {
        let Some(app) = common::spawn_app(db).await else { return };
        people(&app).await;
        let first = login_with(&app, ADMIN_A, PASSWORD, None).await;
        assert_eq!(first.status(), 303);
        assert_eq!(first.headers()["location"], "/staff");
        let set = first.headers()["set-cookie"].to_str().expect("cookie").to_string();
        for flag in ["HttpOnly", "SameSite=Lax", "Path=/"] {
            assert!(set.contains(flag), "{flag} missing: {set}");
        }
        let first = session_cookie(&first).expect("cookie");
        assert_eq!(value_of(&first).len(), 64, "256 random bits");
        // Only the hash is stored.
        assert!(app.db.store.staff_session(&secret_hash(value_of(&first))).await.expect("q").is_some());
        assert!(app.db.store.staff_session(value_of(&first)).await.expect("q").is_none());
        let (status, _, home) = get(&app, Some(&first), "/staff").await;
        assert_eq!(status, 200);
        assert!(home.contains("Ada Admin") && home.contains("Administrator") && home.contains("Org A"), "{home}");

        // Signing in again with the old cookie: a new id, and the old session is gone.
        let second = login_with(&app, ADMIN_A, PASSWORD, Some(&first)).await;
        let second = session_cookie(&second).expect("cookie");
        assert_ne!(first, second);
        assert!(!signed_in(&app, &first).await, "the pre-login session is discarded");
        assert!(signed_in(&app, &second).await);
    }

    async fn wrong_password_unknown_user_and_deactivated_account_get_the_same_answer(db: Db) {
        let Some(app) = common::spawn_app(db).await else { return };
        let p = people(&app).await;
        app.db.store.deactivate_user(&p.org_a, &p.psychologist_a, now_ms()).await.expect("deactivate");
        let mut answers = Vec::new();
        for (email, password) in [(ADMIN_A, WRONG), ("nobody@a.example", WRONG), (PSYCHOLOGIST_A, PASSWORD)] {
            let res = login_with(&app, email, password, None).await;
            let status = res.status().as_u16();
            let location = res.headers().get("location").map(|v| v.to_str().unwrap_or_default().to_string());
            let cookie = res.headers().get("set-cookie").is_some();
            answers.push((status, location, cookie, res.text().await.expect("body")));
        }
        assert_eq!(answers[0], answers[1], "wrong password vs unknown user");
        assert_eq!(answers[0], answers[2], "wrong password vs deactivated user");
        assert_eq!(answers[0].0, 303);
        assert_eq!(answers[0].1.as_deref(), Some("/login?failed=1"));
        assert!(!answers[0].2, "no cookie on failure");
        let (status, _, page) = get(&app, None, "/login?failed=1").await;
        assert_eq!(status, 200);
        assert!(page.contains("not right"), "{page}");
    }

    async fn a_deactivated_user_is_signed_out_and_cannot_sign_in(db: Db) {
        let Some(app) = common::spawn_app(db).await else { return };
        let p = people(&app).await;
        let admin = login(&app, ADMIN_A).await;
        let recruiter = login(&app, RECRUITER_A).await;
        assert!(signed_in(&app, &recruiter).await);
        let (status, location, _) = post(&app, Some(&admin), &format!("/admin/users/{}/deactivate", p.recruiter_a), &[]).await;
        assert_eq!((status, location.as_deref()), (303, Some("/admin/users?deactivated=1")));
        assert!(!signed_in(&app, &recruiter).await, "their session ended");
        let res = login_with(&app, RECRUITER_A, PASSWORD, None).await;
        assert_eq!(res.headers()["location"], "/login?failed=1");
        let (_, _, users) = get(&app, Some(&admin), "/admin/users").await;
        assert!(users.contains("Deactivated"), "{users}");
        // An admin cannot lock themselves out.
        let (status, _, _) = post(&app, Some(&admin), &format!("/admin/users/{}/deactivate", p.admin_a), &[]).await;
        assert_eq!(status, 422);
        assert!(signed_in(&app, &admin).await);
    }

    async fn sessions_end_after_the_idle_and_the_absolute_timeout(db: Db) {
        let Some(app) = common::spawn_app(db).await else { return };
        people(&app).await;
        let s = &app.db.store;
        let now = now_ms();

        let idle = login(&app, ADMIN_A).await;
        let idle_hash = secret_hash(value_of(&idle));
        s.set_staff_session_times(&idle_hash, now - IDLE_TIMEOUT_MS + 120_000, now - IDLE_TIMEOUT_MS + 120_000, now + ABSOLUTE_TIMEOUT_MS).await.expect("times");
        assert!(signed_in(&app, &idle).await, "28 minutes idle is fine, and renews the session");
        let touched = s.staff_session(&idle_hash).await.expect("q").expect("session");
        assert!(touched.last_seen_at >= now, "activity recorded");
        s.set_staff_session_times(&idle_hash, now - IDLE_TIMEOUT_MS - 1000, now - IDLE_TIMEOUT_MS - 1000, now + ABSOLUTE_TIMEOUT_MS).await.expect("times");
        assert!(!signed_in(&app, &idle).await, "31 minutes idle ends the session");
        assert!(s.staff_session(&idle_hash).await.expect("q").is_none(), "and deletes it");

        let old = login(&app, ADMIN_A).await;
        let old_hash = secret_hash(value_of(&old));
        let created = now - ABSOLUTE_TIMEOUT_MS - 1000;
        s.set_staff_session_times(&old_hash, created, now - 1000, created + ABSOLUTE_TIMEOUT_MS).await.expect("times");
        assert!(!signed_in(&app, &old).await, "12 hours after sign-in, even when active");
    }

    async fn signing_out_ends_the_session(db: Db) {
        let Some(app) = common::spawn_app(db).await else { return };
        people(&app).await;
        let cookie = login(&app, RECRUITER_A).await;
        let res = app.client.post(format!("{}/logout", app.base)).header("origin", &app.base).header("cookie", &cookie).send().await.expect("logout");
        assert_eq!(res.status(), 303);
        assert_eq!(res.headers()["location"], "/login?signed_out=1");
        assert!(res.headers()["set-cookie"].to_str().expect("cookie").contains("Max-Age=0"));
        assert!(app.db.store.staff_session(&secret_hash(value_of(&cookie))).await.expect("q").is_none());
        assert!(!signed_in(&app, &cookie).await, "the old cookie no longer works");
    }

    async fn repeated_failures_are_rate_limited_per_account_and_per_address(db: Db) {
        let Some(app) = common::spawn_app(db).await else { return };
        people(&app).await;
        for _ in 0..MAX_FAILURES_PER_ACCOUNT {
            assert_eq!(login_with(&app, ADMIN_A, WRONG, None).await.status(), 303);
        }
        let res = login_with(&app, ADMIN_A, PASSWORD, None).await;
        assert_eq!(res.status(), 429, "even the right password waits");
        assert!(res.headers().contains_key("retry-after"));
        assert!(res.text().await.expect("body").contains("try again later"));
        // Another account from the same address is not affected yet.
        assert_eq!(login_with(&app, RECRUITER_A, PASSWORD, None).await.status(), 303);
        // Many addresses tried from one client address: that address waits.
        for n in MAX_FAILURES_PER_ACCOUNT..MAX_FAILURES_PER_IP {
            assert_eq!(login_with(&app, &format!("guess{n}@a.example"), WRONG, None).await.status(), 303);
        }
        assert_eq!(login_with(&app, PSYCHOLOGIST_A, PASSWORD, None).await.status(), 429);
        let audit = app.db.store.audit_log(&people_org(&app).await, 500).await.expect("audit");
        assert!(audit.iter().any(|e| e.action == "login.failed" && e.detail.as_deref().is_some_and(|d| d.contains("rate_limited"))));
    }

    async fn only_the_right_roles_of_the_right_organisation_get_through(db: Db) {
        let Some(app) = common::spawn_app(db).await else { return };
        let p = people(&app).await;
        let admin_a = login(&app, ADMIN_A).await;
        let recruiter_a = login(&app, RECRUITER_A).await;
        let psychologist_a = login(&app, PSYCHOLOGIST_A).await;
        let admin_b = login(&app, ADMIN_B).await;
        let staff_a = [&admin_a, &recruiter_a, &psychologist_a];

        // Start page: every signed-in staff member, each seeing their own organisation.
        for c in staff_a {
            let (status, _, body) = get(&app, Some(c), "/staff").await;
            assert_eq!(status, 200);
            assert!(body.contains("Org A"));
        }
        let (status, _, body) = get(&app, Some(&admin_b), "/staff").await;
        assert!(status == 200 && body.contains("Org B") && !body.contains("Org A"));

        for path in ["/staff", "/admin/users", "/admin/audit"] {
            let (status, location, _) = get(&app, None, path).await;
            assert_eq!((status, location.as_deref()), (303, Some("/login")), "anonymous {path}");
        }
        for path in ["/admin/users", "/admin/audit"] {
            for c in [&recruiter_a, &psychologist_a] {
                let (status, _, body) = get(&app, Some(c), path).await;
                assert_eq!(status, 403, "{path}");
                assert!(!body.contains(ADMIN_A), "nothing of the page leaks");
            }
            let (status, _, body) = get(&app, Some(&admin_a), path).await;
            assert_eq!(status, 200, "{path}");
            assert!(body.contains(RECRUITER_A), "{path} shows A's data");
            let (status, _, body) = get(&app, Some(&admin_b), path).await;
            assert_eq!(status, 200, "{path}");
            assert!(!body.contains(RECRUITER_A) && !body.contains(ADMIN_A), "{path}: B sees nothing of A");
        }

        // JSON callers: 401 anonymous, 403 wrong role, 200 admin.
        let api = |cookie: Option<&String>| {
            let mut req = app.client.post(format!("{}/api/staff_users", app.base)).header("origin", &app.base).header("content-type", "application/x-www-form-urlencoded").body("");
            if let Some(c) = cookie {
                req = req.header("cookie", c.as_str());
            }
            req.send()
        };
        assert_eq!(api(None).await.expect("api").status(), 401);
        assert_eq!(api(Some(&recruiter_a)).await.expect("api").status(), 403);
        assert_eq!(api(Some(&admin_a)).await.expect("api").status(), 200);

        // Invitations: admins only (each into their own organisation).
        let invite = [("name", "New Person"), ("email", "new@a.example"), ("role", "recruiter")];
        for c in [&recruiter_a, &psychologist_a] {
            assert_eq!(post(&app, Some(c), "/admin/users", &invite).await.0, 403);
        }
        let (status, location, _) = post(&app, None, "/admin/users", &invite).await;
        assert_eq!((status, location.as_deref()), (303, Some("/login")));
        assert!(app.db.store.user_by_email("new@a.example").await.expect("q").is_none(), "nobody was created so far");
        let (status, _, body) = post(&app, Some(&admin_a), "/admin/users", &invite).await;
        assert_eq!(status, 200);
        assert!(body.contains("/set-password/"), "{body}");
        let created = app.db.store.user_by_email("new@a.example").await.expect("q").expect("user");
        assert_eq!(created.org_id, p.org_a);

        // Deactivation: another organisation's user is "not found".
        let target = format!("/admin/users/{}/deactivate", p.psychologist_a);
        assert_eq!(post(&app, Some(&admin_b), &target, &[]).await.0, 404);
        assert_eq!(post(&app, Some(&admin_b), "/admin/users/no-such-id/deactivate", &[]).await.0, 404, "the same as an unknown id");
        assert_eq!(post(&app, Some(&recruiter_a), &target, &[]).await.0, 403);
        assert_eq!(post(&app, None, &target, &[]).await.0, 303);
        assert!(signed_in(&app, &psychologist_a).await, "still active");
        assert_eq!(post(&app, Some(&admin_a), &target, &[]).await.0, 303);
        assert!(!signed_in(&app, &psychologist_a).await);
        let _ = p.admin_b;
    }

    async fn posts_from_other_sites_are_refused(db: Db) {
        let Some(app) = common::spawn_app(db).await else { return };
        let p = people(&app).await;
        let admin = login(&app, ADMIN_A).await;
        let target = format!("/admin/users/{}/deactivate", p.recruiter_a);
        let attacks: [(&str, &str); 3] = [("origin", "http://evil.example"), ("sec-fetch-site", "cross-site"), ("sec-fetch-site", "same-site")];
        for (header, value) in attacks {
            for path in ["/admin/users", target.as_str(), "/logout", "/login", "/set-password"] {
                let res = app
                    .client
                    .post(format!("{}{path}", app.base))
                    .header(header, value)
                    .header("cookie", &admin)
                    .form(&[("name", "Mallory"), ("email", "mallory@a.example"), ("role", "admin"), ("password", PASSWORD)])
                    .send()
                    .await
                    .expect("post");
                assert_eq!(res.status(), 403, "{header}: {value} on {path}");
            }
        }
        assert!(app.db.store.user_by_email("mallory@a.example").await.expect("q").is_none());
        assert!(app.db.store.user_in_org(&p.org_a, &p.recruiter_a).await.expect("q").expect("user").active);
        assert!(signed_in(&app, &admin).await, "not signed out by another site");
    }

    async fn an_invited_colleague_sets_a_password_once_and_signs_in(db: Db) {
        let Some(app) = common::spawn_app(db).await else { return };
        people(&app).await;
        let admin = login(&app, ADMIN_A).await;
        let (status, _, body) = post(&app, Some(&admin), "/admin/users", &[("name", "Nia New"), ("email", "Nia@A.example"), ("role", "psychologist")]).await;
        assert_eq!(status, 200);
        let token = body.split("/set-password/").nth(1).and_then(|r| r.split('"').next()).expect("link").to_string();
        assert_eq!(token.len(), 64);
        let (status, _, users) = get(&app, Some(&admin), "/admin/users").await;
        assert!(status == 200 && users.contains("nia@a.example") && users.contains("Invited (no password yet)"));
        // The same address twice is refused.
        assert_eq!(post(&app, Some(&admin), "/admin/users", &[("name", "Nia"), ("email", "nia@a.example"), ("role", "recruiter")]).await.0, 422);

        assert_eq!(get(&app, None, &format!("/set-password/{token}")).await.0, 200);
        assert_eq!(post(&app, None, "/set-password", &[("token", &token), ("password", "short"), ("repeat", "short")]).await.0, 422, "too short; the link still works");
        let (status, location, _) = post(&app, None, "/set-password", &[("token", &token), ("password", PASSWORD), ("repeat", PASSWORD)]).await;
        assert_eq!((status, location.as_deref()), (303, Some("/login?password_set=1")));
        assert_eq!(post(&app, None, "/set-password", &[("token", &token), ("password", PASSWORD), ("repeat", PASSWORD)]).await.0, 404, "used once");
        let nia = login(&app, "nia@a.example").await;
        let (_, _, home) = get(&app, Some(&nia), "/staff").await;
        assert!(home.contains("Nia New") && home.contains("Psychologist"));
        // The audit page names the steps; the token is nowhere in the audit log.
        let (_, _, audit) = get(&app, Some(&admin), "/admin/audit").await;
        for action in ["Colleague invited", "Password set", "Signed in"] {
            assert!(audit.contains(action), "{action}: {audit}");
        }
        let entries = app.db.store.audit_log(&people_org(&app).await, 500).await.expect("audit");
        assert!(entries.iter().all(|e| !e.detail.as_deref().unwrap_or_default().contains(&token)));
    }

    async fn the_demo_accounts_can_sign_in(db: Db) {
        let Some(app) = common::spawn_app(db).await else { return };
        let dir = tempfile::tempdir().expect("folder");
        let file = dir.path().join("demo-credentials.txt");
        // An empty catalog: the accounts without the simulated candidates.
        vigil::demo::seed(&app.db.store, &vigil::catalog::Catalog::default(), &file).await.expect("seed");
        let credentials = std::fs::read_to_string(&file).expect("credentials file");
        for (_, email, name) in vigil::demo::DEMO_ACCOUNTS {
            let line = credentials.lines().find(|l| l.contains(email)).expect("a line per account");
            let password = line.rsplit("password: ").next().expect("password").trim();
            let res = login_with(&app, email, password, None).await;
            assert_eq!(res.status(), 303, "{email}");
            let cookie = session_cookie(&res).expect("cookie");
            let (status, _, home) = get(&app, Some(&cookie), "/staff").await;
            assert!(status == 200 && home.contains(name) && home.contains("Demo Organisation"), "{home}");
        }
    }

    async fn passwords_never_reach_the_logs_or_the_audit_log(db: Db) {
        let logs = captured_logs();
        let Some(app) = common::spawn_app(db).await else { return };
        let p = people(&app).await;
        login_with(&app, ADMIN_A, WRONG, None).await;
        login_with(&app, "nobody@a.example", WRONG, None).await;
        let cookie = login(&app, ADMIN_A).await;
        post(&app, Some(&cookie), "/logout", &[]).await;
        let entries = app.db.store.audit_log(&p.org_a, 500).await.expect("audit");
        let actions: Vec<&str> = entries.iter().map(|e| e.action.as_str()).collect();
        for wanted in ["login.failed", "login.succeeded", "logout"] {
            assert!(actions.contains(&wanted), "{wanted} in {actions:?}");
        }
        for e in &entries {
            let detail = e.detail.clone().unwrap_or_default();
            assert!(!detail.contains(WRONG) && !detail.contains(PASSWORD) && !detail.contains(value_of(&cookie)), "{detail}");
        }
        let text = String::from_utf8_lossy(&logs.lock().expect("logs")).to_string();
        assert!(text.contains("sign-in failed"), "the log is captured: {}", text.len());
        assert!(!text.contains(WRONG) && !text.contains(PASSWORD), "a password reached the log");
        assert!(!text.contains(value_of(&cookie)), "a session id reached the log");
    }
}
