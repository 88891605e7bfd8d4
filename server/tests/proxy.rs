//! Behind a trusted reverse proxy the rate limits count the client named in
//! X-Forwarded-For; from anyone else that header changes nothing.

use crate::common;

use common::TestApp;
use vigil::{
    auth::MAX_FAILURES_PER_IP,
    config::{parse_trusted_proxy, TrustedProxies},
    http::HttpOptions,
    http::RATE_LIMITED_LINKS,
};

/// The test client connects from 127.0.0.1: here that is the proxy.
fn behind_a_proxy() -> HttpOptions {
    HttpOptions { trusted_proxies: TrustedProxies::new(vec![parse_trusted_proxy("127.0.0.1").expect("range")]), ..HttpOptions::default() }
}

async fn open_link(app: &TestApp, forwarded_for: &str) -> u16 {
    let res = app.client.get(format!("{}/take/UnknownToken1234567890", app.base)).header("x-forwarded-for", forwarded_for).send().await.expect("request");
    res.status().as_u16()
}

async fn sign_in(app: &TestApp, forwarded_for: &str) -> u16 {
    let res = app.client
        .post(format!("{}/login", app.base))
        .header("origin", &app.base)
        .header("x-forwarded-for", forwarded_for)
        .form(&[("email", "nobody@example.org"), ("password", "wrong")])
        .send()
        .await
        .expect("request");
    res.status().as_u16()
}

/// A sign-in as `email` with `password` from the client `forwarded_for`; (status, location).
async fn sign_in_as(app: &TestApp, email: &str, password: &str, forwarded_for: &str) -> (u16, Option<String>) {
    let res = app.client
        .post(format!("{}/login", app.base))
        .header("origin", &app.base)
        .header("x-forwarded-for", forwarded_for)
        .form(&[("email", email), ("password", password)])
        .send()
        .await
        .expect("request");
    (res.status().as_u16(), res.headers().get("location").and_then(|l| l.to_str().ok()).map(str::to_string))
}

/// Failed sign-ins up to the per-address limit, recorded for `ip`.
async fn failures_from(app: &TestApp, ip: &str) {
    let now = vigil::time::now_ms();
    for n in 0..MAX_FAILURES_PER_IP {
        app.db.store.record_login_failure(&format!("guess{n}@example.org"), ip, now, 0).await.expect("failure");
    }
}

on_both_databases! {
    async fn wrong_passwords_from_one_address_never_lock_the_person_out_from_theirs(db: Db) {
        let Some(app) = common::spawn_app_with(db, behind_a_proxy()).await else { return };
        common::web::people(&app).await;
        let (admin, right) = (common::web::ADMIN_A, common::web::PASSWORD);
        for _ in 0..vigil::auth::MAX_FAILURES_PER_ACCOUNT {
            assert_eq!(sign_in_as(&app, admin, "guess", "203.0.113.66").await, (303, Some("/login?failed=1".into())));
        }
        // The attacker's address waits, even with the right password...
        assert_eq!(sign_in_as(&app, admin, right, "203.0.113.66").await.0, 429);
        // ...and the person signs in from their own address.
        assert_eq!(sign_in_as(&app, admin, right, "198.51.100.20").await, (303, Some("/staff".into())));
    }

    async fn behind_a_trusted_proxy_each_client_has_its_own_link_limit(db: Db) {
        let Some(app) = common::spawn_app_with(db, behind_a_proxy()).await else { return };
        for _ in 0..RATE_LIMITED_LINKS {
            assert_eq!(open_link(&app, "203.0.113.1").await, 404);
        }
        assert_eq!(open_link(&app, "203.0.113.1").await, 429);
        assert_eq!(open_link(&app, "198.51.100.7, 203.0.113.1").await, 429, "what the client adds on the left changes nothing");
        assert_eq!(open_link(&app, "203.0.113.2").await, 404, "another client behind the same proxy");
    }

    async fn from_a_direct_client_a_forged_header_does_not_dodge_the_link_limit(db: Db) {
        let Some(app) = common::spawn_app(db).await else { return };
        for n in 0..RATE_LIMITED_LINKS {
            assert_eq!(open_link(&app, &format!("203.0.113.{n}")).await, 404);
        }
        assert_eq!(open_link(&app, "198.51.100.99").await, 429);
    }

    async fn behind_a_trusted_proxy_failed_sign_ins_count_per_client(db: Db) {
        let Some(app) = common::spawn_app_with(db, behind_a_proxy()).await else { return };
        failures_from(&app, "203.0.113.9").await;
        assert_eq!(sign_in(&app, "203.0.113.9").await, 429);
        assert_eq!(sign_in(&app, "203.0.113.10").await, 303, "another client behind the same proxy");
    }

    async fn from_a_direct_client_a_forged_header_does_not_dodge_the_sign_in_limit(db: Db) {
        let Some(app) = common::spawn_app(db).await else { return };
        failures_from(&app, "127.0.0.1").await;
        assert_eq!(sign_in(&app, "203.0.113.10").await, 429);
        let Some(app) = common::spawn_app(db).await else { return };
        failures_from(&app, "203.0.113.9").await;
        assert_eq!(sign_in(&app, "203.0.113.9").await, 303, "the header names nobody: the peer's count is what counts");
    }
}
