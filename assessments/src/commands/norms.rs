//! `vigil norms build`: a norm table from collected responses.

use std::path::Path;

use crate::norms::{build_norm_table, NormMeta, NormTable};
use super::io::{CommandError, Limits, load_bank, load_responses, write_atomic};

/// `vigil norms build BANK RESPONSES.csv --out NORMS.toml`: builds a norm
/// table and writes it atomically. Nothing is written if any step fails.
pub fn build_norms(
    bank_path: &Path,
    responses_csv: &Path,
    meta: &NormMeta,
    out_path: &Path,
    limits: &Limits,
) -> Result<NormTable, CommandError> {
    let bank = load_bank(bank_path, limits)?;
    let sessions = load_responses(responses_csv, &bank, limits)?;
    if sessions.is_empty() {
        return Err(CommandError::NoSessions {
            path: responses_csv.display().to_string(),
        });
    }
    let table = build_norm_table(&bank, &sessions, meta)?;
    let text = table.to_toml()?;
    // what we write must read back as a valid norm table of this bank
    NormTable::parse(&text, &out_path.display().to_string(), &bank)?;
    write_atomic(out_path, text.as_bytes())?;
    Ok(table)
}
