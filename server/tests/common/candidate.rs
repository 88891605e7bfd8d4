//! A candidate in a browser without JavaScript: open the link, read pages,
//! post forms (with the site's own Origin), answer every page.

use super::TestApp;
use vigil::{
    secrets::secret_hash,
    store::{NewCampaign, NewInvitation},
};

/// The link token of the invitations these tests create.
pub const TOKEN: &str = "k7Qm2Xr9Lp4Vt8Zw3Nc6Bh1Jd5Fs0Gy";

/// An organisation, a campaign with the shipped SVI + SJS, and an invitation
/// whose link token is TOKEN (expiring after `expires_in_ms`).
pub async fn invite(app: &TestApp, expires_in_ms: i64, time_limit: Option<i64>) -> (String, String) {
    let s = &app.db.store;
    let org = s.create_organisation("Acme", &format!("acme-{}", uuid::Uuid::new_v4().simple()), false).await.expect("org");
    let battery = serde_json::json!({ "instruments": [
        { "instrument": "svi", "version": "1.0.0" },
        { "instrument": "sjs", "version": "1.0.0" }
    ]})
    .to_string();
    let campaign = s
        .create_campaign(&NewCampaign {
            org_id: &org.id, name: "Analysts", role_family: "security", battery: &battery, time_limit_minutes: time_limit,
            adaptive: false, candidate_feedback: true, invitation_ttl_days: 14, created_by: None,
            reminder_days: None,
            link_base: None,
        })
        .await
        .expect("campaign");
    let inv = s
        .create_invitation(&NewInvitation {
            org_id: &org.id, campaign_id: &campaign.id, candidate_name: Some("Alex"), candidate_email: Some("alex@example.org"),
            language: "en", token_hash: &secret_hash(TOKEN), expires_at: vigil::time::now_ms() + expires_in_ms, created_by: None,
        })
        .await
        .expect("invitation");
    (org.id, inv.invitation_id)
}

/// Opens the link and returns the cookie the browser would keep.
pub async fn open(app: &TestApp) -> String {
    let res = app.client.get(format!("{}/take/{TOKEN}", app.base)).send().await.expect("open link");
    let status = res.status();
    let headers = res.headers().clone();
    if !status.is_redirection() {
        panic!("status {status}: {}", res.text().await.unwrap_or_default());
    }
    assert_eq!(headers["location"], "/assessment");
    let cookie = headers["set-cookie"].to_str().expect("cookie").to_string();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), "{cookie}");
    assert!(!cookie.contains(TOKEN), "the token itself is not the cookie");
    cookie.split(';').next().expect("pair").to_string()
}

pub async fn get(app: &TestApp, cookie: &str, path: &str) -> (u16, String) {
    let res = app.client.get(format!("{}{path}", app.base)).header("cookie", cookie).send().await.expect("get");
    (res.status().as_u16(), res.text().await.expect("body"))
}

pub async fn post(app: &TestApp, cookie: &str, path: &str, form: &[(String, String)]) -> reqwest::Response {
    app.client
        .post(format!("{}{path}", app.base))
        .header("cookie", cookie)
        .header("origin", &app.base)
        .form(form)
        .send()
        .await
        .expect("post")
}

/// The radio-group names on a page and their first option's value.
pub fn questions(html: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for part in html.split("<input type=\"radio\"").skip(1) {
        let attr = |name: &str| part.split(&format!("{name}=\"")).nth(1).and_then(|r| r.split('"').next()).map(str::to_string);
        if let (Some(name), Some(value)) = (attr("name"), attr("value")) {
            if !out.iter().any(|(n, _)| *n == name) {
                out.push((name, value));
            }
        }
    }
    out
}

pub fn page_of(html: &str) -> String {
    html.split("name=\"page\" value=\"").nth(1).and_then(|r| r.split('"').next()).unwrap_or("1").to_string()
}

pub fn seq_of(html: &str) -> String {
    html.split("name=\"seq\" value=\"").nth(1).and_then(|r| r.split('"').next()).unwrap_or("1").to_string()
}

/// Answers every page of the session with each question's first choice,
/// until the review page ("Check and finish") shows.
pub async fn answer_every_page(app: &TestApp, cookie: &str) {
    for _ in 0..60 {
        let (status, html) = get(app, cookie, "/assessment").await;
        assert_eq!(status, 200, "{html}");
        if html.contains("Check and finish") {
            return;
        }
        let mut form = vec![("page".to_string(), page_of(&html)), ("seq".to_string(), seq_of(&html)), ("nav".to_string(), "next".to_string())];
        form.extend(questions(&html));
        assert!(post(app, cookie, "/assessment/answers", &form).await.status().is_redirection());
    }
    panic!("the review page did not come within 60 pages");
}

/// Alex of the Acme campaign (which offers feedback), who finished the
/// whole battery: (org, invitation, cookie).
pub async fn finished(app: &TestApp) -> (String, String, String) {
    let (org, invitation) = invite(app, 7 * 86_400_000, None).await;
    let cookie = open(app).await;
    assert!(post(app, &cookie, "/assessment/start", &[]).await.status().is_redirection());
    answer_every_page(app, &cookie).await;
    assert!(post(app, &cookie, "/assessment/finish", &[]).await.status().is_redirection());
    (org, invitation, cookie)
}
