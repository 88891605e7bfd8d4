//! The admin's work on staff accounts: list, invite (with a one-time
//! set-password link), deactivate, and the audit log; plus setting a
//! password with such a link. Every function takes the caller, checks the
//! role here and scopes every query to the caller's organisation, so another
//! organisation's user is "not found". Also implements `app::staff::ports`.

use app::{
    staff::model::{AuditFilter, AuditPage, StaffMe, StaffRole, UserSummary},
    AppError,
};
use async_trait::async_trait;
use axum::http;

use crate::{
    auth::{new_session_secret, Auth, Identity},
    internal::internal,
    passwords::{hash_password, PasswordError},
    secrets::secret_hash,
    service_error::ServiceError,
    store::{Actor, AuditEntry, NewUser, Role, Store, StoreError, User},
    time::now_ms,
};

/// How long a set-password link works.
pub const SETUP_LINK_DAYS: i64 = 7;

/// Who is asking: enough to check role and organisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    pub user_id: String,
    pub org_id: String,
    pub role: StaffRole,
    /// The language they read Vigil in ("en" or "de").
    pub language: String,
}

impl Caller {
    /// Records in the audit log that the caller did `action` to an object
    /// of their organisation.
    pub async fn audit(&self, store: &Store, action: &str, object_type: &str, object_id: &str, detail: serde_json::Value) -> Result<(), StoreError> {
        store
            .audit(&AuditEntry {
                org_id: Some(&self.org_id),
                actor: Actor::User(&self.user_id),
                action,
                object_type,
                object_id: Some(object_id),
                detail: Some(detail.to_string()),
            })
            .await
    }
}

impl From<&Identity> for Caller {
    fn from(i: &Identity) -> Self {
        Caller { user_id: i.user.id.clone(), org_id: i.user.org_id.clone(), role: staff_role(i.user.role), language: i.user.language.clone() }
    }
}

impl From<&StaffMe> for Caller {
    fn from(me: &StaffMe) -> Self {
        Caller { user_id: me.user_id.clone(), org_id: me.org_id.clone(), role: me.role, language: me.language.clone() }
    }
}

pub fn staff_role(role: Role) -> StaffRole {
    match role {
        Role::Admin => StaffRole::Admin,
        Role::Recruiter => StaffRole::Recruiter,
        Role::Psychologist => StaffRole::Psychologist,
        Role::Security => StaffRole::Security,
    }
}

/// What the pages show about the signed-in staff member.
pub fn me_of(identity: &Identity) -> StaffMe {
    StaffMe {
        user_id: identity.user.id.clone(),
        name: identity.user.display_name.clone(),
        email: identity.user.email.clone(),
        role: staff_role(identity.user.role),
        org_id: identity.user.org_id.clone(),
        organisation: identity.organisation.name.clone(),
        language: identity.user.language.clone(),
    }
}

/// Sets the language the caller reads Vigil's pages in (one of `app::i18n::LANGUAGES`).
pub async fn set_language(store: &Store, caller: &Caller, language: &str) -> Result<(), ServiceError> {
    if !app::i18n::LANGUAGES.contains(&language) {
        return Err(ServiceError::Invalid("Choose English or German.".into()));
    }
    store.set_user_language(&caller.org_id, &caller.user_id, language).await?;
    Ok(())
}

/// `Forbidden` unless the caller administers their organisation.
pub fn require_admin(caller: &Caller) -> Result<(), ServiceError> {
    if caller.role.may_administer() {
        Ok(())
    } else {
        Err(ServiceError::Forbidden)
    }
}

/// The users of the caller's organisation.
pub async fn users(store: &Store, caller: &Caller) -> Result<Vec<UserSummary>, ServiceError> {
    require_admin(caller)?;
    Ok(store
        .users_of(&caller.org_id)
        .await?
        .into_iter()
        .map(|u| UserSummary {
            has_password: u.password_hash.is_some(),
            second_factor: u.second_factor_since.is_some(),
            id: u.id,
            name: u.display_name,
            email: u.email,
            role: staff_role(u.role),
            active: u.active,
        })
        .collect())
}

