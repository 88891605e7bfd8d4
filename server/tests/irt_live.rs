//! IRT and adaptive scores reach the people who read them, end to end over
//! the real routes, on SQLite and PostgreSQL: a recruiter creates the
//! campaign with the form, a candidate takes it, and the profile (as the
//! JSON export carries it), the CSV and the stored records are checked
//! against what the psychometric core computes from the stored answers.

use crate::common;

use assessments::{
    adaptive::score_session,
    norms::{NormTable, Z_90},
    responses::{RawAnswer, Responses},
    scoring::normed_with_error,
};
use common::{
    candidate::{self, open, page_of, questions, seq_of, TOKEN},
    web::{self, login, people, RECRUITER_A},
    TestApp,
};
use vigil::{catalog::Catalog, secrets::secret_hash, store::NewInvitation};

/// The shipped SVI 1.1.0 and its demonstration table with theta norms.
fn svi_and_theta_norms() -> (std::sync::Arc<vigil::catalog::CatalogEntry>, NormTable) {
    let catalog = Catalog::load(&Catalog::shipped_dir()).expect("shipped banks");
    let svi = catalog.get("svi", "1.1.0").expect("svi 1.1.0");
    let table = svi.norms.iter().find(|n| !n.theta_scales.is_empty()).expect("theta norms ship").clone();
    (svi, table)
}

/// Creates a campaign through the form (SVI 1.1.0 on theta norms, the
/// demonstration parameters confirmed) and invites a candidate whose link is TOKEN.
async fn campaign_and_invitation(app: &TestApp, org: &str, recruiter: &String, extra: &[(&str, &str)]) -> (String, String) {
    let (_, table) = svi_and_theta_norms();
    let mut form = vec![("name", "IRT live"), ("role_family", "security operations"), ("instrument", "svi@1.1.0"), ("norm:svi@1.1.0", table.id.as_str()), ("confirm_demonstration", "on"), ("invitation_days", "14")];
    form.extend_from_slice(extra);
    let (status, location, body) = web::post(app, Some(recruiter), "/campaigns", &form).await;
    assert_eq!(status, 303, "{body}");
    let campaign_id = location.expect("location").trim_start_matches("/campaigns/").split('?').next().expect("id").to_string();
    let inv = app
        .db
        .store
        .create_invitation(&NewInvitation {
            org_id: org, campaign_id: &campaign_id, candidate_name: Some("Casey"), candidate_email: Some("casey@example.org"),
            language: "en", token_hash: &secret_hash(TOKEN), expires_at: vigil::time::now_ms() + 86_400_000, created_by: None,
        })
        .await
        .expect("invitation");
    (campaign_id, inv.invitation_id)
}

/// A moderate respondent takes the session page by page (one chosen
/// question per page while the CAT runs), then finishes. Returns how many
/// adaptive questions were asked.
async fn take_and_finish(app: &TestApp) -> usize {
    let cookie = open(app).await;
    candidate::post(app, &cookie, "/assessment/start", &[]).await;
    let mut asked = 0;
    for step in 0..400 {
        let (status, html) = candidate::get(app, &cookie, "/assessment").await;
        assert_eq!(status, 200, "{html}");
        if html.contains("Check and finish") {
            let res = candidate::post(app, &cookie, "/assessment/finish", &[]).await;
            assert!(res.status().is_redirection(), "{}", res.status());
            return asked;
        }
        let qs = questions(&html);
        if page_of(&html) == "0" {
            asked += 1;
        }
        let mut form = vec![("page".to_string(), page_of(&html)), ("seq".to_string(), seq_of(&html)), ("nav".to_string(), "next".to_string())];
        // Alternate "agree" and "neither" on statements; check items get their first option.
        form.extend(qs.into_iter().map(|(name, value)| if name.starts_with("a:svi/svi-") && !name.contains("chk") { (name, if step % 2 == 0 { "4".into() } else { "3".into() }) } else { (name, value) }));
        assert!(candidate::post(app, &cookie, "/assessment/answers", &form).await.status().is_redirection());
    }
    panic!("the session did not reach its review page");
}

/// The session's stored SVI answers, as the psychometric core reads them.
async fn stored_responses(app: &TestApp, org: &str, invitation: &str, bank: &assessments::bank::Bank) -> (Vec<(String, String)>, Responses) {
    let session = app.db.store.session_by_invitation(org, invitation).await.expect("q").expect("session");
    let answers = app.db.store.answers_of(&session.id).await.expect("answers");
    let mut responses = Responses::new(bank, "casey");
    let mut pairs = Vec::new();
    for a in answers.iter().filter(|a| a.instrument == "svi") {
        let value: i64 = a.value.parse().expect("a Likert value");
        responses.set(bank, &a.item_id, &RawAnswer::Value(value)).expect("a valid stored answer");
        pairs.push((a.item_id.clone(), a.value.clone()));
    }
    (pairs, responses)
}

