//! What the candidate pages read: invitations by token hash, candidate
//! access (the cookie a link is exchanged for), sessions by invitation.

use super::{Organisation, Store, StoreResult};

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

const INVITATION_COLUMNS: &str = "id, org_id, campaign_id, candidate_id, language, status, expires_at";
const SESSION_COLUMNS: &str = "id, org_id, campaign_id, invitation_id, status, language, seed, deadline_at, started_at, completed_at";

impl Store {
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
