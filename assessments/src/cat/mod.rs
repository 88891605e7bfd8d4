//! Computerised adaptive testing (PSYCHOMETRICS.md section 6).
//!
//! The engine is organised like catsim's split, as small pure pieces:
//! - *model*: the GRM of [`crate::irt::grm`], precompiled for a pool
//!   ([`CatPool`]: log-probability tables and an information grid);
//! - *estimation*: EAP on the 61-node grid after every answer;
//! - *selection*: maximum Fisher information at the current EAP among the
//!   eligible items, with content balancing by facet and exposure control
//!   (randomesque top-k and Sympson-Hetter);
//! - *stopping*: SE <= target (default 0.30) once the minimum number of
//!   items is reached, or the maximum number of items, or an exhausted pool.
//!
//! Several scales run side by side, interleaved round-robin over the scales
//! that have not stopped, into one sequence the candidate sees.
//!
//! **Determinism.** A session is a pure state machine: given the pool, the
//! configuration, the seed and the answers so far, the next item is always
//! the same. Every random choice (randomesque pick, Sympson-Hetter draw) comes
//! from a `ChaCha8Rng` seeded by a hash of (seed, scale, step within scale),
//! so a server can rebuild a session after a crash by replaying the answers
//! ([`replay`] / [`next_step`]).
//!
//! **Trace.** Every step records the item, the answer, and theta and SE after
//! the answer; each scale records the rule that stopped it.
//!
//! Files: [`pool`] (the model, precompiled), [`config`], [`estimation`],
//! [`selection`], [`exposure`], [`stopping`], [`session`] (the state
//! machine, its replay and the pure step), [`outcome`] (what a session
//! reports), [`error`]; [`study`] runs simulation studies over them.

pub mod config;
pub mod error;
pub mod estimation;
pub mod exposure;
pub mod outcome;
pub mod pool;
pub mod selection;
pub mod session;
pub mod stopping;
pub mod study;

pub use config::CatConfig;
pub use error::CatError;
pub use exposure::step_seed;
pub use outcome::{Answer, CatStatus, ScaleOutcome, StopReason, TraceStep};
pub use pool::{CatPool, PoolItem};
pub use session::{next_step, replay, CatProgress, CatSession};

#[cfg(test)]
mod tests;
