//! What the integration API keeps: an organisation's API keys (only their
//! hash), the answers to idempotent requests, and the reads the API makes
//! that the web app does not (a candidate by invitation alone, results
//! completed since a cursor). Every statement is scoped to an organisation.

use super::{audit::audit_in, Actor, AuditEntry, Store, StoreResult};

/// A key to create: the hash of the secret, never the secret.
#[derive(Debug, Clone)]
pub struct NewApiKey<'a> {
    pub id: &'a str,
    pub org_id: &'a str,
    pub name: &'a str,
    pub prefix: &'a str,
    pub secret_hash: &'a str,
    /// Space-separated.
    pub scopes: &'a str,
    pub per_minute: i64,
    pub created_by: &'a str,
    /// Refused from this time on (Unix ms); `None`: until revoked.
    pub expires_at: Option<i64>,
}

/// A stored key as lists and checks need it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ApiKeyRow {
    pub id: String,
    pub org_id: String,
    pub name: String,
    pub prefix: String,
    pub scopes: String,
    pub per_minute: i64,
    pub created_by: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
    pub revoked_at: Option<i64>,
    pub expires_at: Option<i64>,
}

const KEY_COLUMNS: &str = "id, org_id, name, prefix, scopes, per_minute, created_by, created_at, last_used_at, revoked_at, expires_at";

/// What became of a request's `Idempotency-Key`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IdempotencyClaim {
    /// First use: go ahead, then [`Store::finish_idempotent`].
    Claimed,
    /// Answered before, for the same request: give the same answer.
    Replay { status: i64, response: String },
    /// The first request with this key is still under way.
    InProgress,
    /// The key was used for a different request.
    Mismatch,
}

/// A completed session whose result other systems may fetch, in the order
/// of the results feed.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ResultChange {
    pub completed_at: i64,
    pub invitation_id: String,
    pub campaign_id: String,
    pub external_id: Option<String>,
}

