//! Calibration: estimating item parameters (a, b_k) of one scale's items
//! from a matrix of answers, by marginal maximum likelihood with the EM
//! algorithm of Bock & Aitkin (1981).
//!
//! The trait distribution of the calibration sample is fixed to N(0, 1)
//! (this sets the scale: theta is a z score in that sample) and approximated
//! on a grid of quadrature nodes. Each EM cycle
//! 1. (E-step) computes, for every respondent, the posterior over the nodes
//!    given their answers and the current parameters, and adds it up into
//!    "expected counts" `r_ikq`: how many people at node `q` are expected to
//!    have answered item `i` in category `k`;
//! 2. (M-step) for every item separately, maximises
//!    `sum_q sum_k r_ikq ln P_ik(theta_q)` over (a, b_1..b_{K-1}) by Fisher
//!    scoring (Newton's method with the expected information), halving steps
//!    that would unorder the thresholds or lower the likelihood.
//!
//! Missing answers (`None`) simply contribute nothing. EM is accelerated by
//! SQUAREM extrapolation (see [`CalibrationOptions::accelerate`]).
//!
//! Reported per item: a, b_k; standard errors from the item's block of the
//! cross-product (empirical) information `sum_p s_p s_p'` of the respondents'
//! score vectors at the solution (cross-item covariances ignored); and an
//! item-fit chi-square in the style of Yen's Q1: respondents are split into
//! 10 groups by their EAP theta, and each group's observed category counts
//! are compared with `N_g P_k(mean EAP of the group)`; degrees of freedom
//! `G (K - 1) - K`. It is known to be somewhat liberal (EAP thetas are
//! shrunk); use it to rank items for a closer look, not as a hard test.
//!
//! Bad input is refused with an [`IrtError`] before any computation: no
//! items, rows of different lengths, answers outside an item's categories,
//! an item nobody answered, a constant item (everybody chose the same
//! category), an item with an empty category (we do not silently collapse
//! categories: the bank's category count would no longer match `len(b) + 1`;
//! recode and recalibrate instead), and fewer respondents than parameters.
//! Sparse categories (fewer than 10 answers) give a warning.
//!
//! Files: [`types`] (options and results), [`data`] (the answer matrix and
//! its checks), [`em`] (the EM cycle and [`calibrate`]), [`mstep`] (one
//! item's Fisher scoring), [`fit`] (standard errors, item fit, recovery).

pub mod data;
pub mod em;
pub mod fit;
pub mod mstep;
pub mod types;

pub use em::{calibrate, calibrate_observed};
pub use fit::{recovery_rmse, rmse};
pub use types::{Calibration, CalibrationOptions, CalibrationWarning, ItemCalibration, ItemFit};

#[cfg(test)]
mod tests;
