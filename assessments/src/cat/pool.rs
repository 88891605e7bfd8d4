//! The model side: a pool of GRM items precompiled for adaptive testing
//! (log-probability tables on the quadrature grid and an information grid).

use crate::irt::estimate::LogProbTable;
use crate::irt::quadrature::Quadrature;
use crate::irt::grm::{item_information, validate_item, GrmItem};
use super::error::CatError;

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

/// Theta grid on which item information is tabulated for selection.
pub(super) const INFO_LO: f64 = -6.0;

pub(super) const INFO_STEP: f64 = 0.05;

pub(super) const INFO_POINTS: usize = 241;

/// A pool compiled for fast adaptive testing. Build once per bank version
/// and share between sessions.
#[derive(Debug, Clone)]
pub struct CatPool {
    pub(super) items: Vec<PoolItem>,
    /// pool index of each item id
    pub(super) index: std::collections::HashMap<String, usize>,
    pub(super) scales: Vec<String>,
    /// pool indices of each scale's items
    pub(super) scale_items: Vec<Vec<usize>>,
    /// scale index and position within the scale of each pool item
    pub(super) item_scale: Vec<(usize, usize)>,
    /// facet names per scale, and the facet index of each pool item
    pub(super) scale_facets: Vec<Vec<String>>,
    pub(super) item_facet: Vec<Option<usize>>,
    pub(super) quad: Quadrature,
    pub(super) table: LogProbTable,
    /// `P_ik(theta_q)` (the exponentials of `table`), same layout, and the
    /// start of each item's rows
    pub(super) probs: Vec<f64>,
    pub(super) prob_offsets: Vec<usize>,
    /// per scale: information on the grid, grid-point-major: `g * n + j`
    pub(super) info: Vec<Vec<f64>>,
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
        let index = items.iter().enumerate().map(|(i, it)| (it.id.clone(), i)).collect();
        Ok(CatPool {
            items,
            index,
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
        self.index.get(id).copied()
    }

    /// The quadrature grid used for EAP.
    pub fn quadrature(&self) -> &Quadrature {
        &self.quad
    }

    /// `P_ik` at every quadrature node.
    pub(super) fn probability_row(&self, i: usize, k: usize) -> &[f64] {
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
    pub(super) fn information(&self, s: usize, j: usize, grid: (usize, f64)) -> f64 {
        let (row0, row1) = self.information_rows(s, grid.0);
        row0[j] + grid.1 * (row1[j] - row0[j])
    }

    /// Information of all items of scale `s` at grid points `g` and `g + 1`.
    pub(super) fn information_rows(&self, s: usize, g: usize) -> (&[f64], &[f64]) {
        let n = self.scale_items[s].len();
        let v = &self.info[s];
        (&v[g * n..(g + 1) * n], &v[(g + 1) * n..(g + 2) * n])
    }
}

/// Grid cell and interpolation weight of `theta` (clamped to the grid).
pub(super) fn grid_position(theta: f64) -> (usize, f64) {
    let x = ((theta - INFO_LO) / INFO_STEP).clamp(0.0, (INFO_POINTS - 1) as f64 - 1e-9);
    let g = x.floor() as usize;
    (g.min(INFO_POINTS - 2), x - g as f64)
}
