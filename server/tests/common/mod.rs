//! Test support: a fresh database per test (a SQLite file in a temporary
//! folder, or a new database in the throwaway PostgreSQL cluster that
//! `make test` starts) and the real server on port 0.

#![allow(dead_code)]

use std::{net::SocketAddr, path::PathBuf};

use vigil::{config::DatabaseUrl, store::Store};

pub mod candidate;
pub mod process;
pub mod sessions;
pub mod smtp;
pub mod web;

/// The secret key of every test database and every `vigil serve` a test
/// starts (test data only: a real key is random, `vigil secret-key new`).
pub const TEST_SECRET_KEY: &str = "7e57000000000000000000000000000000000000000000000000000000007e57";

pub fn test_secret_key() -> vigil::sealing::SecretKey {
    vigil::sealing::SecretKey::parse(TEST_SECRET_KEY).expect("the test key")
}

/// Which database a test runs against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Db {
    Sqlite,
    Postgres,
}

/// A fresh, migrated database that lives as long as this value.
pub struct TestDb {
    pub store: Store,
    pub url: DatabaseUrl,
    _dir: Option<tempfile::TempDir>,
}

/// The admin URL of the test PostgreSQL cluster, or `None` to skip.
/// `make test` sets VIGIL_REQUIRE_POSTGRES=1, which turns a missing cluster into a failure.
pub fn postgres_admin_url() -> Option<String> {
    match std::env::var("VIGIL_TEST_POSTGRES_URL") {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            assert!(
                std::env::var("VIGIL_REQUIRE_POSTGRES").is_err(),
                "VIGIL_REQUIRE_POSTGRES is set but VIGIL_TEST_POSTGRES_URL is not: the PostgreSQL cluster did not start"
            );
            eprintln!("skipped: VIGIL_TEST_POSTGRES_URL is not set (make test sets it)");
            None
        }
    }
}

/// A new, empty, unmigrated database URL of the given kind.
pub async fn fresh_database_url(db: Db) -> Option<(DatabaseUrl, Option<tempfile::TempDir>)> {
    match db {
        Db::Sqlite => {
            let dir = tempfile::tempdir().expect("temporary folder");
            let url = format!("sqlite://{}", dir.path().join("vigil.db").display());
            Some((url.parse().expect("sqlite url"), Some(dir)))
        }
        Db::Postgres => {
            let admin = postgres_admin_url()?;
            let name = format!("vigil_test_{}", uuid::Uuid::new_v4().simple());
            sqlx::any::install_default_drivers();
            let connect = <sqlx::AnyConnection as sqlx::Connection>::connect(&admin);
            let mut conn = tokio::time::timeout(std::time::Duration::from_secs(30), connect)
                .await
                .expect("the test cluster answers within 30 s")
                .expect("connect to the test cluster");
            sqlx::query(&format!("CREATE DATABASE {name}")).execute(&mut conn).await.expect("create test database");
            let base = admin.rsplit_once('/').map(|(b, _)| b).unwrap_or(&admin);
            Some((format!("{base}/{name}").parse().expect("postgres url"), None))
        }
    }
}

impl TestDb {
    /// A migrated database with the test secret key, or `None` when
    /// PostgreSQL is not available (skip).
    pub async fn new(db: Db) -> Option<TestDb> {
        let (url, dir) = fresh_database_url(db).await?;
        let store = Store::open(&url).await.expect("open and migrate the test database");
        // On PostgreSQL the application connects as an ordinary role, as in
        // production, so every test runs behind the row-level-security wall
        // between organisations; `url` stays the administrator's, for the
        // tests' own raw look-ups and changes.
        let store = match db {
            Db::Sqlite => store,
            Db::Postgres => {
                store.close().await;
                Store::connect(&application_role(&url).await).await.expect("connect as the application role")
            }
        };
        let (store, _) = store.with_secret_key(test_secret_key()).await.expect("the test key");
        Some(TestDb { store, url, _dir: dir })
    }
}

/// The test cluster's ordinary role (no superuser, no BYPASSRLS), allowed
/// to use this database's tables; the database's address for it.
pub async fn application_role(url: &DatabaseUrl) -> DatabaseUrl {
    sqlx::any::install_default_drivers();
    let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(url.expose()).await.expect("connect as the administrator");
    let create = "DO $$ BEGIN CREATE ROLE vigil_app LOGIN PASSWORD 'vigil-app' NOSUPERUSER NOBYPASSRLS; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$";
    for sql in [create, "GRANT USAGE, CREATE ON SCHEMA public TO vigil_app", "GRANT ALL ON ALL TABLES IN SCHEMA public TO vigil_app", "GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO vigil_app"] {
        sqlx::query(sql).execute(&mut conn).await.expect(sql);
    }
    let raw = url.expose();
    let (scheme, rest) = raw.split_once("://").expect("scheme");
    let host = rest.rsplit_once('@').map_or(rest, |(_, h)| h);
    format!("{scheme}://vigil_app:vigil-app@{host}").parse().expect("application url")
}

/// The real HTTP server on a free port.
pub struct TestApp {
    pub addr: SocketAddr,
    pub base: String,
    pub db: TestDb,
    pub client: reqwest::Client,
    _site: tempfile::TempDir,
}

