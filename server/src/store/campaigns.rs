//! Campaigns: a battery offered to a set of invited candidates.

use super::{new_id, Campaign, NewCampaign, Store, StoreResult};
use crate::time::now_ms;

const CAMPAIGN_COLUMNS: &str = "id, org_id, name, role_family, battery, time_limit_minutes, adaptive, candidate_feedback, invitation_ttl_days, status, created_by, created_at, reminder_days, link_base";

impl Store {
    pub async fn create_campaign(&self, new: &NewCampaign<'_>) -> StoreResult<Campaign> {
        let campaign = Campaign {
            id: new_id(),
            org_id: new.org_id.to_string(),
            name: new.name.to_string(),
            role_family: new.role_family.to_string(),
            battery: new.battery.to_string(),
            time_limit_minutes: new.time_limit_minutes,
            adaptive: i64::from(new.adaptive),
            candidate_feedback: i64::from(new.candidate_feedback),
            invitation_ttl_days: new.invitation_ttl_days,
            status: "open".to_string(),
            created_by: new.created_by.map(str::to_string),
            created_at: now_ms(),
            reminder_days: new.reminder_days,
            link_base: new.link_base.map(str::to_string),
        };
        sqlx::query(&format!("INSERT INTO campaigns ({CAMPAIGN_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)"))
            .bind(&campaign.id)
            .bind(&campaign.org_id)
            .bind(&campaign.name)
            .bind(&campaign.role_family)
            .bind(&campaign.battery)
            .bind(campaign.time_limit_minutes)
            .bind(campaign.adaptive)
            .bind(campaign.candidate_feedback)
            .bind(campaign.invitation_ttl_days)
            .bind(&campaign.status)
            .bind(campaign.created_by.as_deref())
            .bind(campaign.created_at)
            .bind(campaign.reminder_days)
            .bind(campaign.link_base.as_deref())
            .execute(&self.write)
            .await?;
        Ok(campaign)
    }

    /// A campaign of the given organisation; another organisation's is `None`.
    pub async fn campaign(&self, org_id: &str, campaign_id: &str) -> StoreResult<Option<Campaign>> {
        Ok(sqlx::query_as(&format!("SELECT {CAMPAIGN_COLUMNS} FROM campaigns WHERE org_id = $1 AND id = $2"))
            .bind(org_id)
            .bind(campaign_id)
            .fetch_optional(&self.read)
            .await?)
    }

    /// Campaigns (of any organisation) with an invitation due for its
    /// automatic reminder at `now`: link still running, ending within the
    /// campaign's reminder days, none sent yet. As (org_id, campaign_id).
    pub async fn campaigns_with_reminders_due(&self, now: i64) -> StoreResult<Vec<(String, String)>> {
        Ok(sqlx::query_as(
            "SELECT DISTINCT c.org_id, c.id FROM campaigns c JOIN invitations i ON i.org_id = c.org_id AND i.campaign_id = c.id \
             WHERE c.reminder_days IS NOT NULL AND i.status = 'active' AND i.auto_reminded_at IS NULL \
             AND i.expires_at > $1 AND i.expires_at <= $1 + c.reminder_days * 86400000",
        )
        .bind(now)
        .fetch_all(&self.read)
        .await?)
    }

    /// Sets (or clears) a campaign's automatic reminder days.
    pub async fn set_campaign_reminder_days(&self, org_id: &str, campaign_id: &str, days: Option<i64>) -> StoreResult<()> {
        sqlx::query("UPDATE campaigns SET reminder_days = $1 WHERE org_id = $2 AND id = $3").bind(days).bind(org_id).bind(campaign_id).execute(&self.write).await?;
        Ok(())
    }

    /// A page of the organisation's campaigns, newest first, after the
    /// campaign `after` (a cursor that is gone starts from the top), with how
    /// many there are in all and from the cursor on.
    pub async fn campaign_page(&self, org_id: &str, after: Option<&str>, limit: i64) -> StoreResult<(Vec<Campaign>, i64, i64)> {
        let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM campaigns WHERE org_id = $1").bind(org_id).fetch_one(&self.read).await?;
        let cursor: Option<(i64, String)> = match after {
            Some(id) => sqlx::query_as("SELECT created_at, id FROM campaigns WHERE org_id = $1 AND id = $2").bind(org_id).bind(id).fetch_optional(&self.read).await?,
            None => None,
        };
        let Some((at, id)) = cursor else {
            let rows = sqlx::query_as(&format!("SELECT {CAMPAIGN_COLUMNS} FROM campaigns WHERE org_id = $1 ORDER BY created_at DESC, id LIMIT $2")).bind(org_id).bind(limit).fetch_all(&self.read).await?;
            return Ok((rows, total, total));
        };
        let later = "org_id = $1 AND (created_at < $2 OR (created_at = $2 AND id > $3))";
        let remaining: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM campaigns WHERE {later}")).bind(org_id).bind(at).bind(&id).fetch_one(&self.read).await?;
        let rows = sqlx::query_as(&format!("SELECT {CAMPAIGN_COLUMNS} FROM campaigns WHERE {later} ORDER BY created_at DESC, id LIMIT $4"))
            .bind(org_id)
            .bind(at)
            .bind(&id)
            .bind(limit)
            .fetch_all(&self.read)
            .await?;
        Ok((rows, total, remaining))
    }

    pub async fn campaigns_of(&self, org_id: &str) -> StoreResult<Vec<Campaign>> {
        Ok(sqlx::query_as(&format!("SELECT {CAMPAIGN_COLUMNS} FROM campaigns WHERE org_id = $1 ORDER BY created_at DESC, id"))
            .bind(org_id)
            .fetch_all(&self.read)
            .await?)
    }
}
