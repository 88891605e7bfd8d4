//! An organisation's own e-mail templates, one per (occasion, language);
//! Vigil's own stand in for the rest. Saving and going back to Vigil's are
//! audited in the same transaction.

use super::{audit::audit_in, Actor, AuditEntry, Store, StoreResult};

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct TemplateRow {
    pub occasion: String,
    pub language: String,
    pub subject: String,
    pub body: String,
    pub updated_at: i64,
}

impl Store {
    /// The organisation's own templates.
    pub async fn message_templates(&self, org_id: &str) -> StoreResult<Vec<TemplateRow>> {
        Ok(sqlx::query_as("SELECT occasion, language, subject, body, updated_at FROM message_templates WHERE org_id = $1 ORDER BY occasion, language")
            .bind(org_id)
            .fetch_all(&self.read)
            .await?)
    }

    /// Saves the organisation's template for an occasion and language (replacing its earlier one).
    pub async fn save_message_template(&self, org_id: &str, row: &TemplateRow, user_id: &str) -> StoreResult<()> {
        let mut tx = self.write.begin().await?;
        sqlx::query(
            "INSERT INTO message_templates (org_id, occasion, language, subject, body, updated_at, updated_by) VALUES ($1, $2, $3, $4, $5, $6, $7) \
             ON CONFLICT (org_id, occasion, language) DO UPDATE SET subject = excluded.subject, body = excluded.body, updated_at = excluded.updated_at, updated_by = excluded.updated_by",
        )
        .bind(org_id)
        .bind(&row.occasion)
        .bind(&row.language)
        .bind(&row.subject)
        .bind(&row.body)
        .bind(row.updated_at)
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
        let detail = serde_json::json!({ "occasion": row.occasion, "language": row.language }).to_string();
        audit_in(&mut tx, &AuditEntry { org_id: Some(org_id), actor: Actor::User(user_id), action: "template.saved", object_type: "organisation", object_id: Some(org_id), detail: Some(detail) }, row.updated_at).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Goes back to Vigil's template; `false` when the organisation had none of its own.
    pub async fn reset_message_template(&self, org_id: &str, occasion: &str, language: &str, user_id: &str, now: i64) -> StoreResult<bool> {
        let mut tx = self.write.begin().await?;
        let gone = sqlx::query("DELETE FROM message_templates WHERE org_id = $1 AND occasion = $2 AND language = $3").bind(org_id).bind(occasion).bind(language).execute(&mut *tx).await?.rows_affected();
        if gone == 0 {
            return Ok(false);
        }
        let detail = serde_json::json!({ "occasion": occasion, "language": language }).to_string();
        audit_in(&mut tx, &AuditEntry { org_id: Some(org_id), actor: Actor::User(user_id), action: "template.reset", object_type: "organisation", object_id: Some(org_id), detail: Some(detail) }, now).await?;
        tx.commit().await?;
        Ok(true)
    }
}
