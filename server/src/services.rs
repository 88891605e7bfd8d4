//! The server's implementation of the application's ports (`app::ports`).

use app::{
    candidate::{
        model::{AnswerDto, CandidateView, LinkProblem, SaveAck},
    },
    AppError,
};
use async_trait::async_trait;

use crate::{
    candidate::{self, CandidateError},
    candidate::cache::ContextCache,
    catalog::Catalog,
    store::Store,
    time::now_ms,
};

/// What server functions can reach, backed by the store and the bank catalog.
pub struct AppServices {
    pub store: Store,
    pub catalog: Catalog,
    /// Candidate contexts reused by answer saves.
    pub contexts: ContextCache,
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
            Err(e) => Err(e.into_app()),
        }
    }

    async fn save_answers(&self, secret: Option<String>, answers: Vec<AnswerDto>) -> Result<SaveAck, AppError> {
        if answers.is_empty() || answers.len() > 400 {
            return Err(AppError::BadRequest("send between 1 and 400 answers at a time".into()));
        }
        match candidate::save_for_access(&self.store, &self.catalog, &self.contexts, secret.as_deref(), &answers).await {
            Ok(saved) => Ok(SaveAck { acked_seq: answers.iter().map(|a| a.seq).max().unwrap_or(0), stored: saved.stored as u32, next: saved.next }),
            Err(e) => Err(e.into_app()),
        }
    }

    async fn candidate_view(&self, secret: Option<String>, page: Option<u32>) -> Result<Result<CandidateView, LinkProblem>, AppError> {
        let result = candidate::view_for_access(&self.store, &self.catalog, &self.contexts, secret.as_deref(), page).await;
        match result {
            Ok(view) => Ok(Ok(view)),
            Err(CandidateError::Link(problem)) => Ok(Err(problem)),
            Err(e) => Err(e.into_app()),
        }
    }
}
