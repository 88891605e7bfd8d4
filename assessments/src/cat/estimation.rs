//! Estimation after every answer: the EAP update of a scale's posterior on
//! the grid (Bayes' rule in probability space).

/// Bayes' rule on the grid in probability space, `w_q <- w_q P(x | theta_q) / sum`,
/// returning the posterior mean and SD; `None` if the normalising sum
/// underflows (then the caller falls back to the log posterior).
pub(super) fn update_weights(weights: &mut [f64], probs: &[f64], nodes: &[f64]) -> Option<(f64, f64)> {
    let mut sum = 0.0;
    for (w, p) in weights.iter_mut().zip(probs) {
        *w *= p;
        sum += *w;
    }
    if !(sum > 1e-250 && sum.is_finite()) {
        return None;
    }
    let inv = 1.0 / sum;
    let (mut s1, mut s2) = (0.0, 0.0);
    for (w, t) in weights.iter_mut().zip(nodes) {
        *w *= inv;
        s1 += *w * t;
        s2 += *w * t * t;
    }
    Some((s1, (s2 - s1 * s1).max(0.0).sqrt()))
}