/// A new account and the path of its one-time set-password link (the only
/// place the token exists).
pub struct Invited {
    pub user: User,
    pub link_path: String,
}

/// Creates an account without a password and a set-password link for it.
pub async fn invite(store: &Store, caller: &Caller, name: &str, email: &str, role: &str) -> Result<Invited, ServiceError> {
    require_admin(caller)?;
    let name = valid_name(name)?;
    let email = valid_email(email)?;
    let role = Role::parse(role).ok_or_else(|| ServiceError::Invalid("Please choose a role: recruiter, psychologist, security lead or administrator.".into()))?;
    let user = store
        .create_user(&NewUser { org_id: &caller.org_id, email: &email, display_name: &name, role, password_hash: None })
        .await
        .map_err(|e| match e {
            StoreError::Conflict(_) => ServiceError::Invalid("An account with this e-mail address already exists.".into()),
            other => ServiceError::Store(other),
        })?;
    let token = new_session_secret();
    let now = now_ms();
    let expires_at = now + SETUP_LINK_DAYS * 86_400_000;
    store.create_password_setup(&secret_hash(&token), &caller.org_id, &user.id, now, expires_at).await?;
    store
        .audit(&AuditEntry {
            org_id: Some(&caller.org_id),
            actor: Actor::User(&caller.user_id),
            action: "user.invited",
            object_type: "user",
            object_id: Some(&user.id),
            // The link's token is never recorded, only that a link was issued.
            detail: Some(serde_json::json!({ "role": role.as_str(), "email": user.email, "set_password_link_expires_at": expires_at }).to_string()),
        })
        .await?;
    Ok(Invited { user, link_path: format!("/set-password/{token}") })
}

fn valid_name(name: &str) -> Result<String, ServiceError> {
    crate::recruit::csv_import::valid_name(name).map_err(|_| ServiceError::Invalid("Please give a name of at most 200 characters.".into()))
}

fn valid_email(email: &str) -> Result<String, ServiceError> {
    crate::recruit::csv_import::valid_email(email).map_err(|_| ServiceError::Invalid("Please give a valid e-mail address.".into()))
}

/// Deactivates a user of the caller's organisation and ends their sessions.
/// Another organisation's user is not found; an admin cannot lock themselves out.
pub async fn deactivate(store: &Store, caller: &Caller, user_id: &str) -> Result<User, ServiceError> {
    require_admin(caller)?;
    let user = store.user_in_org(&caller.org_id, user_id).await?.ok_or(ServiceError::NotFound)?;
    if user.id == caller.user_id {
        return Err(ServiceError::Invalid("You cannot deactivate your own account. Ask another administrator.".into()));
    }
    if store.deactivate_user(&caller.org_id, &user.id, now_ms()).await? {
        let ended = store.delete_staff_sessions_of(&caller.org_id, &user.id).await?;
        caller.audit(store, "user.deactivated", "user", &user.id, serde_json::json!({ "sessions_ended": ended })).await?;
    }
    Ok(user)
}

/// Turns off the second factor of a user of the caller's organisation who
/// lost their authenticator and recovery codes; they sign in with the
/// password alone and can set it up again. Their sessions end.
pub async fn reset_second_factor(store: &Store, caller: &Caller, user_id: &str) -> Result<User, ServiceError> {
    require_admin(caller)?;
    let user = store.user_in_org(&caller.org_id, user_id).await?.ok_or(ServiceError::NotFound)?;
    if user.second_factor_since.is_none() {
        return Err(ServiceError::Invalid("This account has no second factor to reset.".into()));
    }
    if user.id == caller.user_id {
        return Err(ServiceError::Invalid("Turn off your own second factor on your security page, with a code.".into()));
    }
    store.remove_second_factor(&caller.org_id, &user.id).await?;
    let ended = store.delete_staff_sessions_of(&caller.org_id, &user.id).await?;
    caller.audit(store, "second_factor.reset", "user", &user.id, serde_json::json!({ "sessions_ended": ended })).await?;
    Ok(user)
}

