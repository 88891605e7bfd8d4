//! After EM: standard errors from the empirical cross-product information,
//! EAP thetas, item fit (a Q1-style chi-square over 10 theta groups), and
//! parameter recovery (RMSE) for simulation checks.

use statrs::distribution::{ChiSquared, ContinuousCDF};

use crate::irt::quadrature::Quadrature;
use crate::irt::grm::{log_category_probability, GrmItem};
use super::{
    data::Observations,
    mstep::{boundaries, category_gradient, cholesky_solve},
    types::{ItemFit, P_FLOOR},
};

/// What the last pass over the data produces.
pub(super) struct FinalPass {
    pub(super) log_likelihood: f64,
    pub(super) standard_errors: Vec<Vec<Option<f64>>>,
    pub(super) fits: Vec<ItemFit>,
}

/// One more pass at the solution: person posteriors give (1) each person's
/// score vector per item, `s_p = sum_q post_pq d ln P_{i x_pi}(theta_q) / d psi`,
/// whose cross-products `sum_p s_p s_p'` form the item's empirical
/// information (SE = sqrt of the diagonal of its inverse), and (2) EAP
/// thetas for the item-fit groups.
pub(super) fn final_pass(
    obs: &Observations,
    items: &[GrmItem],
    offsets: &[usize],
    table: &[f64],
    quad: &Quadrature,
    groups: usize,
) -> FinalPass {
    let nq = quad.len();
    // d ln P_k / d psi at every node: for each row (i, k): K params x nq.
    let mut dlog: Vec<Vec<f64>> = Vec::with_capacity(obs.row_item.len());
    let mut star = Vec::new();
    for it in items {
        let kk = it.categories();
        let mut d = vec![0.0; kk];
        for k in 0..kk {
            let mut row = vec![0.0; kk * nq];
            for (q, &t) in quad.nodes.iter().enumerate() {
                boundaries(it.a, &it.b, t, &mut star);
                category_gradient(it.a, &it.b, t, &star, k, &mut d);
                let p = log_category_probability(it.a, &it.b, t, k)
                    .exp()
                    .max(P_FLOOR);
                for j in 0..kk {
                    row[j * nq + q] = d[j] / p;
                }
            }
            dlog.push(row);
        }
    }
    let mut xpd: Vec<Vec<f64>> = items
        .iter()
        .map(|it| vec![0.0; it.categories() * it.categories()])
        .collect();
    let mut thetas = Vec::with_capacity(obs.starts.len());
    let mut lp = vec![0.0; nq];
    let mut total = 0.0;
    let mut s = Vec::new();
    for w in obs.starts.windows(2) {
        let rows = &obs.rows[w[0]..w[1]];
        lp.copy_from_slice(&quad.log_prior);
        for &r in rows {
            let r = r as usize;
            for (v, l) in lp.iter_mut().zip(&table[r * nq..(r + 1) * nq]) {
                *v += l;
            }
        }
        let m = lp.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let mut sum = 0.0;
        for v in lp.iter_mut() {
            *v = (*v - m).exp();
            sum += *v;
        }
        total += m + sum.ln();
        lp.iter_mut().for_each(|v| *v /= sum);
        thetas.push(lp.iter().zip(&quad.nodes).map(|(p, t)| p * t).sum::<f64>());
        for &r in rows {
            let r = r as usize;
            let i = obs.row_item[r];
            let kk = items[i].categories();
            s.clear();
            s.extend((0..kk).map(|j| {
                dlog[r][j * nq..(j + 1) * nq]
                    .iter()
                    .zip(&lp)
                    .map(|(d, p)| d * p)
                    .sum::<f64>()
            }));
            let block = &mut xpd[i];
            for j in 0..kk {
                for l in 0..kk {
                    block[j * kk + l] += s[j] * s[l];
                }
            }
        }
    }
    let standard_errors = xpd
        .iter()
        .zip(items)
        .map(|(block, it)| inverse_diagonal_sqrt(block, it.categories()))
        .collect();
    let fits = item_fits(obs, items, offsets, &thetas, groups);
    FinalPass {
        log_likelihood: total,
        standard_errors,
        fits,
    }
}

