//! `calibrate_bank`, `publish_bank` and `cat_study` on files: a calibrated
//! bank reads back valid with its parameters, publishing records the hash
//! and refuses changed content, and an adaptive study needs parameters.

use std::path::{Path, PathBuf};

use assessments::adaptive::{scale_by_id, scale_irt, AdaptiveError};
use assessments::bank::{Bank, Status};
use assessments::commands::{
    calibrate_bank, cat_study, format_calibration_summary, format_study_report, load_bank, publish_bank,
    simulate_responses, CalibrateOptions, CalibrationKind, CommandError, Limits,
};
use assessments::simulate::SimulationOptions;

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn simulate(dir: &Path, n: usize) -> PathBuf {
    let csv = dir.join("sim.csv");
    simulate_responses(
        &fixtures().join("svi_like.toml"),
        &fixtures().join("svi_like_simulation.toml"),
        &SimulationOptions { n, seed: 11, careless_share: Some(0.0), latencies: false, ..Default::default() },
        &csv,
        &Limits::default(),
    )
    .expect("simulate");
    csv
}

fn calibrated(dir: &Path) -> PathBuf {
    let csv = simulate(dir, 1500);
    let out = dir.join("calibrated.toml");
    let opts = CalibrateOptions { scale: Some("motivation".into()), ..CalibrateOptions::demonstration() };
    let summary = calibrate_bank(&fixtures().join("svi_like.toml"), &csv, &out, &opts, &Limits::default())
        .expect("calibrate");
    assert_eq!(summary.scales.len(), 1);
    let s = &summary.scales[0];
    assert!(s.converged, "{s:?}");
    assert!(s.marginal_reliability > 0.8, "{s:?}");
    assert!(format_calibration_summary(&summary).contains("motivation"));
    out
}

#[test]
fn calibrate_round_trip_writes_valid_parameters_and_keeps_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let out = calibrated(dir.path());
    let text = std::fs::read_to_string(&out).unwrap();
    let original = std::fs::read_to_string(fixtures().join("svi_like.toml")).unwrap();
    // comments and the order of the file are kept
    assert_eq!(text.lines().next(), original.lines().next());
    let bank = Bank::parse(&text, "calibrated.toml").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(bank.file().instrument.status, Status::Draft);
    assert_eq!(bank.file().instrument.content_hash, None);
    let cal = bank.file().instrument.calibration.as_ref().expect("calibration record");
    assert_eq!(cal.kind, CalibrationKind::Demonstration.as_str());
    assert!(cal.note.as_deref().unwrap_or("").contains("simulated"));
    let mot = scale_irt(&bank, scale_by_id(&bank, "motivation").unwrap()).unwrap();
    let grm = mot.grm.expect("motivation calibrated");
    assert_eq!(grm.len(), mot.items.len());
    for g in &grm {
        assert!(g.a > 0.5 && g.a < 5.0, "{g:?}");
        assert_eq!(g.b.len(), 4);
    }
    // other scales untouched
    let com = scale_irt(&bank, scale_by_id(&bank, "commitment").unwrap()).unwrap();
    assert!(com.grm.is_none());
    // the written file validates through the command layer too
    load_bank(&out, &Limits::default()).expect("validates");
}

#[test]
fn publish_records_the_hash_and_refuses_changed_content() {
    let dir = tempfile::tempdir().unwrap();
    let out = calibrated(dir.path());
    let first = publish_bank(&out, &Limits::default()).expect("publish");
    assert!(!first.already_published);
    let bank = load_bank(&out, &Limits::default()).unwrap();
    assert_eq!(bank.file().instrument.status, Status::Published);
    assert_eq!(bank.file().instrument.content_hash.as_deref(), Some(first.content_hash.as_str()));
    // publishing again is a no-op
    let again = publish_bank(&out, &Limits::default()).expect("idempotent");
    assert!(again.already_published);
    assert_eq!(again.content_hash, first.content_hash);

    // a changed published bank is refused, and the file is left as it is
    let text = std::fs::read_to_string(&out).unwrap();
    let tampered = text.replacen("reverse = false", "reverse = true", 1);
    assert_ne!(tampered, text);
    std::fs::write(&out, &tampered).unwrap();
    let err = publish_bank(&out, &Limits::default()).unwrap_err();
    assert!(matches!(err, CommandError::PublishedChanged { .. }), "{err}");
    assert!(err.to_string().contains("immutable"), "{err}");
    assert_eq!(std::fs::read_to_string(&out).unwrap(), tampered);

    // a calibration never overwrites a published bank
    std::fs::write(&out, &text).unwrap();
    let csv = dir.path().join("sim.csv");
    let err = calibrate_bank(
        &fixtures().join("svi_like.toml"),
        &csv,
        &out,
        &CalibrateOptions::demonstration(),
        &Limits::default(),
    )
    .unwrap_err();
    assert!(matches!(err, CommandError::WouldOverwritePublished { .. }), "{err}");
    assert_eq!(std::fs::read_to_string(&out).unwrap(), text);
}

