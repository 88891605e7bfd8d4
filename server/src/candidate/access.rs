//! Access: the invitation link exchanged for an access cookie, the context
//! every candidate page reads (invitation, campaign, session, battery), the
//! checks of what time closes, and the start of a session once the
//! candidate has read the notice.

use std::sync::Arc;

use app::candidate::model::LinkProblem;
use sha2::{Digest, Sha256};

use super::error::CandidateError;
use crate::{
    catalog::{Catalog, CatalogEntry},
    secrets::{new_secret, secret_hash},
    store::{Actor, AuditEntry, Campaign, InvitationRow, NewSession, SessionRow, Store},
    time::now_ms,
};

/// How long a browser keeps access after opening its link (the invitation's expiry still applies).
pub(super) const ACCESS_DAYS: i64 = 30;

/// Everything the candidate pages need about one invitation.
pub struct Context {
    pub invitation: InvitationRow,
    pub campaign: Campaign,
    pub organisation: String,
    pub session: Option<SessionRow>,
    pub battery: Vec<Arc<CatalogEntry>>,
    /// When this browser's access (its cookie) runs out.
    pub access_expires_at: i64,
}

/// Exchanges an invitation token for a fresh access secret (for the cookie).
pub async fn open_link(store: &Store, token: &str) -> Result<(String, i64), CandidateError> {
    if token.len() < 16 || token.len() > 128 || !token.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(CandidateError::Link(LinkProblem::Unknown));
    }
    let invitation = store.invitation_by_token_hash(&secret_hash(token)).await?.ok_or(CandidateError::Link(LinkProblem::Unknown))?;
    check_invitation(&invitation)?;
    let secret = new_secret();
    let now = now_ms();
    let expires_at = (now + ACCESS_DAYS * 86_400_000).min(invitation.expires_at.max(now));
    store.create_candidate_access(&secret_hash(&secret), &invitation.org_id, &invitation.id, now, expires_at).await?;
    Ok((secret, expires_at))
}

pub(super) fn check_invitation(invitation: &InvitationRow) -> Result<(), CandidateError> {
    if invitation.status == "revoked" {
        return Err(CandidateError::Link(LinkProblem::Revoked));
    }
    if invitation.expires_at <= now_ms() {
        return Err(CandidateError::Link(LinkProblem::Expired));
    }
    Ok(())
}

/// Looks up the invitation behind an access secret.
pub async fn context(store: &Store, catalog: &Catalog, secret: Option<&str>) -> Result<Context, CandidateError> {
    let secret = secret.ok_or(CandidateError::Link(LinkProblem::Unknown))?;
    context_of_access(store, catalog, &secret_hash(secret)).await
}

/// [`context`] by the hash of the access secret.
pub(super) async fn context_of_access(store: &Store, catalog: &Catalog, access_hash: &str) -> Result<Context, CandidateError> {
    // One statement reads the access, invitation, session, campaign and organisation.
    let row = store.candidate_context(access_hash).await?.ok_or(CandidateError::Link(LinkProblem::Unknown))?;
    if row.access_expires_at <= now_ms() {
        return Err(CandidateError::Link(LinkProblem::Expired));
    }
    let invitation = row.invitation.ok_or(CandidateError::Link(LinkProblem::Unknown))?;
    crate::store::enter_organisation(&invitation.org_id);
    let session = row.session;
    // A finished candidate may still see their completion page after expiry.
    if session.as_ref().is_none_or(|s| s.status != "completed") {
        check_invitation(&invitation)?;
    }
    let campaign = row.campaign.ok_or(CandidateError::Link(LinkProblem::Unknown))?;
    let organisation = row.organisation_name.unwrap_or_default();
    let battery = battery(catalog, &campaign)?;
    Ok(Context { invitation, campaign, organisation, session, battery, access_expires_at: row.access_expires_at })
}

/// Whether a context read earlier still takes answers by the clock: access,
/// invitation and session deadline not run out, session started and not
/// finished (as far as this context knows; the database checks again).
pub fn still_open(ctx: &Context) -> Result<(), CandidateError> {
    if ctx.access_expires_at <= now_ms() {
        return Err(CandidateError::Link(LinkProblem::Expired));
    }
    check_invitation(&ctx.invitation)?;
    active_session(ctx).map(|_| ())
}

/// The bank versions of a campaign's battery.
pub fn battery(catalog: &Catalog, campaign: &Campaign) -> Result<Vec<Arc<CatalogEntry>>, CandidateError> {
    crate::battery::battery(catalog, campaign).map_err(|e| CandidateError::Misconfigured(e.0))
}

pub(super) fn active_session(ctx: &Context) -> Result<&SessionRow, CandidateError> {
    let session = ctx.session.as_ref().ok_or(CandidateError::NotStarted)?;
    if session.status == "completed" {
        return Err(CandidateError::Finished);
    }
    if session.deadline_at.is_some_and(|d| d <= now_ms()) {
        return Err(CandidateError::TimeUp);
    }
    Ok(session)
}

/// The candidate read the notice and chose to continue: the session starts.
pub async fn acknowledge(store: &Store, ctx: &Context) -> Result<(), CandidateError> {
    if ctx.session.is_some() {
        return Ok(());
    }
    let now = now_ms();
    let seed = i64::from_le_bytes(Sha256::digest(new_secret().as_bytes())[..8].try_into().unwrap_or([0; 8])) & i64::MAX;
    let session_id = store
        .start_session(&NewSession {
            org_id: &ctx.invitation.org_id,
            campaign_id: &ctx.campaign.id,
            invitation_id: &ctx.invitation.id,
            notice_version: crate::NOTICE_VERSION,
            language: &ctx.invitation.language,
            seed,
            deadline_at: ctx.campaign.time_limit_minutes.map(|m| now + m * 60_000),
        })
        .await?;
    store
        .audit(&AuditEntry {
            org_id: Some(&ctx.invitation.org_id),
            actor: Actor::Candidate,
            action: "candidate.acknowledged_notice",
            object_type: "session",
            object_id: Some(&session_id),
            detail: Some(serde_json::json!({ "notice_version": crate::NOTICE_VERSION }).to_string()),
        })
        .await?;
    Ok(())
}
