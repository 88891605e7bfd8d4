//! Webhooks as rows: an organisation's endpoints, the events written in
//! the same transaction as the change they tell of (so none is lost and
//! none is told of a change that did not happen), and the durable delivery
//! queue (one row per event and endpoint) that `crate::webhooks` drains.
//! Signing secrets are sealed at rest (`sealed`): written sealed, read opened.

use sqlx::{any::AnyRow, AnyConnection, Row};

use super::{
    audit::audit_in,
    batch::{params, Statement},
    new_id, Actor, AuditEntry, Store, StoreResult,
};
use crate::sealing::webhook_purpose;

/// The recurring job that delivers (see `crate::jobs`); named here so
/// that the store can bring it forward when it queues an event.
pub const WEBHOOK_DELIVERY_JOB: &str = "deliver-webhooks";

/// An endpoint as lists and deliveries need it (its secrets opened).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct WebhookEndpointRow {
    pub id: String,
    pub org_id: String,
    pub url: String,
    /// Space-separated, a space at each end.
    pub events: String,
    pub secret: String,
    pub previous_secret: Option<String>,
    pub previous_secret_until: Option<i64>,
    pub created_at: i64,
    pub disabled_at: Option<i64>,
}

const ENDPOINT_COLUMNS: &str = "id, org_id, url, events, secret, previous_secret, previous_secret_until, created_at, disabled_at";

/// A delivery that is due, with what sending it needs.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct DueDelivery {
    pub id: String,
    pub org_id: String,
    pub endpoint_id: String,
    pub event_id: String,
    pub payload: String,
    pub attempts: i64,
    pub created_at: i64,
    pub url: String,
    pub secret: String,
    pub previous_secret: Option<String>,
    pub previous_secret_until: Option<i64>,
}

/// A delivery as the log shows it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct DeliveryRow {
    pub id: String,
    pub endpoint_id: String,
    pub event_id: String,
    pub event_type: String,
    pub status: String,
    pub attempts: i64,
    pub next_attempt_at: i64,
    pub last_status: Option<i64>,
    pub last_error: Option<String>,
    pub created_at: i64,
    pub delivered_at: Option<i64>,
}

/// What one try of a delivery came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeliveryOutcome {
    Delivered { status: i64 },
    /// Tried again at `next_at`.
    Retry { status: Option<i64>, error: String, next_at: i64 },
    /// Given up (tried for the whole retry period).
    Failed { status: Option<i64>, error: String },
}

/// What an event tells of: an invitation, and for a decision the decision.
#[derive(Debug, Clone, Copy)]
pub struct EventSubject<'a> {
    pub event_type: &'a str,
    pub invitation_id: &'a str,
    pub decision: Option<&'a str>,
}

/// The body every delivery of an event carries (Standard Webhooks shape:
/// type, timestamp, data). Thin on purpose: ids and where to read more,
/// never scores or personal data.
fn event_payload(subject: &EventSubject<'_>, campaign_id: &str, external_id: Option<&str>, now: i64) -> String {
    let mut data = serde_json::json!({
        "invitation_id": subject.invitation_id,
        "campaign_id": campaign_id,
        "external_id": external_id,
        "invitation_url": format!("/api/v1/invitations/{}", subject.invitation_id),
    });
    if subject.event_type == "assessment.completed" {
        data["result_url"] = format!("/api/v1/invitations/{}/result", subject.invitation_id).into();
    }
    if let Some(d) = subject.decision {
        data["decision"] = d.into();
    }
    serde_json::json!({ "type": subject.event_type, "timestamp": crate::time::rfc3339_utc(now), "data": data }).to_string()
}

