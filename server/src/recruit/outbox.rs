//! The outbox: the e-mails Vigil wrote for the organisation's candidates,
//! newest first, a page at a time. Without a mail server a person sends
//! them: they can take the waiting ones as a spreadsheet and mark each one
//! sent, which drops its text (and the personal link in it) from Vigil.

use app::recruit::model::{ListPage, OutboxMessage, OutboxPage, OutboxQuery, OUTBOX_PAGE, OUTBOX_STATUSES};

use crate::{
    service_error::ServiceError,
    staff::Caller,
    store::{OutboxListing, OutboxRow, Store},
    time::{minute_utc, now_ms},
};

use super::{
    access::RecruitResult,
    export::{audit_export, csv_error, file_name, neutralise, Download},
};

fn may_read(caller: &Caller) -> RecruitResult<()> {
    if caller.role.may_read_outbox() {
        Ok(())
    } else {
        Err(ServiceError::Forbidden)
    }
}

/// One page of the organisation's outbox, newest first, after the query's cursor.
pub async fn outbox(store: &Store, caller: &Caller, query: &OutboxQuery) -> RecruitResult<OutboxPage> {
    may_read(caller)?;
    let query = OutboxQuery::parse(query.status.as_deref(), query.after.as_deref());
    let listing = OutboxListing { status: query.status.as_deref(), after: query.after.as_deref(), limit: OUTBOX_PAGE as i64 };
    let page = store.outbox_page(&caller.org_id, &listing).await?;
    let mut counts = [0_u32; 3];
    for (status, n) in store.outbox_counts(&caller.org_id).await? {
        if let Some(i) = OUTBOX_STATUSES.iter().position(|s| *s == status) {
            counts[i] = u32::try_from(n).unwrap_or(u32::MAX);
        }
    }
    let next_after = (page.remaining > OUTBOX_PAGE as i64).then(|| page.rows.last().map(|m| m.id.clone())).flatten();
    let listed = ListPage { total: page.total as u32, from: (page.total - page.remaining + 1) as u32, next_after };
    Ok(OutboxPage { messages: page.rows.into_iter().map(message).collect(), listed, counts })
}

fn message(m: OutboxRow) -> OutboxMessage {
    OutboxMessage { id: m.id, kind: m.kind, to: m.to_address, subject: m.subject, body: m.body, status: m.status, created_at: minute_utc(m.created_at), sent_at: m.sent_at.map(minute_utc) }
}

/// A person sent a waiting message themselves. Audited; 404 when the
/// message is not the organisation's or was sent already.
pub async fn mark_sent_by_hand(store: &Store, caller: &Caller, message_id: &str) -> RecruitResult<()> {
    may_read(caller)?;
    if store.mark_sent_by_hand(&caller.org_id, message_id, &caller.user_id, now_ms()).await? {
        Ok(())
    } else {
        Err(ServiceError::NotFound)
    }
}

/// The waiting messages as CSV, oldest first, for sending by hand or by a
/// mail-merge: address, subject, the personal link, the whole text.
/// Audited as `outbox.exported` (the file holds personal links).
pub async fn waiting_csv(store: &Store, caller: &Caller) -> RecruitResult<Download> {
    may_read(caller)?;
    let waiting = store.waiting_messages(&caller.org_id).await?;
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(["to", "subject", "kind", "created_at", "link", "message"]).map_err(csv_error)?;
    for m in &waiting {
        let created = minute_utc(m.created_at);
        let record = [m.to_address.as_str(), &m.subject, &m.kind, &created, personal_link(&m.body).unwrap_or_default(), &m.body];
        writer.write_record(record.iter().map(|c| neutralise(c))).map_err(csv_error)?;
    }
    let bytes = writer.into_inner().map_err(|e| ServiceError::Misconfigured(e.to_string()))?;
    let body = String::from_utf8(bytes).map_err(|e| ServiceError::Misconfigured(e.to_string()))?;
    audit_export(store, caller, "outbox.exported", "organisation", &caller.org_id, serde_json::json!({ "format": "csv", "rows": waiting.len() })).await?;
    Ok(Download { file_name: file_name("outbox-waiting", "csv"), content_type: "text/csv; charset=utf-8", body: format!("\u{feff}{body}") })
}

/// The candidate's personal link in a message's text (`https://…/take/…`).
fn personal_link(body: &str) -> Option<&str> {
    body.split_whitespace().find(|w| (w.starts_with("https://") || w.starts_with("http://")) && w.contains("/take/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_personal_link_is_found_in_a_message_and_nothing_else_is_taken_for_it() {
        let body = "Dear Ada,\n\nplease see https://vigil.example/privacy and start here:\nhttps://vigil.example/take/abc123\n\nThank you.";
        assert_eq!(personal_link(body), Some("https://vigil.example/take/abc123"));
        assert_eq!(personal_link("no link at all, not even /take/x"), None);
    }
}
