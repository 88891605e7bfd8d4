//! What calibration takes and gives: its options, each item's parameters
//! with standard errors and fit, the whole result; and the bounds it keeps.

use crate::irt::grm::GrmItem;

/// Settings for [`calibrate`].
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct CalibrationOptions {
    /// Number of quadrature nodes (default 41).
    pub quadrature_nodes: usize,
    /// Nodes span `[-bound, bound]` (default 5).
    pub quadrature_bound: f64,
    /// Most EM cycles (default 500).
    pub max_iterations: usize,
    /// Converged when no parameter moves more than this in a cycle (default 1e-4).
    pub tolerance: f64,
    /// Fisher-scoring steps per item in each M-step (default 2).
    pub m_step_iterations: usize,
    /// Number of theta groups for the item-fit chi-square (default 10).
    pub fit_groups: usize,
    /// Accelerate EM by SQUAREM extrapolation (default true). Each
    /// extrapolation is followed by an ordinary EM cycle and is only kept
    /// if it raises the marginal likelihood; convergence is always judged
    /// on an ordinary EM cycle, so the solution is the same EM fixed point.
    pub accelerate: bool,
}

impl Default for CalibrationOptions {
    fn default() -> Self {
        CalibrationOptions {
            quadrature_nodes: 41,
            quadrature_bound: 5.0,
            max_iterations: 500,
            tolerance: 1e-4,
            m_step_iterations: 2,
            fit_groups: 10,
            accelerate: true,
        }
    }
}

/// Item-fit chi-square (Q1 style, see the module documentation).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ItemFit {
    /// `sum_g sum_k (O_gk - E_gk)^2 / E_gk`.
    pub chi_square: f64,
    /// Degrees of freedom `G (K - 1) - K` (at least 1).
    pub df: usize,
    /// Upper-tail probability of `chi_square` on `df` degrees of freedom.
    pub p_value: f64,
}

/// Calibrated parameters of one item.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ItemCalibration {
    /// Discrimination.
    pub a: f64,
    /// Ordered thresholds.
    pub b: Vec<f64>,
    /// Standard error of `a` (`None` if the information matrix was singular).
    pub se_a: Option<f64>,
    /// Standard errors of the thresholds.
    pub se_b: Vec<Option<f64>>,
    /// Item fit.
    pub fit: ItemFit,
    /// Number of respondents who answered the item.
    pub respondents: usize,
}

impl ItemCalibration {
    /// The parameters as a plain GRM item.
    pub fn item(&self) -> GrmItem {
        GrmItem {
            a: self.a,
            b: self.b.clone(),
        }
    }
}

/// Result of a calibration run.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Calibration {
    /// One entry per column of the response matrix.
    pub items: Vec<ItemCalibration>,
    /// EM cycles run.
    pub iterations: usize,
    /// Whether the parameter changes fell below the tolerance.
    pub converged: bool,
    /// Marginal log-likelihood `sum_p ln sum_q w_q L_p(theta_q)` at the solution.
    pub log_likelihood: f64,
    /// Respondents with at least one answer (the others are ignored).
    pub respondents: usize,
    /// Things the psychologist should know (sparse categories, no convergence...).
    pub warnings: Vec<CalibrationWarning>,
}

/// Something a calibration found worth a closer look; the parameters were
/// still estimated. Items and categories are positions in the answer matrix
/// (the bank layer names them by item id and answer value).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum CalibrationWarning {
    /// Category `category` of item `item` was chosen only `count` times (fewer than 10).
    SparseCategory { item: usize, category: usize, count: usize },
    /// EM stopped at its cycle limit before the changes fell below the tolerance.
    NotConverged { cycles: usize, tolerance: f64 },
    /// The discrimination of item `item` ended at a bound of the M-step.
    DiscriminationAtBound { item: usize, a: f64 },
}

impl std::fmt::Display for CalibrationWarning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CalibrationWarning::SparseCategory { item, category, count } => {
                write!(f, "item {item}: category {category} has only {count} answers; its thresholds will be imprecise")
            }
            CalibrationWarning::NotConverged { cycles, tolerance } => {
                write!(f, "EM did not converge within {cycles} cycles (tolerance {tolerance}); estimates may be imprecise")
            }
            CalibrationWarning::DiscriminationAtBound { item, a } => {
                write!(f, "item {item}: discrimination reached its bound (a = {a:.3}); check the item")
            }
        }
    }
}

impl Calibration {
    /// The calibrated items as plain GRM items (e.g. to write into a bank).
    pub fn grm_items(&self) -> Vec<GrmItem> {
        self.items.iter().map(ItemCalibration::item).collect()
    }
}

/// Smallest and largest discrimination the M-step may reach.
pub(super) const A_MIN: f64 = 0.01;

pub(super) const A_MAX: f64 = 50.0;

/// Probabilities are floored here before division.
pub(super) const P_FLOOR: f64 = 1e-300;
