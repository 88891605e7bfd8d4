//! `vigil analyze`: item analysis and reliability of collected responses.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::bank::Bank;
use crate::reliability::{analyze_scale, ScaleAnalysis};
use crate::responses::Responses;
use super::io::{CommandError, Limits, load_bank, load_responses};

/// Item analysis and reliability of every scale of a bank on response data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnalysisReport {
    pub bank_id: String,
    pub bank_version: String,
    pub bank_hash: String,
    pub engine_version: String,
    pub sessions: usize,
    pub scales: Vec<ScaleAnalysis>,
}

/// Item analysis of sessions already in memory.
pub fn analyze_sessions(bank: &Bank, sessions: &[Responses]) -> AnalysisReport {
    AnalysisReport {
        bank_id: bank.id().to_string(),
        bank_version: bank.version().to_string(),
        bank_hash: bank.content_hash().to_string(),
        engine_version: crate::ENGINE_VERSION.to_string(),
        sessions: sessions.len(),
        scales: (0..bank.scales().len())
            .filter_map(|s| analyze_scale(bank, s, sessions))
            .collect(),
    }
}

/// `vigil analyze BANK RESPONSES.csv`: item analysis and reliability per scale.
pub fn analyze(bank_path: &Path, responses_csv: &Path, limits: &Limits) -> Result<AnalysisReport, CommandError> {
    let bank = load_bank(bank_path, limits)?;
    let sessions = load_responses(responses_csv, &bank, limits)?;
    if sessions.is_empty() {
        return Err(CommandError::NoSessions {
            path: responses_csv.display().to_string(),
        });
    }
    Ok(analyze_sessions(&bank, &sessions))
}
