//! `vigil calibrate`: GRM parameters by MML-EM, written into a new draft of the bank.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::adaptive;
use crate::bank::Bank;
use crate::irt::calibrate::{calibrate_observed, CalibrationOptions, CalibrationWarning};
use crate::irt::grm::{marginal_reliability, GrmItem};
use crate::responses::Responses;
use super::io::{CommandError, Limits, edit_err, load_responses, read_limited, write_atomic};

/// Where a bank's IRT parameters come from (`instrument.calibration.kind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CalibrationKind {
    /// Simulated respondents: for demonstrations only, never for decisions.
    Demonstration,
    /// Answers of real respondents.
    Empirical,
}

impl CalibrationKind {
    /// The value written to the bank file.
    pub fn as_str(self) -> &'static str {
        match self {
            CalibrationKind::Demonstration => "demonstration",
            CalibrationKind::Empirical => "empirical",
        }
    }
}

/// Note written with a demonstration calibration.
pub const DEMONSTRATION_NOTE: &str = "IRT parameters estimated from simulated respondents (demonstration only); they must be replaced by an empirical calibration on real respondents before scores are used for real decisions.";

/// Settings of `vigil calibrate`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CalibrateOptions {
    /// Calibrate only this scale (default: every scale with Likert / SJT items).
    pub scale: Option<String>,
    /// Recorded as `instrument.calibration.kind`.
    pub kind: CalibrationKind,
    /// Recorded as `instrument.calibration.note` (omitted when empty).
    pub note: String,
    /// EM settings (quadrature, cycles, tolerance).
    pub em: CalibrationOptions,
    /// Decimals kept for a and b in the file (default 3).
    pub decimals: u32,
    /// Refuse to write anything if a scale's EM did not converge (default true).
    pub require_convergence: bool,
}

impl Default for CalibrateOptions {
    fn default() -> Self {
        CalibrateOptions {
            scale: None,
            kind: CalibrationKind::Empirical,
            note: String::new(),
            em: CalibrationOptions::default(),
            decimals: 3,
            require_convergence: true,
        }
    }
}

impl CalibrateOptions {
    /// A demonstration calibration with [`DEMONSTRATION_NOTE`].
    pub fn demonstration() -> Self {
        CalibrateOptions {
            kind: CalibrationKind::Demonstration,
            note: DEMONSTRATION_NOTE.to_string(),
            ..Default::default()
        }
    }
}

/// Calibrated parameters and fit of one item, as written to the bank.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemParameters {
    pub id: String,
    /// Discrimination and thresholds as written (rounded).
    pub a: f64,
    pub b: Vec<f64>,
    /// Standard error of a, where the information matrix allowed one.
    pub se_a: Option<f64>,
    /// Item-fit chi-square p value (Q1 style; liberal, for ranking items).
    pub fit_p: f64,
    /// Standard errors of the thresholds.
    #[serde(default)]
    pub se_b: Vec<Option<f64>>,
    /// The item-fit chi-square over score groups and its degrees of freedom.
    #[serde(default)]
    pub fit_chi_square: f64,
    #[serde(default)]
    pub fit_df: usize,
}

/// Calibration result of one scale.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScaleCalibrationSummary {
    pub scale: String,
    /// Respondents with at least one answer on the scale.
    pub respondents: usize,
    /// EM cycles run and whether they converged.
    pub iterations: usize,
    pub converged: bool,
    /// Marginal log-likelihood at the solution.
    pub log_likelihood: f64,
    /// Marginal reliability of the full scale under the estimated parameters.
    pub marginal_reliability: f64,
    pub items: Vec<ItemParameters>,
    /// Items whose Q1 fit p value is below .01. Q1 groups people by their
    /// (shrunken) EAP theta and is liberal: with thousands of respondents it
    /// flags items even when the model is true, so treat this as a list for
    /// a closer look (e.g. at the item's residual plot), not as a verdict.
    pub misfitting_items: Vec<String>,
    /// Warnings of the estimator (sparse categories, ...).
    pub warnings: Vec<String>,
}

