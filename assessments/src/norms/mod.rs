//! Norm tables and derived scores (PSYCHOMETRICS.md section 3).
//!
//! A norm table describes how a *norm group* scored on each scale of one
//! bank version: N, mean, SD, reliability, and a percentile table. From it a
//! raw score becomes a z score, a percentile rank, a normalised z, T, sten
//! and stanine, each with its 90% band.
//!
//! [`table`]: the file and its checks; [`derived`]: the formulas from a raw
//! score to T, percentile, sten and stanine with bands; [`build`]: a new
//! table from collected sessions.

pub mod build;
pub mod derived;
pub mod describe;
pub mod table;

pub use build::*;
pub use derived::*;
pub use table::*;

#[cfg(test)]
mod tests;
