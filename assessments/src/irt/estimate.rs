//! Person scoring: where on the trait does a response pattern place someone?
//!
//! - **EAP** (expected a posteriori): the mean of the posterior distribution
//!   of theta, with a standard normal prior, computed on a fixed grid of
//!   quadrature nodes (61 points on [-6, 6] by default). Its standard error is
//!   the posterior standard deviation. Works for any subset of answered items,
//!   including none (then it returns the prior: theta 0, SE about 1).
//! - **MAP** (maximum a posteriori, "Bayes modal"): the peak of the posterior,
//!   found by Newton-Raphson; if Newton fails to converge the root of the
//!   posterior slope is found by bisection, which always succeeds because the
//!   GRM log-posterior is concave. SE = 1 / sqrt(posterior curvature).
//!
//! Speed: [`LogProbTable`] holds `ln P_ik(node)` for every item, category and
//! node, so an EAP is only additions over the grid plus one pass of `exp`.

use super::grm::{
    check_answers, log_category_probability, score_derivative, score_function, GrmItem,
};
use super::quadrature::Quadrature;
use super::IrtError;

/// Precomputed `ln P_ik(theta_q)` for every item `i`, category `k`, node `q`.
///
/// Layout: item-major, then category, then node, so that adding one answer
/// to a log-posterior is a contiguous vector addition.
#[derive(Debug, Clone)]
pub struct LogProbTable {
    n_nodes: usize,
    offsets: Vec<usize>,
    categories: Vec<usize>,
    data: Vec<f64>,
}

/// Log probabilities below this are clamped, so that an impossible answer
/// (probability underflowing to 0 far out on the grid) never makes a
/// posterior `-inf` everywhere.
pub(crate) const LOG_PROB_FLOOR: f64 = -700.0;

impl LogProbTable {
    /// Builds the table for `items` on the nodes of `quad`.
    pub fn new(items: &[GrmItem], quad: &Quadrature) -> Self {
        let n_nodes = quad.len();
        let mut offsets = Vec::with_capacity(items.len());
        let mut categories = Vec::with_capacity(items.len());
        let mut data = Vec::with_capacity(items.iter().map(|i| i.categories() * n_nodes).sum());
        for it in items {
            offsets.push(data.len());
            categories.push(it.categories());
            for k in 0..it.categories() {
                for &t in &quad.nodes {
                    data.push(log_category_probability(it.a, &it.b, t, k).max(LOG_PROB_FLOOR));
                }
            }
        }
        LogProbTable {
            n_nodes,
            offsets,
            categories,
            data,
        }
    }

    /// Number of items in the table.
    pub fn items(&self) -> usize {
        self.offsets.len()
    }

    /// Number of categories of item `i`.
    pub fn categories(&self, i: usize) -> usize {
        self.categories[i]
    }

    /// `ln P_ik` at every node (item and category must be in range).
    pub fn row(&self, i: usize, k: usize) -> &[f64] {
        let start = self.offsets[i] + k * self.n_nodes;
        &self.data[start..start + self.n_nodes]
    }

    /// Number of nodes the table was built on.
    pub fn nodes(&self) -> usize {
        self.n_nodes
    }
}

/// A person's estimated trait level.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ThetaEstimate {
    /// Estimated theta (trait level, on the calibration sample's z scale).
    pub theta: f64,
    /// Its standard error.
    pub se: f64,
    /// Number of answered items the estimate rests on.
    pub answered: usize,
    /// How the estimate was obtained.
    pub method: EstimationMethod,
}

/// How a theta estimate was computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum EstimationMethod {
    /// Posterior mean on the quadrature grid.
    Eap,
    /// Posterior mode found by Newton-Raphson.
    MapNewton,
    /// Posterior mode found by bisection after Newton did not converge.
    MapBisection,
}

/// A log-posterior over the quadrature nodes, built one answer at a time:
/// `ln post(theta_q) = ln w_q + sum_i ln P_{i x_i}(theta_q)` (unnormalised).
#[derive(Debug, Clone, PartialEq)]
pub struct LogPosterior {
    values: Vec<f64>,
    answered: usize,
}

