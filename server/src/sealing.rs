//! Secrets Vigil must read back (a staff member's second-factor secret, a
//! webhook endpoint's signing secret) are sealed at rest with the server's
//! secret key, so a copy of the database or of a backup does not give them
//! away. Secrets Vigil only compares (passwords, tokens, API keys) are
//! hashed instead (`crate::secrets`, `crate::passwords`) and never sealed.
//!
//! A sealed value is `sealed1:<key id>:<base64url(nonce ‖ ciphertext ‖ tag)>`,
//! AES-256-GCM with a random 96-bit nonce. Its associated data names what
//! the value is and whose (`purpose`), so a sealed value copied into another
//! user's or endpoint's row does not open there. The key id is a fingerprint
//! of the key (not the key): it says which key sealed a value, and lets a
//! database refuse a process started with another key.

use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use ring::{
    aead::{Aad, LessSafeKey, Nonce, UnboundKey, AES_256_GCM, NONCE_LEN},
    rand::{SecureRandom, SystemRandom},
};
use sha2::{Digest, Sha256};

/// What every sealed value starts with (the format's version 1).
pub const PREFIX: &str = "sealed1:";

/// A 256-bit key that seals secrets at rest. Its `Debug` shows the key id only.
#[derive(Clone)]
pub struct SecretKey {
    bytes: [u8; 32],
    id: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SealError {
    #[error("the secret key must be 64 hexadecimal digits (256 bits), such as `vigil secret-key new` prints; this one {0}")]
    MalformedKey(String),
    #[error("the value is not a sealed secret of this Vigil")]
    Malformed,
    #[error("the value was sealed with key {found}, not with this process's key {ours}")]
    OtherKey { found: String, ours: String },
    #[error("the sealed value does not open: it was changed, or it belongs to another row")]
    DoesNotOpen,
    #[error("the key file {path}: {reason}")]
    KeyFile { path: String, reason: String },
}

impl std::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SecretKey({})", self.id)
    }
}

impl SecretKey {
    /// A new random key.
    pub fn generate() -> SecretKey {
        let mut bytes = [0u8; 32];
        SystemRandom::new().fill(&mut bytes).expect("the operating system's random number generator");
        SecretKey::from_bytes(bytes)
    }

    /// A key written as 64 hexadecimal digits (surrounding white space ignored).
    pub fn parse(text: &str) -> Result<SecretKey, SealError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(SealError::MalformedKey("is empty".into()));
        }
        if text.len() != 64 {
            return Err(SealError::MalformedKey(format!("has {} characters", text.chars().count())));
        }
        let decoded = hex::decode(text).map_err(|_| SealError::MalformedKey("holds a character that is not a hexadecimal digit".into()))?;
        let bytes: [u8; 32] = decoded.try_into().map_err(|_| SealError::MalformedKey("is not 32 bytes".into()))?;
        Ok(SecretKey::from_bytes(bytes))
    }

    /// A key file: the key's 64 hexadecimal digits (a final newline allowed).
    pub fn read_file(path: &std::path::Path) -> Result<SecretKey, SealError> {
        let key_file = |reason: String| SealError::KeyFile { path: path.display().to_string(), reason };
        let text = std::fs::read_to_string(path).map_err(|e| key_file(e.to_string()))?;
        SecretKey::parse(&text).map_err(|e| key_file(e.to_string()))
    }

    fn from_bytes(bytes: [u8; 32]) -> SecretKey {
        let id = key_id_of(&bytes);
        SecretKey { bytes, id }
    }

    /// The key as 64 hexadecimal digits (for a key file).
    pub fn to_hex(&self) -> String {
        hex::encode(self.bytes)
    }

    /// The key's fingerprint: safe to store and to show.
    pub fn id(&self) -> &str {
        &self.id
    }

    fn aead_key(&self) -> LessSafeKey {
        LessSafeKey::new(UnboundKey::new(&AES_256_GCM, &self.bytes).expect("a 32-byte key is an AES-256 key"))
    }

    /// Seals `plain` for `purpose` (see [`totp_purpose`], [`webhook_purpose`]).
    pub fn seal(&self, purpose: &str, plain: &str) -> String {
        let mut nonce = [0u8; NONCE_LEN];
        SystemRandom::new().fill(&mut nonce).expect("the operating system's random number generator");
        let mut sealed = plain.as_bytes().to_vec();
        self.aead_key()
            .seal_in_place_append_tag(Nonce::assume_unique_for_key(nonce), Aad::from(purpose.as_bytes()), &mut sealed)
            .expect("a secret of this size seals");
        let mut out = nonce.to_vec();
        out.extend_from_slice(&sealed);
        format!("{PREFIX}{}:{}", self.id, URL_SAFE_NO_PAD.encode(out))
    }

    /// Opens a value sealed for `purpose` by this key.
    pub fn open(&self, purpose: &str, sealed: &str) -> Result<String, SealError> {
        let (key_id, body) = sealed.strip_prefix(PREFIX).and_then(|rest| rest.split_once(':')).ok_or(SealError::Malformed)?;
        if key_id != self.id {
            return Err(SealError::OtherKey { found: key_id.to_string(), ours: self.id.clone() });
        }
        let bytes = URL_SAFE_NO_PAD.decode(body).map_err(|_| SealError::Malformed)?;
        if bytes.len() < NONCE_LEN + AES_256_GCM.tag_len() {
            return Err(SealError::Malformed);
        }
        let (nonce, rest) = bytes.split_at(NONCE_LEN);
        let nonce = Nonce::try_assume_unique_for_key(nonce).map_err(|_| SealError::Malformed)?;
        let mut rest = rest.to_vec();
        let plain = self.aead_key().open_in_place(nonce, Aad::from(purpose.as_bytes()), &mut rest).map_err(|_| SealError::DoesNotOpen)?;
        String::from_utf8(plain.to_vec()).map_err(|_| SealError::DoesNotOpen)
    }
}

