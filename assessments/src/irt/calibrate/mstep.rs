//! The M-step of one item: maximise `sum_q sum_k r_ikq ln P_ik(theta_q)` over
//! (a, b) by Fisher scoring, with the GRM's boundary curves, gradient and
//! expected information, and a small positive-definite solver.

use crate::irt::grm::{logistic, GrmItem};
use super::types::{A_MAX, A_MIN, P_FLOOR};

/// Boundary curves at one node: `P*_k` for `k = 0..=K` (with `P*_0 = 1`, `P*_K = 0`).
pub(super) fn boundaries(a: f64, b: &[f64], theta: f64, out: &mut Vec<f64>) {
    out.clear();
    out.push(1.0);
    out.extend(b.iter().map(|bk| logistic(a * (theta - bk))));
    out.push(0.0);
}

/// Derivatives of the category probability `P_k` with respect to
/// `(a, b_1, ..., b_{K-1})` at one node, written into `d` (length K):
/// `dP_k/da = W_k (theta - b_k) - W_{k+1} (theta - b_{k+1})`,
/// `dP_k/db_k = -a W_k`, `dP_k/db_{k+1} = a W_{k+1}`, with `W = P* (1 - P*)`.
pub(super) fn category_gradient(a: f64, b: &[f64], theta: f64, star: &[f64], k: usize, d: &mut [f64]) {
    d.iter_mut().for_each(|x| *x = 0.0);
    let w = |j: usize| star[j] * (1.0 - star[j]);
    let kk = b.len() + 1;
    if k >= 1 {
        d[0] += w(k) * (theta - b[k - 1]);
        d[k] = -a * w(k);
    }
    if k + 1 < kk {
        d[0] -= w(k + 1) * (theta - b[k]);
        d[k + 1] = a * w(k + 1);
    }
}

/// Category probabilities and their logs at one node, without cancellation:
/// `P_k = P*_k (1 - P*_{k+1}) g_k` where `g_k = 1 - exp(-a (b_{k+1} - b_k))`
/// is a per-item constant (`g = 1` for the end categories). `star` receives
/// the boundary curves `P*_0..=P*_K`.
pub(super) fn node_probabilities(
    item: &GrmItem,
    gaps: &[f64],
    theta: f64,
    star: &mut Vec<f64>,
    p: &mut [f64],
    log_p: &mut [f64],
) {
    boundaries(item.a, &item.b, theta, star);
    let kk = item.categories();
    for k in 0..kk {
        // 1 - P*_{k+1} as logistic(-x): exact even when P*_{k+1} is near 1
        let not_next = if k + 1 == kk {
            1.0
        } else {
            logistic(-item.a * (theta - item.b[k]))
        };
        let pk = star[k] * not_next * gaps[k];
        p[k] = pk.max(P_FLOOR);
        log_p[k] = p[k].ln();
    }
}

/// The per-item constants `g_k = 1 - exp(-a (b_{k+1} - b_k))` of [`node_probabilities`].
pub(super) fn gap_factors(item: &GrmItem) -> Vec<f64> {
    let kk = item.categories();
    (0..kk)
        .map(|k| {
            if k == 0 || k + 1 == kk {
                1.0
            } else {
                -(-item.a * (item.b[k] - item.b[k - 1])).exp_m1()
            }
        })
        .collect()
}

/// Expected complete-data log-likelihood of one item, `sum_q sum_k r_kq ln P_k(theta_q)`.
pub(super) fn item_log_likelihood(item: &GrmItem, r: &[f64], nodes: &[f64]) -> f64 {
    let kk = item.categories();
    let nq = nodes.len();
    let gaps = gap_factors(item);
    let (mut star, mut p, mut log_p) = (Vec::with_capacity(kk + 1), vec![0.0; kk], vec![0.0; kk]);
    let mut ll = 0.0;
    for (q, &t) in nodes.iter().enumerate() {
        node_probabilities(item, &gaps, t, &mut star, &mut p, &mut log_p);
        for k in 0..kk {
            ll += r[k * nq + q] * log_p[k];
        }
    }
    ll
}

