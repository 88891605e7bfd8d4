//! The one scoring path: from one instrument of a finished session (its bank
//! version, the campaign's norm table, the answers, the adaptive run) to the
//! score records that finishing stores. Pure: no database, no clock, no
//! randomness. Finishing a candidate's session, the demo seed and any later
//! re-scoring call [`score_instrument`]; nothing else assembles scores.
//!
//! Each instrument gives, in this order:
//! - `cat`: the adaptive run (theta, SE, items asked, why it stopped, the
//!   trace), when the campaign ran the instrument adaptively;
//! - `irt`: EAP theta, posterior SD and person fit per calibrated scale,
//!   normed through the table's theta norms (band from the posterior SD),
//!   with how the instrument was delivered and how a fixed form is scored;
//! - `ctt`: classical scores with the norm conversion and the validity
//!   indices, always.
//!
//! A report with a number that is not finite is not stored (the CAT and IRT
//! records); the classical record always is. Which score a report shows per
//! scale is decided when the records are read ([`read`]).

use assessments::{
    irt::person_fit::flags_misfit,
    bank::Calibration,
    cat::{CatConfig, CatStatus, ScaleOutcome, TraceStep},
    norms::NormTable,
    primary::{irt_scale_score, AdaptiveStop, FixedFormScoring, IrtScaleScore},
    responses::Responses,
    scored_session::score_classical_one,
    validity::Status,
};

use crate::{catalog::CatalogEntry, store::NewScore};

pub mod read;

/// The adaptive run of an instrument, as the engine rebuilt it from the answers.
#[derive(Debug, Clone, Copy)]
pub struct CatRecord<'a> {
    pub status: &'a CatStatus,
    pub config: &'a CatConfig,
}

/// Everything one instrument of a session is scored from.
#[derive(Debug, Clone, Copy)]
pub struct InstrumentInput<'a> {
    /// The bank version (with its EAP tables when calibrated).
    pub entry: &'a CatalogEntry,
    /// The norm table the campaign chose (none: raw scores only).
    pub norms: Option<&'a NormTable>,
    pub responses: &'a Responses,
    /// Present when the campaign ran this instrument adaptively.
    pub cat: Option<CatRecord<'a>>,
    /// What the campaign chose to report for a fixed form of a calibrated bank.
    pub fixed_form: FixedFormScoring,
}

/// The report of an `irt` score record: per calibrated scale EAP theta,
/// posterior SD, person fit and the conversion through the theta norms;
/// where the parameters came from; whether the instrument ran adaptively
/// and what the campaign chose for a fixed form. Written here, read by
/// [`read`]. (Records stored before delivery and norms were recorded read
/// as a fixed form scored classically, which is how they were shown.)
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct IrtRecord {
    pub irt: Vec<IrtScaleScore>,
    pub calibration: Option<Calibration>,
    #[serde(default)]
    pub adaptive: bool,
    #[serde(default)]
    pub fixed_form: FixedFormScoring,
}

/// The report of a `cat` score record: the engine's settings, where each
/// scale stopped and every step of the run.
#[derive(serde::Serialize)]
struct CatReport<'a> {
    config: &'a CatConfig,
    scales: &'a [ScaleOutcome],
    trace: &'a [TraceStep],
}

/// Why an instrument could not be scored (a configuration problem: the bank
/// and its norm table do not fit together, or a report cannot be written).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{instrument} cannot be scored: {reason}")]
pub struct ScoringError {
    pub instrument: String,
    pub reason: String,
}

