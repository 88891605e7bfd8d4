//! The workforce survey's speed goals, measured on this machine:
//!
//! 1. a wave of 50,000 employees in 2,000 units: the whole heat map with
//!    suppression in under 300 ms (the close computes and suppresses the
//!    results once; the page reads what the close kept);
//! 2. the survey's answer save as fast as the candidate's.
//!
//! ```sh
//! cargo run --release -p server --example wave_load                     # SQLite
//! cargo run --release -p server --example wave_load -- postgres://postgres@127.0.0.1:55432/postgres
//! ```
//!
//! The structure: 10 divisions of 10 departments of 19 teams (2,110 units),
//! 50,000 employees in the teams, one team in ten under 5. The wave is
//! created through the service (50,000 personal links and e-mails), 70%
//! answer with random answers, then it is closed. The heat map is then asked
//! for over real HTTP by a signed-in security lead, 50 times. The save
//! paths are timed one by one at a steady 500 a second for 10 s each: the
//! survey's (`workforce::survey::save`) and the candidate's (the
//! group-commit writer, `Store::save_answers`).

use std::time::{Duration, Instant};

use rand::{Rng, SeedableRng};
use vigil::{
    catalog::Catalog,
    passwords::hash_password,
    staff::Caller,
    store::{AnswerInput, CurrentEmployee, NewCampaign, NewInvitation, NewSession, NewUser, Role, Store},
    workforce::{survey, waves},
};

fn summary(mut ms: Vec<f64>) -> String {
    ms.sort_by(f64::total_cmp);
    format!("p50 {:.2} ms, p99 {:.2} ms ({} timed)", percentile(&ms, 0.5), percentile(&ms, 0.99), ms.len())
}

