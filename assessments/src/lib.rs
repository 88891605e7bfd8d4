//! Vigil's psychometric core.
//!
//! Everything a score means is computed here, following
//! `PSYCHOMETRICS.md` (copied into `docs/psychometrics.md`). The crate is
//! pure: no web, no database, no async, no clock, no global randomness. The
//! same inputs (bank, answers, seed) always give the same outputs, which is
//! what lets the server reproduce any stored score bit for bit.

/// Version of the scoring engine, stored with every score as provenance.
pub const ENGINE_VERSION: &str = env!("CARGO_PKG_VERSION");

// Classical side (PSYCHOMETRICS.md sections 1-4 and 7).
pub mod bank;
// Fairness between groups: adverse impact, standardised differences, MH DIF.
pub mod fairness;
pub mod feedback;
pub mod item_review;
pub mod norms;
pub mod reliability;
pub mod responses;
pub mod scored_session;
pub mod scoring;
pub mod simulate;
pub mod stats;
pub mod validity;
pub mod workforce;

// Item response theory and adaptive testing (sections 5-6).
pub mod cat;
pub mod irt;
// Bank <-> IRT/CAT bridge: categories, per-scale GRM items, EAP scoring, pools.
pub mod adaptive;
// The primary score per scale (CTT or IRT, by one rule), normed, with its band.
pub mod primary;

// Pure functions behind the `vigil bank|analyze|score|norms|calibrate|cat` commands.
pub mod commands;
// The numbers of an instrument version's technical report.
pub mod technical;
