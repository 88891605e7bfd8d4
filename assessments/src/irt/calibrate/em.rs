//! The EM cycle (Bock & Aitkin): the E-step's expected counts over the
//! quadrature nodes, an M-step per item, SQUAREM acceleration, until the
//! parameters stop moving; [`calibrate`] runs it.

use crate::irt::quadrature::Quadrature;
use crate::irt::grm::GrmItem;
use crate::irt::IrtError;
use super::{
    data::{check_matrix, sparse_category_warnings, starting_values, Observations},
    fit::final_pass,
    mstep::{gap_factors, m_step, node_probabilities},
    types::{Calibration, CalibrationOptions, CalibrationWarning, ItemCalibration, A_MAX, A_MIN},
};

/// Calibrates the items of one scale.
///
/// `responses[p][i]` is respondent `p`'s answer to item `i` as a category
/// index `0..categories[i]`, or `None` if not answered.
pub fn calibrate(
    responses: &[Vec<Option<usize>>],
    categories: &[usize],
    options: &CalibrationOptions,
) -> Result<Calibration, IrtError> {
    calibrate_observed(responses, categories, options, &mut |_, _| true)
}

/// [`calibrate`], telling `observe` after every EM cycle its number and the
/// marginal log-likelihood; when `observe` answers false the calibration
/// stops with [`IrtError::Cancelled`].
pub fn calibrate_observed(
    responses: &[Vec<Option<usize>>],
    categories: &[usize],
    options: &CalibrationOptions,
    observe: &mut dyn FnMut(usize, f64) -> bool,
) -> Result<Calibration, IrtError> {
    let n_items = categories.len();
    let counts = check_matrix(responses, categories)?;
    let quad = Quadrature::new(
        options.quadrature_nodes,
        -options.quadrature_bound,
        options.quadrature_bound,
    )?;
    let nq = quad.len();

    // Row offsets of each item in the item x category tables.
    let mut offsets = Vec::with_capacity(n_items);
    let mut row_item = Vec::new();
    for (i, &kk) in categories.iter().enumerate() {
        offsets.push(row_item.len());
        row_item.extend(std::iter::repeat_n(i, kk));
    }
    let n_rows = row_item.len();
    let obs = {
        let mut rows = Vec::new();
        let mut starts = vec![0];
        for row in responses {
            let before = rows.len();
            for (i, x) in row.iter().enumerate() {
                if let Some(k) = x {
                    rows.push((offsets[i] + k) as u32);
                }
            }
            if rows.len() > before {
                starts.push(rows.len());
            }
        }
        Observations {
            rows,
            starts,
            row_item,
        }
    };
    let respondents = obs.starts.len() - 1;
    let parameters: usize = categories.iter().sum();
    if respondents < parameters {
        return Err(IrtError::TooFewRespondents {
            respondents,
            parameters,
        });
    }

    let mut warnings = sparse_category_warnings(&counts);
    let mut items = starting_values(&counts);
    let log_table = vec![0.0; n_rows * nq];
    let expected = vec![0.0; n_rows * nq];
    let mut iterations = 0;
    let mut converged = false;
    let mut log_likelihood = f64::NEG_INFINITY;
    let mut work = EmWork {
        obs: &obs,
        offsets: &offsets,
        categories,
        quad: &quad,
        log_table,
        expected,
        m_steps: options.m_step_iterations,
    };
    // One EM cycle (E-step at `items`, then M-step): returns the new items
    // and the marginal log-likelihood at `items`.
    let cancelled = std::cell::Cell::new(false);
    let mut cycle = |items: &[GrmItem], iterations: &mut usize| {
        *iterations += 1;
        let (next, ll) = work.cycle(items);
        if !observe(*iterations, ll) {
            cancelled.set(true);
        }
        (next, ll)
    };
    while iterations < options.max_iterations && !cancelled.get() {
        let (p1, ll0) = cycle(&items, &mut iterations);
        log_likelihood = ll0;
        if max_change(&items, &p1) < options.tolerance {
            items = p1;
            converged = true;
            break;
        }
        if !options.accelerate || iterations >= options.max_iterations || cancelled.get() {
            items = p1;
            continue;
        }
        let (p2, ll1) = cycle(&p1, &mut iterations);
        log_likelihood = ll1;
        if max_change(&p1, &p2) < options.tolerance {
            items = p2;
            converged = true;
            break;
        }
        // SQUAREM extrapolation (Varadhan & Roland 2008, scheme S3):
        // r = p1 - p0, v = p2 - 2 p1 + p0, alpha = -min(|r| / |v|, ...) <= -1,
        // p' = p0 - 2 alpha r + alpha^2 v, then one EM cycle from p'.
        let p0 = flatten(&items);
        let (f1, f2) = (flatten(&p1), flatten(&p2));
        let r: Vec<f64> = f1.iter().zip(&p0).map(|(x, y)| x - y).collect();
        let v: Vec<f64> = f2
            .iter()
            .zip(&f1)
            .zip(&p0)
            .map(|((x2, x1), x0)| x2 - 2.0 * x1 + x0)
            .collect();
        let norm = |x: &[f64]| x.iter().map(|y| y * y).sum::<f64>().sqrt();
        let (nr, nv) = (norm(&r), norm(&v));
        let alpha = if nv > 0.0 { (-nr / nv).min(-1.0) } else { -1.0 };
        let extrapolated: Vec<f64> = p0
            .iter()
            .zip(&r)
            .zip(&v)
            .map(|((x, r), v)| x - 2.0 * alpha * r + alpha * alpha * v)
            .collect();
        let candidate = unflatten(&extrapolated, &items);
        if alpha < -1.0
            && iterations < options.max_iterations
            && candidate.iter().all(valid_parameters)
        {
            let (p3, ll_ext) = cycle(&candidate, &mut iterations);
            if ll_ext.is_finite() && ll_ext >= ll1 {
                items = p3;
                continue;
            }
        }
        items = p2;
    }
    if cancelled.get() {
        return Err(IrtError::Cancelled { cycles: iterations });
    }
    let EmWork { mut log_table, .. } = work;
    if !converged {
        warnings.push(CalibrationWarning::NotConverged { cycles: options.max_iterations, tolerance: options.tolerance });
    }
    fill_log_table(&items, &quad.nodes, &mut log_table);
    let finals = final_pass(
        &obs,
        &items,
        &offsets,
        &log_table,
        &quad,
        options.fit_groups.max(2),
    );
    log_likelihood = if finals.log_likelihood.is_finite() {
        finals.log_likelihood
    } else {
        log_likelihood
    };

    let mut out = Vec::with_capacity(n_items);
    for (i, item) in items.into_iter().enumerate() {
        if !(item.a.is_finite() && item.b.iter().all(|b| b.is_finite())) {
            return Err(IrtError::NonFinite { item: i });
        }
        if item.a >= A_MAX * 0.999 || item.a <= A_MIN * 1.001 {
            warnings.push(CalibrationWarning::DiscriminationAtBound { item: i, a: item.a });
        }
        let ses = &finals.standard_errors[i];
        out.push(ItemCalibration {
            a: item.a,
            se_a: ses.first().copied().flatten(),
            se_b: ses.iter().skip(1).copied().collect(),
            b: item.b,
            fit: finals.fits[i].clone(),
            respondents: counts[i].iter().sum(),
        });
    }
    Ok(Calibration {
        items: out,
        iterations,
        converged,
        log_likelihood,
        respondents,
        warnings,
    })
}

