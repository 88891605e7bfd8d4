//! The real `vigil` binary as a server process, for tests that kill it.

use std::{
    net::TcpListener,
    process::{Child, Command, Stdio},
};

pub struct Server {
    pub child: Child,
    pub base: String,
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("free port")
}

/// A site folder with an empty front-end bundle (what `serve` checks for).
pub fn site() -> tempfile::TempDir {
    let site = tempfile::tempdir().expect("site");
    std::fs::create_dir_all(site.path().join("pkg")).expect("pkg");
    for f in ["vigil.js", "vigil_bg.wasm", "vigil.css"] {
        std::fs::write(site.path().join("pkg").join(f), b"").expect("bundle file");
    }
    site
}

/// Starts `vigil serve` (with `extra` arguments) and waits until /healthz answers.
pub async fn start(url: &str, site: &std::path::Path, port: u16, extra: &[&str]) -> Server {
    let child = Command::new(env!("CARGO_BIN_EXE_vigil"))
        .args(["serve", "--listen", &format!("127.0.0.1:{port}"), "--site-root", &site.to_string_lossy()])
        .args(extra)
        .env("DATABASE_URL", url)
        .env("VIGIL_BANKS_DIR", vigil::catalog::Catalog::shipped_dir())
        .env("VIGIL_SECRET_KEY", super::TEST_SECRET_KEY)
        .env("VIGIL_DEMO_CREDENTIALS", site.join("demo-credentials.txt"))
        .env("VIGIL_LOG", "error")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start vigil");
    let base = format!("http://127.0.0.1:{port}");
    let health = format!("{base}/healthz");
    super::eventually("vigil serve answering /healthz", || async { reqwest::get(&health).await.is_ok_and(|r| r.status().is_success()).then_some(()) }).await;
    Server { child, base }
}

impl Server {
    /// This process as a test app on `db` (its database), for the helpers
    /// that drive a server over HTTP.
    pub fn app(&self, db: &super::TestDb) -> super::TestApp {
        let addr = self.base.trim_start_matches("http://").parse().expect("loopback address");
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(std::time::Duration::from_secs(60))
            .build()
            .expect("client");
        let db = super::TestDb { store: db.store.clone(), url: db.url.clone(), _dir: None };
        super::TestApp { addr, base: self.base.clone(), db, client, _site: tempfile::tempdir().expect("folder") }
    }
}

/// A test that fails part-way leaves no server running.
impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
