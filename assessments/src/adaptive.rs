//! The bridge between an item bank and the IRT / CAT engine
//! (PSYCHOMETRICS.md sections 5 and 6).
//!
//! The engine ([`crate::irt`], [`crate::cat`]) knows only GRM items and
//! answer *categories* `0..K-1`, counted in the keyed direction (a higher
//! category always means more of the trait). A bank knows Likert answers
//! (e.g. 1..5, some items reverse-keyed) and SJT options (each with an expert
//! key). This module translates:
//!
//! - **Likert:** category = answer - min; for a reverse-keyed item
//!   category = max - answer (the same as `x' - min` with `x' = min + max - x`).
//! - **SJT:** category = rank of the chosen option's key among the item's
//!   distinct key levels (keys {0, 1, 3} give categories 0, 1, 2).
//! - **Check items** belong to no scale and are never scored by IRT.
//!
//! A scale uses IRT only when *every* Likert / SJT item of it carries `grm`
//! parameters; when none does it is scored classically; a scale with only
//! some parameters is an error ([`crate::irt::grm::scale_parameters`]).

use crate::bank::{Bank, CatSettings, ItemType};
use crate::cat::{CatConfig, CatError, CatPool, PoolItem};
use crate::irt::estimate::{eap, eap_from_table, LogProbTable, ThetaEstimate};
use crate::irt::quadrature::Quadrature;
use crate::irt::person_fit::{person_fit, PERSON_FIT_MIN_ITEMS};
use crate::irt::grm::{scale_parameters, GrmItem};
use crate::irt::IrtError;
use crate::responses::{Answer, Responses};

/// Errors of the bank-to-engine bridge; each names the scale or item.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum AdaptiveError {
    #[error("the bank has no scale `{0}`")]
    UnknownScale(String),
    #[error("scale `{scale}` has no Likert or SJT items, so it cannot be scored or calibrated by IRT")]
    NoIrtItems { scale: String },
    #[error("scale `{scale}` has no IRT parameters (grm) yet; calibrate the bank first (`vigil calibrate`)")]
    NotCalibrated { scale: String },
    #[error("no scale of bank {bank} has IRT parameters (grm); calibrate the bank first (`vigil calibrate`)")]
    NoCalibratedScale { bank: String },
    #[error("scale `{scale}`: {source}")]
    Irt {
        scale: String,
        #[source]
        source: IrtError,
    },
    #[error(transparent)]
    Cat(#[from] CatError),
}

// ---------------------------------------------------------------------------
// Answers -> categories
// ---------------------------------------------------------------------------

/// Number of GRM categories of bank item `index`: `max - min + 1` for Likert,
/// the number of distinct key levels for SJT, `None` for check items.
pub fn item_categories(bank: &Bank, index: usize) -> Option<usize> {
    let info = bank.item_info(index)?;
    match info.kind {
        ItemType::Likert => usize::try_from(i64::from(info.max) - i64::from(info.min) + 1).ok(),
        ItemType::Sjt => Some(key_levels(&info.keys).len()),
        ItemType::Check => None,
    }
}

/// The distinct key levels of an SJT item, lowest first.
fn key_levels(keys: &[i32]) -> Vec<i32> {
    let mut levels = keys.to_vec();
    levels.sort_unstable();
    levels.dedup();
    levels
}

/// Category index `0..K-1` of an answer to bank item `index`, in the keyed
/// direction; `None` for check items and for answers that do not fit the
/// item (out of range, wrong answer type).
pub fn answer_category(bank: &Bank, index: usize, answer: Answer) -> Option<usize> {
    let info = bank.item_info(index)?;
    match (info.kind, answer) {
        (ItemType::Likert, Answer::Value(x)) if (info.min..=info.max).contains(&x) => {
            // keyed category: x - min, or max - x when reverse-keyed
            let k = if info.reverse { info.max - x } else { x - info.min };
            usize::try_from(k).ok()
        }
        (ItemType::Sjt, Answer::Option(o)) => {
            // rank of the chosen option's key among the distinct key levels
            let key = *info.keys.get(usize::from(o))?;
            key_levels(&info.keys).iter().position(|l| *l == key)
        }
        _ => None,
    }
}

