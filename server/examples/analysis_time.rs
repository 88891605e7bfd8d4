//! How long item analysis of one SVI version takes end to end on the
//! server, and what it does to answer saves running at the same time.
//!
//! ```sh
//! cargo run --release -p server --example analysis_time            # SQLite, 100,000 sessions
//! cargo run --release -p server --example analysis_time -- 20000 postgres://postgres@127.0.0.1:55432/postgres
//! ```
//!
//! Sets up `N` completed sessions of SVI 1.0.0 (93 items; `SVI_VERSION=1.1.0`
//! for the 173-item pool), simulated
//! respondents of the shipped population model, every item answered, as
//! analysis sheets the way finishing stores them). Then, while answers are
//! saved through the group-commit writer at a steady 1,000 a second, it
//! asks for the analysis as a psychologist does (a job) and waits for the
//! result: the time from asking to the stored result, and the answer-save
//! p99 before and during the analysis. The goal: under 2 s for 100,000
//! sessions on SQLite, without raising the save p99.
//!
//! `JOB=norms` times the norm builder's preview over every session (goal:
//! 100,000 sessions in under 2 s). `JOB=calibration` times the calibration job instead (GRM by MML-EM;
//! `SCALE=<id>` for one scale, else every scale), goal: 20,000 sessions of
//! 40 items in under 15 s with the save p99 under 5 ms:
//!
//! ```sh
//! JOB=calibration SVI_VERSION=1.1.0 cargo run --release -p server --example analysis_time -- 20000
//! ```

use std::time::{Duration, Instant};