/// `sqrt(diag(F^-1))` by solving `F x = e_j` for each unit vector.
pub(super) fn inverse_diagonal_sqrt(block: &[f64], n: usize) -> Vec<Option<f64>> {
    (0..n)
        .map(|j| {
            let mut e = vec![0.0; n];
            e[j] = 1.0;
            let mut f = block.to_vec();
            cholesky_solve(&mut f, &e, n)
                .and_then(|x| (x[j] > 0.0 && x[j].is_finite()).then(|| x[j].sqrt()))
        })
        .collect()
}

/// Q1-style item fit: respondents in `groups` equal-size groups by EAP.
pub(super) fn item_fits(
    obs: &Observations,
    items: &[GrmItem],
    offsets: &[usize],
    thetas: &[f64],
    groups: usize,
) -> Vec<ItemFit> {
    let n = thetas.len();
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&x, &y| thetas[x].total_cmp(&thetas[y]));
    let mut group_of = vec![0usize; n];
    for (rank, &p) in order.iter().enumerate() {
        group_of[p] = (rank * groups / n.max(1)).min(groups - 1);
    }
    // observed counts per item, group, category; theta sums per item and group
    let mut observed: Vec<Vec<f64>> = items
        .iter()
        .map(|it| vec![0.0; groups * it.categories()])
        .collect();
    let mut theta_sum: Vec<Vec<f64>> = vec![vec![0.0; groups]; items.len()];
    let mut group_n: Vec<Vec<f64>> = vec![vec![0.0; groups]; items.len()];
    for (p, w) in obs.starts.windows(2).enumerate() {
        let g = group_of[p];
        for &r in &obs.rows[w[0]..w[1]] {
            let r = r as usize;
            let i = obs.row_item[r];
            let k = r - offsets[i];
            observed[i][g * items[i].categories() + k] += 1.0;
            theta_sum[i][g] += thetas[p];
            group_n[i][g] += 1.0;
        }
    }
    items
        .iter()
        .enumerate()
        .map(|(i, it)| {
            let kk = it.categories();
            let mut chi = 0.0;
            let mut used_groups = 0;
            for g in 0..groups {
                let ng = group_n[i][g];
                if ng <= 0.0 {
                    continue;
                }
                used_groups += 1;
                let t = theta_sum[i][g] / ng;
                for k in 0..kk {
                    let e = ng * log_category_probability(it.a, &it.b, t, k).exp();
                    if e > 1e-10 {
                        let o = observed[i][g * kk + k];
                        chi += (o - e) * (o - e) / e;
                    }
                }
            }
            let df = (used_groups * (kk - 1)).saturating_sub(kk).max(1);
            let p_value = ChiSquared::new(df as f64)
                .map(|d| d.sf(chi))
                .unwrap_or(f64::NAN);
            let p_value = if p_value.is_finite() { p_value } else { 0.0 };
            ItemFit {
                chi_square: if chi.is_finite() { chi } else { f64::MAX },
                df,
                p_value,
            }
        })
        .collect()
}

/// Root mean squared difference of paired values, `sqrt(mean (x - y)^2)`.
pub fn rmse(x: &[f64], y: &[f64]) -> f64 {
    let n = x.len().min(y.len());
    if n == 0 {
        return 0.0;
    }
    (x.iter().zip(y).map(|(a, b)| (a - b).powi(2)).sum::<f64>() / n as f64).sqrt()
}

/// Recovery of simulated parameters: RMSE of `a` and of all thresholds `b_k`.
pub fn recovery_rmse(truth: &[GrmItem], estimated: &[GrmItem]) -> (f64, f64) {
    let ta: Vec<f64> = truth.iter().map(|i| i.a).collect();
    let ea: Vec<f64> = estimated.iter().map(|i| i.a).collect();
    let tb: Vec<f64> = truth.iter().flat_map(|i| i.b.iter().copied()).collect();
    let eb: Vec<f64> = estimated.iter().flat_map(|i| i.b.iter().copied()).collect();
    (rmse(&ta, &ea), rmse(&tb, &eb))
}
