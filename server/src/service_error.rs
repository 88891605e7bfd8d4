//! The one error type of the staff-facing service layer (recruiting and
//! staff administration), mapped once to the client-safe [`AppError`]:
//! refusals keep their words, our own failures are logged with a reference.

use app::AppError;

use crate::{battery::BatteryError, internal::internal, recruit::csv_import::FileError, store::StoreError};

#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    #[error("not available for this role")]
    Forbidden,
    #[error("not found")]
    NotFound,
    #[error("{0}")]
    Invalid(String),
    #[error(transparent)]
    File(#[from] FileError),
    #[error("this cannot be used: {0}")]
    Misconfigured(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl ServiceError {
    /// The client-safe error; internal causes are logged with a reference.
    pub fn into_app(self) -> AppError {
        match self {
            ServiceError::Forbidden => AppError::Forbidden,
            ServiceError::NotFound => AppError::NotFound,
            ServiceError::Invalid(msg) | ServiceError::Store(StoreError::Conflict(msg)) => AppError::BadRequest(msg),
            ServiceError::File(e) => AppError::BadRequest(e.to_string()),
            e @ (ServiceError::Misconfigured(_) | ServiceError::Store(_)) => internal(e),
        }
    }
}

impl From<BatteryError> for ServiceError {
    fn from(e: BatteryError) -> Self {
        ServiceError::Misconfigured(e.to_string())
    }
}
