//! A wave's group results, computed once when the wave closes and kept
//! (without the hidden cells) so they outlive its answers: per unit the
//! respondents and response rate, and per scale the mean and the share in
//! the high band with their 90% intervals and the distribution. A unit
//! under 5 respondents, or one that could be worked out from the others,
//! shows nothing (`suppress_units`); a scale some respondents skipped is
//! suppressed again on its own counts (`suppress_units_within`).
//!
//! Results are computed only at the close: were they shown while answers
//! arrive, two looks a few answers apart would tell those answers.

use std::collections::BTreeMap;

use assessments::{
    bank::Bank,
    responses::{RawAnswer, Responses},
    scored_session::score_classical_one,
    workforce::{
        groups::{change_ci90_of, Interval},
        suppression::{lineage, subtree_totals, suppress_units, suppress_units_within, MIN_GROUP},
    },
};
use serde::{Deserialize, Serialize};

pub use super::cell::{Cell, HIGH_BAND_FROM};
use super::{
    breakdown::{self, Respondent},
    cell::cell,
};
use crate::{
    recruit::{export::neutralise, profile::english},
    store::{OrgUnitRow, WaveResponseRow},
};

/// One unit of the results; `None` where suppressed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnitResult {
    pub unit_id: String,
    pub name: String,
    pub depth: usize,
    pub respondents: Option<u32>,
    /// Respondents per invited, where the respondents may be shown.
    pub response_rate: Option<f64>,
    pub cells: Vec<Option<Cell>>,
}

/// A wave's results: its scales (id, name) and units in tree order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WaveResults {
    pub scales: Vec<(String, String)>,
    pub units: Vec<UnitResult>,
    /// Responses in all, when at least 5 (else nothing is shown, this total included).
    pub released: Option<usize>,
    /// By location and by tenure band (`super::breakdown`).
    #[serde(default)]
    pub breakdowns: Vec<super::breakdown::Breakdown>,
}

impl WaveResults {
    /// The column of a scale.
    pub fn scale(&self, id: &str) -> Option<usize> {
        self.scales.iter().position(|(s, _)| s == id)
    }

    /// The row of a unit.
    pub fn unit(&self, unit_id: &str) -> Option<&UnitResult> {
        self.units.iter().find(|u| u.unit_id == unit_id)
    }
}

/// The scale means of one response (`None`: the scale was skipped).
fn scale_means(bank: &Bank, scales: &[(String, String)], answers: &str) -> Result<Vec<Option<f64>>, String> {
    let answers: BTreeMap<String, String> = serde_json::from_str(answers).unwrap_or_default();
    let mut person = Responses::new(bank, "respondent");
    for (item, value) in &answers {
        if let Ok(raw) = RawAnswer::parse(bank, item, value) {
            let _ = person.set(bank, item, &raw);
        }
    }
    let scored = score_classical_one(bank, None, &person).map_err(|e| e.to_string())?;
    Ok(scales.iter().map(|(id, _)| scored.scores.scales.iter().find(|s| &s.scale == id).and_then(|s| s.raw)).collect())
}

/// The results of a wave's responses: `invited` per unit id (their own unit).
pub fn compute(bank: &Bank, units: &[OrgUnitRow], invited: &BTreeMap<String, u32>, responses: &[WaveResponseRow]) -> Result<WaveResults, String> {
    let scales: Vec<(String, String)> = bank.file().scales.iter().map(|s| (s.id.clone(), english(&s.name))).collect();
    let tree = super::UnitTree::of(units);
    let parents = &tree.parents;
    // Each response's scale means, by its own unit.
    let mut by_unit: Vec<Vec<Vec<Option<f64>>>> = vec![Vec::new(); units.len()];
    let mut scored: Vec<(usize, &WaveResponseRow, Vec<Option<f64>>)> = Vec::with_capacity(responses.len());
    for r in responses {
        if let Some(u) = tree.position(&r.unit_id) {
            let means = scale_means(bank, &scales, &r.answers)?;
            by_unit[u].push(means.clone());
            scored.push((u, r, means));
        }
    }
    let direct: Vec<u32> = by_unit.iter().map(|v| v.len() as u32).collect();
    let total = subtree_totals(parents, &direct);
    let shown = suppress_units(parents, &direct);
    // Each scale suppressed again on the counts of those who answered it.
    let shown_scale: Vec<Vec<bool>> = (0..scales.len())
        .map(|s| {
            let with: Vec<u32> = by_unit.iter().map(|v| v.iter().filter(|m| m[s].is_some()).count() as u32).collect();
            suppress_units_within(parents, &with, &shown)
        })
        .collect();
    let invited_direct: Vec<u32> = units.iter().map(|u| invited.get(&u.id).copied().unwrap_or(0)).collect();
    let invited_total = subtree_totals(parents, &invited_direct);
    // Each unit's responses with everybody below it.
    let mut members: Vec<Vec<&Vec<Option<f64>>>> = vec![Vec::new(); units.len()];
    for (d, rows) in by_unit.iter().enumerate() {
        for a in lineage(parents, d) {
            members[a].extend(rows.iter());
        }
    }
    let mut out = Vec::new();
    for (i, depth) in tree.in_order() {
        if invited_total[i] == 0 {
            continue; // not in this wave
        }
        let cells = (0..scales.len())
            .map(|s| {
                if !shown_scale[s][i] {
                    return None;
                }
                let values: Vec<f64> = members[i].iter().filter_map(|m| m[s]).collect();
                cell(&values)
            })
            .collect();
        out.push(UnitResult {
            unit_id: units[i].id.clone(),
            name: units[i].name.clone(),
            depth,
            respondents: shown[i].then_some(total[i]),
            response_rate: shown[i].then(|| f64::from(total[i]) / f64::from(invited_total[i].max(1))),
            cells,
        });
    }
    let respondents: Vec<Respondent<'_>> = scored.iter().map(|(u, r, means)| Respondent { unit: *u, categories: [r.location.as_deref(), r.tenure_band.as_deref()], means }).collect();
    let unit_ids: Vec<String> = units.iter().map(|u| u.id.clone()).collect();
    let included: Vec<bool> = invited_total.iter().map(|n| *n > 0).collect();
    let breakdowns = breakdown::compute(parents, &unit_ids, &included, &respondents, &shown_scale);
    let released = (responses.len() >= MIN_GROUP as usize).then_some(responses.len());
    Ok(WaveResults { scales, units: out, released, breakdowns })
}

