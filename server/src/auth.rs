//! Staff authentication: sign-in with e-mail and password, sessions held in
//! a cookie, timeouts, sign-out, and the rate limit on failed sign-ins.
//!
//! - The cookie holds 256 random bits; the database holds only their SHA-256,
//!   so a leaked database (or backup) cannot be replayed as sessions.
//! - Every sign-in creates a new session id; a session cookie the browser
//!   brought along is deleted first (no session fixation).
//! - An unknown e-mail address, a wrong password and a deactivated account
//!   get the same answer, and an unknown address is verified against a dummy
//!   argon2id hash so the answer also takes about as long.
//! - Sessions end after 30 minutes without a request (idle) and 12 hours
//!   after sign-in (absolute), whichever comes first; checked on every request.
//! - A second factor (TOTP, [`crate::totp`]) is each user's choice. With it
//!   on, the password opens only a session *waiting for its code*: such a
//!   session is not signed in anywhere ([`Auth::authenticate`] gives
//!   `None`) except on the code page ([`Auth::awaiting_code`]). The code (or
//!   a one-time recovery code) gives the session a new id with
//!   `second_factor_at` set. Wrong codes count with failed passwords toward
//!   the same rate limit.
//! - Failed sign-ins are limited per account *from one client address* (10)
//!   and per client address (30) in 15 minutes, so wrong passwords typed
//!   elsewhere never lock a person out. Past 100 failures for one account
//!   from all addresses together (a distributed attack) only the right
//!   password *with* a second factor gets in. Turning the factor on also gives the session a new
//!   id and leaves the user's other sessions waiting for a code.

use std::sync::OnceLock;

use axum::http;

use crate::{
    secrets::secret_hash,
    passwords::{generate_password, hash_password, verify_password},
    store::{Actor, AuditEntry, LoginFailures, Organisation, StaffSessionRow, Store, StoreError, User},
    time::now_ms,
    totp,
};

/// Cookie name over plain HTTP (development, tests).
pub const SESSION_COOKIE: &str = "vigil_session";
/// Cookie name behind TLS: the `__Host-` prefix makes browsers insist on
/// Secure, Path=/ and no Domain, so a sibling subdomain cannot plant it.
pub const SECURE_SESSION_COOKIE: &str = "__Host-vigil_session";

pub const IDLE_TIMEOUT_MS: i64 = 30 * 60 * 1000;
pub const ABSOLUTE_TIMEOUT_MS: i64 = 12 * 60 * 60 * 1000;
/// Activity is written at most this often (the idle timeout is exact to within it).
const TOUCH_EVERY_MS: i64 = 60 * 1000;

/// Failed sign-ins allowed in the window: for one account from one client
/// address, and from one client address for any accounts. Failures from
/// other addresses never lock a person out: an attacker who knows a
/// colleague's e-mail address cannot keep them from signing in.
pub const MAX_FAILURES_PER_ACCOUNT: i64 = 10;
pub const MAX_FAILURES_PER_IP: i64 = 30;
/// Failures for one account from all addresses together (a distributed
/// attack): past this only a right password *and* a second factor get in;
/// an account without a second factor waits for the window to pass.
pub const MAX_FAILURES_PER_ACCOUNT_ANYWHERE: i64 = 100;
pub const FAILURE_WINDOW_MS: i64 = 15 * 60 * 1000;

/// The address has failed too often, for this account or for any.
fn address_limited(f: &LoginFailures) -> bool {
    f.account_from_address >= MAX_FAILURES_PER_ACCOUNT || f.address >= MAX_FAILURES_PER_IP
}

/// The account is under attack from many addresses.
fn account_under_attack(f: &LoginFailures) -> bool {
    f.account >= MAX_FAILURES_PER_ACCOUNT_ANYWHERE
}

/// Longer inputs are refused before hashing (argon2 on megabytes is a DoS lever).
const MAX_EMAIL_LEN: usize = 254;
const MAX_PASSWORD_LEN: usize = 1024;

