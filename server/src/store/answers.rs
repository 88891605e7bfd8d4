//! Candidates, invitations, assessment sessions and their answers.

use super::{new_id, AnswerInput, AnswerSaved, Store, StoreError, StoreResult, StoredAnswer};
use crate::config::DatabaseKind;
use crate::time::now_ms;

/// What a new invitation needs. The token itself never reaches the store.
#[derive(Debug, Clone)]
pub struct NewInvitation<'a> {
    pub org_id: &'a str,
    pub campaign_id: &'a str,
    pub candidate_name: Option<&'a str>,
    pub candidate_email: Option<&'a str>,
    pub language: &'a str,
    pub token_hash: &'a str,
    pub expires_at: i64,
    pub created_by: Option<&'a str>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreatedInvitation {
    pub invitation_id: String,
    pub candidate_id: String,
}

/// What starting a session needs.
#[derive(Debug, Clone)]
pub struct NewSession<'a> {
    pub org_id: &'a str,
    pub campaign_id: &'a str,
    pub invitation_id: &'a str,
    pub notice_version: &'a str,
    pub language: &'a str,
    pub seed: i64,
    pub deadline_at: Option<i64>,
}

impl Store {
    /// Creates the candidate's identity record and their invitation together.
    pub async fn create_invitation(&self, new: &NewInvitation<'_>) -> StoreResult<CreatedInvitation> {
        let created = CreatedInvitation { invitation_id: new_id(), candidate_id: new_id() };
        let now = now_ms();
        let mut tx = self.write.begin().await?;
        sqlx::query("INSERT INTO candidates (id, org_id, name, email, language, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(&created.candidate_id)
            .bind(new.org_id)
            .bind(new.candidate_name)
            .bind(new.candidate_email)
            .bind(new.language)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        sqlx::query("INSERT INTO invitations (id, org_id, campaign_id, candidate_id, token_hash, language, expires_at, created_by, created_at, search_key) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)")
            .bind(&created.invitation_id)
            .bind(new.org_id)
            .bind(new.campaign_id)
            .bind(&created.candidate_id)
            .bind(new.token_hash)
            .bind(new.language)
            .bind(new.expires_at)
            .bind(new.created_by)
            .bind(now)
            .bind(super::recruiting::search_key(new.candidate_name, new.candidate_email))
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(created)
    }

    /// Starts the session of an invitation; a second start returns the first session's id.
    pub async fn start_session(&self, new: &NewSession<'_>) -> StoreResult<String> {
        let id = new_id();
        let now = now_ms();
        let mut tx = self.write.begin().await?;
        let inserted = sqlx::query(
            "INSERT INTO assessment_sessions (id, org_id, campaign_id, invitation_id, status, notice_version, acknowledged_at, language, seed, deadline_at, started_at) \
             VALUES ($1, $2, $3, $4, 'in_progress', $5, $6, $7, $8, $9, $10) ON CONFLICT (invitation_id) DO NOTHING",
        )
        .bind(&id)
        .bind(new.org_id)
        .bind(new.campaign_id)
        .bind(new.invitation_id)
        .bind(new.notice_version)
        .bind(now)
        .bind(new.language)
        .bind(new.seed)
        .bind(new.deadline_at)
        .bind(now)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        let told = inserted == 1
            && super::webhooks::enqueue_event_in(&mut tx, new.org_id, "invitation.started", super::webhooks::About::Invitation(new.invitation_id), None, now).await?;
        tx.commit().await?;
        if told {
            self.wake_webhook_delivery(now).await;
        }
        if inserted == 1 {
            return Ok(id);
        }
        sqlx::query_scalar("SELECT id FROM assessment_sessions WHERE invitation_id = $1 AND org_id = $2")
            .bind(new.invitation_id)
            .bind(new.org_id)
            .fetch_optional(&self.read)
            .await?
            .ok_or(StoreError::NotFound)
    }

    /// Saves one answer: inserted, or replacing the stored one only with a
    /// higher sequence number, and only while its session is in progress,
    /// within its deadline and its invitation not revoked. Returns once the
    /// answer is committed (see [`super::answer_writer`]).
    pub async fn save_answer(&self, a: &AnswerInput<'_>) -> StoreResult<AnswerSaved> {
        let outcome = self.answers.save(std::slice::from_ref(a)).await?;
        outcome.first().copied().ok_or_else(|| StoreError::Corrupt("the answer writer confirmed nothing".into()))
    }

    /// Saves several answers together, all or none (same rules as
    /// [`Store::save_answer`]); returns how many were stored.
    pub async fn save_answers(&self, answers: &[AnswerInput<'_>]) -> StoreResult<usize> {
        let outcome = self.answers.save(answers).await?;
        Ok(outcome.iter().filter(|&&o| o == AnswerSaved::Stored).count())
    }

    /// A session's answers to one instrument, only what replaying an
    /// adaptive run needs (item, value, order: `client_seq`); the other
    /// fields are left empty. The adaptive save path reads this on every
    /// answer, so it reads as little as it can, as one JSON row (see
    /// [`Store::answers_of`]).
    pub async fn answers_for_replay(&self, session_id: &str, instrument: &str) -> StoreResult<Vec<StoredAnswer>> {
        let sql = format!("SELECT {} FROM answers WHERE session_id = $1 AND instrument = $2", self.json_rows("item_id, value, client_seq", ""));
        let all: String = sqlx::query_scalar(&sql).bind(session_id).bind(instrument).fetch_one(&self.read).await?;
        let rows: Vec<(String, String, i64)> = rows_of(&all, session_id)?;
        Ok(rows
            .into_iter()
            .map(|(item_id, value, client_seq)| StoredAnswer { instrument: instrument.to_string(), item_id, value, latency_ms: None, client_seq, revisions: 0, answered_at: 0 })
            .collect())
    }

    /// Every answer of a session, least recently changed first.
    ///
    /// Read as one row holding them all as JSON: SQLite's rows come from its
    /// connection's thread one at a time, and a session's hundred-odd
    /// answers cost more in those hand-offs than in SQLite (half the time
    /// of the read, measured with the finish benchmark).
    pub async fn answers_of(&self, session_id: &str) -> StoreResult<Vec<StoredAnswer>> {
        let columns = "instrument, item_id, value, latency_ms, client_seq, revisions, answered_at";
        let sql = format!("SELECT {} FROM answers WHERE session_id = $1", self.json_rows(columns, " ORDER BY answered_at, instrument, item_id"));
        let all: String = sqlx::query_scalar(&sql).bind(session_id).fetch_one(&self.read).await?;
        let rows: Vec<(String, String, String, Option<i64>, i64, i64, i64)> = rows_of(&all, session_id)?;
        Ok(rows
            .into_iter()
            .map(|(instrument, item_id, value, latency_ms, client_seq, revisions, answered_at)| StoredAnswer { instrument, item_id, value, latency_ms, client_seq, revisions, answered_at })
            .collect())
    }

    /// The aggregate that gathers the selected rows' `columns` into one JSON
    /// array of arrays (`[]` for none), in `order` (an `ORDER BY` clause, or
    /// empty), written for this database.
    fn json_rows(&self, columns: &str, order: &str) -> String {
        match self.kind {
            DatabaseKind::Sqlite => format!("json_group_array(json_array({columns}){order})"),
            DatabaseKind::Postgres => format!("CAST(COALESCE(json_agg(json_build_array({columns}){order}), '[]') AS TEXT)"),
        }
    }
}

/// The rows of a [`Store::json_rows`] aggregate over a session's answers.
fn rows_of<T: serde::de::DeserializeOwned>(json: &str, session_id: &str) -> StoreResult<Vec<T>> {
    serde_json::from_str(json).map_err(|e| StoreError::Corrupt(format!("the answers of session {session_id} could not be read: {e}")))
}
