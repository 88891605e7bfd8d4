//! `vigil cat simulate`: a simulation study of the adaptive engine on a bank.

use std::path::Path;

use crate::adaptive::{self};
use crate::cat::study::StudyReport;
use super::io::{CommandError, Limits, load_bank};

/// Most simulated candidates in one study.
pub const MAX_STUDY_CANDIDATES: usize = 100_000;

/// `vigil cat simulate BANK [--scale S] --n N [--se 0.30] --seed SEED`:
/// simulates `n` candidates (true theta ~ N(0,1) per scale, answers drawn
/// from the bank's own GRM parameters) through the adaptive test and the
/// full fixed form. `scale = None` studies every calibrated scale;
/// `se_target = None` uses the bank's `[cat]` setting (default 0.30).
pub fn cat_study(
    bank_path: &Path,
    scale: Option<&str>,
    n: usize,
    se_target: Option<f64>,
    seed: u64,
    limits: &Limits,
) -> Result<StudyReport, CommandError> {
    if n == 0 || n > MAX_STUDY_CANDIDATES {
        return Err(CommandError::InvalidArgument(format!(
            "the number of simulated candidates must lie between 1 and {MAX_STUDY_CANDIDATES} (got {n})"
        )));
    }
    let bank = load_bank(bank_path, limits)?;
    let scales: Vec<&str> = scale.into_iter().collect();
    let pool = adaptive::cat_pool(&bank, &scales)?;
    let mut config = adaptive::cat_config(&bank);
    if let Some(se) = se_target {
        if !(se.is_finite() && se > 0.0 && se < 1.0) {
            return Err(CommandError::InvalidArgument(format!(
                "the SE target must lie between 0 and 1 (got {se})"
            )));
        }
        config.se_target = se;
    }
    Ok(crate::cat::study::simulate(&pool, &config, n, seed)?)
}

/// The study as an aligned text table, CAT and full form per scale:
/// mean items, max items, mean final SE, r(estimated, true theta), RMSE,
/// highest item exposure.
pub fn format_study_report(report: &StudyReport) -> String {
    let w = report.scales.iter().map(|s| s.scale.len()).max().unwrap_or(5).max(5);
    let mut out = format!("CAT simulation: {} candidates, seed {}\n", report.n, report.seed);
    out.push_str(&format!(
        "{:<w$}  {:<4}  {:>10}  {:>9}  {:>7}  {:>11}  {:>6}  {:>12}\n",
        "scale", "form", "mean items", "max items", "mean SE", "r(est,true)", "RMSE", "max exposure"
    ));
    for s in &report.scales {
        for (name, f) in [("CAT", &s.cat), ("full", &s.full)] {
            out.push_str(&format!(
                "{:<w$}  {:<4}  {:>10.2}  {:>9}  {:>7.3}  {:>11.3}  {:>6.3}  {:>12.3}\n",
                if name == "CAT" { s.scale.as_str() } else { "" },
                name,
                f.mean_items,
                f.max_items,
                f.mean_se,
                f.correlation,
                f.rmse,
                f.max_exposure
            ));
        }
    }
    out.push_str(&format!(
        "CAT used {:.0}% of the full-form items (mean over all scales).\n",
        100.0 * report.item_ratio
    ));
    out
}