use assessments::simulate::{SimulationOptions, Simulator};
use vigil::{
    calibration::{CalibrationJob, CalibrationRequest},
    catalog::Catalog,
    item_analysis::{AnalysisRequest, ItemAnalysisJob},
    jobs::{kind, Registration, Worker, WorkerOptions},
    store::{AnswerInput, NewCampaign, NewInvitation, NewJob, NewSession, NewSheet, SheetFilter, Store},
};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let sessions: usize = args.next().map(|n| n.parse()).transpose()?.unwrap_or(100_000);
    let dir = tempfile::tempdir()?;
    let url = args.next().unwrap_or_else(|| format!("sqlite://{}", dir.path().join("vigil.db").display()));
    let store = Store::open(&url.parse()?).await?;
    let catalog = Catalog::load(&Catalog::shipped_dir())?;
    // SVI 1.0.0: the 93-item form the goal names; SVI_VERSION=1.1.0 for the 173-item pool.
    let version = std::env::var("SVI_VERSION").unwrap_or_else(|_| "1.0.0".into());
    let svi = catalog.get("svi", &version).ok_or("that SVI version ships")?;
    let bank = &svi.bank;

    let slug = format!("bench-{}", uuid::Uuid::new_v4().simple());
    let org = store.create_organisation("Analysis benchmark", &slug, false).await?.id;
    let battery = serde_json::json!({ "instruments": [{ "instrument": "svi", "version": version }] }).to_string();
    let campaign = store
        .create_campaign(&NewCampaign {
            org_id: &org, name: "Full SVI", role_family: "security", battery: &battery, time_limit_minutes: None, adaptive: false,
            candidate_feedback: false, invitation_ttl_days: 14, created_by: None, reminder_days: None, link_base: None,
        })
        .await?
        .id;
    let model = svi.model.as_ref().ok_or("the SVI has a population model")?;
    let setup = Instant::now();
    let people = Simulator::new(bank, model)?.simulate(&SimulationOptions { n: sessions, seed: 20261206, ..SimulationOptions::default() });
    let expires = vigil::time::now_ms() + 86_400_000;
    let mut batch = Vec::new();
    let mut open_sessions = Vec::new();
    for (i, person) in people.iter().enumerate() {
        let invitation = store
            .create_invitation(&NewInvitation { org_id: &org, campaign_id: &campaign, candidate_name: None, candidate_email: None, language: "en", token_hash: &format!("bench-{i}"), expires_at: expires, created_by: None })
            .await?
            .invitation_id;
        let session = store
            .start_session(&NewSession { org_id: &org, campaign_id: &campaign, invitation_id: &invitation, notice_version: "bench", language: "en", seed: i as i64, deadline_at: None })
            .await?;
        if i < 200 {
            // Left open: the answer saves during the measurement go to these.
            open_sessions.push(session);
            continue;
        }
        let record = vigil::sheets::record_of(bank, &person.responses);
        let sheet = NewSheet { instrument: "svi".into(), bank_version: version.clone(), campaign_id: campaign.clone(), language: "en".into(), adaptive: false, validity_status: "ok".into(), record };
        batch.push((session, vigil::time::now_ms(), sheet));
        if batch.len() == 2_000 {
            store.insert_sheets(&org, &batch).await?;
            batch.clear();
        }
    }
    store.insert_sheets(&org, &batch).await?;
    let stored = store.sheets_version(&org, "svi", &version, &SheetFilter::default()).await?.sessions;
    println!("set up {stored} completed sessions ({} items each) in {:.0} s", bank.items().len(), setup.elapsed().as_secs_f64());

    if std::env::var("JOB").is_ok_and(|j| j == "norms") {
        // The norm builder's preview of every session, as the page asks for it.
        let caller = vigil::staff::Caller { user_id: "bench".into(), org_id: org.clone(), role: app::staff::model::StaffRole::Psychologist, language: "en".into() };
        let selection = vigil::workbench::norms::NormSelection { instrument: "svi".into(), version: version.clone(), filter: SheetFilter { exclude_invalid: true, ..SheetFilter::default() } };
        let started = Instant::now();
        let page = vigil::workbench::norms::page(&store, &catalog, &caller, Some(selection)).await.map_err(|e| format!("{e:?}"))?;
        let preview = page.preview.ok_or("a preview")?;
        println!("norm builder over {} sessions of SVI {version}: {:.2} s (N, mean, SD, skew, alpha, histograms, theta norms of {} scales)", preview.sessions, started.elapsed().as_secs_f64(), preview.scales.len());
        return Ok(());
    }

    // Answer saves at a steady 1,000 a second, timed one by one.
    let saver = {
        let store = store.clone();
        let items: Vec<String> = bank.items().iter().map(|i| i.id.clone()).collect();
        tokio::spawn(async move {
            let mut ticks = tokio::time::interval(Duration::from_millis(1));
            let mut times = Vec::new();
            for n in 0..20_000usize {
                ticks.tick().await;
                let session = &open_sessions[n % open_sessions.len()];
                let item = &items[(n / open_sessions.len()) % items.len()];
                let started = Instant::now();
                let input = AnswerInput { session_id: session, instrument: "svi", item_id: item, value: "3", latency_ms: Some(2000), client_seq: n as i64 + 1, answers_before: None };
                if store.save_answers(std::slice::from_ref(&input)).await.is_err() {
                    break;
                }
                times.push((started, started.elapsed().as_secs_f64() * 1000.0));
            }
            times
        })
    };
    tokio::time::sleep(Duration::from_secs(5)).await;

    let calibrating = std::env::var("JOB").is_ok_and(|j| j == "calibration");
    let scale = std::env::var("SCALE").ok();
    let (job_kind, handler, request): (&str, std::sync::Arc<dyn vigil::jobs::Handler>, String) = if calibrating {
        let request = CalibrationRequest { instrument: "svi".into(), version: version.clone(), scale: scale.clone(), filter: SheetFilter::default() };
        (kind::CALIBRATION, std::sync::Arc::new(CalibrationJob { store: store.clone(), catalog: catalog.clone() }), serde_json::to_string(&request)?)
    } else {
        let request = AnalysisRequest { instrument: "svi".into(), version: version.clone(), filter: SheetFilter::default() };
        (kind::ITEM_ANALYSIS, std::sync::Arc::new(ItemAnalysisJob { store: store.clone(), catalog: catalog.clone() }), serde_json::to_string(&request)?)
    };
    let worker = Worker::start(store.clone(), "analysis", vec![Registration { kind: job_kind, handler, every: None }], WorkerOptions { poll: Duration::from_millis(10), ..WorkerOptions::default() }).await?;
    let asked = Instant::now();
    let now = vigil::time::now_ms();
    let id = store
        .enqueue_job(&NewJob { org_id: Some(&org), kind: job_kind, dedupe_key: None, payload: &request, run_after: now, every_ms: None, max_attempts: 1, created_by: None }, now)
        .await?;
    // When the job had read the sheets (its progress reached 0.6).
    let mut read_at = None;
    let job = loop {
        let job = store.job_by_id(&id).await?.ok_or("the job exists")?;
        if job.status == "done" || job.status == "failed" {
            break job;
        }
        let read = if calibrating { 0.05 } else { 0.6 };
        if read_at.is_none() && job.progress.is_some_and(|p| p >= read) {
            read_at = Some(Instant::now());
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    };
    let took = asked.elapsed();
    let done_at = Instant::now();
    worker.stop().await;
    if job.status != "done" {
        return Err(format!("the analysis failed: {:?}", job.last_error).into());
    }
    let result: serde_json::Value = serde_json::from_str(job.result.as_deref().unwrap_or("{}"))?;
    if calibrating {
        let scales = result["scales"].as_array().cloned().unwrap_or_default();
        let items: usize = scales.iter().map(|s| s["items"].as_array().map_or(0, Vec::len)).sum();
        let cycles: Vec<String> = scales.iter().map(|s| format!("{} {} cycles", s["scale"].as_str().unwrap_or("?"), s["iterations"])).collect();
        println!(
            "calibration of SVI {version} ({items} items in {} scale(s): {}) over {} sessions ({}): {:.2} s from asking to the stored result",
            scales.len(),
            cycles.join(", "),
            result["sessions"],
            if url.starts_with("sqlite") { "SQLite" } else { "PostgreSQL" },
            took.as_secs_f64()
        );
    } else {
    println!(
        "item analysis of SVI {version} ({} items) over {} sessions ({}): {:.2} s from asking to the stored result",
        bank.items().len(),
        result["report"]["sessions"],
        if url.starts_with("sqlite") { "SQLite" } else { "PostgreSQL" },
        took.as_secs_f64()
    );
    }

    let times = saver.await?;
    let p99 = |mut v: Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v.get(((v.len() as f64 - 1.0) * 0.99).round() as usize).copied().unwrap_or(f64::NAN)
    };
    let before: Vec<f64> = times.iter().filter(|(t, _)| *t < asked).map(|(_, ms)| *ms).collect();
    let during: Vec<f64> = times.iter().filter(|(t, _)| *t >= asked && *t <= done_at).map(|(_, ms)| *ms).collect();
    println!("answer saves at 1,000/s: p99 {:.2} ms before ({} saves), {:.2} ms during the analysis ({} saves)", p99(before.clone()), before.len(), p99(during.clone()), during.len());
    if let Some(read_at) = read_at {
        let reading: Vec<f64> = times.iter().filter(|(t, _)| *t >= asked && *t < read_at).map(|(_, ms)| *ms).collect();
        let computing: Vec<f64> = times.iter().filter(|(t, _)| *t >= read_at && *t <= done_at).map(|(_, ms)| *ms).collect();
        println!("  while reading the sheets: p99 {:.2} ms ({} saves); while computing: p99 {:.2} ms ({} saves)", p99(reading.clone()), reading.len(), p99(computing.clone()), computing.len());
    }
    Ok(())
}
