//! The one error type of the integration API and its RFC 9457 form
//! (`application/problem+json`). Each kind of problem has a stable `type`
//! (documented at `/api/docs#problems`), so a client can act on it without
//! reading the words; our own failures are logged with a reference and
//! shown only as that reference.

use serde::Serialize;

use crate::{service_error::ServiceError, store::StoreError};

/// What went wrong with an API request.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("no API key, or not one Vigil knows")]
    Unauthenticated,
    #[error("this API key was revoked")]
    Revoked,
    #[error("this API key has expired; ask an administrator for a new one")]
    Expired,
    #[error("this API key does not have the scope {0}")]
    MissingScope(&'static str),
    #[error("not found")]
    NotFound,
    /// A field (JSON pointer-like name) and what is wrong with it.
    #[error("{field}: {detail}")]
    Invalid { field: String, detail: String },
    #[error("the request body is not valid JSON for this operation: {0}")]
    MalformedBody(String),
    #[error("the request body is larger than {0} bytes")]
    TooLarge(usize),
    #[error("{0}")]
    Conflict(String),
    #[error("this Idempotency-Key was used for a different request")]
    IdempotencyMismatch,
    #[error("a request with this Idempotency-Key is still under way")]
    IdempotencyInProgress,
    #[error("too many requests for this API key")]
    RateLimited { retry_after_secs: u64 },
    #[error(transparent)]
    Internal(#[from] InternalCause),
}

/// A failure of ours: logged, never shown.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct InternalCause(pub String);

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> ApiError {
        match e {
            StoreError::NotFound => ApiError::NotFound,
            StoreError::Conflict(message) => ApiError::Conflict(message),
            other => ApiError::Internal(InternalCause(other.to_string())),
        }
    }
}

impl From<ServiceError> for ApiError {
    fn from(e: ServiceError) -> ApiError {
        match e {
            ServiceError::Forbidden | ServiceError::NotFound => ApiError::NotFound,
            ServiceError::Invalid(detail) => ApiError::Conflict(detail),
            ServiceError::File(e) => ApiError::Invalid { field: "file".into(), detail: e.to_string() },
            ServiceError::Store(e) => e.into(),
            other @ ServiceError::Misconfigured(_) => ApiError::Internal(InternalCause(other.to_string())),
        }
    }
}

/// An RFC 9457 problem document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct Problem {
    /// Stable identifier of the kind of problem (a link to its description).
    #[serde(rename = "type")]
    pub kind: String,
    /// The kind of problem in a few words (the same for every occurrence).
    pub title: String,
    /// The HTTP status code.
    pub status: u16,
    /// What went wrong this time, in words.
    pub detail: String,
    /// The request field at fault, where one is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// Quote this to support for a failure on our side.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
}

/// The kinds of problem: (slug, HTTP status, title). The `type` of each is
/// `/api/docs#problem-<slug>`.
pub const PROBLEMS: &[(&str, u16, &str)] = &[
    ("unauthenticated", 401, "Missing or unknown API key"),
    ("key-revoked", 401, "API key revoked"),
    ("key-expired", 401, "API key expired"),
    ("missing-scope", 403, "The API key lacks a scope"),
    ("not-found", 404, "Not found"),
    ("validation", 422, "A field is not valid"),
    ("malformed-body", 400, "Malformed request body"),
    ("too-large", 413, "Request body too large"),
    ("conflict", 409, "Conflicts with the current state"),
    ("idempotency-mismatch", 409, "Idempotency-Key reused for a different request"),
    ("idempotency-in-progress", 409, "Idempotency-Key still under way"),
    ("rate-limited", 429, "Too many requests"),
    ("internal", 500, "Something went wrong on our side"),
];

/// The problem type for a slug.
pub fn problem_type(slug: &str) -> String {
    format!("/api/docs#problem-{slug}")
}

impl ApiError {
    fn slug(&self) -> &'static str {
        match self {
            ApiError::Unauthenticated => "unauthenticated",
            ApiError::Revoked => "key-revoked",
            ApiError::Expired => "key-expired",
            ApiError::MissingScope(_) => "missing-scope",
            ApiError::NotFound => "not-found",
            ApiError::Invalid { .. } => "validation",
            ApiError::MalformedBody(_) => "malformed-body",
            ApiError::TooLarge(_) => "too-large",
            ApiError::Conflict(_) => "conflict",
            ApiError::IdempotencyMismatch => "idempotency-mismatch",
            ApiError::IdempotencyInProgress => "idempotency-in-progress",
            ApiError::RateLimited { .. } => "rate-limited",
            ApiError::Internal(_) => "internal",
        }
    }

    /// The problem document to send (an internal cause is logged here, with
    /// the reference the document carries).
    pub fn problem(&self) -> Problem {
        let slug = self.slug();
        let (status, title) = PROBLEMS.iter().find(|(s, _, _)| *s == slug).map(|(_, status, title)| (*status, *title)).unwrap_or((500, "Error"));
        let (detail, field, reference) = match self {
            ApiError::Invalid { field, detail } => (detail.clone(), Some(field.clone()), None),
            ApiError::Internal(cause) => {
                let reference = crate::store::new_id()[..8].to_string();
                tracing::error!(reference = %reference, error = %cause, "API request failed");
                (format!("Please try again in a moment. If it keeps happening, quote reference {reference}."), None, Some(reference))
            }
            other => (other.to_string(), None, None),
        };
        Problem { kind: problem_type(slug), title: title.to_string(), status, detail, field, reference }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_error_has_a_documented_problem_type_and_status() {
        let errors = [
            ApiError::Unauthenticated,
            ApiError::Revoked,
            ApiError::Expired,
            ApiError::MissingScope("results:read"),
            ApiError::NotFound,
            ApiError::Invalid { field: "email".into(), detail: "not an address".into() },
            ApiError::MalformedBody("x".into()),
            ApiError::TooLarge(10),
            ApiError::Conflict("x".into()),
            ApiError::IdempotencyMismatch,
            ApiError::IdempotencyInProgress,
            ApiError::RateLimited { retry_after_secs: 3 },
            ApiError::Internal(InternalCause("disk full".into())),
        ];
        for e in &errors {
            let p = e.problem();
            assert!(PROBLEMS.iter().any(|(slug, status, _)| p.kind == problem_type(slug) && p.status == *status), "{e:?}");
        }
        let invalid = errors[5].problem();
        assert_eq!((invalid.status, invalid.field.as_deref()), (422, Some("email")));
        let internal = errors[12].problem();
        assert!(!internal.detail.contains("disk full"), "the cause stays in the log");
        assert!(internal.reference.is_some_and(|r| internal.detail.contains(&r)));
    }
}