/// What an event is about: an invitation, or the session of one (the
/// invitation is looked up only when some endpoint wants the event).
#[derive(Debug, Clone, Copy)]
pub(super) enum About<'a> {
    Invitation(&'a str),
    Session(&'a str),
}

/// Queues the event for every endpoint of the organisation that wants it,
/// in the caller's transaction; `false` (nothing written, one indexed read)
/// when none does.
pub(super) async fn enqueue_event_in(conn: &mut AnyConnection, org_id: &str, event_type: &str, about: About<'_>, decision: Option<&str>, now: i64) -> StoreResult<bool> {
    let wanted = endpoint_ids(&subscribers(org_id, event_type).rows(&mut *conn).await?)?;
    enqueue_event_for(conn, &wanted, org_id, event_type, about, decision, now).await
}

/// The statement that finds the endpoints of `org_id` that want events of
/// `event_type` (their ids).
pub(super) fn subscribers(org_id: &str, event_type: &str) -> Statement {
    Statement::new("SELECT id FROM webhook_endpoints WHERE org_id = $1 AND disabled_at IS NULL AND events LIKE $2", params![org_id, format!("% {event_type} %")])
}

/// The endpoint ids [`subscribers`] returned.
pub(super) fn endpoint_ids(rows: &[AnyRow]) -> StoreResult<Vec<String>> {
    Ok(rows.iter().map(|row| row.try_get::<String, _>(0)).collect::<Result<_, _>>()?)
}

/// [`enqueue_event_in`] for the endpoints already found by [`subscribers`].
pub(super) async fn enqueue_event_for(conn: &mut AnyConnection, wanted: &[String], org_id: &str, event_type: &str, about: About<'_>, decision: Option<&str>, now: i64) -> StoreResult<bool> {
    if wanted.is_empty() {
        return Ok(false);
    }
    let (sql, id) = match about {
        About::Invitation(id) => ("SELECT id, campaign_id, external_id FROM invitations WHERE org_id = $1 AND id = $2", id),
        About::Session(id) => (
            "SELECT i.id, i.campaign_id, i.external_id FROM assessment_sessions s JOIN invitations i ON i.org_id = s.org_id AND i.id = s.invitation_id WHERE s.org_id = $1 AND s.id = $2",
            id,
        ),
    };
    let Some((invitation_id, campaign_id, external_id)): Option<(String, String, Option<String>)> = sqlx::query_as(sql).bind(org_id).bind(id).fetch_optional(&mut *conn).await? else {
        return Ok(false);
    };
    let subject = EventSubject { event_type, invitation_id: &invitation_id, decision };
    let event_id = format!("msg_{}", new_id().replace('-', ""));
    sqlx::query("INSERT INTO webhook_events (id, org_id, event_type, payload, created_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(&event_id)
        .bind(org_id)
        .bind(event_type)
        .bind(event_payload(&subject, &campaign_id, external_id.as_deref(), now))
        .bind(now)
        .execute(&mut *conn)
        .await?;
    for endpoint in wanted {
        sqlx::query("INSERT INTO webhook_deliveries (id, org_id, endpoint_id, event_id, status, attempts, next_attempt_at, created_at) VALUES ($1, $2, $3, $4, 'pending', 0, $5, $5)")
            .bind(new_id())
            .bind(org_id)
            .bind(&endpoint)
            .bind(&event_id)
            .bind(now)
            .execute(&mut *conn)
            .await?;
    }
    Ok(true)
}

impl Store {
    /// After an event was queued: the delivery job runs now rather than at
    /// its next turn (best effort; it runs at its turn anyway).
    pub(super) async fn wake_webhook_delivery(&self, now: i64) {
        let woken = sqlx::query("UPDATE jobs SET run_after = $1 WHERE dedupe_key = $2 AND status = 'queued' AND run_after > $1")
            .bind(now)
            .bind(format!("recurring:{WEBHOOK_DELIVERY_JOB}"))
            .execute(&self.write)
            .await;
        match woken {
            Ok(_) => self.jobs_added.notify_waiters(),
            Err(e) => tracing::warn!(error = %e, "the webhook delivery job could not be brought forward"),
        }
    }

    /// Adds an endpoint (audited).
    pub async fn create_webhook_endpoint(&self, org_id: &str, url: &str, events: &str, secret: &str, by: &str, now: i64) -> StoreResult<String> {
        let id = new_id();
        let mut tx = self.write.begin().await?;
        sqlx::query("INSERT INTO webhook_endpoints (id, org_id, url, events, secret, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)")
            .bind(&id)
            .bind(org_id)
            .bind(url)
            .bind(events)
            .bind(self.seal_secret(&webhook_purpose(&id), secret)?)
            .bind(by)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        let detail = serde_json::json!({ "url": url, "events": events.trim() }).to_string();
        audit_in(&mut tx, &AuditEntry { org_id: Some(org_id), actor: Actor::User(by), action: "webhook.created", object_type: "webhook", object_id: Some(&id), detail: Some(detail) }, now).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The organisation's endpoints, newest first.
    pub async fn webhook_endpoints_of(&self, org_id: &str) -> StoreResult<Vec<WebhookEndpointRow>> {
        let rows: Vec<WebhookEndpointRow> = sqlx::query_as(&format!("SELECT {ENDPOINT_COLUMNS} FROM webhook_endpoints WHERE org_id = $1 ORDER BY created_at DESC, id")).bind(org_id).fetch_all(&self.read).await?;
        rows.into_iter().map(|row| self.opened_endpoint(row)).collect()
    }

    /// One endpoint of the organisation.
    pub async fn webhook_endpoint(&self, org_id: &str, id: &str) -> StoreResult<Option<WebhookEndpointRow>> {
        let row: Option<WebhookEndpointRow> = sqlx::query_as(&format!("SELECT {ENDPOINT_COLUMNS} FROM webhook_endpoints WHERE org_id = $1 AND id = $2")).bind(org_id).bind(id).fetch_optional(&self.read).await?;
        row.map(|row| self.opened_endpoint(row)).transpose()
    }

    fn opened_endpoint(&self, mut row: WebhookEndpointRow) -> StoreResult<WebhookEndpointRow> {
        (row.secret, row.previous_secret) = self.opened_secrets(&row.id, &row.secret, row.previous_secret.as_deref())?;
        Ok(row)
    }

    /// An endpoint's secret and previous secret, opened.
    fn opened_secrets(&self, endpoint_id: &str, secret: &str, previous: Option<&str>) -> StoreResult<(String, Option<String>)> {
        let purpose = webhook_purpose(endpoint_id);
        Ok((self.open_secret(&purpose, secret)?, previous.map(|p| self.open_secret(&purpose, p)).transpose()?))
    }

    /// Stops sending to an endpoint: its pending deliveries fail (audited).
    pub async fn disable_webhook_endpoint(&self, org_id: &str, id: &str, by: &str, now: i64) -> StoreResult<bool> {
        let mut tx = self.write.begin().await?;
        let done = sqlx::query("UPDATE webhook_endpoints SET disabled_at = $1 WHERE org_id = $2 AND id = $3 AND disabled_at IS NULL").bind(now).bind(org_id).bind(id).execute(&mut *tx).await?.rows_affected();
        if done == 1 {
            sqlx::query("UPDATE webhook_deliveries SET status = 'failed', last_error = 'the endpoint was switched off' WHERE endpoint_id = $1 AND status = 'pending'").bind(id).execute(&mut *tx).await?;
            audit_in(&mut tx, &AuditEntry { org_id: Some(org_id), actor: Actor::User(by), action: "webhook.disabled", object_type: "webhook", object_id: Some(id), detail: None }, now).await?;
        }
        tx.commit().await?;
        Ok(done == 1)
    }

    /// A new signing secret; the old one keeps signing until `previous_until` (audited).
    pub async fn rotate_webhook_secret(&self, org_id: &str, id: &str, secret: &str, previous_until: i64, by: &str, now: i64) -> StoreResult<bool> {
        let mut tx = self.write.begin().await?;
        let done = sqlx::query("UPDATE webhook_endpoints SET previous_secret = secret, previous_secret_until = $1, secret = $2 WHERE org_id = $3 AND id = $4 AND disabled_at IS NULL")
            .bind(previous_until)
            .bind(self.seal_secret(&webhook_purpose(id), secret)?)
            .bind(org_id)
            .bind(id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if done == 1 {
            let detail = serde_json::json!({ "previous_secret_until": crate::time::rfc3339_utc(previous_until) }).to_string();
            audit_in(&mut tx, &AuditEntry { org_id: Some(org_id), actor: Actor::User(by), action: "webhook.secret_rotated", object_type: "webhook", object_id: Some(id), detail: Some(detail) }, now).await?;
        }
        tx.commit().await?;
        Ok(done == 1)
    }

    /// Deliveries due at `now`, oldest first, at most `limit`, with their
    /// endpoint and event (endpoints switched off are left out).
    pub async fn due_deliveries(&self, now: i64, limit: i64) -> StoreResult<Vec<DueDelivery>> {
        let due: Vec<DueDelivery> = sqlx::query_as(
            "SELECT d.id, d.org_id, d.endpoint_id, d.event_id, e.payload, d.attempts, d.created_at, w.url, w.secret, w.previous_secret, w.previous_secret_until \
             FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event_id JOIN webhook_endpoints w ON w.id = d.endpoint_id \
             WHERE d.status = 'pending' AND d.next_attempt_at <= $1 AND w.disabled_at IS NULL ORDER BY d.next_attempt_at, d.id LIMIT $2",
        )
        .bind(now)
        .bind(limit)
        .fetch_all(&self.write)
        .await?;
        due.into_iter()
            .map(|mut d| {
                (d.secret, d.previous_secret) = self.opened_secrets(&d.endpoint_id, &d.secret, d.previous_secret.as_deref())?;
                Ok(d)
            })
            .collect()
    }

    /// Records one try of a delivery.
    pub async fn record_delivery(&self, id: &str, outcome: &DeliveryOutcome, now: i64) -> StoreResult<()> {
        let query = match outcome {
            DeliveryOutcome::Delivered { status } => sqlx::query("UPDATE webhook_deliveries SET status = 'delivered', attempts = attempts + 1, last_status = $1, last_error = NULL, delivered_at = $2 WHERE id = $3")
                .bind(*status)
                .bind(now)
                .bind(id),
            DeliveryOutcome::Retry { status, error, next_at } => sqlx::query("UPDATE webhook_deliveries SET attempts = attempts + 1, last_status = $1, last_error = $2, next_attempt_at = $3 WHERE id = $4")
                .bind(*status)
                .bind(error.clone())
                .bind(*next_at)
                .bind(id),
            DeliveryOutcome::Failed { status, error } => sqlx::query("UPDATE webhook_deliveries SET status = 'failed', attempts = attempts + 1, last_status = $1, last_error = $2 WHERE id = $3")
                .bind(*status)
                .bind(error.clone())
                .bind(id),
        };
        query.execute(&self.write).await?;
        Ok(())
    }

    /// The delivery log of an endpoint of the organisation, newest first.
    pub async fn deliveries_of(&self, org_id: &str, endpoint_id: &str, limit: i64) -> StoreResult<Vec<DeliveryRow>> {
        Ok(sqlx::query_as(
            "SELECT d.id, d.endpoint_id, d.event_id, e.event_type, d.status, d.attempts, d.next_attempt_at, d.last_status, d.last_error, d.created_at, d.delivered_at \
             FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event_id WHERE d.org_id = $1 AND d.endpoint_id = $2 ORDER BY d.created_at DESC, d.id LIMIT $3",
        )
        .bind(org_id)
        .bind(endpoint_id)
        .bind(limit)
        .fetch_all(&self.read)
        .await?)
    }

    /// Queues a delivery of the organisation again now, whatever became of
    /// it (the same event and `webhook-id`; audited).
    pub async fn redeliver(&self, org_id: &str, delivery_id: &str, by: &str, now: i64) -> StoreResult<bool> {
        let mut tx = self.write.begin().await?;
        let done = sqlx::query(
            "UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = $1, created_at = $1 WHERE org_id = $2 AND id = $3 \
             AND endpoint_id IN (SELECT id FROM webhook_endpoints WHERE org_id = $2 AND disabled_at IS NULL)",
        )
        .bind(now)
        .bind(org_id)
        .bind(delivery_id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if done == 1 {
            audit_in(&mut tx, &AuditEntry { org_id: Some(org_id), actor: Actor::User(by), action: "webhook.redelivered", object_type: "webhook_delivery", object_id: Some(delivery_id), detail: None }, now).await?;
        }
        tx.commit().await?;
        if done == 1 {
            self.wake_webhook_delivery(now).await;
        }
        Ok(done == 1)
    }

    /// Tells endpoints that want `invitation.expired` of invitations whose
    /// link or time ran out before the assessment was completed, once each
    /// (until a new link is sent); how many were announced.
    pub async fn announce_expired_invitations(&self, now: i64, limit: i64) -> StoreResult<usize> {
        let due: Vec<(String, String)> = sqlx::query_as(
            "SELECT i.org_id, i.id FROM invitations i LEFT JOIN assessment_sessions s ON s.org_id = i.org_id AND s.invitation_id = i.id \
             WHERE i.expiry_announced_at IS NULL AND i.status = 'active' AND (s.status IS NULL OR s.status <> 'completed') \
             AND (i.expires_at <= $1 OR s.deadline_at <= $1 OR s.status = 'expired') \
             AND i.org_id IN (SELECT org_id FROM webhook_endpoints WHERE disabled_at IS NULL AND events LIKE '% invitation.expired %') \
             ORDER BY i.expires_at LIMIT $2",
        )
        .bind(now)
        .bind(limit)
        .fetch_all(&self.read)
        .await?;
        let mut announced = 0;
        for (org_id, invitation_id) in &due {
            let mut tx = self.write.begin().await?;
            let marked = sqlx::query("UPDATE invitations SET expiry_announced_at = $1 WHERE org_id = $2 AND id = $3 AND expiry_announced_at IS NULL")
                .bind(now)
                .bind(org_id)
                .bind(invitation_id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if marked == 1 && enqueue_event_in(&mut tx, org_id, "invitation.expired", About::Invitation(invitation_id), None, now).await? {
                announced += 1;
            }
            tx.commit().await?;
        }
        if announced > 0 {
            self.wake_webhook_delivery(now).await;
        }
        Ok(announced)
    }

    /// Events (with their deliveries) made before `before` whose deliveries
    /// are all finished.
    pub async fn delete_webhook_events_before(&self, before: i64) -> StoreResult<u64> {
        Ok(sqlx::query("DELETE FROM webhook_events WHERE created_at < $1 AND id NOT IN (SELECT event_id FROM webhook_deliveries WHERE status = 'pending')")
            .bind(before)
            .execute(&self.write)
            .await?
            .rows_affected())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_event_body_names_the_invitation_and_where_to_read_more_but_no_scores() {
        let body = event_payload(&EventSubject { event_type: "assessment.completed", invitation_id: "inv-1", decision: None }, "camp-1", Some("app-9"), 1_795_437_909_000);
        let v: serde_json::Value = serde_json::from_str(&body).expect("JSON");
        assert_eq!(v["type"], "assessment.completed");
        assert_eq!(v["timestamp"], "2026-11-23T12:45:09Z");
        assert_eq!(v["data"]["external_id"], "app-9");
        assert_eq!(v["data"]["result_url"], "/api/v1/invitations/inv-1/result");
        assert_eq!(v["data"].as_object().map(|o| o.len()), Some(5), "{v}");
        let decided = event_payload(&EventSubject { event_type: "decision.recorded", invitation_id: "inv-1", decision: Some("advance") }, "camp-1", None, 0);
        let v: serde_json::Value = serde_json::from_str(&decided).expect("JSON");
        assert_eq!((v["data"]["decision"].as_str(), v["data"]["result_url"].is_null()), (Some("advance"), true));
    }
}
