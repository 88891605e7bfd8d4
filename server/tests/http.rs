//! The HTTP surface: health, pages, headers, request ids, server functions.

use crate::common;

on_both_databases! {
    async fn healthz_reports_a_reachable_database(db: Db) {
        let Some(app) = common::spawn_app(db).await else { return };
        let res = app.client.get(format!("{}/healthz", app.base)).send().await.expect("request");
        assert_eq!(res.status(), 200);
        let body: serde_json::Value = res.json().await.expect("json");
        assert_eq!(body["database"], "ok");
        app.db.store.close().await;
        let res = app.client.get(format!("{}/healthz", app.base)).send().await.expect("request");
        assert_eq!(res.status(), 503);
    }

    async fn pages_render_on_the_server_with_security_headers(db: Db) {
        let Some(app) = common::spawn_app(db).await else { return };
        let res = app.client.get(format!("{}/check", app.base)).send().await.expect("request");
        assert_eq!(res.status(), 200);
        let h = res.headers().clone();
        assert_eq!(h["x-content-type-options"], "nosniff");
        assert_eq!(h["referrer-policy"], "no-referrer");
        let csp = h["content-security-policy"].to_str().expect("csp");
        assert!(csp.contains("frame-ancestors 'none'") && csp.contains("'wasm-unsafe-eval'"), "{csp}");
        assert!(h.contains_key("x-request-id"));
        let html = res.text().await.expect("html");
        assert!(html.contains("Check your browser"));
        assert!(html.contains("/pkg/vigil.js"), "the hydration script loads the bundle");
        // Before the WASM runs, the check button is rendered disabled.
        assert!(html.contains("disabled"), "{html}");
    }

    async fn an_unknown_address_is_a_friendly_404(db: Db) {
        let Some(app) = common::spawn_app(db).await else { return };
        let res = app.client.get(format!("{}/no/such/page", app.base)).send().await.expect("request");
        assert_eq!(res.status(), 404);
        assert!(res.text().await.expect("html").contains("Page not found"));
    }

    async fn a_client_request_id_is_kept(db: Db) {
        let Some(app) = common::spawn_app(db).await else { return };
        let res = app.client.get(format!("{}/healthz", app.base)).header("x-request-id", "trace-me-123").send().await.expect("request");
        assert_eq!(res.headers()["x-request-id"], "trace-me-123");
    }

    async fn the_device_check_server_function_answers(db: Db) {
        let Some(app) = common::spawn_app(db).await else { return };
        let res = app.client.post(format!("{}/api/device_check", app.base))
            .header("origin", &app.base)
            .header("content-type", "application/x-www-form-urlencoded")
            .header("accept", "application/json")
            .body("")
            .send().await.expect("request");
        assert_eq!(res.status(), 200);
        let body: serde_json::Value = res.json().await.expect("json");
        assert_eq!(body["database_ok"], true);
        assert_eq!(body["version"], env!("CARGO_PKG_VERSION"));
    }
}

#[tokio::test]
async fn shutdown_lets_a_request_in_flight_finish() {
    let Some(db) = common::TestDb::new(common::Db::Sqlite).await else { return };
    let site = tempfile::tempdir().expect("site");
    let listener = vigil::http::bind("127.0.0.1:0".parse().expect("addr")).await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    // A handler that tells the test when it has started, then takes a while.
    let started = std::sync::Arc::new(tokio::sync::Notify::new());
    let slow = axum::Router::new().route(
        "/slow",
        axum::routing::get({
            let started = started.clone();
            move || async move {
                started.notify_one();
                tokio::time::sleep(std::time::Duration::from_millis(300)).await;
                "finished"
            }
        }),
    );
    let router = slow.merge(vigil::http::router(db.store.clone(), vigil::catalog::Catalog::default(), site.path(), addr));
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(vigil::http::serve_until(listener, router, async move {
        let _ = stopped.await;
    }));
    let request = tokio::spawn(async move { reqwest::get(format!("http://{addr}/slow")).await });
    started.notified().await; // the request is now in flight
    stop.send(()).expect("signal shutdown");
    let res = request.await.expect("join").expect("the in-flight request completes");
    assert_eq!(res.text().await.expect("body"), "finished");
    server.await.expect("join").expect("clean shutdown");
    // After shutdown nothing listens any more.
    assert!(reqwest::get(format!("http://{addr}/healthz")).await.is_err());
}

/// The Content-Security-Policy: no inline script or style is allowed; the
/// hydration bootstrap runs by a per-request nonce.
mod csp {
    use super::common;
    use common::TestApp;
    use vigil::{secrets::secret_hash, store::{NewCampaign, NewInvitation}};

    const TOKEN: &str = "Csp7Qm2Xr9Lp4Vt8Zw3Nc6Bh1Jd5Fs0G";

