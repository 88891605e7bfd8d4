//! Samejima's graded response model (logistic, D = 1).
//!
//! An item with `K` ordered categories `0..K` has a discrimination `a > 0`
//! and `K - 1` ordered thresholds `b_1 < ... < b_{K-1}`. The probability of
//! answering in category `k` *or higher* is the "boundary curve"
//! `P*_k(theta) = 1 / (1 + exp(-a (theta - b_k)))`, with `P*_0 = 1` and
//! `P*_K = 0`; the probability of category `k` itself is the difference
//! `P_k = P*_k - P*_{k+1}`.
//!
//! Everything here is written to stay exact at extreme values (theta of
//! +/-40, a up to 10, thresholds spread over +/-8): no probability is ever
//! computed as a difference of two numbers close to 1, so none comes out
//! negative or NaN, and logarithms are taken of factors, never of sums.

use super::IrtError;

/// Logistic function, stable for large |x|: `1 / (1 + exp(-x))`.
pub fn logistic(x: f64) -> f64 {
    if x >= 0.0 {
        1.0 / (1.0 + (-x).exp())
    } else {
        let e = x.exp();
        e / (1.0 + e)
    }
}

/// Natural log of the logistic function, stable for large |x|:
/// `ln(1 / (1 + exp(-x))) = -ln(1 + exp(-x))`.
pub fn log_logistic(x: f64) -> f64 {
    if x >= 0.0 {
        -(-x).exp().ln_1p()
    } else {
        x - x.exp().ln_1p()
    }
}

/// One graded-response item: discrimination `a` and ordered thresholds `b`.
///
/// The item has `b.len() + 1` answer categories, scored `0..=b.len()`.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct GrmItem {
    /// Discrimination (slope): how sharply the item separates people.
    pub a: f64,
    /// Thresholds `b_1 < ... < b_{K-1}`: the trait level at which answering
    /// category `k` or higher becomes more likely than not.
    pub b: Vec<f64>,
}

impl GrmItem {
    /// Builds an item after checking its parameters (see [`validate_item`]).
    pub fn new(a: f64, b: Vec<f64>) -> Result<Self, IrtError> {
        let item = GrmItem { a, b };
        validate_item(&item, 0)?;
        Ok(item)
    }

    /// Number of answer categories `K = len(b) + 1`.
    pub fn categories(&self) -> usize {
        self.b.len() + 1
    }
}

/// Checks that an item can be used: finite `a > 0`, at least one threshold,
/// finite and strictly increasing thresholds. `index` names the item in errors.
pub fn validate_item(item: &GrmItem, index: usize) -> Result<(), IrtError> {
    if !(item.a.is_finite() && item.a > 0.0) {
        return Err(IrtError::InvalidDiscrimination {
            item: index,
            a: item.a,
        });
    }
    if item.b.is_empty() {
        return Err(IrtError::NoThresholds { item: index });
    }
    if item.b.iter().any(|b| !b.is_finite()) {
        return Err(IrtError::NonFiniteThreshold { item: index });
    }
    if item.b.windows(2).any(|w| w[1] <= w[0]) {
        return Err(IrtError::UnorderedThresholds {
            item: index,
            b: item.b.clone(),
        });
    }
    Ok(())
}

/// Checks every item of a set (see [`validate_item`]).
pub fn validate_items(items: &[GrmItem]) -> Result<(), IrtError> {
    items
        .iter()
        .enumerate()
        .try_for_each(|(i, item)| validate_item(item, i))
}

/// The IRT parameters of a scale whose items may or may not carry them (as
/// in a bank, where `grm` is optional): `Ok(None)` if no item has
/// parameters (the scale is scored classically), `Ok(Some(items))` if all
/// have valid ones, and an error naming the items without parameters if
/// only some have them.
pub fn scale_parameters(items: &[Option<GrmItem>]) -> Result<Option<Vec<GrmItem>>, IrtError> {
    let missing: Vec<usize> = items
        .iter()
        .enumerate()
        .filter(|(_, x)| x.is_none())
        .map(|(i, _)| i)
        .collect();
    if missing.len() == items.len() {
        return Ok(None);
    }
    if !missing.is_empty() {
        return Err(IrtError::PartialParameters {
            missing,
            total: items.len(),
        });
    }
    let all: Vec<GrmItem> = items.iter().flatten().cloned().collect();
    validate_items(&all)?;
    Ok(Some(all))
}

