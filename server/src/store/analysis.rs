//! Analysis sheets: one row per completed session and bank, holding its
//! answers as one record of the analysis layout (see
//! `crate::analysis_export`). Written with the session's completion
//! ([`Store::finish_session`]), or later for sessions finished before
//! sheets existed ([`Store::insert_sheets`]). Item analysis and the export
//! read these rows, never identities.

use sqlx::AnyConnection;

use super::{
    batch::{params, value_rows, Statement},
    conditions::{bind_params, Conditions, Param},
    Store, StoreResult,
};

/// A sheet to store: everything but the session's completion time, which
/// the finish sets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSheet {
    pub instrument: String,
    pub bank_version: String,
    pub campaign_id: String,
    pub language: String,
    pub adaptive: bool,
    pub validity_status: String,
    /// One CSV record in the layout of `responses.csv`, the pseudonym first.
    pub record: String,
}

/// A stored sheet, as analysis reads it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct SheetRow {
    pub campaign_id: String,
    pub completed_at: i64,
    pub language: String,
    pub adaptive: i64,
    pub validity_status: String,
    pub record: String,
}

/// Which sheets of a bank version to read: all, or one campaign, a range
/// of completion times (Unix ms, `to` exclusive) and one validity status.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SheetFilter {
    pub campaign_id: Option<String>,
    pub from: Option<i64>,
    pub to: Option<i64>,
    pub validity: Option<String>,
    /// Leave out sessions whose answers are invalid (a norm group never has them).
    #[serde(default)]
    pub exclude_invalid: bool,
}

/// How many sheets a filter selects and the newest completion among them:
/// when either moves, an analysis of that selection is out of date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DataVersion {
    pub sessions: i64,
    pub last_completed_at: Option<i64>,
}

/// The WHERE clause of a filter, its parameters after organisation,
/// instrument and version.
fn filter_clause(filter: &SheetFilter) -> Conditions<'_> {
    let mut c = Conditions::new("org_id = $1 AND instrument = $2 AND bank_version = $3", 3);
    c.and_if("campaign_id = ?", filter.campaign_id.as_deref().map(Param::Text));
    c.and_if("completed_at >= ?", filter.from.map(Param::Int));
    c.and_if("completed_at < ?", filter.to.map(Param::Int));
    c.and_if("validity_status = ?", filter.validity.as_deref().map(Param::Text));
    c.and_if("validity_status <> ?", filter.exclude_invalid.then_some(Param::Text("invalid")));
    c
}

impl Store {
    /// The sheets of a bank version in the organisation that the filter
    /// selects, oldest first.
    pub async fn sheets(&self, org_id: &str, instrument: &str, version: &str, filter: &SheetFilter) -> StoreResult<Vec<SheetRow>> {
        let where_ = filter_clause(filter);
        let sql = format!("SELECT campaign_id, completed_at, language, adaptive, validity_status, record FROM analysis_sheets WHERE {} ORDER BY completed_at, session_id", where_.sql());
        let query = sqlx::query_as(&sql).bind(org_id).bind(instrument).bind(version);
        Ok(bind_params!(query, where_.into_params()).fetch_all(&self.read).await?)
    }

    /// Only the completion times and records of the same sheets, in the
    /// same order: what item analysis reads (less to carry than [`Store::sheets`]).
    pub async fn sheet_records(&self, org_id: &str, instrument: &str, version: &str, filter: &SheetFilter) -> StoreResult<Vec<(i64, String)>> {
        let where_ = filter_clause(filter);
        let sql = format!("SELECT completed_at, record FROM analysis_sheets WHERE {} ORDER BY completed_at, session_id", where_.sql());
        let query = sqlx::query_as(&sql).bind(org_id).bind(instrument).bind(version);
        Ok(bind_params!(query, where_.into_params()).fetch_all(&self.read).await?)
    }

