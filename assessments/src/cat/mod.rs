//! Computerised adaptive testing (PSYCHOMETRICS.md section 6).
//!
//! The engine is organised like catsim's split, as small pure pieces:
//! - *model*: the GRM of [`crate::irt::grm`], precompiled for a pool
//!   ([`CatPool`]: log-probability tables and an information grid);
//! - *estimation*: EAP on the 61-node grid after every answer;
//! - *selection*: maximum Fisher information at the current EAP among the
//!   eligible items, with content balancing by facet and exposure control
//!   (randomesque top-k and Sympson-Hetter);
//! - *stopping*: SE <= target (default 0.30) once the minimum number of
//!   items is reached, or the maximum number of items, or an exhausted pool.
//!
//! Several scales run side by side, interleaved round-robin over the scales
//! that have not stopped, into one sequence the candidate sees.
//!
//! **Determinism.** A session is a pure state machine: given the pool, the
//! configuration, the seed and the answers so far, the next item is always
//! the same. Every random choice (randomesque pick, Sympson-Hetter draw) comes
//! from a `ChaCha8Rng` seeded by a hash of (seed, scale, step within scale),
//! so a server can rebuild a session after a crash by replaying the answers
//! ([`replay`] / [`next_step`]).
//!
//! **Trace.** Every step records the item, the answer, and theta and SE after
//! the answer; each scale records the rule that stopped it.

pub mod study;

use std::collections::BTreeMap;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::irt::estimate::{LogPosterior, LogProbTable, ThetaEstimate};
use crate::irt::quadrature::Quadrature;
use crate::irt::grm::{item_information, validate_item, GrmItem};
use crate::irt::IrtError;

/// One item of an adaptive pool.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct PoolItem {
    /// Bank item id (shown in traces).
    pub id: String,
    /// Scale the item measures.
    pub scale: String,
    /// Facet within the scale, for content balancing.
    pub facet: Option<String>,
    /// GRM parameters.
    pub grm: GrmItem,
    /// Sympson-Hetter exposure parameter: the probability that the item is
    /// actually given when it is selected (1 = no control). In (0, 1].
    pub exposure_parameter: f64,
}

impl PoolItem {
    /// An item without facet and without exposure control.
    pub fn new(id: impl Into<String>, scale: impl Into<String>, grm: GrmItem) -> Self {
        PoolItem {
            id: id.into(),
            scale: scale.into(),
            facet: None,
            grm,
            exposure_parameter: 1.0,
        }
    }
}

/// Settings of an adaptive run (the same for every scale).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct CatConfig {
    /// Stop a scale once its SE is at or below this (default 0.30, about reliability .91).
    pub se_target: f64,
    /// Never stop a scale before this many items (default 3).
    pub min_items: usize,
    /// Always stop a scale at this many items (default 20).
    pub max_items: usize,
    /// Randomesque exposure control: pick at random among the `k` most
    /// informative eligible items (default 1 = always the best).
    pub randomesque: usize,
    /// Apply the items' Sympson-Hetter exposure parameters (default true).
    pub sympson_hetter: bool,
    /// Balance facets within scales that have them (default true).
    pub balance_facets: bool,
    /// Target facet proportions per scale: scale -> facet -> share. Scales
    /// with facets but no targets get equal shares.
    pub facet_targets: BTreeMap<String, BTreeMap<String, f64>>,
}

impl Default for CatConfig {
    fn default() -> Self {
        CatConfig {
            se_target: 0.30,
            min_items: 3,
            max_items: 20,
            randomesque: 1,
            sympson_hetter: true,
            balance_facets: true,
            facet_targets: BTreeMap::new(),
        }
    }
}