impl LogPosterior {
    /// The prior alone (nobody has answered anything yet).
    pub fn prior(quad: &Quadrature) -> Self {
        LogPosterior {
            values: quad.log_prior.clone(),
            answered: 0,
        }
    }

    /// Adds the answer `k` to item `i` of `table` (must be in range; callers
    /// check answers first).
    pub fn add(&mut self, table: &LogProbTable, i: usize, k: usize) {
        for (v, l) in self.values.iter_mut().zip(table.row(i, k)) {
            *v += l;
        }
        self.answered += 1;
    }

    /// Adds answer `k` to `item`, computing `ln P_ik` at each node on the
    /// spot (for one-off scoring, where a whole table would be wasted work).
    pub fn add_answer(&mut self, item: &GrmItem, k: usize, quad: &Quadrature) {
        for (v, &t) in self.values.iter_mut().zip(&quad.nodes) {
            *v += log_category_probability(item.a, &item.b, t, k).max(LOG_PROB_FLOOR);
        }
        self.answered += 1;
    }

    /// Number of answers added so far.
    pub fn answered(&self) -> usize {
        self.answered
    }

    /// A placeholder estimate carrying only the answer count (theta 0, SE 0),
    /// for callers that compute the moments themselves.
    pub fn summary_without_moments(&self) -> ThetaEstimate {
        ThetaEstimate {
            theta: 0.0,
            se: 0.0,
            answered: self.answered,
            method: EstimationMethod::Eap,
        }
    }

    /// The posterior as weights over the nodes that sum to one,
    /// `exp(l_q - max) / sum_j exp(l_j - max)`.
    pub fn normalised_weights(&self) -> Vec<f64> {
        let m = self
            .values
            .iter()
            .copied()
            .fold(f64::NEG_INFINITY, f64::max);
        let mut w: Vec<f64> = self.values.iter().map(|v| (v - m).exp()).collect();
        let s: f64 = w.iter().sum();
        w.iter_mut().for_each(|x| *x /= s);
        w
    }

    /// Posterior mean and SD on the grid:
    /// `theta = sum_q theta_q post_q`, `SE = sqrt(sum_q (theta_q - theta)^2 post_q)`.
    pub fn summary(&self, quad: &Quadrature) -> ThetaEstimate {
        let m = self
            .values
            .iter()
            .copied()
            .fold(f64::NEG_INFINITY, f64::max);
        let (mut s0, mut s1, mut s2) = (0.0, 0.0, 0.0);
        for (v, t) in self.values.iter().zip(&quad.nodes) {
            let w = (v - m).exp();
            s0 += w;
            s1 += w * t;
            s2 += w * t * t;
        }
        let mean = s1 / s0;
        let var = (s2 / s0 - mean * mean).max(0.0);
        ThetaEstimate {
            theta: mean,
            se: var.sqrt(),
            answered: self.answered,
            method: EstimationMethod::Eap,
        }
    }
}

/// EAP estimate from precomputed tables; `answers[i]` is the category of
/// item `i` of the table or `None` if not answered.
pub fn eap_from_table(
    table: &LogProbTable,
    quad: &Quadrature,
    answers: &[Option<usize>],
) -> Result<ThetaEstimate, IrtError> {
    if answers.len() != table.items() {
        return Err(IrtError::LengthMismatch {
            items: table.items(),
            answers: answers.len(),
        });
    }
    let mut post = LogPosterior::prior(quad);
    for (i, x) in answers.iter().enumerate() {
        if let Some(k) = *x {
            if k >= table.categories(i) {
                return Err(IrtError::CategoryOutOfRange {
                    item: i,
                    category: k,
                    categories: table.categories(i),
                });
            }
            post.add(table, i, k);
        }
    }
    Ok(post.summary(quad))
}

