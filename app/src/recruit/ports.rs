//! The recruiter side of the seam (feature `ssr` only). The server provides
//! an `Arc<dyn RecruitServices>` in the Leptos context. Every method takes
//! the signed-in caller, checks the role and scopes every read to the
//! caller's organisation: another organisation's campaign or candidate is
//! `NotFound`, never `Forbidden`.

use std::sync::Arc;

use leptos::prelude::use_context;

use super::model::{BankOption, CampaignDetail, CampaignPage, CandidateQuery, CandidateRow, OutboxPage, OutboxQuery, Profile};
use crate::{staff::model::StaffMe, AppError};

#[async_trait::async_trait]
pub trait RecruitServices: Send + Sync + 'static {
    /// The campaigns of the caller's organisation, newest first.
    async fn campaigns(&self, me: &StaffMe, after: Option<String>) -> Result<CampaignPage, AppError>;

    /// The published bank versions (with their norm tables) a new campaign may use.
    async fn bank_options(&self, me: &StaffMe) -> Result<Vec<BankOption>, AppError>;

    /// A campaign (battery, norm groups, status counts) and its candidates,
    /// filtered and sorted.
    async fn campaign(&self, me: &StaffMe, campaign_id: &str, query: &CandidateQuery) -> Result<(CampaignDetail, Vec<CandidateRow>), AppError>;

    /// A candidate's profile; the view is written to the audit log.
    async fn profile(&self, me: &StaffMe, campaign_id: &str, invitation_id: &str) -> Result<Profile, AppError>;

    /// Up to `MAX_COMPARE` profiles of one campaign; the comparison is audited.
    async fn compare(&self, me: &StaffMe, campaign_id: &str, invitation_ids: &[String]) -> Result<Vec<Profile>, AppError>;

    /// A page of the organisation's outbox, newest first.
    async fn outbox(&self, me: &StaffMe, query: OutboxQuery) -> Result<OutboxPage, AppError>;
}

/// The recruiter services of the current request (never a panic; see `crate::ports::services`).
pub fn recruit_services() -> Result<Arc<dyn RecruitServices>, AppError> {
    use_context::<Arc<dyn RecruitServices>>().ok_or_else(|| {
        tracing::error!("RecruitServices missing from the Leptos context");
        AppError::Internal { reference: "no-recruit-services".into() }
    })
}
