//! An employee's own corner: their way in (a link by e-mail), their own
//! Security Values Inventory, and the champion listing they may choose;
//! and the organisation's workforce settings. Nothing here is joined to a
//! survey answer.

use super::{audit::audit_in, recruiting::insert_message, Actor, AuditEntry, OutboxDraft, Store, StoreResult};

/// How long an employee's link works.
pub const EMPLOYEE_LINK_DAYS: i64 = 7;

/// An employee reached through their link.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct EmployeeAccess {
    pub org_id: String,
    pub organisation: String,
    pub employee_id: String,
    pub name: String,
    pub email: String,
    pub unit: String,
    pub location: Option<String>,
    pub tenure_band: Option<String>,
}

/// An employee's own inventory: answers (JSON item → value), sent or not.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct SelfAssessmentRow {
    pub instrument: String,
    pub version: String,
    pub answers: String,
    pub updated_at: i64,
    pub completed_at: Option<i64>,
}

/// A listed champion as the security role sees them: the name, the unit,
/// and only what they chose to share.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ChampionRow {
    pub employee_id: String,
    pub name: String,
    pub email: String,
    pub unit: String,
    /// JSON: scale id → band, as the employee chose.
    pub shared: String,
    pub note: Option<String>,
    pub listed_at: i64,
}

/// An organisation's workforce settings.
#[derive(Debug, Clone, Copy, PartialEq, sqlx::FromRow)]
pub struct WorkforceSettings {
    /// Days after a wave's close its answers are kept (its suppressed results stay).
    pub retention_days: i64,
    /// The change in a scale mean (points) that flags a unit in the security view.
    pub flag_change: f64,
}

impl Default for WorkforceSettings {
    fn default() -> Self {
        WorkforceSettings { retention_days: 365, flag_change: 0.3 }
    }
}

impl Store {
    /// Current employees (not left) with this e-mail, in any organisation: (org, employee, name).
    pub async fn current_employees_by_email(&self, email: &str) -> StoreResult<Vec<(String, String, String)>> {
        Ok(sqlx::query_as("SELECT org_id, id, name FROM employees WHERE email = $1 AND left_at IS NULL ORDER BY org_id").bind(email).fetch_all(&self.read).await?)
    }

