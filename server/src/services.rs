//! The server's implementation of the application's ports (`app::ports`).

use app::{
    candidate::model::{CandidateView, LinkProblem},
    AppError,
};
use async_trait::async_trait;

use crate::{
    candidate::{self, CandidateError},
    catalog::Catalog,
    store::Store,
    time::now_ms,
};

/// What server functions can reach, backed by the store and the bank catalog.
pub struct AppServices {
    pub store: Store,
    pub catalog: Catalog,
}

/// Logs an internal failure once and gives the user only a reference.
pub fn internal(e: impl std::fmt::Display) -> AppError {
    let reference = uuid::Uuid::new_v4().simple().to_string()[..8].to_string();
    tracing::error!(%reference, error = %e, "internal error");
    AppError::Internal { reference }
}

#[async_trait]
impl app::ports::Services for AppServices {
    async fn status(&self) -> app::ports::ServerStatus {
        app::ports::ServerStatus { version: crate::VERSION.to_string(), database_ok: self.store.ping().await }
    }

    async fn open_link(&self, token: String) -> Result<Result<(String, i64), LinkProblem>, AppError> {
        match candidate::open_link(&self.store, &token).await {
            Ok((secret, expires_at)) => Ok(Ok((secret, ((expires_at - now_ms()) / 1000).max(0)))),
            Err(CandidateError::Link(problem)) => Ok(Err(problem)),
            Err(e) => Err(internal(e)),
        }
    }

    async fn candidate_view(&self, secret: Option<String>, page: Option<u32>) -> Result<Result<CandidateView, LinkProblem>, AppError> {
        let result = async {
            let ctx = candidate::context(&self.store, &self.catalog, secret.as_deref()).await?;
            candidate::view(&self.store, &ctx, page).await
        }
        .await;
        match result {
            Ok(view) => Ok(Ok(view)),
            Err(CandidateError::Link(problem)) => Ok(Err(problem)),
            Err(e) => Err(internal(e)),
        }
    }
}