/// The answer (as a person gives it) that lands in category `category` of
/// bank item `index`: the inverse of [`answer_category`]. A Likert value
/// (`min + k`, or `max - k` when reverse-keyed), or the SJT options whose key
/// is the k-th level; `None` for a category the item does not have.
pub fn category_answer(bank: &Bank, index: usize, category: usize) -> Option<String> {
    let info = bank.item_info(index)?;
    let k = i32::try_from(category).ok()?;
    match info.kind {
        ItemType::Likert => {
            let value = if info.reverse { info.max - k } else { info.min + k };
            (info.min..=info.max).contains(&value).then(|| value.to_string())
        }
        ItemType::Sjt => {
            let level = *key_levels(&info.keys).get(category)?;
            let options = &bank.items().get(index)?.options;
            let ids: Vec<&str> = info.keys.iter().zip(options).filter(|(key, _)| **key == level).map(|(_, o)| o.id.as_str()).collect();
            Some(ids.join(" or "))
        }
        ItemType::Check => None,
    }
}

// ---------------------------------------------------------------------------
// Per-scale GRM items
// ---------------------------------------------------------------------------

/// The IRT view of one scale: its Likert / SJT items (bank indices) and,
/// when calibrated, their GRM parameters in the same order.
#[derive(Debug, Clone, PartialEq)]
pub struct ScaleIrt {
    /// Index of the scale in [`Bank::scales`].
    pub scale: usize,
    /// Scale id.
    pub scale_id: String,
    /// Bank indices of the scale's Likert and SJT items.
    pub items: Vec<usize>,
    /// Categories of each item (see [`item_categories`]).
    pub categories: Vec<usize>,
    /// GRM parameters of every item, or `None` if the scale is not calibrated.
    pub grm: Option<Vec<GrmItem>>,
}

/// Looks a scale up by id.
pub fn scale_by_id(bank: &Bank, scale_id: &str) -> Result<usize, AdaptiveError> {
    bank.scale_index(scale_id)
        .ok_or_else(|| AdaptiveError::UnknownScale(scale_id.to_string()))
}

/// The IRT view of scale number `scale` (all-or-none rule for parameters).
pub fn scale_irt(bank: &Bank, scale: usize) -> Result<ScaleIrt, AdaptiveError> {
    let scale_id = bank
        .scales()
        .get(scale)
        .map(|s| s.id.clone())
        .ok_or_else(|| AdaptiveError::UnknownScale(format!("#{scale}")))?;
    let items: Vec<usize> = bank
        .scale_item_indices(scale)
        .iter()
        .copied()
        .filter(|&i| item_categories(bank, i).is_some())
        .collect();
    if items.is_empty() {
        return Err(AdaptiveError::NoIrtItems { scale: scale_id });
    }
    let categories: Vec<usize> = items.iter().filter_map(|&i| item_categories(bank, i)).collect();
    let params: Vec<Option<GrmItem>> = items
        .iter()
        .map(|&i| {
            bank.items()
                .get(i)
                .and_then(|it| it.grm.as_ref())
                .map(|g| GrmItem { a: g.a, b: g.b.clone() })
        })
        .collect();
    let grm = scale_parameters(&params).map_err(|source| AdaptiveError::Irt {
        scale: scale_id.clone(),
        source,
    })?;
    Ok(ScaleIrt {
        scale,
        scale_id,
        items,
        categories,
        grm,
    })
}

