//! Staff sign-in: sessions, failed-login counts, one-time set-password
//! links, and the organisation-scoped user queries the admin pages need.
//!
//! Sessions and set-password links are found by the SHA-256 of the secret
//! the browser holds; the secret itself never reaches the database. Every
//! query about a user takes the caller's organisation, so a user of another
//! organisation is simply not found.

use super::{
    new_id,
    orgs::{UserRow, USER_COLUMNS},
    Organisation, Store, StoreResult, User,
};

/// A signed-in staff session as stored.
/// Failed sign-ins in a window, counted three ways.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LoginFailures {
    /// For this account, from this client address.
    pub account_from_address: i64,
    /// From this client address, for any account.
    pub address: i64,
    /// For this account, from any address.
    pub account: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct StaffSessionRow {
    pub id_hash: String,
    pub user_id: String,
    pub org_id: String,
    pub created_at: i64,
    pub last_seen_at: i64,
    /// The absolute end of the session (created_at + the absolute timeout).
    pub expires_at: i64,
    /// When the second factor (TOTP) was verified in this session; room for later.
    pub second_factor_at: Option<i64>,
}

/// One audit entry with the names a person reads instead of ids.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct AuditView {
    pub id: String,
    pub at: i64,
    pub actor_kind: String,
    pub actor_name: Option<String>,
    pub action: String,
    pub object_type: String,
    pub object_id: Option<String>,
    /// The object's name: a user's e-mail, a candidate's name, a campaign's name.
    pub object_name: Option<String>,
}

impl Store {
    pub async fn create_staff_session(&self, row: &StaffSessionRow) -> StoreResult<()> {
        sqlx::query("INSERT INTO staff_sessions (id_hash, user_id, org_id, created_at, last_seen_at, expires_at, second_factor_at) VALUES ($1, $2, $3, $4, $5, $6, $7)")
            .bind(&row.id_hash)
            .bind(&row.user_id)
            .bind(&row.org_id)
            .bind(row.created_at)
            .bind(row.last_seen_at)
            .bind(row.expires_at)
            .bind(row.second_factor_at)
            .execute(&self.write)
            .await?;
        Ok(())
    }

    pub async fn staff_session(&self, id_hash: &str) -> StoreResult<Option<StaffSessionRow>> {
        Ok(sqlx::query_as("SELECT id_hash, user_id, org_id, created_at, last_seen_at, expires_at, second_factor_at FROM staff_sessions WHERE id_hash = $1")
            .bind(id_hash)
            .fetch_optional(&self.read)
            .await?)
    }

    /// Records activity (the idle timeout counts from here).
    pub async fn touch_staff_session(&self, id_hash: &str, now: i64) -> StoreResult<()> {
        sqlx::query("UPDATE staff_sessions SET last_seen_at = $1 WHERE id_hash = $2")
            .bind(now)
            .bind(id_hash)
            .execute(&self.write)
            .await?;
        Ok(())
    }

