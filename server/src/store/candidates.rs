//! What the candidate pages read: invitations by token hash, candidate
//! access (the cookie a link is exchanged for), sessions by invitation.

use sqlx::{any::AnyRow, Row};

use super::{Campaign, Organisation, Store, StoreResult};

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct InvitationRow {
    pub id: String,
    pub org_id: String,
    pub campaign_id: String,
    pub candidate_id: String,
    pub language: String,
    pub status: String,
    pub expires_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct SessionRow {
    pub id: String,
    pub org_id: String,
    pub campaign_id: String,
    pub invitation_id: String,
    pub status: String,
    pub language: String,
    pub seed: i64,
    pub deadline_at: Option<i64>,
    pub started_at: i64,
    pub completed_at: Option<i64>,
}

/// What an access secret leads to, read in one statement (see [`Store::candidate_context`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CandidateContextRow {
    pub org_id: String,
    pub invitation_id: String,
    /// When the browser's access ends.
    pub access_expires_at: i64,
    pub invitation: Option<InvitationRow>,
    pub session: Option<SessionRow>,
    pub campaign: Option<Campaign>,
    pub organisation_name: Option<String>,
}

/// The access row with its invitation, session, campaign and organisation
/// (each NULL when missing), keyed by the secret's hash: one round trip instead
/// of five, and one consistent snapshot. Sessions are unique per invitation,
/// so this is at most one row.
const CANDIDATE_CONTEXT: &str = "SELECT a.org_id AS a_org_id, a.invitation_id AS a_invitation_id, a.expires_at AS a_expires_at, \
     i.id AS i_id, i.org_id AS i_org_id, i.campaign_id AS i_campaign_id, i.candidate_id AS i_candidate_id, i.language AS i_language, i.status AS i_status, i.expires_at AS i_expires_at, \
     s.id AS s_id, s.org_id AS s_org_id, s.campaign_id AS s_campaign_id, s.invitation_id AS s_invitation_id, s.status AS s_status, s.language AS s_language, \
     s.seed AS s_seed, s.deadline_at AS s_deadline_at, s.started_at AS s_started_at, s.completed_at AS s_completed_at, \
     c.id AS c_id, c.org_id AS c_org_id, c.name AS c_name, c.role_family AS c_role_family, c.battery AS c_battery, c.time_limit_minutes AS c_time_limit_minutes, \
     c.adaptive AS c_adaptive, c.candidate_feedback AS c_candidate_feedback, c.invitation_ttl_days AS c_invitation_ttl_days, c.status AS c_status, \
     c.created_by AS c_created_by, c.created_at AS c_created_at, c.reminder_days AS c_reminder_days, c.link_base AS c_link_base, \
     o.name AS o_name \
     FROM candidate_access a \
     LEFT JOIN invitations i ON i.org_id = a.org_id AND i.id = a.invitation_id \
     LEFT JOIN assessment_sessions s ON s.org_id = a.org_id AND s.invitation_id = a.invitation_id \
     LEFT JOIN campaigns c ON c.org_id = a.org_id AND c.id = i.campaign_id \
     LEFT JOIN organisations o ON o.id = a.org_id \
     WHERE a.id_hash = $1";

fn context_row(row: &AnyRow) -> Result<CandidateContextRow, sqlx::Error> {
    let invitation = match row.try_get::<Option<String>, _>("i_id")? {
        None => None,
        Some(id) => Some(InvitationRow {
            id,
            org_id: row.try_get("i_org_id")?,
            campaign_id: row.try_get("i_campaign_id")?,
            candidate_id: row.try_get("i_candidate_id")?,
            language: row.try_get("i_language")?,
            status: row.try_get("i_status")?,
            expires_at: row.try_get("i_expires_at")?,
        }),
    };
    let session = match row.try_get::<Option<String>, _>("s_id")? {
        None => None,
        Some(id) => Some(SessionRow {
            id,
            org_id: row.try_get("s_org_id")?,
            campaign_id: row.try_get("s_campaign_id")?,
            invitation_id: row.try_get("s_invitation_id")?,
            status: row.try_get("s_status")?,
            language: row.try_get("s_language")?,
            seed: row.try_get("s_seed")?,
            deadline_at: row.try_get("s_deadline_at")?,
            started_at: row.try_get("s_started_at")?,
            completed_at: row.try_get("s_completed_at")?,
        }),
    };
    let campaign = match row.try_get::<Option<String>, _>("c_id")? {
        None => None,
        Some(id) => Some(Campaign {
            id,
            org_id: row.try_get("c_org_id")?,
            name: row.try_get("c_name")?,
            role_family: row.try_get("c_role_family")?,
            battery: row.try_get("c_battery")?,
            time_limit_minutes: row.try_get("c_time_limit_minutes")?,
            adaptive: row.try_get("c_adaptive")?,
            candidate_feedback: row.try_get("c_candidate_feedback")?,
            invitation_ttl_days: row.try_get("c_invitation_ttl_days")?,
            status: row.try_get("c_status")?,
            created_by: row.try_get("c_created_by")?,
            created_at: row.try_get("c_created_at")?,
            reminder_days: row.try_get("c_reminder_days")?,
            link_base: row.try_get("c_link_base")?,
        }),
    };
    Ok(CandidateContextRow {
        org_id: row.try_get("a_org_id")?,
        invitation_id: row.try_get("a_invitation_id")?,
        access_expires_at: row.try_get("a_expires_at")?,
        invitation,
        session,
        campaign,
        organisation_name: row.try_get("o_name")?,
    })
}

