//! Security headers on every response, and the Content-Security-Policy's
//! per-request nonce.
//!
//! The policy allows no inline script and no inline style. The one inline
//! script Vigil needs, Leptos's hydration bootstrap (`<HydrationScripts>` in
//! `app::shell`), is allowed by a nonce: [`security_headers`] draws a fresh
//! one for every request, puts it in the request's extensions and names it
//! in the policy of the response; [`provide_csp_nonce`], called from the
//! Leptos context closures, hands the same value to Leptos, which writes it
//! into the `nonce` attribute of every script it emits.

use std::sync::Arc;

use axum::{
    extract::Request,
    http::{request::Parts, HeaderMap, HeaderValue},
    middleware::Next,
    response::Response,
};
use leptos::prelude::{provide_context, use_context};

/// Random bytes in a nonce: 144 bits (at least 128 are recommended), which
/// is 24 base64 characters without padding.
const NONCE_BYTES: usize = 18;

/// The nonce of one request's Content-Security-Policy (base64).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CspNonce(Arc<str>);

impl CspNonce {
    /// A fresh nonce from the operating system's CSPRNG (via `rand`'s thread RNG).
    pub fn generate() -> CspNonce {
        use base64::Engine as _;
        use rand::RngCore as _;
        let mut bytes = [0u8; NONCE_BYTES];
        rand::rng().fill_bytes(&mut bytes);
        CspNonce(base64::engine::general_purpose::STANDARD.encode(bytes).into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The Content-Security-Policy of a response whose scripts carry `nonce`.
///
/// - scripts: this origin, the nonce'd hydration bootstrap, and compiling
///   the WASM bundle (`'wasm-unsafe-eval'`); no inline script or handler;
/// - styles: the stylesheet from this origin only (no `<style>`, no `style=`);
/// - no plug-ins, no `<base>`, forms post only here, no framing by anyone.
pub fn content_security_policy(nonce: &CspNonce) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{}' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
        nonce.as_str()
    )
}

/// Middleware: a fresh nonce for the request, and the security headers
/// (with the policy naming that nonce) on its response. A response that
/// brings its own Content-Security-Policy keeps it. Behind TLS (`secure`,
/// the server's `--secure-cookies`) browsers are also told to use HTTPS
/// only ([`STRICT_TRANSPORT_SECURITY`]).
pub async fn security_headers(secure: bool, mut req: Request, next: Next) -> Response {
    let nonce = CspNonce::generate();
    req.extensions_mut().insert(nonce.clone());
    let mut res = next.run(req).await;
    set_headers(res.headers_mut(), &nonce, secure);
    res
}

/// HTTPS only, for two years, for this host (not its subdomains, which
/// may be other services of the organisation).
pub const STRICT_TRANSPORT_SECURITY: &str = "max-age=63072000";

fn set_headers(h: &mut HeaderMap, nonce: &CspNonce, secure: bool) {
    let set = |h: &mut HeaderMap, name: &'static str, value: &'static str| {
        h.insert(name, HeaderValue::from_static(value));
    };
    set(h, "x-content-type-options", "nosniff");
    set(h, "referrer-policy", "no-referrer");
    set(h, "x-frame-options", "DENY");
    set(h, "cross-origin-opener-policy", "same-origin");
    set(h, "permissions-policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()");
    if secure {
        set(h, "strict-transport-security", STRICT_TRANSPORT_SECURITY);
    }
    if !h.contains_key("content-security-policy") {
        // Base64 and the fixed text are always a valid header value.
        if let Ok(value) = HeaderValue::from_str(&content_security_policy(nonce)) {
            h.insert("content-security-policy", value);
        }
    }
}

/// For the Leptos context closures: provides this request's nonce (found in
/// the request [`Parts`] that leptos_axum put in the context) as Leptos's
/// [`leptos::nonce::Nonce`], replacing the one leptos_axum drew itself, so
/// the scripts Leptos writes carry the nonce the policy names. Does nothing
/// where there is no request (route listing) or no nonce.
pub fn provide_csp_nonce() {
    let nonce = use_context::<Parts>().and_then(|parts| parts.extensions.get::<CspNonce>().cloned());
    if let Some(nonce) = nonce {
        provide_context(leptos::nonce::Nonce::from_value(nonce.0));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_nonce_is_base64_of_at_least_128_bits_and_never_repeats() {
        use base64::Engine as _;
        let a = CspNonce::generate();
        let b = CspNonce::generate();
        assert_ne!(a, b);
        let bytes = base64::engine::general_purpose::STANDARD.decode(a.as_str()).expect("base64");
        assert!(bytes.len() * 8 >= 128, "{} bits", bytes.len() * 8);
    }

    #[test]
    fn the_policy_allows_the_nonce_and_wasm_but_nothing_inline() {
        let nonce = CspNonce::generate();
        let csp = content_security_policy(&nonce);
        assert!(csp.contains(&format!("script-src 'self' 'nonce-{}' 'wasm-unsafe-eval';", nonce.as_str())), "{csp}");
        assert!(!csp.contains("unsafe-inline"), "{csp}");
        assert!(csp.contains("style-src 'self';"), "{csp}");
        for directive in ["default-src 'self'", "object-src 'none'", "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'"] {
            assert!(csp.contains(directive), "{directive} missing from {csp}");
        }
    }

    #[test]
    fn a_policy_set_by_a_handler_is_kept() {
        let mut h = HeaderMap::new();
        h.insert("content-security-policy", HeaderValue::from_static("default-src 'none'"));
        set_headers(&mut h, &CspNonce::generate(), false);
        assert_eq!(h["content-security-policy"], "default-src 'none'");
        assert_eq!(h["x-content-type-options"], "nosniff");
        assert!(!h.contains_key("strict-transport-security"), "not over plain HTTP");
        set_headers(&mut h, &CspNonce::generate(), true);
        assert_eq!(h["strict-transport-security"], STRICT_TRANSPORT_SECURITY);
    }
}
