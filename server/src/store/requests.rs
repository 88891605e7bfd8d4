//! Requests candidates make about their own data: to erase it, and for a
//! person to review the organisation's decision. Each is kept with the day
//! it is due (the organisation answers within a month), reaches the
//! organisation's administrators, and is audited when made and when handled.

use super::{audit::audit_in, Actor, AuditEntry, Store, StoreResult};

/// A request as the administrators' list shows it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct SubjectRequestRow {
    pub id: String,
    pub invitation_id: String,
    /// "erasure" or "review".
    pub kind: String,
    /// What the candidate wrote with it (may be empty).
    pub note: String,
    pub created_at: i64,
    pub due_at: i64,
    pub handled_at: Option<i64>,
    pub outcome: Option<String>,
    pub campaign_id: String,
    pub campaign_name: String,
    /// `None` once the candidate's personal data was erased.
    pub candidate_name: Option<String>,
    pub candidate_email: Option<String>,
}

const REQUEST_COLUMNS: &str = "r.id, r.invitation_id, r.kind, r.note, r.created_at, r.due_at, r.handled_at, r.outcome, \
     i.campaign_id, cp.name AS campaign_name, c.name AS candidate_name, c.email AS candidate_email \
     FROM subject_requests r JOIN invitations i ON i.org_id = r.org_id AND i.id = r.invitation_id \
     JOIN campaigns cp ON cp.org_id = i.org_id AND cp.id = i.campaign_id \
     JOIN candidates c ON c.org_id = i.org_id AND c.id = i.candidate_id";

/// A request to record.
#[derive(Debug, Clone, Copy)]
pub struct NewSubjectRequest<'a> {
    pub org_id: &'a str,
    pub invitation_id: &'a str,
    pub kind: &'a str,
    pub note: &'a str,
    pub now: i64,
    pub due_at: i64,
}

impl Store {
    /// Records a request, with its audit entry, unless one of the same kind
    /// is still open for the invitation (asking twice does not make two).
    /// Returns the request's id and whether it is new.
    pub async fn ask_subject_request(&self, new: &NewSubjectRequest<'_>) -> StoreResult<(String, bool)> {
        let mut tx = self.write.begin().await?;
        let open: Option<String> = sqlx::query_scalar("SELECT id FROM subject_requests WHERE org_id = $1 AND invitation_id = $2 AND kind = $3 AND handled_at IS NULL")
            .bind(new.org_id)
            .bind(new.invitation_id)
            .bind(new.kind)
            .fetch_optional(&mut *tx)
            .await?;
        if let Some(id) = open {
            tx.rollback().await?;
            return Ok((id, false));
        }
        let id = uuid::Uuid::new_v4().to_string();
        sqlx::query("INSERT INTO subject_requests (id, org_id, invitation_id, kind, note, created_at, due_at) VALUES ($1, $2, $3, $4, $5, $6, $7)")
            .bind(&id)
            .bind(new.org_id)
            .bind(new.invitation_id)
            .bind(new.kind)
            .bind(new.note)
            .bind(new.now)
            .bind(new.due_at)
            .execute(&mut *tx)
            .await?;
        let detail = serde_json::json!({ "kind": new.kind, "invitation": new.invitation_id }).to_string();
        let entry = AuditEntry { org_id: Some(new.org_id), actor: Actor::Candidate, action: "subject_request.made", object_type: "subject_request", object_id: Some(&id), detail: Some(detail) };
        audit_in(&mut tx, &entry, new.now).await?;
        tx.commit().await?;
        Ok((id, true))
    }

    /// The requests made through one invitation, newest first.
    pub async fn subject_requests_of_invitation(&self, org_id: &str, invitation_id: &str) -> StoreResult<Vec<SubjectRequestRow>> {
        Ok(sqlx::query_as(&format!("SELECT {REQUEST_COLUMNS} WHERE r.org_id = $1 AND r.invitation_id = $2 ORDER BY r.created_at DESC, r.id"))
            .bind(org_id)
            .bind(invitation_id)
            .fetch_all(&self.read)
            .await?)
    }

    /// Every request of the organisation: the open ones first, soonest due
    /// first, then the handled ones, most recently handled first.
    pub async fn subject_requests_of(&self, org_id: &str) -> StoreResult<Vec<SubjectRequestRow>> {
        Ok(sqlx::query_as(&format!(
            "SELECT {REQUEST_COLUMNS} WHERE r.org_id = $1 \
             ORDER BY CASE WHEN r.handled_at IS NULL THEN 0 ELSE 1 END, CASE WHEN r.handled_at IS NULL THEN r.due_at ELSE -r.handled_at END, r.id"
        ))
        .bind(org_id)
        .fetch_all(&self.read)
        .await?)
    }

    /// Marks an open request of the organisation handled, saying how, with
    /// its audit entry. False when there is no such open request.
    pub async fn handle_subject_request(&self, org_id: &str, id: &str, user_id: &str, outcome: &str, now: i64) -> StoreResult<bool> {
        let mut tx = self.write.begin().await?;
        let done = sqlx::query("UPDATE subject_requests SET handled_at = $1, handled_by = $2, outcome = $3 WHERE org_id = $4 AND id = $5 AND handled_at IS NULL")
            .bind(now)
            .bind(user_id)
            .bind(outcome)
            .bind(org_id)
            .bind(id)
            .execute(&mut *tx)
            .await?
            .rows_affected()
            == 1;
        if done {
            let entry = AuditEntry { org_id: Some(org_id), actor: Actor::User(user_id), action: "subject_request.handled", object_type: "subject_request", object_id: Some(id), detail: None };
            audit_in(&mut tx, &entry, now).await?;
        }
        tx.commit().await?;
        Ok(done)
    }
}