/// EAP estimate with the default 61-node grid, for one person: only the
/// answered category of each answered item is evaluated (an unanswered item
/// adds nothing to the posterior), so a short adaptive pattern costs little;
/// use [`LogProbTable`] + [`eap_from_table`] when scoring many people on the
/// same items.
pub fn eap(items: &[GrmItem], answers: &[Option<usize>]) -> Result<ThetaEstimate, IrtError> {
    check_answers(items, answers)?;
    let quad = Quadrature::standard();
    let mut post = LogPosterior::prior(&quad);
    for (item, x) in items.iter().zip(answers) {
        if let Some(k) = *x {
            post.add_answer(item, k, &quad);
        }
    }
    Ok(post.summary(&quad))
}

/// Slope of the log-posterior with an N(0,1) prior,
/// `d/dtheta ln post = sum_i a_i (1 - P*_{i,x} - P*_{i,x+1}) - theta`.
fn log_posterior_slope(items: &[GrmItem], answers: &[Option<usize>], theta: f64) -> f64 {
    items
        .iter()
        .zip(answers)
        .filter_map(|(it, x)| x.map(|k| score_function(it.a, &it.b, theta, k)))
        .sum::<f64>()
        - theta
}

/// Curvature of the log-posterior, `sum_i d2/dtheta2 ln P_{i,x_i} - 1` (always < 0).
fn log_posterior_curvature(items: &[GrmItem], answers: &[Option<usize>], theta: f64) -> f64 {
    items
        .iter()
        .zip(answers)
        .filter_map(|(it, x)| x.map(|k| score_derivative(it.a, &it.b, theta, k)))
        .sum::<f64>()
        - 1.0
}

/// MAP estimate with an N(0,1) prior: Newton-Raphson from theta = 0 (steps
/// limited to 1 logit), falling back to bisection on the posterior slope if
/// Newton has not converged after 50 steps.
pub fn map(items: &[GrmItem], answers: &[Option<usize>]) -> Result<ThetaEstimate, IrtError> {
    check_answers(items, answers)?;
    let answered = answers.iter().filter(|x| x.is_some()).count();
    let finish = |theta: f64, method| {
        let info = -log_posterior_curvature(items, answers, theta);
        ThetaEstimate {
            theta,
            se: 1.0 / info.sqrt(),
            answered,
            method,
        }
    };
    if let Some(theta) = map_newton(items, answers, 0.0, 50) {
        return Ok(finish(theta, EstimationMethod::MapNewton));
    }
    Ok(finish(
        map_bisection(items, answers),
        EstimationMethod::MapBisection,
    ))
}

/// Newton-Raphson on the log-posterior slope: `theta <- theta - g / h`;
/// `None` if it has not converged to |step| < 1e-9 within `max_steps`.
fn map_newton(
    items: &[GrmItem],
    answers: &[Option<usize>],
    start: f64,
    max_steps: usize,
) -> Option<f64> {
    let mut theta = start;
    for _ in 0..max_steps {
        let g = log_posterior_slope(items, answers, theta);
        let h = log_posterior_curvature(items, answers, theta);
        let step = (-g / h).clamp(-1.0, 1.0);
        if !step.is_finite() {
            return None;
        }
        theta += step;
        if step.abs() < 1e-9 {
            return Some(theta);
        }
    }
    None
}