    /// Keeps a new employee link (its hash) and its e-mail, together.
    pub async fn create_employee_link(&self, org_id: &str, employee_id: &str, token_hash: &str, message: &OutboxDraft, now: i64) -> StoreResult<()> {
        let mut tx = self.write.begin().await?;
        sqlx::query("DELETE FROM employee_links WHERE employee_id = $1 AND expires_at <= $2").bind(employee_id).bind(now).execute(&mut *tx).await?;
        sqlx::query("INSERT INTO employee_links (token_hash, org_id, employee_id, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(token_hash)
            .bind(org_id)
            .bind(employee_id)
            .bind(now)
            .bind(now + EMPLOYEE_LINK_DAYS * 86_400_000)
            .execute(&mut *tx)
            .await?;
        insert_message(&mut tx, org_id, None, message, now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The current employee behind a link that has not expired.
    pub async fn employee_access(&self, token_hash: &str, now: i64) -> StoreResult<Option<EmployeeAccess>> {
        Ok(sqlx::query_as(
            "SELECT e.org_id, o.name AS organisation, e.id AS employee_id, e.name, e.email, u.name AS unit, e.location, e.tenure_band \
             FROM employee_links l JOIN employees e ON e.id = l.employee_id AND e.org_id = l.org_id \
             JOIN organisations o ON o.id = e.org_id JOIN org_units u ON u.id = e.unit_id \
             WHERE l.token_hash = $1 AND l.expires_at > $2 AND e.left_at IS NULL",
        )
        .bind(token_hash)
        .bind(now)
        .fetch_optional(&self.read)
        .await?)
    }

    /// The employee's own inventory, if begun.
    pub async fn self_assessment(&self, employee_id: &str) -> StoreResult<Option<SelfAssessmentRow>> {
        Ok(sqlx::query_as("SELECT instrument, version, answers, updated_at, completed_at FROM self_assessments WHERE employee_id = $1").bind(employee_id).fetch_optional(&self.write).await?)
    }

    /// Keeps the employee's answers (the whole set, JSON); `completed`: sent
    /// for scoring. A new instrument version starts over.
    pub async fn save_self_assessment(&self, org_id: &str, employee_id: &str, instrument: &str, version: &str, answers: &str, completed: bool, now: i64) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO self_assessments (employee_id, org_id, instrument, version, answers, updated_at, completed_at) VALUES ($1, $2, $3, $4, $5, $6, $7) \
             ON CONFLICT (employee_id) DO UPDATE SET instrument = excluded.instrument, version = excluded.version, answers = excluded.answers, updated_at = excluded.updated_at, completed_at = excluded.completed_at",
        )
        .bind(employee_id)
        .bind(org_id)
        .bind(instrument)
        .bind(version)
        .bind(answers)
        .bind(now)
        .bind(completed.then_some(now))
        .execute(&self.write)
        .await?;
        Ok(())
    }

    /// Deletes the employee's inventory and their listing (they start over; audited when listed).
    pub async fn delete_self_assessment(&self, org_id: &str, employee_id: &str, now: i64) -> StoreResult<()> {
        let mut tx = self.write.begin().await?;
        let listed = sqlx::query("DELETE FROM champions WHERE employee_id = $1 AND org_id = $2").bind(employee_id).bind(org_id).execute(&mut *tx).await?.rows_affected();
        sqlx::query("DELETE FROM self_assessments WHERE employee_id = $1 AND org_id = $2").bind(employee_id).bind(org_id).execute(&mut *tx).await?;
        if listed > 0 {
            audit_in(&mut tx, &AuditEntry { org_id: Some(org_id), actor: Actor::Employee(employee_id), action: "champion.withdrawn", object_type: "employee", object_id: Some(employee_id), detail: None }, now).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Lists the employee as a possible champion with what they share (audited); replaces an earlier listing.
    pub async fn list_champion(&self, org_id: &str, employee_id: &str, shared: &str, note: Option<&str>, now: i64) -> StoreResult<()> {
        let mut tx = self.write.begin().await?;
        sqlx::query(
            "INSERT INTO champions (employee_id, org_id, shared, note, listed_at) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (employee_id) DO UPDATE SET shared = excluded.shared, note = excluded.note, listed_at = excluded.listed_at",
        )
        .bind(employee_id)
        .bind(org_id)
        .bind(shared)
        .bind(note)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        audit_in(&mut tx, &AuditEntry { org_id: Some(org_id), actor: Actor::Employee(employee_id), action: "champion.listed", object_type: "employee", object_id: Some(employee_id), detail: Some(shared.to_string()) }, now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Removes the employee's listing at once (audited); whether there was one.
    pub async fn withdraw_champion(&self, org_id: &str, employee_id: &str, now: i64) -> StoreResult<bool> {
        let mut tx = self.write.begin().await?;
        let gone = sqlx::query("DELETE FROM champions WHERE employee_id = $1 AND org_id = $2").bind(employee_id).bind(org_id).execute(&mut *tx).await?.rows_affected();
        if gone > 0 {
            audit_in(&mut tx, &AuditEntry { org_id: Some(org_id), actor: Actor::Employee(employee_id), action: "champion.withdrawn", object_type: "employee", object_id: Some(employee_id), detail: None }, now).await?;
        }
        tx.commit().await?;
        Ok(gone > 0)
    }

    /// The employee's own listing, if any: (shared, note, listed_at).
    pub async fn champion_listing(&self, employee_id: &str) -> StoreResult<Option<(String, Option<String>, i64)>> {
        Ok(sqlx::query_as("SELECT shared, note, listed_at FROM champions WHERE employee_id = $1").bind(employee_id).fetch_optional(&self.write).await?)
    }

    /// The organisation's listed champions who are still employed, newest first.
    pub async fn champions_of(&self, org_id: &str) -> StoreResult<Vec<ChampionRow>> {
        Ok(sqlx::query_as(
            "SELECT c.employee_id, e.name, e.email, u.name AS unit, c.shared, c.note, c.listed_at FROM champions c \
             JOIN employees e ON e.id = c.employee_id AND e.org_id = c.org_id JOIN org_units u ON u.id = e.unit_id \
             WHERE c.org_id = $1 AND e.left_at IS NULL ORDER BY c.listed_at DESC, e.name",
        )
        .bind(org_id)
        .fetch_all(&self.read)
        .await?)
    }

    /// The organisation's workforce settings (defaults until changed).
    pub async fn workforce_settings(&self, org_id: &str) -> StoreResult<WorkforceSettings> {
        let row: Option<WorkforceSettings> = sqlx::query_as("SELECT retention_days, flag_change FROM workforce_settings WHERE org_id = $1").bind(org_id).fetch_optional(&self.read).await?;
        Ok(row.unwrap_or_default())
    }

    /// Changes the workforce settings (audited).
    pub async fn set_workforce_settings(&self, org_id: &str, settings: WorkforceSettings, by: &str, now: i64) -> StoreResult<()> {
        let mut tx = self.write.begin().await?;
        sqlx::query(
            "INSERT INTO workforce_settings (org_id, retention_days, flag_change) VALUES ($1, $2, $3) \
             ON CONFLICT (org_id) DO UPDATE SET retention_days = excluded.retention_days, flag_change = excluded.flag_change",
        )
        .bind(org_id)
        .bind(settings.retention_days)
        .bind(settings.flag_change)
        .execute(&mut *tx)
        .await?;
        let detail = serde_json::json!({ "retention_days": settings.retention_days, "flag_change": settings.flag_change }).to_string();
        audit_in(&mut tx, &AuditEntry { org_id: Some(org_id), actor: Actor::User(by), action: "workforce.settings", object_type: "organisation", object_id: Some(org_id), detail: Some(detail) }, now).await?;
        tx.commit().await?;
        Ok(())
    }
}
