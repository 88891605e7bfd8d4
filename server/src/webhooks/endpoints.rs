//! Registering endpoints (administrators): where events go, which events,
//! the signing secret (shown when made and on rotation) and the rule of
//! which addresses may receive them.

use std::net::IpAddr;

use super::{signature::new_secret, EVENTS};
use crate::{
    service_error::ServiceError,
    staff::{require_admin, Caller},
    store::{DeliveryRow, Store, WebhookEndpointRow},
    time::now_ms,
};

/// How long a rotated-out secret keeps signing beside the new one.
pub const ROTATION_OVERLAP_MS: i64 = 24 * 3_600_000;
/// Endpoints per organisation.
pub const MAX_ENDPOINTS: usize = 20;
/// Longest URL.
pub const MAX_URL_CHARS: usize = 2000;

/// Which addresses may receive events: public HTTPS only; plain HTTP to
/// this machine only where allowed (development and tests).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct UrlPolicy {
    pub allow_loopback: bool,
}

/// Whether an address is one anybody on the internet reaches: not private,
/// loopback, link-local, shared (CGNAT), documentation, multicast or unspecified.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            !(v4.is_private() || v4.is_loopback() || v4.is_link_local() || v4.is_unspecified() || v4.is_multicast() || v4.is_broadcast() || v4.is_documentation()
                || a == 0
                || (a == 100 && (64..128).contains(&b))
                || (a == 198 && (b == 18 || b == 19)))
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_public(IpAddr::V4(v4));
            }
            let first = v6.segments()[0];
            !(v6.is_loopback() || v6.is_unspecified() || v6.is_multicast() || (first & 0xfe00) == 0xfc00 || (first & 0xffc0) == 0xfe80 || first == 0x2001 && v6.segments()[1] == 0x0db8)
        }
    }
}

impl UrlPolicy {
    /// Whether events may be sent to this resolved address.
    pub fn admits(&self, ip: IpAddr) -> bool {
        is_public(ip) || (self.allow_loopback && ip.is_loopback())
    }

    /// The URL, or why it cannot receive events.
    pub fn check(&self, url: &str) -> Result<reqwest::Url, String> {
        let url = url.trim();
        if url.chars().count() > MAX_URL_CHARS {
            return Err(format!("The address is longer than {MAX_URL_CHARS} characters."));
        }
        let parsed = reqwest::Url::parse(url).map_err(|e| format!("This is not a web address ({e})."))?;
        if !parsed.username().is_empty() || parsed.password().is_some() {
            return Err("Please leave the user name and password out of the address: every delivery is signed instead.".into());
        }
        let host = parsed.host().ok_or("The address has no host.")?;
        let loopback = match host {
            url::Host::Ipv4(ip) => {
                if !self.admits(IpAddr::V4(ip)) {
                    return Err(format!("{ip} is a private or reserved address; events go only to public addresses."));
                }
                ip.is_loopback()
            }
            url::Host::Ipv6(ip) => {
                if !self.admits(IpAddr::V6(ip)) {
                    return Err(format!("{ip} is a private or reserved address; events go only to public addresses."));
                }
                ip.is_loopback()
            }
            url::Host::Domain(name) => {
                let name = name.to_ascii_lowercase();
                if name == "localhost" || name.ends_with(".localhost") {
                    if !self.allow_loopback {
                        return Err("localhost is this server itself; events go only to public addresses.".into());
                    }
                    true
                } else {
                    false
                }
            }
        };
        match parsed.scheme() {
            "https" => Ok(parsed),
            "http" if loopback && self.allow_loopback => Ok(parsed),
            _ => Err("Please use an https:// address: events carry personal references and are sent only encrypted.".into()),
        }
    }
}

/// The stored form of chosen events: known ones, space-separated, a space at each end.
fn events_field(chosen: &[String]) -> Result<String, ServiceError> {
    let mut known: Vec<&str> = Vec::new();
    for c in chosen {
        let name = *EVENTS.iter().find(|name| **name == c.as_str()).ok_or_else(|| ServiceError::Invalid(format!("{c:?} is not an event Vigil sends.")))?;
        if !known.contains(&name) {
            known.push(name);
        }
    }
    if known.is_empty() {
        return Err(ServiceError::Invalid("Please choose at least one event.".into()));
    }
    Ok(format!(" {} ", known.join(" ")))
}