#[path = "support/mod.rs"]
mod support;
use support::percentile;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let url = support::database_url(std::env::args().nth(1), "vigil_wave_load", dir.path()).await?;
    let store = Store::open(&url.parse()?).await?;
    let catalog = Catalog::load(&Catalog::shipped_dir())?;
    let org = store.create_organisation("Wave benchmark", &format!("wave-{}", &vigil::store::new_id()[..8]), false).await?.id;
    let password = "benchmark-password-1";
    let hash = hash_password(password)?;
    let admin = store.create_user(&NewUser { org_id: &org, email: "hr@wave.bench", display_name: "HR", role: Role::Admin, password_hash: None }).await?.id;
    store.create_user(&NewUser { org_id: &org, email: "security@wave.bench", display_name: "Security", role: Role::Security, password_hash: Some(&hash) }).await?;
    let hr = Caller { user_id: admin.clone(), org_id: org.clone(), role: app::staff::model::StaffRole::Admin, language: "en".into() };

    // The structure.
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(50_000);
    let mut units: Vec<(String, Option<String>)> = Vec::new();
    let mut teams = Vec::new();
    for d in 0..10 {
        units.push((format!("Division {d}"), None));
        for p in 0..10 {
            units.push((format!("Department {d}.{p}"), Some(format!("Division {d}"))));
            for t in 0..19 {
                let team = format!("Team {d}.{p}.{t}");
                units.push((team.clone(), Some(format!("Department {d}.{p}"))));
                teams.push(team);
            }
        }
    }
    let mut sizes: Vec<usize> = teams.iter().map(|_| if rng.random_bool(0.1) { rng.random_range(1..5) } else { rng.random_range(10..40) }).collect();
    let total: usize = sizes.iter().sum();
    // Scale the big teams so the employees come to 50,000.
    let small: usize = sizes.iter().filter(|s| **s < 5).sum();
    let factor = (50_000 - small) as f64 / (total - small) as f64;
    for s in sizes.iter_mut().filter(|s| **s >= 5) {
        *s = ((*s as f64) * factor).round() as usize;
    }
    let started = Instant::now();
    let unit_refs: Vec<(&str, Option<&str>)> = units.iter().map(|(u, p)| (u.as_str(), p.as_deref())).collect();
    store.import_units(&org, &unit_refs, &admin, 1).await?;
    let people: Vec<(String, &str)> = teams.iter().zip(&sizes).flat_map(|(team, n)| (0..*n).map(move |i| (format!("{}-{i}@wave.bench", team.replace([' ', '.'], "-").to_lowercase()), team.as_str()))).collect();
    let list: Vec<CurrentEmployee<'_>> = people.iter().map(|(e, u)| CurrentEmployee { email: e, name: "Employee", unit: u, location: None, tenure_band: None }).collect();
    store.sync_employees(&org, &list, &admin, 1).await?;
    println!("structure: {} units, {} employees, imported in {:.1} s", units.len(), people.len(), started.elapsed().as_secs_f64());

    // The wave, through the service.
    let started = Instant::now();
    let divisions: Vec<String> = (0..10).map(|d| format!("Division {d}")).collect();
    let form = waves::WaveForm { name: "Pulse, benchmark".into(), bank: "pulse@1.0.0".into(), units: divisions, closes_on: "2999-01-31".into(), remind_on: String::new(), languages: Vec::new() };
    let (wave, invited) = waves::create(&store, &catalog, &hr, &form, "http://127.0.0.1").await.map_err(|e| format!("{e:?}"))?;
    println!("wave created with {invited} personal links and e-mails in {:.1} s", started.elapsed().as_secs_f64());

    // 2. The save paths, each at a steady 500 a second for 10 s. Survey links: from the outbox.
    sqlx::any::install_default_drivers();
    let pool = sqlx::any::AnyPoolOptions::new().max_connections(1).connect(&url).await?;
    let bodies: Vec<String> = sqlx::query_scalar("SELECT body FROM outbox WHERE kind = 'survey' ORDER BY id LIMIT 500").fetch_all(&pool).await?;
    pool.close().await;
    let tokens: Vec<String> = bodies.iter().filter_map(|b| b.split("/survey/").nth(1).and_then(|t| t.split_whitespace().next()).map(str::to_string)).collect();
    let items: Vec<String> = catalog.get("pulse", "1.0.0").ok_or("pulse")?.bank.items().iter().map(|i| i.id.clone()).collect();
    let mut ticks = tokio::time::interval(Duration::from_millis(2));
    let mut survey_ms = Vec::new();
    for n in 0..5_000usize {
        ticks.tick().await;
        let answer = [(items[n % items.len()].clone(), (1 + n % 5).to_string())];
        let t = Instant::now();
        survey::save(&store, &catalog, &tokens[n % tokens.len()], &answer).await.map_err(|e| e.to_string())?;
        survey_ms.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    let battery = serde_json::json!({ "instruments": [{ "instrument": "svi", "version": "1.0.0" }] }).to_string();
    let campaign = store
        .create_campaign(&NewCampaign { org_id: &org, name: "Bench", role_family: "security", battery: &battery, time_limit_minutes: None, adaptive: false, candidate_feedback: false, invitation_ttl_days: 14, created_by: None, reminder_days: None, link_base: None })
        .await?
        .id;
    let mut sessions = Vec::new();
    for i in 0..200 {
        let invitation = store
            .create_invitation(&NewInvitation { org_id: &org, campaign_id: &campaign, candidate_name: None, candidate_email: None, language: "en", token_hash: &format!("wave-bench-{i}"), expires_at: vigil::time::now_ms() + 86_400_000, created_by: None })
            .await?
            .invitation_id;
        sessions.push(store.start_session(&NewSession { org_id: &org, campaign_id: &campaign, invitation_id: &invitation, notice_version: "bench", language: "en", seed: i, deadline_at: None }).await?);
    }
    let svi_items: Vec<String> = catalog.get("svi", "1.0.0").ok_or("svi")?.bank.items().iter().map(|i| i.id.clone()).collect();
    let mut candidate_ms = Vec::new();
    for n in 0..5_000usize {
        ticks.tick().await;
        let input = AnswerInput { session_id: &sessions[n % sessions.len()], instrument: "svi", item_id: &svi_items[(n / sessions.len()) % svi_items.len()], value: "3", latency_ms: Some(2000), client_seq: n as i64 + 1, answers_before: None };
        let t = Instant::now();
        store.save_answers(std::slice::from_ref(&input)).await?;
        candidate_ms.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    println!("answer save, survey (autosave of one answer): {}", summary(survey_ms));
    println!("answer save, candidate (group-commit writer):  {}", summary(candidate_ms));

    // 70% answer: released responses without links (as the inbox releases them).
    let bank = catalog.get("pulse", "1.0.0").ok_or("pulse")?;
    let stored_units = store.org_units(&org).await?;
    let id_of: std::collections::HashMap<&str, &str> = stored_units.iter().map(|u| (u.name.as_str(), u.id.as_str())).collect();
    let mut rows = Vec::new();
    for (_, team) in &people {
        if rng.random_bool(0.3) {
            continue;
        }
        let mut answers = std::collections::BTreeMap::new();
        for item in bank.bank.items() {
            if rng.random_bool(0.95) {
                answers.insert(item.id.as_str(), rng.random_range(1..=5).to_string());
            }
        }
        rows.push((id_of[team].to_string(), serde_json::json!(answers).to_string()));
    }
    for chunk in rows.chunks(5_000) {
        store.insert_wave_responses(&org, &wave, chunk, "2026-12-06").await?;
    }
    let started = Instant::now();
    waves::close(&store, &catalog, &hr, &wave).await.map_err(|e| format!("{e:?}"))?;
    println!("close: {} responses scored, {} units suppressed and kept in {:.0} ms (once per wave)", rows.len(), units.len(), started.elapsed().as_secs_f64() * 1000.0);

    // 1. The heat map over HTTP, as the security lead asks for it.
    let listener = vigil::http::bind("127.0.0.1:0".parse()?).await?;
    let addr = listener.local_addr()?;
    let site = tempfile::tempdir()?;
    let router = vigil::http::router_with(store.clone(), catalog.clone(), site.path(), addr, vigil::http::HttpOptions::default());
    tokio::spawn(vigil::http::serve(listener, router));
    let base = format!("http://{addr}");
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build()?;
    let login = client.post(format!("{base}/login")).header("origin", &base).form(&[("email", "security@wave.bench"), ("password", password)]).send().await?;
    let cookie = login.headers().get_all("set-cookie").iter().filter_map(|v| v.to_str().ok()).find(|c| c.starts_with("vigil_session=")).and_then(|c| c.split(';').next()).ok_or("signed in")?.to_string();
    let mut page_ms = Vec::new();
    let mut size = 0;
    let mut hidden = 0;
    for _ in 0..50 {
        let t = Instant::now();
        let res = client.get(format!("{base}/workforce/waves/{wave}")).header("cookie", &cookie).send().await?;
        assert_eq!(res.status(), 200);
        let html = res.text().await?;
        page_ms.push(t.elapsed().as_secs_f64() * 1000.0);
        size = html.len();
        hidden = html.matches("class=\"suppressed\"").count();
    }
    println!("heat map page ({} units x 4 scales, {} KB, {hidden} hidden cells): {}", units.len(), size / 1024, summary(page_ms));
    Ok(())
}
