//! The outbox: every message Vigil writes for a candidate, kept until it is
//! sent (by the mail sender, or by a person who sent it themselves). Its
//! lists page by a keyset cursor, newest first.

use super::{
    audit::audit_in,
    conditions::{bind_params, Conditions, Param},
    Actor, AuditEntry, Store, StoreResult,
};

/// One outbox message.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct OutboxRow {
    pub id: String,
    pub org_id: String,
    pub invitation_id: Option<String>,
    pub kind: String,
    pub to_address: String,
    pub subject: String,
    pub body: String,
    pub status: String,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub created_at: i64,
    pub sent_at: Option<i64>,
}

pub(super) const OUTBOX_COLUMNS: &str = "id, org_id, invitation_id, kind, to_address, subject, body, status, attempts, last_error, created_at, sent_at";

/// Hiring messages only: survey invitations are workforce data, never shown to recruiters.
const HIRING: &str = "o.org_id = $1 AND o.kind IN ('invitation', 'reminder')";

/// One page of the outbox: a status (or all), and the cursor (the previous
/// page's last message).
#[derive(Debug, Clone, Copy)]
pub struct OutboxListing<'a> {
    pub status: Option<&'a str>,
    pub after: Option<&'a str>,
    pub limit: i64,
}

/// A page of the outbox, with how many messages match in all and how many
/// come from this page on.
#[derive(Debug, Clone)]
pub struct OutboxPage {
    pub rows: Vec<OutboxRow>,
    pub total: i64,
    pub remaining: i64,
}

impl Store {
    /// The organisation's newest hiring messages first (invitations and
    /// reminders; survey invitations are workforce data, never shown to recruiters).
    pub async fn outbox_of(&self, org_id: &str, limit: i64) -> StoreResult<Vec<OutboxRow>> {
        Ok(sqlx::query_as(&format!("SELECT {} FROM outbox o WHERE {HIRING} ORDER BY o.created_at DESC, o.id LIMIT $2", prefixed_columns()))
            .bind(org_id)
            .bind(limit)
            .fetch_all(&self.read)
            .await?)
    }

    /// Messages waiting to be sent (oldest first), across organisations, for the mail sender.
    pub async fn queued_messages(&self, max_attempts: i64, limit: i64) -> StoreResult<Vec<OutboxRow>> {
        Ok(sqlx::query_as(&format!("SELECT {OUTBOX_COLUMNS} FROM outbox WHERE status IN ('queued', 'failed') AND attempts < $1 ORDER BY created_at, id LIMIT $2"))
            .bind(max_attempts)
            .bind(limit)
            .fetch_all(&self.read)
            .await?)
    }

    /// A message went out: its body (with the link) is no longer kept.
    pub async fn mark_message_sent(&self, id: &str, now: i64) -> StoreResult<()> {
        sqlx::query("UPDATE outbox SET status = 'sent', body = '', sent_at = $1, attempts = attempts + 1, last_error = NULL WHERE id = $2")
            .bind(now)
            .bind(id)
            .execute(&self.write)
            .await?;
        Ok(())
    }

    /// A try failed; `attempts` is added to the count (the maximum for a message that can never go).
    pub async fn mark_message_failed(&self, id: &str, error: &str, attempts: i64) -> StoreResult<()> {
        sqlx::query("UPDATE outbox SET status = 'failed', attempts = attempts + $1, last_error = $2 WHERE id = $3")
            .bind(attempts)
            .bind(error)
            .bind(id)
            .execute(&self.write)
            .await?;
        Ok(())
    }

    /// A page of the organisation's hiring messages, newest first (ties by
    /// id), after the cursor; a cursor that is gone starts from the top.
    pub async fn outbox_page(&self, org_id: &str, q: &OutboxListing<'_>) -> StoreResult<OutboxPage> {
        let mut c = Conditions::new(HIRING, 1);
        c.and_if("o.status = ?", q.status.map(Param::Text));
        let count = |c: &Conditions<'_>| format!("SELECT COUNT(*) FROM outbox o WHERE {}", c.sql());
        let total_sql = count(&c);
        let total: i64 = bind_params!(sqlx::query_scalar(&total_sql).bind(org_id), c.params()).fetch_one(&self.read).await?;
        let cursor: Option<(i64, String)> = match q.after {
            Some(after) => sqlx::query_as(&format!("SELECT o.created_at, o.id FROM outbox o WHERE {HIRING} AND o.id = $2")).bind(org_id).bind(after).fetch_optional(&self.read).await?,
            None => None,
        };
        if let Some((at, id)) = &cursor {
            c.and("(o.created_at < ? OR (o.created_at = ? AND o.id > ?))", [Param::Int(*at), Param::Int(*at), Param::Text(id)]);
        }
        let remaining_sql = count(&c);
        let remaining: i64 = match cursor {
            Some(_) => bind_params!(sqlx::query_scalar(&remaining_sql).bind(org_id), c.params()).fetch_one(&self.read).await?,
            None => total,
        };
        let sql = format!("SELECT {} FROM outbox o WHERE {} ORDER BY o.created_at DESC, o.id LIMIT ${}", prefixed_columns(), c.sql(), c.next_number());
        let rows = bind_params!(sqlx::query_as(&sql).bind(org_id), c.params()).bind(q.limit).fetch_all(&self.read).await?;
        Ok(OutboxPage { rows, total, remaining })
    }

    /// How many hiring messages are in each status.
    pub async fn outbox_counts(&self, org_id: &str) -> StoreResult<Vec<(String, i64)>> {
        Ok(sqlx::query_as(&format!("SELECT o.status, COUNT(*) FROM outbox o WHERE {HIRING} GROUP BY o.status")).bind(org_id).fetch_all(&self.read).await?)
    }

    /// The hiring messages still waiting (queued or failed), oldest first,
    /// with their text: what a person sends by hand.
    pub async fn waiting_messages(&self, org_id: &str) -> StoreResult<Vec<OutboxRow>> {
        Ok(sqlx::query_as(&format!("SELECT {} FROM outbox o WHERE {HIRING} AND o.status IN ('queued', 'failed') AND o.body <> '' ORDER BY o.created_at, o.id", prefixed_columns()))
            .bind(org_id)
            .fetch_all(&self.read)
            .await?)
    }

    /// A person sent a waiting message themselves: it is marked sent, its
    /// text (with the link) is no longer kept, and the audit log says who.
    /// `false` when it is not the organisation's, or not waiting.
    pub async fn mark_sent_by_hand(&self, org_id: &str, id: &str, user_id: &str, now: i64) -> StoreResult<bool> {
        let mut tx = self.write.begin().await?;
        let changed = sqlx::query(&format!("UPDATE outbox AS o SET status = 'sent', body = '', sent_at = $2, last_error = NULL WHERE {HIRING} AND o.id = $3 AND o.status IN ('queued', 'failed')"))
            .bind(org_id)
            .bind(now)
            .bind(id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if changed != 1 {
            return Ok(false);
        }
        audit_in(&mut tx, &AuditEntry { org_id: Some(org_id), actor: Actor::User(user_id), action: "outbox.sent_by_hand", object_type: "outbox", object_id: Some(id), detail: None }, now).await?;
        tx.commit().await?;
        Ok(true)
    }
}

/// The outbox's columns for the alias `o`.
fn prefixed_columns() -> String {
    OUTBOX_COLUMNS.split(", ").map(|c| format!("o.{c}")).collect::<Vec<_>>().join(", ")
}
