//! Signing in and browsing like a browser without JavaScript: two
//! organisations with staff of every role, sign-in, GET and POST (with the
//! site's own Origin, as a browser sends it).

use super::TestApp;
use vigil::{
    passwords::hash_password,
    store::{NewUser, Role},
};

/// Every test account's password; it may never reach a log line or the audit log.
pub const PASSWORD: &str = "correct-horse-battery-staple";

/// Two organisations: A with one user per role, B with an admin and a recruiter.
pub struct People {
    pub org_a: String,
    pub org_b: String,
    pub admin_a: String,
    pub recruiter_a: String,
    pub psychologist_a: String,
    pub security_a: String,
    pub admin_b: String,
    pub recruiter_b: String,
}

pub const ADMIN_A: &str = "admin@a.example";
pub const RECRUITER_A: &str = "recruiter@a.example";
pub const PSYCHOLOGIST_A: &str = "psychologist@a.example";
pub const SECURITY_A: &str = "security@a.example";
pub const ADMIN_B: &str = "admin@b.example";
pub const RECRUITER_B: &str = "recruiter@b.example";

pub async fn people(app: &TestApp) -> People {
    let s = &app.db.store;
    let hash = hash_password(PASSWORD).expect("hash");
    let a = s.create_organisation("Org A", "org-a", false).await.expect("org a");
    let b = s.create_organisation("Org B", "org-b", false).await.expect("org b");
    let user = |org: String, email: &'static str, name: &'static str, role: Role| {
        let hash = hash.clone();
        async move {
            s.create_user(&NewUser { org_id: &org, email, display_name: name, role, password_hash: Some(&hash) }).await.expect("user").id
        }
    };
    People {
        admin_a: user(a.id.clone(), ADMIN_A, "Ada Admin", Role::Admin).await,
        recruiter_a: user(a.id.clone(), RECRUITER_A, "Rae Recruiter", Role::Recruiter).await,
        psychologist_a: user(a.id.clone(), PSYCHOLOGIST_A, "Pia Psychologist", Role::Psychologist).await,
        security_a: user(a.id.clone(), SECURITY_A, "Sol Security", Role::Security).await,
        admin_b: user(b.id.clone(), ADMIN_B, "Bo Admin", Role::Admin).await,
        recruiter_b: user(b.id.clone(), RECRUITER_B, "Bea Recruiter", Role::Recruiter).await,
        org_a: a.id,
        org_b: b.id,
    }
}

pub async fn login_with(app: &TestApp, email: &str, password: &str, cookie: Option<&String>) -> reqwest::Response {
    let mut req = app.client.post(format!("{}/login", app.base)).header("origin", &app.base).form(&[("email", email), ("password", password)]);
    if let Some(c) = cookie {
        req = req.header("cookie", c);
    }
    req.send().await.expect("post /login")
}

/// The `name=value` pair of the session cookie a response sets.
pub fn session_cookie(res: &reqwest::Response) -> Option<String> {
    res.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("vigil_session="))
        .and_then(|c| c.split(';').next())
        .map(str::to_string)
}

pub async fn login(app: &TestApp, email: &str) -> String {
    let res = login_with(app, email, PASSWORD, None).await;
    assert_eq!(res.status(), 303, "sign-in of {email}");
    session_cookie(&res).expect("session cookie")
}

pub async fn get(app: &TestApp, cookie: Option<&String>, path: &str) -> (u16, Option<String>, String) {
    let mut req = app.client.get(format!("{}{path}", app.base));
    if let Some(c) = cookie {
        req = req.header("cookie", c);
    }
    let res = req.send().await.expect("get");
    let location = res.headers().get("location").and_then(|v| v.to_str().ok()).map(str::to_string);
    (res.status().as_u16(), location, res.text().await.expect("body"))
}

pub async fn post(app: &TestApp, cookie: Option<&String>, path: &str, form: &[(&str, &str)]) -> (u16, Option<String>, String) {
    let mut req = app.client.post(format!("{}{path}", app.base)).header("origin", &app.base).form(form);
    if let Some(c) = cookie {
        req = req.header("cookie", c);
    }
    let res = req.send().await.expect("post");
    let location = res.headers().get("location").and_then(|v| v.to_str().ok()).map(str::to_string);
    (res.status().as_u16(), location, res.text().await.expect("body"))
}

/// Org A's id in a database `people` filled.
pub async fn people_org(app: &TestApp) -> String {
    app.db.store.organisation_by_slug("org-a").await.expect("q").expect("org a").id
}