#[test]
fn cat_study_needs_a_calibrated_scale() {
    let dir = tempfile::tempdir().unwrap();
    let out = calibrated(dir.path());
    let limits = Limits::default();
    let err = cat_study(&out, Some("commitment"), 50, Some(0.3), 1, &limits).unwrap_err();
    assert!(
        matches!(err, CommandError::Adaptive(AdaptiveError::NotCalibrated { ref scale }) if scale == "commitment"),
        "{err}"
    );
    assert!(err.to_string().contains("calibrate the bank first"), "{err}");
    // the uncalibrated fixture has no calibrated scale at all
    let err = cat_study(&fixtures().join("svi_like.toml"), None, 50, None, 1, &limits).unwrap_err();
    assert!(matches!(err, CommandError::Adaptive(AdaptiveError::NoCalibratedScale { .. })), "{err}");
    let err = cat_study(&out, Some("nope"), 50, None, 1, &limits).unwrap_err();
    assert!(matches!(err, CommandError::Adaptive(AdaptiveError::UnknownScale(_))), "{err}");
    assert!(matches!(cat_study(&out, None, 0, None, 1, &limits), Err(CommandError::InvalidArgument(_))));
    assert!(matches!(cat_study(&out, None, 10, Some(1.5), 1, &limits), Err(CommandError::InvalidArgument(_))));

    let report = cat_study(&out, Some("motivation"), 100, Some(0.3), 7, &limits).expect("study");
    assert_eq!(report.scales.len(), 1);
    assert!(report.scales[0].cat.mean_items <= report.scales[0].full.mean_items);
    let table = format_study_report(&report);
    assert!(table.contains("motivation") && table.contains("full") && table.contains("r(est,true)"), "{table}");
}

#[test]
fn calibrating_an_unknown_scale_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let csv = simulate(dir.path(), 50);
    let out = dir.path().join("never.toml");
    let opts = CalibrateOptions { scale: Some("nope".into()), ..Default::default() };
    let err = calibrate_bank(&fixtures().join("svi_like.toml"), &csv, &out, &opts, &Limits::default()).unwrap_err();
    assert!(err.to_string().contains("no scale `nope`"), "{err}");
    assert!(!out.exists());
}

/// Calibration warnings name items by their id and answers by the value a
/// person gives (the engine counts both from 0): here, answer 5 of the
/// reverse-keyed motivation-02 (engine category 0) kept for only 3 people.
#[test]
fn calibration_warnings_name_items_and_answers_as_people_know_them() {
    use assessments::responses::{Answer, RawAnswer};
    let dir = tempfile::tempdir().expect("dir");
    let csv = simulate(dir.path(), 800);
    let bank = assessments::commands::load_bank(&fixtures().join("svi_like.toml"), &Limits::default()).expect("bank");
    let mut sessions = assessments::commands::load_responses(&csv, &bank, &Limits::default()).expect("responses");
    let index = bank.item_index("motivation-02").expect("item");
    let mut kept = 0;
    for session in &mut sessions {
        if session.answer(index) == Some(Answer::Value(5)) {
            if kept < 3 {
                kept += 1;
            } else {
                session.set(&bank, "motivation-02", &RawAnswer::Value(4)).expect("a valid answer");
            }
        }
    }
    assert_eq!(kept, 3, "the simulation gave at least 3 answers of 5");
    let opts = CalibrateOptions { scale: Some("motivation".into()), ..CalibrateOptions::demonstration() };
    let summary = assessments::commands::calibrate_sessions(&bank, &sessions, &opts).expect("calibrated");
    let warnings = &summary[0].warnings;
    assert!(
        warnings.iter().any(|w| w == "item motivation-02: answer 5 was given only 3 times; its thresholds will be imprecise"),
        "{warnings:#?}"
    );
    assert!(!warnings.iter().any(|w| w.contains("category")), "no engine numbering reaches the psychologist: {warnings:#?}");
}
