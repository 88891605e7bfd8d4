//! The seam between the application and the server (feature `ssr` only).
//!
//! `app` cannot depend on `server` (Cargo forbids the cycle), so the server
//! implements these traits over its storage and puts an `Arc<dyn Services>`
//! into the Leptos context of every request. Server functions reach the rest
//! of Vigil only through here.

use std::sync::Arc;

use leptos::prelude::use_context;

use crate::AppError;

/// What the server reports about itself to a device check.
#[derive(Debug, Clone)]
pub struct ServerStatus {
    pub version: String,
    pub database_ok: bool,
}

#[async_trait::async_trait]
pub trait Services: Send + Sync + 'static {
    async fn status(&self) -> ServerStatus;
}

/// The services of the current request, or an internal error if the server
/// forgot to provide them (never a panic: routes are also generated without them).
pub fn services() -> Result<Arc<dyn Services>, AppError> {
    use_context::<Arc<dyn Services>>().ok_or_else(|| {
        tracing::error!("Services missing from the Leptos context");
        AppError::Internal { reference: "no-services".into() }
    })
}