/// Every scale that has Likert or SJT items (calibrated or not), in bank order.
pub fn irt_scales(bank: &Bank) -> Result<Vec<ScaleIrt>, AdaptiveError> {
    let mut out = Vec::new();
    for s in 0..bank.scales().len() {
        match scale_irt(bank, s) {
            Ok(v) => out.push(v),
            Err(AdaptiveError::NoIrtItems { .. }) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(out)
}

/// One session's answers to a scale's items as categories (`None` = missing).
pub fn session_categories(bank: &Bank, scale: &ScaleIrt, session: &Responses) -> Vec<Option<usize>> {
    scale
        .items
        .iter()
        .map(|&i| session.answer(i).and_then(|a| answer_category(bank, i, a)))
        .collect()
}

/// The response matrix of a scale over many sessions (rows = sessions).
pub fn response_matrix(bank: &Bank, scale: &ScaleIrt, sessions: &[Responses]) -> Vec<Vec<Option<usize>>> {
    sessions
        .iter()
        .map(|s| session_categories(bank, scale, s))
        .collect()
}

// ---------------------------------------------------------------------------
// Person scoring
// ---------------------------------------------------------------------------

/// IRT score of one person on one scale.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct IrtScore {
    /// Scale id.
    pub scale: String,
    /// EAP estimate of theta (N(0,1) prior; theta is a z score in the
    /// calibration sample).
    pub theta: f64,
    /// Standard error of theta (posterior SD).
    pub se: f64,
    /// T = 50 + 10 theta (meaningful as a norm score only when the
    /// calibration sample is the norm group).
    pub t: f64,
    /// Items answered.
    pub answered: usize,
    /// Person fit lz* (about N(0,1) for people who answer by the model;
    /// strongly negative values mean an unusual pattern); `None` when fewer
    /// than `PERSON_FIT_MIN_ITEMS` items were answered.
    pub lz_star: Option<f64>,
}

/// T score from theta: `T = 50 + 10 theta`.
pub fn t_from_theta(theta: f64) -> f64 {
    50.0 + 10.0 * theta
}

/// EAP score of a session on a calibrated scale, each answer's probability
/// computed on the spot. `Ok(None)` when the scale is calibrated but the
/// person answered none of its items. ([`IrtScoring`] gives the same numbers
/// from tables built once per bank version.)
pub fn score_scale(bank: &Bank, scale: &ScaleIrt, session: &Responses) -> Result<Option<IrtScore>, AdaptiveError> {
    let grm = scale.grm.as_ref().ok_or_else(|| AdaptiveError::NotCalibrated {
        scale: scale.scale_id.clone(),
    })?;
    let answers = session_categories(bank, scale, session);
    if answers.iter().all(Option::is_none) {
        return Ok(None);
    }
    let est = eap(grm, &answers).map_err(|source| irt_error(scale, source))?;
    irt_score(scale, grm, &answers, est).map(Some)
}

/// EAP scores of a session on every calibrated scale the person answered
/// (one-off: see [`IrtScoring`] to score many sessions of one bank).
pub fn score_session(bank: &Bank, session: &Responses) -> Result<Vec<IrtScore>, AdaptiveError> {
    let mut out = Vec::new();
    for scale in irt_scales(bank)? {
        if scale.grm.is_some() {
            if let Some(s) = score_scale(bank, &scale, session)? {
                out.push(s);
            }
        }
    }
    Ok(out)
}

/// A scale's score from its EAP estimate: `T = 50 + 10 theta`, and person fit
/// (lz*) once `PERSON_FIT_MIN_ITEMS` items are answered.
fn irt_score(scale: &ScaleIrt, grm: &[GrmItem], answers: &[Option<usize>], est: ThetaEstimate) -> Result<IrtScore, AdaptiveError> {
    let lz_star = if est.answered >= PERSON_FIT_MIN_ITEMS {
        Some(person_fit(grm, answers).map_err(|source| irt_error(scale, source))?.lz_star)
    } else {
        None
    };
    Ok(IrtScore {
        scale: scale.scale_id.clone(),
        theta: est.theta,
        se: est.se,
        t: t_from_theta(est.theta),
        answered: est.answered,
        lz_star,
    })
}

fn irt_error(scale: &ScaleIrt, source: IrtError) -> AdaptiveError {
    AdaptiveError::Irt {
        scale: scale.scale_id.clone(),
        source,
    }
}

/// The calibrated scales of a bank, each with a table of
/// `ln P(category | theta)` for every item, category and node of the
/// standard grid, built once per bank version. A person's EAP is then a sum
/// of table rows ([`eap_from_table`]): the same numbers as [`score_scale`]
/// computes on the spot, for a fraction of the work.
#[derive(Debug, Clone)]
pub struct IrtScoring {
    quad: Quadrature,
    scales: Vec<TabledScale>,
}

#[derive(Debug, Clone)]
struct TabledScale {
    scale: ScaleIrt,
    grm: Vec<GrmItem>,
    table: LogProbTable,
}

impl IrtScoring {
    /// The tables of every calibrated scale of `bank` (none when it has no
    /// parameters); an error when a scale's parameters are incomplete.
    pub fn of(bank: &Bank) -> Result<IrtScoring, AdaptiveError> {
        let quad = Quadrature::standard();
        let scales = irt_scales(bank)?
            .into_iter()
            .filter_map(|scale| {
                let grm = scale.grm.clone()?;
                let table = LogProbTable::new(&grm, &quad);
                Some(TabledScale { scale, grm, table })
            })
            .collect();
        Ok(IrtScoring { quad, scales })
    }

    /// The calibrated scales, in the bank's order.
    pub fn scales(&self) -> impl Iterator<Item = &ScaleIrt> {
        self.scales.iter().map(|s| &s.scale)
    }

    /// EAP estimate (without person fit) on the calibrated scale numbered
    /// `scale` in the bank; `None` when the person answered none of its items
    /// or the scale is not calibrated.
    pub fn estimate(&self, bank: &Bank, scale: usize, session: &Responses) -> Result<Option<ThetaEstimate>, AdaptiveError> {
        let Some(s) = self.scales.iter().find(|s| s.scale.scale == scale) else { return Ok(None) };
        Ok(self.answered(s, bank, session)?.map(|(_, est)| est))
    }

    /// EAP scores of a session on every calibrated scale the person answered,
    /// as [`score_session`] gives them.
    pub fn score(&self, bank: &Bank, session: &Responses) -> Result<Vec<IrtScore>, AdaptiveError> {
        let mut out = Vec::new();
        for s in &self.scales {
            if let Some((answers, est)) = self.answered(s, bank, session)? {
                out.push(irt_score(&s.scale, &s.grm, &answers, est)?);
            }
        }
        Ok(out)
    }

    /// The person's answer categories on one scale and their EAP estimate
    /// from the table; `None` when none of its items was answered.
    fn answered(&self, s: &TabledScale, bank: &Bank, session: &Responses) -> Result<Option<(Vec<Option<usize>>, ThetaEstimate)>, AdaptiveError> {
        let answers = session_categories(bank, &s.scale, session);
        if answers.iter().all(Option::is_none) {
            return Ok(None);
        }
        let est = eap_from_table(&s.table, &self.quad, &answers).map_err(|source| irt_error(&s.scale, source))?;
        Ok(Some((answers, est)))
    }
}

// ---------------------------------------------------------------------------
// Adaptive testing
// ---------------------------------------------------------------------------

/// The adaptive item pool of a bank: every item of the named scales (all
/// calibrated scales when `scales` is empty), with facet and exposure
/// parameter. A named scale without parameters is an error.
pub fn cat_pool(bank: &Bank, scales: &[&str]) -> Result<CatPool, AdaptiveError> {
    let chosen: Vec<ScaleIrt> = if scales.is_empty() {
        let all: Vec<ScaleIrt> = irt_scales(bank)?.into_iter().filter(|s| s.grm.is_some()).collect();
        if all.is_empty() {
            return Err(AdaptiveError::NoCalibratedScale {
                bank: format!("{}@{}", bank.id(), bank.version()),
            });
        }
        all
    } else {
        scales
            .iter()
            .map(|id| scale_irt(bank, scale_by_id(bank, id)?))
            .collect::<Result<_, _>>()?
    };
    let mut pool = Vec::new();
    for s in &chosen {
        let grm = s.grm.as_ref().ok_or_else(|| AdaptiveError::NotCalibrated {
            scale: s.scale_id.clone(),
        })?;
        for (&i, g) in s.items.iter().zip(grm) {
            let Some(def) = bank.items().get(i) else { continue };
            pool.push(PoolItem {
                id: def.id.clone(),
                scale: s.scale_id.clone(),
                facet: def.facet.clone(),
                grm: g.clone(),
                exposure_parameter: def.exposure.unwrap_or(1.0),
            });
        }
    }
    Ok(CatPool::new(pool)?)
}

/// The bank's adaptive settings (`[cat]`) over the engine defaults.
pub fn cat_config(bank: &Bank) -> CatConfig {
    cat_config_from(bank.file().cat.as_ref())
}

/// [`CatConfig`] from optional `[cat]` settings (missing values: defaults).
pub fn cat_config_from(settings: Option<&CatSettings>) -> CatConfig {
    let mut c = CatConfig::default();
    if let Some(s) = settings {
        let to_usize = |x: u32| usize::try_from(x).unwrap_or(usize::MAX);
        if let Some(v) = s.se_target {
            c.se_target = v;
        }
        if let Some(v) = s.min_items {
            c.min_items = to_usize(v);
        }
        if let Some(v) = s.max_items {
            c.max_items = to_usize(v);
        }
        if let Some(v) = s.randomesque {
            c.randomesque = to_usize(v);
        }
    }
    c
}

#[cfg(test)]
pub(crate) mod tests;
