//! The audit log: who did what to which object, and when. Append-only.

use super::{AuditEntry, AuditRecord, Store, StoreResult};
use crate::time::now_ms;

impl Store {
    pub async fn audit(&self, entry: &AuditEntry<'_>) -> StoreResult<()> {
        let mut conn = self.write.acquire().await?;
        super::recruiting::audit_in(&mut conn, entry, now_ms()).await
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