/// Result of `vigil calibrate`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CalibrationSummary {
    pub bank_id: String,
    pub bank_version: String,
    /// The file written.
    pub out_path: String,
    /// Rows of the response file.
    pub sessions: usize,
    pub kind: CalibrationKind,
    pub scales: Vec<ScaleCalibrationSummary>,
}

/// Rounds to `decimals` places: `round(x * 10^d) / 10^d`.
pub(super) fn round_to(x: f64, decimals: u32) -> f64 {
    let f = 10f64.powi(i32::try_from(decimals.min(12)).unwrap_or(12));
    (x * f).round() / f
}

/// Rounded parameters; keeps full precision if rounding would tie thresholds.
pub(super) fn rounded_item(item: &GrmItem, decimals: u32) -> GrmItem {
    let r = GrmItem {
        a: round_to(item.a, decimals),
        b: item.b.iter().map(|b| round_to(*b, decimals)).collect(),
    };
    if r.a > 0.0 && r.b.windows(2).all(|w| w[0] < w[1]) {
        r
    } else {
        item.clone()
    }
}

/// Refuses to overwrite a file that holds a published bank.
pub(super) fn refuse_published_target(out_path: &Path, limits: &Limits) -> Result<(), CommandError> {
    if !out_path.exists() {
        return Ok(());
    }
    let src = read_limited(out_path, limits.max_toml_bytes)?;
    let published = toml::from_str::<toml::Table>(&src).ok().is_some_and(|t| {
        t.get("instrument")
            .and_then(|i| i.get("status"))
            .and_then(|s| s.as_str())
            == Some("published")
    });
    if published {
        return Err(CommandError::WouldOverwritePublished {
            path: out_path.display().to_string(),
        });
    }
    Ok(())
}

/// `{ a = .., b = [..] }` as an inline TOML value.
pub(super) fn grm_value(item: &GrmItem) -> toml_edit::Value {
    let mut t = toml_edit::InlineTable::new();
    t.insert("a", item.a.into());
    let mut b = toml_edit::Array::new();
    for x in &item.b {
        b.push(*x);
    }
    t.insert("b", toml_edit::Value::Array(b));
    toml_edit::Value::InlineTable(t)
}

/// Writes calibrated parameters, the calibration record and `status =
/// "draft"` into the bank's TOML text, keeping comments and order.
/// A bank text with the given items' GRM parameters and its calibration
/// recorded (a draft: status draft, no content hash), as `vigil calibrate`
/// writes it; for the calibration in the browser.
pub fn calibration_into_text(src: &str, params: &BTreeMap<String, GrmItem>, kind: CalibrationKind, note: &str) -> Result<String, CommandError> {
    write_calibration_into(src, Path::new("draft"), params, kind, note)
}

pub(super) fn write_calibration_into(
    src: &str,
    path: &Path,
    params: &BTreeMap<String, GrmItem>,
    kind: CalibrationKind,
    note: &str,
) -> Result<String, CommandError> {
    let mut doc: toml_edit::DocumentMut = src.parse().map_err(|e: toml_edit::TomlError| edit_err(path, e.to_string()))?;
    let inst = doc
        .get_mut("instrument")
        .and_then(toml_edit::Item::as_table_mut)
        .ok_or_else(|| edit_err(path, "no [instrument] table"))?;
    inst.insert("status", toml_edit::value("draft"));
    inst.remove("content_hash");
    let mut cal = toml_edit::InlineTable::new();
    cal.insert("kind", kind.as_str().into());
    if !note.is_empty() {
        cal.insert("note", note.into());
    }
    inst.insert("calibration", toml_edit::value(cal));
    let items = doc
        .get_mut("items")
        .and_then(toml_edit::Item::as_array_of_tables_mut)
        .ok_or_else(|| edit_err(path, "items must be written as [[items]] tables to be edited"))?;
    let mut written = 0;
    for t in items.iter_mut() {
        let Some(id) = t.get("id").and_then(toml_edit::Item::as_str).map(str::to_string) else {
            continue;
        };
        if let Some(g) = params.get(&id) {
            t.insert("grm", toml_edit::Item::Value(grm_value(g)));
            written += 1;
        }
    }
    if written != params.len() {
        return Err(edit_err(path, format!("wrote parameters for {written} of {} items", params.len())));
    }
    Ok(doc.to_string())
}

