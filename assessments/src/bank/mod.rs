//! Item banks: the TOML file format of `docs/bank-format.md`, its validation,
//! and the canonical content hash that makes a published bank immutable.
//!
//! A bank file is read in three steps:
//! 1. [`BankFile`] is deserialised from the TOML text (syntax and type errors
//!    name the file and line);
//! 2. [`validate`] checks the rules a psychologist relies on (every item
//!    belongs to a declared scale, keys and thresholds make sense, every text
//!    exists in every declared language, ...) and names file, line and item;
//! 3. [`Bank`] indexes the validated content for fast scoring.
//!
//! Norm-table files (see [`crate::norms`]) are part of this layer and report
//! their problems with the same [`BankError`].
//!
//! Files: [`format`] (the serde types), [`validate`], [`hash`] (canonical
//! content hash), [`index`] ([`Bank`]), [`error`] (problems with their
//! lines), [`edit`] (changes to a draft's text), [`changes`] (what a
//! draft changed and its next version), [`translations`] (texts as a
//! translation table).

pub mod changes;
pub mod edit;
pub mod error;
pub mod format;
pub mod hash;
pub mod index;
pub mod problems;
pub mod translations;
pub mod validate;

pub use error::{BankError, Issue};
pub(crate) use error::{find_header_line, find_key_line, syntax_error};
pub use format::*;
pub use hash::{bank_content_hash, canonical_text, content_hash_of_value, NOT_HASHED};
pub use index::{Bank, ItemInfo};
pub use problems::Problems;
pub(crate) use validate::is_valid_id;
pub use validate::{cat_settings_problems, grm_problems, validate};

#[cfg(test)]
pub(crate) mod tests;
