//! Request ids and access logs: every request gets an `x-request-id` (kept
//! if the client sent one), a span carrying it, and one log line with status
//! and latency. Paths that carry secrets (invitation tokens) are logged
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

/// The path as it may be logged: invitation tokens are cut off.
pub fn loggable_path(path: &str) -> String {
    if path.strip_prefix("/set-password/").is_some_and(|rest| !rest.is_empty()) {
        return "/set-password/[token]".to_string();
    }
    match path.strip_prefix("/take/") {
        Some(rest) if !rest.is_empty() => "/take/[token]".to_string(),
        _ => path.chars().take(200).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::loggable_path;

    #[test]
    fn invitation_tokens_never_reach_the_log() {
        assert_eq!(loggable_path("/take/abcDEF123"), "/take/[token]");
        assert_eq!(loggable_path("/healthz"), "/healthz");
        assert_eq!(loggable_path("/set-password/0123abcd"), "/set-password/[token]");
    }
}
