//! Simulation studies: how would the adaptive test do, compared with giving
//! every item of each scale (the "full fixed form")?
//!
//! Simulated candidates have a true theta per scale drawn from N(0, 1) and
//! answer by the GRM. For each scale the report gives, for CAT and for the
//! full form side by side: mean and maximum number of items, mean final SE,
//! correlation and RMSE of estimated (EAP) versus true theta, and the
//! highest item exposure rate (share of candidates who saw the item).
//!
//! [`calibrate_sympson_hetter`] sets the Sympson-Hetter exposure parameters
//! by the classical iterative simulation so that no item is seen by more
//! than a target share of candidates.

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use super::{step_seed, CatConfig, CatError, CatPool, CatSession, PoolItem, StopReason};
use crate::irt::estimate::LogPosterior;
use crate::irt::sim::{draw_category, normal_thetas};

/// Summary of one form (CAT or full) on one scale.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct FormSummary {
    /// Mean number of items given.
    pub mean_items: f64,
    /// Most items given to any candidate.
    pub max_items: usize,
    /// Mean final SE (posterior SD).
    pub mean_se: f64,
    /// Share of candidates whose final SE met the target.
    pub share_se_target: f64,
    /// Pearson correlation of estimated and true theta.
    pub correlation: f64,
    /// Root mean squared error of estimated minus true theta.
    pub rmse: f64,
    /// Highest item exposure rate (1 for the full form).
    pub max_exposure: f64,
}

/// How many CAT runs each stopping rule ended.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct StopCounts {
    pub se_target: usize,
    pub max_items: usize,
    pub pool_exhausted: usize,
}

/// Study results for one scale.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ScaleStudy {
    /// Scale id.
    pub scale: String,
    /// Items of the scale in the pool (= full-form length).
    pub pool_items: usize,
    /// The adaptive test.
    pub cat: FormSummary,
    /// All items of the scale.
    pub full: FormSummary,
    /// Stopping rules that ended the CAT runs.
    pub stops: StopCounts,
    /// CAT exposure rate of each of the scale's items (pool order).
    pub exposure: Vec<f64>,
    /// Selection rate (before the Sympson-Hetter draw) of each item.
    pub selection: Vec<f64>,
}

/// A full simulation study.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct StudyReport {
    /// Simulated candidates.
    pub n: usize,
    /// Seed of the study.
    pub seed: u64,
    /// One entry per scale.
    pub scales: Vec<ScaleStudy>,
    /// Mean CAT items over full-form items, all scales together.
    pub item_ratio: f64,
}

/// Per-candidate seed derived from the study seed (`hash(seed, candidate)`).
fn candidate_seed(seed: u64, candidate: usize) -> u64 {
    step_seed(seed ^ 0xC0FF_EE00_D15E_A5E5, usize::MAX, candidate)
}