#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    /// Unknown user, wrong password or deactivated account: one answer for all.
    #[error("the e-mail address or the password is not right")]
    InvalidCredentials,
    #[error("too many failed sign-ins; try again later")]
    RateLimited,
    /// A TOTP or recovery code that does not match (or was used before).
    #[error("the code is not right")]
    WrongCode,
    /// The second factor is not in the state this step needs (say, on already).
    #[error("{0}")]
    SecondFactor(&'static str),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("password check failed: {0}")]
    Internal(String),
}

/// How the session cookie is named and flagged.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CookiePolicy {
    /// Behind TLS: `Secure` and the `__Host-` prefix.
    pub secure: bool,
}

impl CookiePolicy {
    pub fn name(self) -> &'static str {
        if self.secure {
            SECURE_SESSION_COOKIE
        } else {
            SESSION_COOKIE
        }
    }

    /// `Set-Cookie` for a new session. No Max-Age: the cookie ends with the
    /// browser, and the server's timeouts end it sooner.
    pub fn set(self, secret: &str) -> String {
        format!("{}={secret}; Path=/; HttpOnly; SameSite=Lax{}", self.name(), self.secure_flag())
    }

    /// `Set-Cookie` that makes the browser forget the session.
    pub fn clear(self) -> String {
        format!("{}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{}", self.name(), self.secure_flag())
    }

    fn secure_flag(self) -> &'static str {
        if self.secure {
            "; Secure"
        } else {
            ""
        }
    }

    /// The session secret the request carries, if any.
    pub fn read(self, headers: &http::HeaderMap) -> Option<String> {
        cookie_value(headers, self.name())
    }
}

pub use app::cookies::cookie_value;

/// A signed-in staff member, as checked on this request.
#[derive(Debug, Clone)]
pub struct Identity {
    pub user: User,
    pub organisation: Organisation,
    /// SHA-256 of the session cookie (to sign out or rotate).
    pub session_hash: String,
    pub second_factor_at: Option<i64>,
}

/// What a successful sign-in returns: the cookie secret (only here) and who it is.
pub struct SignedIn {
    pub secret: String,
    pub identity: Identity,
    /// The password was right and the user has a second factor: the session
    /// waits for the code (see [`Auth::second_factor`]).
    pub needs_code: bool,
}

/// Enrolment in progress: what the authenticator app needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Enrolment {
    /// The secret in base32, for typing in by hand.
    pub secret: String,
    /// The QR code (of the `otpauth://` address) as SVG.
    pub qr_svg: String,
}

/// Recovery codes given at enrolment.
pub const RECOVERY_CODES: usize = 10;

/// Staff authentication over the store.
#[derive(Clone, Debug)]
pub struct Auth {
    pub store: Store,
    pub cookies: CookiePolicy,
}

impl Auth {
    pub fn new(store: Store, cookies: CookiePolicy) -> Auth {
        Auth { store, cookies }
    }

