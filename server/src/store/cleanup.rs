//! Deleting rows that no longer mean anything: ended staff sessions,
//! expired candidate access, old failed sign-ins, spent set-password links.
//! Each method is one statement and returns how many rows it deleted; the
//! caller (`crate::cleanup`) decides the cut-off times (Unix ms).

use super::{Store, StoreResult};

impl Store {
    /// Staff sessions past their absolute end (`expires_at <= now`) or idle
    /// since `idle_before` or earlier. Such a session is refused anyway
    /// (`crate::auth`); this only removes the row.
    pub async fn delete_ended_staff_sessions(&self, now: i64, idle_before: i64) -> StoreResult<u64> {
        let done = sqlx::query("DELETE FROM staff_sessions WHERE expires_at <= $1 OR last_seen_at <= $2")
            .bind(now)
            .bind(idle_before)
            .execute(&self.write)
            .await?;
        Ok(done.rows_affected())
    }

    /// Candidate access secrets that expired before `before`.
    pub async fn delete_expired_candidate_access(&self, before: i64) -> StoreResult<u64> {
        let done = sqlx::query("DELETE FROM candidate_access WHERE expires_at < $1").bind(before).execute(&self.write).await?;
        Ok(done.rows_affected())
    }

    /// Failed sign-ins older than `before` (outside the rate limit's window).
    pub async fn delete_login_failures_before(&self, before: i64) -> StoreResult<u64> {
        let done = sqlx::query("DELETE FROM login_failures WHERE at < $1").bind(before).execute(&self.write).await?;
        Ok(done.rows_affected())
    }

    /// Set-password links used, or expired, before `before`.
    pub async fn delete_spent_password_setups(&self, before: i64) -> StoreResult<u64> {
        let done = sqlx::query("DELETE FROM password_setups WHERE used_at < $1 OR expires_at < $2")
            .bind(before)
            .bind(before)
            .execute(&self.write)
            .await?;
        Ok(done.rows_affected())
    }
}