/// Buffers and data of the EM loop.
pub(super) struct EmWork<'a> {
    pub(super) obs: &'a Observations,
    pub(super) offsets: &'a [usize],
    pub(super) categories: &'a [usize],
    pub(super) quad: &'a Quadrature,
    pub(super) log_table: Vec<f64>,
    pub(super) expected: Vec<f64>,
    pub(super) m_steps: usize,
}

impl EmWork<'_> {
    /// E-step at `items`, then a per-item M-step from `items`.
    fn cycle(&mut self, items: &[GrmItem]) -> (Vec<GrmItem>, f64) {
        let nq = self.quad.len();
        fill_log_table(items, &self.quad.nodes, &mut self.log_table);
        let ll = e_step(
            self.obs,
            &self.log_table,
            &self.quad.log_prior,
            nq,
            &mut self.expected,
        );
        let mut next = items.to_vec();
        for (i, item) in next.iter_mut().enumerate() {
            let r =
                &self.expected[self.offsets[i] * nq..(self.offsets[i] + self.categories[i]) * nq];
            m_step(item, r, &self.quad.nodes, self.m_steps);
        }
        (next, ll)
    }
}

/// Largest absolute change of any parameter between two item sets.
pub(super) fn max_change(before: &[GrmItem], after: &[GrmItem]) -> f64 {
    before
        .iter()
        .zip(after)
        .flat_map(|(x, y)| {
            std::iter::once((x.a - y.a).abs())
                .chain(x.b.iter().zip(&y.b).map(|(p, q)| (p - q).abs()))
        })
        .fold(0.0, f64::max)
}

