//! Samejima's graded response model (logistic, D = 1).
//!
//! An item with `K` ordered categories `0..K` has a discrimination `a > 0`
//! and `K - 1` ordered thresholds `b_1 < ... < b_{K-1}`.

/// Logistic function, stable for large |x|: `1 / (1 + exp(-x))`.
pub fn logistic(x: f64) -> f64 {
    if x >= 0.0 {
        1.0 / (1.0 + (-x).exp())
    } else {
        let e = x.exp();
        e / (1.0 + e)
    }
}

/// Category probabilities `P(X = k | theta)` for `k = 0..=b.len()`, written
/// into `out` (which must have `b.len() + 1` slots).
///
/// `P(X = k) = P*(X >= k) - P*(X >= k + 1)`, with
/// `P*(X >= k) = logistic(a (theta - b_k))`, `P*(X >= 0) = 1`, `P*(X >= K) = 0`.
pub fn category_probabilities(a: f64, b: &[f64], theta: f64, out: &mut [f64]) {
    debug_assert_eq!(out.len(), b.len() + 1);
    let mut upper = 1.0; // P*(X >= k) for the current k
    for (k, slot) in out.iter_mut().enumerate() {
        let lower = match b.get(k) {
            Some(bk) => logistic(a * (theta - bk)),
            None => 0.0,
        };
        // Ordered thresholds make this non-negative; clamp rounding noise.
        *slot = (upper - lower).max(0.0);
        upper = lower;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn category_probabilities_sum_to_one() {
        let mut p = [0.0; 5];
        for theta in [-40.0, -3.0, 0.0, 1.2, 40.0] {
            category_probabilities(1.7, &[-1.5, -0.4, 0.6, 1.8], theta, &mut p);
            let total: f64 = p.iter().sum();
            assert!((total - 1.0).abs() < 1e-12, "theta {theta}: sum {total}");
            assert!(p.iter().all(|x| *x >= 0.0 && x.is_finite()));
        }
    }

    #[test]
    fn two_categories_is_the_2pl() {
        let mut p = [0.0; 2];
        category_probabilities(1.3, &[0.5], 1.0, &mut p);
        let expected = 1.0 / (1.0 + (-1.3f64 * 0.5).exp());
        assert!((p[1] - expected).abs() < 1e-15);
    }
}
