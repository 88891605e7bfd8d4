//! The file-based psychometric commands (no database): thin wrappers that
//! call `assessments::commands` and print or write its results.

use std::{io::Write, path::Path};

use assessments::{
    commands::{self, write_atomic, Limits},
    norms::NormMeta,
    simulate::SimulationOptions,
};

use crate::{
    cli::{BankCommand, NormsCommand, OutputFormat},
    Error,
};

pub fn bank(cmd: BankCommand) -> Result<(), Error> {
    let limits = Limits::default();
    match cmd {
        BankCommand::Validate { paths } => {
            let report = commands::validate_banks(&paths, &limits);
            let mut text = String::new();
            for file in &report.files {
                let what = [file.id.as_deref(), file.version.as_deref()].into_iter().flatten().collect::<Vec<_>>().join("@");
                if file.ok {
                    text.push_str(&format!("ok       {} ({:?} {what} {})\n", file.path, file.kind, file.content_hash.as_deref().unwrap_or("")));
                } else {
                    text.push_str(&format!("INVALID  {}\n", file.path));
                    for problem in &file.problems {
                        text.push_str(&format!("         {problem}\n"));
                    }
                }
            }
            to_stdout(text.as_bytes())?;
            if report.ok {
                Ok(())
            } else {
                let bad = report.files.iter().filter(|f| !f.ok).count();
                Err(Error::Usage(format!("{bad} of {} files have problems (listed above)", report.files.len())))
            }
        }
        BankCommand::Hash { path } => {
            to_stdout(format!("{}\n", commands::bank_hash(&path, &limits)?).as_bytes())
        }
        BankCommand::Publish { path } => {
            let summary = commands::publish_bank(&path, &limits)?;
            let line = if summary.already_published {
                format!("{}@{} is already published with {}\n", summary.bank_id, summary.bank_version, summary.content_hash)
            } else {
                format!("published {}@{} ({})\n", summary.bank_id, summary.bank_version, summary.content_hash)
            };
            to_stdout(line.as_bytes())
        }
    }
}

pub fn analyze(bank: &Path, responses: &Path, out: Option<&Path>) -> Result<(), Error> {
    let report = commands::analyze(bank, responses, &Limits::default())?;
    let json = serde_json::to_vec_pretty(&report).map_err(|e| Error::Usage(format!("cannot write the report: {e}")))?;
    emit(&json, out)
}

pub fn score(bank: &Path, norms: Option<&Path>, responses: &Path, format: OutputFormat, out: Option<&Path>) -> Result<(), Error> {
    let rows = commands::score(bank, norms, responses, &Limits::default())?;
    let mut buf = Vec::new();
    match format {
        OutputFormat::Csv => commands::write_scores_csv(&rows, &mut buf)?,
        OutputFormat::Json => commands::write_scores_json(&rows, &mut buf)?,
    }
    emit(&buf, out)
}

pub fn norms(cmd: NormsCommand) -> Result<(), Error> {
    match cmd {
        NormsCommand::Build { bank, responses, out, id, group, group_de, country, role_family, collected_from, collected_to, demonstration } => {
            let meta = NormMeta {
                id,
                demonstration,
                group: [("en".to_string(), group.clone()), ("de".to_string(), group_de.unwrap_or(group))].into_iter().collect(),
                country,
                role_family,
                collected_from,
                collected_to,
            };
            let table = commands::build_norms(&bank, &responses, &meta, &out, &Limits::default())?;
            eprintln!("wrote norm table {} to {}", table.id, out.display());
            Ok(())
        }
    }
}

pub fn simulate(bank: &Path, model: &Path, n: usize, seed: u64, careless_share: Option<f64>, out: &Path) -> Result<(), Error> {
    let options = SimulationOptions { n, seed, careless_share, ..SimulationOptions::default() };
    let written = commands::simulate_responses(bank, model, &options, out, &Limits::default())?;
    eprintln!("wrote {written} simulated respondents to {}", out.display());
    Ok(())
}

pub fn calibrate(bank: &Path, responses: &Path, out: &Path, scale: Option<String>, demonstration: bool) -> Result<(), Error> {
    let mut options = if demonstration { commands::CalibrateOptions::demonstration() } else { commands::CalibrateOptions::default() };
    options.scale = scale;
    let summary = commands::calibrate_bank(bank, responses, out, &options, &Limits::default())?;
    to_stdout(commands::format_calibration_summary(&summary).as_bytes())
}

pub fn cat_simulate(bank: &Path, scale: Option<&str>, n: usize, se: Option<f64>, seed: u64) -> Result<(), Error> {
    let report = commands::cat_study(bank, scale, n, se, seed, &Limits::default())?;
    to_stdout(commands::format_study_report(&report).as_bytes())
}

/// Writes to a file atomically, or to standard output.
fn emit(bytes: &[u8], out: Option<&Path>) -> Result<(), Error> {
    match out {
        Some(path) => Ok(write_atomic(path, bytes)?),
        None => to_stdout(bytes),
    }
}

/// Writes to standard output. When the reader has gone (`vigil analyze |
/// head`), the output is simply not wanted any more: the command ends quietly
/// and successfully, as Unix tools do.
fn to_stdout(bytes: &[u8]) -> Result<(), Error> {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(Error::Io { path: "standard output".into(), reason: e.to_string() }),
        _ => Ok(()),
    }
}