    /// The nonce a policy allows scripts by (None when it names none).
    fn policy_nonce(csp: &str) -> Option<&str> {
        csp.split("'nonce-").nth(1).and_then(|rest| rest.split('\'').next())
    }

    /// The value of the `nonce` attribute of every `<script>` tag (None for a tag without one).
    fn script_nonces(html: &str) -> Vec<Option<String>> {
        html.split("<script")
            .skip(1)
            .map(|rest| {
                let tag = rest.split('>').next().unwrap_or_default();
                tag.split(" nonce=\"").nth(1).and_then(|v| v.split('"').next()).map(str::to_string)
            })
            .collect()
    }

    /// The policy of a response, checked against the rules every response follows.
    fn checked_policy(what: &str, res: &reqwest::Response) -> String {
        let h = res.headers();
        assert_eq!(h["x-content-type-options"], "nosniff", "{what}");
        assert_eq!(h["referrer-policy"], "no-referrer", "{what}");
        let csp = h.get("content-security-policy").unwrap_or_else(|| panic!("{what}: no CSP")).to_str().expect("csp").to_string();
        assert!(csp.contains("frame-ancestors 'none'"), "{what}: {csp}");
        assert!(csp.contains("'wasm-unsafe-eval'"), "{what}: {csp}");
        assert!(!csp.contains("unsafe-inline"), "{what}: {csp}");
        for directive in ["default-src 'self'", "base-uri 'none'", "form-action 'self'", "object-src 'none'"] {
            assert!(csp.contains(directive), "{what}: {directive} missing from {csp}");
        }
        let nonce = policy_nonce(&csp).unwrap_or_else(|| panic!("{what}: no nonce in {csp}"));
        assert!(nonce.len() >= 22, "{what}: a nonce of at least 128 bits in base64: {nonce}");
        csp
    }

    /// Checks a page's headers and that every script carries the policy's nonce
    /// and nothing needs an inline style. Returns the nonce.
    async fn checked_page(what: &str, res: reqwest::Response) -> String {
        let csp = checked_policy(what, &res);
        let nonce = policy_nonce(&csp).expect("nonce").to_string();
        let html = res.text().await.expect("html");
        for script in script_nonces(&html) {
            assert_eq!(script.as_deref(), Some(nonce.as_str()), "{what}: a script without the policy's nonce in {html}");
        }
        assert!(!html.contains(" style="), "{what}: an inline style attribute (blocked by style-src 'self') in {html}");
        assert!(!html.contains("<style"), "{what}: an inline style element in {html}");
        nonce
    }

    /// An invitation (link TOKEN) to a campaign with the shipped banks.
    async fn invite(app: &TestApp) {
        let s = &app.db.store;
        let org = s.create_organisation("Acme", "acme-csp", false).await.expect("org");
        let battery = serde_json::json!({ "instruments": [{ "instrument": "svi", "version": "1.0.0" }] }).to_string();
        let campaign = s
            .create_campaign(&NewCampaign {
                org_id: &org.id, name: "Analysts", role_family: "security", battery: &battery, time_limit_minutes: None,
                adaptive: false, candidate_feedback: false, invitation_ttl_days: 14, created_by: None,
                reminder_days: None,
                link_base: None,
            })
            .await
            .expect("campaign");
        s.create_invitation(&NewInvitation {
            org_id: &org.id, campaign_id: &campaign.id, candidate_name: None, candidate_email: None,
            language: "en", token_hash: &secret_hash(TOKEN), expires_at: vigil::time::now_ms() + 86_400_000, created_by: None,
        })
        .await
        .expect("invitation");
    }

    /// The candidate's cookie after opening the link.
    async fn candidate_cookie(app: &TestApp) -> String {
        let res = app.client.get(format!("{}/take/{TOKEN}", app.base)).send().await.expect("open link");
        assert_eq!(res.status(), 303);
        checked_policy("the link's redirect", &res);
        let cookie = res.headers()["set-cookie"].to_str().expect("cookie");
        cookie.split(';').next().expect("pair").to_string()
    }