/// Boundary curve `P*_k(theta) = logistic(a (theta - b_k))` for `k = 1..K-1`.
pub fn boundary_probability(a: f64, b_k: f64, theta: f64) -> f64 {
    logistic(a * (theta - b_k))
}

/// Category probabilities `P(X = k | theta)` for `k = 0..=b.len()`, written
/// into `out` (which must have `b.len() + 1` slots).
///
/// `P(X = k) = P*_k - P*_{k+1}`, computed without cancellation as
/// `P*_k (1 - P*_{k+1}) (1 - exp(-a (b_{k+1} - b_k)))`; the end categories are
/// `P_0 = 1 - P*_1` and `P_{K-1} = P*_{K-1}`.
pub fn category_probabilities(a: f64, b: &[f64], theta: f64, out: &mut [f64]) {
    debug_assert_eq!(out.len(), b.len() + 1);
    for (k, slot) in out.iter_mut().enumerate() {
        *slot = log_category_probability(a, b, theta, k).exp();
    }
}

/// Log category probability `ln P(X = k | theta)`, exact at extreme values:
/// `ln P_k = ln P*_k + ln(1 - P*_{k+1}) + ln(1 - exp(-a (b_{k+1} - b_k)))`.
///
/// Returns `-inf` only for impossible categories (e.g. tied thresholds) and
/// for `k` outside `0..=b.len()`.
pub fn log_category_probability(a: f64, b: &[f64], theta: f64, k: usize) -> f64 {
    let kk = b.len();
    if k > kk {
        return f64::NEG_INFINITY;
    }
    // ln P*_k (0 for k = 0, since P*_0 = 1)
    let log_upper = if k == 0 {
        0.0
    } else {
        log_logistic(a * (theta - b[k - 1]))
    };
    // ln(1 - P*_{k+1}) (0 for the top category, since P*_K = 0)
    let log_not_next = if k == kk {
        0.0
    } else {
        log_logistic(-a * (theta - b[k]))
    };
    // ln(1 - exp(-a (b_{k+1} - b_k))) for interior categories
    let log_gap = if k == 0 || k == kk {
        0.0
    } else {
        let gap = a * (b[k] - b[k - 1]);
        if gap <= 0.0 {
            return f64::NEG_INFINITY;
        }
        (-(-gap).exp_m1()).ln()
    };
    log_upper + log_not_next + log_gap
}

/// All log category probabilities of an item at `theta`, written into `out`.
pub fn log_category_probabilities(a: f64, b: &[f64], theta: f64, out: &mut [f64]) {
    debug_assert_eq!(out.len(), b.len() + 1);
    for (k, slot) in out.iter_mut().enumerate() {
        *slot = log_category_probability(a, b, theta, k);
    }
}

/// Score function of one answer, `d/dtheta ln P_k(theta) = a (1 - P*_k - P*_{k+1})`.
pub fn score_function(a: f64, b: &[f64], theta: f64, k: usize) -> f64 {
    let upper = if k == 0 {
        1.0
    } else {
        boundary_probability(a, b[k - 1], theta)
    };
    let next = b
        .get(k)
        .map_or(0.0, |bk| boundary_probability(a, *bk, theta));
    a * (1.0 - upper - next)
}

/// Curvature of one answer's log-likelihood,
/// `d2/dtheta2 ln P_k(theta) = -a^2 (W_k + W_{k+1})` with `W = P* (1 - P*)`.
///
/// It is never positive, so a GRM log-likelihood (plus a normal log-prior)
/// is concave in theta: a unique maximum exists and Newton's method is safe.
pub fn score_derivative(a: f64, b: &[f64], theta: f64, k: usize) -> f64 {
    let w = |bk: f64| {
        let p = boundary_probability(a, bk, theta);
        p * (1.0 - p)
    };
    let w_k = if k == 0 { 0.0 } else { w(b[k - 1]) };
    let w_next = b.get(k).map_or(0.0, |bk| w(*bk));
    -a * a * (w_k + w_next)
}

