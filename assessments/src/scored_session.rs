//! A session scored the classical way: its scale scores (with the norm
//! conversion when a table is given) and its validity indices, together, as
//! they are stored and reported.

use serde::{Deserialize, Serialize};

use crate::bank::Bank;
use crate::norms::NormTable;
use crate::responses::Responses;
use crate::scoring::{ScoreReport, Scorer, ScoringError};
use crate::validity::{assess, ValidityReport};

/// Scores and validity indices of one session.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScoredSession {
    pub scores: ScoreReport,
    pub validity: ValidityReport,
}

/// Scores each session with one scorer: scale scores, then the validity
/// indices that read them. Refused when the norm table is another bank's.
pub fn score_classical(bank: &Bank, norms: Option<&NormTable>, sessions: &[Responses]) -> Result<Vec<ScoredSession>, ScoringError> {
    let scorer = Scorer::new(bank, norms)?;
    Ok(sessions.iter().map(|session| scored(&scorer, bank, session)).collect())
}

/// [`score_classical`] for one session.
pub fn score_classical_one(bank: &Bank, norms: Option<&NormTable>, session: &Responses) -> Result<ScoredSession, ScoringError> {
    Ok(scored(&Scorer::new(bank, norms)?, bank, session))
}

fn scored(scorer: &Scorer<'_>, bank: &Bank, session: &Responses) -> ScoredSession {
    let scores = scorer.score(session);
    let validity = assess(bank, session, Some(&scores));
    ScoredSession { scores, validity }
}
