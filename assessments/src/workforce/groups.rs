//! What a group's scale scores come to: the mean with its 90% confidence
//! interval (Student's t), the share at or above a cut with its 90% Wilson
//! interval, and the change of the mean from one wave to the next (Welch).
//! Every function refuses a group under `MIN_GROUP` (`None`), so no caller
//! can compute a figure for fewer people by mistake.

use statrs::distribution::{ContinuousCDF, Normal, StudentsT};

use super::suppression::MIN_GROUP;
use crate::stats::{mean, sample_variance};

/// A figure with its 90% interval.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Interval {
    pub estimate: f64,
    pub low: f64,
    pub high: f64,
}

fn big_enough(n: usize) -> bool {
    n >= MIN_GROUP as usize
}

/// The two-sided 90% critical value of Student's t with `df` degrees of freedom.
pub fn t_critical_90(df: f64) -> Option<f64> {
    // t such that P(T ≤ t) = 0.95
    StudentsT::new(0.0, 1.0, df).ok().map(|t| t.inverse_cdf(0.95))
}

/// Mean ± t(0.95, n − 1) · s / √n.
pub fn mean_ci90(x: &[f64]) -> Option<Interval> {
    if !big_enough(x.len()) {
        return None;
    }
    let (m, v) = (mean(x)?, sample_variance(x)?);
    let half = t_critical_90(x.len() as f64 - 1.0)? * (v / x.len() as f64).sqrt();
    Some(Interval { estimate: m, low: m - half, high: m + half })
}

/// The share of `x` at or above `cut`, with the 90% Wilson score interval:
/// (p + z²/2n ± z·√(p(1−p)/n + z²/4n²)) / (1 + z²/n).
pub fn share_at_or_above(x: &[f64], cut: f64) -> Option<Interval> {
    if !big_enough(x.len()) {
        return None;
    }
    let n = x.len() as f64;
    let p = x.iter().filter(|v| **v >= cut).count() as f64 / n;
    let z = Normal::new(0.0, 1.0).ok()?.inverse_cdf(0.95);
    let centre = p + z * z / (2.0 * n);
    let half = z * (p * (1.0 - p) / n + z * z / (4.0 * n * n)).sqrt();
    let scale = 1.0 + z * z / n;
    Some(Interval { estimate: p, low: ((centre - half) / scale).max(0.0), high: ((centre + half) / scale).min(1.0) })
}

/// What a group's change is computed from: size, mean and sample variance.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Summary {
    pub n: usize,
    pub mean: f64,
    pub variance: f64,
}

/// n, x̄ and s² of a group of at least `MIN_GROUP`.
pub fn summary(x: &[f64]) -> Option<Summary> {
    if !big_enough(x.len()) {
        return None;
    }
    Some(Summary { n: x.len(), mean: mean(x)?, variance: sample_variance(x)? })
}

/// The change of the mean from `before` to `after` with its 90% interval
/// (Welch: se = √(s₁²/n₁ + s₂²/n₂), df by Welch–Satterthwaite).
pub fn change_ci90(before: &[f64], after: &[f64]) -> Option<Interval> {
    change_ci90_of(&summary(before)?, &summary(after)?)
}

/// [`change_ci90`] from the two groups' summaries (a kept wave has no answers left).
pub fn change_ci90_of(before: &Summary, after: &Summary) -> Option<Interval> {
    if !big_enough(before.n) || !big_enough(after.n) {
        return None;
    }
    let (n1, n2) = (before.n as f64, after.n as f64);
    let (a, b) = (before.variance / n1, after.variance / n2);
    let se = (a + b).sqrt();
    let d = after.mean - before.mean;
    if se == 0.0 {
        return Some(Interval { estimate: d, low: d, high: d });
    }
    // df = (a + b)² / (a²/(n₁−1) + b²/(n₂−1))
    let df = (a + b).powi(2) / (a * a / (n1 - 1.0) + b * b / (n2 - 1.0));
    let half = t_critical_90(df)? * se;
    Some(Interval { estimate: d, low: d - half, high: d + half })
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_abs_diff_eq;

    #[test]
    fn t_critical_values_match_the_printed_table() {
        // Student's t table, one-tailed 0.05 (two-sided 90%), to 3 decimals.
        for (df, t) in [(4.0, 2.132), (9.0, 1.833), (29.0, 1.699), (120.0, 1.658)] {
            assert_abs_diff_eq!(t_critical_90(df).expect("t"), t, epsilon = 5e-4);
        }
    }

    #[test]
    fn a_mean_interval_by_hand() {
        // x = 2, 4, 4, 4, 5, 5, 7, 9: mean 5, s² = 32/7, se = √(32/56) = 0.7559,
        // t(0.95, 7) = 1.8946: 5 ± 1.4321.
        let ci = mean_ci90(&[2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0]).expect("eight people");
        assert_abs_diff_eq!(ci.estimate, 5.0, epsilon = 1e-12);
        assert_abs_diff_eq!(ci.high - ci.estimate, 1.4321, epsilon = 1e-4);
        assert_eq!(mean_ci90(&[1.0, 2.0, 3.0, 4.0]), None, "four people: no figure");
    }

    #[test]
    fn a_wilson_interval_by_hand() {
        // 3 of 10 at or above the cut, z = 1.6449: (0.3 + 0.1353 ± 1.6449·√(0.021 + 0.006764)) / 1.2706
        // = (0.4353 ± 0.2741) / 1.2706 = 0.1269 .. 0.5583.
        let x = [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 5.0, 5.0, 5.0];
        let share = share_at_or_above(&x, 4.0).expect("ten people");
        assert_abs_diff_eq!(share.estimate, 0.3, epsilon = 1e-12);
        assert_abs_diff_eq!(share.low, 0.1269, epsilon = 2e-4);
        assert_abs_diff_eq!(share.high, 0.5583, epsilon = 2e-4);
    }

    #[test]
    fn a_welch_change_by_hand() {
        // before: 1..=5 (mean 3, s² 2.5, n 5); after: 3..=7 (mean 5, s² 2.5, n 5):
        // d = 2, se = 1, df = 8, t(0.95, 8) = 1.8595: 2 ± 1.8595.
        let ci = change_ci90(&[1.0, 2.0, 3.0, 4.0, 5.0], &[3.0, 4.0, 5.0, 6.0, 7.0]).expect("two groups of five");
        assert_abs_diff_eq!(ci.estimate, 2.0, epsilon = 1e-12);
        assert_abs_diff_eq!(ci.high - ci.estimate, 1.8595, epsilon = 1e-4);
        assert_eq!(change_ci90(&[1.0, 2.0, 3.0, 4.0], &[1.0; 9]), None);
    }
}