/// The score records of one instrument (see the module's header for which).
pub fn score_instrument(input: InstrumentInput<'_>) -> Result<Vec<NewScore>, ScoringError> {
    let bank = &input.entry.bank;
    let fail = |reason: String| ScoringError { instrument: bank.id().to_string(), reason };
    let classical = score_classical_one(bank, input.norms, input.responses).map_err(|e| fail(e.to_string()))?;
    // IRT scores where the bank is calibrated; a bank without parameters has none.
    let irt = input.entry.irt.as_ref().and_then(|scoring| scoring.score(bank, input.responses).ok()).unwrap_or_default();
    let validity_status = validity_status_name(with_person_fit(classical.validity.status, irt.iter().map(|s| s.lz_star)));
    let provenance = &classical.scores.provenance;
    let record = |method: &'static str, norm_table: Option<(String, Option<String>)>, report: String| NewScore {
        instrument: bank.id().to_string(),
        method,
        bank_version: provenance.bank_version.clone(),
        bank_hash: provenance.bank_hash.clone(),
        norm_table_id: norm_table.as_ref().map(|(id, _)| id.clone()),
        norm_table_hash: norm_table.and_then(|(_, hash)| hash),
        engine_version: provenance.engine_version.clone(),
        validity_status,
        report,
        individual_report: bank.reports_individuals(),
    };
    let mut records = Vec::with_capacity(3);
    if let Some(cat) = input.cat.filter(|c| c.status.scales.iter().all(|s| s.theta.is_finite() && s.se.is_finite())) {
        let report = CatReport { config: cat.config, scales: &cat.status.scales, trace: &cat.status.trace };
        records.push(record("cat", None, serde_json::to_string(&report).map_err(|e| fail(e.to_string()))?));
    }
    let norm_table = provenance.norm_table_id.clone().map(|id| (id, provenance.norm_table_hash.clone()));
    if !irt.is_empty() && irt.iter().all(|s| s.theta.is_finite() && s.se.is_finite() && s.t.is_finite()) {
        let demonstration = input.norms.is_some_and(|t| t.demonstration);
        let irt = irt
            .into_iter()
            .map(|score| {
                let stop = input.cat.map(|c| AdaptiveStop::of(c.status.scales.iter().find(|s| s.scale == score.scale).and_then(|s| s.stop)));
                let theta_norms = input.norms.and_then(|t| t.theta_scale(&score.scale));
                irt_scale_score(score, theta_norms, demonstration, stop)
            })
            .collect();
        let report = IrtRecord { irt, calibration: bank.file().instrument.calibration.clone(), adaptive: input.cat.is_some(), fixed_form: input.fixed_form };
        records.push(record("irt", norm_table.clone(), serde_json::to_string(&report).map_err(|e| fail(e.to_string()))?));
    }
    let report = serde_json::to_string(&classical).map_err(|e| fail(e.to_string()))?;
    records.push(record("ctt", norm_table, report));
    Ok(records)
}

/// The validity status with person fit: an unusual answer pattern on any
/// scale (lz* below the threshold) makes an otherwise clean instrument a
/// caution; it never changes a score or a stronger flag.
pub fn with_person_fit(status: Status, lz_stars: impl IntoIterator<Item = Option<f64>>) -> Status {
    let misfit = lz_stars.into_iter().flatten().any(flags_misfit);
    if misfit && status == Status::Ok { Status::Caution } else { status }
}