/// All parameters in one vector: `a_1, b_11.., a_2, b_21.., ...`.
pub(super) fn flatten(items: &[GrmItem]) -> Vec<f64> {
    items
        .iter()
        .flat_map(|it| std::iter::once(it.a).chain(it.b.iter().copied()))
        .collect()
}

/// Inverse of [`flatten`], shaped like `like`.
pub(super) fn unflatten(values: &[f64], like: &[GrmItem]) -> Vec<GrmItem> {
    let mut pos = 0;
    like.iter()
        .map(|it| {
            let a = values[pos];
            let b = values[pos + 1..pos + 1 + it.b.len()].to_vec();
            pos += 1 + it.b.len();
            GrmItem { a, b }
        })
        .collect()
}

/// Finite `a` within bounds and finite, strictly ordered thresholds.
pub(super) fn valid_parameters(item: &GrmItem) -> bool {
    item.a > A_MIN
        && item.a < A_MAX
        && item.b.iter().all(|b| b.is_finite())
        && item.b.windows(2).all(|w| w[1] > w[0])
}

/// `ln P_ik(theta_q)` for every row `(i, k)` and node, clamped at -700.
pub(super) fn fill_log_table(items: &[GrmItem], nodes: &[f64], table: &mut [f64]) {
    let nq = nodes.len();
    let mut row = 0;
    let mut star = Vec::new();
    for it in items {
        let kk = it.categories();
        let gaps = gap_factors(it);
        let (mut p, mut log_p) = (vec![0.0; kk], vec![0.0; kk]);
        for (q, &t) in nodes.iter().enumerate() {
            node_probabilities(it, &gaps, t, &mut star, &mut p, &mut log_p);
            for k in 0..kk {
                table[(row + k) * nq + q] = log_p[k].max(-700.0);
            }
        }
        row += kk;
    }
}

/// E-step: fills `expected` with `r_ikq = sum_{p: x_pi = k} post_p(theta_q)`
/// and returns the marginal log-likelihood.
pub(super) fn e_step(
    obs: &Observations,
    table: &[f64],
    prior: &[f64],
    nq: usize,
    expected: &mut [f64],
) -> f64 {
    expected.iter_mut().for_each(|x| *x = 0.0);
    let mut lp = vec![0.0; nq];
    let mut total = 0.0;
    for w in obs.starts.windows(2) {
        let rows = &obs.rows[w[0]..w[1]];
        lp.copy_from_slice(prior);
        for &r in rows {
            let r = r as usize;
            for (v, l) in lp.iter_mut().zip(&table[r * nq..(r + 1) * nq]) {
                *v += l;
            }
        }
        let m = lp.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let mut s = 0.0;
        for v in lp.iter_mut() {
            *v = (*v - m).exp();
            s += *v;
        }
        total += m + s.ln();
        let inv = 1.0 / s;
        lp.iter_mut().for_each(|v| *v *= inv);
        for &r in rows {
            let r = r as usize;
            for (e, p) in expected[r * nq..(r + 1) * nq].iter_mut().zip(&lp) {
                *e += p;
            }
        }
    }
    total
}
