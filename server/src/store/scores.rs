//! Scores: inserted once with their provenance, never updated; and the
//! finish of a session, which writes them.

use super::{
    analysis::insert_sheets,
    audit::audit_statement,
    batch::{params, value_rows, Batch, Statement, WriteTransaction},
    database::time_ordered_id, webhooks, AuditEntry, NewSheet, Store, StoreResult, StoredAnswer,
};
use crate::time::now_ms;

/// One score record of a finished session, as the scoring path
/// ([`crate::scoring`]) builds it and the finish stores it.
#[derive(Debug, Clone, PartialEq)]
pub struct NewScore {
    pub instrument: String,
    /// "ctt", "irt" or "cat".
    pub method: &'static str,
    pub bank_version: String,
    pub bank_hash: String,
    pub norm_table_id: Option<String>,
    pub norm_table_hash: Option<String>,
    pub engine_version: String,
    /// "ok", "caution" or "invalid".
    pub validity_status: &'static str,
    /// The full score report (JSON).
    pub report: String,
    /// False for instruments not meant for reports about one person (the
    /// workforce pulse): stored, never shown per person.
    pub individual_report: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct StoredScore {
    pub id: String,
    pub instrument: String,
    pub method: String,
    pub bank_version: String,
    pub bank_hash: String,
    pub norm_table_id: Option<String>,
    pub norm_table_hash: Option<String>,
    pub engine_version: String,
    pub validity_status: String,
    pub report: String,
    pub created_at: i64,
}

/// What the answers of a session were when they were scored: how many, and
/// how many times they were written in all. Any answer stored or changed
/// since moves it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AnswersSeen {
    pub count: i64,
    pub revisions: i64,
}

impl AnswersSeen {
    pub fn of(answers: &[StoredAnswer]) -> AnswersSeen {
        AnswersSeen { count: answers.len() as i64, revisions: answers.iter().map(|a| a.revisions).sum() }
    }
}

/// What [`Store::finish_session`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Finished {
    /// The session is complete now, with every score and the audit entry.
    Now,
    /// It was complete already (a retry after success): nothing changed.
    Already,
    /// An answer arrived after the scoring read them: nothing changed;
    /// score again.
    AnswersChanged,
}

impl Store {
    /// Finishes a session as one unit: marks it completed, stores every
    /// score record, its analysis sheets, the audit entry and the
    /// `assessment.completed` event for the endpoints that want it, all in one
    /// transaction, or none of them. Only a session still in progress is
    /// finished, and only when its answers are still those that were scored
    /// (`seen`). The transaction begins with the statements and they go as
    /// one batch (one round trip on SQLite, see [`super::batch`]); an
    /// organisation with webhook endpoints adds the event's own statements.
    pub async fn finish_session(&self, org_id: &str, session_id: &str, seen: AnswersSeen, scores: &[NewScore], sheets: &[NewSheet], audit: &AuditEntry<'_>) -> StoreResult<Finished> {
        let now = now_ms();
        let mut batch = Batch::new(self.kind);
        // Completed only while in progress and while its answers are those
        // that were scored: one statement for both checks.
        batch.push(Statement::new(
            "UPDATE assessment_sessions SET status = 'completed', completed_at = $1 WHERE id = $2 AND org_id = $3 AND status = 'in_progress' \
             AND (SELECT COUNT(*) FROM answers WHERE session_id = $2) = $4 \
             AND (SELECT CAST(COALESCE(SUM(revisions), 0) AS BIGINT) FROM answers WHERE session_id = $2) = $5",
            params![now, session_id, org_id, seen.count, seen.revisions],
        ));
        batch.extend(insert_scores(org_id, session_id, scores, now));
        let sheets: Vec<(&str, i64, &NewSheet)> = sheets.iter().map(|s| (session_id, now, s)).collect();
        batch.extend(insert_sheets(org_id, &sheets, ""));
        batch.push(audit_statement(audit, now));
        batch.push(webhooks::subscribers(org_id, COMPLETED_EVENT));
        let (mut tx, ran) = WriteTransaction::begin_with(&self.write, batch).await?;
        let completed = ran.as_ref().is_ok_and(|ran| ran.first().is_some_and(|r| r.changed == 1));
        if !completed {
            // Not in progress any more, or its answers changed (a statement
            // after the check may then fail too): nothing is kept.
            // A rollback that fails (the BEGIN itself failed) closes the connection.
            let rolled_back = tx.rollback().await;
            let status: Option<String> = sqlx::query_scalar("SELECT status FROM assessment_sessions WHERE id = $1 AND org_id = $2")
                .bind(session_id)
                .bind(org_id)
                .fetch_optional(&self.write)
                .await?;
            return match (status.as_deref(), ran, rolled_back) {
                (Some("completed"), _, _) => Ok(Finished::Already),
                (_, Err(e), _) | (_, Ok(_), Err(e)) => Err(e),
                (Some("in_progress"), Ok(_), Ok(())) => Ok(Finished::AnswersChanged),
                (_, Ok(_), Ok(())) => Err(super::StoreError::NotFound),
            };
        }
        // The batch's last statement found the endpoints that want the event.
        let endpoints = ran?.last().map(|r| webhooks::endpoint_ids(&r.rows)).transpose()?.unwrap_or_default();
        let told = webhooks::enqueue_event_for(tx.connection(), &endpoints, org_id, COMPLETED_EVENT, webhooks::About::Session(session_id), None, now).await?;
        tx.commit().await?;
        if told {
            self.wake_webhook_delivery(now).await;
        }
        Ok(Finished::Now)
    }

