//! What the recruiter workspace reads and writes: invitations in batches
//! (with their outbox messages, in one transaction), the state of every
//! candidate of a campaign, scores for lists, decisions, revocation and
//! resending, and the outbox. Every statement is scoped to an organisation.

use sqlx::AnyConnection;

use super::{audit::audit_in, new_id, Actor, AuditEntry, Store, StoreResult};

/// One candidate to invite; the token itself never reaches the store.
#[derive(Debug, Clone)]
pub struct InviteItem {
    pub name: String,
    pub email: String,
    /// SHA-256 of the normalised address: one invitation per address and campaign.
    pub email_key: String,
    pub language: String,
    pub token_hash: String,
    pub expires_at: i64,
    /// The e-mail with the link; `None` when whoever invited sends the link themselves.
    pub message: Option<OutboxDraft>,
    /// The inviting system's own id for it (e.g. an application id).
    pub external_id: Option<String>,
}

/// Who created invitations: a member of staff, or another system by an API key.
#[derive(Debug, Clone, Copy)]
pub enum Inviter<'a> {
    User(&'a str),
    ApiKey(&'a str),
}

/// A message for the outbox.
#[derive(Debug, Clone)]
pub struct OutboxDraft {
    /// "invitation" or "reminder".
    pub kind: &'static str,
    pub to: String,
    pub subject: String,
    pub body: String,
}

/// A new link for an invitation: the hash of its token, its expiry, and the
/// e-mail that carries it.
#[derive(Debug, Clone)]
pub struct Reissue {
    pub invitation_id: String,
    pub token_hash: String,
    pub expires_at: i64,
    pub message: OutboxDraft,
    /// The campaign's automatic reminder (recorded, so it goes once).
    pub automatic: bool,
}

/// What happened to one [`InviteItem`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Invited {
    Created { invitation_id: String },
    /// The address already has an invitation to this campaign: nothing was created.
    AlreadyInvited,
}

/// A candidate of a campaign as the lists need it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct CandidateStateRow {
    pub invitation_id: String,
    pub campaign_id: String,
    pub invitation_status: String,
    pub expires_at: i64,
    pub language: String,
    pub invited_at: i64,
    pub name: Option<String>,
    pub email: Option<String>,
    pub session_id: Option<String>,
    pub session_status: Option<String>,
    pub deadline_at: Option<i64>,
    pub completed_at: Option<i64>,
    /// When the candidate's name and address were erased.
    pub erased_at: Option<i64>,
    /// When the campaign's automatic reminder went to this invitation.
    pub auto_reminded_at: Option<i64>,
    /// The inviting system's own id for it, when another system ordered it.
    pub external_id: Option<String>,
}

const CANDIDATE_STATE: &str = "SELECT i.id AS invitation_id, i.campaign_id, i.status AS invitation_status, i.expires_at, i.language, i.created_at AS invited_at, \
     c.name, c.email, s.id AS session_id, s.status AS session_status, s.deadline_at, s.completed_at, c.erased_at, i.auto_reminded_at, i.external_id \
     FROM invitations i JOIN candidates c ON c.org_id = i.org_id AND c.id = i.candidate_id \
     LEFT JOIN assessment_sessions s ON s.org_id = i.org_id AND s.invitation_id = i.id";

/// A stored classical score of a campaign's session, for lists and exports.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct CampaignScoreRow {
    pub session_id: String,
    pub instrument: String,
    /// "ctt" or "irt" (the adaptive run's trace is left out of exports).
    pub method: String,
    pub validity_status: String,
    pub report: String,
}

/// One recorded decision, with the name of who recorded it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct DecisionRow {
    pub invitation_id: String,
    pub decision: String,
    pub reason: String,
    pub decided_by: String,
    pub decided_by_name: String,
    pub decided_at: i64,
}

