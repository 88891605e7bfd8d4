//! Building a norm table from scored sessions (what `vigil norms build`
//! does): N, mean, SD, reliability and the percentile table per scale, of
//! raw scores and, for calibrated scales, of EAP theta estimates.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::adaptive::IrtScoring;
use crate::bank::{Bank, Text};
use crate::reliability::complete_case_columns;
use crate::stats::{cronbach_alpha, mean, sample_sd, sample_variance};
use crate::responses::Responses;
use crate::scoring::Scorer;
use super::derived::midpoint_percentile_rank;
use super::table::{is_valid_norm_id, norm_quality, NormQuality, NormScale, NormTable, NormsError};

/// Description of the norm group, supplied by whoever builds the table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NormMeta {
    pub id: String,
    pub demonstration: bool,
    pub group: Text,
    pub country: String,
    pub role_family: String,
    pub collected_from: String,
    pub collected_to: String,
}

/// Most table points kept per scale; more distinct scores are thinned to
/// evenly spaced ones (always keeping the lowest and highest).
pub const MAX_TABLE_POINTS: usize = 201;

/// Percentile table of a sample: every distinct score with its mid-point PR,
/// thinned to at most `max_points`.
pub fn percentile_table(scores: &[f64], max_points: usize) -> Vec<[f64; 2]> {
    let mut sorted: Vec<f64> = scores.iter().copied().filter(|x| x.is_finite()).collect();
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len();
    let mut table = Vec::new();
    let mut i = 0;
    while i < n {
        let v = sorted.get(i).copied().unwrap_or(f64::NAN);
        let equal = sorted.get(i..).map_or(0, |rest| rest.iter().take_while(|x| **x == v).count());
        table.push([v, midpoint_percentile_rank(i, equal, n)]);
        i += equal.max(1);
    }
    thin(table, max_points.max(2))
}

pub(super) fn thin(table: Vec<[f64; 2]>, max_points: usize) -> Vec<[f64; 2]> {
    let len = table.len();
    if len <= max_points {
        return table;
    }
    let mut keep = Vec::with_capacity(max_points);
    let mut last = usize::MAX;
    for j in 0..max_points {
        let idx = ((j as f64) * ((len - 1) as f64) / ((max_points - 1) as f64)).round() as usize;
        if idx != last {
            if let Some(p) = table.get(idx) {
                keep.push(*p);
            }
            last = idx;
        }
    }
    keep
}

/// The scores a norm table is built from: per scale the scorable raw
/// scores, and per calibrated scale the EAP theta estimates (with their
/// SEs) of the sessions whose raw score on it is scorable, so both
/// describe one norm group.
#[derive(Debug, Clone, PartialEq)]
pub struct NormScores {
    /// By the bank's scale order.
    pub raw: Vec<Vec<f64>>,
    /// `(scale id, thetas, SEs)` of each calibrated scale.
    pub theta: Vec<(String, Vec<f64>, Vec<f64>)>,
}

/// The raw and theta scores of a norm group's sessions.
pub fn norm_scores(bank: &Bank, sessions: &[Responses]) -> Result<NormScores, NormsError> {
    let scorer = Scorer::raw_only(bank);
    let mut raw: Vec<Vec<f64>> = vec![Vec::with_capacity(sessions.len()); bank.scales().len()];
    let mut scorable: Vec<Vec<bool>> = Vec::with_capacity(sessions.len());
    for s in sessions {
        let scores = scorer.raw_scores(s);
        scorable.push(scores.iter().map(|r| r.raw.is_some()).collect());
        for (i, r) in scores.iter().enumerate() {
            if let (Some(x), Some(col)) = (r.raw, raw.get_mut(i)) {
                col.push(x);
            }
        }
    }
    // The same EAP as scoring a person alone (tables built once), without its person fit.
    let scoring = IrtScoring::of(bank).map_err(|e| NormsError::Irt(e.to_string()))?;
    let mut theta = Vec::new();
    for scale in scoring.scales() {
        let (mut thetas, mut ses) = (Vec::new(), Vec::new());
        for (session, ok) in sessions.iter().zip(&scorable) {
            if !ok.get(scale.scale).copied().unwrap_or(false) {
                continue;
            }
            if let Some(estimate) = scoring.estimate(bank, scale.scale, session).map_err(|e| NormsError::Irt(e.to_string()))? {
                thetas.push(estimate.theta);
                ses.push(estimate.se);
            }
        }
        theta.push((scale.scale_id.clone(), thetas, ses));
    }
    Ok(NormScores { raw, theta })
}

