//! Item response theory (PSYCHOMETRICS.md section 5): Samejima's graded
//! response model, person estimation, person fit and calibration.

pub mod grm;