    /// Signs in with e-mail and password from client address `ip`. Any
    /// session `previous` (the secret of a cookie sent along) is deleted.
    pub async fn login(&self, email: &str, password: &str, ip: &str, previous: Option<&str>) -> Result<SignedIn, AuthError> {
        if let Some(old) = previous {
            self.store.delete_staff_session(&secret_hash(old)).await?;
        }
        let email = normalise_email(email);
        let now = now_ms();
        let failures = self.store.login_failures_since(&email, ip, now - FAILURE_WINDOW_MS).await?;
        if address_limited(&failures) {
            tracing::warn!(%ip, "sign-in refused: too many failures");
            // Named with the account when there is one, so its admins see the attack.
            let user = if email.len() <= MAX_EMAIL_LEN { self.store.user_by_email(&email).await? } else { None };
            self.audit_failure(&email, ip, user.as_ref(), "rate_limited").await?;
            return Err(AuthError::RateLimited);
        }
        let user = if email.len() <= MAX_EMAIL_LEN { self.store.user_by_email(&email).await? } else { None };
        let verified = check_password(password, user.as_ref().and_then(|u| u.password_hash.clone())).await?;
        let user = match (user, verified) {
            // Under a distributed attack a right password alone is not enough.
            (Some(user), true) if user.active && account_under_attack(&failures) && user.second_factor_since.is_none() => {
                tracing::warn!(%ip, "sign-in refused: the account is under attack from many addresses");
                self.audit_failure(&email, ip, Some(&user), "rate_limited").await?;
                return Err(AuthError::RateLimited);
            }
            (Some(user), true) if user.active => user,
            (user, _) => {
                let reason = match &user {
                    None => "unknown_user",
                    Some(u) if !u.active => "deactivated",
                    Some(u) if u.password_hash.is_none() => "no_password",
                    Some(_) => "wrong_password",
                };
                self.store.record_login_failure(&email, ip, now, now - FAILURE_WINDOW_MS).await?;
                tracing::info!(%ip, reason, "sign-in failed");
                self.audit_failure(&email, ip, user.as_ref(), reason).await?;
                return Err(AuthError::InvalidCredentials);
            }
        };
        let signed_in = self.start_session(user, now).await?;
        let user = &signed_in.identity.user;
        if signed_in.needs_code {
            // The failure count starts afresh only once the code is right too.
            self.audit_user(user, "login.password_accepted", serde_json::json!({ "ip": ip })).await?;
        } else {
            self.store.clear_login_failures(&email).await?;
            self.audit_user(user, "login.succeeded", serde_json::json!({ "ip": ip })).await?;
        }
        Ok(signed_in)
    }

    async fn audit_user(&self, user: &User, action: &str, detail: serde_json::Value) -> Result<(), AuthError> {
        self.store
            .audit(&AuditEntry { org_id: Some(&user.org_id), actor: Actor::User(&user.id), action, object_type: "user", object_id: Some(&user.id), detail: Some(detail.to_string()) })
            .await?;
        Ok(())
    }

    async fn start_session(&self, user: User, now: i64) -> Result<SignedIn, AuthError> {
        let organisation = self.store.organisation_by_id(&user.org_id).await?.ok_or(AuthError::InvalidCredentials)?;
        let secret = new_session_secret();
        let row = StaffSessionRow {
            id_hash: secret_hash(&secret),
            user_id: user.id.clone(),
            org_id: user.org_id.clone(),
            created_at: now,
            last_seen_at: now,
            expires_at: now + ABSOLUTE_TIMEOUT_MS,
            second_factor_at: None,
        };
        self.store.create_staff_session(&row).await?;
        let needs_code = user.second_factor_since.is_some();
        Ok(SignedIn { secret, identity: Identity { user, organisation, session_hash: row.id_hash, second_factor_at: None }, needs_code })
    }

    /// A failed sign-in in the audit log: the address typed, never the password.
    async fn audit_failure(&self, email: &str, ip: &str, user: Option<&User>, reason: &str) -> Result<(), AuthError> {
        let typed: String = email.chars().take(MAX_EMAIL_LEN).collect();
        self.store
            .audit(&AuditEntry {
                org_id: user.map(|u| u.org_id.as_str()),
                actor: Actor::System,
                action: "login.failed",
                object_type: "user",
                object_id: user.map(|u| u.id.as_str()),
                detail: Some(serde_json::json!({ "email": typed, "ip": ip, "reason": reason }).to_string()),
            })
            .await?;
        Ok(())
    }

    /// The staff member holding session `secret`, or `None` when there is
    /// no such session, it has timed out (it is then deleted), the user was
    /// deactivated, or the session still waits for its second-factor code.
    /// Records activity for the idle timeout.
    pub async fn authenticate(&self, secret: Option<&str>) -> Result<Option<Identity>, AuthError> {
        Ok(self.session(secret).await?.filter(|i| !waits_for_code(i)))
    }

