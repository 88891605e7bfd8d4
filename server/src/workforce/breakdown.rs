//! A wave's results broken down by location or by tenure band: each unit
//! with everybody below it, within one category. A category cell shows
//! only where its unit shows, and is suppressed on its own counts
//! (`suppress_breakdown`: under 5, and any cell a unit minus its visible
//! categories, or a parent minus its visible children, would give away),
//! for each scale on the counts of those who answered it. The two
//! dimensions are then checked together: should the cells of both leave a
//! group of 1 to 4 respondents (the same shown cells of every kind), the
//! tenure breakdown of that scale shows nothing.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use assessments::workforce::suppression::{lineage, safe_group, suppress_breakdown, Parents};
use serde::{Deserialize, Serialize};

use super::cell::{cell, Cell};

/// The category of respondents whose location or tenure band the HR system did not give.
pub const NOT_GIVEN: &str = "(not given)";

/// What a breakdown is by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Dimension {
    Location,
    TenureBand,
}

impl Dimension {
    pub const ALL: [Dimension; 2] = [Dimension::Location, Dimension::TenureBand];

    pub fn label(self) -> &'static str {
        match self {
            Dimension::Location => "Location",
            Dimension::TenureBand => "Tenure band",
        }
    }

    /// The word in addresses (`?by=`).
    pub fn key(self) -> &'static str {
        match self {
            Dimension::Location => "location",
            Dimension::TenureBand => "tenure_band",
        }
    }

    pub fn parse(key: &str) -> Option<Dimension> {
        Dimension::ALL.into_iter().find(|d| d.key() == key)
    }
}

/// One respondent as the breakdowns see them: their unit (position), their
/// category in each dimension, and their scale means.
pub struct Respondent<'a> {
    pub unit: usize,
    pub categories: [Option<&'a str>; 2],
    pub means: &'a [Option<f64>],
}

/// One dimension's breakdown: its categories, and for each unit (by id)
/// with something shown, per category, per scale, the cell (`None`: hidden).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Breakdown {
    pub dimension: Dimension,
    pub categories: Vec<String>,
    pub cells: BTreeMap<String, Vec<Vec<Option<Cell>>>>,
}

/// A dimension's categories (sorted, [`NOT_GIVEN`] last when anybody lacks one) and each respondent's category.
fn categorise(respondents: &[Respondent<'_>], d: usize) -> (Vec<String>, Vec<usize>) {
    let given: BTreeSet<&str> = respondents.iter().filter_map(|r| r.categories[d]).collect();
    let mut categories: Vec<String> = given.iter().map(|c| c.to_string()).collect();
    if respondents.iter().any(|r| r.categories[d].is_none()) {
        categories.push(NOT_GIVEN.to_string());
    }
    let index: HashMap<&str, usize> = categories.iter().enumerate().map(|(i, c)| (c.as_str(), i)).collect();
    let of = respondents.iter().map(|r| index[r.categories[d].unwrap_or(NOT_GIVEN)]).collect();
    (categories, of)
}

/// Whether the shown cells leave a group of 1 to 4: respondents (unit,
/// category per dimension) with the same shown unit cells and category
/// cells of every dimension. Those outside every shown cell are a group too
/// (the total is taken as known).
pub fn leaves_small_group(parents: &Parents, people: &[(usize, Vec<usize>)], shown_units: &[bool], shown: &[Vec<Vec<bool>>]) -> bool {
    let mut groups: HashMap<Vec<(usize, usize)>, u32> = HashMap::new();
    for (unit, cats) in people {
        let mut signature = Vec::new();
        for u in lineage(parents, *unit) {
            if shown_units[u] {
                signature.push((u, 0));
            }
            for (d, k) in cats.iter().enumerate() {
                if shown[d][u][*k] {
                    signature.push((u, 1 + d + 2 * k));
                }
            }
        }
        signature.sort_unstable();
        *groups.entry(signature).or_default() += 1;
    }
    groups.values().any(|n| !safe_group(*n))
}

/// The breakdowns of a wave (only dimensions somebody has a value in).
/// `shown_scale[s]`: the units where scale `s` shows; `included`: the units
/// in the wave; `unit_ids` by position.
pub fn compute(parents: &Parents, unit_ids: &[String], included: &[bool], respondents: &[Respondent<'_>], shown_scale: &[Vec<bool>]) -> Vec<Breakdown> {
    let dims: Vec<usize> = (0..2).filter(|d| respondents.iter().any(|r| r.categories[*d].is_some())).collect();
    if dims.is_empty() || respondents.is_empty() {
        return Vec::new();
    }
    let sorted: Vec<(Vec<String>, Vec<usize>)> = dims.iter().map(|d| categorise(respondents, *d)).collect();
    let n = parents.len();
    // Each unit's respondents with everybody below it.
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (i, r) in respondents.iter().enumerate() {
        for a in lineage(parents, r.unit) {
            members[a].push(i);
        }
    }
    let scales = shown_scale.len();
    // shown[s][dim][u][k]
    let mut shown: Vec<Vec<Vec<Vec<bool>>>> = Vec::with_capacity(scales);
    for (s, units_shown) in shown_scale.iter().enumerate() {
        let answered: Vec<usize> = (0..respondents.len()).filter(|i| respondents[*i].means[s].is_some()).collect();
        let per_dim: Vec<Vec<Vec<bool>>> = sorted
            .iter()
            .map(|(categories, of)| {
                let mut direct = vec![vec![0_u32; categories.len()]; n];
                for i in &answered {
                    direct[respondents[*i].unit][of[*i]] += 1;
                }
                suppress_breakdown(parents, &direct, units_shown)
            })
            .collect();
        let mut per_dim = per_dim;
        let people: Vec<(usize, Vec<usize>)> = answered.iter().map(|i| (respondents[*i].unit, sorted.iter().map(|(_, of)| of[*i]).collect())).collect();
        if per_dim.len() == 2 && leaves_small_group(parents, &people, units_shown, &per_dim) {
            per_dim[1] = vec![vec![false; sorted[1].0.len()]; n];
        }
        shown.push(per_dim);
    }
    dims.iter()
        .enumerate()
        .map(|(di, d)| {
            let (categories, of) = &sorted[di];
            let mut cells = BTreeMap::new();
            for u in (0..n).filter(|u| included[*u]) {
                let row: Vec<Vec<Option<Cell>>> = (0..categories.len())
                    .map(|k| {
                        (0..scales)
                            .map(|s| {
                                if !shown[s][di][u][k] {
                                    return None;
                                }
                                let values: Vec<f64> = members[u].iter().filter(|i| of[**i] == k).filter_map(|i| respondents[*i].means[s]).collect();
                                cell(&values)
                            })
                            .collect()
                    })
                    .collect();
                if row.iter().flatten().any(Option::is_some) {
                    cells.insert(unit_ids[u].clone(), row);
                }
            }
            Breakdown { dimension: Dimension::ALL[*d], categories: categories.clone(), cells }
        })
        .collect()
}
