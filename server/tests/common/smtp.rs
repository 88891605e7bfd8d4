//! A real SMTP server for the e-mail tests: Python's aiosmtpd from Debian
//! (which `make test` installs), writing what it receives into a maildir.

use std::{path::Path, process::Stdio};

/// aiosmtpd writing every message it receives into a maildir; `None` (skip) when not installed.
pub struct SmtpServer {
    child: std::process::Child,
    pub port: u16,
    pub maildir: tempfile::TempDir,
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub async fn smtp_server() -> Option<SmtpServer> {
    let python = "/usr/bin/python3";
    let installed = std::process::Command::new(python).args(["-c", "import aiosmtpd"]).stderr(Stdio::null()).status().is_ok_and(|s| s.success());
    if !installed {
        assert!(std::env::var("VIGIL_REQUIRE_SMTP").is_err(), "VIGIL_REQUIRE_SMTP is set but aiosmtpd is not installed (apt-get install python3-aiosmtpd)");
        eprintln!("skipping: aiosmtpd is not installed");
        return None;
    }
    let port = std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("free port").port();
    let maildir = tempfile::tempdir().expect("maildir");
    let child = std::process::Command::new(python)
        .args(["-m", "aiosmtpd", "-n", "-l", &format!("127.0.0.1:{port}"), "-c", "aiosmtpd.handlers.Mailbox"])
        .arg(maildir.path().join("mail"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start aiosmtpd");
    super::eventually("aiosmtpd listening", || async { tokio::net::TcpStream::connect(("127.0.0.1", port)).await.ok().map(|_| ()) }).await;
    Some(SmtpServer { child, port, maildir })
}

/// Every message the SMTP server stored.
pub fn received(maildir: &Path) -> Vec<String> {
    let dir = maildir.join("mail").join("new");
    let mut out: Vec<String> = std::fs::read_dir(&dir).map(|d| d.filter_map(|e| e.ok()).filter_map(|e| std::fs::read_to_string(e.path()).ok()).collect()).unwrap_or_default();
    out.sort();
    out
}