    /// The staff member whose session waits for its second-factor code (the
    /// password was right), or `None`.
    pub async fn awaiting_code(&self, secret: Option<&str>) -> Result<Option<Identity>, AuthError> {
        Ok(self.session(secret).await?.filter(waits_for_code))
    }

    async fn session(&self, secret: Option<&str>) -> Result<Option<Identity>, AuthError> {
        let Some(secret) = secret.filter(|s| s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit())) else {
            return Ok(None);
        };
        let hash = secret_hash(secret);
        let Some(session) = self.store.staff_session(&hash).await? else { return Ok(None) };
        let now = now_ms();
        if timed_out(&session, now) {
            self.store.delete_staff_session(&hash).await?;
            return Ok(None);
        }
        let user = self.store.user_in_org(&session.org_id, &session.user_id).await?;
        let organisation = self.store.organisation_by_id(&session.org_id).await?;
        let (Some(user), Some(organisation)) = (user.filter(|u| u.active), organisation) else {
            self.store.delete_staff_session(&hash).await?;
            return Ok(None);
        };
        if now - session.last_seen_at >= TOUCH_EVERY_MS {
            self.store.touch_staff_session(&hash, now).await?;
        }
        crate::store::enter_organisation(&organisation.id);
        Ok(Some(Identity { user, organisation, session_hash: hash, second_factor_at: session.second_factor_at }))
    }

    /// Checks the second-factor code (TOTP, or a recovery code) of a session
    /// waiting for it, from client address `ip`. Right: the session gets a
    /// new id (returned, for the cookie) and counts as signed in. A session
    /// that does not wait for a code gets `InvalidCredentials`.
    pub async fn second_factor(&self, secret: Option<&str>, code: &str, ip: &str) -> Result<String, AuthError> {
        let Some(identity) = self.awaiting_code(secret).await? else { return Err(AuthError::InvalidCredentials) };
        let user = &identity.user;
        let now = now_ms();
        // Per address only: under a distributed attack the code is what lets the person in.
        let failures = self.store.login_failures_since(&user.email, ip, now - FAILURE_WINDOW_MS).await?;
        if address_limited(&failures) {
            tracing::warn!(%ip, "second factor refused: too many failures");
            self.audit_failure(&user.email, ip, Some(user), "rate_limited").await?;
            return Err(AuthError::RateLimited);
        }
        let Some(method) = self.check_code(user, code, now).await? else {
            self.store.record_login_failure(&user.email, ip, now, now - FAILURE_WINDOW_MS).await?;
            tracing::info!(%ip, reason = "wrong_code", "sign-in failed");
            self.audit_failure(&user.email, ip, Some(user), "wrong_code").await?;
            return Err(AuthError::WrongCode);
        };
        self.store.clear_login_failures(&user.email).await?;
        let new_secret = self.rotate(&identity, Some(now)).await?.ok_or(AuthError::InvalidCredentials)?;
        self.audit_user(user, "login.succeeded", serde_json::json!({ "ip": ip, "second_factor": method })).await?;
        Ok(new_secret)
    }

    /// Which kind of code `typed` was ("totp" or "recovery_code") if it is
    /// right for the user now, using it up; `None` if not.
    async fn check_code(&self, user: &User, typed: &str, now: i64) -> Result<Option<&'static str>, AuthError> {
        let Some(state) = self.store.second_factor(&user.org_id, &user.id).await? else { return Ok(None) };
        let Some(secret) = state.totp_secret.as_deref().filter(|_| state.totp_enabled_at.is_some()).and_then(totp::from_base32) else { return Ok(None) };
        if let Some(step) = totp::accepted_step(&secret, typed, now, state.totp_last_step) {
            return Ok(self.store.use_totp_step(&user.org_id, &user.id, step).await?.then_some("totp"));
        }
        match normalise_recovery_code(typed) {
            Some(code) => Ok(self.store.use_recovery_code(&user.id, &secret_hash(&code), now).await?.then_some("recovery_code")),
            None => Ok(None),
        }
    }

    /// Starts (or starts again) enrolment: a new secret, kept until a first
    /// code confirms it.
    pub async fn begin_enrolment(&self, identity: &Identity) -> Result<Enrolment, AuthError> {
        let secret = totp::to_base32(&totp::new_secret());
        if !self.store.begin_totp_enrolment(&identity.user.org_id, &identity.user.id, &secret).await? {
            return Err(AuthError::SecondFactor("Your second factor is on already."));
        }
        enrolment(identity, &secret)
    }

    /// The enrolment in progress (a secret not confirmed yet), if any.
    pub async fn enrolment(&self, identity: &Identity) -> Result<Option<Enrolment>, AuthError> {
        let Some(state) = self.store.second_factor(&identity.user.org_id, &identity.user.id).await? else { return Ok(None) };
        match (state.totp_secret, state.totp_enabled_at) {
            (Some(secret), None) => enrolment(identity, &secret).map(Some),
            _ => Ok(None),
        }
    }

    /// Turns the second factor on with the first code from the app. Returns
    /// the session's new cookie secret and the recovery codes (shown once).
    pub async fn confirm_enrolment(&self, identity: &Identity, code: &str) -> Result<(String, Vec<String>), AuthError> {
        let (org_id, user_id) = (&identity.user.org_id, &identity.user.id);
        let state = self.store.second_factor(org_id, user_id).await?.ok_or(AuthError::InvalidCredentials)?;
        let (Some(secret), None) = (state.totp_secret, state.totp_enabled_at) else {
            return Err(AuthError::SecondFactor("There is no set-up in progress: start again."));
        };
        let now = now_ms();
        let step = totp::from_base32(&secret).and_then(|bytes| totp::accepted_step(&bytes, code, now, None)).ok_or(AuthError::WrongCode)?;
        let codes: Vec<String> = (0..RECOVERY_CODES).map(|_| new_recovery_code()).collect();
        let hashes: Vec<String> = codes.iter().filter_map(|c| normalise_recovery_code(c)).map(|c| secret_hash(&c)).collect();
        if !self.store.confirm_totp(org_id, user_id, &secret, step, &hashes, now).await? {
            return Err(AuthError::SecondFactor("The set-up changed meanwhile (another window?): start again."));
        }
        let new_secret = self.rotate(identity, Some(now)).await?.ok_or(AuthError::InvalidCredentials)?;
        self.audit_user(&identity.user, "second_factor.enabled", serde_json::json!({ "method": "totp" })).await?;
        Ok((new_secret, codes))
    }

    /// Turns the user's own second factor off; a current code (or a
    /// recovery code) must confirm it. Wrong codes count toward the sign-in
    /// rate limit, so a stolen session cannot guess its way to turning it off.
    pub async fn turn_off(&self, identity: &Identity, code: &str, ip: &str) -> Result<(), AuthError> {
        let user = &identity.user;
        if user.second_factor_since.is_none() {
            return Err(AuthError::SecondFactor("Your second factor is off already."));
        }
        let now = now_ms();
        let failures = self.store.login_failures_since(&user.email, ip, now - FAILURE_WINDOW_MS).await?;
        if address_limited(&failures) || account_under_attack(&failures) {
            return Err(AuthError::RateLimited);
        }
        if self.check_code(user, code, now).await?.is_none() {
            self.store.record_login_failure(&user.email, ip, now, now - FAILURE_WINDOW_MS).await?;
            return Err(AuthError::WrongCode);
        }
        self.store.remove_second_factor(&identity.user.org_id, &identity.user.id).await?;
        self.audit_user(&identity.user, "second_factor.disabled", serde_json::json!({ "by": "self" })).await?;
        Ok(())
    }

    /// The identity behind a request's session cookie.
    pub async fn from_headers(&self, headers: &http::HeaderMap) -> Result<Option<Identity>, AuthError> {
        self.authenticate(self.cookies.read(headers).as_deref()).await
    }

    /// Ends the session (whether or not it was still valid).
    pub async fn logout(&self, secret: Option<&str>) -> Result<(), AuthError> {
        let Some(secret) = secret else { return Ok(()) };
        let identity = self.authenticate(Some(secret)).await?;
        self.store.delete_staff_session(&secret_hash(secret)).await?;
        if let Some(identity) = identity {
            self.store
                .audit(&AuditEntry {
                    org_id: Some(&identity.user.org_id),
                    actor: Actor::User(&identity.user.id),
                    action: "logout",
                    object_type: "user",
                    object_id: Some(&identity.user.id),
                    detail: None,
                })
                .await?;
        }
        Ok(())
    }

    /// Gives the session a new id (e.g. once a second factor is verified)
    /// and returns the new secret for the cookie.
    pub async fn rotate(&self, identity: &Identity, second_factor_at: Option<i64>) -> Result<Option<String>, AuthError> {
        let secret = new_session_secret();
        let rotated = self.store.rotate_staff_session(&identity.session_hash, &secret_hash(&secret), second_factor_at).await?;
        Ok(rotated.then_some(secret))
    }
}