    /// What the filter selects now (see [`DataVersion`]).
    pub async fn sheets_version(&self, org_id: &str, instrument: &str, version: &str, filter: &SheetFilter) -> StoreResult<DataVersion> {
        let where_ = filter_clause(filter);
        let sql = format!("SELECT COUNT(*), MAX(completed_at) FROM analysis_sheets WHERE {}", where_.sql());
        let query = sqlx::query_as(&sql).bind(org_id).bind(instrument).bind(version);
        let (sessions, last_completed_at): (i64, Option<i64>) = bind_params!(query, where_.into_params()).fetch_one(&self.read).await?;
        Ok(DataVersion { sessions, last_completed_at })
    }

    /// Completed sessions of a campaign without a sheet for the instrument
    /// (finished before sheets were kept): `(session id, completed at)`.
    pub async fn sessions_without_sheet(&self, org_id: &str, campaign_id: &str, instrument: &str) -> StoreResult<Vec<(String, i64)>> {
        Ok(sqlx::query_as(
            "SELECT s.id, s.completed_at FROM assessment_sessions s WHERE s.org_id = $1 AND s.campaign_id = $2 AND s.status = 'completed' AND s.completed_at IS NOT NULL \
             AND NOT EXISTS (SELECT 1 FROM analysis_sheets a WHERE a.session_id = s.id AND a.instrument = $3) ORDER BY s.completed_at, s.id",
        )
        .bind(org_id)
        .bind(campaign_id)
        .bind(instrument)
        .fetch_all(&self.read)
        .await?)
    }

    /// Stores sheets of sessions finished earlier, `(session id, completed
    /// at, sheet)`, in one transaction; one already there is kept.
    pub async fn insert_sheets(&self, org_id: &str, sheets: &[(String, i64, NewSheet)]) -> StoreResult<()> {
        let mut tx = self.write.begin().await?;
        for chunk in sheets.chunks(100) {
            let rows: Vec<(&str, i64, &NewSheet)> = chunk.iter().map(|(s, at, sheet)| (s.as_str(), *at, sheet)).collect();
            insert_sheets_in(&mut tx, org_id, &rows, " ON CONFLICT (session_id, instrument) DO NOTHING").await?;
        }
        tx.commit().await?;
        Ok(())
    }
}

/// One multi-row INSERT of sheets `(session id, completed at, sheet)` in the caller's transaction.
pub(super) async fn insert_sheets_in(conn: &mut AnyConnection, org_id: &str, rows: &[(&str, i64, &NewSheet)], on_conflict: &str) -> StoreResult<()> {
    if let Some(insert) = insert_sheets(org_id, rows, on_conflict) {
        insert.execute(conn).await?;
    }
    Ok(())
}

/// The one statement that stores `rows` (none for no rows).
pub(super) fn insert_sheets(org_id: &str, rows: &[(&str, i64, &NewSheet)], on_conflict: &str) -> Option<Statement> {
    if rows.is_empty() {
        return None;
    }
    const COLUMNS: usize = 10;
    let sql = format!(
        "INSERT INTO analysis_sheets (session_id, instrument, bank_version, org_id, campaign_id, completed_at, language, adaptive, validity_status, record) VALUES {}{on_conflict}",
        value_rows(rows.len(), COLUMNS)
    );
    let mut params = Vec::with_capacity(rows.len() * COLUMNS);
    for (session_id, completed_at, s) in rows {
        params.extend(params![*session_id, &s.instrument, &s.bank_version, org_id, &s.campaign_id, *completed_at, &s.language, i64::from(s.adaptive), &s.validity_status, &s.record]);
    }
    Some(Statement::new(sql, params))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_filter_adds_one_numbered_condition_per_field() {
        let all = SheetFilter::default();
        let c = filter_clause(&all);
        assert_eq!((c.sql(), c.next_number()), ("org_id = $1 AND instrument = $2 AND bank_version = $3", 4));
        let f = SheetFilter { campaign_id: Some("c".into()), from: Some(1), to: None, validity: Some("ok".into()), exclude_invalid: false };
        let c = filter_clause(&f);
        assert!(c.sql().ends_with("AND campaign_id = $4 AND completed_at >= $5 AND validity_status = $6"), "{}", c.sql());
        assert_eq!(c.into_params().len(), 3);
        let norm_group = SheetFilter { exclude_invalid: true, ..SheetFilter::default() };
        assert!(filter_clause(&norm_group).sql().ends_with("AND validity_status <> $4"));
    }
}