/// Calibrates the scales of a bank in memory: one GRM calibration (MML-EM)
/// per scale with Likert / SJT items, or only `opts.scale`.
pub fn calibrate_sessions(
    bank: &Bank,
    sessions: &[Responses],
    opts: &CalibrateOptions,
) -> Result<Vec<ScaleCalibrationSummary>, CommandError> {
    calibrate_sessions_observed(bank, sessions, opts, &mut |_, _, _| true)
}

/// [`calibrate_sessions`], telling `observe` after every EM cycle which
/// scale (its position among those calibrated), the cycle and the
/// log-likelihood; when `observe` answers false it stops with an error.
pub fn calibrate_sessions_observed(
    bank: &Bank,
    sessions: &[Responses],
    opts: &CalibrateOptions,
    observe: &mut dyn FnMut(usize, usize, f64) -> bool,
) -> Result<Vec<ScaleCalibrationSummary>, CommandError> {
    let scales = match &opts.scale {
        Some(id) => vec![adaptive::scale_irt(bank, adaptive::scale_by_id(bank, id)?)?],
        None => adaptive::irt_scales(bank)?,
    };
    let mut out = Vec::with_capacity(scales.len());
    for (k, s) in scales.iter().enumerate() {
        let matrix = adaptive::response_matrix(bank, s, sessions);
        let cal = calibrate_observed(&matrix, &s.categories, &opts.em, &mut |cycle, ll| observe(k, cycle, ll)).map_err(|source| CommandError::Calibration {
            scale: s.scale_id.clone(),
            source,
        })?;
        if opts.require_convergence && !cal.converged {
            return Err(CommandError::NotConverged {
                scale: s.scale_id.clone(),
                iterations: cal.iterations,
            });
        }
        let mut items = Vec::with_capacity(s.items.len());
        let mut misfitting = Vec::new();
        let mut rounded = Vec::with_capacity(s.items.len());
        for (&i, c) in s.items.iter().zip(&cal.items) {
            let id = bank.items().get(i).map(|d| d.id.clone()).unwrap_or_default();
            let g = rounded_item(&c.item(), opts.decimals);
            if c.fit.p_value < 0.01 {
                misfitting.push(id.clone());
            }
            items.push(ItemParameters {
                id,
                a: g.a,
                b: g.b.clone(),
                se_a: c.se_a,
                fit_p: c.fit.p_value,
                se_b: c.se_b.clone(),
                fit_chi_square: c.fit.chi_square,
                fit_df: c.fit.df,
            });
            rounded.push(g);
        }
        out.push(ScaleCalibrationSummary {
            scale: s.scale_id.clone(),
            respondents: cal.respondents,
            iterations: cal.iterations,
            converged: cal.converged,
            log_likelihood: cal.log_likelihood,
            marginal_reliability: marginal_reliability(&rounded),
            items,
            misfitting_items: misfitting,
            warnings: cal.warnings.iter().map(|w| described_warning(bank, &s.items, w)).collect(),
        });
    }
    Ok(out)
}

/// A calibration warning in the bank's words: items by their id, answers by
/// the value a person gives (the engine counts both from 0).
fn described_warning(bank: &Bank, scale_items: &[usize], warning: &CalibrationWarning) -> String {
    let item_id = |item: usize| scale_items.get(item).and_then(|&i| bank.items().get(i)).map_or_else(|| format!("#{item}"), |d| d.id.clone());
    match *warning {
        CalibrationWarning::SparseCategory { item, category, count } => {
            let answer = scale_items.get(item).and_then(|&i| adaptive::category_answer(bank, i, category)).unwrap_or_else(|| format!("category {category}"));
            let times = if count == 1 { "once".to_string() } else { format!("{count} times") };
            format!("item {}: answer {answer} was given only {times}; its thresholds will be imprecise", item_id(item))
        }
        CalibrationWarning::DiscriminationAtBound { item, a } => format!("item {}: discrimination reached its bound (a = {a:.3}); check the item", item_id(item)),
        CalibrationWarning::NotConverged { .. } => warning.to_string(),
    }
}

