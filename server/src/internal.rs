//! Our own failures: the cause is logged once, with a short reference, and
//! only the reference reaches the person (no SQL, no paths, no internals).

use app::AppError;

/// Logs an internal failure once and gives the user only a reference.
pub fn internal(e: impl std::fmt::Display) -> AppError {
    AppError::Internal { reference: logged_reference(e) }
}

/// Logs an internal error's cause once and returns the short reference a
/// person can quote (the cause itself is never shown).
pub fn logged_reference(e: impl std::fmt::Display) -> String {
    let reference = uuid::Uuid::new_v4().simple().to_string()[..8].to_string();
    tracing::error!(%reference, error = %e, "internal error");
    reference
}
