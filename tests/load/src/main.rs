//! `vigil-load`: the load test for candidates' answer saves
//! (`POST /api/save_answers`, one answer per request, as the browser's
//! save-as-you-go queue sends them).
//!
//! * `prepare`: invitations (through `vigil invite --count N`, or a file of
//!   links), each link opened without following redirects to get the
//!   `vigil_candidate` cookie, then `POST /assessment/start`; writes one
//!   cookie per line. Link openings are rate limited per client address
//!   (30 per 5 minutes), so they are spread over loopback source addresses
//!   127.0.0.2, 127.0.0.3, ..., 127.0.0.251, 127.0.1.2, ... (25 per address).
//! * `run`: an open-loop phase at a fixed arrival rate after a warm-up, then
//!   a closed-loop burst. Open loop: request `i` is scheduled at
//!   `start + i / rate` by a pacing thread and its latency is measured from
//!   that scheduled time (coordinated omission corrected: a server that
//!   stalls is charged for every request that should have been sent during
//!   the stall); the latency from the actual send is reported too
//!   (`service_*`). Burst: C workers, each sending its next request as soon
//!   as the previous one answered. Each request: one answer of a random
//!   candidate, a random item of the bank with a valid value, a strictly
//!   increasing `seq` per candidate. Errors: any status but 200, or a
//!   transport error (including a 10 s timeout).
//!
//! * `--adaptive` (with the adaptive demo campaign's candidates and
//!   `--bank assessments/banks/svi/1.1.0.toml`): each save answers the
//!   question the engine asks: the server checks it against the adaptive
//!   run, and its acknowledgement names the next question (`next`), which
//!   the candidate's following save answers. Only a candidate's first save
//!   (or one after its adaptive run ended) reads the page first
//!   (`GET /assessment`) to learn the question. A candidate is never sent
//!   two requests at once. `service_*` is the save alone, from its send;
//!   the corrected figures include any page read.
//!
//! Output: one JSON line per phase on stdout (and appended to `--json-out`),
//! a table on stderr. Loopback only; bounded in count and time.

use std::{
    collections::BTreeMap,
    io::Write,
    net::{IpAddr, Ipv4Addr},
    path::PathBuf,
    sync::{
        atomic::{AtomicUsize, Ordering},
        Arc,
    },
    time::{Duration, Instant},
};

mod target;

use clap::{Parser, Subcommand};
use target::{bank_answers, Target};
use serde::Serialize;

#[derive(Parser)]
#[command(name = "vigil-load", about = "Load test for Vigil's answer saves (loopback only)")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Create candidates: invitations, opened links (cookies), started sessions.
    Prepare {
        /// The server, e.g. http://127.0.0.1:3000 (must be a loopback address).
        #[arg(long)]
        base_url: String,
        /// Create the invitations with this `vigil` binary (`vigil invite --count N`;
        /// DATABASE_URL is taken from the environment).
        #[arg(long, conflicts_with = "links")]
        vigil: Option<PathBuf>,
        /// Or read invitation links from this file, one per line.
        #[arg(long)]
        links: Option<PathBuf>,
        /// Organisation short name (for --vigil).
        #[arg(long, default_value = "demo")]
        org: String,
        /// Campaign (exact name) the invitations are for (for --vigil).
        #[arg(long, default_value = "Demo: full fixed battery (SVI 1.0.0 + SJS)")]
        campaign: String,
        /// How many candidates (for --vigil).
        #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u32).range(1..=20_000))]
        count: u32,
        /// Concurrent preparations.
        #[arg(long, default_value_t = 8)]
        concurrency: usize,
        /// Where to write the cookies (`vigil_candidate=...`, one per line).
        #[arg(long)]
        out: PathBuf,
    },
    /// Open loop at a fixed rate (after a warm-up), then a closed-loop burst.
    Run {
        /// The server, or several servers of one database separated by
        /// commas: each request then goes to the next in turn, from the client
        /// (load spread without a balancer in between).
        #[arg(long, value_delimiter = ',', required = true)]
        base_url: Vec<String>,
        /// Cookies written by `prepare`.
        #[arg(long)]
        cookies: PathBuf,
        /// The bank whose items are answered (the demo campaign's battery has svi 1.0.0).
        #[arg(long, default_value = "assessments/banks/svi/1.0.0.toml")]
        bank: PathBuf,
        /// Arrival rate of the open-loop phase, answers per second.
        #[arg(long, default_value_t = 2000.0)]
        rate: f64,
        /// Seconds of the measured open-loop phase (0 skips it).
        #[arg(long, default_value_t = 30.0)]
        duration: f64,
        /// Seconds of warm-up at the same rate before it (not measured). The
        /// warm-up's first requests go to every candidate once, in order, so
        /// that a long enough warm-up measures candidates in the middle of
        /// their assessment, not their first save.
        #[arg(long, default_value_t = 5.0)]
        warmup: f64,
        /// Workers of the closed-loop burst (0 skips it).
        #[arg(long, default_value_t = 64)]
        burst_concurrency: usize,
        /// Seconds of the burst.
        #[arg(long, default_value_t = 10.0)]
        burst_duration: f64,
        /// A label for the JSON lines (e.g. "sqlite run 1").
        #[arg(long, default_value = "")]
        label: String,
        /// Append the JSON lines to this file too.
        #[arg(long)]
        json_out: Option<PathBuf>,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Candidates of an adaptive campaign: read the page, answer the question asked.
        #[arg(long)]
        adaptive: bool,
    },
}