/// Sets the password of the account a set-password link belongs to; the link then stops working.
pub async fn set_password(store: &Store, token: &str, password: &str, repeat: &str) -> Result<(), ServiceError> {
    if password != repeat {
        return Err(ServiceError::Invalid("The two passwords are not the same. Please type them again.".into()));
    }
    // Hash first: a too short password must not use up the link.
    let hash = hash_password(password).map_err(|e| match e {
        PasswordError::TooShort => ServiceError::Invalid(e.to_string()),
        PasswordError::Hash(msg) => ServiceError::Store(StoreError::Corrupt(msg)),
    })?;
    if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(ServiceError::NotFound);
    }
    let (org_id, user_id) = store.consume_password_setup(&secret_hash(token), now_ms()).await?.ok_or(ServiceError::NotFound)?;
    if !store.set_password_hash(&org_id, &user_id, &hash).await? {
        return Err(ServiceError::NotFound);
    }
    store
        .audit(&AuditEntry { org_id: Some(&org_id), actor: Actor::User(&user_id), action: "user.password_set", object_type: "user", object_id: Some(&user_id), detail: None })
        .await?;
    Ok(())
}

/// One page of the organisation's audit log (administrators).
pub async fn audit_page(store: &Store, caller: &Caller, filter: AuditFilter) -> Result<AuditPage, ServiceError> {
    require_admin(caller)?;
    let people = users(store, caller).await?.into_iter().map(|u| (u.id, u.name)).collect();
    crate::audit_log::page(store, &caller.org_id, filter, people, &caller.language).await
}

/// The organisation's audit log entries the filter selects, as CSV
/// (administrators; audited as `audit.exported`).
pub async fn audit_csv(store: &Store, caller: &Caller, filter: AuditFilter) -> Result<String, ServiceError> {
    require_admin(caller)?;
    let (csv, entries) = crate::audit_log::csv(store, &caller.org_id, &filter, &caller.language).await?;
    caller.audit(store, "audit.exported", "organisation", &caller.org_id, serde_json::json!({ "entries": entries, "filter": filter.query(false) })).await?;
    Ok(csv)
}

/// The server's side of `app::staff::ports::StaffServices`.
pub struct StaffPort {
    pub auth: Auth,
}

#[async_trait]
impl app::staff::ports::StaffServices for StaffPort {
    async fn whoami(&self, headers: &http::HeaderMap) -> Result<StaffMe, AppError> {
        match self.auth.from_headers(headers).await {
            Ok(Some(identity)) => Ok(me_of(&identity)),
            Ok(None) => Err(AppError::Unauthenticated),
            Err(e) => Err(internal(e)),
        }
    }

    async fn users(&self, me: &StaffMe) -> Result<Vec<UserSummary>, AppError> {
        users(&self.auth.store, &Caller::from(me)).await.map_err(ServiceError::into_app)
    }

    async fn audit(&self, me: &StaffMe, filter: AuditFilter) -> Result<AuditPage, AppError> {
        audit_page(&self.auth.store, &Caller::from(me), filter).await.map_err(ServiceError::into_app)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_addresses_are_checked() {
        assert!(valid_name("  Ada Lovelace ").is_ok_and(|n| n == "Ada Lovelace"));
        assert!(valid_name("").is_err() && valid_name("a\u{7}b").is_err());
        assert_eq!(valid_email(" Ada@Example.org ").ok().as_deref(), Some("ada@example.org"));
        for bad in ["ada", "ada@", "@example.org", "a da@example.org", "ada@localhost", "a@b@c.org"] {
            assert!(valid_email(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn only_admins_administer() {
        let caller = |role| Caller { user_id: "u".into(), org_id: "o".into(), role, language: "en".into() };
        assert!(require_admin(&caller(StaffRole::Admin)).is_ok());
        assert!(matches!(require_admin(&caller(StaffRole::Recruiter)), Err(ServiceError::Forbidden)));
        assert!(matches!(require_admin(&caller(StaffRole::Psychologist)), Err(ServiceError::Forbidden)));
    }
}