/// Registers an endpoint; returns its id and signing secret (administrators; audited).
pub async fn create(store: &Store, caller: &Caller, policy: UrlPolicy, url: &str, events: &[String]) -> Result<(String, String), ServiceError> {
    require_admin(caller)?;
    let url = policy.check(url).map_err(ServiceError::Invalid)?;
    let events = events_field(events)?;
    if store.webhook_endpoints_of(&caller.org_id).await?.iter().filter(|e| e.disabled_at.is_none()).count() >= MAX_ENDPOINTS {
        return Err(ServiceError::Invalid(format!("An organisation may have at most {MAX_ENDPOINTS} endpoints; switch one off first.")));
    }
    let secret = new_secret();
    let id = store.create_webhook_endpoint(&caller.org_id, url.as_str(), &events, &secret, &caller.user_id, now_ms()).await?;
    Ok((id, secret))
}

/// The organisation's endpoints (administrators).
pub async fn list(store: &Store, caller: &Caller) -> Result<Vec<WebhookEndpointRow>, ServiceError> {
    require_admin(caller)?;
    Ok(store.webhook_endpoints_of(&caller.org_id).await?)
}

/// One endpoint and its latest deliveries (administrators).
pub async fn log(store: &Store, caller: &Caller, id: &str, limit: i64) -> Result<(WebhookEndpointRow, Vec<DeliveryRow>), ServiceError> {
    require_admin(caller)?;
    let endpoint = store.webhook_endpoint(&caller.org_id, id).await?.ok_or(ServiceError::NotFound)?;
    let deliveries = store.deliveries_of(&caller.org_id, id, limit).await?;
    Ok((endpoint, deliveries))
}

/// Switches an endpoint off (administrators; audited).
pub async fn disable(store: &Store, caller: &Caller, id: &str) -> Result<(), ServiceError> {
    require_admin(caller)?;
    if store.disable_webhook_endpoint(&caller.org_id, id, &caller.user_id, now_ms()).await? {
        Ok(())
    } else {
        Err(ServiceError::NotFound)
    }
}

/// A new signing secret; the old one signs too for [`ROTATION_OVERLAP_MS`]
/// (administrators; audited). Returns the new secret.
pub async fn rotate(store: &Store, caller: &Caller, id: &str) -> Result<String, ServiceError> {
    require_admin(caller)?;
    let secret = new_secret();
    let now = now_ms();
    if store.rotate_webhook_secret(&caller.org_id, id, &secret, now + ROTATION_OVERLAP_MS, &caller.user_id, now).await? {
        Ok(secret)
    } else {
        Err(ServiceError::NotFound)
    }
}

/// Sends a delivery again now (administrators; audited).
pub async fn redeliver(store: &Store, caller: &Caller, delivery_id: &str) -> Result<(), ServiceError> {
    require_admin(caller)?;
    if store.redeliver(&caller.org_id, delivery_id, &caller.user_id, now_ms()).await? {
        Ok(())
    } else {
        Err(ServiceError::NotFound)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_public_https_addresses_receive_events_outside_tests() {
        let production = UrlPolicy::default();
        assert!(production.check("https://ats.example.com/hooks/vigil").is_ok());
        for refused in [
            "http://ats.example.com/hook",
            "https://10.0.0.5/hook",
            "https://192.168.1.1/hook",
            "https://172.16.0.1/hook",
            "https://127.0.0.1:8080/hook",
            "https://[::1]/hook",
            "https://[fd00::1]/hook",
            "https://[::ffff:10.0.0.1]/hook",
            "https://169.254.169.254/latest/meta-data",
            "https://100.64.0.1/hook",
            "https://localhost/hook",
            "https://user:pw@ats.example.com/hook",
            "ftp://ats.example.com/",
            "not a url",
        ] {
            assert!(production.check(refused).is_err(), "{refused}");
        }
        let tests = UrlPolicy { allow_loopback: true };
        assert!(tests.check("http://127.0.0.1:9999/hook").is_ok());
        assert!(tests.check("http://localhost:9999/hook").is_ok());
        assert!(tests.check("http://10.0.0.5/hook").is_err(), "only loopback is let through");
        assert!(tests.check("http://ats.example.com/hook").is_err(), "plain HTTP only to this machine");
    }

    #[test]
    fn events_are_stored_so_that_one_like_finds_each() {
        let field = events_field(&["assessment.completed".into(), "decision.recorded".into(), "assessment.completed".into()]).expect("known");
        assert_eq!(field, " assessment.completed decision.recorded ");
        assert!(events_field(&["invoice.paid".into()]).is_err());
        assert!(events_field(&[]).is_err());
    }
}