/// Samejima's item information,
/// `I(theta) = sum_k P_k'^2 / P_k = a^2 sum_k P_k (1 - P*_k - P*_{k+1})^2`.
///
/// The second form has no division, so it is exact where categories have
/// vanishing probability (extreme theta): information then tends to 0.
pub fn item_information(a: f64, b: &[f64], theta: f64) -> f64 {
    // Boundary curve P*_k and its exact complement Q*_k = 1 - P*_k, both as
    // logistic functions so that neither is computed as 1 minus something.
    let star = |k: usize| if k == 0 { 1.0 } else { logistic(a * (theta - b[k - 1])) };
    let comp = |k: usize| if k == 0 { 0.0 } else { logistic(-a * (theta - b[k - 1])) };
    let kk = b.len() + 1;
    let mut total = 0.0;
    let (mut s_k, mut q_k) = (1.0, 0.0); // P*_k, Q*_k for the current k
    for k in 0..kk {
        let (s_next, q_next) = if k + 1 < kk { (star(k + 1), comp(k + 1)) } else { (0.0, 1.0) };
        // P_k = P*_k Q*_{k+1} (1 - exp(-a (b_{k+1} - b_k))) for interior k
        let gap = if k == 0 || k + 1 == kk { 1.0 } else { -(-a * (b[k] - b[k - 1])).exp_m1() };
        let p_k = s_k * q_next * gap;
        // 1 - P*_k - P*_{k+1} = Q*_k - P*_{k+1}
        let r = q_k - s_next;
        total += p_k * r * r;
        s_k = s_next;
        q_k = q_next;
    }
    a * a * total
}

/// Test information: the sum of the item informations, `I(theta) = sum_i I_i(theta)`.
/// The standard error of a maximum-likelihood theta is about `1 / sqrt(I)`.
pub fn test_information(items: &[GrmItem], theta: f64) -> f64 {
    items
        .iter()
        .map(|it| item_information(it.a, &it.b, theta))
        .sum()
}

/// Marginal reliability of a set of items for an N(0, 1) population,
/// `rho = 1 - E[1 / (I(theta) + 1)]`: one minus the expected error
/// variance, approximating each person's posterior variance by
/// `1 / (test information + prior information 1)`; the expectation is taken
/// on the 61-node grid. Comparable to coefficient alpha for the same items.
pub fn marginal_reliability(items: &[GrmItem]) -> f64 {
    let quad = super::quadrature::Quadrature::standard();
    let error_variance: f64 = quad
        .nodes
        .iter()
        .zip(&quad.log_prior)
        .map(|(t, lw)| lw.exp() / (test_information(items, *t) + 1.0))
        .sum();
    1.0 - error_variance
}

/// Log-likelihood of a response pattern, `ln L(theta) = sum_i ln P_{i, x_i}(theta)`,
/// over the answered items only (`None` = not answered, contributes nothing).
///
/// Errors if the pattern and the items differ in length or an answer is not
/// a category of its item.
pub fn log_likelihood(
    items: &[GrmItem],
    answers: &[Option<usize>],
    theta: f64,
) -> Result<f64, IrtError> {
    check_answers(items, answers)?;
    Ok(items
        .iter()
        .zip(answers)
        .filter_map(|(it, x)| x.map(|k| log_category_probability(it.a, &it.b, theta, k)))
        .sum())
}

/// Expected item score `E[X | theta] = sum_k k P_k(theta) = sum_{k>=1} P*_k(theta)`.
pub fn expected_score(a: f64, b: &[f64], theta: f64) -> f64 {
    b.iter().map(|bk| boundary_probability(a, *bk, theta)).sum()
}