/// Runs `n` simulated candidates through the CAT and through the full form.
pub fn simulate(
    pool: &CatPool,
    config: &CatConfig,
    n: usize,
    seed: u64,
) -> Result<StudyReport, CatError> {
    let n_scales = pool.scales().len();
    let n_items = pool.items().len();
    let mut truth: Vec<Vec<f64>> = vec![Vec::with_capacity(n); n_scales];
    let mut cat_est: Vec<Vec<(f64, f64, usize)>> = vec![Vec::with_capacity(n); n_scales];
    let mut full_est: Vec<Vec<(f64, f64)>> = vec![Vec::with_capacity(n); n_scales];
    let mut stops = vec![StopCounts::default(); n_scales];
    let mut administered = vec![0usize; n_items];
    let mut selected = vec![0usize; n_items];
    let mut buf = Vec::new();
    for c in 0..n {
        let cseed = candidate_seed(seed, c);
        let mut rng = ChaCha8Rng::seed_from_u64(cseed);
        let thetas = normal_thetas(&mut rng, n_scales);
        let mut session = CatSession::new(pool, config, cseed)?;
        while let Some(item) = session.next_item() {
            let s = pool.item_scale[item].0;
            let k = draw_category(&mut rng, &pool.items()[item].grm, thetas[s], &mut buf);
            session.answer(item, Some(k))?;
            administered[item] += 1;
            selected[item] += 1;
        }
        for &r in session.exposure_rejections() {
            selected[r] += 1;
        }
        for (s, out) in session.outcomes().into_iter().enumerate() {
            truth[s].push(thetas[s]);
            cat_est[s].push((out.theta, out.se, out.items));
            match out.stop {
                Some(StopReason::SeTarget) => stops[s].se_target += 1,
                Some(StopReason::MaxItems) => stops[s].max_items += 1,
                _ => stops[s].pool_exhausted += 1,
            }
            // Full fixed form: every item of the scale, fresh answers.
            let mut post = LogPosterior::prior(pool.quadrature());
            for &idx in pool.scale_items(s) {
                let k = draw_category(&mut rng, &pool.items()[idx].grm, thetas[s], &mut buf);
                post.add(pool.table(), idx, k);
            }
            let e = post.summary(pool.quadrature());
            full_est[s].push((e.theta, e.se));
        }
    }
    let nf = n.max(1) as f64;
    let mut scales = Vec::with_capacity(n_scales);
    let (mut cat_items, mut full_items) = (0.0, 0.0);
    for s in 0..n_scales {
        let members = pool.scale_items(s);
        let exposure: Vec<f64> = members
            .iter()
            .map(|&i| administered[i] as f64 / nf)
            .collect();
        let selection: Vec<f64> = members.iter().map(|&i| selected[i] as f64 / nf).collect();
        let cat_theta: Vec<f64> = cat_est[s].iter().map(|e| e.0).collect();
        let full_theta: Vec<f64> = full_est[s].iter().map(|e| e.0).collect();
        let share = |ses: &mut dyn Iterator<Item = f64>| {
            ses.filter(|se| *se <= config.se_target).count() as f64 / nf
        };
        let cat = FormSummary {
            mean_items: cat_est[s].iter().map(|e| e.2 as f64).sum::<f64>() / nf,
            max_items: cat_est[s].iter().map(|e| e.2).max().unwrap_or(0),
            mean_se: cat_est[s].iter().map(|e| e.1).sum::<f64>() / nf,
            share_se_target: share(&mut cat_est[s].iter().map(|e| e.1)),
            correlation: correlation(&cat_theta, &truth[s]),
            rmse: crate::irt::calibrate::rmse(&cat_theta, &truth[s]),
            max_exposure: exposure.iter().copied().fold(0.0, f64::max),
        };
        let full = FormSummary {
            mean_items: members.len() as f64,
            max_items: members.len(),
            mean_se: full_est[s].iter().map(|e| e.1).sum::<f64>() / nf,
            share_se_target: share(&mut full_est[s].iter().map(|e| e.1)),
            correlation: correlation(&full_theta, &truth[s]),
            rmse: crate::irt::calibrate::rmse(&full_theta, &truth[s]),
            max_exposure: if n > 0 { 1.0 } else { 0.0 },
        };
        cat_items += cat.mean_items;
        full_items += full.mean_items;
        scales.push(ScaleStudy {
            scale: pool.scales()[s].clone(),
            pool_items: members.len(),
            cat,
            full,
            stops: stops[s].clone(),
            exposure,
            selection,
        });
    }
    let item_ratio = if full_items > 0.0 {
        cat_items / full_items
    } else {
        0.0
    };
    Ok(StudyReport {
        n,
        seed,
        scales,
        item_ratio,
    })
}

/// Pearson correlation `cov(x, y) / (sd(x) sd(y))`; 0 when either is constant.
pub fn correlation(x: &[f64], y: &[f64]) -> f64 {
    let n = x.len().min(y.len());
    if n < 2 {
        return 0.0;
    }
    let mx = x[..n].iter().sum::<f64>() / n as f64;
    let my = y[..n].iter().sum::<f64>() / n as f64;
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (a, b) in x.iter().zip(y) {
        sxy += (a - mx) * (b - my);
        sxx += (a - mx) * (a - mx);
        syy += (b - my) * (b - my);
    }
    if sxx <= 0.0 || syy <= 0.0 {
        0.0
    } else {
        sxy / (sxx * syy).sqrt()
    }
}

/// Sympson-Hetter exposure parameters by iterative simulation: starting
/// from `k_i = 1`, each round simulates `n` candidates and sets
/// `k_i = min(1, target_rate / P(selected_i))`. Returns the items with their
/// new `exposure_parameter`. Sympson-Hetter control is probabilistic: the
/// observed maximum exposure then sits near the target, within sampling
/// error, rather than under it with certainty.
pub fn calibrate_sympson_hetter(
    items: Vec<PoolItem>,
    config: &CatConfig,
    target_rate: f64,
    n: usize,
    rounds: usize,
    seed: u64,
) -> Result<Vec<PoolItem>, CatError> {
    if !(target_rate > 0.0 && target_rate <= 1.0) {
        return Err(CatError::InvalidConfig(format!(
            "target exposure rate {target_rate} must be in (0, 1]"
        )));
    }
    let mut config = config.clone();
    config.sympson_hetter = true;
    let mut items = items;
    items.iter_mut().for_each(|i| i.exposure_parameter = 1.0);
    for round in 0..rounds {
        let pool = CatPool::new(items.clone())?;
        let report = simulate(&pool, &config, n, step_seed(seed, round, 0))?;
        for (s, study) in report.scales.iter().enumerate() {
            for (j, &idx) in pool.scale_items(s).iter().enumerate() {
                let p_select = study.selection[j];
                items[idx].exposure_parameter = if p_select > target_rate {
                    (target_rate / p_select).clamp(1e-3, 1.0)
                } else {
                    1.0
                };
            }
        }
    }
    Ok(items)
}
