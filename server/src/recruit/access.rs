//! What every recruiter function starts with: the role check, the
//! caller's own campaign or candidate (another organisation's is "not
//! found"), the result type of this layer (its error is
//! [`ServiceError`]), and a candidate's status.

use app::recruit::model::{CandidateStatus, StatusCounts};

use crate::{
    service_error::ServiceError,
    staff::Caller,
    store::{Campaign, CandidateStateRow, Store},
};

pub type RecruitResult<T> = Result<T, ServiceError>;

pub(super) fn require_recruiter(caller: &Caller) -> RecruitResult<()> {
    if caller.role.may_recruit() {
        Ok(())
    } else {
        Err(ServiceError::Forbidden)
    }
}

/// A campaign of the caller's organisation, or `NotFound`.
pub(super) async fn own_campaign(store: &Store, caller: &Caller, campaign_id: &str) -> RecruitResult<Campaign> {
    require_recruiter(caller)?;
    store.campaign(&caller.org_id, campaign_id).await?.ok_or(ServiceError::NotFound)
}

/// A candidate of one of the caller's campaigns, or `NotFound`.
pub(super) async fn own_candidate(store: &Store, caller: &Caller, campaign_id: &str, invitation_id: &str) -> RecruitResult<(Campaign, CandidateStateRow)> {
    let campaign = own_campaign(store, caller, campaign_id).await?;
    let row = store.campaign_candidate(&caller.org_id, &campaign.id, invitation_id).await?.ok_or(ServiceError::NotFound)?;
    Ok((campaign, row))
}

/// Where a candidate stands: completed beats everything; a withdrawn
/// invitation is revoked; a link or time limit that ran out before the end
/// is expired; a session begun is started; otherwise invited.
pub fn candidate_status(row: &CandidateStateRow, now: i64) -> CandidateStatus {
    let session = row.session_status.as_deref();
    if session == Some("completed") {
        return CandidateStatus::Completed;
    }
    if row.invitation_status == "revoked" {
        return CandidateStatus::Revoked;
    }
    let link_ran_out = row.expires_at <= now;
    let time_ran_out = row.deadline_at.is_some_and(|d| d <= now);
    match session {
        Some("expired") => CandidateStatus::Expired,
        Some(_) if link_ran_out || time_ran_out => CandidateStatus::Expired,
        Some(_) => CandidateStatus::Started,
        None if link_ran_out => CandidateStatus::Expired,
        None => CandidateStatus::Invited,
    }
}

/// The count of one status.
fn slot(counts: &mut StatusCounts, status: CandidateStatus) -> &mut u32 {
    match status {
        CandidateStatus::Invited => &mut counts.invited,
        CandidateStatus::Started => &mut counts.started,
        CandidateStatus::Completed => &mut counts.completed,
        CandidateStatus::Expired => &mut counts.expired,
        CandidateStatus::Revoked => &mut counts.revoked,
    }
}

/// Adds `n` candidates in `status` to the counts.
pub(super) fn add(counts: &mut StatusCounts, status: CandidateStatus, n: u32) {
    *slot(counts, status) += n;
}

/// How many candidates are in `status`.
pub(super) fn count_of(counts: &StatusCounts, status: CandidateStatus) -> u32 {
    *slot(&mut counts.clone(), status)
}

/// What lists and profiles call a candidate: their name, or that it was erased.
pub(super) fn shown_name(row: &CandidateStateRow) -> String {
    if row.erased_at.is_some() {
        ERASED_NAME.to_string()
    } else {
        row.name.clone().unwrap_or_default()
    }
}

/// The name shown for a candidate whose personal data was erased.
pub const ERASED_NAME: &str = "Personal data erased";

#[cfg(test)]
mod tests {
    use super::*;

    fn row(invitation_status: &str, expires_at: i64, session_status: Option<&str>, deadline_at: Option<i64>) -> CandidateStateRow {
        CandidateStateRow {
            invitation_id: "i".into(),
            campaign_id: "c".into(),
            invitation_status: invitation_status.into(),
            expires_at,
            language: "en".into(),
            invited_at: 0,
            name: None,
            email: None,
            session_id: session_status.map(|_| "s".into()),
            session_status: session_status.map(str::to_string),
            deadline_at,
            completed_at: None,
            erased_at: None,
            auto_reminded_at: None,
            external_id: None,
        }
    }

    #[test]
    fn status_follows_the_invitation_and_the_session() {
        let now = 1_000;
        assert_eq!(candidate_status(&row("active", 2_000, None, None), now), CandidateStatus::Invited);
        assert_eq!(candidate_status(&row("active", 500, None, None), now), CandidateStatus::Expired);
        assert_eq!(candidate_status(&row("active", 2_000, Some("in_progress"), None), now), CandidateStatus::Started);
        assert_eq!(candidate_status(&row("active", 2_000, Some("in_progress"), Some(900)), now), CandidateStatus::Expired);
        assert_eq!(candidate_status(&row("active", 500, Some("in_progress"), None), now), CandidateStatus::Expired);
        assert_eq!(candidate_status(&row("revoked", 2_000, Some("in_progress"), None), now), CandidateStatus::Revoked);
        // Completion stands, whatever happened to the link afterwards.
        assert_eq!(candidate_status(&row("revoked", 500, Some("completed"), Some(1)), now), CandidateStatus::Completed);
    }
}
