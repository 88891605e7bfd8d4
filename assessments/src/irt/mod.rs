//! Item response theory (PSYCHOMETRICS.md section 5): Samejima's graded
//! response model, person estimation, person fit and calibration.
//!
//! The engine works on plain types: items are [`grm::GrmItem`] (a, b), and
//! answers are category indices `0..K` with `None` for "not answered". The
//! bank layer maps its own answers (e.g. Likert 1..5, reverse keying) onto
//! these indices before calling in.
//!
//! Entry points:
//! - [`grm`]: category probabilities, information, log-likelihood;
//! - [`quadrature`]: the theta grid with its N(0,1) prior weights;
//! - [`estimate`]: EAP and MAP person scores;
//! - [`person_fit`]: lz and lz* for a response pattern;
//! - [`calibrate`]: MML-EM estimation of item parameters from a response matrix;
//! - [`sim`]: a seeded GRM simulator for tests and simulation studies.

pub mod calibrate;
pub mod estimate;
pub mod grm;
pub mod person_fit;
pub mod quadrature;
pub mod sim;

/// Everything that can go wrong in the IRT layer, worded for the person
/// who has to fix the input.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum IrtError {
    #[error("item {item}: discrimination a = {a} must be a finite number above 0")]
    InvalidDiscrimination { item: usize, a: f64 },
    #[error("item {item}: a graded item needs at least one threshold (two categories)")]
    NoThresholds { item: usize },
    #[error("item {item}: thresholds must be finite numbers")]
    NonFiniteThreshold { item: usize },
    #[error("item {item}: thresholds {b:?} must be strictly increasing")]
    UnorderedThresholds { item: usize, b: Vec<f64> },
    #[error("IRT parameters are given for only some items of the scale (missing for items {missing:?} of {total}); give them for all items or for none")]
    PartialParameters { missing: Vec<usize>, total: usize },
    #[error("{answers} answers were given for {items} items")]
    LengthMismatch { items: usize, answers: usize },
    #[error("item {item}: answer category {category} is outside 0..{categories}")]
    CategoryOutOfRange {
        item: usize,
        category: usize,
        categories: usize,
    },
    #[error("quadrature needs at least 2 nodes on a finite interval lo < hi (got {nodes} on [{lo}, {hi}])")]
    InvalidQuadrature { nodes: usize, lo: f64, hi: f64 },
    #[error("person fit needs at least {needed} answered items (got {answered})")]
    TooFewItemsForPersonFit { answered: usize, needed: usize },
    #[error("the response matrix has no items")]
    NoItems,
    #[error("row {row} has {got} answers; the matrix has {expected} items")]
    RaggedMatrix {
        row: usize,
        got: usize,
        expected: usize,
    },
    #[error("item {item}: every respondent gave the same answer ({category}); a constant item carries no information and cannot be calibrated")]
    ConstantItem { item: usize, category: usize },
    #[error("item {item}: nobody answered in category {category} of 0..{categories}; recode (merge it with a neighbour) before calibrating")]
    EmptyCategory {
        item: usize,
        category: usize,
        categories: usize,
    },
    #[error("item {item}: nobody answered this item")]
    UnansweredItem { item: usize },
    #[error("{respondents} respondents are too few to estimate {parameters} item parameters")]
    TooFewRespondents {
        respondents: usize,
        parameters: usize,
    },
    #[error("calibration produced a non-finite value for item {item}; the data do not identify this item")]
    NonFinite { item: usize },
    #[error("the calibration was cancelled after {cycles} EM cycles")]
    Cancelled { cycles: usize },
}
