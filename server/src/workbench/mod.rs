//! The psychologist's workbench for instruments: the library of versions
//! ([`library`]) and drafts edited in the browser until they are published
//! as new immutable versions ([`drafts`]). Psychologists and
//! administrators only; every query is scoped to the caller's
//! organisation, so another organisation's draft or version is "not found".
//! The rules of the bank format, its versions and its texts live in
//! `assessments::bank`; this layer stores, checks the caller and records.

pub mod drafts;
pub mod library;
pub mod norms;
pub mod review;

use crate::{catalog::Catalog, service_error::ServiceError, staff::Caller, store::StoreError};

/// `(instrument@version, title)` of the organisation's bank versions that
/// report per person (what norm building and fairness checks choose from), sorted.
pub fn person_level_versions(catalog: &Catalog, org_id: &str) -> Vec<(String, String)> {
    let mut banks: Vec<(String, String)> = catalog
        .entries_for(org_id)
        .iter()
        .filter(|e| e.bank.reports_individuals())
        .map(|e| (format!("{}@{}", e.bank.id(), e.bank.version()), format!("{} {}", e.bank.file().instrument.title.get("en").cloned().unwrap_or_default(), e.bank.version())))
        .collect();
    banks.sort();
    banks
}

/// The largest bank text an upload or a save may have.
pub const MAX_BANK_BYTES: usize = 2 * 1024 * 1024;

pub(crate) fn require_author(caller: &Caller) -> Result<(), ServiceError> {
    if caller.role.may_analyse() {
        Ok(())
    } else {
        Err(ServiceError::Forbidden)
    }
}

/// A record that is not the caller's organisation's is not found.
fn found(e: StoreError) -> ServiceError {
    match e {
        StoreError::NotFound => ServiceError::NotFound,
        other => ServiceError::Store(other),
    }
}

/// What stands between a draft and publishing (the same list everywhere).
pub use assessments::bank::Problems;
