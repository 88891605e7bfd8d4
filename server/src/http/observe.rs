//! Request ids and access logs: every request gets an `x-request-id` (kept
//! if the client sent one), a span carrying it, and one log line with status
//! and latency. Paths that carry secrets (personal link tokens) are logged
//! without them; query strings are never logged.

use std::time::Duration;

use axum::{
    body::Body,
    http::{HeaderName, Request, Response},
};
use tracing::Span;

pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The span around one request.
pub fn make_span(req: &Request<Body>) -> Span {
    let request_id = req.headers().get(&REQUEST_ID).and_then(|v| v.to_str().ok()).unwrap_or("-");
    tracing::info_span!("request", request_id = %request_id, method = %req.method(), path = %loggable_path(req.uri().path()))
}

/// The access-log line written when a response leaves.
pub fn on_response(res: &Response<Body>, latency: Duration, _span: &Span) {
    tracing::info!(status = res.status().as_u16(), latency_ms = latency.as_secs_f64() * 1000.0, "served");
}

/// The routes whose first segment after the prefix is a personal token.
const TOKEN_ROUTES: [&str; 4] = ["/take/", "/set-password/", "/survey/", "/me/"];

/// The path as it may be logged: a personal link's token becomes `[token]`
/// (what follows it stays, e.g. `/me/[token]/autosave`).
pub fn loggable_path(path: &str) -> String {
    for prefix in TOKEN_ROUTES {
        if let Some(rest) = path.strip_prefix(prefix).filter(|rest| !rest.is_empty()) {
            let after = rest.find('/').map_or("", |i| &rest[i..]);
            return format!("{prefix}[token]{}", after.chars().take(100).collect::<String>());
        }
    }
    path.chars().take(200).collect()
}

#[cfg(test)]
mod tests {
    use super::loggable_path;

    #[test]
    fn personal_link_tokens_never_reach_the_log() {
        assert_eq!(loggable_path("/take/abcDEF123"), "/take/[token]");
        assert_eq!(loggable_path("/healthz"), "/healthz");
        assert_eq!(loggable_path("/set-password/0123abcd"), "/set-password/[token]");
        assert_eq!(loggable_path("/survey/0123abcd"), "/survey/[token]");
        assert_eq!(loggable_path("/survey/0123abcd/autosave"), "/survey/[token]/autosave");
        assert_eq!(loggable_path("/me/0123abcd/data.json"), "/me/[token]/data.json");
        assert_eq!(loggable_path("/me"), "/me", "the page that asks for a link has none");
        assert_eq!(loggable_path("/take/"), "/take/");
    }
}
