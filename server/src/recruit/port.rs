//! The server's side of `app::recruit::ports::RecruitServices`: each method
//! maps the caller, calls one function of this module and maps its error.

use app::{
    recruit::model::{BankOption, CampaignDetail, CampaignPage, CandidateQuery, CandidateRow, OutboxPage, OutboxQuery, Profile},
    staff::model::StaffMe,
    AppError,
};
use async_trait::async_trait;

use crate::{
    catalog::Catalog,
    service_error::ServiceError,
    staff::Caller,
    store::Store,
};

pub struct RecruitPort {
    pub store: Store,
    pub catalog: Catalog,
}

#[async_trait]
impl app::recruit::ports::RecruitServices for RecruitPort {
    async fn campaigns(&self, me: &StaffMe, after: Option<String>) -> Result<CampaignPage, AppError> {
        super::campaigns(&self.store, &self.catalog, &Caller::from(me), after.as_deref()).await.map_err(ServiceError::into_app)
    }

    async fn bank_options(&self, me: &StaffMe) -> Result<Vec<BankOption>, AppError> {
        super::offered_banks(&self.store, &self.catalog, &Caller::from(me)).await.map_err(ServiceError::into_app)
    }

    async fn campaign(&self, me: &StaffMe, campaign_id: &str, query: &CandidateQuery) -> Result<(CampaignDetail, Vec<CandidateRow>), AppError> {
        super::campaign_page(&self.store, &self.catalog, &Caller::from(me), campaign_id, query).await.map_err(ServiceError::into_app)
    }

    async fn profile(&self, me: &StaffMe, campaign_id: &str, invitation_id: &str) -> Result<Profile, AppError> {
        super::profile(&self.store, &self.catalog, &Caller::from(me), campaign_id, invitation_id, "profile.viewed").await.map_err(ServiceError::into_app)
    }

    async fn compare(&self, me: &StaffMe, campaign_id: &str, invitation_ids: &[String]) -> Result<Vec<Profile>, AppError> {
        super::compare(&self.store, &self.catalog, &Caller::from(me), campaign_id, invitation_ids).await.map_err(ServiceError::into_app)
    }

    async fn outbox(&self, me: &StaffMe, query: OutboxQuery) -> Result<OutboxPage, AppError> {
        super::outbox(&self.store, &Caller::from(me), &query).await.map_err(ServiceError::into_app)
    }
}
