//! Guessing invitation tokens is slowed to a crawl: a client address that
//! opened `LIMIT` unknown, expired or withdrawn invitation links within a
//! window waits until the window has passed. Valid links never count, so a
//! room of candidates behind one office address can all start at once.
//! (A token has 192 random bits, so this is about noise and load, not the
//! odds.)

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

/// Failed link openings allowed per address and window.
pub const LIMIT: u32 = 30;
pub const WINDOW: Duration = Duration::from_secs(300);

/// Fixed-window counters of failed link openings per client address.
#[derive(Clone, Default)]
pub struct LinkLimiter {
    windows: Arc<Mutex<HashMap<IpAddr, (Instant, u32)>>>,
}

impl LinkLimiter {
    /// Whether the address has used up its failures in the current window.
    pub fn blocked(&self, ip: IpAddr, now: Instant) -> bool {
        let Ok(windows) = self.windows.lock() else { return false };
        windows.get(&ip).is_some_and(|(start, failures)| now.duration_since(*start) < WINDOW && *failures >= LIMIT)
    }

    /// Counts one failed opening (an unknown, expired or withdrawn link).
    pub fn count_failure(&self, ip: IpAddr, now: Instant) {
        let Ok(mut windows) = self.windows.lock() else { return };
        if windows.len() > 100_000 {
            windows.retain(|_, (start, _)| now.duration_since(*start) < WINDOW);
        }
        let entry = windows.entry(ip).or_insert((now, 0));
        if now.duration_since(entry.0) >= WINDOW {
            *entry = (now, 0);
        }
        entry.1 += 1;
    }
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
            if limiter.blocked(ip, Instant::now()) {
                tracing::warn!(%ip, "invitation link rate limit");
                let body = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Please wait · Vigil</title><link rel=\"stylesheet\" href=\"/pkg/vigil.css\"></head><body><main id=\"main\"><section class=\"prose\"><h1>Please wait a few minutes</h1><p>Too many invitation links were opened from your network in a short time. Please try your link again in a few minutes.</p></section></main></body></html>";
                return (StatusCode::TOO_MANY_REQUESTS, [("retry-after", "300")], Html(body)).into_response();
            }
            let response = next.run(req).await;
            if is_failed_opening(response.status()) {
                limiter.count_failure(ip, Instant::now());
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
        let limiter = LinkLimiter::default();
        let ip: IpAddr = "192.0.2.7".parse().expect("ip");
        let other: IpAddr = "192.0.2.8".parse().expect("ip");
        let t0 = Instant::now();
        for _ in 0..LIMIT {
            assert!(!limiter.blocked(ip, t0));
            limiter.count_failure(ip, t0);
        }
        assert!(limiter.blocked(ip, t0 + Duration::from_secs(1)));
        assert!(!limiter.blocked(other, t0), "other addresses are not affected");
        assert!(!limiter.blocked(ip, t0 + WINDOW), "a new window starts afresh");
        assert!(is_failed_opening(StatusCode::NOT_FOUND) && is_failed_opening(StatusCode::GONE));
        assert!(!is_failed_opening(StatusCode::SEE_OTHER), "a link that opens never counts");
    }
}