pub async fn spawn_app(db: Db) -> Option<TestApp> {
    spawn_app_with(db, vigil::http::HttpOptions::default()).await
}

/// The real HTTP server on a free port, with the given options (e.g. trusted proxies).
pub async fn spawn_app_with(db: Db, options: vigil::http::HttpOptions) -> Option<TestApp> {
    let db = TestDb::new(db).await?;
    let site = tempfile::tempdir().expect("site folder");
    let listener = vigil::http::bind("127.0.0.1:0".parse().expect("addr")).await.expect("bind port 0");
    let addr = listener.local_addr().expect("local addr");
    let catalog = vigil::catalog::Catalog::load(&vigil::catalog::Catalog::shipped_dir()).expect("shipped banks");
    let router = vigil::http::router_with(db.store.clone(), catalog, &PathBuf::from(site.path()), addr, options);
    tokio::spawn(vigil::http::serve(listener, router));
    // A stuck request fails the test instead of hanging the whole run.
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(std::time::Duration::from_secs(60))
        .build()
        .expect("client");
    Some(TestApp { addr, base: format!("http://{addr}"), db, client, _site: site })
}

/// A second HTTP server on an existing store (for example one connected as
/// another database role), over the same database.
pub async fn serve_store(store: Store, url: DatabaseUrl) -> TestApp {
    let site = tempfile::tempdir().expect("site folder");
    let listener = vigil::http::bind("127.0.0.1:0".parse().expect("addr")).await.expect("bind port 0");
    let addr = listener.local_addr().expect("local addr");
    let catalog = vigil::catalog::Catalog::load(&vigil::catalog::Catalog::shipped_dir()).expect("shipped banks");
    let router = vigil::http::router_with(store.clone(), catalog, &PathBuf::from(site.path()), addr, vigil::http::HttpOptions::default());
    tokio::spawn(vigil::http::serve(listener, router));
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).timeout(std::time::Duration::from_secs(60)).build().expect("client");
    TestApp { addr, base: format!("http://{addr}"), db: TestDb { store, url, _dir: None }, client, _site: site }
}

/// Runs the same async test body on SQLite and on PostgreSQL, as two tests.
#[macro_export]
macro_rules! on_both_databases {
    ($(async fn $name:ident($db:ident: Db) $body:block)*) => {
        mod sqlite {
            #[allow(unused_imports)]
            use super::*;
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)] async fn $name() { super::$name(common::Db::Sqlite).await })*
        }
        mod postgres {
            #[allow(unused_imports)]
            use super::*;
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)] async fn $name() { super::$name(common::Db::Postgres).await })*
        }
        $(async fn $name($db: common::Db) $body)*
    };
}

/// Waits for a condition: calls `check` until it gives `Some`, and returns
/// that. Between checks it pauses a little longer each time (1 ms doubling
/// to at most 100 ms); it gives up, failing with `what`, only after a
/// generous two minutes. A loaded machine makes it wait longer, never fail.
pub async fn eventually<T, F, Fut>(what: &str, check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    eventually_within(what, std::time::Duration::from_secs(120), check).await
}

/// Waits until the job is as `wanted` says: up to 5 minutes, since a job
/// whose process died waits for its 60 s lease to run out.
pub async fn job_when(store: &Store, id: &str, what: &str, wanted: impl Fn(&vigil::store::JobRow) -> bool) -> vigil::store::JobRow {
    eventually_within(&format!("the job {what}"), std::time::Duration::from_secs(300), || async {
        let job = store.job_by_id(id).await.expect("q").expect("the job");
        wanted(&job).then_some(job)
    })
    .await
}

/// [`eventually`] with another limit, for what is known to take long (a
/// job lease of 60 s running out).
pub async fn eventually_within<T, F, Fut>(what: &str, limit: std::time::Duration, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let deadline = tokio::time::Instant::now() + limit;
    let mut pause = std::time::Duration::from_millis(1);
    loop {
        if let Some(value) = check().await {
            return value;
        }
        assert!(tokio::time::Instant::now() < deadline, "gave up waiting: {what}");
        tokio::time::sleep(pause).await;
        pause = (pause * 2).min(std::time::Duration::from_millis(100));
    }
}

/// Posts a body over a raw connection, reading the answer while still
/// writing: a server may answer (413) and close before a large body is
/// sent, which an HTTP client reports as a broken pipe instead of the answer.
pub async fn raw_post(app: &TestApp, path: &str, headers: &[(&str, &str)], body: &[u8]) -> (u16, String) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let stream = tokio::net::TcpStream::connect(app.addr).await.expect("connect");
    let (mut read, mut write) = stream.into_split();
    let mut head = format!("POST {path} HTTP/1.1\r\nHost: {}\r\nContent-Length: {}\r\nConnection: close\r\n", app.addr, body.len());
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    let body = body.to_vec();
    let writer = tokio::spawn(async move {
        let _ = write.write_all(head.as_bytes()).await;
        let _ = write.write_all(&body).await;
    });
    let mut answer = Vec::new();
    let _ = read.read_to_end(&mut answer).await;
    writer.abort();
    let text = String::from_utf8_lossy(&answer).to_string();
    let status = text.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    (status, text)
}
