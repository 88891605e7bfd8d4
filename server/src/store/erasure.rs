//! Erasing a candidate's identity, on request or when the retention period
//! has passed. The name and e-mail address go (and with them everything
//! that could name the person: the address key, the e-mails, the reasons
//! written with decisions); the invitation is withdrawn and every browser
//! holding it shut out. The answers and scores stay, without a name, as the
//! privacy notice says; the optional group answers are deleted.

use sqlx::AnyConnection;

use super::{
    audit::audit_in,
    recruiting::shut_out_browsers,
    Actor, AuditEntry, Store, StoreResult,
};

/// What a decision's reason says once the candidate was erased.
pub const ERASED_REASON: &str = "(removed with the candidate's personal data)";

impl Store {
    /// Erases the candidate behind an invitation of the organisation, in one
    /// transaction with its audit entry (`why`: "request" or "retention").
    /// False when there is no such invitation or it was erased already.
    pub async fn erase_candidate(&self, org_id: &str, invitation_id: &str, actor: Actor<'_>, why: &str, now: i64) -> StoreResult<bool> {
        let mut tx = self.write.begin().await?;
        let erased = erase_in(&mut tx, org_id, invitation_id, now).await?;
        if erased {
            let detail = serde_json::json!({ "why": why }).to_string();
            audit_in(&mut tx, &AuditEntry { org_id: Some(org_id), actor, action: "candidate.erased", object_type: "invitation", object_id: Some(invitation_id), detail: Some(detail) }, now).await?;
        }
        tx.commit().await?;
        Ok(erased)
    }

    /// Invitations, oldest first, whose recruitment ended before `cutoff`
    /// and whose candidate still has a name: the link ran out, and nothing
    /// happened since (no completion, withdrawal or decision at or after
    /// `cutoff`). At most `limit`, as (org_id, invitation_id).
    pub async fn retention_due(&self, cutoff: i64, limit: i64) -> StoreResult<Vec<(String, String)>> {
        Ok(sqlx::query_as(
            "SELECT i.org_id, i.id FROM invitations i \
             JOIN candidates c ON c.org_id = i.org_id AND c.id = i.candidate_id \
             LEFT JOIN assessment_sessions s ON s.org_id = i.org_id AND s.invitation_id = i.id \
             WHERE c.erased_at IS NULL AND i.expires_at < $1 \
             AND (s.completed_at IS NULL OR s.completed_at < $1) \
             AND (i.revoked_at IS NULL OR i.revoked_at < $1) \
             AND NOT EXISTS (SELECT 1 FROM decisions d WHERE d.org_id = i.org_id AND d.invitation_id = i.id AND d.decided_at >= $1) \
             ORDER BY i.expires_at, i.id LIMIT $2",
        )
        .bind(cutoff)
        .bind(limit)
        .fetch_all(&self.read)
        .await?)
    }
}

async fn erase_in(conn: &mut AnyConnection, org_id: &str, invitation_id: &str, now: i64) -> StoreResult<bool> {
    let erased = sqlx::query(
        "UPDATE candidates SET name = NULL, email = NULL, erased_at = $1 \
         WHERE org_id = $2 AND erased_at IS NULL AND id = (SELECT candidate_id FROM invitations WHERE org_id = $2 AND id = $3)",
    )
    .bind(now)
    .bind(org_id)
    .bind(invitation_id)
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if erased != 1 {
        return Ok(false);
    }
    sqlx::query("UPDATE invitations SET email_key = NULL, search_key = NULL, status = 'revoked', revoked_at = COALESCE(revoked_at, $1) WHERE org_id = $2 AND id = $3")
        .bind(now)
        .bind(org_id)
        .bind(invitation_id)
        .execute(&mut *conn)
        .await?;
    shut_out_browsers(conn, org_id, invitation_id).await?;
    // Optional group answers go with the person (the notice promises it).
    sqlx::query("DELETE FROM group_answers WHERE org_id = $1 AND session_id IN (SELECT id FROM assessment_sessions WHERE org_id = $1 AND invitation_id = $2)")
        .bind(org_id)
        .bind(invitation_id)
        .execute(&mut *conn)
        .await?;
    sqlx::query("UPDATE outbox SET to_address = '', subject = '', body = '', status = CASE WHEN status = 'sent' THEN 'sent' ELSE 'withdrawn' END WHERE org_id = $1 AND invitation_id = $2")
        .bind(org_id)
        .bind(invitation_id)
        .execute(&mut *conn)
        .await?;
    sqlx::query("UPDATE decisions SET reason = $1 WHERE org_id = $2 AND invitation_id = $3").bind(ERASED_REASON).bind(org_id).bind(invitation_id).execute(&mut *conn).await?;
    // What the candidate wrote with a request could name them too.
    sqlx::query("UPDATE subject_requests SET note = '' WHERE org_id = $1 AND invitation_id = $2").bind(org_id).bind(invitation_id).execute(&mut *conn).await?;
    Ok(true)
}