/// True when a stored value is sealed (not a secret kept as it is, from
/// before Vigil sealed secrets).
pub fn is_sealed(value: &str) -> bool {
    value.starts_with(PREFIX)
}

/// The key id: the first 64 bits of SHA-256("vigil secret key id" ‖ 0 ‖ key), in hex.
fn key_id_of(key: &[u8; 32]) -> String {
    let digest = Sha256::new().chain_update(b"vigil secret key id\0").chain_update(key).finalize();
    hex::encode(&digest[..8])
}

/// What a user's TOTP secret is sealed for.
pub fn totp_purpose(user_id: &str) -> String {
    format!("totp-secret:{user_id}")
}

/// What an endpoint's webhook signing secret is sealed for.
pub fn webhook_purpose(endpoint_id: &str) -> String {
    format!("webhook-secret:{endpoint_id}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> SecretKey {
        SecretKey::parse(&"0123456789abcdef".repeat(4)).expect("key")
    }

    #[test]
    fn a_sealed_secret_opens_with_its_key_and_purpose_only() {
        let k = key();
        let sealed = k.seal(&totp_purpose("u1"), "JBSWY3DPEHPK3PXP");
        assert!(is_sealed(&sealed) && !sealed.contains("JBSWY3DPEHPK3PXP"), "{sealed}");
        assert_eq!(k.open(&totp_purpose("u1"), &sealed), Ok("JBSWY3DPEHPK3PXP".to_string()));
        assert_eq!(k.open(&totp_purpose("u2"), &sealed), Err(SealError::DoesNotOpen), "another user's row");
        assert_eq!(k.open(&webhook_purpose("u1"), &sealed), Err(SealError::DoesNotOpen), "another kind of secret");
        let other = SecretKey::generate();
        assert_eq!(other.open(&totp_purpose("u1"), &sealed), Err(SealError::OtherKey { found: k.id().to_string(), ours: other.id().to_string() }));
    }

    #[test]
    fn sealing_twice_gives_two_values_a_changed_value_does_not_open() {
        let k = key();
        let (a, b) = (k.seal("p", "same"), k.seal("p", "same"));
        assert_ne!(a, b, "a fresh nonce each time");
        let mut bytes = URL_SAFE_NO_PAD.decode(a.rsplit(':').next().expect("body")).expect("base64");
        let last = bytes.len() - 1;
        bytes[last] ^= 1;
        let forged = format!("{PREFIX}{}:{}", k.id(), URL_SAFE_NO_PAD.encode(bytes));
        assert_eq!(k.open("p", &forged), Err(SealError::DoesNotOpen));
        for garbage in ["", "JBSWY3DPEHPK3PXP", "sealed1:", "sealed1:nocolon", &format!("sealed1:{}:!!", k.id()), &format!("sealed1:{}:AAAA", k.id())] {
            assert!(matches!(k.open("p", garbage), Err(SealError::Malformed)), "{garbage:?}");
        }
    }

    #[test]
    fn keys_are_64_hex_digits_and_never_printed() {
        let k = SecretKey::generate();
        let again = SecretKey::parse(&format!("  {}\n", k.to_hex())).expect("round trip");
        assert_eq!(again.id(), k.id());
        assert_eq!(k.id().len(), 16);
        assert!(!format!("{k:?}").contains(&k.to_hex()), "Debug shows the id only");
        assert_ne!(SecretKey::generate().id(), k.id());
        for (bad, why) in [("", "is empty"), ("abc", "has 3 characters"), (&"g".repeat(64), "not a hexadecimal digit")] {
            let err = SecretKey::parse(bad).expect_err(bad).to_string();
            assert!(err.contains(why) && err.contains("64 hexadecimal digits"), "{err}");
        }
        let missing = SecretKey::read_file(std::path::Path::new("/nonexistent/vigil.key")).expect_err("no such file").to_string();
        assert!(missing.contains("/nonexistent/vigil.key") && missing.contains("No such file"), "{missing}");
    }

    #[test]
    fn the_key_id_is_a_fixed_fingerprint() {
        // SHA-256 of the 20 bytes "vigil secret key id\0" followed by the 32 key bytes,
        // checked with Python: hashlib.sha256(b"vigil secret key id\0" + bytes.fromhex("0123456789abcdef" * 4)).hexdigest()[:16]
        assert_eq!(key().id(), EXPECTED_ID);
    }

    const EXPECTED_ID: &str = "a51057e67b8d8a15";
}
