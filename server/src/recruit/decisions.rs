//! Decisions: a recruiter records their own decision and its reason
//! (appended, audited). Vigil records decisions; it never makes them.

use app::recruit::model::Decision;

use crate::{
    service_error::ServiceError,
    staff::Caller,
    store::Store,
    time::now_ms,
};

use super::access::{own_candidate, RecruitResult};

/// Longest decision reason.
pub const MAX_REASON_CHARS: usize = 2000;

/// Records the recruiter's decision with its reason (audited). Vigil never decides.
pub async fn decide(store: &Store, caller: &Caller, campaign_id: &str, invitation_id: &str, decision: &str, reason: &str) -> RecruitResult<()> {
    let (campaign, row) = own_candidate(store, caller, campaign_id, invitation_id).await?;
    let decision = Decision::parse(decision).ok_or_else(|| ServiceError::Invalid("Please choose advance, hold or decline.".into()))?;
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(ServiceError::Invalid("Please give a reason for the decision; it helps the candidate and your colleagues understand it.".into()));
    }
    if reason.chars().count() > MAX_REASON_CHARS {
        return Err(ServiceError::Invalid(format!("Please keep the reason under {MAX_REASON_CHARS} characters.")));
    }
    store.record_decision(&caller.org_id, &campaign.id, &row.invitation_id, decision.as_str(), reason, &caller.user_id, now_ms()).await?;
    Ok(())
}
