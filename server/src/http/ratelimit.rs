//! Guessing invitation tokens is slowed to a crawl: a client address that
//! opened `LIMIT` unknown, expired or withdrawn invitation links within a
//! window waits until the window has passed. Valid links never count, so a
//! room of candidates behind one office address can all start at once.
//! (A token has 192 random bits, so this is about noise and load, not the
//! odds.)
//!
//! With SQLite one process serves, and the counters live in its memory. On
//! PostgreSQL several processes may serve behind a load balancer, so the
//! counters are rows in the database (`rate_windows`, fixed windows aligned
//! to `WINDOW`), and the limit holds whichever process a request reaches.

use std::{
    collections::HashMap,
    net::IpAddr,
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use axum::{
    extract::Request,
    http::StatusCode,
    middleware::Next,
    response::{Html, IntoResponse, Response},
};

use crate::{config::DatabaseKind, store::Store};

/// Failed link openings allowed per address and window.
pub const LIMIT: u32 = 30;
pub const WINDOW: Duration = Duration::from_secs(300);

/// Counters of failed link openings per client address: in this process,
/// or shared by every process of the database.
#[derive(Clone)]
pub enum LinkLimiter {
    /// Fixed windows from an address's first failure.
    Memory(Arc<Mutex<HashMap<IpAddr, (Instant, u32)>>>),
    /// Fixed windows aligned to `WINDOW`, in the database.
    Shared(Store),
}

impl Default for LinkLimiter {
    fn default() -> LinkLimiter {
        LinkLimiter::Memory(Arc::default())
    }
}

/// The start of the shared window holding `now_ms`.
fn window_start(now_ms: i64) -> i64 {
    let window = WINDOW.as_millis() as i64;
    now_ms - now_ms.rem_euclid(window)
}

fn shared_key(ip: IpAddr) -> String {
    format!("link-failures:{ip}")
}

impl LinkLimiter {
    /// Shared counters where several processes may serve (PostgreSQL).
    pub fn for_store(store: &Store) -> LinkLimiter {
        match store.kind() {
            DatabaseKind::Postgres => LinkLimiter::Shared(store.clone()),
            DatabaseKind::Sqlite => LinkLimiter::default(),
        }
    }

    /// Whether the address has used up its failures in the current window.
    /// A database that does not answer lets the request through (logged):
    /// the link itself is still checked.
    pub async fn blocked(&self, ip: IpAddr) -> bool {
        match self {
            LinkLimiter::Memory(windows) => memory_blocked(windows, ip, Instant::now()),
            LinkLimiter::Shared(store) => match store.rate_events(&shared_key(ip), window_start(crate::time::now_ms())).await {
                Ok(count) => count >= i64::from(LIMIT),
                Err(e) => {
                    tracing::warn!(error = %e, "the shared link limit could not be read");
                    false
                }
            },
        }
    }

    /// Counts one failed opening (an unknown, expired or withdrawn link).
    pub async fn count_failure(&self, ip: IpAddr) {
        match self {
            LinkLimiter::Memory(windows) => memory_count(windows, ip, Instant::now()),
            LinkLimiter::Shared(store) => {
                if let Err(e) = store.count_rate_event(&shared_key(ip), window_start(crate::time::now_ms())).await {
                    tracing::warn!(error = %e, "a failed link opening could not be counted");
                }
            }
        }
    }
}

fn memory_blocked(windows: &Mutex<HashMap<IpAddr, (Instant, u32)>>, ip: IpAddr, now: Instant) -> bool {
    let Ok(windows) = windows.lock() else { return false };
    windows.get(&ip).is_some_and(|(start, failures)| now.duration_since(*start) < WINDOW && *failures >= LIMIT)
}

fn memory_count(windows: &Mutex<HashMap<IpAddr, (Instant, u32)>>, ip: IpAddr, now: Instant) {
    let Ok(mut windows) = windows.lock() else { return };
    if windows.len() > 100_000 {
        windows.retain(|_, (start, _)| now.duration_since(*start) < WINDOW);
    }
    let entry = windows.entry(ip).or_insert((now, 0));
    if now.duration_since(entry.0) >= WINDOW {
        *entry = (now, 0);
    }
    entry.1 += 1;
}

/// The link page's answer for a link that does not open: unknown (404),
/// expired or withdrawn (410).
fn is_failed_opening(status: StatusCode) -> bool {
    status == StatusCode::NOT_FOUND || status == StatusCode::GONE
}

pub async fn limit_links(limiter: LinkLimiter, req: Request, next: Next) -> Response {
    if req.uri().path().starts_with("/take/") {
        // The client as `client::remember_client_address` worked it out (behind a proxy, not the proxy).
        let ip = req.extensions().get::<super::client::ClientAddr>().map(|c| c.0);
        if let Some(ip) = ip {
            if limiter.blocked(ip).await {
                tracing::warn!(%ip, "invitation link rate limit");
                let body = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Please wait · Vigil</title><link rel=\"stylesheet\" href=\"/pkg/vigil.css\"></head><body><main id=\"main\"><section class=\"prose\"><h1>Please wait a few minutes</h1><p>Too many invitation links were opened from your network in a short time. Please try your link again in a few minutes.</p></section></main></body></html>";
                return (StatusCode::TOO_MANY_REQUESTS, [("retry-after", "300")], Html(body)).into_response();
            }
            let response = next.run(req).await;
            if is_failed_opening(response.status()) {
                limiter.count_failure(ip).await;
            }
            return response;
        }
    }
    next.run(req).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_is_limited_within_a_window_and_free_again_after_it() {
        let windows = Mutex::default();
        let ip: IpAddr = "192.0.2.7".parse().expect("ip");
        let other: IpAddr = "192.0.2.8".parse().expect("ip");
        let t0 = Instant::now();
        for _ in 0..LIMIT {
            assert!(!memory_blocked(&windows, ip, t0));
            memory_count(&windows, ip, t0);
        }
        assert!(memory_blocked(&windows, ip, t0 + Duration::from_secs(1)));
        assert!(!memory_blocked(&windows, other, t0), "other addresses are not affected");
        assert!(!memory_blocked(&windows, ip, t0 + WINDOW), "a new window starts afresh");
        assert!(is_failed_opening(StatusCode::NOT_FOUND) && is_failed_opening(StatusCode::GONE));
        assert!(!is_failed_opening(StatusCode::SEE_OTHER), "a link that opens never counts");
    }

    #[test]
    fn shared_windows_are_aligned_to_the_window_length() {
        let w = WINDOW.as_millis() as i64;
        assert_eq!(window_start(10 * w), 10 * w);
        assert_eq!(window_start(10 * w + w - 1), 10 * w);
        assert_eq!(window_start(11 * w), 11 * w);
    }
}
