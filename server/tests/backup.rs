//! The restore drill, on SQLite and PostgreSQL: Vigil serves and takes
//! answers; a backup is taken while answers keep coming; it is restored
//! into a fresh database, which then holds exactly what the manifest says
//! (every table's rows and content checksum), and serves: a staff session
//! of the original works on the restored copy. A damaged file or a
//! non-empty target is refused and nothing is restored.

use crate::common;

use std::sync::{
    atomic::{AtomicBool, AtomicUsize, Ordering},
    Arc,
};

use common::web;
use vigil::{
    backup::{backup, manifest_path, restore},
    store::{AnswerInput, NewCampaign, NewInvitation, NewSession, Store},
};

on_both_databases! {
    async fn a_backup_taken_under_load_restores_completely_and_serves(db: Db) {
        let Some(app) = common::spawn_app(db).await else { return };
        let people = web::people(&app).await;
        let admin = web::login(&app, web::ADMIN_A).await;
        let s = app.db.store.clone();
        let battery = serde_json::json!({ "instruments": [{ "instrument": "svi", "version": "1.0.0" }] }).to_string();
        let campaign = s
            .create_campaign(&NewCampaign { org_id: &people.org_a, name: "Drill", role_family: "it", battery: &battery, time_limit_minutes: None, adaptive: false, candidate_feedback: false, invitation_ttl_days: 14, created_by: None, reminder_days: None, link_base: None })
            .await
            .expect("campaign")
            .id;
        let invitation = s
            .create_invitation(&NewInvitation { org_id: &people.org_a, campaign_id: &campaign, candidate_name: Some("Dora Drill"), candidate_email: None, language: "en", token_hash: "drill", expires_at: i64::MAX / 2, created_by: None })
            .await
            .expect("invitation")
            .invitation_id;
        let session = s.start_session(&NewSession { org_id: &people.org_a, campaign_id: &campaign, invitation_id: &invitation, notice_version: "n", language: "en", seed: 1, deadline_at: None }).await.expect("session");
        // Answers keep coming while the backup is taken.
        let (stop, saved) = (Arc::new(AtomicBool::new(false)), Arc::new(AtomicUsize::new(0)));
        let load = {
            let (s, session, stop, saved) = (s.clone(), session.clone(), stop.clone(), saved.clone());
            tokio::spawn(async move {
                let mut n = 0i64;
                while !stop.load(Ordering::Relaxed) {
                    n += 1;
                    let item = format!("svi-mot-{:02}", (n % 10) + 1);
                    let input = AnswerInput { session_id: &session, instrument: "svi", item_id: &item, value: "3", latency_ms: Some(900), client_seq: n, answers_before: None };
                    s.save_answers(std::slice::from_ref(&input)).await.expect("saved");
                    saved.fetch_add(1, Ordering::Relaxed);
                    tokio::task::yield_now().await;
                }
            })
        };
        common::eventually("some answers saved before the backup", || async { (saved.load(Ordering::Relaxed) >= 5).then_some(()) }).await;
        let dir = tempfile::tempdir().expect("dir");
        let file = dir.path().join("vigil.backup");
        let manifest = backup(&app.db.url, &file).await.expect("backup");
        stop.store(true, Ordering::Relaxed);
        load.await.expect("load");
        assert!(manifest_path(&file).is_file());
        assert!(manifest.tables.iter().any(|t| t.table == "answers" && t.rows >= 1), "{:?}", manifest.tables);
        assert!(manifest.tables.iter().any(|t| t.table == "users" && t.rows == 6), "the people of common::web, one per role in A: {:?}", manifest.tables);

        // Restored into a fresh database: exactly the manifest, and it serves.
        let (fresh, _keep) = common::fresh_database_url(db).await.expect("fresh database");
        restore(&fresh, &file).await.expect("restore");
        let restored = Store::open(&fresh).await.expect("the restored database opens");
        assert_eq!(restored.table_sums().await.expect("sums"), manifest.tables, "every table's rows and content");
        let site = tempfile::tempdir().expect("site");
        let listener = vigil::http::bind("127.0.0.1:0".parse().expect("addr")).await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        let catalog = vigil::catalog::Catalog::load(&vigil::catalog::Catalog::shipped_dir()).expect("banks");
        tokio::spawn(vigil::http::serve(listener, vigil::http::router_with(restored, catalog, site.path(), addr, vigil::http::HttpOptions::default())));
        let res = app.client.get(format!("http://{addr}/admin/users")).header("cookie", &admin).send().await.expect("get");
        assert_eq!(res.status(), 200, "the administrator's session works on the restored copy");
        assert!(res.text().await.expect("body").contains("Rae Recruiter"));

        // A second restore into the same (no longer empty) database is refused.
        let again = restore(&fresh, &file).await.expect_err("not empty");
        assert!(again.to_string().contains("not empty"), "{again}");
        // A damaged file is refused before anything is touched.
        let (other, _keep2) = common::fresh_database_url(db).await.expect("fresh database");
        let mut bytes = std::fs::read(&file).expect("read");
        let last = bytes.len() - 1;
        bytes[last] ^= 0xff;
        std::fs::write(&file, bytes).expect("write");
        let damaged = restore(&other, &file).await.expect_err("damaged");
        assert!(damaged.to_string().contains("does not match its manifest"), "{damaged}");
        assert!(Store::connect(&other).await.expect("connect").has_no_tables().await.expect("q"), "nothing restored");
    }
}
