//! A candidate's session over all scales of a pool: the state machine
//! (next item, answer), its replay from stored answers, and the pure step.

use crate::irt::estimate::{LogPosterior, ThetaEstimate};
use super::{
    config::{check_config, CatConfig},
    error::CatError,
    estimation::update_weights,
    outcome::{Answer, CatStatus, ScaleOutcome, StopReason, TraceStep},
    pool::CatPool,
};

/// Per-scale state of a session.
#[derive(Debug, Clone)]
pub(super) struct ScaleState {
    pub(super) posterior: LogPosterior,
    /// the same posterior as normalised weights over the nodes
    pub(super) weights: Vec<f64>,
    pub(super) estimate: ThetaEstimate,
    pub(super) administered: usize,
    pub(super) used: Vec<bool>,
    pub(super) blocked: Vec<bool>,
    /// items neither used nor blocked
    pub(super) remaining: usize,
    /// 0 for an eligible item, -inf for a used or blocked one (added to its
    /// information so that a branch-free scan never picks it)
    pub(super) mask: Vec<f64>,
    pub(super) facet_counts: Vec<usize>,
    pub(super) stop: Option<StopReason>,
}

/// A candidate's adaptive session over all scales of a pool.
#[derive(Debug, Clone)]
pub struct CatSession<'a> {
    pub(super) pool: &'a CatPool,
    pub(super) config: &'a CatConfig,
    pub(super) seed: u64,
    pub(super) scales: Vec<ScaleState>,
    /// facet targets per scale, resolved against the pool
    pub(super) targets: Vec<Vec<f64>>,
    pub(super) trace: Vec<TraceStep>,
    pub(super) last_scale: Option<usize>,
    pub(super) pending: Option<usize>,
    pub(super) rejections: Vec<usize>,
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

    /// The next item (asked for, see [`Self::next_item`]), the trace and
    /// where each scale stands.
    pub fn status(&mut self) -> CatStatus {
        let next = self.next_item();
        CatStatus {
            next,
            next_id: next.map(|i| self.pool.items[i].id.clone()),
            trace: self.trace.clone(),
            scales: self.outcomes(),
        }
    }

    /// Where the session stands, without the pool and configuration it runs
    /// on: to be kept between requests and taken up again with
    /// [`Self::resume`] instead of replaying every answer.
    pub fn into_progress(self) -> CatProgress {
        let CatSession { seed, scales, trace, last_scale, pending, rejections, .. } = self;
        CatProgress { seed, scales, trace, last_scale, pending, rejections }
    }

    /// Takes up a session where [`Self::into_progress`] left it, on the same
    /// pool and configuration: the same next items as if it had never
    /// paused. Progress that does not fit the pool (another pool's) is
    /// refused.
    pub fn resume(
        pool: &'a CatPool,
        config: &'a CatConfig,
        progress: CatProgress,
    ) -> Result<Self, CatError> {
        let targets = check_config(pool, config)?;
        if !progress.fits(pool) {
            return Err(CatError::InvalidConfig(
                "the saved progress belongs to another item pool".into(),
            ));
        }
        let CatProgress { seed, scales, trace, last_scale, pending, rejections } = progress;
        Ok(CatSession { pool, config, seed, scales, targets, trace, last_scale, pending, rejections })
    }
}

/// A session's state apart from its pool and configuration (see
/// [`CatSession::into_progress`]).
#[derive(Debug, Clone)]
pub struct CatProgress {
    seed: u64,
    scales: Vec<ScaleState>,
    trace: Vec<TraceStep>,
    last_scale: Option<usize>,
    pending: Option<usize>,
    rejections: Vec<usize>,
}

impl CatProgress {
    /// Every scale, item and facet of the progress exists in the pool.
    fn fits(&self, pool: &CatPool) -> bool {
        self.scales.len() == pool.scale_items.len()
            && self.scales.iter().zip(&pool.scale_items).zip(&pool.scale_facets).all(|((state, members), facets)| {
                state.weights.len() == pool.quad.nodes.len()
                    && state.used.len() == members.len()
                    && state.blocked.len() == members.len()
                    && state.mask.len() == members.len()
                    && state.facet_counts.len() == facets.len()
            })
            && self.last_scale.is_none_or(|s| s < pool.scale_items.len())
            && self.pending.is_none_or(|i| i < pool.items.len())
    }
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

/// The pure state-machine step: `(pool, config, seed, answers) -> status`.
/// Same inputs, same output, on any machine.
pub fn next_step(
    pool: &CatPool,
    config: &CatConfig,
    seed: u64,
    answers: &[Answer],
) -> Result<CatStatus, CatError> {
    Ok(replay(pool, config, seed, answers)?.status())
}
