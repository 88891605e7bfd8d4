//! The quadrature grid every IRT computation integrates over: equally spaced
//! theta nodes with normalised log N(0,1) prior weights, and the
//! log-sum-exp that keeps sums of tiny probabilities finite.

use super::IrtError;

/// A fixed grid of theta values with the normalised log N(0,1) prior weight
/// of each: `ln w_q = -theta_q^2 / 2 - ln sum_j exp(-theta_j^2 / 2)`.
#[derive(Debug, Clone, PartialEq)]
pub struct Quadrature {
    /// Equally spaced theta values, lowest first.
    pub nodes: Vec<f64>,
    /// Log prior weight of each node; `sum_q exp(log_prior_q) = 1`.
    pub log_prior: Vec<f64>,
}

impl Quadrature {
    /// `n` equally spaced nodes on `[lo, hi]` with N(0,1) prior weights.
    pub fn new(n: usize, lo: f64, hi: f64) -> Result<Self, IrtError> {
        if n < 2 || !(lo.is_finite() && hi.is_finite() && lo < hi) {
            return Err(IrtError::InvalidQuadrature { nodes: n, lo, hi });
        }
        let step = (hi - lo) / (n - 1) as f64;
        let nodes: Vec<f64> = (0..n).map(|q| lo + step * q as f64).collect();
        let log_prior = normalised_log_weights(nodes.iter().map(|t| -0.5 * t * t).collect());
        Ok(Quadrature { nodes, log_prior })
    }

    /// The default grid: 61 nodes on [-6, 6] (spacing 0.2).
    pub fn standard() -> Self {
        let step = 0.2;
        let nodes: Vec<f64> = (0..61).map(|q| -6.0 + step * q as f64).collect();
        let log_prior = normalised_log_weights(nodes.iter().map(|t| -0.5 * t * t).collect());
        Quadrature { nodes, log_prior }
    }

    /// Number of nodes.
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// True when the grid has no nodes (never for a grid built by `new`).
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }
}

impl Default for Quadrature {
    fn default() -> Self {
        Self::standard()
    }
}

/// Normalises log weights so that their exponentials sum to one:
/// `l_q - ln sum_j exp(l_j)`.
fn normalised_log_weights(mut logs: Vec<f64>) -> Vec<f64> {
    let lse = log_sum_exp(&logs);
    logs.iter_mut().for_each(|l| *l -= lse);
    logs
}

/// `ln sum_q exp(x_q)`, computed around the maximum to avoid overflow.
pub fn log_sum_exp(x: &[f64]) -> f64 {
    let m = x.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if !m.is_finite() {
        return m;
    }
    m + x.iter().map(|v| (v - m).exp()).sum::<f64>().ln()
}