/// Errors of the adaptive layer.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CatError {
    #[error("the item pool is empty")]
    EmptyPool,
    #[error("pool item {id}: {source}")]
    InvalidItem { id: String, source: IrtError },
    #[error("pool item {id}: Sympson-Hetter exposure parameter {value} must be in (0, 1]")]
    InvalidExposureParameter { id: String, value: f64 },
    #[error("pool item id {0} appears twice")]
    DuplicateItem(String),
    #[error("configuration: {0}")]
    InvalidConfig(String),
    #[error("item {got} was answered but the engine had asked for {expected:?}; the answers do not belong to this pool, configuration and seed")]
    UnexpectedItem { expected: Option<usize>, got: usize },
    #[error("answer category {category} is outside 0..{categories} for item {item}")]
    CategoryOutOfRange {
        item: usize,
        category: usize,
        categories: usize,
    },
}

/// Why a scale's adaptive run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum StopReason {
    /// SE reached the target after at least the minimum number of items.
    SeTarget,
    /// The maximum number of items was reached.
    MaxItems,
    /// No eligible item was left (pool used up or blocked by exposure control).
    PoolExhausted,
}

/// One administered item, as shown to the psychologist.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct TraceStep {
    /// Position in the candidate's sequence (0-based).
    pub step: usize,
    /// Scale of the item.
    pub scale: String,
    /// Pool index of the item.
    pub item: usize,
    /// Bank id of the item.
    pub item_id: String,
    /// The answer category (`None` = skipped).
    pub answer: Option<usize>,
    /// EAP theta of the scale after this answer.
    pub theta: f64,
    /// Its SE (posterior SD) after this answer.
    pub se: f64,
}

/// Where a scale stands.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ScaleOutcome {
    /// Scale id.
    pub scale: String,
    /// Current EAP theta (0 before any answer).
    pub theta: f64,
    /// Current SE.
    pub se: f64,
    /// Items administered (answered or skipped).
    pub items: usize,
    /// The rule that ended the run, once it has ended.
    pub stop: Option<StopReason>,
}

/// An item answer fed back into the engine (`category: None` = skipped).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Answer {
    /// Pool index of the item.
    pub item: usize,
    /// Answer category `0..K`, or `None` if skipped.
    pub category: Option<usize>,
}

/// Theta grid on which item information is tabulated for selection.
const INFO_LO: f64 = -6.0;
const INFO_STEP: f64 = 0.05;
const INFO_POINTS: usize = 241;

/// A pool compiled for fast adaptive testing. Build once per bank version
/// and share between sessions.
#[derive(Debug, Clone)]
pub struct CatPool {
    items: Vec<PoolItem>,
    scales: Vec<String>,
    /// pool indices of each scale's items
    scale_items: Vec<Vec<usize>>,
    /// scale index and position within the scale of each pool item
    item_scale: Vec<(usize, usize)>,
    /// facet names per scale, and the facet index of each pool item
    scale_facets: Vec<Vec<String>>,
    item_facet: Vec<Option<usize>>,
    quad: Quadrature,
    table: LogProbTable,
    /// `P_ik(theta_q)` (the exponentials of `table`), same layout, and the
    /// start of each item's rows
    probs: Vec<f64>,
    prob_offsets: Vec<usize>,
    /// per scale: information on the grid, grid-point-major: `g * n + j`
    info: Vec<Vec<f64>>,
}

