//! The audit log: who did what to which object, and when. Append-only.

use sqlx::AnyConnection;

use super::{new_id, Actor, AuditEntry, AuditRecord, Store, StoreResult};
use crate::time::now_ms;

impl Store {
    pub async fn audit(&self, entry: &AuditEntry<'_>) -> StoreResult<()> {
        let mut conn = self.write.acquire().await?;
        audit_in(&mut conn, entry, now_ms()).await
    }

    /// The newest entries of one organisation first.
    pub async fn audit_log(&self, org_id: &str, limit: i64) -> StoreResult<Vec<AuditRecord>> {
        Ok(sqlx::query_as("SELECT id, org_id, actor_id, actor_kind, action, object_type, object_id, detail, at FROM audit_log WHERE org_id = $1 ORDER BY at DESC, id LIMIT $2")
            .bind(org_id)
            .bind(limit)
            .fetch_all(&self.read)
            .await?)
    }
}

/// An audit entry written in the caller's transaction.
pub(super) async fn audit_in(conn: &mut AnyConnection, entry: &AuditEntry<'_>, now: i64) -> StoreResult<()> {
    let (actor_kind, actor_id) = match entry.actor {
        Actor::User(id) => ("user", Some(id)),
        Actor::Candidate => ("candidate", None),
        Actor::System => ("system", None),
    };
    sqlx::query("INSERT INTO audit_log (id, org_id, actor_id, actor_kind, action, object_type, object_id, detail, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)")
        .bind(new_id())
        .bind(entry.org_id)
        .bind(actor_id)
        .bind(actor_kind)
        .bind(entry.action)
        .bind(entry.object_type)
        .bind(entry.object_id)
        .bind(entry.detail.as_deref())
        .bind(now)
        .execute(&mut *conn)
        .await?;
    Ok(())
}
