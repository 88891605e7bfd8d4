//! What one request sends: the bank's answerable items, the candidates
//! with their sequence numbers (and, in adaptive mode, the question each is
//! asked next), and the save itself.

use std::{
    path::PathBuf,
    sync::atomic::{AtomicBool, AtomicI64, AtomicUsize, Ordering},
    time::{Duration, Instant, SystemTime, UNIX_EPOCH},
};

use serde::Deserialize;

#[derive(Deserialize)]
struct BankFile {
    instrument: Instrument,
    #[serde(default)]
    response_scales: Vec<Scale>,
    items: Vec<Item>,
}
#[derive(Deserialize)]
struct Instrument {
    id: String,
}
#[derive(Deserialize)]
struct Scale {
    id: String,
    min: i64,
    max: i64,
}
#[derive(Deserialize)]
struct Item {
    id: String,
    response_scale: Option<String>,
}

/// (key "instrument/item", lowest value, highest value) of every item with a response scale.
pub(crate) fn bank_answers(path: &PathBuf) -> Result<Vec<(String, i64, i64)>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let bank: BankFile = toml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    let answers: Vec<_> = bank
        .items
        .iter()
        .filter_map(|i| {
            let scale = bank.response_scales.iter().find(|s| Some(&s.id) == i.response_scale.as_ref())?;
            Some((format!("{}/{}", bank.instrument.id, i.id), scale.min, scale.max))
        })
        .collect();
    if answers.is_empty() {
        return Err(format!("{}: no items with a response scale", path.display()));
    }
    Ok(answers)
}

/// What every request needs: the client, the candidates and their sequence numbers, the items.
pub(crate) struct Target {
    client: reqwest::Client,
    servers: Vec<Server>,
    cookies: Vec<String>,
    seqs: Vec<AtomicI64>,
    answers: Vec<(String, i64, i64)>,
    seed: u64,
    counter: AtomicUsize,
    /// Adaptive mode: read the page first, answer the question it asks.
    adaptive: bool,
    /// Adaptive mode: a request to this candidate is under way.
    busy: Vec<AtomicBool>,
    /// Adaptive mode: the question each candidate is asked next, as the last acknowledgement named it.
    next: Vec<std::sync::Mutex<Option<String>>>,
}

/// One server the requests go to (several: in turn).
struct Server {
    /// Sent as `Origin`: Vigil refuses posts that do not say they come from its own site.
    origin: String,
    url: String,
    page_url: String,
}

/// Frees a candidate for the next request when dropped.
struct Busy<'a>(&'a AtomicBool);

impl Drop for Busy<'_> {
    fn drop(&mut self) {
        self.0.store(false, Ordering::Release);
    }
}

