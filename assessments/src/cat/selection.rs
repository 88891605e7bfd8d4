//! Item selection: maximum Fisher information at the current EAP among the
//! eligible items, content balancing by facet, and exposure control
//! (randomesque top-k, Sympson-Hetter).

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::{exposure::step_seed, pool::grid_position, session::CatSession};

impl<'a> CatSession<'a> {
    /// Facet to draw from next: the one furthest below its target share,
    /// `target_f (n + 1) - count_f`, among facets with eligible items.
    pub(super) fn facet_to_balance(&self, s: usize) -> Option<usize> {
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
    pub(super) fn select(&mut self, s: usize) -> Option<usize> {
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

/// Keeps the `k` largest (information, position) pairs, best first; ties go
/// to the lower position so that ranking never depends on chance.
pub(super) fn insert_top_k(top: &mut Vec<(f64, usize)>, cand: (f64, usize), k: usize) {
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