/// Builds a norm table from answer sheets of a norm group: per scale the
/// scorable raw scores give N, mean, SD and the percentile table; alpha on
/// the same data (complete cases) gives the reliability used for the SEM
/// (negative alpha is stored as 0). Every calibrated scale also gets theta
/// norms from the EAP estimates of the same sessions.
pub fn build_norm_table(bank: &Bank, sessions: &[Responses], meta: &NormMeta) -> Result<NormTable, NormsError> {
    let scores = norm_scores(bank, sessions)?;
    build_norm_table_from(bank, sessions, &scores, meta)
}

/// Scale norms of one sample: N, mean, SD, the given reliability and the percentile table.
fn scale_norms(scale: &str, xs: &[f64], reliability: impl FnOnce() -> f64) -> Result<NormScale, NormsError> {
    let (Some(m), Some(sd)) = (mean(xs), sample_sd(xs)) else {
        return Err(NormsError::TooFewScores { scale: scale.to_string(), n: xs.len() });
    };
    if sd <= 0.0 {
        return Err(NormsError::NoVariance { scale: scale.to_string(), value: m });
    }
    Ok(NormScale { scale: scale.to_string(), n: xs.len() as u64, mean: m, sd, reliability: reliability(), percentiles: percentile_table(xs, MAX_TABLE_POINTS) })
}

/// [`build_norm_table`] from scores already computed by [`norm_scores`] on the same sessions.
pub fn build_norm_table_from(bank: &Bank, sessions: &[Responses], scores: &NormScores, meta: &NormMeta) -> Result<NormTable, NormsError> {
    if !is_valid_norm_id(&meta.id) {
        return Err(NormsError::BadId(meta.id.clone()));
    }
    let mut scales = Vec::with_capacity(bank.scales().len());
    for (i, def) in bank.scales().iter().enumerate() {
        let xs = scores.raw.get(i).map_or(&[][..], Vec::as_slice);
        scales.push(scale_norms(&def.id, xs, || {
            let cols = complete_case_columns(bank, i, sessions);
            cronbach_alpha(&cols).unwrap_or(0.0).clamp(0.0, 0.999_999)
        })?);
    }
    let theta_scales = scores
        .theta
        .iter()
        .map(|(id, thetas, ses)| scale_norms(id, thetas, || empirical_reliability(thetas, ses).unwrap_or(0.0).clamp(0.0, 0.999_999)))
        .collect::<Result<Vec<_>, _>>()?;
    let mut table = NormTable {
        id: meta.id.clone(),
        bank: bank.id().to_string(),
        bank_version: bank.version().to_string(),
        bank_hash: bank.content_hash().to_string(),
        demonstration: meta.demonstration,
        group: meta.group.clone(),
        country: meta.country.clone(),
        role_family: meta.role_family.clone(),
        collected_from: meta.collected_from.clone(),
        collected_to: meta.collected_to.clone(),
        population: None,
        sampling: None,
        content_hash: None,
        scales,
        theta_scales,
    };
    table.content_hash = Some(table.computed_hash()?);
    Ok(table)
}

/// Empirical reliability of EAP estimates:
/// `var(theta_hat) / (var(theta_hat) + mean(SE^2))`.
pub fn empirical_reliability(thetas: &[f64], ses: &[f64]) -> Option<f64> {
    let var = sample_variance(thetas)?;
    let error = mean(&ses.iter().map(|s| s * s).collect::<Vec<_>>())?;
    (var + error > 0.0).then(|| var / (var + error))
}

/// Quality label per scale, for reports.
pub fn quality_by_scale(table: &NormTable) -> BTreeMap<String, NormQuality> {
    table.scales.iter().map(|s| (s.scale.clone(), norm_quality(s.n))).collect()
}