impl Target {
    pub(crate) fn new(base_urls: &[String], cookies: Vec<String>, answers: Vec<(String, i64, i64)>, seed: u64, adaptive: bool) -> Result<Self, String> {
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .pool_max_idle_per_host(4096)
            .tcp_nodelay(true)
            .timeout(Duration::from_secs(10))
            .build()
            .map_err(|e| e.to_string())?;
        // Sequence numbers start above any earlier run's: seconds since 1970 * 10^6.
        let base = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64) * 1_000_000;
        let seqs = cookies.iter().map(|_| AtomicI64::new(base)).collect();
        let servers: Vec<Server> = base_urls
            .iter()
            .map(|b| b.trim_end_matches('/').to_string())
            .map(|origin| Server { url: format!("{origin}/api/save_answers"), page_url: format!("{origin}/assessment"), origin })
            .collect();
        let busy = cookies.iter().map(|_| AtomicBool::new(false)).collect();
        let next = cookies.iter().map(|_| std::sync::Mutex::new(None)).collect();
        Ok(Target { client, servers, cookies, seqs, answers, seed, counter: AtomicUsize::new(0), adaptive, busy, next })
    }

    /// Adaptive mode: the first free candidate from `start` on, marked busy.
    fn claim(&self, start: usize) -> Option<(usize, Busy<'_>)> {
        (0..self.cookies.len().min(64)).map(|k| (start + k) % self.cookies.len()).find_map(|c| {
            self.busy[c].compare_exchange(false, true, Ordering::Acquire, Ordering::Relaxed).ok().map(|_| (c, Busy(&self.busy[c])))
        })
    }

    /// Adaptive mode: the question the candidate's current page asks
    /// (`instrument/item`), as the engine chose it.
    async fn asked(&self, server: &Server, candidate: usize) -> Result<String, String> {
        let res = self.client.get(&server.page_url).header("cookie", &self.cookies[candidate]).send().await.map_err(|_| "page transport".to_string())?;
        if res.status() != reqwest::StatusCode::OK {
            return Err(format!("page http {}", res.status().as_u16()));
        }
        let html = res.text().await.map_err(|_| "page transport".to_string())?;
        html.split("type=\"radio\"")
            .skip(1)
            .find_map(|part| part.split("name=\"a:").nth(1).and_then(|r| r.split('"').next()).map(String::from))
            .ok_or_else(|| "no question on the page".to_string())
    }

    /// Sends one answer: the first request of a run to each candidate in
    /// turn, then of a random candidate; returns when the save was sent.
    pub(crate) async fn send_one(&self) -> Result<Instant, String> {
        let n = self.counter.fetch_add(1, Ordering::Relaxed) as u64;
        let server = &self.servers[n as usize % self.servers.len()];
        let r = splitmix64(self.seed ^ n.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        let mut candidate = if (n as usize) < self.cookies.len() { n as usize } else { (r % self.cookies.len() as u64) as usize };
        let mut _busy = None;
        let (key, min, max) = if self.adaptive {
            let (c, guard) = self.claim(candidate).ok_or_else(|| "every candidate busy".to_string())?;
            (candidate, _busy) = (c, Some(guard));
            let known = self.next[candidate].lock().ok().and_then(|mut n| n.take());
            let key = match known {
                Some(key) => key,
                None => self.asked(server, candidate).await?,
            };
            let (min, max) = self.answers.iter().find(|(k, _, _)| *k == key).map_or((1, 5), |(_, lo, hi)| (*lo, *hi));
            (key, min, max)
        } else {
            self.answers[((r >> 20) % self.answers.len() as u64) as usize].clone()
        };
        let value = min + ((r >> 40) % (max - min + 1) as u64) as i64;
        let latency_ms = 1500 + ((r >> 8) % 6000) as i64;
        let seq = self.seqs[candidate].fetch_add(1, Ordering::Relaxed) + 1;
        let body = format!(r#"{{"answers":[{{"key":"{key}","value":"{value}","latency_ms":{latency_ms},"seq":{seq}}}]}}"#);
        let sent = Instant::now();
        let res = self
            .client
            .post(&server.url)
            .header("origin", &server.origin)
            .header("cookie", &self.cookies[candidate])
            .header("content-type", "application/json")
            .header("accept", "application/json")
            .body(body)
            .send()
            .await
            .map_err(|e| if e.is_timeout() { "timeout".to_string() } else if e.is_connect() { "connect".to_string() } else { "transport".to_string() })?;
        let status = res.status();
        let text = res.text().await.map_err(|_| "transport".to_string())?;
        if status != reqwest::StatusCode::OK {
            return Err(format!("http {}", status.as_u16()));
        }
        if !text.contains("\"acked_seq\"") {
            return Err("bad body".into());
        }
        if self.adaptive {
            let next = serde_json::from_str::<serde_json::Value>(&text).ok().and_then(|v| v["next"].as_str().map(String::from));
            if let Ok(mut slot) = self.next[candidate].lock() {
                *slot = next;
            }
        }
        Ok(sent)
    }
}

fn splitmix64(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}