fn main() -> Result<(), String> {
    let cli = Cli::parse();
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().map_err(|e| e.to_string())?;
    match cli.command {
        Command::Prepare { base_url, vigil, links, org, campaign, count, concurrency, out } => {
            check_loopback(&base_url)?;
            let links = match (vigil, links) {
                (Some(bin), None) => invite(&bin, &org, &campaign, count, &base_url)?,
                (None, Some(file)) => std::fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?.lines().map(str::trim).filter(|l| !l.is_empty()).map(String::from).collect(),
                _ => return Err("give --vigil BIN or --links FILE".into()),
            };
            let cookies = runtime.block_on(prepare(&base_url, links, concurrency.max(1)))?;
            std::fs::write(&out, cookies.join("\n") + "\n").map_err(|e| format!("{}: {e}", out.display()))?;
            eprintln!("prepared {} candidates -> {}", cookies.len(), out.display());
            Ok(())
        }
        Command::Run { base_url, cookies, bank, rate, duration, warmup, burst_concurrency, burst_duration, label, json_out, seed, adaptive } => {
            for base in &base_url {
                check_loopback(base)?;
            }
            if !(rate > 0.0 && rate <= 50_000.0) || !(0.0..=600.0).contains(&duration) || !(0.0..=600.0).contains(&warmup) || !(0.0..=600.0).contains(&burst_duration) || burst_concurrency > 4096 {
                return Err("out of bounds: rate 0-50000/s, durations 0-600 s, burst concurrency <= 4096".into());
            }
            let cookies: Vec<String> = std::fs::read_to_string(&cookies).map_err(|e| format!("{}: {e}", cookies.display()))?.lines().filter(|l| !l.is_empty()).map(String::from).collect();
            if cookies.is_empty() {
                return Err("no cookies: run `vigil-load prepare` first".into());
            }
            let answers = bank_answers(&bank)?;
            let target = Arc::new(Target::new(&base_url, cookies, answers, seed, adaptive)?);
            let mut results = Vec::new();
            if duration > 0.0 {
                if warmup > 0.0 {
                    let w = runtime.block_on(open_loop(&runtime, target.clone(), rate, warmup));
                    eprintln!("warm-up: {} requests, {} errors", w.len(), w.iter().filter(|s| !s.ok).count());
                }
                let samples = runtime.block_on(open_loop(&runtime, target.clone(), rate, duration));
                results.push(Summary::of("open", &label, Some(rate), duration, None, &samples));
            }
            if burst_concurrency > 0 && burst_duration > 0.0 {
                let (samples, elapsed) = runtime.block_on(burst(target.clone(), burst_concurrency, burst_duration));
                results.push(Summary::of("burst", &label, None, elapsed, Some(burst_concurrency), &samples));
            }
            print_table(&results);
            let mut file = match &json_out {
                Some(p) => Some(std::fs::OpenOptions::new().create(true).append(true).open(p).map_err(|e| format!("{}: {e}", p.display()))?),
                None => None,
            };
            for r in &results {
                let line = serde_json::to_string(r).map_err(|e| e.to_string())?;
                println!("{line}");
                if let Some(f) = file.as_mut() {
                    writeln!(f, "{line}").map_err(|e| e.to_string())?;
                }
            }
            Ok(())
        }
    }
}

