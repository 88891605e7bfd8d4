//! The client's address, for the rate limits and the audit log.
//!
//! Directly on the internet it is the TCP peer. Behind a reverse proxy the
//! peer is the proxy, and the proxy names the client in `X-Forwarded-For`
//! (each hop appends the address it received the request from). That
//! header is believed only when the peer is a configured trusted proxy, and
//! then only from the right: the right-most address that is not itself a
//! trusted proxy is the client. Whatever stands further left came from the
//! client and could be forged.

use std::net::{IpAddr, SocketAddr};

use axum::{
    extract::{ConnectInfo, FromRequestParts, Request},
    http::{request::Parts, StatusCode},
    middleware::Next,
    response::Response,
};

use crate::config::TrustedProxies;

/// The client's address as worked out by [`client_address`], in the
/// request's extensions (put there by [`remember_client_address`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAddr(pub IpAddr);

/// The client of a request that reached us from `peer` with the given
/// `X-Forwarded-For` header values (in the order received).
///
/// - peer not a trusted proxy: the peer (the header is ignored, whatever it says);
/// - otherwise, walking the addresses from the right: trusted proxies are
///   skipped, and the first other address is the client;
/// - a malformed entry ends the walk (nothing left of it is believed), as
///   does the end of the list: the answer is then the peer.
pub fn client_address<'a>(peer: IpAddr, forwarded_for: impl IntoIterator<Item = &'a str>, trusted: &TrustedProxies) -> IpAddr {
    let peer = peer.to_canonical();
    if !trusted.contains(peer) {
        return peer;
    }
    let entries: Vec<&str> = forwarded_for.into_iter().flat_map(|value| value.split(',')).collect();
    for entry in entries.into_iter().rev() {
        match parse_entry(entry) {
            Some(ip) if trusted.contains(ip) => continue,
            Some(ip) => return ip,
            None => break,
        }
    }
    peer
}

/// One `X-Forwarded-For` entry: an address, optionally with a port
/// (`192.0.2.1:4711`, `[2001:db8::1]:443`) or in brackets.
fn parse_entry(entry: &str) -> Option<IpAddr> {
    let entry = entry.trim();
    let ip = entry
        .parse::<IpAddr>()
        .ok()
        .or_else(|| entry.parse::<SocketAddr>().ok().map(|a| a.ip()))
        .or_else(|| entry.strip_prefix('[')?.strip_suffix(']')?.parse().ok())?;
    Some(ip.to_canonical())
}

