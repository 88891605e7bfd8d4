//! Time-based one-time passwords (TOTP, RFC 6238) for the staff's second
//! factor, as authenticator apps compute them: HMAC-SHA1, 30-second steps,
//! six digits, a 160-bit secret shown as base32 and as a QR code.
//!
//! A code is accepted for the current step and one step either side (clocks
//! drift), and only for a step later than the last one accepted, so a code
//! seen over someone's shoulder cannot be used again.

use hmac::{Hmac, Mac};
use sha1::Sha1;

/// Seconds per step.
pub const STEP_SECONDS: i64 = 30;
/// Digits per code.
pub const DIGITS: u32 = 6;
/// Steps either side of now that are still accepted.
pub const WINDOW: i64 = 1;
/// Bytes of a new secret (160 bits, as RFC 4226 recommends).
pub const SECRET_BYTES: usize = 20;

/// HOTP value (RFC 4226, 5.3): dynamic truncation of HMAC-SHA1(secret, counter), mod 10^digits.
pub fn hotp(secret: &[u8], counter: u64, digits: u32) -> u32 {
    // HMAC accepts a key of any length, so this cannot fail.
    let mut mac = <Hmac<Sha1> as Mac>::new_from_slice(secret).unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
    mac.update(&counter.to_be_bytes());
    let digest = mac.finalize().into_bytes();
    let offset = usize::from(digest[19] & 0x0f);
    let binary = u32::from_be_bytes([digest[offset] & 0x7f, digest[offset + 1], digest[offset + 2], digest[offset + 3]]);
    binary % 10u32.pow(digits)
}

/// The time step of a moment: T = floor(unix seconds / 30) (RFC 6238, 4.2).
pub fn time_step(unix_ms: i64) -> i64 {
    unix_ms.div_euclid(1000).div_euclid(STEP_SECONDS)
}

/// The code for a time step, zero-padded to six digits.
pub fn code_at(secret: &[u8], step: i64) -> String {
    format!("{:0width$}", hotp(secret, step.max(0) as u64, DIGITS), width = DIGITS as usize)
}

/// The step whose code `typed` is, among now-1..=now+1 and after
/// `last_step`; `None` when it matches none (spaces in the code are ignored).
pub fn accepted_step(secret: &[u8], typed: &str, unix_ms: i64, last_step: Option<i64>) -> Option<i64> {
    let typed: String = typed.chars().filter(|c| !c.is_whitespace()).collect();
    if typed.len() != DIGITS as usize || !typed.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let now = time_step(unix_ms);
    (now - WINDOW..=now + WINDOW)
        .filter(|&step| last_step.is_none_or(|last| step > last))
        .find(|&step| constant_time_eq(code_at(secret, step).as_bytes(), typed.as_bytes()))
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    use subtle::ConstantTimeEq;
    a.ct_eq(b).into()
}

/// A new random secret.
pub fn new_secret() -> [u8; SECRET_BYTES] {
    use rand::RngCore;
    let mut secret = [0u8; SECRET_BYTES];
    rand::rng().fill_bytes(&mut secret);
    secret
}

/// Base32 without padding (RFC 4648), as authenticator apps expect it.
pub fn to_base32(secret: &[u8]) -> String {
    data_encoding::BASE32_NOPAD.encode(secret)
}

/// The secret from its base32 form (case and spaces ignored); `None` if malformed.
pub fn from_base32(text: &str) -> Option<Vec<u8>> {
    let clean: String = text.chars().filter(|c| !c.is_whitespace() && *c != '=').map(|c| c.to_ascii_uppercase()).collect();
    data_encoding::BASE32_NOPAD.decode(clean.as_bytes()).ok().filter(|s| !s.is_empty())
}

/// The `otpauth://` address an authenticator app reads from the QR code.
pub fn otpauth_uri(issuer: &str, account: &str, secret: &[u8]) -> String {
    let label = format!("{}:{}", percent(issuer), percent(account));
    format!("otpauth://totp/{label}?secret={}&issuer={}&algorithm=SHA1&digits={DIGITS}&period={STEP_SECONDS}", to_base32(secret), percent(issuer))
}