fn check_loopback(base_url: &str) -> Result<(), String> {
    let url = reqwest::Url::parse(base_url).map_err(|e| format!("--base-url: {e}"))?;
    let host = url.host_str().unwrap_or_default().trim_start_matches('[').trim_end_matches(']');
    let loopback = host == "localhost" || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback());
    if loopback { Ok(()) } else { Err(format!("{base_url} is not a loopback address: this tool only loads a local server")) }
}

fn invite(bin: &PathBuf, org: &str, campaign: &str, count: u32, base_url: &str) -> Result<Vec<String>, String> {
    let out = std::process::Command::new(bin)
        .args(["invite", "--org", org, "--campaign", campaign, "--count", &count.to_string(), "--base-url", base_url])
        .env("VIGIL_LOG", "error")
        .output()
        .map_err(|e| format!("{}: {e}", bin.display()))?;
    if !out.status.success() {
        return Err(format!("vigil invite failed: {}", String::from_utf8_lossy(&out.stderr)));
    }
    Ok(String::from_utf8_lossy(&out.stdout).lines().map(str::trim).filter(|l| !l.is_empty()).map(String::from).collect())
}

/// Link openings per loopback source address (the server allows 30 per 5 minutes).
const LINKS_PER_ADDRESS: usize = 25;
/// Source addresses 127.0.x.2-251 for x in 0..16 (all of 127.0.0.0/8 is loopback on Linux).
const MAX_SOURCE_ADDRESSES: usize = 16 * 250;

/// The `n`th loopback source address: 127.0.0.2, .., 127.0.0.251, 127.0.1.2, ..
fn source_address(n: usize) -> Ipv4Addr {
    let (block, host) = (n / 250, n % 250);
    Ipv4Addr::new(127, 0, (block % 256) as u8, (2 + host) as u8)
}

async fn prepare(base_url: &str, links: Vec<String>, concurrency: usize) -> Result<Vec<String>, String> {
    let addresses = links.len().div_ceil(LINKS_PER_ADDRESS);
    if addresses > MAX_SOURCE_ADDRESSES {
        return Err(format!("at most {} links per prepare run", MAX_SOURCE_ADDRESSES * LINKS_PER_ADDRESS));
    }
    let clients: Vec<reqwest::Client> = (0..addresses)
        .map(|a| {
            reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .local_address(IpAddr::V4(source_address(a)))
                .timeout(Duration::from_secs(30))
                .build()
                .map_err(|e| e.to_string())
        })
        .collect::<Result<_, _>>()?;
    let links = Arc::new(links);
    let clients = Arc::new(clients);
    let next = Arc::new(AtomicUsize::new(0));
    let base = base_url.trim_end_matches('/').to_string();
    let mut tasks = Vec::new();
    for _ in 0..concurrency {
        let (links, clients, next, base) = (links.clone(), clients.clone(), next.clone(), base.clone());
        tasks.push(tokio::spawn(async move {
            let mut cookies = Vec::new();
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(link) = links.get(i) else { return Ok::<_, String>(cookies) };
                let client = &clients[i / LINKS_PER_ADDRESS];
                let opened = client.get(link).send().await.map_err(|e| format!("open link: {e}"))?;
                let cookie = opened
                    .headers()
                    .get_all("set-cookie")
                    .iter()
                    .filter_map(|v| v.to_str().ok())
                    .filter_map(|v| v.split(';').next())
                    .find(|pair| pair.starts_with("vigil_candidate="))
                    .map(String::from)
                    .ok_or_else(|| format!("opening a link gave {} without the candidate cookie", opened.status()))?;
                let started = client.post(format!("{base}/assessment/start")).header("origin", base.to_string()).header("cookie", &cookie).header("content-type", "application/x-www-form-urlencoded").body("").send().await.map_err(|e| format!("start: {e}"))?;
                if !started.status().is_redirection() {
                    return Err(format!("POST /assessment/start gave {}", started.status()));
                }
                cookies.push(cookie);
            }
        }));
    }
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await.map_err(|e| e.to_string())??);
    }
    Ok(all)
}