/// The user has a second factor and this session has not given its code.
fn waits_for_code(identity: &Identity) -> bool {
    identity.user.second_factor_since.is_some() && identity.second_factor_at.is_none()
}

fn enrolment(identity: &Identity, secret: &str) -> Result<Enrolment, AuthError> {
    let bytes = totp::from_base32(secret).ok_or_else(|| AuthError::Internal("a stored TOTP secret is not base32".into()))?;
    let uri = totp::otpauth_uri(&format!("Vigil ({})", identity.organisation.name), &identity.user.email, &bytes);
    let qr_svg = totp::qr_svg(&uri).ok_or_else(|| AuthError::Internal("the QR code could not be made".into()))?;
    Ok(Enrolment { secret: secret.to_string(), qr_svg })
}

/// Alphabet of recovery codes: lower-case letters and digits without the
/// look-alikes 0/o, 1/l/i.
const RECOVERY_ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";

/// A recovery code as shown: two groups of five, e.g. `k3m9p-x2r7t` (about 49 bits).
pub fn new_recovery_code() -> String {
    use rand::Rng;
    let mut rng = rand::rng();
    let mut pick = || RECOVERY_ALPHABET[rng.random_range(0..RECOVERY_ALPHABET.len())] as char;
    let first: String = (0..5).map(|_| pick()).collect();
    let second: String = (0..5).map(|_| pick()).collect();
    format!("{first}-{second}")
}