/// How a validity status is stored and shown.
pub fn validity_status_name(status: Status) -> &'static str {
    match status {
        Status::Ok => "ok",
        Status::Caution => "caution",
        Status::Invalid => "invalid",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Catalog;
    use assessments::{bank::Bank, responses::RawAnswer};

    fn catalog() -> Catalog {
        Catalog::load(&Catalog::shipped_dir()).expect("the shipped banks load")
    }

    /// Every item of the bank answered with the same Likert value (SJT: first option).
    fn answered_all(bank: &Bank, value: i64) -> Responses {
        let mut responses = Responses::new(bank, "s");
        for item in bank.items() {
            let raw = match item.options.first() {
                Some(option) => RawAnswer::Option(option.id.clone()),
                None => RawAnswer::Value(value),
            };
            responses.set(bank, &item.id, &raw).expect("a valid answer");
        }
        responses
    }

    #[test]
    fn a_fixed_form_on_a_bank_without_parameters_gives_one_classical_record_with_its_norms() {
        let catalog = catalog();
        let entry = catalog.get("svi", "1.0.0").expect("svi 1.0.0");
        let norms = entry.norms.first();
        let responses = answered_all(&entry.bank, 4);
        let records = score_instrument(InstrumentInput { entry: &entry, norms, responses: &responses, cat: None, fixed_form: FixedFormScoring::Ctt }).expect("scored");
        let methods: Vec<&str> = records.iter().map(|r| r.method).collect();
        let has_irt = entry.bank.items().iter().any(|i| i.grm.is_some());
        assert_eq!(methods, if has_irt { vec!["irt", "ctt"] } else { vec!["ctt"] });
        let ctt = records.last().expect("ctt");
        assert_eq!(ctt.bank_hash, entry.bank.content_hash());
        assert_eq!(ctt.norm_table_id.as_deref(), norms.map(|n| n.id.as_str()));
        assert!(ctt.individual_report);
        // The stored report is the classical report the profile reads back.
        let report: assessments::scored_session::ScoredSession = serde_json::from_str(&ctt.report).expect("a ScoredSession");
        assert_eq!(report.scores.provenance.bank_hash, entry.bank.content_hash());
        assert!(report.scores.scales.iter().any(|s| s.normed.is_some()) == norms.is_some());
    }

    #[test]
    fn the_same_inputs_always_give_the_same_records() {
        let catalog = catalog();
        let entry = catalog.get("sjs", "1.0.0").expect("sjs");
        let responses = answered_all(&entry.bank, 3);
        let input = InstrumentInput { entry: &entry, norms: entry.norms.first(), responses: &responses, cat: None, fixed_form: FixedFormScoring::Irt };
        assert_eq!(score_instrument(input), score_instrument(input));
    }

    #[test]
    fn an_adaptive_run_adds_its_record_before_the_others() {
        let catalog = catalog();
        let entry = catalog.get("svi", "1.1.0").expect("svi 1.1.0");
        let adaptive = entry.adaptive.as_ref().expect("calibrated");
        let status = assessments::cat::next_step(&adaptive.pool, &adaptive.config, 7, &[]).expect("first step");
        let responses = Responses::new(&entry.bank, "s");
        let cat = Some(CatRecord { status: &status, config: &adaptive.config });
        let records = score_instrument(InstrumentInput { entry: &entry, norms: None, responses: &responses, cat, fixed_form: FixedFormScoring::Ctt }).expect("scored");
        assert_eq!(records.first().map(|r| r.method), Some("cat"));
        assert_eq!(records.last().map(|r| r.method), Some("ctt"));
        assert!(records.iter().all(|r| r.norm_table_id.is_none()));
    }

    #[test]
    fn the_workforce_pulse_is_scored_but_never_for_an_individual_report() {
        let catalog = catalog();
        let entry = catalog.get("pulse", "1.0.0").expect("pulse");
        let responses = answered_all(&entry.bank, 3);
        let records = score_instrument(InstrumentInput { entry: &entry, norms: None, responses: &responses, cat: None, fixed_form: FixedFormScoring::Ctt }).expect("scored");
        assert!(!records.is_empty());
        assert!(records.iter().all(|r| !r.individual_report));
    }

    #[test]
    fn a_norm_table_of_another_bank_is_a_scoring_error_naming_the_instrument() {
        let catalog = catalog();
        let svi = catalog.get("svi", "1.0.0").expect("svi");
        let sjs = catalog.get("sjs", "1.0.0").expect("sjs");
        let responses = answered_all(&svi.bank, 4);
        let err = score_instrument(InstrumentInput { entry: &svi, norms: sjs.norms.first(), responses: &responses, cat: None, fixed_form: FixedFormScoring::Ctt }).expect_err("refused");
        assert_eq!(err.instrument, "svi");
    }
}