impl CatPool {
    /// Checks and compiles a pool. Scales appear in the order of their first item.
    pub fn new(items: Vec<PoolItem>) -> Result<Self, CatError> {
        if items.is_empty() {
            return Err(CatError::EmptyPool);
        }
        let mut seen = std::collections::BTreeSet::new();
        for it in &items {
            validate_item(&it.grm, 0).map_err(|source| CatError::InvalidItem {
                id: it.id.clone(),
                source,
            })?;
            let v = it.exposure_parameter;
            if !(v > 0.0 && v <= 1.0) {
                return Err(CatError::InvalidExposureParameter {
                    id: it.id.clone(),
                    value: v,
                });
            }
            if !seen.insert(it.id.clone()) {
                return Err(CatError::DuplicateItem(it.id.clone()));
            }
        }
        let mut scales: Vec<String> = Vec::new();
        let mut scale_items: Vec<Vec<usize>> = Vec::new();
        let mut scale_facets: Vec<Vec<String>> = Vec::new();
        let mut item_scale = Vec::with_capacity(items.len());
        let mut item_facet = Vec::with_capacity(items.len());
        for (idx, it) in items.iter().enumerate() {
            let s = match scales.iter().position(|s| *s == it.scale) {
                Some(s) => s,
                None => {
                    scales.push(it.scale.clone());
                    scale_items.push(Vec::new());
                    scale_facets.push(Vec::new());
                    scales.len() - 1
                }
            };
            item_scale.push((s, scale_items[s].len()));
            scale_items[s].push(idx);
            item_facet.push(it.facet.as_ref().map(|f| {
                match scale_facets[s].iter().position(|x| x == f) {
                    Some(p) => p,
                    None => {
                        scale_facets[s].push(f.clone());
                        scale_facets[s].len() - 1
                    }
                }
            }));
        }
        let quad = Quadrature::standard();
        let grm: Vec<GrmItem> = items.iter().map(|i| i.grm.clone()).collect();
        let table = LogProbTable::new(&grm, &quad);
        let info = scale_items
            .iter()
            .map(|members| {
                let n = members.len();
                let mut v = vec![0.0; INFO_POINTS * n];
                for g in 0..INFO_POINTS {
                    let t = INFO_LO + INFO_STEP * g as f64;
                    for (j, &idx) in members.iter().enumerate() {
                        v[g * n + j] = item_information(grm[idx].a, &grm[idx].b, t);
                    }
                }
                v
            })
            .collect();
        let mut probs = Vec::new();
        let mut prob_offsets = Vec::with_capacity(grm.len());
        for (i, it) in grm.iter().enumerate() {
            prob_offsets.push(probs.len());
            for k in 0..it.categories() {
                probs.extend(table.row(i, k).iter().map(|l| l.exp()));
            }
        }
        Ok(CatPool {
            items,
            scales,
            scale_items,
            item_scale,
            scale_facets,
            item_facet,
            quad,
            table,
            probs,
            prob_offsets,
            info,
        })
    }

    /// The pool's items, in pool-index order.
    pub fn items(&self) -> &[PoolItem] {
        &self.items
    }

    /// Scale ids, in interleaving order.
    pub fn scales(&self) -> &[String] {
        &self.scales
    }

    /// Pool indices of a scale's items.
    pub fn scale_items(&self, scale: usize) -> &[usize] {
        &self.scale_items[scale]
    }

    /// Pool index of an item id.
    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.items.iter().position(|i| i.id == id)
    }

    /// The quadrature grid used for EAP.
    pub fn quadrature(&self) -> &Quadrature {
        &self.quad
    }

    /// `P_ik` at every quadrature node.
    fn probability_row(&self, i: usize, k: usize) -> &[f64] {
        let n = self.quad.len();
        let start = self.prob_offsets[i] + k * n;
        &self.probs[start..start + n]
    }

    /// The log-probability table of all pool items.
    pub fn table(&self) -> &LogProbTable {
        &self.table
    }

    /// Information of the `j`-th item of scale `s` at `theta`, linearly
    /// interpolated on a 0.05-spaced grid over [-6, 6] (relative error
    /// below about 1e-3 for a <= 3; selection only needs the ranking).
    #[cfg(test)]
    fn information(&self, s: usize, j: usize, grid: (usize, f64)) -> f64 {
        let (row0, row1) = self.information_rows(s, grid.0);
        row0[j] + grid.1 * (row1[j] - row0[j])
    }

    /// Information of all items of scale `s` at grid points `g` and `g + 1`.
    fn information_rows(&self, s: usize, g: usize) -> (&[f64], &[f64]) {
        let n = self.scale_items[s].len();
        let v = &self.info[s];
        (&v[g * n..(g + 1) * n], &v[(g + 1) * n..(g + 2) * n])
    }
}