/// What a name search looks in: the name and the address, in lower case
/// (stored with the invitation, so the list needs no join and no case folding in SQL,
/// which SQLite does for A to Z only).
pub(super) fn search_key(name: Option<&str>, email: Option<&str>) -> Option<String> {
    let key = format!("{} {}", name.unwrap_or_default().trim(), email.unwrap_or_default().trim()).trim().to_lowercase();
    (!key.is_empty()).then_some(key)
}

/// Invitations written per transaction, so one large upload never holds
/// SQLite's single writer for long (candidates' answers wait behind it).
const BATCH: usize = 250;

impl Store {
    /// Creates candidates, their invitations and their outbox messages, each
    /// invitation with its message atomically. An address already invited to
    /// the campaign is skipped. The unique index on (campaign, e-mail key)
    /// backs that check: should two uploads race, the later one fails as a
    /// whole rather than invite anyone twice.
    pub async fn invite_batch(&self, org_id: &str, campaign_id: &str, created_by: Inviter<'_>, items: &[InviteItem], now: i64) -> StoreResult<Vec<Invited>> {
        let mut results = Vec::with_capacity(items.len());
        for chunk in items.chunks(BATCH) {
            let mut tx = self.write.begin().await?;
            for item in chunk {
                results.push(invite_one(&mut tx, org_id, campaign_id, created_by, item, now).await?);
            }
            tx.commit().await?;
        }
        Ok(results)
    }

    /// Every candidate of a campaign, oldest invitation first.
    pub async fn campaign_candidates(&self, org_id: &str, campaign_id: &str) -> StoreResult<Vec<CandidateStateRow>> {
        Ok(sqlx::query_as(&format!("{CANDIDATE_STATE} WHERE i.org_id = $1 AND i.campaign_id = $2 ORDER BY i.created_at, i.id"))
            .bind(org_id)
            .bind(campaign_id)
            .fetch_all(&self.read)
            .await?)
    }

    /// One candidate by their invitation, whatever the campaign; another organisation's is `None`.
    pub async fn candidate_state(&self, org_id: &str, invitation_id: &str) -> StoreResult<Option<CandidateStateRow>> {
        Ok(sqlx::query_as(&format!("{CANDIDATE_STATE} WHERE i.org_id = $1 AND i.id = $2")).bind(org_id).bind(invitation_id).fetch_optional(&self.read).await?)
    }

    /// One candidate of a campaign; another organisation's or campaign's is `None`.
    pub async fn campaign_candidate(&self, org_id: &str, campaign_id: &str, invitation_id: &str) -> StoreResult<Option<CandidateStateRow>> {
        Ok(sqlx::query_as(&format!("{CANDIDATE_STATE} WHERE i.org_id = $1 AND i.campaign_id = $2 AND i.id = $3"))
            .bind(org_id)
            .bind(campaign_id)
            .bind(invitation_id)
            .fetch_optional(&self.read)
            .await?)
    }

    /// The classical (CTT) scores of a campaign's sessions that may be shown per person.
    pub async fn campaign_scores(&self, org_id: &str, campaign_id: &str) -> StoreResult<Vec<CampaignScoreRow>> {
        Ok(sqlx::query_as(
            "SELECT sc.session_id, sc.instrument, sc.method, sc.validity_status, sc.report FROM scores sc \
             JOIN assessment_sessions s ON s.org_id = sc.org_id AND s.id = sc.session_id \
             WHERE sc.org_id = $1 AND s.campaign_id = $2 AND sc.method IN ('ctt', 'irt') AND sc.individual_report = 1 ORDER BY sc.created_at, sc.id",
        )
        .bind(org_id)
        .bind(campaign_id)
        .fetch_all(&self.read)
        .await?)
    }