/// Checks a response pattern against its items: same length, each answer a
/// valid category index of its item.
pub fn check_answers(items: &[GrmItem], answers: &[Option<usize>]) -> Result<(), IrtError> {
    if items.len() != answers.len() {
        return Err(IrtError::LengthMismatch {
            items: items.len(),
            answers: answers.len(),
        });
    }
    for (i, (it, x)) in items.iter().zip(answers).enumerate() {
        if let Some(k) = x {
            if *k >= it.categories() {
                return Err(IrtError::CategoryOutOfRange {
                    item: i,
                    category: *k,
                    categories: it.categories(),
                });
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

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

    #[test]
    fn category_probability_is_the_difference_of_boundary_curves() {
        let (a, b) = (1.4, [-1.0, 0.3, 1.1]);
        let theta = 0.4;
        let star = |k: usize| match k {
            0 => 1.0,
            4 => 0.0,
            _ => logistic(a * (theta - b[k - 1])),
        };
        let mut p = [0.0; 4];
        category_probabilities(a, &b, theta, &mut p);
        for k in 0..4 {
            assert!((p[k] - (star(k) - star(k + 1))).abs() < 1e-14);
        }
    }

    #[test]
    fn two_pl_information_is_a_squared_p_q() {
        let (a, b, theta) = (1.8, [0.2], -0.5);
        let p = logistic(a * (theta - b[0]));
        assert!((item_information(a, &b, theta) - a * a * p * (1.0 - p)).abs() < 1e-14);
    }

    /// Fisher information is the negative expected second derivative of the
    /// log-likelihood, `I = -sum_k P_k d2/dtheta2 ln P_k`; the second
    /// derivative is taken by central finite differences of `ln P_k`.
    #[test]
    fn information_is_negative_expected_second_derivative_numerically() {
        let items = [
            (1.7, vec![-1.5, -0.4, 0.6, 1.8]),
            (0.6, vec![-2.0, 2.5]),
            (3.0, vec![0.1]),
        ];
        let h = 1e-4;
        for (a, b) in &items {
            for theta in [-3.0, -1.0, 0.0, 0.7, 2.5] {
                let mut p = vec![0.0; b.len() + 1];
                category_probabilities(*a, b, theta, &mut p);
                let mut expected = 0.0;
                for k in 0..p.len() {
                    let f = |t: f64| log_category_probability(*a, b, t, k);
                    let second = (f(theta + h) - 2.0 * f(theta) + f(theta - h)) / (h * h);
                    expected += p[k] * second;
                }
                let info = item_information(*a, b, theta);
                assert!(
                    (info + expected).abs() < 1e-5 * (1.0 + info),
                    "a {a} theta {theta}: info {info} vs {}",
                    -expected
                );
            }
        }
    }

    #[test]
    fn score_function_matches_finite_difference() {
        let (a, b) = (2.2, [-1.0, 0.0, 1.3]);
        let h = 1e-6;
        for k in 0..4 {
            for theta in [-2.0, 0.3, 1.9] {
                let f = |t: f64| log_category_probability(a, &b, t, k);
                let num = (f(theta + h) - f(theta - h)) / (2.0 * h);
                assert!((score_function(a, &b, theta, k) - num).abs() < 1e-6);
                let g = |t: f64| score_function(a, &b, t, k);
                let num2 = (g(theta + h) - g(theta - h)) / (2.0 * h);
                assert!((score_derivative(a, &b, theta, k) - num2).abs() < 1e-6);
            }
        }
    }

    #[test]
    fn bad_parameters_are_rejected_with_clear_errors() {
        assert!(matches!(
            GrmItem::new(0.0, vec![0.0]),
            Err(IrtError::InvalidDiscrimination { .. })
        ));
        assert!(matches!(
            GrmItem::new(f64::NAN, vec![0.0]),
            Err(IrtError::InvalidDiscrimination { .. })
        ));
        assert!(matches!(
            GrmItem::new(1.0, vec![]),
            Err(IrtError::NoThresholds { .. })
        ));
        assert!(matches!(
            GrmItem::new(1.0, vec![0.5, 0.2]),
            Err(IrtError::UnorderedThresholds { .. })
        ));
        assert!(matches!(
            GrmItem::new(1.0, vec![0.5, f64::INFINITY]),
            Err(IrtError::NonFiniteThreshold { .. })
        ));
    }

    #[test]
    fn marginal_reliability_grows_with_items_and_stays_in_0_1() {
        let item = GrmItem {
            a: 1.8,
            b: vec![-1.5, -0.5, 0.5, 1.5],
        };
        let r0 = marginal_reliability(&[]);
        let r5 = marginal_reliability(&vec![item.clone(); 5]);
        let r20 = marginal_reliability(&vec![item; 20]);
        assert!(r0.abs() < 1e-9);
        assert!(0.0 < r5 && r5 < r20 && r20 < 1.0, "{r5} {r20}");
        // 20 good items: about the SE 0.2-0.25 region, reliability above .93
        assert!(r20 > 0.93);
    }

    #[test]
    fn a_scale_needs_parameters_for_all_items_or_none() {
        let it = GrmItem {
            a: 1.0,
            b: vec![0.0],
        };
        assert_eq!(scale_parameters(&[None, None]), Ok(None));
        assert_eq!(
            scale_parameters(&[Some(it.clone()), Some(it.clone())]),
            Ok(Some(vec![it.clone(), it.clone()]))
        );
        assert_eq!(
            scale_parameters(&[Some(it.clone()), None, Some(it.clone()), None]),
            Err(IrtError::PartialParameters {
                missing: vec![1, 3],
                total: 4
            })
        );
        let bad = GrmItem {
            a: 1.0,
            b: vec![1.0, 0.0],
        };
        assert!(matches!(
            scale_parameters(&[Some(it), Some(bad)]),
            Err(IrtError::UnorderedThresholds { item: 1, .. })
        ));
    }

    #[test]
    fn log_likelihood_skips_missing_and_rejects_bad_categories() {
        let items = vec![
            GrmItem {
                a: 1.0,
                b: vec![0.0],
            },
            GrmItem {
                a: 2.0,
                b: vec![-1.0, 1.0],
            },
        ];
        let with_missing = log_likelihood(&items, &[Some(1), None], 0.5).unwrap();
        assert!((with_missing - log_logistic(0.5)).abs() < 1e-14);
        assert!(matches!(
            log_likelihood(&items, &[Some(2), None], 0.0),
            Err(IrtError::CategoryOutOfRange { .. })
        ));
        assert!(matches!(
            log_likelihood(&items, &[None], 0.0),
            Err(IrtError::LengthMismatch { .. })
        ));
    }

    fn extreme_item() -> impl Strategy<Value = (f64, Vec<f64>)> {
        (0.05f64..10.0, proptest::collection::vec(-8.0f64..8.0, 1..7)).prop_filter_map(
            "thresholds must be strictly ordered",
            |(a, mut b)| {
                b.sort_by(|x, y| x.total_cmp(y));
                b.dedup();
                if b.windows(2).any(|w| w[1] - w[0] < 1e-6) {
                    None
                } else {
                    Some((a, b))
                }
            },
        )
    }

    proptest! {
        #[test]
        fn probabilities_are_valid_at_extremes((a, b) in extreme_item(), theta in -40.0f64..40.0) {
            let mut p = vec![0.0; b.len() + 1];
            category_probabilities(a, &b, theta, &mut p);
            prop_assert!(p.iter().all(|x| x.is_finite() && *x >= 0.0 && *x <= 1.0));
            let total: f64 = p.iter().sum();
            prop_assert!((total - 1.0).abs() < 1e-9, "sum {}", total);
            for k in 0..p.len() {
                let lp = log_category_probability(a, &b, theta, k);
                prop_assert!(!lp.is_nan() && lp <= 1e-12);
            }
        }

        #[test]
        fn information_is_finite_and_non_negative((a, b) in extreme_item(), theta in -40.0f64..40.0) {
            let info = item_information(a, &b, theta);
            prop_assert!(info.is_finite() && info >= 0.0);
            // Information can never exceed a^2 / 4 * (K - 1)... a loose but sure bound: a^2.
            prop_assert!(info <= a * a + 1e-9);
        }

        #[test]
        fn exact_extremes_theta_40((a, b) in extreme_item(), sign in prop::bool::ANY) {
            let theta = if sign { 40.0 } else { -40.0 };
            let mut p = vec![0.0; b.len() + 1];
            category_probabilities(a, &b, theta, &mut p);
            let total: f64 = p.iter().sum();
            prop_assert!((total - 1.0).abs() < 1e-9);
            prop_assert!(p.iter().all(|x| x.is_finite() && *x >= 0.0));
        }
    }
}