/// Grid cell and interpolation weight of `theta` (clamped to the grid).
fn grid_position(theta: f64) -> (usize, f64) {
    let x = ((theta - INFO_LO) / INFO_STEP).clamp(0.0, (INFO_POINTS - 1) as f64 - 1e-9);
    let g = x.floor() as usize;
    (g.min(INFO_POINTS - 2), x - g as f64)
}

/// SplitMix64 finaliser, a well-mixed 64-bit hash step.
fn splitmix64(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// Seed of the random choices at one step: `hash(seed, scale, step)`.
pub fn step_seed(seed: u64, scale: usize, step: usize) -> u64 {
    splitmix64(splitmix64(splitmix64(seed) ^ scale as u64) ^ step as u64)
}

/// Per-scale state of a session.
#[derive(Debug, Clone)]
struct ScaleState {
    posterior: LogPosterior,
    /// the same posterior as normalised weights over the nodes
    weights: Vec<f64>,
    estimate: ThetaEstimate,
    administered: usize,
    used: Vec<bool>,
    blocked: Vec<bool>,
    /// items neither used nor blocked
    remaining: usize,
    /// 0 for an eligible item, -inf for a used or blocked one (added to its
    /// information so that a branch-free scan never picks it)
    mask: Vec<f64>,
    facet_counts: Vec<usize>,
    stop: Option<StopReason>,
}

/// A candidate's adaptive session over all scales of a pool.
#[derive(Debug, Clone)]
pub struct CatSession<'a> {
    pool: &'a CatPool,
    config: &'a CatConfig,
    seed: u64,
    scales: Vec<ScaleState>,
    /// facet targets per scale, resolved against the pool
    targets: Vec<Vec<f64>>,
    trace: Vec<TraceStep>,
    last_scale: Option<usize>,
    pending: Option<usize>,
    rejections: Vec<usize>,
}

impl<'a> CatSession<'a> {
    /// A fresh session (theta 0 on every scale).
    pub fn new(pool: &'a CatPool, config: &'a CatConfig, seed: u64) -> Result<Self, CatError> {
        let targets = check_config(pool, config)?;
        let prior = LogPosterior::prior(&pool.quad);
        let estimate = prior.summary(&pool.quad);
        let prior_weights: Vec<f64> = pool.quad.log_prior.iter().map(|l| l.exp()).collect();
        let scales = pool
            .scale_items
            .iter()
            .enumerate()
            .map(|(s, members)| ScaleState {
                posterior: prior.clone(),
                weights: prior_weights.clone(),
                estimate,
                administered: 0,
                used: vec![false; members.len()],
                blocked: vec![false; members.len()],
                remaining: members.len(),
                mask: vec![0.0; members.len()],
                facet_counts: vec![0; pool.scale_facets[s].len()],
                stop: None,
            })
            .collect();
        Ok(CatSession {
            pool,
            config,
            seed,
            scales,
            targets,
            trace: Vec::new(),
            last_scale: None,
            pending: None,
            rejections: Vec::new(),
        })
    }

    /// The next item to show (pool index), or `None` when every scale has
    /// stopped. Asking again before answering returns the same item.
    pub fn next_item(&mut self) -> Option<usize> {
        if self.pending.is_some() {
            return self.pending;
        }
        let n = self.scales.len();
        let start = self.last_scale.map_or(0, |s| s + 1);
        for offset in 0..n {
            let s = (start + offset) % n;
            if self.scales[s].stop.is_some() {
                continue;
            }
            if let Some(reason) = self.stopping_rule(s) {
                self.scales[s].stop = Some(reason);
                continue;
            }
            match self.select(s) {
                Some(item) => {
                    self.pending = Some(item);
                    self.last_scale = Some(s);
                    return Some(item);
                }
                None => self.scales[s].stop = Some(StopReason::PoolExhausted),
            }
        }
        None
    }

