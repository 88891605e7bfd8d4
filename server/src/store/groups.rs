//! Optional group answers for fairness checks: the organisation's choice of
//! questions and notice, what candidates chose to say (by session, never
//! beside a name), and the answer sheets of one variable's groups.

use super::{audit::audit_in, Actor, AuditEntry, Store, StoreResult};

/// Which variables an organisation asks about, and its notice.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct GroupSettingsRow {
    /// Comma-separated variable ids; empty: none.
    pub variables: String,
    pub notice_en: String,
    pub notice_de: String,
    pub updated_at: i64,
}

/// One answer sheet of a session that answered the variable: `(session id, group, sheet)`.
pub type GroupSheet = (String, String, String);

impl Store {
    pub async fn group_settings(&self, org_id: &str) -> StoreResult<Option<GroupSettingsRow>> {
        Ok(sqlx::query_as("SELECT variables, notice_en, notice_de, updated_at FROM group_settings WHERE org_id = $1").bind(org_id).fetch_optional(&self.read).await?)
    }

    /// Saves the organisation's choice, audited in the same transaction
    /// (`user_id`: who; `None`: Vigil itself, for the demo).
    pub async fn save_group_settings(&self, org_id: &str, row: &GroupSettingsRow, user_id: Option<&str>) -> StoreResult<()> {
        let mut tx = self.write.begin().await?;
        sqlx::query(
            "INSERT INTO group_settings (org_id, variables, notice_en, notice_de, updated_at, updated_by) VALUES ($1, $2, $3, $4, $5, $6) \
             ON CONFLICT (org_id) DO UPDATE SET variables = excluded.variables, notice_en = excluded.notice_en, notice_de = excluded.notice_de, updated_at = excluded.updated_at, updated_by = excluded.updated_by",
        )
        .bind(org_id)
        .bind(&row.variables)
        .bind(&row.notice_en)
        .bind(&row.notice_de)
        .bind(row.updated_at)
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
        let detail = serde_json::json!({ "variables": row.variables }).to_string();
        audit_in(&mut tx, &AuditEntry { org_id: Some(org_id), actor: user_id.map_or(Actor::System, Actor::User), action: "fairness.settings_saved", object_type: "organisation", object_id: Some(org_id), detail: Some(detail) }, row.updated_at).await?;
        tx.commit().await?;
        Ok(())
    }

    /// What the session's candidate said: `(variable, value)`.
    pub async fn group_answers_of(&self, org_id: &str, session_id: &str) -> StoreResult<Vec<(String, String)>> {
        Ok(sqlx::query_as("SELECT variable, value FROM group_answers WHERE org_id = $1 AND session_id = $2 ORDER BY variable")
            .bind(org_id)
            .bind(session_id)
            .fetch_all(&self.read)
            .await?)
    }

    /// Replaces the session's group answers with `answers` (none: removes them), in one transaction.
    pub async fn save_group_answers(&self, org_id: &str, session_id: &str, answers: &[(&str, &str)], now: i64) -> StoreResult<()> {
        let mut tx = self.write.begin().await?;
        sqlx::query("DELETE FROM group_answers WHERE org_id = $1 AND session_id = $2").bind(org_id).bind(session_id).execute(&mut *tx).await?;
        for (variable, value) in answers {
            sqlx::query("INSERT INTO group_answers (session_id, org_id, variable, value, answered_at) VALUES ($1, $2, $3, $4, $5)")
                .bind(session_id)
                .bind(org_id)
                .bind(*variable)
                .bind(*value)
                .bind(now)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// The answer sheets of a bank version (one campaign, or all) whose
    /// candidates answered `variable`, never of invalid sessions, with their group.
    pub async fn group_sheets(&self, org_id: &str, instrument: &str, version: &str, campaign_id: Option<&str>, variable: &str) -> StoreResult<Vec<GroupSheet>> {
        let sql = format!(
            "SELECT a.session_id, g.value, a.record FROM analysis_sheets a \
             JOIN group_answers g ON g.org_id = a.org_id AND g.session_id = a.session_id AND g.variable = $4 \
             WHERE a.org_id = $1 AND a.instrument = $2 AND a.bank_version = $3 AND a.validity_status <> 'invalid'{} \
             ORDER BY a.completed_at, a.session_id",
            if campaign_id.is_some() { " AND a.campaign_id = $5" } else { "" }
        );
        let mut query = sqlx::query_as(&sql).bind(org_id).bind(instrument).bind(version).bind(variable);
        if let Some(c) = campaign_id {
            query = query.bind(c);
        }
        Ok(query.fetch_all(&self.read).await?)
    }
}
