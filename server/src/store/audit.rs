//! The audit log: who did what to which object, and when. Append-only.

use sqlx::AnyConnection;

use crate::time::now_ms;

use super::{
    batch::{params, Statement},
    conditions::{bind_params, Conditions, Param},
    database::time_ordered_id, Actor, AuditEntry, AuditRecord, AuditView, Store, StoreResult,
};

/// Which audit entries to read: by who (a user's id, or "candidate" or
/// "system"), by action, by time (Unix ms, `to` exclusive), and older than
/// a cursor (the last entry of the previous page: its time and id).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditQuery {
    pub actor: Option<String>,
    pub action: Option<String>,
    pub from: Option<i64>,
    pub to: Option<i64>,
    pub before: Option<(i64, String)>,
}

/// The WHERE clause of a query after `a.org_id = $1`, with the cursor
/// when `paged`.
fn conditions(q: &AuditQuery, paged: bool) -> Conditions<'_> {
    let mut c = Conditions::new("a.org_id = $1", 1);
    match q.actor.as_deref() {
        Some(kind @ ("candidate" | "system" | "api_key")) => c.and("a.actor_kind = ?", [Param::Text(kind)]),
        Some(user) => c.and("a.actor_kind = 'user' AND a.actor_id = ?", [Param::Text(user)]),
        None => {}
    }
    c.and_if("a.action = ?", q.action.as_deref().map(Param::Text));
    c.and_if("a.at >= ?", q.from.map(Param::Int));
    c.and_if("a.at < ?", q.to.map(Param::Int));
    if let (true, Some((at, id))) = (paged, q.before.as_ref()) {
        // Older than the cursor in (at DESC, id ASC) order.
        c.and("(a.at < ? OR (a.at = ? AND a.id > ?))", [Param::Int(*at), Param::Int(*at), Param::Text(id)]);
    }
    c
}

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

    /// The audit entries a query selects, newest first, at most `limit`,
    /// with the names a person reads (a user's name, a candidate's or
    /// campaign's name) instead of ids. Stable under new entries: a page
    /// continues from its cursor, not from an offset.
    pub async fn audit_view(&self, org_id: &str, query: &AuditQuery, limit: i64) -> StoreResult<Vec<AuditView>> {
        let where_ = conditions(query, true);
        let sql = format!(
            "SELECT a.id, a.at, a.actor_kind, COALESCE(u.display_name, 'API key ' || ak.name) AS actor_name, a.action, a.object_type, a.object_id, \
             COALESCE(o.email, c.name, c.email, k.name) AS object_name \
             FROM audit_log a \
             LEFT JOIN users u ON u.id = a.actor_id AND u.org_id = a.org_id \
             LEFT JOIN api_keys ak ON a.actor_kind = 'api_key' AND ak.id = a.actor_id AND ak.org_id = a.org_id \
             LEFT JOIN users o ON a.object_type = 'user' AND o.id = a.object_id AND o.org_id = a.org_id \
             LEFT JOIN invitations i ON a.object_type = 'invitation' AND i.id = a.object_id AND i.org_id = a.org_id \
             LEFT JOIN candidates c ON c.id = i.candidate_id AND c.org_id = a.org_id \
             LEFT JOIN campaigns k ON a.object_type = 'campaign' AND k.id = a.object_id AND k.org_id = a.org_id \
             WHERE {} ORDER BY a.at DESC, a.id LIMIT ${}",
            where_.sql(),
            where_.next_number()
        );
        let query = bind_params!(sqlx::query_as(&sql).bind(org_id), where_.into_params());
        Ok(query.bind(limit).fetch_all(&self.read).await?)
    }

    /// How many entries the query selects in all (its cursor aside).
    pub async fn audit_count(&self, org_id: &str, query: &AuditQuery) -> StoreResult<i64> {
        let where_ = conditions(query, false);
        let sql = format!("SELECT COUNT(*) FROM audit_log a WHERE {}", where_.sql());
        Ok(bind_params!(sqlx::query_scalar(&sql).bind(org_id), where_.into_params()).fetch_one(&self.read).await?)
    }

    /// The actions recorded in the organisation's log, for the filter.
    pub async fn audit_actions(&self, org_id: &str) -> StoreResult<Vec<String>> {
        Ok(sqlx::query_scalar("SELECT DISTINCT action FROM audit_log WHERE org_id = $1 ORDER BY action").bind(org_id).fetch_all(&self.read).await?)
    }
}

/// An audit entry written in the caller's transaction.
pub(super) async fn audit_in(conn: &mut AnyConnection, entry: &AuditEntry<'_>, now: i64) -> StoreResult<()> {
    audit_statement(entry, now).execute(conn).await.map(drop)
}

/// The statement that writes `entry` into the audit log.
pub(super) fn audit_statement(entry: &AuditEntry<'_>, now: i64) -> Statement {
    let (actor_kind, actor_id) = match entry.actor {
        Actor::User(id) => ("user", Some(id)),
        Actor::Candidate => ("candidate", None),
        Actor::System => ("system", None),
        Actor::ApiKey(id) => ("api_key", Some(id)),
        Actor::Employee(id) => ("employee", Some(id)),
    };
    Statement::new(
        "INSERT INTO audit_log (id, org_id, actor_id, actor_kind, action, object_type, object_id, detail, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        params![time_ordered_id(), entry.org_id, actor_id, actor_kind, entry.action, entry.object_type, entry.object_id, entry.detail.as_deref(), now],
    )
}
