//! Cookies (reading them is server only). One place, used by the candidate
//! pages, the candidate form handlers, the answer endpoint and staff sign-in.

/// The value of the named cookie in a request's `Cookie` headers (empty values count as absent).
pub fn cookie_value(headers: &http::HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(n, v)| *n == name && !v.is_empty())
        .map(|(_, value)| value.to_string())
}

/// Name of the cookie holding a candidate's access secret.
pub const CANDIDATE_COOKIE: &str = "vigil_candidate";

/// The candidate's access secret from the request's cookies.
#[cfg(feature = "ssr")]
pub fn candidate_cookie(headers: &http::HeaderMap) -> Option<String> {
    cookie_value(headers, CANDIDATE_COOKIE)
}
