//! An answer the server acknowledged survives the server process being
//! killed with SIGKILL: the real `vigil` binary, killed mid-assessment and
//! restarted on the same database.

use crate::common;

use std::process::Command;

use common::process::{free_port, Server};

/// Starts `vigil serve --demo` and waits until /healthz answers.
async fn start(url: &str, site: &std::path::Path, port: u16) -> Server {
    common::process::start(url, site, port, &["--demo"]).await
}

fn invite(url: &str, base: &str) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_vigil"))
        .args(["invite", "--org", "demo", "--campaign", vigil::demo::DEMO_FULL_CAMPAIGN, "--base-url", base])
        .env("DATABASE_URL", url)
        .env("VIGIL_LOG", "error")
        .output()
        .expect("vigil invite");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

on_both_databases! {
    async fn acknowledged_answers_survive_sigkill(db: Db) {
        let Some((url, _dir)) = common::fresh_database_url(db).await else { return };
        let site = common::process::site();
        let port = free_port();
        let mut server = start(url.expose(), site.path(), port).await;
        let link = invite(url.expose(), &server.base);
        let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client");
        let opened = client.get(&link).send().await.expect("open");
        let cookie = opened.headers()["set-cookie"].to_str().expect("cookie").split(';').next().expect("pair").to_string();
        let post = |path: &str, form: Vec<(String, String)>| client.post(format!("{}{path}", server.base)).header("origin", &server.base).header("cookie", &cookie).form(&form).send();
        assert!(post("/assessment/start", vec![]).await.expect("start").status().is_redirection());
        // Answer items one request at a time; each acknowledged (303) answer is remembered.
        let items = ["svi-mot-01", "svi-mot-02", "svi-com-01", "svi-rul-01", "svi-vig-01", "svi-int-01"];
        let mut acknowledged = Vec::new();
        for (n, item) in items.iter().enumerate() {
            let form = vec![("page".into(), "1".into()), ("seq".into(), (n + 1).to_string()), (format!("a:svi/{item}"), "4".into())];
            let res = post("/assessment/answers", form).await.expect("answer");
            if res.status().is_redirection() {
                acknowledged.push(*item);
            }
        }
        assert_eq!(acknowledged.len(), items.len());
        // No graceful anything: SIGKILL.
        server.child.kill().expect("SIGKILL");
        server.child.wait().expect("reaped");
        let mut restarted = start(url.expose(), site.path(), port).await;
        let store = vigil::store::Store::connect(&url).await.expect("store");
        let org = store.organisation_by_slug("demo").await.expect("q").expect("demo org");
        let sessions: Vec<String> = {
            sqlx::any::install_default_drivers();
            let pool = sqlx::AnyPool::connect(url.expose()).await.expect("pool");
            sqlx::query_scalar("SELECT id FROM assessment_sessions WHERE org_id = $1 AND status = 'in_progress'").bind(&org.id).fetch_all(&pool).await.expect("sessions")
        };
        assert_eq!(sessions.len(), 1);
        let stored = store.answers_of(&sessions[0]).await.expect("answers");
        for item in acknowledged {
            assert!(stored.iter().any(|a| a.item_id == item && a.value == "4"), "{item} was acknowledged but is missing after SIGKILL");
        }
        // And the candidate resumes: the same cookie still works after the restart.
        let page = client.get(format!("{}/assessment", restarted.base)).header("cookie", &cookie).send().await.expect("resume");
        assert_eq!(page.status(), 200);
        restarted.child.kill().expect("stop");
        let _ = restarted.child.wait();
    }
}