/// A typed recovery code as stored (lower case, no dash or spaces); `None`
/// if it cannot be one.
pub fn normalise_recovery_code(typed: &str) -> Option<String> {
    let code: String = typed.chars().filter(|c| !c.is_whitespace() && *c != '-').map(|c| c.to_ascii_lowercase()).collect();
    (code.len() == 10 && code.bytes().all(|b| RECOVERY_ALPHABET.contains(&b))).then_some(code)
}

/// Past the idle or the absolute timeout.
fn timed_out(session: &StaffSessionRow, now: i64) -> bool {
    now - session.last_seen_at >= IDLE_TIMEOUT_MS || now >= session.expires_at || now - session.created_at >= ABSOLUTE_TIMEOUT_MS
}

/// Addresses are stored lower-case and trimmed (see `Store::create_user`).
pub fn normalise_email(email: &str) -> String {
    email.trim().to_lowercase()
}

/// 256 random bits, hex (64 characters).
pub fn new_session_secret() -> String {
    use rand::RngCore;
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// Verifies off the async threads (argon2 takes tens of milliseconds). With
/// no stored hash, verifies against a dummy so the time does not tell.
async fn check_password(password: &str, stored: Option<String>) -> Result<bool, AuthError> {
    if password.is_empty() || password.len() > MAX_PASSWORD_LEN {
        // Still spend the time, so a too-long password is not a timing oracle either.
        let _ = tokio::task::spawn_blocking(|| verify_password("x", dummy_hash())).await;
        return Ok(false);
    }
    let password = password.to_string();
    let has_hash = stored.is_some();
    let verified = tokio::task::spawn_blocking(move || {
        let hash = stored.as_deref().unwrap_or_else(|| dummy_hash());
        verify_password(&password, hash)
    })
    .await
    .map_err(|e| AuthError::Internal(e.to_string()))?;
    Ok(verified && has_hash)
}

/// An argon2id hash of a random password nobody knows, made with the same
/// parameters as real hashes (so verifying against it costs the same).
fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| hash_password(&generate_password(32)).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session(created_at: i64, last_seen_at: i64) -> StaffSessionRow {
        StaffSessionRow {
            id_hash: "h".into(),
            user_id: "u".into(),
            org_id: "o".into(),
            created_at,
            last_seen_at,
            expires_at: created_at + ABSOLUTE_TIMEOUT_MS,
            second_factor_at: None,
        }
    }

    #[test]
    fn sessions_end_when_idle_or_too_old() {
        let t = 1_000_000_000;
        assert!(!timed_out(&session(t, t), t + IDLE_TIMEOUT_MS - 1));
        assert!(timed_out(&session(t, t), t + IDLE_TIMEOUT_MS));
        let busy = session(t, t + ABSOLUTE_TIMEOUT_MS - 1000);
        assert!(!timed_out(&busy, t + ABSOLUTE_TIMEOUT_MS - 1));
        assert!(timed_out(&busy, t + ABSOLUTE_TIMEOUT_MS), "activity does not extend past the absolute timeout");
    }

    #[test]
    fn cookies_are_http_only_lax_and_host_prefixed_when_secure() {
        let plain = CookiePolicy { secure: false };
        assert_eq!(plain.set("abc"), "vigil_session=abc; Path=/; HttpOnly; SameSite=Lax");
        let secure = CookiePolicy { secure: true };
        let set = secure.set("abc");
        assert!(set.starts_with("__Host-vigil_session=abc; Path=/;") && set.ends_with("; Secure"), "{set}");
        assert!(!set.contains("Domain"));
        assert!(secure.clear().contains("Max-Age=0"));
    }

    #[test]
    fn the_session_cookie_is_found_among_others() {
        let mut headers = http::HeaderMap::new();
        headers.insert(http::header::COOKIE, http::HeaderValue::from_static("a=1; vigil_session=xyz; b=2"));
        assert_eq!(CookiePolicy::default().read(&headers).as_deref(), Some("xyz"));
        assert_eq!(CookiePolicy { secure: true }.read(&headers), None);
    }

    #[test]
    fn recovery_codes_are_typed_back_in_any_case_with_or_without_the_dash() {
        let code = new_recovery_code();
        assert_eq!(code.len(), 11);
        let stored = normalise_recovery_code(&code).expect("valid");
        assert_eq!(normalise_recovery_code(&code.to_uppercase().replace('-', " ")).as_deref(), Some(stored.as_str()));
        assert_ne!(new_recovery_code(), code);
        assert_eq!(normalise_recovery_code("123456"), None, "a TOTP code is not a recovery code");
        assert_eq!(normalise_recovery_code("k3m9p-x2r7o"), None, "no look-alike letters");
    }

    #[test]
    fn session_secrets_are_256_bits_and_differ() {
        let (a, b) = (new_session_secret(), new_session_secret());
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
    }
}
