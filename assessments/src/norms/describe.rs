//! How a norm group's scores are distributed, for the psychologist who
//! decides whether to freeze them as a norm table: skewness and a
//! histogram of equal-width bins.

use serde::{Deserialize, Serialize};

use crate::stats::mean;

/// Sample skewness, adjusted for sample size (as `scipy.stats.skew(x,
/// bias=False)`): `G1 = sqrt(n (n - 1)) / (n - 2) * m3 / m2^1.5`, with the
/// central moments `m_k = sum((x - mean)^k) / n`. `None` for n < 3 or no variance.
pub fn skewness(xs: &[f64]) -> Option<f64> {
    let n = xs.len();
    if n < 3 {
        return None;
    }
    let m = mean(xs)?;
    let moment = |k: i32| xs.iter().map(|x| (x - m).powi(k)).sum::<f64>() / n as f64;
    let (m2, m3) = (moment(2), moment(3));
    if m2 <= 0.0 {
        return None;
    }
    let g1 = m3 / m2.powf(1.5);
    let n = n as f64;
    Some((n * (n - 1.0)).sqrt() / (n - 2.0) * g1)
}

/// One bin of a histogram: `[low, high)` (the last bin includes `high`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Bin {
    pub low: f64,
    pub high: f64,
    pub count: usize,
}

/// `bins` equal-width bins from the smallest to the largest score (one
/// bin when all scores are equal; none for no scores).
pub fn histogram(xs: &[f64], bins: usize) -> Vec<Bin> {
    let finite: Vec<f64> = xs.iter().copied().filter(|x| x.is_finite()).collect();
    let (Some(lo), Some(hi)) = (finite.iter().copied().reduce(f64::min), finite.iter().copied().reduce(f64::max)) else {
        return Vec::new();
    };
    if hi <= lo || bins <= 1 {
        return vec![Bin { low: lo, high: hi, count: finite.len() }];
    }
    let width = (hi - lo) / bins as f64;
    let mut out: Vec<Bin> = (0..bins).map(|b| Bin { low: lo + width * b as f64, high: lo + width * (b + 1) as f64, count: 0 }).collect();
    for x in finite {
        let b = (((x - lo) / width) as usize).min(bins - 1);
        out[b].count += 1;
    }
    out
}

/// Fewest sessions per scale a norm table may be published on (EFPA:
/// under 200 is inadequate), and where a warning starts (under 300).
pub const MIN_NORM_N: u64 = 200;
pub const WARN_NORM_N: u64 = 300;
/// Lowest reliability (alpha on the group's data) a normed scale may have,
/// and where a warning starts.
pub const MIN_NORM_ALPHA: f64 = 0.70;
pub const WARN_NORM_ALPHA: f64 = 0.80;

/// Why a norm table may not be published, and what to be careful about.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct NormFindings {
    pub refusals: Vec<String>,
    pub warnings: Vec<String>,
}

/// The publication rule for a norm table built from collected sessions:
/// every scale needs N >= 200 and alpha >= .70 (warned under 300 and .80).
pub fn norm_findings(table: &super::NormTable) -> NormFindings {
    let mut f = NormFindings::default();
    for s in &table.scales {
        if s.n < MIN_NORM_N {
            f.refusals.push(format!("{}: N = {}; a norm table needs at least {MIN_NORM_N} sessions per scale (fewer is inadequate by the EFPA review model).", s.scale, s.n));
        } else if s.n < WARN_NORM_N {
            f.warnings.push(format!("{}: N = {} is adequate, not good (300 or more is good).", s.scale, s.n));
        }
        if s.reliability < MIN_NORM_ALPHA {
            f.refusals.push(format!("{}: alpha = {:.2} on these data; a normed scale needs at least {MIN_NORM_ALPHA:.2}.", s.scale, s.reliability));
        } else if s.reliability < WARN_NORM_ALPHA {
            f.warnings.push(format!("{}: alpha = {:.2} on these data, under {WARN_NORM_ALPHA:.2}: bands will be wide.", s.scale, s.reliability));
        }
    }
    f
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(n: u64, reliability: f64) -> super::super::NormTable {
        super::super::NormTable {
            id: "t".into(),
            bank: "b".into(),
            bank_version: "1.0.0".into(),
            bank_hash: "h".into(),
            demonstration: false,
            group: Default::default(),
            country: "x".into(),
            role_family: "x".into(),
            collected_from: "2026-01-01".into(),
            collected_to: "2026-01-02".into(),
            population: None,
            sampling: None,
            content_hash: None,
            scales: vec![super::super::NormScale { scale: "s".into(), n, mean: 3.0, sd: 1.0, reliability, percentiles: vec![] }],
            theta_scales: vec![],
        }
    }

    #[test]
    fn a_norm_table_needs_200_people_and_alpha_70() {
        assert_eq!(norm_findings(&table(199, 0.9)).refusals.len(), 1);
        assert!(norm_findings(&table(200, 0.9)).refusals.is_empty());
        assert_eq!(norm_findings(&table(200, 0.9)).warnings.len(), 1, "adequate, not good");
        assert!(norm_findings(&table(300, 0.85)) == NormFindings::default());
        assert_eq!(norm_findings(&table(300, 0.69)).refusals.len(), 1);
        assert_eq!(norm_findings(&table(300, 0.75)).warnings.len(), 1);
        assert_eq!(norm_findings(&table(3, 0.5)).refusals.len(), 2, "both reasons named");
    }

    #[test]
    fn skewness_matches_a_worked_example() {
        // x = 1, 2, 3, 4, 10: mean 4, m2 = 50/5 = 10, m3 = (-27 - 8 - 1 + 0 + 216)/5 = 36,
        // g1 = 36 / 10^1.5 = 1.1384199576606167, G1 = sqrt(20)/3 * g1 = 1.6970562748477138
        // (by hand; the formula of scipy.stats.skew with bias=False). Tolerance 1e-12.
        let g = skewness(&[1.0, 2.0, 3.0, 4.0, 10.0]).unwrap();
        assert!((g - 1.697_056_274_847_713_8).abs() < 1e-12, "{g}");
        assert!(skewness(&[1.0, 2.0, 3.0]).unwrap().abs() < 1e-12, "symmetric");
        assert_eq!(skewness(&[1.0, 2.0]), None);
        assert_eq!(skewness(&[2.0, 2.0, 2.0]), None);
    }

    #[test]
    fn a_histogram_counts_every_score_once() {
        let xs = [1.0, 1.5, 2.0, 2.5, 3.0, 5.0];
        let h = histogram(&xs, 4);
        assert_eq!(h.len(), 4);
        assert_eq!(h.iter().map(|b| b.count).sum::<usize>(), xs.len());
        assert_eq!(h[0].count, 2, "[1, 2)");
        assert_eq!(h[3].count, 1, "the largest is in the last bin");
        assert_eq!(histogram(&[2.0, 2.0], 10).len(), 1);
        assert!(histogram(&[], 10).is_empty());
    }
}
