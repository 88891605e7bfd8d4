//! The staff side of the seam (feature `ssr` only): kept apart from
//! `crate::ports::Services` so the candidate and staff areas grow without
//! touching each other. The server provides an `Arc<dyn StaffServices>` in
//! the Leptos context next to `Arc<dyn Services>`.

use std::sync::Arc;

use leptos::prelude::use_context;

use super::model::{AuditFilter, AuditPage, StaffMe, UserSummary};
use crate::AppError;

#[async_trait::async_trait]
pub trait StaffServices: Send + Sync + 'static {
    /// The staff member signed in with this request's session cookie, after
    /// the idle and absolute timeouts are checked; `Unauthenticated` otherwise.
    async fn whoami(&self, headers: &http::HeaderMap) -> Result<StaffMe, AppError>;

    /// The users of the caller's organisation (admins only).
    async fn users(&self, me: &StaffMe) -> Result<Vec<UserSummary>, AppError>;

    /// One page of the caller's organisation's audit log (admins only).
    async fn audit(&self, me: &StaffMe, filter: AuditFilter) -> Result<AuditPage, AppError>;
}

/// The staff services of the current request (never a panic; see `crate::ports::services`).
pub fn staff_services() -> Result<Arc<dyn StaffServices>, AppError> {
    use_context::<Arc<dyn StaffServices>>().ok_or_else(|| {
        tracing::error!("StaffServices missing from the Leptos context");
        AppError::Internal { reference: "no-staff-services".into() }
    })
}