/// Percent-encoding of everything but unreserved characters (RFC 3986).
fn percent(text: &str) -> String {
    text.bytes()
        .map(|b| if b.is_ascii_alphanumeric() || b"-._~".contains(&b) { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect()
}

/// The QR code of `data` as an SVG image (black on white, with a quiet zone).
pub fn qr_svg(data: &str) -> Option<String> {
    let code = qrcode::QrCode::with_error_correction_level(data.as_bytes(), qrcode::EcLevel::M).ok()?;
    Some(code.render::<qrcode::render::svg::Color<'_>>().min_dimensions(200, 200).dark_color(qrcode::render::svg::Color("#000000")).light_color(qrcode::render::svg::Color("#ffffff")).build())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The secret of RFC 4226 Appendix D and RFC 6238 Appendix B (SHA-1).
    const RFC_SECRET: &[u8] = b"12345678901234567890";

    #[test]
    fn hotp_matches_rfc_4226_appendix_d() {
        let expected = [755224, 287082, 359152, 969429, 338314, 254676, 287922, 162583, 399871, 520489];
        for (counter, want) in expected.into_iter().enumerate() {
            assert_eq!(hotp(RFC_SECRET, counter as u64, 6), want, "counter {counter}");
        }
    }

    #[test]
    fn totp_matches_rfc_6238_appendix_b_for_sha1() {
        // (unix seconds, 8-digit TOTP) from the RFC's table; our six digits are its last six.
        let table = [(59, "94287082"), (1_111_111_109, "07081804"), (1_111_111_111, "14050471"), (1_234_567_890, "89005924"), (2_000_000_000, "69279037"), (20_000_000_000, "65353130")];
        for (seconds, want) in table {
            let step = time_step(seconds * 1000);
            assert_eq!(format!("{:08}", hotp(RFC_SECRET, step as u64, 8)), want, "at {seconds}");
            assert_eq!(code_at(RFC_SECRET, step), want[2..], "at {seconds}");
        }
    }

    #[test]
    fn a_code_is_accepted_one_step_either_side_and_only_once() {
        let now = 1_234_567_890_000;
        let step = time_step(now);
        let code = code_at(RFC_SECRET, step);
        assert_eq!(accepted_step(RFC_SECRET, &code, now, None), Some(step));
        assert_eq!(accepted_step(RFC_SECRET, &code[..3].to_string().chars().chain(" ".chars()).chain(code[3..].chars()).collect::<String>(), now, None), Some(step), "a space in the middle is fine");
        assert_eq!(accepted_step(RFC_SECRET, &code, now + 30_000, None), Some(step), "the previous step still works");
        assert_eq!(accepted_step(RFC_SECRET, &code, now - 30_000, None), Some(step), "the next step already works");
        assert_eq!(accepted_step(RFC_SECRET, &code, now + 60_000, None), None, "two steps late is too late");
        assert_eq!(accepted_step(RFC_SECRET, &code, now, Some(step)), None, "a code used once is used up");
        assert_eq!(accepted_step(RFC_SECRET, "12345", now, None), None);
        assert_eq!(accepted_step(RFC_SECRET, "abcdef", now, None), None);
        assert_eq!(accepted_step(b"another secret", &code, now, None), None);
    }

    #[test]
    fn secrets_go_to_base32_and_back_and_into_an_otpauth_address() {
        assert_eq!(to_base32(RFC_SECRET), "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
        assert_eq!(from_base32("gezd gnbv gy3t qojq gezd gnbv gy3t qojq").as_deref(), Some(RFC_SECRET));
        assert_eq!(from_base32("not base32!"), None);
        let uri = otpauth_uri("Vigil (Acme Ltd)", "ada@acme.example", RFC_SECRET);
        assert_eq!(uri, "otpauth://totp/Vigil%20%28Acme%20Ltd%29:ada%40acme.example?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Vigil%20%28Acme%20Ltd%29&algorithm=SHA1&digits=6&period=30");
        let svg = qr_svg(&uri).expect("a QR code");
        assert!(svg.contains("<svg") && svg.contains("#000000"), "{}", &svg[..200.min(svg.len())]);
    }

    proptest! {
        #[test]
        fn every_code_has_six_digits_and_matches_its_own_step(secret in proptest::collection::vec(any::<u8>(), 1..64), seconds in 0i64..4_000_000_000) {
            let now = seconds * 1000;
            let code = code_at(&secret, time_step(now));
            prop_assert_eq!(code.len(), 6);
            prop_assert!(code.bytes().all(|b| b.is_ascii_digit()));
            prop_assert_eq!(accepted_step(&secret, &code, now, None).map(|s| s >= time_step(now) - 1), Some(true));
        }
    }
}
