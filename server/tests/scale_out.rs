//! Several `vigil serve` processes on one PostgreSQL: limits that protect
//! the service hold across all of them. (Two servers here, each with a
//! store of its own, as two processes have; on SQLite one process serves,
//! and its counters stay in memory, see `candidate.rs`.)

use crate::common;

use vigil::http::{HttpOptions, RATE_LIMITED_LINKS};

/// A second server on the same database, as another process would be.
async fn second_server(url: &vigil::config::DatabaseUrl) -> (String, tempfile::TempDir) {
    let store = vigil::store::Store::open(url).await.expect("a second store on the same database");
    let (store, _) = store.with_secret_key(common::test_secret_key()).await.expect("the same key");
    let site = tempfile::tempdir().expect("site folder");
    let listener = vigil::http::bind("127.0.0.1:0".parse().expect("addr")).await.expect("bind port 0");
    let addr = listener.local_addr().expect("local addr");
    let catalog = vigil::catalog::Catalog::load(&vigil::catalog::Catalog::shipped_dir()).expect("shipped banks");
    let router = vigil::http::router_with(store, catalog, site.path(), addr, HttpOptions::default());
    tokio::spawn(vigil::http::serve(listener, router));
    (format!("http://{addr}"), site)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_invitation_link_limit_holds_across_two_servers_on_postgresql() {
    let Some(app) = common::spawn_app(common::Db::Postgres).await else { return };
    let (other, _site) = second_server(&app.db.url).await;
    let status = |base: String, n: u32| {
        let client = app.client.clone();
        async move { client.get(format!("{base}/take/UnknownToken{n:020}")).send().await.expect("open").status().as_u16() }
    };
    // The failures alternate between the two servers: each saw only half of them.
    for n in 0..RATE_LIMITED_LINKS {
        let base = if n % 2 == 0 { app.base.clone() } else { other.clone() };
        assert_eq!(status(base, n).await, 404, "failure {n} is still answered");
    }
    assert_eq!(status(app.base.clone(), 1_000).await, 429, "the next failure on the first server waits");
    assert_eq!(status(other.clone(), 1_001).await, 429, "and on the second");
}