    /// Records the answer to the pending item and updates that scale's EAP.
    pub fn answer(&mut self, item: usize, category: Option<usize>) -> Result<(), CatError> {
        if self.pending != Some(item) {
            return Err(CatError::UnexpectedItem {
                expected: self.pending,
                got: item,
            });
        }
        let categories = self.pool.items[item].grm.categories();
        if let Some(k) = category {
            if k >= categories {
                return Err(CatError::CategoryOutOfRange {
                    item,
                    category: k,
                    categories,
                });
            }
        }
        self.pending = None;
        let (s, j) = self.pool.item_scale[item];
        let state = &mut self.scales[s];
        state.used[j] = true;
        state.mask[j] = f64::NEG_INFINITY;
        state.remaining -= 1;
        state.administered += 1;
        if let Some(f) = self.pool.item_facet[item] {
            state.facet_counts[f] += 1;
        }
        if let Some(k) = category {
            state.posterior.add(&self.pool.table, item, k);
            state.estimate = match update_weights(
                &mut state.weights,
                self.pool.probability_row(item, k),
                &self.pool.quad.nodes,
            ) {
                Some((theta, se)) => ThetaEstimate {
                    theta,
                    se,
                    ..state.posterior.summary_without_moments()
                },
                None => {
                    // The answer was nearly impossible where the posterior had
                    // its mass: recompute from the log posterior (exact).
                    let est = state.posterior.summary(&self.pool.quad);
                    state.weights = state.posterior.normalised_weights();
                    est
                }
            };
        }
        self.trace.push(TraceStep {
            step: self.trace.len(),
            scale: self.pool.scales[s].clone(),
            item,
            item_id: self.pool.items[item].id.clone(),
            answer: category,
            theta: state.estimate.theta,
            se: state.estimate.se,
        });
        Ok(())
    }

    /// Every administered item so far, with theta and SE after each answer.
    pub fn trace(&self) -> &[TraceStep] {
        &self.trace
    }

    /// Items selected but not given because of their Sympson-Hetter draw.
    pub fn exposure_rejections(&self) -> &[usize] {
        &self.rejections
    }

    /// Where each scale stands (theta, SE, items, stopping rule).
    pub fn outcomes(&self) -> Vec<ScaleOutcome> {
        self.scales
            .iter()
            .enumerate()
            .map(|(s, st)| ScaleOutcome {
                scale: self.pool.scales[s].clone(),
                theta: st.estimate.theta,
                se: st.estimate.se,
                items: st.administered,
                stop: st.stop,
            })
            .collect()
    }

    /// True when every scale has stopped (call [`Self::next_item`] first).
    pub fn finished(&self) -> bool {
        self.scales.iter().all(|s| s.stop.is_some())
    }

    /// The stopping rule of scale `s`, if one applies now:
    /// max items, then SE <= target after the minimum, then an empty pool.
    fn stopping_rule(&self, s: usize) -> Option<StopReason> {
        let st = &self.scales[s];
        if st.administered >= self.config.max_items {
            return Some(StopReason::MaxItems);
        }
        if st.administered >= self.config.min_items && st.estimate.se <= self.config.se_target {
            return Some(StopReason::SeTarget);
        }
        if st.remaining == 0 {
            return Some(StopReason::PoolExhausted);
        }
        None
    }

    /// Facet to draw from next: the one furthest below its target share,
    /// `target_f (n + 1) - count_f`, among facets with eligible items.
    fn facet_to_balance(&self, s: usize) -> Option<usize> {
        let targets = &self.targets[s];
        if targets.is_empty() {
            return None;
        }
        let st = &self.scales[s];
        let members = &self.pool.scale_items[s];
        let mut available = vec![false; targets.len()];
        for (j, &idx) in members.iter().enumerate() {
            if !st.used[j] && !st.blocked[j] {
                if let Some(f) = self.pool.item_facet[idx] {
                    available[f] = true;
                }
            }
        }
        let n = st.administered as f64 + 1.0;
        (0..targets.len())
            .filter(|&f| available[f] && targets[f] > 0.0)
            .map(|f| (f, targets[f] * n - st.facet_counts[f] as f64))
            .fold(None, |best: Option<(usize, f64)>, (f, d)| match best {
                Some((_, bd)) if bd >= d => best,
                _ => Some((f, d)),
            })
            .map(|(f, _)| f)
    }