/// One request's outcome: latency from its scheduled time, from its actual
/// send, how late the pacing thread dispatched it, and the error if any.
struct Sample {
    corrected_us: u64,
    service_us: u64,
    dispatch_lag_us: u64,
    ok: bool,
    error: Option<String>,
}

/// Sends `rate * duration` requests, request i scheduled at start + i/rate.
/// The pacing is done by an OS thread with `thread::sleep` (tens of
/// microseconds of precision, unlike tokio's 1 ms timer wheel); requests
/// run on the tokio runtime, as many in flight as the server needs.
async fn open_loop(runtime: &tokio::runtime::Runtime, target: Arc<Target>, rate: f64, duration: f64) -> Vec<Sample> {
    let n = (rate * duration).round() as u64;
    let handle = runtime.handle().clone();
    let pacer = std::thread::spawn(move || {
        let start = Instant::now() + Duration::from_millis(10);
        let mut tasks = Vec::with_capacity(n as usize);
        for i in 0..n {
            let scheduled = start + Duration::from_secs_f64(i as f64 / rate);
            let now = Instant::now();
            if scheduled > now {
                std::thread::sleep(scheduled - now);
            }
            let target = target.clone();
            tasks.push(handle.spawn(async move {
                let started = Instant::now();
                let result = target.send_one().await;
                let done = Instant::now();
                let sent = result.as_ref().map_or(started, |s| *s);
                Sample {
                    corrected_us: done.duration_since(scheduled).as_micros() as u64,
                    service_us: done.duration_since(sent).as_micros() as u64,
                    dispatch_lag_us: started.duration_since(scheduled).as_micros() as u64,
                    ok: result.is_ok(),
                    error: result.err(),
                }
            }));
        }
        tasks
    });
    let tasks = tokio::task::spawn_blocking(move || pacer.join().expect("pacer")).await.expect("pacer join");
    let mut samples = Vec::with_capacity(tasks.len());
    for t in tasks {
        if let Ok(s) = t.await {
            samples.push(s);
        }
    }
    samples
}

/// C workers, each sending as soon as its previous request answered, for `duration` seconds.
async fn burst(target: Arc<Target>, workers: usize, duration: f64) -> (Vec<Sample>, f64) {
    let start = Instant::now();
    let end = start + Duration::from_secs_f64(duration);
    let mut tasks = Vec::new();
    for _ in 0..workers {
        let target = target.clone();
        tasks.push(tokio::spawn(async move {
            let mut samples = Vec::new();
            while Instant::now() < end {
                let started = Instant::now();
                let result = target.send_one().await;
                let us = started.elapsed().as_micros() as u64;
                let service = result.as_ref().map_or(us, |sent| sent.elapsed().as_micros() as u64);
                samples.push(Sample { corrected_us: us, service_us: service, dispatch_lag_us: 0, ok: result.is_ok(), error: result.err() });
            }
            samples
        }));
    }
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await.unwrap_or_default());
    }
    (all, start.elapsed().as_secs_f64())
}

/// One phase's figures (milliseconds; throughput in successful answers per second).
#[derive(Serialize)]
struct Summary {
    phase: &'static str,
    label: String,
    /// Open loop: the arrival rate asked for.
    rate: Option<f64>,
    /// Burst: the number of workers.
    concurrency: Option<usize>,
    duration_s: f64,
    requests: usize,
    ok: usize,
    errors: usize,
    error_kinds: BTreeMap<String, usize>,
    throughput: f64,
    p50_ms: f64,
    p90_ms: f64,
    p99_ms: f64,
    p999_ms: f64,
    max_ms: f64,
    /// Open loop: the same from the actual send (not corrected); equal for the burst.
    service_p50_ms: f64,
    service_p99_ms: f64,
    service_p999_ms: f64,
    /// Open loop: how late the pacing thread sent requests (generator health).
    dispatch_lag_p99_ms: f64,
    dispatch_lag_max_ms: f64,
}