    /// Gives a session a new id (after a change of privilege, e.g. a verified
    /// second factor), keeping its times. False when the old id is unknown.
    pub async fn rotate_staff_session(&self, old_hash: &str, new_hash: &str, second_factor_at: Option<i64>) -> StoreResult<bool> {
        let done = sqlx::query("UPDATE staff_sessions SET id_hash = $1, second_factor_at = COALESCE($2, second_factor_at) WHERE id_hash = $3")
            .bind(new_hash)
            .bind(second_factor_at)
            .bind(old_hash)
            .execute(&self.write)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    pub async fn delete_staff_session(&self, id_hash: &str) -> StoreResult<bool> {
        let done = sqlx::query("DELETE FROM staff_sessions WHERE id_hash = $1").bind(id_hash).execute(&self.write).await?;
        Ok(done.rows_affected() == 1)
    }

    /// Signs a user out everywhere (on deactivation).
    pub async fn delete_staff_sessions_of(&self, org_id: &str, user_id: &str) -> StoreResult<u64> {
        let done = sqlx::query("DELETE FROM staff_sessions WHERE org_id = $1 AND user_id = $2")
            .bind(org_id)
            .bind(user_id)
            .execute(&self.write)
            .await?;
        Ok(done.rows_affected())
    }

    /// Test and maintenance hook: sets a session's times (e.g. to check timeouts).
    pub async fn set_staff_session_times(&self, id_hash: &str, created_at: i64, last_seen_at: i64, expires_at: i64) -> StoreResult<()> {
        sqlx::query("UPDATE staff_sessions SET created_at = $1, last_seen_at = $2, expires_at = $3 WHERE id_hash = $4")
            .bind(created_at)
            .bind(last_seen_at)
            .bind(expires_at)
            .bind(id_hash)
            .execute(&self.write)
            .await?;
        Ok(())
    }

    pub async fn organisation_by_id(&self, org_id: &str) -> StoreResult<Option<Organisation>> {
        Ok(sqlx::query_as("SELECT id, name, slug, is_demo, created_at FROM organisations WHERE id = $1")
            .bind(org_id)
            .fetch_optional(&self.read)
            .await?)
    }

    /// A user of the given organisation, or `None` (also for another organisation's user).
    pub async fn user_in_org(&self, org_id: &str, user_id: &str) -> StoreResult<Option<User>> {
        let row: Option<UserRow> = sqlx::query_as(&format!("SELECT {USER_COLUMNS} FROM users WHERE org_id = $1 AND id = $2"))
            .bind(org_id)
            .bind(user_id)
            .fetch_optional(&self.read)
            .await?;
        row.map(User::try_from).transpose()
    }

    /// Sets the language a user reads Vigil's pages in ("en" or "de", checked by the caller).
    pub async fn set_user_language(&self, org_id: &str, user_id: &str, language: &str) -> StoreResult<()> {
        sqlx::query("UPDATE users SET language = $1 WHERE org_id = $2 AND id = $3").bind(language).bind(org_id).bind(user_id).execute(&self.write).await?;
        Ok(())
    }

    /// Deactivates a user of the organisation; false when there is no such (active) user.
    pub async fn deactivate_user(&self, org_id: &str, user_id: &str, now: i64) -> StoreResult<bool> {
        let done = sqlx::query("UPDATE users SET active = 0, deactivated_at = $1 WHERE org_id = $2 AND id = $3 AND active = 1")
            .bind(now)
            .bind(org_id)
            .bind(user_id)
            .execute(&self.write)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Sets a user's password hash (the user must belong to the organisation).
    pub async fn set_password_hash(&self, org_id: &str, user_id: &str, hash: &str) -> StoreResult<bool> {
        let done = sqlx::query("UPDATE users SET password_hash = $1 WHERE org_id = $2 AND id = $3")
            .bind(hash)
            .bind(org_id)
            .bind(user_id)
            .execute(&self.write)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Counts a failed sign-in and forgets those older than `forget_before`.
    pub async fn record_login_failure(&self, email: &str, ip: &str, now: i64, forget_before: i64) -> StoreResult<()> {
        sqlx::query("DELETE FROM login_failures WHERE at < $1").bind(forget_before).execute(&self.write).await?;
        sqlx::query("INSERT INTO login_failures (id, email, ip, at) VALUES ($1, $2, $3, $4)")
            .bind(new_id())
            .bind(email)
            .bind(ip)
            .bind(now)
            .execute(&self.write)
            .await?;
        Ok(())
    }

    /// Failed sign-ins since `since`: (for this e-mail address, from this address).
    /// Failed sign-ins since `since`, counted per account from this address,
    /// per address and per account from anywhere.
    pub async fn login_failures_since(&self, email: &str, ip: &str, since: i64) -> StoreResult<LoginFailures> {
        let (account_from_address, address, account): (i64, i64, i64) = sqlx::query_as(
            "SELECT CAST(COALESCE(SUM(CASE WHEN email = $1 AND ip = $2 THEN 1 ELSE 0 END), 0) AS BIGINT), \
                    CAST(COALESCE(SUM(CASE WHEN ip = $2 THEN 1 ELSE 0 END), 0) AS BIGINT), \
                    CAST(COALESCE(SUM(CASE WHEN email = $1 THEN 1 ELSE 0 END), 0) AS BIGINT) \
             FROM login_failures WHERE at >= $3 AND (email = $1 OR ip = $2)",
        )
        .bind(email)
        .bind(ip)
        .bind(since)
        .fetch_one(&self.read)
        .await?;
        Ok(LoginFailures { account_from_address, address, account })
    }

    /// After a successful sign-in the account's count starts afresh.
    pub async fn clear_login_failures(&self, email: &str) -> StoreResult<()> {
        sqlx::query("DELETE FROM login_failures WHERE email = $1").bind(email).execute(&self.write).await?;
        Ok(())
    }

    pub async fn create_password_setup(&self, token_hash: &str, org_id: &str, user_id: &str, now: i64, expires_at: i64) -> StoreResult<()> {
        sqlx::query("INSERT INTO password_setups (token_hash, user_id, org_id, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(token_hash)
            .bind(user_id)
            .bind(org_id)
            .bind(now)
            .bind(expires_at)
            .execute(&self.write)
            .await?;
        Ok(())
    }

    /// Marks an unused, unexpired set-password link as used and returns its
    /// (org_id, user_id). A single UPDATE, so a link works exactly once even
    /// when two requests race.
    pub async fn consume_password_setup(&self, token_hash: &str, now: i64) -> StoreResult<Option<(String, String)>> {
        let done = sqlx::query("UPDATE password_setups SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $3")
            .bind(now)
            .bind(token_hash)
            .bind(now)
            .execute(&self.write)
            .await?;
        if done.rows_affected() != 1 {
            return Ok(None);
        }
        Ok(sqlx::query_as("SELECT org_id, user_id FROM password_setups WHERE token_hash = $1")
            .bind(token_hash)
            .fetch_optional(&self.write)
            .await?)
    }
}
