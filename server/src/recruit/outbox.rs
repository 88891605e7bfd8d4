//! The outbox: the e-mails Vigil wrote for the organisation, newest first.

use app::recruit::model::OutboxMessage;

use crate::{
    service_error::ServiceError,
    staff::Caller,
    store::Store,
    time::minute_utc,
};

use super::access::{RecruitResult};

/// Outbox messages shown.
pub const OUTBOX_LIMIT: i64 = 500;

/// The organisation's outbox, newest first.
pub async fn outbox(store: &Store, caller: &Caller) -> RecruitResult<Vec<OutboxMessage>> {
    if !caller.role.may_read_outbox() {
        return Err(ServiceError::Forbidden);
    }
    Ok(store
        .outbox_of(&caller.org_id, OUTBOX_LIMIT)
        .await?
        .into_iter()
        .map(|m| OutboxMessage { id: m.id, kind: m.kind, to: m.to_address, subject: m.subject, body: m.body, status: m.status, created_at: minute_utc(m.created_at), sent_at: m.sent_at.map(minute_utc) })
        .collect())
}
