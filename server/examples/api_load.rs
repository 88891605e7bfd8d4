//! The integration API's speed goals, measured on this machine:
//!
//! 1. 1,000 invitations created by one bulk call in under 1 s;
//! 2. result reads at 1,000 requests a second with p99 under 10 ms (SQLite);
//! 3. a webhook backlog of 10,000 events drained to a local receiver in under 30 s.
//!
//! ```sh
//! cargo run --release -p server --example api_load                     # SQLite
//! cargo run --release -p server --example api_load -- postgres://postgres@127.0.0.1:55432/postgres
//! ```
//!
//! The demo organisation (its candidates scored through the real path)
//! is the data; the real router serves on 127.0.0.1, and a real HTTP
//! client calls it with an API key, as an applicant tracking system does.

use std::{
    sync::{
        atomic::{AtomicUsize, Ordering},
        Arc,
    },
    time::{Duration, Instant},
};

use vigil::{
    catalog::Catalog,
    run::{start_background, Background},
    store::{NewApiKey, Role, Store},
    webhooks::endpoints::UrlPolicy,
};

#[path = "support/mod.rs"]
mod support;
use support::percentile;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let url = support::database_url(std::env::args().nth(1), "vigil_api_load", dir.path()).await?;
    // Webhook secrets are sealed at rest: a key of the benchmark's own.
    let (store, _) = Store::open(&url.parse()?).await?.with_secret_key(vigil::sealing::SecretKey::generate()).await?;
    let catalog = Catalog::load(&Catalog::shipped_dir())?;
    vigil::demo::seed(&store, &catalog, &dir.path().join("demo-credentials.txt")).await?;
    let org = store.organisation_by_slug(vigil::demo::DEMO_ORG_SLUG).await?.ok_or("demo organisation")?.id;
    let admin = store.users_of(&org).await?.into_iter().find(|u| u.role == Role::Admin).ok_or("demo admin")?.id;
    let key = format!("vgl_benchmrk_{}", vigil::secrets::new_secret());
    let key_id = vigil::store::new_id();
    let hash = vigil::secrets::secret_hash(&key);
    store
        .create_api_key(&NewApiKey { id: &key_id, org_id: &org, name: "Benchmark", prefix: "benchmrk", secret_hash: &hash, scopes: "campaigns:read invitations:read invitations:write results:read", per_minute: 120_000, created_by: &admin, expires_at: None }, vigil::time::now_ms())
        .await?;
    let campaign = store.campaigns_of(&org).await?.into_iter().next().ok_or("a demo campaign")?.id;
    let completed: Vec<String> = store.results_changed(&org, None, i64::MAX, 1000).await?.into_iter().map(|r| r.invitation_id).collect();

    let listener = vigil::http::bind("127.0.0.1:0".parse()?).await?;
    let addr = listener.local_addr()?;
    let site = tempfile::tempdir()?;
    let router = vigil::http::router_with(store.clone(), catalog.clone(), site.path(), addr, vigil::http::HttpOptions::default());
    tokio::spawn(vigil::http::serve(listener, router));
    let base = format!("http://{addr}");
    let client = reqwest::Client::builder().pool_max_idle_per_host(256).build()?;
    let bearer = format!("Bearer {key}");

    // 1. Bulk orders.
    let mut bulk_ms = Vec::new();
    // Fresh addresses each time (a PostgreSQL database may hold an earlier run's).
    let tag = vigil::store::new_id()[..8].to_string();
    for run in 0..3 {
        let orders: Vec<serde_json::Value> = (0..1000).map(|n| serde_json::json!({ "name": format!("Candidate {n}"), "email": format!("c{run}-{n}-{tag}@bulk.example"), "send_email": false })).collect();
        let body = serde_json::json!({ "invitations": orders }).to_string();
        let started = Instant::now();
        let res = client.post(format!("{base}/api/v1/campaigns/{campaign}/invitations/bulk")).header("authorization", &bearer).header("content-type", "application/json").body(body).send().await?;
        let status = res.status();
        let created = res.json::<serde_json::Value>().await?["created"].as_array().map_or(0, Vec::len);
        bulk_ms.push(started.elapsed().as_secs_f64() * 1000.0);
        assert!(status.is_success() && created == 1000, "bulk order: {status}, {created} created");
    }
    println!("bulk: 1,000 invitations per call: {:.0} / {:.0} / {:.0} ms (goal < 1,000 ms)", bulk_ms[0], bulk_ms[1], bulk_ms[2]);

    // 2. Result reads at a steady 1,000 a second for 10 s.
    let rate = 1000;
    let seconds = 10;
    let mut latencies = Vec::with_capacity(rate * seconds);
    let mut tasks = tokio::task::JoinSet::new();
    let mut tick = tokio::time::interval(Duration::from_micros(1_000_000 / rate as u64));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Burst);
    let started = Instant::now();
    for n in 0..rate * seconds {
        tick.tick().await;
        let (client, bearer) = (client.clone(), bearer.clone());
        let url = format!("{base}/api/v1/invitations/{}/result", completed[n % completed.len()]);
        tasks.spawn(async move {
            let t = Instant::now();
            let res = client.get(url).header("authorization", bearer).send().await.expect("read");
            let ok = res.status().is_success() && res.bytes().await.is_ok();
            (t.elapsed().as_secs_f64() * 1000.0, ok)
        });
    }
    let mut failed = 0;
    while let Some(done) = tasks.join_next().await {
        let (ms, ok) = done?;
        latencies.push(ms);
        failed += usize::from(!ok);
    }
    let elapsed = started.elapsed().as_secs_f64();
    latencies.sort_by(f64::total_cmp);
    println!(
        "reads: {} results in {elapsed:.1} s ({:.0}/s), p50 {:.2} ms, p99 {:.2} ms, max {:.1} ms, {failed} failed (goal: 1,000/s, p99 < 10 ms)",
        latencies.len(),
        latencies.len() as f64 / elapsed,
        percentile(&latencies, 0.5),
        percentile(&latencies, 0.99),
        latencies.last().copied().unwrap_or(0.0)
    );

    // 3. A backlog of 10,000 events, then the delivery job.
    let received = Arc::new(AtomicUsize::new(0));
    let counter = received.clone();
    let receiver = axum::Router::new().route(
        "/hook",
        axum::routing::post(move || {
            let counter = counter.clone();
            async move {
                counter.fetch_add(1, Ordering::Relaxed);
                "ok"
            }
        }),
    );
    let hook_listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let hook = format!("http://{}/hook", hook_listener.local_addr()?);
    tokio::spawn(async move { axum::serve(hook_listener, receiver).await });
    store.create_webhook_endpoint(&org, &hook, " decision.recorded ", &vigil::webhooks::signature::new_secret(), &admin, vigil::time::now_ms()).await?;
    let events = 10_000;
    let queued = Instant::now();
    let campaign_of_completed = store.candidate_state(&org, &completed[0]).await?.ok_or("candidate")?.campaign_id;
    for n in 0..events {
        store.record_decision(&org, &campaign_of_completed, &completed[0], "hold", &format!("benchmark decision {n}"), &admin, vigil::time::now_ms()).await?;
    }
    println!("webhooks: {events} events queued in {:.1} s (each with its decision, one transaction each)", queued.elapsed().as_secs_f64());
    let started = Instant::now();
    let workers = start_background(&store, &catalog, Background { retention_days: 183, public_url: None, mailer: None, webhooks: UrlPolicy { allow_loopback: true } }).await?;
    while received.load(Ordering::Relaxed) < events {
        tokio::time::sleep(Duration::from_millis(20)).await;
        if started.elapsed() > Duration::from_secs(300) {
            break;
        }
    }
    let drained = started.elapsed().as_secs_f64();
    println!("webhooks: {} of {events} delivered in {drained:.1} s ({:.0}/s; goal < 30 s)", received.load(Ordering::Relaxed), received.load(Ordering::Relaxed) as f64 / drained);
    for w in workers {
        w.stop().await;
    }
    Ok(())
}
