//! The seam between the application and the server (feature `ssr` only).
//!
//! `app` cannot depend on `server` (Cargo forbids the cycle), so the server
//! implements these traits over its storage and puts an `Arc<dyn Services>`
//! into the Leptos context of every request. Server functions reach the rest
//! of Vigil only through here.

use std::sync::Arc;

use leptos::prelude::use_context;

use crate::{
    candidate::model::{AnswerDto, CandidateView, LinkProblem, SaveAck},
    AppError,
};

/// What the server reports about itself to a device check.
#[derive(Debug, Clone)]
pub struct ServerStatus {
    pub version: String,
    pub database_ok: bool,
}

#[async_trait::async_trait]
pub trait Services: Send + Sync + 'static {
    async fn status(&self) -> ServerStatus;

    /// Exchanges an invitation token for an access secret and its lifetime in seconds.
    async fn open_link(&self, token: String) -> Result<Result<(String, i64), LinkProblem>, AppError>;

    /// Saves answers from the browser's queue; confirms after commit.
    async fn save_answers(&self, secret: Option<String>, answers: Vec<AnswerDto>) -> Result<SaveAck, AppError>;

    /// The page the holder of an access secret sees.
    async fn candidate_view(&self, secret: Option<String>, page: Option<u32>) -> Result<Result<CandidateView, LinkProblem>, AppError>;
}

/// The services of the current request, or an internal error if the server
/// forgot to provide them (never a panic: routes are also generated without them).
pub fn services() -> Result<Arc<dyn Services>, AppError> {
    use_context::<Arc<dyn Services>>().ok_or_else(|| {
        tracing::error!("Services missing from the Leptos context");
        AppError::Internal { reference: "no-services".into() }
    })
}
