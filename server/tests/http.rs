//! The HTTP surface: health, pages, headers, request ids, server functions.

mod common;

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
