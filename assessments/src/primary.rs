//! The score a report shows for each scale (PSYCHOMETRICS.md section 9).
//!
//! A finished instrument may have a classical score (always), an IRT score
//! (EAP, where the bank is calibrated) and an adaptive run. Which one a
//! report shows, its *primary* score, follows one rule, [`primary_method`]:
//!
//! - a scale without IRT parameters: the classical (CTT) score;
//! - adaptive delivery: the IRT score (the CAT asks too few items for a
//!   classical score);
//! - a fixed form on a calibrated scale: what the campaign chose
//!   ([`FixedFormScoring`], CTT unless it chose IRT).
//!
//! An IRT score is normed on the theta scale: T, percentile and sten come
//! from the norm table's theta norms by the same formulas as raw scores, and
//! its 90% band is theta +/- 1.645 x posterior SD, each end converted
//! separately. A CTT score keeps its SEM band.

use serde::{Deserialize, Serialize};

use crate::adaptive::{scale_irt, IrtScore};
use crate::bank::{Bank, ScaleKind};
use crate::cat::StopReason;
use crate::norms::NormScale;
use crate::scoring::{normed_with_error, Normed, ScoreReport, ScaleScore};

/// How a score was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// Classical test theory: the prorated mean of the keyed answers.
    Ctt,
    /// IRT (EAP) over the answers to a fixed form.
    IrtFixed,
    /// IRT (EAP) over the items an adaptive run chose.
    IrtAdaptive,
}

impl Method {
    /// How reports name the method.
    pub fn label(self) -> &'static str {
        match self {
            Method::Ctt => "CTT (raw score)",
            Method::IrtFixed => "IRT (fixed form)",
            Method::IrtAdaptive => "IRT (adaptive)",
        }
    }

    pub fn is_irt(self) -> bool {
        self != Method::Ctt
    }
}

/// A campaign's choice for a fixed form on a calibrated bank.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FixedFormScoring {
    /// Report the classical score (the default).
    #[default]
    Ctt,
    /// Report the IRT (EAP) score.
    Irt,
}

/// The one rule for the primary score of a scale: no parameters, CTT;
/// adaptive delivery, IRT; a fixed form, what the campaign chose.
pub fn primary_method(adaptive: bool, fixed_form: FixedFormScoring, calibrated: bool) -> Method {
    match (calibrated, adaptive, fixed_form) {
        (false, _, _) => Method::Ctt,
        (true, true, _) => Method::IrtAdaptive,
        (true, false, FixedFormScoring::Irt) => Method::IrtFixed,
        (true, false, FixedFormScoring::Ctt) => Method::Ctt,
    }
}

/// Fewest answered items an IRT score is reported from; below it the scale
/// is "not scored" (the estimate would mostly repeat the prior).
pub const MIN_IRT_ITEMS: usize = 3;

/// Whether scale number `scale` of the bank has IRT parameters.
pub fn is_calibrated(bank: &Bank, scale: usize) -> bool {
    matches!(scale_irt(bank, scale), Ok(s) if s.grm.is_some())
}

/// Why an adaptive run of a scale ended, as reports say it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AdaptiveStop {
    /// The standard error reached its target.
    PrecisionReached,
    /// The most items a scale may ask were asked.
    ItemLimit,
    /// No suitable item was left.
    PoolExhausted,
    /// The session ended first (its time limit).
    SessionEnded,
}

impl AdaptiveStop {
    /// From the engine's stopping rule; none means the session ended first.
    pub fn of(rule: Option<StopReason>) -> AdaptiveStop {
        match rule {
            Some(StopReason::SeTarget) => AdaptiveStop::PrecisionReached,
            Some(StopReason::MaxItems) => AdaptiveStop::ItemLimit,
            Some(StopReason::PoolExhausted) => AdaptiveStop::PoolExhausted,
            None => AdaptiveStop::SessionEnded,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            AdaptiveStop::PrecisionReached => "precision reached",
            AdaptiveStop::ItemLimit => "item limit reached",
            AdaptiveStop::PoolExhausted => "no suitable item left",
            AdaptiveStop::SessionEnded => "time ran out first",
        }
    }
}