/// Bisection on the (decreasing) log-posterior slope. The root lies in
/// `[-(1 + sum a), 1 + sum a]` because each answer's slope is bounded by its `a`.
fn map_bisection(items: &[GrmItem], answers: &[Option<usize>]) -> f64 {
    let bound = 1.0
        + items
            .iter()
            .zip(answers)
            .filter(|(_, x)| x.is_some())
            .map(|(it, _)| it.a)
            .sum::<f64>();
    let (mut lo, mut hi) = (-bound, bound);
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if log_posterior_slope(items, answers, mid) > 0.0 {
            lo = mid;
        } else {
            hi = mid;
        }
        if hi - lo < 1e-12 {
            break;
        }
    }
    0.5 * (lo + hi)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::irt::grm::category_probabilities;

    fn items() -> Vec<GrmItem> {
        vec![
            GrmItem {
                a: 1.7,
                b: vec![-1.5, -0.4, 0.6, 1.8],
            },
            GrmItem {
                a: 0.8,
                b: vec![-2.0, 0.5],
            },
            GrmItem {
                a: 2.5,
                b: vec![0.3],
            },
            GrmItem {
                a: 1.2,
                b: vec![-0.9, 0.0, 0.9, 1.5],
            },
            GrmItem {
                a: 3.1,
                b: vec![-0.2, 1.0, 2.2, 3.0],
            },
        ]
    }

    /// Brute-force EAP by the trapezoid rule on 24,001 points over [-12, 12],
    /// with the exact normal density and likelihood.
    fn brute_force_eap(
        items: &[GrmItem],
        answers: &[Option<usize>],
        lo: f64,
        hi: f64,
        n: usize,
    ) -> (f64, f64) {
        let h = (hi - lo) / (n - 1) as f64;
        let (mut s0, mut s1, mut s2) = (0.0, 0.0, 0.0);
        for j in 0..n {
            let t = lo + h * j as f64;
            let trap = if j == 0 || j == n - 1 { 0.5 } else { 1.0 };
            let mut like = (-0.5 * t * t).exp();
            for (it, x) in items.iter().zip(answers) {
                if let Some(k) = x {
                    let mut p = vec![0.0; it.categories()];
                    category_probabilities(it.a, &it.b, t, &mut p);
                    like *= p[*k];
                }
            }
            s0 += trap * like;
            s1 += trap * like * t;
            s2 += trap * like * t * t;
        }
        let m = s1 / s0;
        (m, (s2 / s0 - m * m).sqrt())
    }

    /// EAP on the fast table path agrees with brute-force integration
    /// (trapezoid rule on 24,001 points, exact likelihood and normal density)
    /// to 1e-6 on a 241-node grid, and to 1e-5 on the default 61-node grid.
    #[test]
    fn eap_matches_brute_force_integration() {
        let items = items();
        let patterns: Vec<Vec<Option<usize>>> = vec![
            vec![Some(2), Some(1), Some(0), Some(3), Some(2)],
            vec![Some(4), Some(2), Some(1), None, Some(4)],
            vec![None, None, None, None, None],
            vec![Some(0), None, Some(0), Some(0), None],
        ];
        // A finer grid of the same rule (241 nodes) against brute force on [-6, 6].
        let quad = Quadrature::new(241, -6.0, 6.0).unwrap();
        let table = LogProbTable::new(&items, &quad);
        for pat in &patterns {
            let est = eap_from_table(&table, &quad, pat).unwrap();
            let (m, sd) = brute_force_eap(&items, pat, -6.0, 6.0, 24_001);
            assert!(
                (est.theta - m).abs() < 1e-6,
                "{pat:?}: {} vs {m}",
                est.theta
            );
            assert!((est.se - sd).abs() < 1e-6, "{pat:?}: {} vs {sd}", est.se);
        }
        // The default 61-node grid (spacing 0.2) is within 1e-5 of brute force,
        // on [-6, 6] and on the whole line ([-12, 12]); the largest error,
        // about 2e-6, comes from the sharp likelihood of a = 3.1 items.
        let quad = Quadrature::standard();
        let table = LogProbTable::new(&items, &quad);
        for pat in &patterns {
            let est = eap_from_table(&table, &quad, pat).unwrap();
            for (lo, hi, n) in [(-6.0, 6.0, 24_001), (-12.0, 12.0, 48_001)] {
                let (m, sd) = brute_force_eap(&items, pat, lo, hi, n);
                assert!(
                    (est.theta - m).abs() < 1e-5,
                    "{pat:?}: {} vs {m}",
                    est.theta
                );
                assert!((est.se - sd).abs() < 1e-5, "{pat:?}: {} vs {sd}", est.se);
            }
        }
    }

    proptest::proptest! {
        /// Whatever the items and answers (extreme a and b, any subset
        /// answered), EAP and MAP scores and SEs are finite numbers.
        #[test]
        fn scores_are_never_nan(
            params in proptest::collection::vec((0.05f64..10.0, -8.0f64..8.0, 0.01f64..4.0), 1..30),
            picks in proptest::collection::vec(proptest::option::of(0usize..3), 30),
        ) {
            let items: Vec<GrmItem> = params.iter().map(|&(a, b, gap)| GrmItem { a, b: vec![b, b + gap] }).collect();
            let answers: Vec<Option<usize>> = picks[..items.len()].to_vec();
            let e = eap(&items, &answers).unwrap();
            proptest::prop_assert!(e.theta.is_finite() && e.se.is_finite() && e.se >= 0.0);
            let m = map(&items, &answers).unwrap();
            proptest::prop_assert!(m.theta.is_finite() && m.se.is_finite() && m.se > 0.0);
        }

        /// `eap` (a table of the answered items only) gives exactly what the
        /// table of every item gives: unanswered items add nothing.
        #[test]
        fn leaving_unanswered_items_out_of_the_table_changes_nothing(
            params in proptest::collection::vec((0.2f64..4.0, -3.0f64..3.0, 0.1f64..2.0), 1..25),
            picks in proptest::collection::vec(proptest::option::of(0usize..3), 25),
        ) {
            let items: Vec<GrmItem> = params.iter().map(|&(a, b, gap)| GrmItem { a, b: vec![b, b + gap] }).collect();
            let answers: Vec<Option<usize>> = picks[..items.len()].to_vec();
            let quad = Quadrature::standard();
            let full = eap_from_table(&LogProbTable::new(&items, &quad), &quad, &answers).unwrap();
            let short = eap(&items, &answers).unwrap();
            proptest::prop_assert!((full.theta - short.theta).abs() < 1e-12 && (full.se - short.se).abs() < 1e-12);
            proptest::prop_assert_eq!(full.answered, short.answered);
        }
    }

    #[test]
    fn no_answers_gives_the_prior() {
        let est = eap(&items(), &[None; 5]).unwrap();
        assert!(est.theta.abs() < 1e-12);
        assert!((est.se - 1.0).abs() < 1e-3);
        assert_eq!(est.answered, 0);
    }

    #[test]
    fn higher_answers_give_higher_theta() {
        let low = eap(&items(), &[Some(0), Some(0), Some(0), Some(0), Some(0)]).unwrap();
        let high = eap(&items(), &[Some(4), Some(2), Some(1), Some(4), Some(4)]).unwrap();
        assert!(low.theta < -1.0 && high.theta > 1.0);
        assert!(low.se.is_finite() && high.se.is_finite());
    }

    #[test]
    fn map_is_where_the_posterior_slope_vanishes() {
        let items = items();
        let answers = [Some(3), Some(1), Some(1), Some(2), Some(3)];
        let est = map(&items, &answers).unwrap();
        assert_eq!(est.method, EstimationMethod::MapNewton);
        assert!(log_posterior_slope(&items, &answers, est.theta).abs() < 1e-8);
        // Bisection finds the same mode.
        assert!((map_bisection(&items, &answers) - est.theta).abs() < 1e-9);
        // MAP is close to EAP for a roughly symmetric posterior.
        let e = eap(&items, &answers).unwrap();
        assert!((e.theta - est.theta).abs() < 0.2);
    }

    #[test]
    fn map_falls_back_to_bisection_when_newton_is_cut_short() {
        // Extreme, near-step items: Newton from 0 with one step cannot converge.
        let items = vec![
            GrmItem {
                a: 10.0,
                b: vec![7.5]
            };
            3
        ];
        let answers = [Some(1); 3];
        assert!(map_newton(&items, &answers, 0.0, 1).is_none());
        let est = map(&items, &answers).unwrap();
        assert!(est.theta.is_finite() && est.se.is_finite());
        assert!(log_posterior_slope(&items, &answers, est.theta).abs() < 1e-6);
    }

    #[test]
    fn errors_for_bad_answers() {
        assert!(eap(&items(), &[Some(9), None, None, None, None]).is_err());
        assert!(map(&items(), &[None]).is_err());
    }
}
