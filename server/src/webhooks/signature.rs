//! Signing deliveries the Standard Webhooks way (standardwebhooks.com):
//! a secret `whsec_<base64 key>`; headers `webhook-id`,
//! `webhook-timestamp` (Unix seconds) and `webhook-signature`, a
//! space-separated list of `v1,<base64 HMAC-SHA256 of "id.timestamp.body">`,
//! one per secret in use (two while a rotated secret overlaps).

use base64::{engine::general_purpose::STANDARD, Engine};
use hmac::{Hmac, Mac};
use sha2::Sha256;

const PREFIX: &str = "whsec_";

/// A new signing secret: 24 random bytes.
pub fn new_secret() -> String {
    use rand::RngCore;
    let mut key = [0u8; 24];
    rand::rng().fill_bytes(&mut key);
    format!("{PREFIX}{}", STANDARD.encode(key))
}

/// The key bytes of a secret (`None` when it is not one).
fn key_of(secret: &str) -> Option<Vec<u8>> {
    STANDARD.decode(secret.strip_prefix(PREFIX)?).ok()
}

/// `v1,<base64 HMAC-SHA256(key, "{id}.{timestamp}.{body}")>`.
pub fn sign(secret: &str, id: &str, timestamp: i64, body: &str) -> Option<String> {
    let mut mac = Hmac::<Sha256>::new_from_slice(&key_of(secret)?).ok()?;
    mac.update(format!("{id}.{timestamp}.{body}").as_bytes());
    Some(format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes())))
}

/// The `webhook-signature` header: a signature per secret.
pub fn signature_header<'a>(secrets: impl IntoIterator<Item = &'a str>, id: &str, timestamp: i64, body: &str) -> String {
    secrets.into_iter().filter_map(|s| sign(s, id, timestamp, body)).collect::<Vec<_>>().join(" ")
}

/// Whether one of the header's signatures is `secret`'s (what a receiver
/// checks, besides the timestamp being recent).
pub fn verify(secret: &str, id: &str, timestamp: i64, body: &str, header: &str) -> bool {
    let Some(expected) = sign(secret, id, timestamp, body) else {
        return false;
    };
    header.split(' ').any(|candidate| subtle::ConstantTimeEq::ct_eq(candidate.as_bytes(), expected.as_bytes()).into())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The worked example of the Standard Webhooks specification's
    /// reference libraries (secret, id, timestamp, body, signature).
    #[test]
    fn signs_the_specifications_example() {
        let (secret, id, ts, body) = ("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek", 1_614_265_330, r#"{"test": 2432232314}"#);
        assert_eq!(sign(secret, id, ts, body).as_deref(), Some("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="));
        assert!(verify(secret, id, ts, body, &signature_header([secret], id, ts, body)));
        assert!(!verify(secret, id, ts + 1, body, &signature_header([secret], id, ts, body)), "another timestamp");
        assert!(!verify(secret, id, ts, "{}", &signature_header([secret], id, ts, body)), "another body");
    }

    #[test]
    fn during_a_rotation_both_secrets_sign_and_either_verifies() {
        let (old, new) = (new_secret(), new_secret());
        assert_ne!(old, new);
        let header = signature_header([new.as_str(), old.as_str()], "msg_1", 5, "{}");
        assert_eq!(header.split(' ').count(), 2);
        assert!(verify(&old, "msg_1", 5, "{}", &header) && verify(&new, "msg_1", 5, "{}", &header));
        assert!(!verify(&new_secret(), "msg_1", 5, "{}", &header));
        assert_eq!(sign("not-a-secret", "msg_1", 5, "{}"), None);
    }
}
