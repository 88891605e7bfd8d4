//! `vigil responses export`: the collected answers leave Vigil for analysis
//! without identities, in the layout `vigil analyze` reads, with a codebook;
//! on SQLite and PostgreSQL.

use crate::common;

use std::process::{Command, Output};

fn vigil(args: &[&str], database_url: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vigil"))
        .args(args)
        .env("DATABASE_URL", database_url)
        .env("VIGIL_LOG", "error")
        .env("VIGIL_BANKS_DIR", vigil::catalog::Catalog::shipped_dir())
        .output()
        .expect("run vigil")
}

on_both_databases! {
    async fn the_psychologist_reads_one_session_by_its_pseudonym_with_the_adaptive_trace(db: Db) {
        let Some(app) = common::spawn_app(db).await else { return };
        let catalog = vigil::catalog::Catalog::load(&vigil::catalog::Catalog::shipped_dir()).expect("banks");
        let credentials = tempfile::tempdir().expect("dir");
        vigil::demo::seed(&app.db.store, &catalog, &credentials.path().join("demo.txt")).await.expect("seed");
        let demo = app.db.store.organisation_by_slug("demo").await.expect("q").expect("demo");
        let hash = vigil::passwords::hash_password(common::web::PASSWORD).expect("hash");
        app.db.store
            .create_user(&vigil::store::NewUser { org_id: &demo.id, email: "pat2@demo.vigil.test", display_name: "Pat", role: vigil::store::Role::Psychologist, password_hash: Some(&hash) })
            .await
            .expect("psychologist");
        let psychologist = common::web::login(&app, "pat2@demo.vigil.test").await;
        let (status, _, sessions) = common::web::get(&app, Some(&psychologist), "/instruments/svi/1.1.0/sessions.csv").await;
        assert_eq!(status, 200);
        let respondent = sessions.lines().nth(1).and_then(|l| l.split(',').next()).expect("a session").to_string();
        let (status, _, body) = common::web::get(&app, Some(&psychologist), &format!("/instruments/svi/1.1.0/sessions/{respondent}")).await;
        assert_eq!(status, 200, "{body}");
        let doc: serde_json::Value = serde_json::from_str(&body).expect("json");
        assert_eq!(doc["respondent"], respondent.as_str());
        let answers = doc["answers"].as_array().expect("answers");
        let trace = doc["adaptive"]["trace"].as_array().expect("the adaptive trace");
        assert!(!trace.is_empty() && trace.len() < answers.len() + 1, "{} steps, {} answers", trace.len(), answers.len());
        assert!(trace.iter().all(|s| s["theta"].is_number() && s["se"].is_number()));
        assert!(doc["validity"]["status"].is_string() && doc["scales"].as_array().is_some_and(|s| s.iter().all(|x| x["method"] == "irt_adaptive")));
        for name in vigil::demo::demo_names() {
            assert!(!body.contains(name), "{name}");
        }
        assert!(!body.contains('@'), "no address");
        // Another organisation's psychologist does not find it.
        common::web::people(&app).await;
        let other = common::web::login(&app, common::web::PSYCHOLOGIST_A).await;
        assert_eq!(common::web::get(&app, Some(&other), &format!("/instruments/svi/1.1.0/sessions/{respondent}")).await.0, 404);
    }

    async fn a_psychologist_downloads_the_files_and_each_download_is_audited(db: Db) {
        let Some(app) = common::spawn_app(db).await else { return };
        let p = common::web::people(&app).await;
        let psychologist = common::web::login(&app, common::web::PSYCHOLOGIST_A).await;
        let (status, _, page) = common::web::get(&app, Some(&psychologist), "/instruments").await;
        assert_eq!(status, 200);
        assert!(page.contains("href=\"/instruments/svi/1.1.0/responses.csv\"") && !page.contains("/instruments/pulse/1.0.0/responses.csv"), "the pulse is group-only: its answers are never exported");
        let (status, _, book) = common::web::get(&app, Some(&psychologist), "/instruments/svi/1.1.0/codebook.json").await;
        assert_eq!(status, 200);
        assert!(book.contains("vigil.codebook/1"));
        let (status, _, csv) = common::web::get(&app, Some(&psychologist), "/instruments/svi/1.1.0/responses.csv").await;
        assert_eq!(status, 200);
        assert!(csv.starts_with("respondent,"), "{csv}");
        assert_eq!(common::web::get(&app, Some(&psychologist), "/instruments/svi/1.1.0/names.csv").await.0, 404);
        assert_eq!(common::web::get(&app, Some(&psychologist), "/instruments/pulse/1.0.0/responses.csv").await.0, 422);
        let recruiter = common::web::login(&app, common::web::RECRUITER_A).await;
        assert_eq!(common::web::get(&app, Some(&recruiter), "/instruments/svi/1.1.0/responses.csv").await.0, 403, "recruiters never see item-level data");
        let audit = app.db.store.audit_log(&p.org_a, 100).await.expect("audit");
        assert_eq!(audit.iter().filter(|e| e.action == "responses.exported").count(), 2);
    }

    async fn the_demo_answers_leave_without_identities_and_analyze_reads_them(db: Db) {
        let Some(t) = common::TestDb::new(db).await else { return };
        let catalog = vigil::catalog::Catalog::load(&vigil::catalog::Catalog::shipped_dir()).expect("banks");
        let credentials = tempfile::tempdir().expect("dir");
        vigil::demo::seed(&t.store, &catalog, &credentials.path().join("demo.txt")).await.expect("seed");
        let url = t.url.expose().to_string();
        let out_dir = tempfile::tempdir().expect("dir");
        let out = out_dir.path().to_str().expect("path");

        let res = vigil(&["responses", "export", "--org", "demo", "--bank", "svi@1.0.0", "--out", out], &url);
        assert!(res.status.success(), "{}", String::from_utf8_lossy(&res.stderr));
        assert!(String::from_utf8_lossy(&res.stdout).contains(&format!("{} completed sessions", vigil::demo::DEMO_CANDIDATES)));
        let read = |name: &str| std::fs::read_to_string(out_dir.path().join(name)).expect(name);
        let (responses, sessions, codebook_csv, codebook_json) = (read("responses.csv"), read("sessions.csv"), read("codebook.csv"), read("codebook.json"));

        // No name, no e-mail address, no session id anywhere.
        let session_ids = {
            let org = t.store.organisation_by_slug("demo").await.expect("q").expect("demo");
            let mut ids = Vec::new();
            for c in t.store.campaigns_of(&org.id).await.expect("campaigns") {
                ids.extend(t.store.completed_sessions(&org.id, &c.id).await.expect("sessions"));
            }
            ids
        };
        assert!(!responses.contains('@') && !sessions.contains('@'), "an address in the data");
        for file in [&responses, &sessions, &codebook_csv, &codebook_json] {
            for name in ["Avery Lindqvist", "Bilal Rahman", "Yara Silva", "candidates.demo.vigil.test"] {
                assert!(!file.contains(name), "{name} in an export");
            }
            for id in &session_ids {
                assert!(!file.contains(id.as_str()), "a session id in an export");
            }
        }

        // One row per completed session, pseudonyms that differ, the same in both files.
        let rows: Vec<&str> = responses.lines().skip(1).collect();
        assert_eq!(rows.len(), vigil::demo::DEMO_CANDIDATES);
        let pseudonyms: std::collections::BTreeSet<&str> = rows.iter().filter_map(|r| r.split(',').next()).collect();
        assert_eq!(pseudonyms.len(), rows.len());
        assert!(pseudonyms.iter().all(|p| p.starts_with("p-") && p.len() == 18), "{pseudonyms:?}");
        let meta: Vec<&str> = sessions.lines().skip(1).collect();
        assert_eq!(meta.len(), rows.len());
        assert!(meta.iter().all(|m| pseudonyms.contains(m.split(',').next().unwrap_or("")) && m.contains(vigil::demo::DEMO_FULL_CAMPAIGN)));
        assert!(meta.iter().all(|m| ["ok", "caution", "invalid"].iter().any(|v| m.ends_with(v))), "{sessions}");

        // `vigil analyze` reads it as it is.
        let bank = vigil::catalog::Catalog::shipped_dir().join("svi/1.0.0.toml");
        let analyzed = vigil(&["analyze", "--bank", bank.to_str().expect("path"), "--responses", &out_dir.path().join("responses.csv").display().to_string()], &url);
        assert!(analyzed.status.success(), "{}", String::from_utf8_lossy(&analyzed.stderr));
        let report: serde_json::Value = serde_json::from_slice(&analyzed.stdout).expect("analysis json");
        assert!(report.to_string().contains("security_motivation"));
        // The exported analysis is exactly what `vigil analyze` computes on the exported answers.
        let exported: serde_json::Value = serde_json::from_str(&read("analysis.json")).expect("analysis.json");
        assert_eq!(exported, report);
        assert_eq!(exported["sessions"].as_u64(), Some(vigil::demo::DEMO_CANDIDATES as u64));

        // The codebook: every item, its scale, keying and value labels.
        let svi = catalog.get("svi", "1.0.0").expect("svi");
        let book: serde_json::Value = serde_json::from_str(&codebook_json).expect("json");
        assert_eq!(book["items"].as_array().map(Vec::len), Some(svi.bank.items().len()));
        let first = &book["items"][0];
        assert_eq!(first["instrument"], "svi");
        assert!(first["values"].as_array().is_some_and(|v| v.len() == 5 && v[0]["label"]["en"].is_string()), "{first}");
        assert_eq!(codebook_csv.lines().count(), svi.bank.items().len() + 1);
        assert!(codebook_csv.contains("1=Strongly disagree"), "{codebook_csv}");
    }

    async fn group_only_banks_and_unknown_banks_are_refused_clearly(db: Db) {
        let Some(t) = common::TestDb::new(db).await else { return };
        let url = t.url.expose().to_string();
        t.store.create_organisation("Acme", "acme", false).await.expect("org");
        let dir = tempfile::tempdir().expect("dir");
        let out = dir.path().join("x");
        for (bank, needle) in [("pulse@1.0.0", "groups of at least five"), ("svi@9.9.9", "no bank version svi@9.9.9"), ("svi", "instrument@version")] {
            let res = vigil(&["responses", "export", "--org", "acme", "--bank", bank, "--out", out.to_str().expect("path")], &url);
            let stderr = String::from_utf8_lossy(&res.stderr);
            assert_eq!(res.status.code(), Some(1), "{bank}: {stderr}");
            assert!(stderr.contains(needle) && !stderr.contains("panicked"), "{bank}: {stderr}");
        }
        assert!(!out.exists(), "nothing written");
        let res = vigil(&["responses", "export", "--org", "nobody", "--bank", "svi@1.0.0", "--out", out.to_str().expect("path")], &url);
        assert!(String::from_utf8_lossy(&res.stderr).contains("no organisation"), "{}", String::from_utf8_lossy(&res.stderr));
    }
}
