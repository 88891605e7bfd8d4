//! The small statistics the classical side shares (norms and reliability):
//! mean, sample variance and SD, Pearson's r, and Cronbach's alpha on item
//! columns. Columns are one `Vec<f64>` per item over the same persons;
//! variances are sample variances (divisor n - 1).

/// Arithmetic mean: `sum(x) / n`.
pub fn mean(x: &[f64]) -> Option<f64> {
    if x.is_empty() {
        None
    } else {
        Some(x.iter().sum::<f64>() / x.len() as f64)
    }
}

/// Sample variance: `sum((x - mean)^2) / (n - 1)`.
pub fn sample_variance(x: &[f64]) -> Option<f64> {
    if x.len() < 2 {
        return None;
    }
    let m = mean(x)?;
    Some(x.iter().map(|v| (v - m) * (v - m)).sum::<f64>() / (x.len() - 1) as f64)
}

/// Sample standard deviation: `sqrt(sample_variance)`.
pub fn sample_sd(x: &[f64]) -> Option<f64> {
    sample_variance(x).map(f64::sqrt)
}

/// Pearson correlation: `cov(x, y) / (sd(x) sd(y))`; `None` if either is constant.
pub fn pearson(x: &[f64], y: &[f64]) -> Option<f64> {
    if x.len() != y.len() || x.len() < 2 {
        return None;
    }
    let (mx, my) = (mean(x)?, mean(y)?);
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (a, b) in x.iter().zip(y) {
        sxy += (a - mx) * (b - my);
        sxx += (a - mx) * (a - mx);
        syy += (b - my) * (b - my);
    }
    if sxx <= 0.0 || syy <= 0.0 {
        None
    } else {
        Some(sxy / (sxx * syy).sqrt())
    }
}

/// Person totals: `t_p = sum_i x_pi`.
pub(crate) fn totals(columns: &[Vec<f64>]) -> Vec<f64> {
    let n = columns.first().map_or(0, Vec::len);
    let mut t = vec![0.0; n];
    for col in columns {
        for (acc, v) in t.iter_mut().zip(col) {
            *acc += v;
        }
    }
    t
}

pub(crate) fn well_formed(columns: &[Vec<f64>]) -> Option<usize> {
    let n = columns.first()?.len();
    if columns.iter().all(|c| c.len() == n) {
        Some(n)
    } else {
        None
    }
}

/// Cronbach's alpha: `k/(k-1) * (1 - sum(var_i) / var(total))`.
/// `None` for fewer than 2 items or 2 persons, or a constant total.
pub fn cronbach_alpha(columns: &[Vec<f64>]) -> Option<f64> {
    let n = well_formed(columns)?;
    let k = columns.len();
    if k < 2 || n < 2 {
        return None;
    }
    let item_var: f64 = columns.iter().map(|c| sample_variance(c)).sum::<Option<f64>>()?;
    let total_var = sample_variance(&totals(columns))?;
    if total_var <= 0.0 {
        return None;
    }
    let kf = k as f64;
    Some(kf / (kf - 1.0) * (1.0 - item_var / total_var))
}
