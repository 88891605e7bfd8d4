//! Reading score records back. Per instrument: the classical report, the IRT
//! record, and, by the one rule of [`assessments::primary`], the score each
//! scale reports. The profile, comparison, print view, CSV and JSON exports
//! and the candidate's feedback all read scores through here, so they never
//! disagree about which score a scale has.

use std::sync::Arc;

use assessments::{
    primary::{reported_scales, IrtScaleScore, ReportedScale},
    scored_session::ScoredSession,
    validity::Status,
};

use super::IrtRecord;
use crate::{
    catalog::CatalogEntry,
    store::{CampaignScoreRow, StoredScore},
};

/// A stored score record as the reader needs it.
pub trait ScoreRecord {
    fn instrument(&self) -> &str;
    fn method(&self) -> &str;
    fn report(&self) -> &str;
}

/// Both kinds of stored rows carry the three columns the reader needs.
macro_rules! score_record {
    ($($row:ty),*) => {$(
        impl ScoreRecord for $row {
            fn instrument(&self) -> &str {
                &self.instrument
            }
            fn method(&self) -> &str {
                &self.method
            }
            fn report(&self) -> &str {
                &self.report
            }
        }
    )*};
}

score_record!(StoredScore, CampaignScoreRow);

/// A stored record that cannot be read (a configuration or data problem).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the stored {method} score of {instrument} cannot be read: {reason}")]
pub struct ReadError {
    pub instrument: String,
    pub method: String,
    pub reason: String,
}

/// The scores of one finished instrument.
#[derive(Debug, Clone)]
pub struct InstrumentScores {
    pub entry: Arc<CatalogEntry>,
    pub classical: ScoredSession,
    /// The IRT record, where the bank is calibrated.
    pub irt: Option<IrtRecord>,
    /// The score each scale reports, in the bank's order.
    pub scales: Vec<ReportedScale>,
}

impl InstrumentScores {
    pub fn instrument(&self) -> &str {
        self.entry.bank.id()
    }

    pub fn scale(&self, id: &str) -> Option<&ReportedScale> {
        self.scales.iter().find(|s| s.scale == id)
    }

    /// The IRT scores per calibrated scale (none without parameters).
    pub fn irt_scores(&self) -> &[IrtScaleScore] {
        self.irt.as_ref().map_or(&[], |r| r.irt.as_slice())
    }

    /// The validity status, person fit included (see [`super::with_person_fit`]).
    pub fn validity_status(&self) -> Status {
        super::with_person_fit(self.classical.validity.status, self.irt_scores().iter().map(|s| s.score.lz_star))
    }

    /// Whether the instrument ran adaptively.
    pub fn adaptive(&self) -> bool {
        self.irt.as_ref().is_some_and(|r| r.adaptive)
    }
}

/// The scores of every instrument of `battery` that has a classical record
/// among `records` (one session's), in the battery's order.
pub fn read_session<R: ScoreRecord>(battery: &[Arc<CatalogEntry>], records: &[R]) -> Result<Vec<InstrumentScores>, ReadError> {
    let mut out = Vec::new();
    for entry in battery {
        let id = entry.bank.id();
        let of = |method: &str| records.iter().find(|r| r.instrument() == id && r.method() == method);
        let Some(ctt) = of("ctt") else { continue };
        let fail = |method: &str, e: serde_json::Error| ReadError { instrument: id.to_string(), method: method.to_string(), reason: e.to_string() };
        let classical: ScoredSession = serde_json::from_str(ctt.report()).map_err(|e| fail("ctt", e))?;
        let irt: Option<IrtRecord> = of("irt").map(|r| serde_json::from_str(r.report())).transpose().map_err(|e| fail("irt", e))?;
        let scales = match &irt {
            Some(r) => reported_scales(&entry.bank, &classical.scores, &r.irt, r.adaptive, r.fixed_form),
            None => reported_scales(&entry.bank, &classical.scores, &[], false, Default::default()),
        };
        out.push(InstrumentScores { entry: entry.clone(), classical, irt, scales });
    }
    Ok(out)
}