    /// The scores of a session of the given organisation that may be shown
    /// about this one person, oldest first.
    pub async fn scores_of(&self, org_id: &str, session_id: &str) -> StoreResult<Vec<StoredScore>> {
        Ok(sqlx::query_as(
            "SELECT id, instrument, method, bank_version, bank_hash, norm_table_id, norm_table_hash, engine_version, validity_status, report, created_at \
             FROM scores WHERE org_id = $1 AND session_id = $2 AND individual_report = 1 ORDER BY created_at, id",
        )
        .bind(org_id)
        .bind(session_id)
        .fetch_all(&self.read)
        .await?)
    }

    /// Completed sessions of a campaign (ids), for lists and demo checks.
    pub async fn completed_sessions(&self, org_id: &str, campaign_id: &str) -> StoreResult<Vec<String>> {
        Ok(sqlx::query_scalar("SELECT id FROM assessment_sessions WHERE org_id = $1 AND campaign_id = $2 AND status = 'completed' ORDER BY completed_at, id")
            .bind(org_id)
            .bind(campaign_id)
            .fetch_all(&self.read)
            .await?)
    }
}

/// The event a finished session raises for webhook endpoints.
const COMPLETED_EVENT: &str = "assessment.completed";

/// One statement for all of a session's score records; a millisecond apart,
/// so they are read back in the order they were made. None for no records.
fn insert_scores(org_id: &str, session_id: &str, scores: &[NewScore], now: i64) -> Option<Statement> {
    if scores.is_empty() {
        return None;
    }
    const COLUMNS: usize = 14;
    let sql = format!(
        "INSERT INTO scores (id, org_id, session_id, instrument, method, bank_version, bank_hash, norm_table_id, norm_table_hash, engine_version, validity_status, report, individual_report, created_at) VALUES {}",
        value_rows(scores.len(), COLUMNS)
    );
    let mut params = Vec::with_capacity(scores.len() * COLUMNS);
    for (s, created_at) in scores.iter().zip(now..) {
        params.extend(params![
            time_ordered_id(),
            org_id,
            session_id,
            &s.instrument,
            s.method,
            &s.bank_version,
            &s.bank_hash,
            s.norm_table_id.as_deref(),
            s.norm_table_hash.as_deref(),
            &s.engine_version,
            s.validity_status,
            &s.report,
            i64::from(s.individual_report),
            created_at
        ]);
    }
    Some(Statement::new(sql, params))
}
