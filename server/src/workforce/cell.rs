//! The figures of one group on one scale: the mean and the share in the
//! high band with their 90% intervals, what a change is computed from, and
//! the distribution; nothing for a group under 5.

use assessments::workforce::groups::{mean_ci90, share_at_or_above, summary, Interval, Summary};
use serde::{Deserialize, Serialize};

/// A scale mean at or above this (on a 1–5 agreement scale: agreeing on
/// average) counts in the high band, e.g. "intends to leave".
pub const HIGH_BAND_FROM: f64 = 4.0;

/// One scale of one unit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cell {
    pub mean: Interval,
    /// The share at or above [`HIGH_BAND_FROM`].
    pub high: Interval,
    /// What a change to the next wave is computed from.
    pub summary: Summary,
    /// Shares of respondents whose scale mean rounds to 1, 2, 3, 4 and 5.
    pub distribution: [f64; 5],
}

/// Shares of `values` rounding to each point 1..=5.
fn distribution(values: &[f64]) -> [f64; 5] {
    let mut counts = [0_usize; 5];
    for v in values {
        counts[(v.round().clamp(1.0, 5.0) as usize) - 1] += 1;
    }
    counts.map(|c| c as f64 / values.len().max(1) as f64)
}

/// The figures of one group on one scale (`None` under 5).
pub fn cell(values: &[f64]) -> Option<Cell> {
    Some(Cell { mean: mean_ci90(values)?, high: share_at_or_above(values, HIGH_BAND_FROM)?, summary: summary(values)?, distribution: distribution(values) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_distribution_counts_rounded_means_as_shares() {
        assert_eq!(distribution(&[1.0, 1.4, 2.6, 5.0]), [0.5, 0.0, 0.25, 0.0, 0.25]);
        assert_eq!(distribution(&[]), [0.0; 5]);
    }

    #[test]
    fn a_cell_needs_five() {
        assert!(cell(&[3.0, 4.0, 5.0, 2.0]).is_none());
        let c = cell(&[3.0, 4.0, 5.0, 2.0, 4.0]).expect("five");
        assert!((c.mean.estimate - 3.6).abs() < 1e-12);
        assert!((c.high.estimate - 0.6).abs() < 1e-12);
        assert_eq!(c.summary.n, 5);
    }
}