impl Store {
    /// Stores a new key and its audit entry together.
    pub async fn create_api_key(&self, key: &NewApiKey<'_>, now: i64) -> StoreResult<()> {
        let mut tx = self.write.begin().await?;
        sqlx::query("INSERT INTO api_keys (id, org_id, name, prefix, secret_hash, scopes, per_minute, created_by, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)")
            .bind(key.id)
            .bind(key.org_id)
            .bind(key.name)
            .bind(key.prefix)
            .bind(key.secret_hash)
            .bind(key.scopes)
            .bind(key.per_minute)
            .bind(key.created_by)
            .bind(now)
            .bind(key.expires_at)
            .execute(&mut *tx)
            .await?;
        let detail = serde_json::json!({ "name": key.name, "scopes": key.scopes, "per_minute": key.per_minute, "expires_at": key.expires_at.map(crate::time::rfc3339_utc) }).to_string();
        audit_in(&mut tx, &AuditEntry { org_id: Some(key.org_id), actor: Actor::User(key.created_by), action: "api_key.created", object_type: "api_key", object_id: Some(key.id), detail: Some(detail) }, now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The organisation's keys, newest first (revoked ones too).
    pub async fn api_keys_of(&self, org_id: &str) -> StoreResult<Vec<ApiKeyRow>> {
        Ok(sqlx::query_as(&format!("SELECT {KEY_COLUMNS} FROM api_keys WHERE org_id = $1 ORDER BY created_at DESC, id")).bind(org_id).fetch_all(&self.read).await?)
    }

    /// The key with this secret hash, revoked or not.
    pub async fn api_key_by_hash(&self, secret_hash: &str) -> StoreResult<Option<ApiKeyRow>> {
        Ok(sqlx::query_as(&format!("SELECT {KEY_COLUMNS} FROM api_keys WHERE secret_hash = $1")).bind(secret_hash).fetch_optional(&self.read).await?)
    }

    /// Records that a key was used at `now`.
    pub async fn touch_api_key(&self, id: &str, now: i64) -> StoreResult<()> {
        sqlx::query("UPDATE api_keys SET last_used_at = $1 WHERE id = $2").bind(now).bind(id).execute(&self.write).await?;
        Ok(())
    }

    /// Revokes a key of the organisation (audited); `false` when there is
    /// no such key or it was revoked already.
    pub async fn revoke_api_key(&self, org_id: &str, id: &str, by: &str, now: i64) -> StoreResult<bool> {
        let mut tx = self.write.begin().await?;
        let done = sqlx::query("UPDATE api_keys SET revoked_at = $1, revoked_by = $2 WHERE org_id = $3 AND id = $4 AND revoked_at IS NULL")
            .bind(now)
            .bind(by)
            .bind(org_id)
            .bind(id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if done == 1 {
            audit_in(&mut tx, &AuditEntry { org_id: Some(org_id), actor: Actor::User(by), action: "api_key.revoked", object_type: "api_key", object_id: Some(id), detail: None }, now).await?;
        }
        tx.commit().await?;
        Ok(done == 1)
    }

    /// Claims an idempotency key for a request (`request_hash`: what was
    /// asked). A claim left under way since before `stale_before` (its
    /// process died) is taken over.
    pub async fn claim_idempotent(&self, org_id: &str, key: &str, request_hash: &str, now: i64, stale_before: i64) -> StoreResult<IdempotencyClaim> {
        let inserted = sqlx::query("INSERT INTO api_idempotency (org_id, idempotency_key, request_hash, status, response, created_at) VALUES ($1, $2, $3, 0, '', $4) ON CONFLICT (org_id, idempotency_key) DO NOTHING")
            .bind(org_id)
            .bind(key)
            .bind(request_hash)
            .bind(now)
            .execute(&self.write)
            .await?
            .rows_affected();
        if inserted == 1 {
            return Ok(IdempotencyClaim::Claimed);
        }
        let row: Option<(String, i64, String, i64)> = sqlx::query_as("SELECT request_hash, status, response, created_at FROM api_idempotency WHERE org_id = $1 AND idempotency_key = $2")
            .bind(org_id)
            .bind(key)
            .fetch_optional(&self.write)
            .await?;
        Ok(match row {
            None => IdempotencyClaim::InProgress,
            Some((hash, _, _, _)) if hash != request_hash => IdempotencyClaim::Mismatch,
            Some((_, 0, _, created_at)) if created_at < stale_before => {
                let taken = sqlx::query("UPDATE api_idempotency SET created_at = $1 WHERE org_id = $2 AND idempotency_key = $3 AND status = 0 AND created_at = $4")
                    .bind(now)
                    .bind(org_id)
                    .bind(key)
                    .bind(created_at)
                    .execute(&self.write)
                    .await?
                    .rows_affected();
                if taken == 1 {
                    IdempotencyClaim::Claimed
                } else {
                    IdempotencyClaim::InProgress
                }
            }
            Some((_, 0, _, _)) => IdempotencyClaim::InProgress,
            Some((_, status, response, _)) => IdempotencyClaim::Replay { status, response },
        })
    }

    /// Stores the answer given to a claimed key.
    pub async fn finish_idempotent(&self, org_id: &str, key: &str, status: i64, response: &str) -> StoreResult<()> {
        sqlx::query("UPDATE api_idempotency SET status = $1, response = $2 WHERE org_id = $3 AND idempotency_key = $4")
            .bind(status)
            .bind(response)
            .bind(org_id)
            .bind(key)
            .execute(&self.write)
            .await?;
        Ok(())
    }

    /// Gives a claimed key back (the request failed before it changed
    /// anything), so the same request may be sent again.
    pub async fn release_idempotent(&self, org_id: &str, key: &str) -> StoreResult<()> {
        sqlx::query("DELETE FROM api_idempotency WHERE org_id = $1 AND idempotency_key = $2 AND status = 0").bind(org_id).bind(key).execute(&self.write).await?;
        Ok(())
    }

    /// Idempotency answers recorded before `before` (they may hold links).
    pub async fn delete_idempotency_before(&self, before: i64) -> StoreResult<u64> {
        Ok(sqlx::query("DELETE FROM api_idempotency WHERE created_at < $1").bind(before).execute(&self.write).await?.rows_affected())
    }

    /// Completed sessions after the cursor `(completed_at, invitation_id)`
    /// and before `settled_before`, oldest first, at most `limit`.
    pub async fn results_changed(&self, org_id: &str, after: Option<(i64, &str)>, settled_before: i64, limit: i64) -> StoreResult<Vec<ResultChange>> {
        let (at, id) = after.unwrap_or((i64::MIN, ""));
        Ok(sqlx::query_as(
            "SELECT s.completed_at, s.invitation_id, s.campaign_id, i.external_id FROM assessment_sessions s \
             JOIN invitations i ON i.org_id = s.org_id AND i.id = s.invitation_id \
             WHERE s.org_id = $1 AND s.status = 'completed' AND s.completed_at < $2 \
             AND (s.completed_at > $3 OR (s.completed_at = $3 AND s.invitation_id > $4)) \
             ORDER BY s.completed_at, s.invitation_id LIMIT $5",
        )
        .bind(org_id)
        .bind(settled_before)
        .bind(at)
        .bind(id)
        .bind(limit)
        .fetch_all(&self.read)
        .await?)
    }
}

impl Store {
    /// The invitation an address (by its key) already has to a campaign.
    pub async fn invitation_by_email_key(&self, org_id: &str, campaign_id: &str, email_key: &str) -> StoreResult<Option<String>> {
        Ok(sqlx::query_scalar("SELECT id FROM invitations WHERE org_id = $1 AND campaign_id = $2 AND email_key = $3")
            .bind(org_id)
            .bind(campaign_id)
            .bind(email_key)
            .fetch_optional(&self.write)
            .await?)
    }
}