/// The IRT score of one scale as stored at finish: the EAP estimate, its
/// conversion through the theta norms (with the band from the posterior
/// SD) and, after an adaptive run, why the run stopped.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IrtScaleScore {
    #[serde(flatten)]
    pub score: IrtScore,
    #[serde(default)]
    pub normed: Option<Normed>,
    #[serde(default)]
    pub stop: Option<AdaptiveStop>,
}

/// An EAP score normed on the theta scale (when the table has theta norms
/// for the scale and the score rests on at least [`MIN_IRT_ITEMS`] answers).
pub fn irt_scale_score(score: IrtScore, theta_norms: Option<&NormScale>, demonstration: bool, stop: Option<AdaptiveStop>) -> IrtScaleScore {
    let normed = theta_norms
        .filter(|_| score.answered >= MIN_IRT_ITEMS)
        .map(|ns| normed_with_error(score.theta, score.se, ns, demonstration));
    IrtScaleScore { score, normed, stop }
}

/// Why a scale has no score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "reason")]
pub enum NotScored {
    /// Classical scoring needs 80% of the items answered.
    TooFewAnswered { answered: usize, items: usize },
    /// An IRT score needs [`MIN_IRT_ITEMS`] answered items.
    TooFewForIrt { answered: usize, needed: usize },
}

impl NotScored {
    /// The reason in a sentence.
    pub fn sentence(self) -> String {
        match self {
            NotScored::TooFewAnswered { answered, items } => {
                format!("{answered} of {items} items answered; a classical score needs at least 80% of them.")
            }
            NotScored::TooFewForIrt { answered, needed } => {
                format!("{answered} item(s) answered; an IRT score needs at least {needed}.")
            }
        }
    }
}

/// The score a report shows for one scale.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportedScale {
    pub scale: String,
    pub kind: ScaleKind,
    pub method: Method,
    /// Items of the scale.
    pub items: usize,
    /// Items answered (after an adaptive run: asked and answered).
    pub answered: usize,
    /// The raw mean (CTT) or theta (IRT); none when not scored.
    pub estimate: Option<f64>,
    /// The SEM (CTT, with norms) or the posterior SD (IRT).
    pub error: Option<f64>,
    /// T, percentile, sten with their 90% bands, when normed.
    pub normed: Option<Normed>,
    /// Why the adaptive run stopped (adaptive only).
    pub stop: Option<AdaptiveStop>,
    pub not_scored: Option<NotScored>,
}

/// The primary score of every scale of an instrument, in the bank's order,
/// from its classical report and its IRT scores (see [`primary_method`]).
pub fn reported_scales(bank: &Bank, classical: &ScoreReport, irt: &[IrtScaleScore], adaptive: bool, fixed_form: FixedFormScoring) -> Vec<ReportedScale> {
    classical
        .scales
        .iter()
        .map(|ctt| {
            let calibrated = bank.scale_index(&ctt.scale).is_some_and(|i| is_calibrated(bank, i));
            match primary_method(adaptive, fixed_form, calibrated) {
                Method::Ctt => reported_ctt(ctt),
                method => reported_irt(ctt, irt.iter().find(|s| s.score.scale == ctt.scale), method),
            }
        })
        .collect()
}

fn reported_ctt(ctt: &ScaleScore) -> ReportedScale {
    ReportedScale {
        scale: ctt.scale.clone(),
        kind: ctt.kind,
        method: Method::Ctt,
        items: ctt.items,
        answered: ctt.answered,
        estimate: ctt.raw,
        error: ctt.normed.map(|n| n.sem),
        normed: ctt.normed,
        stop: None,
        not_scored: (!ctt.scorable).then_some(NotScored::TooFewAnswered { answered: ctt.answered, items: ctt.items }),
    }
}

fn reported_irt(ctt: &ScaleScore, irt: Option<&IrtScaleScore>, method: Method) -> ReportedScale {
    let answered = irt.map_or(0, |s| s.score.answered);
    let scored = irt.filter(|_| answered >= MIN_IRT_ITEMS);
    ReportedScale {
        scale: ctt.scale.clone(),
        kind: ctt.kind,
        method,
        items: ctt.items,
        answered,
        estimate: scored.map(|s| s.score.theta),
        error: scored.map(|s| s.score.se),
        normed: scored.and_then(|s| s.normed),
        stop: irt.and_then(|s| s.stop),
        not_scored: scored.is_none().then_some(NotScored::TooFewForIrt { answered, needed: MIN_IRT_ITEMS }),
    }
}

#[cfg(test)]
mod tests;