/// Middleware: works out the client's address once and keeps it in the
/// request's extensions as [`ClientAddr`].
pub async fn remember_client_address(trusted: std::sync::Arc<TrustedProxies>, mut req: Request, next: Next) -> Response {
    if let Some(ConnectInfo(peer)) = req.extensions().get::<ConnectInfo<SocketAddr>>().copied() {
        // A value that is not text counts as a malformed entry.
        let forwarded = req.headers().get_all("x-forwarded-for").iter().map(|v| v.to_str().unwrap_or("?"));
        let client = client_address(peer.ip(), forwarded, &trusted);
        req.extensions_mut().insert(ClientAddr(client));
    }
    next.run(req).await
}

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = (StatusCode, &'static str);

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<ClientAddr>()
            .copied()
            .ok_or((StatusCode::INTERNAL_SERVER_ERROR, "the client address is unknown"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::parse_trusted_proxy;

    fn ip(s: &str) -> IpAddr {
        s.parse().expect("ip")
    }

    fn trusting(ranges: &[&str]) -> TrustedProxies {
        TrustedProxies::new(ranges.iter().map(|r| parse_trusted_proxy(r).expect("range")).collect())
    }

    #[test]
    fn without_trusted_proxies_the_peer_is_the_client_whatever_the_header_says() {
        let nobody = TrustedProxies::default();
        assert_eq!(client_address(ip("198.51.100.4"), ["203.0.113.9"], &nobody), ip("198.51.100.4"));
    }

    #[test]
    fn a_forged_header_from_a_direct_client_is_ignored() {
        let proxies = trusting(&["10.0.0.0/8"]);
        assert_eq!(client_address(ip("198.51.100.4"), ["203.0.113.9"], &proxies), ip("198.51.100.4"));
        assert_eq!(client_address(ip("198.51.100.4"), ["10.0.0.1"], &proxies), ip("198.51.100.4"));
    }

    #[test]
    fn behind_one_proxy_the_client_is_the_address_it_appended() {
        let proxies = trusting(&["10.0.0.5"]);
        assert_eq!(client_address(ip("10.0.0.5"), ["203.0.113.9"], &proxies), ip("203.0.113.9"));
        // What the client sent along stands further left and is not believed.
        assert_eq!(client_address(ip("10.0.0.5"), ["1.2.3.4, 203.0.113.9"], &proxies), ip("203.0.113.9"));
    }

    #[test]
    fn in_a_chain_of_proxies_the_right_most_untrusted_address_is_the_client() {
        let proxies = trusting(&["10.0.0.0/8", "192.0.2.10"]);
        // client -> 192.0.2.10 (CDN) -> 10.0.0.7 (load balancer) -> 10.0.0.5 (peer)
        let chain = ["forged.example, 203.0.113.9, 192.0.2.10", "10.0.0.7"];
        assert_eq!(client_address(ip("10.0.0.5"), chain, &proxies), ip("203.0.113.9"));
        // Several header lines count as one list, in order.
        assert_eq!(client_address(ip("10.0.0.5"), ["203.0.113.9", "192.0.2.10, 10.0.0.7"], &proxies), ip("203.0.113.9"));
    }

    #[test]
    fn a_malformed_header_is_not_believed() {
        let proxies = trusting(&["10.0.0.0/8"]);
        let peer = ip("10.0.0.5");
        for bad in ["", "unknown", "203.0.113.9 203.0.113.10", "203.0.113.999", "_hidden", "203.0.113.9,"] {
            assert_eq!(client_address(peer, [bad], &proxies), peer, "{bad:?}");
        }
        // Left of a malformed entry nothing counts, even a valid address.
        assert_eq!(client_address(peer, ["203.0.113.9, garbage, 10.0.0.7"], &proxies), peer);
        // Right of it the walk already found the client.
        assert_eq!(client_address(peer, ["garbage, 203.0.113.9"], &proxies), ip("203.0.113.9"));
    }

    #[test]
    fn without_a_header_or_with_only_proxies_in_it_the_peer_is_the_client() {
        let proxies = trusting(&["10.0.0.0/8"]);
        assert_eq!(client_address(ip("10.0.0.5"), [], &proxies), ip("10.0.0.5"));
        assert_eq!(client_address(ip("10.0.0.5"), ["10.0.0.8, 10.0.0.7"], &proxies), ip("10.0.0.5"));
    }

    #[test]
    fn ipv6_addresses_ports_and_mapped_addresses_are_understood() {
        let proxies = trusting(&["fd00::/8", "10.0.0.0/8"]);
        assert_eq!(client_address(ip("fd00::1"), ["2001:db8::7"], &proxies), ip("2001:db8::7"));
        assert_eq!(client_address(ip("fd00::1"), ["[2001:db8::7]:443"], &proxies), ip("2001:db8::7"));
        assert_eq!(client_address(ip("fd00::1"), ["[2001:db8::7]"], &proxies), ip("2001:db8::7"));
        assert_eq!(client_address(ip("fd00::1"), ["203.0.113.9:4711, fd00::2"], &proxies), ip("203.0.113.9"));
        // A dual-stack socket reports IPv4 peers as ::ffff:a.b.c.d.
        assert_eq!(client_address(ip("::ffff:10.0.0.5"), ["::ffff:203.0.113.9"], &proxies), ip("203.0.113.9"));
        assert_eq!(client_address(ip("::ffff:198.51.100.4"), ["203.0.113.9"], &proxies), ip("198.51.100.4"));
    }
}
