//! Secrets Vigil hands out (invitation tokens, access cookies, staff
//! sessions): random, and stored only as their hash.

use sha2::{Digest, Sha256};

/// SHA-256 hex of a secret (tokens and access cookies are stored only this way).
pub fn secret_hash(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// A new random secret of 192 bits, URL-safe.
pub fn new_secret() -> String {
    use rand::RngCore;
    let mut bytes = [0u8; 24];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}
