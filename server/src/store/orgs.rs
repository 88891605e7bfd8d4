//! Organisations (tenants) and their staff.

use super::{new_id, NewUser, Organisation, Role, Store, StoreError, StoreResult, User};
use crate::time::now_ms;

impl Store {
    pub async fn create_organisation(&self, name: &str, slug: &str, is_demo: bool) -> StoreResult<Organisation> {
        let org = Organisation { id: new_id(), name: name.to_string(), slug: slug.to_string(), is_demo: i64::from(is_demo), created_at: now_ms() };
        sqlx::query("INSERT INTO organisations (id, name, slug, is_demo, created_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(&org.id)
            .bind(&org.name)
            .bind(&org.slug)
            .bind(org.is_demo)
            .bind(org.created_at)
            .execute(&self.write)
            .await
            .map_err(|e| unique_violation(e, || format!("an organisation with the short name {slug:?} already exists")))?;
        Ok(org)
    }

    pub async fn organisation_by_slug(&self, slug: &str) -> StoreResult<Option<Organisation>> {
        Ok(sqlx::query_as("SELECT id, name, slug, is_demo, created_at FROM organisations WHERE slug = $1")
            .bind(slug)
            .fetch_optional(&self.read)
            .await?)
    }

    /// Whether the organisation is a demonstration (its data are simulated).
    pub async fn organisation_is_demo(&self, org_id: &str) -> StoreResult<bool> {
        let flag: Option<i64> = sqlx::query_scalar("SELECT is_demo FROM organisations WHERE id = $1").bind(org_id).fetch_optional(&self.read).await?;
        Ok(flag.unwrap_or(0) != 0)
    }

    pub async fn count_organisations(&self) -> StoreResult<i64> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM organisations").fetch_one(&self.read).await?)
    }

    pub async fn create_user(&self, new: &NewUser<'_>) -> StoreResult<User> {
        let user = User {
            id: new_id(),
            org_id: new.org_id.to_string(),
            email: new.email.trim().to_lowercase(),
            display_name: new.display_name.to_string(),
            role: new.role,
            password_hash: new.password_hash.map(str::to_string),
            active: true,
            created_at: now_ms(),
            second_factor_since: None,
            language: "en".to_string(),
        };
        sqlx::query("INSERT INTO users (id, org_id, email, display_name, role, password_hash, active, created_at) VALUES ($1, $2, $3, $4, $5, $6, 1, $7)")
            .bind(&user.id)
            .bind(&user.org_id)
            .bind(&user.email)
            .bind(&user.display_name)
            .bind(user.role.as_str())
            .bind(user.password_hash.as_deref())
            .bind(user.created_at)
            .execute(&self.write)
            .await
            .map_err(|e| unique_violation(e, || format!("a user with the e-mail address {} already exists", user.email)))?;
        Ok(user)
    }

    pub async fn user_by_email(&self, email: &str) -> StoreResult<Option<User>> {
        let row: Option<UserRow> = sqlx::query_as(
            &format!("SELECT {USER_COLUMNS} FROM users WHERE email = $1"),
        )
        .bind(email.trim().to_lowercase())
        .fetch_optional(&self.read)
        .await?;
        row.map(User::try_from).transpose()
    }

    /// The users of one organisation, by e-mail.
    pub async fn users_of(&self, org_id: &str) -> StoreResult<Vec<User>> {
        let rows: Vec<UserRow> = sqlx::query_as(&format!("SELECT {USER_COLUMNS} FROM users WHERE org_id = $1 ORDER BY email"))
        .bind(org_id)
        .fetch_all(&self.read)
        .await?;
        rows.into_iter().map(User::try_from).collect()
    }
}

/// The columns every read of `users` selects, in `UserRow`'s order.
pub(super) const USER_COLUMNS: &str = "id, org_id, email, display_name, role, password_hash, active, created_at, totp_enabled_at, language";

/// A row of `users` as stored; `User` is what the rest of Vigil sees.
#[derive(sqlx::FromRow)]
pub(super) struct UserRow {
    id: String,
    org_id: String,
    email: String,
    display_name: String,
    role: String,
    password_hash: Option<String>,
    active: i64,
    created_at: i64,
    totp_enabled_at: Option<i64>,
    language: String,
}

impl TryFrom<UserRow> for User {
    type Error = StoreError;

    fn try_from(r: UserRow) -> Result<Self, Self::Error> {
        let role = Role::parse(&r.role).ok_or_else(|| StoreError::Corrupt(format!("user {} has unknown role {:?}", r.id, r.role)))?;
        Ok(User {
            id: r.id,
            org_id: r.org_id,
            email: r.email,
            display_name: r.display_name,
            role,
            password_hash: r.password_hash,
            active: r.active != 0,
            created_at: r.created_at,
            second_factor_since: r.totp_enabled_at,
            language: r.language,
        })
    }
}

/// Turns a unique-constraint violation into a [`StoreError::Conflict`] with a readable message.
pub(super) fn unique_violation(e: sqlx::Error, message: impl FnOnce() -> String) -> StoreError {
    match &e {
        sqlx::Error::Database(db) if db.is_unique_violation() => StoreError::Conflict(message()),
        _ => StoreError::Query(e),
    }
}