const INVITATION_COLUMNS: &str = "id, org_id, campaign_id, candidate_id, language, status, expires_at";
const SESSION_COLUMNS: &str = "id, org_id, campaign_id, invitation_id, status, language, seed, deadline_at, started_at, completed_at";

impl Store {
    /// The privacy notice a session's candidate read and accepted, and when.
    pub async fn notice_acknowledged(&self, org_id: &str, session_id: &str) -> StoreResult<Option<(String, i64)>> {
        Ok(sqlx::query_as("SELECT notice_version, acknowledged_at FROM assessment_sessions WHERE org_id = $1 AND id = $2")
            .bind(org_id)
            .bind(session_id)
            .fetch_optional(&self.read)
            .await?)
    }

    pub async fn invitation_by_token_hash(&self, token_hash: &str) -> StoreResult<Option<InvitationRow>> {
        Ok(sqlx::query_as(&format!("SELECT {INVITATION_COLUMNS} FROM invitations WHERE token_hash = $1"))
            .bind(token_hash)
            .fetch_optional(&self.read)
            .await?)
    }

    pub async fn invitation(&self, org_id: &str, invitation_id: &str) -> StoreResult<Option<InvitationRow>> {
        Ok(sqlx::query_as(&format!("SELECT {INVITATION_COLUMNS} FROM invitations WHERE org_id = $1 AND id = $2"))
            .bind(org_id)
            .bind(invitation_id)
            .fetch_optional(&self.read)
            .await?)
    }

    pub async fn create_candidate_access(&self, id_hash: &str, org_id: &str, invitation_id: &str, created_at: i64, expires_at: i64) -> StoreResult<()> {
        sqlx::query("INSERT INTO candidate_access (id_hash, org_id, invitation_id, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(id_hash)
            .bind(org_id)
            .bind(invitation_id)
            .bind(created_at)
            .bind(expires_at)
            .execute(&self.write)
            .await?;
        Ok(())
    }

    /// (org id, invitation id, expires at) of a candidate access secret's hash.
    pub async fn candidate_access(&self, id_hash: &str) -> StoreResult<Option<(String, String, i64)>> {
        Ok(sqlx::query_as("SELECT org_id, invitation_id, expires_at FROM candidate_access WHERE id_hash = $1")
            .bind(id_hash)
            .fetch_optional(&self.read)
            .await?)
    }

    /// Everything behind an access secret's hash in one statement (the
    /// candidate pages and the answer-save endpoint need it on every request).
    pub async fn candidate_context(&self, id_hash: &str) -> StoreResult<Option<CandidateContextRow>> {
        let row = sqlx::query(CANDIDATE_CONTEXT).bind(id_hash).fetch_optional(&self.read).await?;
        Ok(row.as_ref().map(context_row).transpose()?)
    }

    /// A session of the organisation by its id.
    pub async fn session(&self, org_id: &str, session_id: &str) -> StoreResult<Option<SessionRow>> {
        Ok(sqlx::query_as(&format!("SELECT {SESSION_COLUMNS} FROM assessment_sessions WHERE org_id = $1 AND id = $2"))
            .bind(org_id)
            .bind(session_id)
            .fetch_optional(&self.read)
            .await?)
    }

    pub async fn session_by_invitation(&self, org_id: &str, invitation_id: &str) -> StoreResult<Option<SessionRow>> {
        Ok(sqlx::query_as(&format!("SELECT {SESSION_COLUMNS} FROM assessment_sessions WHERE org_id = $1 AND invitation_id = $2"))
            .bind(org_id)
            .bind(invitation_id)
            .fetch_optional(&self.read)
            .await?)
    }

    /// The language of a candidate's pages: on the session once started, else on the invitation.
    pub async fn set_candidate_language(&self, org_id: &str, invitation_id: &str, language: &str) -> StoreResult<()> {
        let mut tx = self.write.begin().await?;
        sqlx::query("UPDATE invitations SET language = $1 WHERE org_id = $2 AND id = $3")
            .bind(language)
            .bind(org_id)
            .bind(invitation_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("UPDATE assessment_sessions SET language = $1 WHERE org_id = $2 AND invitation_id = $3")
            .bind(language)
            .bind(org_id)
            .bind(invitation_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn organisation(&self, org_id: &str) -> StoreResult<Option<Organisation>> {
        Ok(sqlx::query_as("SELECT id, name, slug, is_demo, created_at FROM organisations WHERE id = $1")
            .bind(org_id)
            .fetch_optional(&self.read)
            .await?)
    }
}
