//! Scores: inserted once with their provenance, never updated.

use super::{new_id, Store, StoreResult};
use crate::time::now_ms;

#[derive(Debug, Clone)]
pub struct NewScore<'a> {
    pub org_id: &'a str,
    pub session_id: &'a str,
    pub instrument: &'a str,
    /// "ctt", "irt" or "cat".
    pub method: &'a str,
    pub bank_version: &'a str,
    pub bank_hash: &'a str,
    pub norm_table_id: Option<&'a str>,
    pub norm_table_hash: Option<&'a str>,
    pub engine_version: &'a str,
    /// "ok", "caution" or "invalid".
    pub validity_status: &'a str,
    /// The full score report (JSON).
    pub report: &'a str,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct StoredScore {
    pub id: String,
    pub instrument: String,
    pub method: String,
    pub bank_version: String,
    pub bank_hash: String,
    pub norm_table_id: Option<String>,
    pub norm_table_hash: Option<String>,
    pub engine_version: String,
    pub validity_status: String,
    pub report: String,
    pub created_at: i64,
}

impl Store {
    pub async fn save_score(&self, s: &NewScore<'_>) -> StoreResult<String> {
        let id = new_id();
        sqlx::query(
            "INSERT INTO scores (id, org_id, session_id, instrument, method, bank_version, bank_hash, norm_table_id, norm_table_hash, engine_version, validity_status, report, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
        )
        .bind(&id)
        .bind(s.org_id)
        .bind(s.session_id)
        .bind(s.instrument)
        .bind(s.method)
        .bind(s.bank_version)
        .bind(s.bank_hash)
        .bind(s.norm_table_id)
        .bind(s.norm_table_hash)
        .bind(s.engine_version)
        .bind(s.validity_status)
        .bind(s.report)
        .bind(now_ms())
        .execute(&self.write)
        .await?;
        Ok(id)
    }

    /// The scores of a session of the given organisation, oldest first.
    pub async fn scores_of(&self, org_id: &str, session_id: &str) -> StoreResult<Vec<StoredScore>> {
        Ok(sqlx::query_as(
            "SELECT id, instrument, method, bank_version, bank_hash, norm_table_id, norm_table_hash, engine_version, validity_status, report, created_at \
             FROM scores WHERE org_id = $1 AND session_id = $2 ORDER BY created_at, id",
        )
        .bind(org_id)
        .bind(session_id)
        .fetch_all(&self.read)
        .await?)
    }

    /// Completed sessions of a campaign (ids), for lists and demo checks.
    pub async fn completed_sessions(&self, org_id: &str, campaign_id: &str) -> StoreResult<Vec<String>> {
        Ok(sqlx::query_scalar("SELECT id FROM assessment_sessions WHERE org_id = $1 AND campaign_id = $2 AND status = 'completed' ORDER BY completed_at, id")
            .bind(org_id)
            .bind(campaign_id)
            .fetch_all(&self.read)
            .await?)
    }
}
