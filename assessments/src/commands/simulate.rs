//! `vigil simulate`: simulated respondents from a population model.

use std::path::Path;

use crate::responses::{write_csv, Responses};
use crate::simulate::{SimulationModel, SimulationOptions, Simulator};
use super::io::{CommandError, Limits, load_bank, read_limited, write_atomic};

/// Simulates respondents from a bank's population model and writes them as
/// a response CSV (atomically). Returns the number of respondents.
pub fn simulate_responses(
    bank_path: &Path,
    model_path: &Path,
    opts: &SimulationOptions,
    out_csv: &Path,
    limits: &Limits,
) -> Result<usize, CommandError> {
    let bank = load_bank(bank_path, limits)?;
    let src = read_limited(model_path, limits.max_toml_bytes)?;
    let model = SimulationModel::parse(&src, &model_path.display().to_string(), &bank)?;
    let sim = Simulator::new(&bank, &model)?;
    let sessions: Vec<Responses> = sim.simulate(opts).into_iter().map(|s| s.responses).collect();
    write_atomic(out_csv, write_csv(&bank, &sessions, opts.latencies).as_bytes())?;
    Ok(sessions.len())
}
