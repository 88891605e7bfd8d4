//! Invitations: one at a time or from a CSV file, each with its e-mail in
//! the outbox; revoking, resending with a new link, and erasing a
//! candidate's personal data on request.

use app::recruit::model::CandidateStatus;

use crate::{
    secrets::{new_secret, secret_hash},
    service_error::ServiceError,
    staff::Caller,
    store::{Actor, AuditEntry, Campaign, CandidateStateRow, InviteItem, Invited, Inviter, Reissue, Store},
    time::now_ms,
};

use super::{
    access::{candidate_status, own_campaign, own_candidate, RecruitResult},
    csv_import, messages,
};

/// SHA-256 of the normalised address: the key that keeps one invitation per address and campaign.
pub fn email_key(normalised_email: &str) -> String {
    secret_hash(normalised_email)
}

/// What an upload did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    pub created: usize,
    /// (row, address) already invited to this campaign earlier: nothing new was created.
    pub already_invited: Vec<(usize, String)>,
    pub errors: Vec<csv_import::RowError>,
}

/// A fresh invitation token and the candidate's link with it (the only place the token exists).
pub(super) fn new_link(base_url: &str) -> (String, String) {
    let token = new_secret();
    let link = format!("{}/take/{token}", base_url.trim_end_matches('/'));
    (token, link)
}

/// One person to invite.
pub struct Invitation<'a> {
    pub name: &'a str,
    pub email: &'a str,
    pub language: &'a str,
    /// The inviting system's own id for it.
    pub external_id: Option<&'a str>,
    /// Whether Vigil e-mails the link (else whoever invited passes it on).
    pub send_email: bool,
}

