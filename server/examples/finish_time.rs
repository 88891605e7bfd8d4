//! How long finishing an adaptive SVI session takes on the server: reading
//! the answers, rebuilding the adaptive run, EAP + theta norms + classical
//! scores + validity for 9 scales, and the one transaction that stores the
//! session's completion, its score records and the audit entry.
//!
//! ```sh
//! cargo run --release -p server --example finish_time            # SQLite, 400 sessions
//! cargo run --release -p server --example finish_time -- 1000 postgres://postgres@127.0.0.1:55432/postgres
//! ```
//!
//! Sessions: simulated respondents of the shipped SVI 1.1.0 population
//! model, each taking the demo's adaptive campaign adaptively (the engine
//! choosing every item) through the candidate path's own functions (link,
//! notice, answers stored as the candidate's browser stores them). Then
//! each is finished once with `candidate::finish`, timed alone, in turn.
//! Prints p50, p90, p99 and max in milliseconds. `SAVE_PATH=1` stores the
//! answers through the candidate's save path, one at a time, and times
//! those saves too (`SAVE_PATH=replay`: replaying each adaptive run instead
//! of remembering it). The goal: p99 under 2 ms
//! on SQLite. `FINISH_EVERY_MS=40` spaces the finishes as they come on a
//! server (a pause before each, not timed); without it they run back to
//! back.

use std::time::Instant;