async fn json_export(app: &TestApp, recruiter: &String, campaign: &str, invitation: &str) -> serde_json::Value {
    let (status, _, body) = web::get(app, Some(recruiter), &format!("/campaigns/{campaign}/candidates/{invitation}/export.json")).await;
    assert_eq!(status, 200, "{body}");
    serde_json::from_str(&body).expect("json")
}

/// The CSV export's header and first row, as (column, cell) pairs.
async fn csv_export(app: &TestApp, recruiter: &String, campaign: &str) -> Vec<(String, String)> {
    let (status, _, body) = web::get(app, Some(recruiter), &format!("/campaigns/{campaign}/export.csv")).await;
    assert_eq!(status, 200, "{body}");
    let mut reader = csv::Reader::from_reader(body.trim_start_matches('\u{feff}').as_bytes());
    let header = reader.headers().expect("header").clone();
    let row = reader.records().next().expect("a row").expect("a record");
    header.iter().map(str::to_string).zip(row.iter().map(str::to_string)).collect()
}

fn cell<'a>(csv: &'a [(String, String)], column: &str) -> &'a str {
    csv.iter().find(|(c, _)| c == column).map(|(_, v)| v.as_str()).unwrap_or_else(|| panic!("no column {column}"))
}

on_both_databases! {
    async fn an_adaptive_profile_has_an_irt_score_with_its_band_for_every_scale(db: Db) {
        let Some(app) = common::spawn_app(db).await else { return };
        let p = people(&app).await;
        let recruiter = login(&app, RECRUITER_A).await;
        let (campaign, invitation) = campaign_and_invitation(&app, &p.org_a, &recruiter, &[("adaptive", "on")]).await;
        let asked = take_and_finish(&app).await;
        let (svi, table) = svi_and_theta_norms();
        assert!(asked > 0 && asked < svi.bank.items().len(), "{asked} questions asked");

        // What the core computes from the stored answers.
        let (_, responses) = stored_responses(&app, &p.org_a, &invitation, &svi.bank).await;
        let expected = score_session(&svi.bank, &responses).expect("EAP");
        assert_eq!(expected.len(), svi.bank.scales().len(), "every scale was reached");
        assert_eq!(expected.iter().map(|e| e.answered).sum::<usize>(), asked, "the IRT scores rest on exactly the items asked");

        let doc = json_export(&app, &recruiter, &campaign, &invitation).await;
        let instrument = &doc["profile"]["instruments"][0];
        assert_eq!(instrument["adaptive"], true);
        assert_eq!(instrument["demonstration_parameters"], true);
        let scales = instrument["scales"].as_array().expect("scales");
        assert_eq!(scales.len(), svi.bank.scales().len());
        let irt_record = doc["scores"].as_array().expect("scores").iter().find(|s| s["method"] == "irt").expect("the IRT record");
        for scale in scales {
            let id = scale["scale"].as_str().expect("id");
            let eap = expected.iter().find(|e| e.scale == id).expect("expected EAP");
            assert_eq!(scale["method"], "IRT (adaptive)", "{id}");
            assert!(scale["stop"].is_string(), "{id}: why the CAT stopped");
            assert_eq!(scale["answered"].as_u64(), Some(eap.answered as u64), "{id}: items asked");
            assert!(scale["answered"].as_u64() <= scale["items"].as_u64(), "{id}: no more items than the scale has");
            let want = normed_with_error(eap.theta, eap.se, table.theta_scale(id).expect("theta norms"), true);
            assert_eq!(scale["normed"]["t"].as_i64(), Some(i64::from(want.point.t)), "{id}: T from the stored answers");
            assert_eq!(scale["normed"]["t_band"], serde_json::json!(want.band90.t), "{id}");
            // The band is theta +/- 1.645 SE on the theta scale before conversion.
            let stored = irt_record["report"]["irt"].as_array().expect("irt").iter().find(|s| s["scale"] == id).expect("stored");
            let raw = &stored["normed"]["band90"]["raw"];
            let (lo, hi) = (raw[0].as_f64().expect("lo"), raw[1].as_f64().expect("hi"));
            assert!(((hi - lo) / 2.0 - Z_90 * eap.se).abs() < 1e-12, "{id}: half-width {} against 1.645 x {}", (hi - lo) / 2.0, eap.se);
            assert!((stored["theta"].as_f64().expect("theta") - eap.theta).abs() < 1e-12);
        }

        // The CSV carries the same scores with their method.
        let csv = csv_export(&app, &recruiter, &campaign).await;
        let first = &expected[0];
        assert_eq!(cell(&csv, &format!("svi.{}.method", first.scale)), "IRT (adaptive)");
        assert_eq!(cell(&csv, &format!("svi.{}.estimate", first.scale)), format!("{:.4}", first.theta));
        assert_eq!(cell(&csv, &format!("svi.{}.se", first.scale)), format!("{:.4}", first.se));
        assert!(!cell(&csv, &format!("svi.{}.t", first.scale)).is_empty() && !cell(&csv, &format!("svi.{}.stop", first.scale)).is_empty());

        // The recruiter's page says it in words.
        let (status, _, page) = web::get(&app, Some(&recruiter), &format!("/campaigns/{campaign}/candidates/{invitation}")).await;
        assert_eq!(status, 200);
        assert!(page.contains("Scored by IRT (adaptive)") && page.contains("items asked; stopped:"), "{page}");
        assert!(page.contains("Demonstration IRT parameters - not for decisions"));
        let (_, _, print) = web::get(&app, Some(&recruiter), &format!("/campaigns/{campaign}/candidates/{invitation}/print")).await;
        assert!(print.contains("Demonstration IRT parameters - not for decisions") && print.contains("Scored by IRT (adaptive)"));
    }

    async fn a_full_form_scored_by_irt_matches_vigil_score_on_the_same_answers(db: Db) {
        let Some(app) = common::spawn_app(db).await else { return };
        let p = people(&app).await;
        let recruiter = login(&app, RECRUITER_A).await;
        let (campaign, invitation) = campaign_and_invitation(&app, &p.org_a, &recruiter, &[("scoring:svi@1.1.0", "irt")]).await;
        assert_eq!(take_and_finish(&app).await, 0, "a full form has no adaptive questions");
        let (svi, table) = svi_and_theta_norms();
        let (pairs, _) = stored_responses(&app, &p.org_a, &invitation, &svi.bank).await;

        // The same answers through `vigil score` with the same norm table.
        let dir = tempfile::tempdir().expect("dir");
        let (csv_path, norms_path) = (dir.path().join("answers.csv"), dir.path().join("norms.toml"));
        let header: Vec<&str> = std::iter::once("respondent").chain(pairs.iter().map(|(id, _)| id.as_str())).collect();
        let row: Vec<&str> = std::iter::once("casey").chain(pairs.iter().map(|(_, v)| v.as_str())).collect();
        std::fs::write(&csv_path, format!("{}\n{}\n", header.join(","), row.join(","))).expect("csv");
        std::fs::write(&norms_path, table.to_toml().expect("toml")).expect("norms");
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_vigil"))
            .args(["score", "--bank"])
            .arg(Catalog::shipped_dir().join("svi/1.1.0.toml"))
            .arg("--norms")
            .arg(&norms_path)
            .arg("--responses")
            .arg(&csv_path)
            .args(["--format", "json"])
            .env("VIGIL_LOG", "error")
            .output()
            .expect("run vigil score");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let cli: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
        let cli_irt = cli[0]["irt"].as_array().expect("irt scores");

        let doc = json_export(&app, &recruiter, &campaign, &invitation).await;
        let scales = doc["profile"]["instruments"][0]["scales"].as_array().expect("scales");
        let stored = doc["scores"].as_array().expect("scores").iter().find(|s| s["method"] == "irt").expect("IRT record");
        assert_eq!(doc["profile"]["instruments"][0]["adaptive"], false);
        for scale in scales {
            let id = scale["scale"].as_str().expect("id");
            assert_eq!(scale["method"], "IRT (fixed form)", "{id}");
            assert!(scale["stop"].is_null(), "no adaptive run");
            let from_cli = cli_irt.iter().find(|s| s["scale"] == id).expect("vigil score has the scale");
            let from_app = stored["report"]["irt"].as_array().expect("irt").iter().find(|s| s["scale"] == id).expect("stored");
            for field in ["theta", "se"] {
                let (a, b) = (from_app[field].as_f64().expect("app"), from_cli[field].as_f64().expect("cli"));
                assert!((a - b).abs() < 1e-6, "{id} {field}: app {a}, vigil score {b}");
            }
            assert_eq!(scale["normed"]["t"], from_cli["normed"]["t"], "{id}: the same T");
        }
    }
}
