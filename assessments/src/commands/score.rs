//! `vigil score`: classical scores with norms and validity indices, as CSV or JSON.

use std::io::Write;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::adaptive;
use crate::primary::{irt_scale_score, IrtScaleScore};
use crate::bank::Bank;
use crate::norms::NormTable;
use crate::responses::Responses;
use crate::scored_session::{score_classical, ScoredSession};
use super::io::{CommandError, Limits, load_bank, load_norms, load_responses};

/// Scores sessions in memory (with norms when given).
pub fn score_sessions(
    bank: &Bank,
    norms: Option<&NormTable>,
    sessions: &[Responses],
) -> Result<Vec<ScoredSession>, CommandError> {
    Ok(score_classical(bank, norms, sessions)?)
}

/// One respondent as `vigil score` reports them: the classical report and,
/// on a bank with IRT parameters, theta (EAP), its standard error and person
/// fit per calibrated scale the person answered (EAP scores any number of
/// answered items, also where the classical 80% rule gives no score), normed
/// through the table's theta norms when it has them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScoreRow {
    #[serde(flatten)]
    pub classical: ScoredSession,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub irt: Vec<IrtScaleScore>,
}

/// `vigil score BANK [--norms NORMS] RESPONSES.csv`.
pub fn score(
    bank_path: &Path,
    norms_path: Option<&Path>,
    responses_csv: &Path,
    limits: &Limits,
) -> Result<Vec<ScoreRow>, CommandError> {
    let bank = load_bank(bank_path, limits)?;
    let norms = norms_path.map(|p| load_norms(p, &bank, limits)).transpose()?;
    let sessions = load_responses(responses_csv, &bank, limits)?;
    let classical = score_sessions(&bank, norms.as_ref(), &sessions)?;
    let scoring = adaptive::IrtScoring::of(&bank)?;
    classical
        .into_iter()
        .zip(&sessions)
        .map(|(classical, session)| {
            let demonstration = norms.as_ref().is_some_and(|t| t.demonstration);
            let irt = scoring.score(&bank, session)?
                .into_iter()
                .map(|s| {
                    let theta_norms = norms.as_ref().and_then(|t| t.theta_scale(&s.scale));
                    irt_scale_score(s, theta_norms, demonstration, None)
                })
                .collect();
            Ok(ScoreRow { classical, irt })
        })
        .collect()
}

pub(super) fn opt<T: ToString>(x: Option<T>) -> String {
    x.map(|v| v.to_string()).unwrap_or_default()
}

/// Writes scores as CSV: provenance and validity, then per scale answered,
/// raw, z, percentile, T, sten, stanine, the 90% band (T and percentile)
/// and the band label; for a calibrated scale then theta (EAP), its SE,
/// person fit lz*, and T with its 90% band (theta +/- 1.645 SE) and the
/// percentile from the theta norms. Empty cells where there is no value.
pub fn write_scores_csv<W: Write>(rows: &[ScoreRow], out: W) -> Result<(), CommandError> {
    let mut w = csv::Writer::from_writer(out);
    let err = |e: csv::Error| CommandError::Output(e.to_string());
    let scales: Vec<String> = rows
        .first()
        .map(|r| r.classical.scores.scales.iter().map(|s| s.scale.clone()).collect())
        .unwrap_or_default();
    let calibrated = |scale: &str| rows.iter().any(|r| r.irt.iter().any(|i| i.score.scale == scale));
    let mut header: Vec<String> = [
        "respondent",
        "bank_id",
        "bank_version",
        "bank_hash",
        "norm_table_id",
        "norm_table_hash",
        "demonstration",
        "engine_version",
        "validity",
        "validity_reasons",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for s in &scales {
        for f in [
            "answered", "raw", "z", "percentile", "t", "sten", "stanine", "t_lo", "t_hi", "percentile_lo",
            "percentile_hi", "sten_lo", "sten_hi", "band",
        ] {
            header.push(format!("{s}_{f}"));
        }
        if calibrated(s) {
            for f in ["theta", "theta_se", "lz_star", "theta_t", "theta_t_lo", "theta_t_hi", "theta_percentile"] {
                header.push(format!("{s}_{f}"));
            }
        }
    }
    w.write_record(&header).map_err(err)?;
    for row in rows {
        let r = &row.classical;
        let p = &r.scores.provenance;
        let mut rec = vec![
            r.scores.respondent.clone(),
            p.bank_id.clone(),
            p.bank_version.clone(),
            p.bank_hash.clone(),
            opt(p.norm_table_id.as_ref()),
            opt(p.norm_table_hash.as_ref()),
            p.demonstration.to_string(),
            p.engine_version.clone(),
            format!("{:?}", r.validity.status).to_lowercase(),
            r.validity.reasons.join(" "),
        ];
        for s in &r.scores.scales {
            let n = s.normed.as_ref();
            rec.push(s.answered.to_string());
            rec.push(opt(s.raw));
            rec.push(opt(n.map(|n| n.point.z)));
            rec.push(opt(n.map(|n| n.point.percentile)));
            rec.push(opt(n.map(|n| n.point.t)));
            rec.push(opt(n.map(|n| n.point.sten)));
            rec.push(opt(n.map(|n| n.point.stanine)));
            rec.push(opt(n.map(|n| n.band90.t[0])));
            rec.push(opt(n.map(|n| n.band90.t[1])));
            rec.push(opt(n.map(|n| n.band90.percentile[0])));
            rec.push(opt(n.map(|n| n.band90.percentile[1])));
            rec.push(opt(n.map(|n| n.band90.sten[0])));
            rec.push(opt(n.map(|n| n.band90.sten[1])));
            rec.push(opt(n.map(|n| format!("{:?}", n.label).to_lowercase())));
            if calibrated(&s.scale) {
                let irt = row.irt.iter().find(|i| i.score.scale == s.scale);
                let normed = irt.and_then(|i| i.normed.as_ref());
                rec.push(opt(irt.map(|i| i.score.theta)));
                rec.push(opt(irt.map(|i| i.score.se)));
                rec.push(opt(irt.and_then(|i| i.score.lz_star)));
                rec.push(opt(normed.map(|n| n.point.t)));
                rec.push(opt(normed.map(|n| n.band90.t[0])));
                rec.push(opt(normed.map(|n| n.band90.t[1])));
                rec.push(opt(normed.map(|n| n.point.percentile)));
            }
        }
        w.write_record(&rec).map_err(err)?;
    }
    w.flush().map_err(|e| CommandError::Output(e.to_string()))
}

/// Writes scores as pretty JSON (an array of sessions, each with its `irt`
/// scores when the bank is calibrated).
pub fn write_scores_json<W: Write>(rows: &[ScoreRow], out: W) -> Result<(), CommandError> {
    serde_json::to_writer_pretty(out, rows).map_err(|e| CommandError::Output(e.to_string()))
}