/// `vigil calibrate BANK RESPONSES.csv --out NEW_BANK.toml [--scale S]`:
/// estimates GRM parameters for every scale with Likert / SJT items (or one
/// scale) and writes a new bank file with `grm = { a, b }` on each
/// calibrated item and `instrument.calibration = { kind, note }`.
///
/// The written bank is a **draft** (no content hash): a calibration is new
/// content and must be published as a version of its own. The rest of the
/// file (comments, order, texts) is kept. A file at `out_path` that holds a
/// published bank is never overwritten. Nothing is written if any scale
/// fails to calibrate (or, by default, to converge).
pub fn calibrate_bank(
    bank_path: &Path,
    responses_csv: &Path,
    out_path: &Path,
    opts: &CalibrateOptions,
    limits: &Limits,
) -> Result<CalibrationSummary, CommandError> {
    let src = read_limited(bank_path, limits.max_toml_bytes)?;
    let bank = Bank::parse(&src, &bank_path.display().to_string())?;
    let sessions = load_responses(responses_csv, &bank, limits)?;
    if sessions.is_empty() {
        return Err(CommandError::NoSessions {
            path: responses_csv.display().to_string(),
        });
    }
    refuse_published_target(out_path, limits)?;
    let scales = calibrate_sessions(&bank, &sessions, opts)?;
    let params: BTreeMap<String, GrmItem> = scales
        .iter()
        .flat_map(|s| s.items.iter().map(|i| (i.id.clone(), GrmItem { a: i.a, b: i.b.clone() })))
        .collect();
    let text = write_calibration_into(&src, bank_path, &params, opts.kind, &opts.note)?;
    // what we write must read back as a valid bank with the new parameters
    let written = Bank::parse(&text, &out_path.display().to_string())?;
    for s in &scales {
        let idx = adaptive::scale_by_id(&written, &s.scale)?;
        if adaptive::scale_irt(&written, idx)?.grm.is_none() {
            return Err(edit_err(out_path, format!("scale `{}` lost its parameters", s.scale)));
        }
    }
    write_atomic(out_path, text.as_bytes())?;
    Ok(CalibrationSummary {
        bank_id: bank.id().to_string(),
        bank_version: bank.version().to_string(),
        out_path: out_path.display().to_string(),
        sessions: sessions.len(),
        kind: opts.kind,
        scales,
    })
}

/// Human-readable summary of a calibration: one line per scale.
pub fn format_calibration_summary(s: &CalibrationSummary) -> String {
    let mut out = format!(
        "{}@{}: {} calibration from {} sessions, written to {}\n",
        s.bank_id,
        s.bank_version,
        s.kind.as_str(),
        s.sessions,
        s.out_path
    );
    let w = s.scales.iter().map(|x| x.scale.len()).max().unwrap_or(5).max(5);
    out.push_str(&format!(
        "{:<w$}  {:>5}  {:>6}  {:>9}  {:>14}  {:>6}  {}\n",
        "scale", "items", "cycles", "converged", "log-likelihood", "rel.", "item fit p < .01 (Q1; liberal at large N)"
    ));
    for x in &s.scales {
        out.push_str(&format!(
            "{:<w$}  {:>5}  {:>6}  {:>9}  {:>14.1}  {:>6.3}  {}\n",
            x.scale,
            x.items.len(),
            x.iterations,
            if x.converged { "yes" } else { "NO" },
            x.log_likelihood,
            x.marginal_reliability,
            if x.misfitting_items.is_empty() { "-".to_string() } else { x.misfitting_items.join(", ") }
        ));
        for warning in &x.warnings {
            out.push_str(&format!("{:<w$}  warning: {warning}\n", ""));
        }
    }
    out
}