    /// The scores of these sessions that may be shown per person (a page of a list).
    pub async fn sessions_scores(&self, org_id: &str, session_ids: &[&str]) -> StoreResult<Vec<CampaignScoreRow>> {
        if session_ids.is_empty() {
            return Ok(Vec::new());
        }
        let places: Vec<String> = (2..session_ids.len() + 2).map(|n| format!("${n}")).collect();
        let sql = format!(
            "SELECT sc.session_id, sc.instrument, sc.method, sc.validity_status, sc.report FROM scores sc \
             WHERE sc.org_id = $1 AND sc.session_id IN ({}) AND sc.method IN ('ctt', 'irt') AND sc.individual_report = 1 ORDER BY sc.created_at, sc.id",
            places.join(", ")
        );
        let mut query = sqlx::query_as(&sql).bind(org_id);
        for id in session_ids {
            query = query.bind(*id);
        }
        Ok(query.fetch_all(&self.read).await?)
    }

    /// Appends a decision and its audit entry together.
    pub async fn record_decision(&self, org_id: &str, campaign_id: &str, invitation_id: &str, decision: &str, reason: &str, user_id: &str, now: i64) -> StoreResult<()> {
        let mut tx = self.write.begin().await?;
        let id = new_id();
        sqlx::query("INSERT INTO decisions (id, org_id, campaign_id, invitation_id, decision, reason, decided_by, decided_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
            .bind(&id)
            .bind(org_id)
            .bind(campaign_id)
            .bind(invitation_id)
            .bind(decision)
            .bind(reason)
            .bind(user_id)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        let detail = serde_json::json!({ "decision": decision, "campaign": campaign_id }).to_string();
        audit_in(
            &mut tx,
            &AuditEntry { org_id: Some(org_id), actor: Actor::User(user_id), action: "decision.recorded", object_type: "invitation", object_id: Some(invitation_id), detail: Some(detail) },
            now,
        )
        .await?;
        let told = super::webhooks::enqueue_event_in(&mut tx, org_id, "decision.recorded", super::webhooks::About::Invitation(invitation_id), Some(decision), now).await?;
        tx.commit().await?;
        if told {
            self.wake_webhook_delivery(now).await;
        }
        Ok(())
    }

    /// The decisions of a campaign, oldest first (the last per candidate is current).
    pub async fn campaign_decisions(&self, org_id: &str, campaign_id: &str) -> StoreResult<Vec<DecisionRow>> {
        Ok(sqlx::query_as(
            "SELECT d.invitation_id, d.decision, d.reason, d.decided_by, u.display_name AS decided_by_name, d.decided_at \
             FROM decisions d JOIN users u ON u.id = d.decided_by \
             WHERE d.org_id = $1 AND d.campaign_id = $2 ORDER BY d.decided_at, d.id",
        )
        .bind(org_id)
        .bind(campaign_id)
        .fetch_all(&self.read)
        .await?)
    }

    /// The decisions about one candidate, newest first.
    pub async fn candidate_decisions(&self, org_id: &str, invitation_id: &str) -> StoreResult<Vec<DecisionRow>> {
        Ok(sqlx::query_as(
            "SELECT d.invitation_id, d.decision, d.reason, d.decided_by, u.display_name AS decided_by_name, d.decided_at \
             FROM decisions d JOIN users u ON u.id = d.decided_by \
             WHERE d.org_id = $1 AND d.invitation_id = $2 ORDER BY d.decided_at DESC, d.id DESC",
        )
        .bind(org_id)
        .bind(invitation_id)
        .fetch_all(&self.read)
        .await?)
    }

    /// Withdraws an active invitation: its link and every browser holding
    /// access stop working, and the link is removed from unsent messages.
    /// False when it was not active (already revoked).
    pub async fn revoke_invitation(&self, org_id: &str, invitation_id: &str, user_id: &str, now: i64) -> StoreResult<bool> {
        self.revoke_invitation_as(org_id, invitation_id, Actor::User(user_id), now).await
    }

    /// [`Store::revoke_invitation`] by any actor (a member of staff, or another system by its key).
    pub async fn revoke_invitation_as(&self, org_id: &str, invitation_id: &str, actor: Actor<'_>, now: i64) -> StoreResult<bool> {
        let user_id = match actor {
            Actor::User(id) => Some(id),
            _ => None,
        };
        let mut tx = self.write.begin().await?;
        let changed = sqlx::query("UPDATE invitations SET status = 'revoked', revoked_at = $1, revoked_by = $2 WHERE org_id = $3 AND id = $4 AND status = 'active'")
            .bind(now)
            .bind(user_id)
            .bind(org_id)
            .bind(invitation_id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if changed == 1 {
            shut_out_browsers(&mut tx, org_id, invitation_id).await?;
            blank_link_messages(&mut tx, org_id, invitation_id).await?;
            audit_in(
                &mut tx,
                &AuditEntry { org_id: Some(org_id), actor, action: "invitation.revoked", object_type: "invitation", object_id: Some(invitation_id), detail: None },
                now,
            )
            .await?;
        }
        tx.commit().await?;
        Ok(changed == 1)
    }

    /// Gives an invitation a new link (the old one stops working) with its
    /// message, unless it was withdrawn or completed meanwhile: `false` then,
    /// and nothing changed.
    pub async fn reissue_invitation(&self, org_id: &str, reissue: &Reissue, user_id: &str, now: i64) -> StoreResult<bool> {
        let mut tx = self.write.begin().await?;
        let changed = reissue_in(&mut tx, org_id, reissue, Actor::User(user_id), now).await?;
        tx.commit().await?;
        Ok(changed)
    }

    /// Several invitations given new links at once (reminders to a
    /// campaign's candidates), in one transaction: all of them or none. The
    /// count of those reissued (withdrawn or completed meanwhile are left alone).
    pub async fn reissue_invitations(&self, org_id: &str, reissues: &[Reissue], actor: Actor<'_>, now: i64) -> StoreResult<usize> {
        let mut tx = self.write.begin().await?;
        let mut changed = 0;
        for reissue in reissues {
            if reissue_in(&mut tx, org_id, reissue, actor, now).await? {
                changed += 1;
            }
        }
        tx.commit().await?;
        Ok(changed)
    }

    /// When each invitation of a campaign last had a message in the outbox
    /// (invitation or reminder); invitations without any are left out.
    pub async fn last_messages(&self, org_id: &str, campaign_id: &str) -> StoreResult<Vec<(String, i64)>> {
        Ok(sqlx::query_as(
            "SELECT o.invitation_id, MAX(o.created_at) FROM outbox o JOIN invitations i ON i.id = o.invitation_id \
             WHERE i.org_id = $1 AND i.campaign_id = $2 AND o.org_id = $1 GROUP BY o.invitation_id",
        )
        .bind(org_id)
        .bind(campaign_id)
        .fetch_all(&self.read)
        .await?)
    }

}

async fn invite_one(conn: &mut AnyConnection, org_id: &str, campaign_id: &str, created_by: Inviter<'_>, item: &InviteItem, now: i64) -> StoreResult<Invited> {
    let taken: Option<String> = sqlx::query_scalar("SELECT id FROM invitations WHERE campaign_id = $1 AND email_key = $2")
        .bind(campaign_id)
        .bind(&item.email_key)
        .fetch_optional(&mut *conn)
        .await?;
    if taken.is_some() {
        return Ok(Invited::AlreadyInvited);
    }
    let (invitation_id, candidate_id) = (new_id(), new_id());
    sqlx::query("INSERT INTO candidates (id, org_id, name, email, language, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(&candidate_id)
        .bind(org_id)
        .bind(&item.name)
        .bind(&item.email)
        .bind(&item.language)
        .bind(now)
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "INSERT INTO invitations (id, org_id, campaign_id, candidate_id, token_hash, language, expires_at, created_by, created_at, email_key, external_id, api_key_id, search_key) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
    )
    .bind(&invitation_id)
    .bind(org_id)
    .bind(campaign_id)
    .bind(&candidate_id)
    .bind(&item.token_hash)
    .bind(&item.language)
    .bind(item.expires_at)
    .bind(match created_by {
        Inviter::User(id) => Some(id),
        Inviter::ApiKey(_) => None,
    })
    .bind(now)
    .bind(&item.email_key)
    .bind(item.external_id.as_deref())
    .bind(match created_by {
        Inviter::ApiKey(id) => Some(id),
        Inviter::User(_) => None,
    })
    .bind(search_key(Some(&item.name), Some(&item.email)))
    .execute(&mut *conn)
    .await?;
    if let Some(message) = &item.message {
        insert_message(conn, org_id, Some(&invitation_id), message, now).await?;
    }
    Ok(Invited::Created { invitation_id })
}

pub(super) async fn insert_message(conn: &mut AnyConnection, org_id: &str, invitation_id: Option<&str>, m: &OutboxDraft, now: i64) -> StoreResult<()> {
    sqlx::query("INSERT INTO outbox (id, org_id, invitation_id, kind, to_address, subject, body, status, attempts, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 'queued', 0, $8)")
        .bind(new_id())
        .bind(org_id)
        .bind(invitation_id)
        .bind(m.kind)
        .bind(&m.to)
        .bind(&m.subject)
        .bind(&m.body)
        .bind(now)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// One invitation's new link, its message and the audit entry, in the
/// caller's transaction; `false` (nothing written) once it is withdrawn or
/// its assessment completed.
async fn reissue_in(conn: &mut AnyConnection, org_id: &str, r: &Reissue, actor: Actor<'_>, now: i64) -> StoreResult<bool> {
    let changed = sqlx::query(
        "UPDATE invitations SET token_hash = $1, expires_at = $2, expiry_announced_at = NULL, auto_reminded_at = CASE WHEN $5 = 1 THEN $6 ELSE auto_reminded_at END \
         WHERE org_id = $3 AND id = $4 AND status = 'active' \
         AND NOT EXISTS (SELECT 1 FROM assessment_sessions s WHERE s.org_id = $3 AND s.invitation_id = $4 AND s.status = 'completed')",
    )
    .bind(&r.token_hash)
    .bind(r.expires_at)
    .bind(org_id)
    .bind(&r.invitation_id)
    .bind(i64::from(r.automatic))
    .bind(now)
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if changed != 1 {
        return Ok(false);
    }
    blank_link_messages(conn, org_id, &r.invitation_id).await?;
    insert_message(conn, org_id, Some(&r.invitation_id), &r.message, now).await?;
    let detail = serde_json::json!({ "kind": r.message.kind, "expires_at": r.expires_at, "automatic": r.automatic }).to_string();
    audit_in(
        conn,
        &AuditEntry { org_id: Some(org_id), actor, action: "invitation.resent", object_type: "invitation", object_id: Some(&r.invitation_id), detail: Some(detail) },
        now,
    )
    .await?;
    Ok(true)
}

/// Every browser that opened an invitation's link loses its access.
pub(super) async fn shut_out_browsers(conn: &mut AnyConnection, org_id: &str, invitation_id: &str) -> StoreResult<()> {
    sqlx::query("DELETE FROM candidate_access WHERE org_id = $1 AND invitation_id = $2").bind(org_id).bind(invitation_id).execute(&mut *conn).await?;
    Ok(())
}

/// Messages carrying a link that no longer works keep no body; unsent ones are withdrawn.
async fn blank_link_messages(conn: &mut AnyConnection, org_id: &str, invitation_id: &str) -> StoreResult<()> {
    sqlx::query("UPDATE outbox SET body = '', status = CASE WHEN status = 'sent' THEN 'sent' ELSE 'withdrawn' END WHERE org_id = $1 AND invitation_id = $2")
        .bind(org_id)
        .bind(invitation_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}