fn percentile(sorted: &[u64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1] as f64 / 1000.0
}

impl Summary {
    fn of(phase: &'static str, label: &str, rate: Option<f64>, duration: f64, concurrency: Option<usize>, samples: &[Sample]) -> Summary {
        let mut corrected: Vec<u64> = samples.iter().map(|s| s.corrected_us).collect();
        let mut service: Vec<u64> = samples.iter().map(|s| s.service_us).collect();
        let mut lag: Vec<u64> = samples.iter().map(|s| s.dispatch_lag_us).collect();
        corrected.sort_unstable();
        service.sort_unstable();
        lag.sort_unstable();
        let mut error_kinds = BTreeMap::new();
        for e in samples.iter().filter_map(|s| s.error.as_ref()) {
            *error_kinds.entry(e.clone()).or_insert(0) += 1;
        }
        let ok = samples.iter().filter(|s| s.ok).count();
        Summary {
            phase,
            label: label.to_string(),
            rate,
            concurrency,
            duration_s: (duration * 1000.0).round() / 1000.0,
            requests: samples.len(),
            ok,
            errors: samples.len() - ok,
            error_kinds,
            throughput: (ok as f64 / duration * 10.0).round() / 10.0,
            p50_ms: percentile(&corrected, 0.50),
            p90_ms: percentile(&corrected, 0.90),
            p99_ms: percentile(&corrected, 0.99),
            p999_ms: percentile(&corrected, 0.999),
            max_ms: percentile(&corrected, 1.0),
            service_p50_ms: percentile(&service, 0.50),
            service_p99_ms: percentile(&service, 0.99),
            service_p999_ms: percentile(&service, 0.999),
            dispatch_lag_p99_ms: percentile(&lag, 0.99),
            dispatch_lag_max_ms: percentile(&lag, 1.0),
        }
    }
}

fn print_table(results: &[Summary]) {
    eprintln!("{:<6} {:>10} {:>8} {:>7} {:>10} {:>8} {:>8} {:>9} {:>9}  errors", "phase", "load", "requests", "errors", "answers/s", "p50 ms", "p99 ms", "p99.9 ms", "max ms");
    for r in results {
        let load = match (r.rate, r.concurrency) {
            (Some(rate), _) => format!("{rate}/s"),
            (_, Some(c)) => format!("{c} workers"),
            _ => String::new(),
        };
        eprintln!(
            "{:<6} {:>10} {:>8} {:>7} {:>10.1} {:>8.2} {:>8.2} {:>9.2} {:>9.2}  {:?}",
            r.phase, load, r.requests, r.errors, r.throughput, r.p50_ms, r.p99_ms, r.p999_ms, r.max_ms, r.error_kinds
        );
        if r.phase == "open" {
            eprintln!("       (from the actual send: p50 {:.2}, p99 {:.2}, p99.9 {:.2} ms; pacing lag p99 {:.2}, max {:.2} ms)", r.service_p50_ms, r.service_p99_ms, r.service_p999_ms, r.dispatch_lag_p99_ms, r.dispatch_lag_max_ms);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn source_addresses_are_distinct_loopback_hosts_never_the_server_s_own() {
        let all: std::collections::HashSet<Ipv4Addr> = (0..MAX_SOURCE_ADDRESSES).map(source_address).collect();
        assert_eq!(all.len(), MAX_SOURCE_ADDRESSES);
        assert!(all.iter().all(|a| a.is_loopback() && a.octets()[3] >= 2 && a.octets()[3] <= 251));
        assert_eq!((source_address(0), source_address(249), source_address(250)), (Ipv4Addr::new(127, 0, 0, 2), Ipv4Addr::new(127, 0, 0, 251), Ipv4Addr::new(127, 0, 1, 2)));
    }
}
