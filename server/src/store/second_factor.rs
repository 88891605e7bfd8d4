//! The staff's second factor: the TOTP secret and its last accepted step on
//! the user's row, and one-time recovery codes (only their hashes). Every
//! statement names the user's organisation or the user, and every change is
//! a single conditional UPDATE, so two requests racing with the same code
//! cannot both succeed. The secret is sealed at rest (`sealed`): written
//! sealed, read opened.

use super::{Store, StoreResult};
use crate::sealing::totp_purpose;

/// A user's second factor as stored.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct SecondFactorRow {
    /// Base32 (opened); present from the start of enrolment.
    pub totp_secret: Option<String>,
    /// `None` until a first code confirmed the enrolment.
    pub totp_enabled_at: Option<i64>,
    pub totp_last_step: Option<i64>,
}

impl Store {
    /// The second factor of a user of the organisation (`None`: no such user).
    pub async fn second_factor(&self, org_id: &str, user_id: &str) -> StoreResult<Option<SecondFactorRow>> {
        let row: Option<SecondFactorRow> = sqlx::query_as("SELECT totp_secret, totp_enabled_at, totp_last_step FROM users WHERE org_id = $1 AND id = $2")
            .bind(org_id)
            .bind(user_id)
            .fetch_optional(&self.read)
            .await?;
        let Some(mut row) = row else { return Ok(None) };
        row.totp_secret = row.totp_secret.map(|sealed| self.open_secret(&totp_purpose(user_id), &sealed)).transpose()?;
        Ok(Some(row))
    }

    /// Keeps a new secret for a user whose second factor is not on yet
    /// (replacing an unconfirmed one); false when it is on already.
    pub async fn begin_totp_enrolment(&self, org_id: &str, user_id: &str, secret: &str) -> StoreResult<bool> {
        let done = sqlx::query("UPDATE users SET totp_secret = $1, totp_last_step = NULL WHERE org_id = $2 AND id = $3 AND totp_enabled_at IS NULL")
            .bind(self.seal_secret(&totp_purpose(user_id), secret)?)
            .bind(org_id)
            .bind(user_id)
            .execute(&self.write)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Turns the factor on once a first code (of time step `step`) matched
    /// `secret`, with a fresh set of recovery codes; false when the secret
    /// changed meanwhile or the factor is on already.
    pub async fn confirm_totp(&self, org_id: &str, user_id: &str, secret: &str, step: i64, recovery_hashes: &[String], now: i64) -> StoreResult<bool> {
        let mut tx = self.write.begin().await?;
        // Sealing twice gives two values: compare the opened secret, then
        // change the row only if it still holds the sealed value compared.
        let stored: Option<Option<String>> = sqlx::query_scalar("SELECT totp_secret FROM users WHERE org_id = $1 AND id = $2 AND totp_enabled_at IS NULL")
            .bind(org_id)
            .bind(user_id)
            .fetch_optional(&mut *tx)
            .await?;
        let Some(stored) = stored.flatten() else { return Ok(false) };
        if self.open_secret(&totp_purpose(user_id), &stored)? != secret {
            return Ok(false);
        }
        let done = sqlx::query("UPDATE users SET totp_enabled_at = $1, totp_last_step = $2 WHERE org_id = $3 AND id = $4 AND totp_secret = $5 AND totp_enabled_at IS NULL")
            .bind(now)
            .bind(step)
            .bind(org_id)
            .bind(user_id)
            .bind(&stored)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() != 1 {
            return Ok(false);
        }
        sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1").bind(user_id).execute(&mut *tx).await?;
        for hash in recovery_hashes {
            sqlx::query("INSERT INTO recovery_codes (code_hash, user_id, created_at) VALUES ($1, $2, $3)").bind(hash).bind(user_id).bind(now).execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(true)
    }

    /// Records that a code of time step `step` was used; false when that
    /// step (or a later one) was used already, or the factor is off.
    pub async fn use_totp_step(&self, org_id: &str, user_id: &str, step: i64) -> StoreResult<bool> {
        let done = sqlx::query(
            "UPDATE users SET totp_last_step = $1 WHERE org_id = $2 AND id = $3 AND totp_enabled_at IS NOT NULL AND (totp_last_step IS NULL OR totp_last_step < $1)",
        )
        .bind(step)
        .bind(org_id)
        .bind(user_id)
        .execute(&self.write)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Uses up one of the user's recovery codes (by its hash); false when it
    /// is not theirs or was used before.
    pub async fn use_recovery_code(&self, user_id: &str, code_hash: &str, now: i64) -> StoreResult<bool> {
        let done = sqlx::query("UPDATE recovery_codes SET used_at = $1 WHERE code_hash = $2 AND user_id = $3 AND used_at IS NULL")
            .bind(now)
            .bind(code_hash)
            .bind(user_id)
            .execute(&self.write)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    /// How many recovery codes the user has not used.
    pub async fn recovery_codes_left(&self, user_id: &str) -> StoreResult<i64> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL").bind(user_id).fetch_one(&self.read).await?)
    }

    /// Turns the factor off (by the user, or an admin's reset): secret,
    /// step and recovery codes go. False when there is no such user.
    pub async fn remove_second_factor(&self, org_id: &str, user_id: &str) -> StoreResult<bool> {
        let mut tx = self.write.begin().await?;
        let done = sqlx::query("UPDATE users SET totp_secret = NULL, totp_enabled_at = NULL, totp_last_step = NULL WHERE org_id = $1 AND id = $2")
            .bind(org_id)
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() != 1 {
            return Ok(false);
        }
        sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1").bind(user_id).execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(true)
    }
}
