//! API keys: an organisation's administrators create them with a name, the
//! scopes they grant and a rate limit; the key is shown once and stored
//! only as its SHA-256; revoking takes effect on the next request (every
//! request looks the key up). A request names its key as
//! `Authorization: Bearer <key>`.

use super::error::ApiError;
use crate::{
    secrets::secret_hash,
    service_error::ServiceError,
    staff::{require_admin, Caller},
    store::{ApiKeyRow, NewApiKey, Store},
    time::now_ms,
};

/// What a key may be allowed to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Scope {
    /// List and read campaigns with their instruments.
    CampaignsRead,
    /// Read invitations and candidates' status.
    InvitationsRead,
    /// Create, revoke and resend invitations.
    InvitationsWrite,
    /// Read results (scores with bands, validity, provenance; never answers).
    ResultsRead,
}

impl Scope {
    pub const ALL: [Scope; 4] = [Scope::CampaignsRead, Scope::InvitationsRead, Scope::InvitationsWrite, Scope::ResultsRead];

    pub fn as_str(self) -> &'static str {
        match self {
            Scope::CampaignsRead => "campaigns:read",
            Scope::InvitationsRead => "invitations:read",
            Scope::InvitationsWrite => "invitations:write",
            Scope::ResultsRead => "results:read",
        }
    }

    pub fn parse(s: &str) -> Option<Scope> {
        Scope::ALL.into_iter().find(|scope| scope.as_str() == s)
    }
}

/// Requests per minute a new key is allowed unless set otherwise.
pub const DEFAULT_PER_MINUTE: i64 = 600;
/// The most a key may be allowed.
pub const MAX_PER_MINUTE: i64 = 120_000;
/// Longest key name.
pub const MAX_NAME_CHARS: usize = 80;
/// How often a key's last use is written (not on every request).
const LAST_USED_EVERY_MS: i64 = 60_000;

/// Who is calling: a key of an organisation, with what it may do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiCaller {
    pub key_id: String,
    pub org_id: String,
    pub name: String,
    pub scopes: Vec<Scope>,
    pub per_minute: i64,
}

impl ApiCaller {
    /// `MissingScope` unless the key has `scope`.
    pub fn require(&self, scope: Scope) -> Result<(), ApiError> {
        if self.scopes.contains(&scope) {
            Ok(())
        } else {
            Err(ApiError::MissingScope(scope.as_str()))
        }
    }
}

/// The scopes stored with a key, known ones only.
fn parse_scopes(stored: &str) -> Vec<Scope> {
    stored.split_whitespace().filter_map(Scope::parse).collect()
}

/// A new key: `vgl_<prefix>_<secret>`; the prefix (8 hex digits) tells keys apart in lists.
fn new_key() -> (String, String) {
    let secret = crate::secrets::new_secret();
    let prefix = secret_hash(&secret)[..8].to_string();
    let key = format!("vgl_{prefix}_{secret}");
    (prefix, key)
}

/// The caller behind an `Authorization` header value. A revoked key is
/// refused at once; its last use is written at most once a minute.
pub async fn authenticate(store: &Store, authorization: Option<&str>) -> Result<ApiCaller, ApiError> {
    let key = authorization.and_then(|h| h.strip_prefix("Bearer ")).map(str::trim).filter(|k| k.starts_with("vgl_")).ok_or(ApiError::Unauthenticated)?;
    let row = store.api_key_by_hash(&secret_hash(key)).await?.ok_or(ApiError::Unauthenticated)?;
    if row.revoked_at.is_some() {
        return Err(ApiError::Revoked);
    }
    let now = now_ms();
    if row.expires_at.is_some_and(|at| at <= now) {
        return Err(ApiError::Expired);
    }
    crate::store::enter_organisation(&row.org_id);
    if row.last_used_at.is_none_or(|at| now - at >= LAST_USED_EVERY_MS) {
        store.touch_api_key(&row.id, now).await?;
    }
    Ok(ApiCaller { scopes: parse_scopes(&row.scopes), key_id: row.id, org_id: row.org_id, name: row.name, per_minute: row.per_minute })
}

/// A key just created: its row, and the key itself (shown this once).
#[derive(Debug, Clone)]
pub struct CreatedKey {
    pub row: ApiKeyRow,
    pub key: String,
}