    /// Maximum-information selection with exposure control. Ranks the
    /// eligible items by information at the current EAP; picks at random
    /// among the top `randomesque`; then gives the picked item with its
    /// Sympson-Hetter probability, otherwise blocks it for this candidate
    /// and picks again.
    fn select(&mut self, s: usize) -> Option<usize> {
        let step = self.scales[s].administered;
        // Created on first use only: steps without a random choice skip the cost.
        let step_rng_seed = step_seed(self.seed, s, step);
        let mut rng: Option<ChaCha8Rng> = None;
        let grid = grid_position(self.scales[s].estimate.theta);
        let members = &self.pool.scale_items[s];
        let k = self.config.randomesque.max(1);
        loop {
            // Re-evaluated after every Sympson-Hetter block: a facet whose
            // items are all blocked gives way to the next most needed one.
            let facet = self.facet_to_balance(s);
            let st = &self.scales[s];
            let (row0, row1) = self.pool.information_rows(s, grid.0);
            let w = grid.1;
            let mut top: Vec<(f64, usize)> = Vec::with_capacity(k + 1);
            if k == 1 && facet.is_none() {
                // Common case, branch-free: the first item of highest information.
                let mut best = (f64::NEG_INFINITY, usize::MAX);
                for (j, ((i0, i1), m)) in row0.iter().zip(row1).zip(&st.mask).enumerate() {
                    let info = i0 + w * (i1 - i0) + m;
                    if info > best.0 {
                        best = (info, j);
                    }
                }
                if best.1 != usize::MAX {
                    top.push(best);
                }
            } else {
                let candidates = row0
                    .iter()
                    .zip(row1)
                    .zip(st.used.iter().zip(&st.blocked))
                    .enumerate();
                for (j, ((i0, i1), (used, blocked))) in candidates {
                    if *used
                        || *blocked
                        || (facet.is_some() && self.pool.item_facet[members[j]] != facet)
                    {
                        continue;
                    }
                    // information by linear interpolation between grid points
                    let info = i0 + w * (i1 - i0);
                    // positions come in increasing order, so a tie never beats the k-th best
                    if top.len() == k && top.last().is_some_and(|last| info <= last.0) {
                        continue;
                    }
                    insert_top_k(&mut top, (info, j), k);
                }
            }
            if top.is_empty() {
                return None;
            }
            let pick = if top.len() == 1 {
                0
            } else {
                rng.get_or_insert_with(|| ChaCha8Rng::seed_from_u64(step_rng_seed))
                    .random_range(0..top.len())
            };
            let j = top[pick].1;
            let idx = members[j];
            let keep = self.pool.items[idx].exposure_parameter;
            if !self.config.sympson_hetter
                || keep >= 1.0
                || rng
                    .get_or_insert_with(|| ChaCha8Rng::seed_from_u64(step_rng_seed))
                    .random::<f64>()
                    < keep
            {
                return Some(idx);
            }
            self.scales[s].blocked[j] = true;
            self.scales[s].mask[j] = f64::NEG_INFINITY;
            self.scales[s].remaining -= 1;
            self.rejections.push(idx);
        }
    }
}