/// Log-likelihood `sum_q sum_k r_kq ln P_k`, gradient `g = sum_q sum_k r_kq dP_k / P_k`
/// and expected information `F = sum_q n_q sum_k dP_k dP_k' / P_k`
/// (with `n_q = sum_k r_kq`) of one item.
pub(super) fn item_gradient_and_information(
    item: &GrmItem,
    r: &[f64],
    nodes: &[f64],
) -> (f64, Vec<f64>, Vec<f64>) {
    let kk = item.categories();
    let nq = nodes.len();
    let gaps = gap_factors(item);
    let mut g = vec![0.0; kk];
    let mut f = vec![0.0; kk * kk];
    let (mut star, mut p, mut log_p) = (Vec::with_capacity(kk + 1), vec![0.0; kk], vec![0.0; kk]);
    let mut d = vec![0.0; kk];
    let mut ll = 0.0;
    for (q, &t) in nodes.iter().enumerate() {
        let n_q: f64 = (0..kk).map(|k| r[k * nq + q]).sum();
        if n_q <= 0.0 {
            continue;
        }
        node_probabilities(item, &gaps, t, &mut star, &mut p, &mut log_p);
        for k in 0..kk {
            category_gradient(item.a, &item.b, t, &star, k, &mut d);
            let rk = r[k * nq + q];
            ll += rk * log_p[k];
            let inv = 1.0 / p[k];
            for j in 0..kk {
                let dj = d[j] * inv;
                g[j] += rk * dj;
                let w = n_q * dj;
                for l in 0..kk {
                    f[j * kk + l] += w * d[l];
                }
            }
        }
    }
    (ll, g, f)
}

/// M-step for one item: Fisher scoring `psi <- psi + F^-1 g`, halving the
/// step until thresholds stay ordered, `a` stays in bounds and the item's
/// expected log-likelihood does not decrease.
pub(super) fn m_step(item: &mut GrmItem, r: &[f64], nodes: &[f64], iterations: usize) {
    let kk = item.categories();
    for _ in 0..iterations.max(1) {
        let (base, g, mut f) = item_gradient_and_information(item, r, nodes);
        let Some(delta) = solve_spd(&mut f, &g, kk) else {
            return;
        };
        let mut scale = 1.0;
        let mut accepted = false;
        for _ in 0..20 {
            let a = item.a + scale * delta[0];
            let b: Vec<f64> = item
                .b
                .iter()
                .zip(&delta[1..])
                .map(|(b, d)| b + scale * d)
                .collect();
            let ordered = b.windows(2).all(|w| w[1] > w[0]);
            if ordered && a > A_MIN && a < A_MAX && b.iter().all(|x| x.is_finite()) {
                let trial = GrmItem { a, b };
                if item_log_likelihood(&trial, r, nodes) >= base - 1e-9 * base.abs().max(1.0) {
                    *item = trial;
                    accepted = true;
                    break;
                }
            }
            scale *= 0.5;
        }
        let step = delta.iter().fold(0.0f64, |m, d| m.max(d.abs())) * scale;
        if !accepted || step < 1e-7 {
            return;
        }
    }
}

/// Solves `F x = g` for a symmetric positive-definite `F` (n x n, row-major)
/// by Cholesky factorisation; a small ridge is added if `F` is not positive
/// definite. `None` if that fails too.
pub(super) fn solve_spd(f: &mut [f64], g: &[f64], n: usize) -> Option<Vec<f64>> {
    let original = f.to_vec();
    for ridge in [0.0, 1e-8, 1e-4, 1e-2] {
        f.copy_from_slice(&original);
        let diag_scale = (0..n)
            .map(|i| original[i * n + i].abs())
            .fold(0.0, f64::max)
            .max(1e-300);
        for i in 0..n {
            f[i * n + i] += ridge * diag_scale;
        }
        if let Some(x) = cholesky_solve(f, g, n) {
            return Some(x);
        }
    }
    None
}

/// Cholesky `F = L L'` in place, then forward and back substitution.
pub(super) fn cholesky_solve(f: &mut [f64], g: &[f64], n: usize) -> Option<Vec<f64>> {
    for j in 0..n {
        let mut s = f[j * n + j];
        for k in 0..j {
            s -= f[j * n + k] * f[j * n + k];
        }
        if !(s > 0.0 && s.is_finite()) {
            return None;
        }
        let l = s.sqrt();
        f[j * n + j] = l;
        for i in j + 1..n {
            let mut s = f[i * n + j];
            for k in 0..j {
                s -= f[i * n + k] * f[j * n + k];
            }
            f[i * n + j] = s / l;
        }
    }
    let mut y = vec![0.0; n];
    for i in 0..n {
        let mut s = g[i];
        for k in 0..i {
            s -= f[i * n + k] * y[k];
        }
        y[i] = s / f[i * n + i];
    }
    let mut x = vec![0.0; n];
    for i in (0..n).rev() {
        let mut s = y[i];
        for k in i + 1..n {
            s -= f[k * n + i] * x[k];
        }
        x[i] = s / f[i * n + i];
    }
    x.iter().all(|v| v.is_finite()).then_some(x)
}