/// Creates a key for the caller's organisation (administrators; audited).
pub async fn create(store: &Store, caller: &Caller, name: &str, scopes: &[String], per_minute: Option<i64>, expires_on: &str) -> Result<CreatedKey, ServiceError> {
    require_admin(caller)?;
    let name = name.trim();
    if name.is_empty() || name.chars().count() > MAX_NAME_CHARS || name.chars().any(char::is_control) {
        return Err(ServiceError::Invalid(format!("Please give the key a name of 1 to {MAX_NAME_CHARS} characters, such as the system that will use it.")));
    }
    let mut chosen: Vec<Scope> = Vec::new();
    for s in scopes {
        let scope = Scope::parse(s).ok_or_else(|| ServiceError::Invalid(format!("{s:?} is not a scope Vigil knows.")))?;
        if !chosen.contains(&scope) {
            chosen.push(scope);
        }
    }
    if chosen.is_empty() {
        return Err(ServiceError::Invalid("Please choose at least one scope: what the key may do.".into()));
    }
    chosen.sort();
    let per_minute = per_minute.unwrap_or(DEFAULT_PER_MINUTE);
    if !(1..=MAX_PER_MINUTE).contains(&per_minute) {
        return Err(ServiceError::Invalid(format!("The rate limit must be from 1 to {MAX_PER_MINUTE} requests per minute.")));
    }
    let now = now_ms();
    let expires_at = match expires_on.trim() {
        "" => None,
        day => match crate::time::parse_date_utc(day) {
            // Valid through the day named (UTC).
            Some(start) if start + 86_400_000 > now => Some(start + 86_400_000),
            Some(_) => return Err(ServiceError::Invalid("The expiry date has passed; choose a later one, or none.".into())),
            None => return Err(ServiceError::Invalid("Please give the expiry date as YYYY-MM-DD, or leave it empty.".into())),
        },
    };
    let (prefix, key) = new_key();
    let id = crate::store::new_id();
    let scopes = chosen.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(" ");
    store
        .create_api_key(&NewApiKey { id: &id, org_id: &caller.org_id, name, prefix: &prefix, secret_hash: &secret_hash(&key), scopes: &scopes, per_minute, created_by: &caller.user_id, expires_at }, now)
        .await?;
    let row = ApiKeyRow { id, org_id: caller.org_id.clone(), name: name.to_string(), prefix, scopes, per_minute, created_by: caller.user_id.clone(), created_at: now, last_used_at: None, revoked_at: None, expires_at };
    Ok(CreatedKey { row, key })
}

/// The organisation's keys (administrators).
pub async fn list(store: &Store, caller: &Caller) -> Result<Vec<ApiKeyRow>, ServiceError> {
    require_admin(caller)?;
    Ok(store.api_keys_of(&caller.org_id).await?)
}

/// Revokes a key of the organisation (administrators; audited).
pub async fn revoke(store: &Store, caller: &Caller, id: &str) -> Result<(), ServiceError> {
    require_admin(caller)?;
    if store.revoke_api_key(&caller.org_id, id, &caller.user_id, now_ms()).await? {
        Ok(())
    } else {
        Err(ServiceError::NotFound)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_carries_its_prefix_and_is_never_the_same_twice() {
        let (prefix, key) = new_key();
        assert!(key.starts_with(&format!("vgl_{prefix}_")), "{key}");
        assert_eq!(prefix.len(), 8);
        assert_ne!(new_key().1, key);
    }

    #[test]
    fn scopes_read_back_as_written_and_unknown_ones_are_dropped() {
        for s in Scope::ALL {
            assert_eq!(Scope::parse(s.as_str()), Some(s));
        }
        assert_eq!(parse_scopes("results:read bogus campaigns:read"), [Scope::ResultsRead, Scope::CampaignsRead]);
        let caller = ApiCaller { key_id: "k".into(), org_id: "o".into(), name: "ATS".into(), scopes: vec![Scope::ResultsRead], per_minute: 1 };
        assert!(caller.require(Scope::ResultsRead).is_ok());
        assert!(matches!(caller.require(Scope::InvitationsWrite), Err(ApiError::MissingScope("invitations:write"))));
    }
}