/// Bayes' rule on the grid in probability space, `w_q <- w_q P(x | theta_q) / sum`,
/// returning the posterior mean and SD; `None` if the normalising sum
/// underflows (then the caller falls back to the log posterior).
fn update_weights(weights: &mut [f64], probs: &[f64], nodes: &[f64]) -> Option<(f64, f64)> {
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

/// Keeps the `k` largest (information, position) pairs, best first; ties go
/// to the lower position so that ranking never depends on chance.
fn insert_top_k(top: &mut Vec<(f64, usize)>, cand: (f64, usize), k: usize) {
    let better = |x: &(f64, usize), y: &(f64, usize)| x.0 > y.0 || (x.0 == y.0 && x.1 < y.1);
    if top.len() == k {
        match top.last() {
            Some(last) if better(&cand, last) => {
                top.pop();
            }
            _ => return,
        }
    }
    let pos = top
        .iter()
        .position(|t| better(&cand, t))
        .unwrap_or(top.len());
    top.insert(pos, cand);
}

/// Validates a configuration against a pool; returns facet target shares per scale.
fn check_config(pool: &CatPool, config: &CatConfig) -> Result<Vec<Vec<f64>>, CatError> {
    if !(config.se_target.is_finite() && config.se_target > 0.0) {
        return Err(CatError::InvalidConfig(format!(
            "se_target {} must be above 0",
            config.se_target
        )));
    }
    if config.max_items == 0 || config.min_items > config.max_items {
        return Err(CatError::InvalidConfig(format!(
            "need 1 <= max_items and min_items <= max_items (got {} and {})",
            config.min_items, config.max_items
        )));
    }
    if config.randomesque == 0 {
        return Err(CatError::InvalidConfig(
            "randomesque must be at least 1".into(),
        ));
    }
    for scale in config.facet_targets.keys() {
        if !pool.scales.contains(scale) {
            return Err(CatError::InvalidConfig(format!(
                "facet targets name unknown scale {scale}"
            )));
        }
    }
    pool.scales
        .iter()
        .enumerate()
        .map(|(s, name)| {
            let facets = &pool.scale_facets[s];
            if !config.balance_facets || facets.is_empty() {
                return Ok(Vec::new());
            }
            match config.facet_targets.get(name) {
                None => Ok(vec![1.0 / facets.len() as f64; facets.len()]),
                Some(map) => {
                    if let Some(f) = map.keys().find(|f| !facets.contains(f)) {
                        return Err(CatError::InvalidConfig(format!(
                            "scale {name} has no facet {f}"
                        )));
                    }
                    if map.values().any(|v| !(v.is_finite() && *v >= 0.0)) {
                        return Err(CatError::InvalidConfig(format!(
                            "facet shares of {name} must be >= 0"
                        )));
                    }
                    let total: f64 = map.values().sum();
                    if total <= 0.0 {
                        return Err(CatError::InvalidConfig(format!(
                            "facet shares of {name} sum to 0"
                        )));
                    }
                    Ok(facets
                        .iter()
                        .map(|f| map.get(f).copied().unwrap_or(0.0) / total)
                        .collect())
                }
            }
        })
        .collect()
}

/// Rebuilds a session by replaying the answers given so far. Errors if an
/// answer is not for the item the engine would have asked at that point.
pub fn replay<'a>(
    pool: &'a CatPool,
    config: &'a CatConfig,
    seed: u64,
    answers: &[Answer],
) -> Result<CatSession<'a>, CatError> {
    let mut session = CatSession::new(pool, config, seed)?;
    for a in answers {
        session.next_item();
        session.answer(a.item, a.category)?;
    }
    Ok(session)
}

/// The state of a session after some answers: the next item, the trace and
/// each scale's standing.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct CatStatus {
    /// Next item to show (pool index), or `None` when the test is over.
    pub next: Option<usize>,
    /// Bank id of the next item.
    pub next_id: Option<String>,
    /// Every administered item with theta and SE after it.
    pub trace: Vec<TraceStep>,
    /// Per scale: theta, SE, items, stopping rule.
    pub scales: Vec<ScaleOutcome>,
}

/// The pure state-machine step: `(pool, config, seed, answers) -> status`.
/// Same inputs, same output, on any machine.
pub fn next_step(
    pool: &CatPool,
    config: &CatConfig,
    seed: u64,
    answers: &[Answer],
) -> Result<CatStatus, CatError> {
    let mut session = replay(pool, config, seed, answers)?;
    let next = session.next_item();
    Ok(CatStatus {
        next,
        next_id: next.map(|i| pool.items[i].id.clone()),
        trace: session.trace.clone(),
        scales: session.outcomes(),
    })
}

#[cfg(test)]
mod tests;
