//! The feedback report for the person who took the assessment, where the
//! campaign offers feedback: per instrument, how it was measured and what
//! the results cannot tell; per scale, what it is about, where the person's
//! answers place them (the lower, middle or higher range of the reference
//! group, or between two ranges when the measurement cannot tell) and what
//! that range tends to mean at work. The words come from the instrument's
//! feedback texts (`assessments::feedback`), in the person's language. No
//! numbers: a T score or percentile invites more precision than there is.

use assessments::{
    bank::ScaleKind,
    norms::derived::{band_label, BandLabel},
};

use super::{access::Context, error::CandidateError, views::text};
use crate::{catalog::Catalog, scoring::read::read_session, store::Store};

/// The report, in the person's language.
#[derive(Debug, Clone, PartialEq)]
pub struct FeedbackReport {
    pub lang: String,
    pub organisation: String,
    pub instruments: Vec<InstrumentFeedback>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct InstrumentFeedback {
    pub title: String,
    pub method: String,
    pub cannot: String,
    /// Empty when the answers could not be read as a result, or nothing is normed.
    pub scales: Vec<ScaleFeedback>,
    /// The answers could not be turned into a result that can be read.
    pub not_readable: bool,
    /// The reference group is demonstration data: the comparison only illustrates.
    pub demonstration: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ScaleFeedback {
    pub name: String,
    pub about: String,
    /// The range of the point estimate, and of the two ends of its 90% band.
    pub range: BandLabel,
    pub band: [BandLabel; 2],
    /// The band on the T scale, for the picture only (never shown as numbers).
    pub t_band: [i32; 2],
    pub meaning: String,
}

impl ScaleFeedback {
    /// The measurement cannot tell which of two ranges the person is in.
    pub fn between(&self) -> bool {
        self.band[0] != self.band[1]
    }
}

/// The report for the context's completed session. `NoFeedback` when the
/// campaign does not offer one or the session is not finished.
pub async fn report(store: &Store, catalog: &Catalog, ctx: &Context) -> Result<FeedbackReport, CandidateError> {
    let session = ctx.session.as_ref().filter(|s| s.status == "completed").ok_or(CandidateError::NoFeedback)?;
    if ctx.campaign.candidate_feedback == 0 {
        return Err(CandidateError::NoFeedback);
    }
    let lang = session.language.clone();
    let scores = store.scores_of(&ctx.invitation.org_id, &session.id).await?;
    let scored = read_session(&ctx.battery, &scores).map_err(|e| CandidateError::Misconfigured(e.to_string()))?;
    let mut instruments = Vec::new();
    for instrument in &scored {
        let bank = &instrument.entry.bank;
        let Some(texts) = catalog.feedback(bank.id()) else { continue };
        let not_readable = scores.iter().any(|s| s.instrument == bank.id() && matches!(s.method.as_str(), "ctt" | "irt") && s.validity_status == "invalid");
        let mut scales = Vec::new();
        let mut demonstration = false;
        for reported in instrument.scales.iter().filter(|s| matches!(s.kind, ScaleKind::Trait | ScaleKind::Judgement)) {
            let (Some(words), Some(normed), Some(def)) = (texts.scales.get(&reported.scale), reported.normed.as_ref(), bank.scale(&reported.scale)) else { continue };
            demonstration |= normed.demonstration;
            scales.push(ScaleFeedback {
                name: text(&def.name, &lang),
                about: text(&words.about, &lang),
                range: normed.label,
                band: [band_label(normed.band90.t[0]), band_label(normed.band90.t[1])],
                t_band: normed.band90.t,
                meaning: text(words.range(normed.label), &lang),
            });
        }
        instruments.push(InstrumentFeedback {
            title: text(&bank.file().instrument.title, &lang),
            method: text(&texts.feedback.method, &lang),
            cannot: text(&texts.feedback.cannot, &lang),
            scales: if not_readable { Vec::new() } else { scales },
            not_readable,
            demonstration,
        });
    }
    Ok(FeedbackReport { lang, organisation: ctx.organisation.clone(), instruments })
}