use assessments::simulate::{SimulationOptions, Simulator};
use vigil::{
    candidate,
    catalog::{Adaptive, Catalog},
    secrets::secret_hash,
    simulated::{answer_rows, take_adaptively},
    store::{AnswerInput, NewCampaign, NewInvitation, Store},
};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let sessions: usize = args.next().map(|n| n.parse()).transpose()?.unwrap_or(400);
    let dir = tempfile::tempdir()?;
    let url = args.next().unwrap_or_else(|| format!("sqlite://{}", dir.path().join("vigil.db").display()));
    let store = Store::open(&url.parse()?).await?;
    let catalog = Catalog::load(&Catalog::shipped_dir())?;
    let svi = catalog.get("svi", "1.1.0").ok_or("svi 1.1.0 ships")?;
    let adaptive = svi.adaptive.as_ref().ok_or("svi 1.1.0 is calibrated")?;
    let theta = svi.norms.iter().find(|n| !n.theta_scales.is_empty()).ok_or("theta norms ship")?;

    let slug = format!("bench-{}", uuid::Uuid::new_v4().simple());
    let org = store.create_organisation("Finish benchmark", &slug, false).await?;
    let battery = serde_json::json!({ "instruments": [{
        "instrument": "svi", "version": "1.1.0", "bank_hash": svi.bank.content_hash(),
        "norm_table": theta.id, "norm_table_hash": theta.content_hash,
    }]})
    .to_string();
    let campaign = store
        .create_campaign(&NewCampaign {
            org_id: &org.id, name: "Adaptive SVI", role_family: "security", battery: &battery, time_limit_minutes: None,
            adaptive: true, candidate_feedback: false, invitation_ttl_days: 14, created_by: None, reminder_days: None, link_base: None,
        })
        .await?;
    let model = svi.model.as_ref().ok_or("svi 1.1.0 has a population model")?;
    let people = Simulator::new(&svi.bank, model)?.simulate(&SimulationOptions { n: sessions, seed: 20261206, ..SimulationOptions::default() });

    // Every session taken adaptively and left on its review page.
    let mut contexts = Vec::with_capacity(sessions);
    let mut asked = 0usize;
    let mut save_times: Vec<f64> = Vec::new();
    let cache = candidate::cache::ContextCache::default();
    for (i, person) in people.iter().enumerate() {
        let token = format!("benchmarktoken{i:012}");
        store
            .create_invitation(&NewInvitation {
                org_id: &org.id, campaign_id: &campaign.id, candidate_name: None, candidate_email: None, language: "en",
                token_hash: &secret_hash(&token), expires_at: vigil::time::now_ms() + 86_400_000, created_by: None,
            })
            .await?;
        let (secret, _) = candidate::open_link(&store, &token).await.map_err(|e| e.to_string())?;
        let ctx = candidate::context(&store, &catalog, Some(&secret)).await.map_err(|e| e.to_string())?;
        candidate::acknowledge(&store, &ctx).await.map_err(|e| e.to_string())?;
        let ctx = candidate::context(&store, &catalog, Some(&secret)).await.map_err(|e| e.to_string())?;
        let seed = ctx.session.as_ref().ok_or("a started session")?.seed;
        let session_id = ctx.session.as_ref().ok_or("a started session")?.id.clone();
        let (responses, order, _) = take_adaptively(&svi.bank, adaptive, Adaptive::seed(seed, 0), &person.responses)?;
        let rows = answer_rows(&svi.bank, &responses, &order);
        asked += rows.len();
        let inputs: Vec<AnswerInput<'_>> = rows
            .iter()
            .enumerate()
            .map(|(n, (item, value, latency))| AnswerInput { session_id: &session_id, instrument: "svi", item_id: item, value, latency_ms: *latency, client_seq: n as i64 + 1, answers_before: None })
            .collect();
        if let Ok(how) = std::env::var("SAVE_PATH") {
            // Through the candidate's save path, one answer at a time, timed:
            // as the browser's queue sends them (each adaptive answer checked
            // against the run remembered with the cached context), or with
            // SAVE_PATH=replay against the run replayed from the stored answers.
            for input in &inputs {
                let dto = candidate::AnswerDto { key: format!("svi/{}", input.item_id), value: input.value.to_string(), latency_ms: input.latency_ms, seq: input.client_seq };
                let started = Instant::now();
                let saved = if how == "replay" {
                    candidate::save(&store, &ctx, &[dto]).await
                } else {
                    candidate::save_for_access(&store, &catalog, &cache, Some(&secret), &[dto]).await
                };
                saved.map_err(|e| e.to_string())?;
                save_times.push(started.elapsed().as_secs_f64() * 1000.0);
            }
        } else {
            store.save_answers(&inputs).await?;
        }
        contexts.push(ctx);
    }
    if !save_times.is_empty() {
        save_times.sort_by(f64::total_cmp);
        let at = |p: f64| save_times[((p * (save_times.len() - 1) as f64).round() as usize).min(save_times.len() - 1)];
        println!("save path ({} answers one at a time): p50 {:.3} ms, p90 {:.3} ms, p99 {:.3} ms", save_times.len(), at(0.5), at(0.9), at(0.99));
    }

    // FINISH_EVERY_MS: a pause before each finish (not timed), as finishes
    // arrive on a server: at 2,000 answers/s of ~82-answer sessions about 25
    // a second. Without it they run back to back (a stress figure).
    let pause = std::env::var("FINISH_EVERY_MS").ok().and_then(|v| v.parse::<u64>().ok()).map(std::time::Duration::from_millis);
    let mut times = Vec::with_capacity(sessions);
    for ctx in &contexts {
        if let Some(pause) = pause {
            tokio::time::sleep(pause).await;
        }
        let started = Instant::now();
        candidate::finish(&store, ctx).await.map_err(|e| e.to_string())?;
        times.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    let at = |p: f64| times[((p * (times.len() - 1) as f64).round() as usize).min(times.len() - 1)];
    let database = if url.starts_with("sqlite") { "SQLite" } else { "PostgreSQL" };
    let spacing = pause.map_or("back to back".to_string(), |p| format!("one every {} ms", p.as_millis()));
    println!(
        "finish of an adaptive SVI 1.1.0 session ({database}, {sessions} sessions, {spacing}, {:.1} answers each): p50 {:.3} ms, p90 {:.3} ms, p99 {:.3} ms, max {:.3} ms",
        asked as f64 / sessions as f64,
        at(0.50),
        at(0.90),
        at(0.99),
        times.last().copied().unwrap_or(f64::NAN)
    );
    Ok(())
}