    on_both_databases! {
        async fn every_page_allows_its_scripts_by_a_nonce_and_nothing_inline(db: Db) {
            let Some(app) = common::spawn_app(db).await else { return };
            invite(&app).await;
            let cookie = candidate_cookie(&app).await;
            let get = |path: &str| app.client.get(format!("{}{path}", app.base)).header("cookie", &cookie).send();
            for path in ["/", "/check", "/login", "/set-password/unknown-link", "/assessment", "/assessment/declined", "/no/such/page", "/take/UnknownToken1234567890"] {
                let res = get(path).await.expect("request");
                let status = res.status();
                let nonce = checked_page(path, res).await;
                assert!(!nonce.is_empty(), "{path} ({status})");
            }
            // The Leptos pages do run the hydration bootstrap, by the nonce.
            let res = get("/check").await.expect("request");
            let csp = checked_policy("/check", &res);
            let html = res.text().await.expect("html");
            assert!(html.contains(&format!("<script type=\"module\" nonce=\"{}\">", policy_nonce(&csp).expect("nonce"))), "{html}");
        }

        async fn pages_written_by_form_handlers_follow_the_policy(db: Db) {
            let Some(app) = common::spawn_app(db).await else { return };
            let cross_site = |path: &str| app.client.post(format!("{}{path}", app.base)).header("sec-fetch-site", "cross-site").form(&[("email", "x")]).send();
            for path in ["/login", "/assessment/start", "/set-password"] {
                let res = cross_site(path).await.expect("request");
                assert_eq!(res.status(), 403, "{path}");
                checked_page(path, res).await;
            }
        }

        async fn two_requests_get_different_nonces(db: Db) {
            let Some(app) = common::spawn_app(db).await else { return };
            let first = checked_page("first", app.client.get(format!("{}/login", app.base)).send().await.expect("request")).await;
            let second = checked_page("second", app.client.get(format!("{}/login", app.base)).send().await.expect("request")).await;
            assert_ne!(first, second);
        }

        async fn api_responses_and_404s_carry_the_security_headers(db: Db) {
            let Some(app) = common::spawn_app(db).await else { return };
            let res = app.client.get(format!("{}/healthz", app.base)).send().await.expect("request");
            checked_policy("/healthz", &res);
            let res = app.client.post(format!("{}/api/device_check", app.base))
            .header("origin", &app.base)
                .header("content-type", "application/x-www-form-urlencoded")
                .header("accept", "application/json")
                .body("")
                .send().await.expect("request");
            assert_eq!(res.status(), 200);
            checked_policy("a server function", &res);
            for path in ["/pkg/no-such-file.js", "/no/such/page"] {
                let res = app.client.get(format!("{}{path}", app.base)).send().await.expect("request");
                assert_eq!(res.status(), 404, "{path}");
                checked_policy(path, &res);
            }
        }
    }
}

/// Transport and request hygiene: HTTPS-only behind TLS, garbage to server functions.
mod hardening {
    use super::common;

    on_both_databases! {
        async fn behind_tls_browsers_are_told_to_use_https_only(db: Db) {
            let Some(plain) = common::spawn_app(db).await else { return };
            let res = plain.client.get(format!("{}/login", plain.base)).send().await.expect("request");
            assert!(!res.headers().contains_key("strict-transport-security"), "not over plain HTTP");
            let options = vigil::http::HttpOptions { cookies: vigil::auth::CookiePolicy { secure: true }, ..Default::default() };
            let Some(app) = common::spawn_app_with(db, options).await else { return };
            for path in ["/login", "/healthz", "/no/such/page"] {
                let res = app.client.get(format!("{}{path}", app.base)).send().await.expect("request");
                assert_eq!(res.headers().get("strict-transport-security").and_then(|v| v.to_str().ok()), Some(vigil::http::STRICT_TRANSPORT_SECURITY), "{path}");
            }
        }

        async fn garbage_sent_to_any_server_function_is_refused_as_a_bad_request(db: Db) {
            let Some(app) = common::spawn_app(db).await else { return };
            // Every server function the app registers, whatever it is.
            let paths: Vec<(String, String)> = leptos::server_fn::axum::server_fn_paths().map(|(p, m)| (p.to_string(), m.to_string())).collect();
            assert!(paths.len() >= 5, "{paths:?}");
            let mut checked = 0;
            let bodies = [("application/json", "{\"not\": [the arguments"), ("application/x-www-form-urlencoded", "%%%&&==%zz"), ("application/json", "[1, 2, 3]")];
            for (path, method) in &paths {
                // A function without arguments has nothing to misread: it may answer (never a 5xx).
                let empty = app.client.post(format!("{}{path}", app.base)).header("origin", &app.base).header("content-type", "application/x-www-form-urlencoded").header("accept", "application/json").body("").send().await.expect("request");
                let takes_arguments = empty.status().as_u16() != 200;
                for (content_type, body) in bodies {
                    let req = if method == "GET" {
                        app.client.get(format!("{}{path}?%%%=%zz&x[=1", app.base))
                    } else {
                        app.client.post(format!("{}{path}", app.base)).header("content-type", content_type).body(body)
                    };
                    let res = req.header("origin", &app.base).header("accept", "application/json").send().await.expect("request");
                    let status = res.status().as_u16();
                    let text = res.text().await.expect("body");
                    let expected = if takes_arguments { (400..500).contains(&status) } else { status < 500 };
                    assert!(expected, "{method} {path} with {content_type} garbage: {status} {text}");
                    assert!(!text.contains("panicked") && !text.contains("sqlx"), "{text}");
                    checked += usize::from(takes_arguments);
                }
            }
            assert!(checked >= 3 * 5, "most server functions take arguments: {checked}");
        }
    }
}