/// The change of each scale of each unit shown in both waves: (unit id, scale index) → change.
pub fn changes(before: &WaveResults, after: &WaveResults) -> BTreeMap<(String, usize), Interval> {
    let mut out = BTreeMap::new();
    for unit in &after.units {
        let Some(earlier) = before.unit(&unit.unit_id) else { continue };
        for (s, (id, _)) in after.scales.iter().enumerate() {
            let Some(b) = before.scale(id) else { continue };
            if let (Some(Some(x)), Some(Some(y))) = (earlier.cells.get(b), unit.cells.get(s)) {
                if let Some(change) = change_ci90_of(&x.summary, &y.summary) {
                    out.insert((unit.unit_id.clone(), s), change);
                }
            }
        }
    }
    out
}

/// The results as CSV, the hidden cells empty: one row per unit and scale
/// (unit names are the organisation's own words: formulas become text).
pub fn csv(results: &WaveResults, change: &BTreeMap<(String, usize), Interval>) -> Result<Vec<u8>, csv::Error> {
    let f = |x: f64| format!("{x:.3}");
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record([
        "unit", "depth", "respondents", "response_rate", "scale", "mean", "mean_low_90", "mean_high_90", "high_band_share", "high_low_90", "high_high_90",
        "share_1", "share_2", "share_3", "share_4", "share_5", "change", "change_low_90", "change_high_90",
    ])?;
    for u in &results.units {
        for (s, (_, name)) in results.scales.iter().enumerate() {
            let mut row = vec![neutralise(&u.name), u.depth.to_string(), u.respondents.map(|n| n.to_string()).unwrap_or_default(), u.response_rate.map(f).unwrap_or_default(), neutralise(name)];
            match u.cells.get(s).and_then(Option::as_ref) {
                Some(c) => {
                    row.extend([c.mean.estimate, c.mean.low, c.mean.high, c.high.estimate, c.high.low, c.high.high].map(f));
                    row.extend(c.distribution.map(f));
                }
                None => row.extend(std::iter::repeat_n(String::new(), 11)),
            }
            match change.get(&(u.unit_id.clone(), s)) {
                Some(d) => row.extend([d.estimate, d.low, d.high].map(f)),
                None => row.extend(std::iter::repeat_n(String::new(), 3)),
            }
            writer.write_record(&row)?;
        }
    }
    writer.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}

/// A breakdown as CSV, the hidden cells empty: one row per unit, category and scale.
pub fn breakdown_csv(results: &WaveResults, b: &breakdown::Breakdown) -> Result<Vec<u8>, csv::Error> {
    let f = |x: f64| format!("{x:.3}");
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(["unit", "depth", b.dimension.key(), "scale", "respondents", "mean", "mean_low_90", "mean_high_90", "high_band_share", "high_low_90", "high_high_90"])?;
    for u in &results.units {
        let row = b.cells.get(&u.unit_id);
        for (k, category) in b.categories.iter().enumerate() {
            for (s, (_, name)) in results.scales.iter().enumerate() {
                let mut record = vec![neutralise(&u.name), u.depth.to_string(), neutralise(category), neutralise(name)];
                match row.and_then(|r| r[k][s].as_ref()) {
                    Some(c) => {
                        record.push(c.summary.n.to_string());
                        record.extend([c.mean.estimate, c.mean.low, c.mean.high, c.high.estimate, c.high.low, c.high.high].map(f));
                    }
                    None => record.extend(std::iter::repeat_n(String::new(), 7)),
                }
                writer.write_record(&record)?;
            }
        }
    }
    writer.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}