/// Builds the store items (token, its hash, the e-mail with the link) for invitees.
/// The invitations to store (their e-mails in the outbox) and, in the same
/// order, each one's link (shown once to whoever invited, never stored apart
/// from the e-mail).
pub async fn invite_items(store: &Store, campaign: &Campaign, base_url: &str, people: &[Invitation<'_>], now: i64) -> RecruitResult<(Vec<InviteItem>, Vec<String>)> {
    let sender = messages::sender(store, &campaign.org_id).await?;
    let expires_at = now + campaign.invitation_ttl_days * 86_400_000;
    Ok(people
        .iter()
        .map(|p| {
            let (token, link) = new_link(base_url);
            let message = sender.letter(p.name, &link, expires_at, p.language, messages::Occasion::Invitation);
            let item = InviteItem {
                name: p.name.to_string(),
                email: p.email.to_string(),
                email_key: email_key(p.email),
                language: p.language.to_string(),
                token_hash: secret_hash(&token),
                expires_at,
                message: p.send_email.then(|| crate::store::OutboxDraft { kind: "invitation", to: p.email.to_string(), subject: message.subject, body: message.body }),
                external_id: p.external_id.map(str::to_string),
            };
            (item, link)
        })
        .unzip())
}

/// Invites one candidate; an address already invited to the campaign is
/// refused. Returns the invitation and its link, for the recruiter to copy
/// (for candidates reached without e-mail).
pub async fn invite(store: &Store, caller: &Caller, campaign_id: &str, name: &str, email: &str, language: &str, base_url: &str) -> RecruitResult<(String, String)> {
    let campaign = own_campaign(store, caller, campaign_id).await?;
    let name = csv_import::valid_name(name).map_err(ServiceError::Invalid)?;
    let email = csv_import::valid_email(email).map_err(ServiceError::Invalid)?;
    if !csv_import::LANGUAGES.contains(&language) {
        return Err(ServiceError::Invalid("Please choose English (en) or German (de).".into()));
    }
    let now = now_ms();
    let (items, mut links) = invite_items(store, &campaign, base_url, &[Invitation { name: &name, email: &email, language, external_id: None, send_email: true }], now).await?;
    match store.invite_batch(&caller.org_id, &campaign.id, Inviter::User(&caller.user_id), &items, now).await?.pop() {
        Some(Invited::Created { invitation_id }) => {
            audit_invitations(store, caller, &campaign.id, Some(&invitation_id), serde_json::json!({ "via": "form" })).await?;
            Ok((invitation_id, links.pop().unwrap_or_default()))
        }
        _ => Err(ServiceError::Invalid(format!("{email} is already invited to this campaign. Use \"Resend\" on their profile to send a new link."))),
    }
}

/// Invites everyone in a CSV file: valid rows are created, the others listed
/// by row; re-uploading the same file creates nothing twice.
pub async fn import(store: &Store, caller: &Caller, campaign_id: &str, file: &[u8], base_url: &str) -> RecruitResult<ImportReport> {
    let campaign = own_campaign(store, caller, campaign_id).await?;
    let parsed = csv_import::parse(file, "en")?;
    let now = now_ms();
    let people: Vec<Invitation<'_>> = parsed.invitees.iter().map(|i| Invitation { name: &i.name, email: &i.email, language: &i.language, external_id: None, send_email: true }).collect();
    let (items, _links) = invite_items(store, &campaign, base_url, &people, now).await?;
    let outcomes = store.invite_batch(&caller.org_id, &campaign.id, Inviter::User(&caller.user_id), &items, now).await?;
    let mut report = ImportReport { errors: parsed.errors, ..ImportReport::default() };
    for (invitee, outcome) in parsed.invitees.iter().zip(outcomes) {
        match outcome {
            Invited::Created { .. } => report.created += 1,
            Invited::AlreadyInvited => report.already_invited.push((invitee.row, invitee.email.clone())),
        }
    }
    let detail = serde_json::json!({ "via": "csv", "created": report.created, "already_invited": report.already_invited.len(), "rows_with_errors": report.errors.len() });
    audit_invitations(store, caller, &campaign.id, None, detail).await?;
    Ok(report)
}

pub(super) async fn audit_invitations(store: &Store, caller: &Caller, campaign_id: &str, invitation_id: Option<&str>, mut detail: serde_json::Value) -> RecruitResult<()> {
    detail["campaign"] = serde_json::Value::String(campaign_id.to_string());
    store
        .audit(&AuditEntry {
            org_id: Some(&caller.org_id),
            actor: Actor::User(&caller.user_id),
            action: if invitation_id.is_some() { "invitation.created" } else { "invitations.uploaded" },
            object_type: if invitation_id.is_some() { "invitation" } else { "campaign" },
            object_id: Some(invitation_id.unwrap_or(campaign_id)),
            detail: Some(detail.to_string()),
        })
        .await?;
    Ok(())
}

/// Withdraws an invitation that is not completed: its link stops working at once.
pub async fn revoke(store: &Store, caller: &Caller, campaign_id: &str, invitation_id: &str) -> RecruitResult<()> {
    let (_, row) = own_candidate(store, caller, campaign_id, invitation_id).await?;
    revoke_row(store, &caller.org_id, &row, Actor::User(&caller.user_id)).await
}

/// Withdraws the invitation of `row` (the rule for staff and other systems alike).
pub async fn revoke_row(store: &Store, org_id: &str, row: &CandidateStateRow, actor: Actor<'_>) -> RecruitResult<()> {
    match candidate_status(row, now_ms()) {
        CandidateStatus::Completed => Err(ServiceError::Invalid("This candidate has completed the assessment; the invitation can no longer be withdrawn.".into())),
        CandidateStatus::Revoked => Err(ServiceError::Invalid("This invitation was already withdrawn.".into())),
        _ => {
            store.revoke_invitation_as(org_id, &row.invitation_id, actor, now_ms()).await?;
            Ok(())
        }
    }
}

/// Sends a new link (the old one stops working) valid for the campaign's
/// invitation period from now: an invitation again, or a reminder once started.
pub async fn resend(store: &Store, caller: &Caller, campaign_id: &str, invitation_id: &str, base_url: &str) -> RecruitResult<()> {
    let (campaign, row) = own_candidate(store, caller, campaign_id, invitation_id).await?;
    resend_row(store, &campaign, &row, Actor::User(&caller.user_id), base_url).await
}

/// Sends the candidate of `row` a new link (the rule for staff and other systems alike).
pub async fn resend_row(store: &Store, campaign: &Campaign, row: &CandidateStateRow, actor: Actor<'_>, base_url: &str) -> RecruitResult<()> {
    let (row, now) = (row.clone(), now_ms());
    match candidate_status(&row, now) {
        CandidateStatus::Completed => return Err(ServiceError::Invalid("This candidate has completed the assessment; there is nothing to resend.".into())),
        CandidateStatus::Revoked => return Err(ServiceError::Invalid("This invitation was withdrawn; invite the candidate again if you want them to take part.".into())),
        _ => {}
    }
    let sender = messages::sender(store, &campaign.org_id).await?;
    let occasion = if row.session_id.is_some() { messages::Occasion::FinishReminder } else { messages::Occasion::Invitation };
    let Some(reissue) = new_link_for(&row, &sender, occasion, base_url, renewed_expiry(campaign, now)) else {
        return Err(ServiceError::Invalid("This candidate has no e-mail address on record.".into()));
    };
    if store.reissue_invitations(&campaign.org_id, std::slice::from_ref(&reissue), actor, now).await? == 1 {
        Ok(())
    } else {
        Err(ServiceError::Invalid("This invitation was withdrawn, or the assessment completed, meanwhile.".into()))
    }
}

/// A new link for a candidate, valid until `expires_at`, in the e-mail for
/// the occasion. `None` for a candidate without an e-mail address.
pub(super) fn new_link_for(row: &CandidateStateRow, sender: &messages::Sender, occasion: messages::Occasion, base_url: &str, expires_at: i64) -> Option<Reissue> {
    let email = row.email.as_deref().filter(|e| !e.is_empty())?;
    let (token, link) = new_link(base_url);
    let name = row.name.clone().unwrap_or_default();
    let letter = sender.letter(&name, &link, expires_at, &row.language, occasion);
    let message = crate::store::OutboxDraft { kind: occasion.kind(), to: email.to_string(), subject: letter.subject, body: letter.body };
    Some(Reissue { invitation_id: row.invitation_id.clone(), token_hash: secret_hash(&token), expires_at, message, automatic: false })
}

/// When a link given at `now` runs out: the campaign's invitation period from now.
pub(super) fn renewed_expiry(campaign: &Campaign, now: i64) -> i64 {
    now + campaign.invitation_ttl_days * 86_400_000
}

/// Erases a candidate's personal data on their request (administrators
/// only; `confirmed`: the box saying it cannot be undone was ticked).
pub async fn erase(store: &Store, caller: &Caller, campaign_id: &str, invitation_id: &str, confirmed: bool) -> RecruitResult<()> {
    if !caller.role.may_erase_candidates() {
        return Err(ServiceError::Forbidden);
    }
    let (_, row) = own_candidate(store, caller, campaign_id, invitation_id).await?;
    if row.erased_at.is_some() {
        return Err(ServiceError::Invalid("This candidate's personal data was erased already.".into()));
    }
    if !confirmed {
        return Err(ServiceError::Invalid("Please tick the box to confirm: erasing cannot be undone.".into()));
    }
    store.erase_candidate(&caller.org_id, &row.invitation_id, Actor::User(&caller.user_id), "request", now_ms()).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_address_always_has_the_same_key() {
        assert_eq!(email_key("ada@example.org"), email_key("ada@example.org"));
        assert_ne!(email_key("ada@example.org"), email_key("bob@example.org"));
        assert_eq!(email_key("ada@example.org").len(), 64);
    }
}
