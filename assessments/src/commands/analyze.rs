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
    analyze_sessions_on(bank, sessions, 1)
}

/// The same analysis with the scales shared out over `threads` threads
/// (each scale is analysed alone, so the report is identical).
pub fn analyze_sessions_on(bank: &Bank, sessions: &[Responses], threads: usize) -> AnalysisReport {
    let scales = bank.scales().len();
    let threads = threads.clamp(1, scales.max(1));
    let mut analysed: Vec<Option<ScaleAnalysis>> = vec![None; scales];
    std::thread::scope(|scope| {
        // Thread t takes scales t, t + threads, t + 2·threads, …
        let handles: Vec<_> = (0..threads)
            .map(|t| scope.spawn(move || (t..scales).step_by(threads).map(|s| (s, analyze_scale(bank, s, sessions))).collect::<Vec<_>>()))
            .collect();
        for handle in handles {
            for (s, analysis) in handle.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)) {
                analysed[s] = analysis;
            }
        }
    });
    AnalysisReport {
        bank_id: bank.id().to_string(),
        bank_version: bank.version().to_string(),
        bank_hash: bank.content_hash().to_string(),
        engine_version: crate::ENGINE_VERSION.to_string(),
        sessions: sessions.len(),
        scales: analysed.into_iter().flatten().collect(),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::simulate::{SimulationModel, SimulationOptions, Simulator};

    #[test]
    fn sharing_the_scales_out_over_threads_changes_nothing() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("banks/svi");
        let read = |name: &str| std::fs::read_to_string(dir.join(name)).expect("shipped file");
        let bank = Bank::parse(&read("1.0.0.toml"), "svi 1.0.0").expect("bank");
        let model = SimulationModel::parse(&read("simulation/1.0.0.toml"), "model", &bank).expect("model");
        let people = Simulator::new(&bank, &model).expect("simulator").simulate(&SimulationOptions { n: 300, seed: 7, ..SimulationOptions::default() });
        let sessions: Vec<Responses> = people.into_iter().map(|p| p.responses).collect();
        let one = analyze_sessions(&bank, &sessions);
        assert_eq!(one.scales.len(), bank.scales().len());
        for threads in [2, 3, 64] {
            assert_eq!(analyze_sessions_on(&bank, &sessions, threads), one, "{threads} threads");
        }
    }
}
