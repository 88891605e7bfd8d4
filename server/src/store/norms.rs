//! Norm tables organisations build from their own sessions: stored as
//! their TOML text with the selection that chose the sessions, never
//! updated (a new group is a new table).

use super::{orgs::unique_violation, Store, StoreResult};

/// A stored norm table.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct NormTableRow {
    pub org_id: String,
    pub instrument: String,
    pub version: String,
    pub id: String,
    pub source: String,
    pub content_hash: String,
    pub sessions: i64,
    pub created_by: String,
    pub created_at: i64,
}

/// A norm table to store.
#[derive(Debug, Clone, Copy)]
pub struct NewNormTable<'a> {
    pub org_id: &'a str,
    pub instrument: &'a str,
    pub version: &'a str,
    pub id: &'a str,
    pub source: &'a str,
    pub content_hash: &'a str,
    pub sessions: i64,
    pub selection: &'a str,
    pub user_id: &'a str,
    pub now: i64,
}

impl Store {
    /// Stores a new norm table; an id the bank version already has in the
    /// organisation is a conflict.
    pub async fn insert_norm_table(&self, t: NewNormTable<'_>) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO norm_tables (org_id, instrument, version, id, source, content_hash, sessions, selection, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(t.org_id)
        .bind(t.instrument)
        .bind(t.version)
        .bind(t.id)
        .bind(t.source)
        .bind(t.content_hash)
        .bind(t.sessions)
        .bind(t.selection)
        .bind(t.user_id)
        .bind(t.now)
        .execute(&self.write)
        .await
        .map_err(|e| unique_violation(e, || format!("{} {} already has a norm table called {}; choose another name", t.instrument, t.version, t.id)))?;
        Ok(())
    }

    /// Every organisation's norm tables, oldest first, with the name of who
    /// built each: what a process's catalog loads (see `crate::catalog_sync`).
    pub async fn published_norm_tables(&self) -> StoreResult<Vec<NormTableRow>> {
        Ok(sqlx::query_as(
            "SELECT n.org_id, n.instrument, n.version, n.id, n.source, n.content_hash, n.sessions, COALESCE(u.display_name, 'a former user') AS created_by, n.created_at \
             FROM norm_tables n LEFT JOIN users u ON u.id = n.created_by ORDER BY n.created_at, n.id",
        )
        .fetch_all(&self.read)
        .await?)
    }

    /// The organisation's norm tables, newest first.
    pub async fn norm_tables_of(&self, org_id: &str) -> StoreResult<Vec<NormTableRow>> {
        Ok(sqlx::query_as(
            "SELECT n.org_id, n.instrument, n.version, n.id, n.source, n.content_hash, n.sessions, COALESCE(u.display_name, 'a former user') AS created_by, n.created_at \
             FROM norm_tables n LEFT JOIN users u ON u.id = n.created_by WHERE n.org_id = $1 ORDER BY n.created_at DESC, n.id",
        )
        .bind(org_id)
        .fetch_all(&self.read)
        .await?)
    }
}
