//! The shipped battery (assessments/banks/<instrument>/) is complete and
//! consistent. Every check FAILS when something is missing: a shipped bank,
//! its simulation model or its demonstration norm table.
//!
//! - every file validates (banks, norm tables, simulation models);
//! - each shipped bank version is published, with a content hash that
//!   matches, and has its own population model
//!   `<instrument>/simulation/<version>.toml`;
//! - each has a demonstration norm table (`norms/demo-2026.toml` for the
//!   1.0.0 banks, `svi/norms/demo-2026-1.1.0.toml` for SVI 1.1.0), marked as
//!   demonstration norms, which validates against it;
//! - on simulated data each SVI trait scale reaches alpha >= .80 (both
//!   versions);
//! - the SVI's adaptive test (500 simulated candidates, SE target 0.30)
//!   reaches the full form's precision (both versions), and on SVI 1.1.0
//!   (20 items per trait scale) it uses at most half the items of the full
//!   form on every trait scale. SVI 1.0.0 (10 items per scale) does not meet
//!   that criterion; a test documents its ratios.
//!
//! The folder can be overridden with VIGIL_BANKS_DIR (used to check bank
//! content before it lands). Regenerate the shipped files with
//! `cargo run -p assessments --release --example build_shipped`.

use std::path::{Path, PathBuf};

use assessments::bank::{bank_content_hash, Bank, ScaleKind, Status};
use assessments::commands::{cat_study, load_norms, validate_banks, Limits};
use assessments::reliability::complete_case_columns;
use assessments::stats::cronbach_alpha;
use assessments::simulate::{SimulationModel, SimulationOptions, Simulator};

/// (instrument, version) of every shipped bank.
const SHIPPED: [(&str, &str); 4] = [("svi", "1.0.0"), ("svi", "1.1.0"), ("sjs", "1.0.0"), ("pulse", "1.0.0")];

/// Demonstration norm table of a shipped bank version.
fn demo_norm_path(inst: &str, version: &str) -> PathBuf {
    let file = if version == "1.0.0" { "demo-2026.toml".to_string() } else { format!("demo-2026-{version}.toml") };
    banks_dir().join(inst).join("norms").join(file)
}

/// Population model of a bank version: `<instrument>/simulation/<version>.toml`.
fn model_path(inst: &str, version: &str) -> PathBuf {
    banks_dir().join(inst).join("simulation").join(format!("{version}.toml"))
}

fn banks_dir() -> PathBuf {
    std::env::var_os("VIGIL_BANKS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("banks"))
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e} (shipped file missing?)", path.display()))
}

fn bank_path(inst: &str, version: &str) -> PathBuf {
    banks_dir().join(inst).join(format!("{version}.toml"))
}

fn load(inst: &str, version: &str) -> Bank {
    let p = bank_path(inst, version);
    Bank::parse(&read(&p), &p.display().to_string()).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn every_shipped_file_validates() {
    let dir = banks_dir();
    assert!(dir.is_dir(), "no shipped banks at {}", dir.display());
    let report = validate_banks(&[dir], &Limits::default());
    let problems: Vec<String> = report.files.iter().flat_map(|f| f.problems.clone()).collect();
    assert!(report.ok, "bank problems:\n{}", problems.join("\n"));
}

#[test]
fn every_shipped_bank_is_published_with_a_matching_hash() {
    for (inst, version) in SHIPPED {
        let p = bank_path(inst, version);
        let src = read(&p);
        let bank = load(inst, version);
        assert_eq!(bank.id(), inst);
        assert_eq!(bank.version(), version);
        let i = &bank.file().instrument;
        assert_eq!(i.status, Status::Published, "{inst}@{version} is not published");
        let computed = bank_content_hash(&src, &p.display().to_string()).unwrap();
        assert_eq!(i.content_hash.as_deref(), Some(computed.as_str()), "{inst}@{version}: hash mismatch");
        assert_eq!(bank.content_hash(), computed);
    }
}

#[test]
fn calibrated_banks_say_their_parameters_are_demonstration_only() {
    for (inst, version) in [("svi", "1.0.0"), ("svi", "1.1.0"), ("sjs", "1.0.0")] {
        let bank = load(inst, version);
        let cal = bank.file().instrument.calibration.as_ref().unwrap_or_else(|| panic!("{inst}: no calibration"));
        assert_eq!(cal.kind, "demonstration", "{inst}");
        assert!(cal.note.as_deref().is_some_and(|n| n.contains("simulated")), "{inst}: {cal:?}");
        for s in assessments::adaptive::irt_scales(&bank).unwrap() {
            assert!(s.grm.is_some(), "{inst}: scale {} has no IRT parameters", s.scale_id);
        }
    }
}

#[test]
fn every_shipped_bank_has_demonstration_norms_that_validate() {
    for (inst, version) in SHIPPED {
        let bank = load(inst, version);
        let p = demo_norm_path(inst, version);
        assert!(p.is_file(), "{} is missing", p.display());
        let table = load_norms(&p, &bank, &Limits::default()).unwrap_or_else(|e| panic!("{e}"));
        assert!(table.demonstration, "{inst}: demo norms must say demonstration = true");
        assert_eq!(table.id, format!("{inst}-{version}-demo-2026"));
        assert_eq!(table.bank_hash, bank.content_hash(), "{inst}: norms belong to another bank version");
        assert_eq!(table.group.get("en").map(String::as_str), Some("Demonstration sample (simulated respondents)"));
        assert!(table.group.contains_key("de"), "{inst}: German group text missing");
        assert_eq!((table.country.as_str(), table.role_family.as_str()), ("international", "all"));
        assert_eq!((table.collected_from.as_str(), table.collected_to.as_str()), ("2026-11-23", "2026-11-23"));
        for s in &table.scales {
            assert!(s.n >= 2000, "{inst} {}: N = {} below 2000", s.scale, s.n);
        }
    }
}

/// Every calibrated bank also ships a table with theta norms beside the
/// raw-score one: the same respondents, so the raw scales are identical, and
/// a theta norm per calibrated scale with a mean near 0 and SD near 1 (the
/// calibration's own metric), and an empirical reliability like alpha's.
#[test]
fn calibrated_banks_ship_theta_norms_from_the_same_respondents() {
    for (inst, version) in SHIPPED {
        let bank = load(inst, version);
        let calibrated = (0..bank.scales().len()).filter(|&i| assessments::primary::is_calibrated(&bank, i)).count();
        let raw_path = demo_norm_path(inst, version);
        let theta_path = raw_path.with_file_name(raw_path.file_name().unwrap().to_string_lossy().replace("demo-2026", "demo-2026-theta"));
        if calibrated == 0 {
            assert!(!theta_path.exists(), "{inst}: no parameters, no theta norms");
            continue;
        }
        let raw = load_norms(&raw_path, &bank, &Limits::default()).unwrap_or_else(|e| panic!("{e}"));
        let theta = load_norms(&theta_path, &bank, &Limits::default()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(theta.id, format!("{inst}-{version}-demo-2026-theta"));
        assert!(raw.theta_scales.is_empty(), "{inst}: the first table stays raw-score only");
        assert_eq!(theta.scales, raw.scales, "{inst}: the same respondents give the same raw norms");
        assert_eq!(theta.theta_scales.len(), calibrated);
        for (t, r) in theta.theta_scales.iter().zip(&raw.scales) {
            assert!(t.mean.abs() < 0.2 && (t.sd - 1.0).abs() < 0.2, "{inst} {}: theta mean {} SD {}", t.scale, t.mean, t.sd);
            assert!((t.reliability - r.reliability).abs() < 0.1, "{inst} {}: empirical reliability {} against alpha {}", t.scale, t.reliability, r.reliability);
        }
    }
}

#[test]
fn every_shipped_population_model_simulates_valid_answers() {
    for (inst, version) in SHIPPED {
        let bank = load(inst, version);
        let model_path = model_path(inst, version);
        let model = SimulationModel::parse(&read(&model_path), &model_path.display().to_string(), &bank)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(model.bank_version, version);
        let sessions: Vec<_> = Simulator::new(&bank, &model)
            .unwrap_or_else(|e| panic!("{e}"))
            .simulate(&SimulationOptions { n: 300, seed: 1, ..Default::default() })
            .into_iter()
            .map(|s| s.responses)
            .collect();
        // answers survive the CSV round trip with every cell checked
        let csv = assessments::responses::write_csv(&bank, &sessions, true);
        let back = assessments::responses::read_csv(&bank, &csv, "sim.csv", &Default::default())
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(back.len(), 300);
    }
}

/// Old layout (one `simulation.toml` per instrument) is gone: models are
/// per bank version.
#[test]
fn population_models_are_per_bank_version() {
    for (inst, version) in SHIPPED {
        assert!(!banks_dir().join(inst).join("simulation.toml").exists(), "{inst}: old simulation.toml layout");
        assert!(model_path(inst, version).is_file(), "{} is missing", model_path(inst, version).display());
    }
}

fn svi_alpha_check(version: &str) {
    let bank = load("svi", version);
    let model_path = model_path("svi", version);
    let model = SimulationModel::parse(&read(&model_path), &model_path.display().to_string(), &bank)
        .unwrap_or_else(|e| panic!("{e}"));
    let sessions: Vec<_> = Simulator::new(&bank, &model)
        .unwrap()
        .simulate(&SimulationOptions { n: 2000, seed: 20261123, ..Default::default() })
        .into_iter()
        .map(|s| s.responses)
        .collect();
    let mut checked = 0;
    for (i, s) in bank.scales().iter().enumerate() {
        if s.kind != ScaleKind::Trait {
            continue;
        }
        let alpha = cronbach_alpha(&complete_case_columns(&bank, i, &sessions)).unwrap_or(0.0);
        eprintln!("svi@{version} {}: alpha {alpha:.3}", s.id);
        assert!(alpha >= 0.80, "svi@{version} {}: alpha {alpha:.3} < .80 on simulated data", s.id);
        checked += 1;
    }
    assert_eq!(checked, 8, "the SVI has eight trait scales");
}

#[test]
fn svi_trait_scales_reach_alpha_80_on_simulated_data() {
    svi_alpha_check("1.0.0");
    svi_alpha_check("1.1.0");
}

/// SVI 1.1.0 keeps every 1.0.0 item (same id, scale, keying and wording)
/// and adds ten per trait scale: 20 per trait scale, about a third
/// reverse-keyed.
#[test]
fn svi_1_1_0_extends_1_0_0() {
    let old = load("svi", "1.0.0");
    let new = load("svi", "1.1.0");
    let (o, n) = (old.file(), new.file());
    for it in &o.items {
        let m = n.items.iter().find(|x| x.id == it.id).unwrap_or_else(|| panic!("{} missing in 1.1.0", it.id));
        assert_eq!((&m.scale, m.reverse, &m.text), (&it.scale, it.reverse, &it.text), "{} changed", it.id);
    }
    for s in old.scales().iter().filter(|s| s.kind == ScaleKind::Trait) {
        let items: Vec<_> = n.items.iter().filter(|x| x.scale.as_deref() == Some(s.id.as_str())).collect();
        let rev = items.iter().filter(|x| x.reverse == Some(true)).count();
        assert_eq!(items.len(), 20, "{}", s.id);
        assert!((6..=8).contains(&rev), "{}: {rev}/20 reverse-keyed", s.id);
    }
}

/// Per trait scale of an SVI version: (scale, CAT mean items / full-form
/// items, study), printed.
fn svi_cat_ratios(version: &str, se_target: f64) -> Vec<(String, f64, assessments::cat::study::ScaleStudy)> {
    let bank = load("svi", version);
    let report = cat_study(&bank_path("svi", version), None, 500, Some(se_target), 20261130, &Limits::default())
        .unwrap_or_else(|e| panic!("{e}"));
    eprint!("{}", assessments::commands::format_study_report(&report));
    let out: Vec<_> = report
        .scales
        .into_iter()
        .filter(|s| bank.scale(&s.scale).map(|d| d.kind) == Some(ScaleKind::Trait))
        .map(|s| {
            let ratio = s.cat.mean_items / s.full.mean_items;
            eprintln!(
                "svi@{version} {}: CAT {:.2} / full {:.0} items = {ratio:.2}",
                s.scale, s.cat.mean_items, s.full.mean_items
            );
            (s.scale.clone(), ratio, s)
        })
        .collect();
    assert_eq!(out.len(), 8, "the SVI has eight trait scales");
    out
}

/// What the SVI's CAT does achieve at SE 0.30. On 1.0.0 it never gives
/// more items than the full form, stops at the target precision, and its
/// estimates are as accurate as the full form's (r within .02). On 1.1.0 the
/// full form (20 items, SE about 0.21) is more precise than the SE 0.30
/// target on purpose, so the CAT is compared with the 1.0.0 full form
/// instead: with fewer items it is as accurate (r within .02) and stops at
/// the target.
#[test]
fn svi_cat_reaches_full_form_precision_at_se_30() {
    let old = svi_cat_ratios("1.0.0", 0.30);
    for (scale, ratio, s) in &old {
        assert!(*ratio <= 1.0, "1.0.0 {scale}: CAT gave more items than the full form");
        assert!(s.cat.mean_se <= 0.30 + 0.02, "1.0.0 {scale}: mean CAT SE {:.3}", s.cat.mean_se);
        assert!(
            s.cat.correlation >= s.full.correlation - 0.02,
            "1.0.0 {scale}: r {:.3} vs full {:.3}",
            s.cat.correlation,
            s.full.correlation
        );
    }
    for (scale, ratio, s) in svi_cat_ratios("1.1.0", 0.30) {
        let (_, _, o) = old.iter().find(|(x, _, _)| *x == scale).expect("same trait scales");
        assert!(ratio <= 1.0, "1.1.0 {scale}: CAT gave more items than the full form");
        assert!(s.cat.mean_items < o.full.mean_items, "1.1.0 {scale}: CAT needs as many items as the 1.0.0 full form");
        assert!(s.cat.mean_se <= 0.30 + 0.02, "1.1.0 {scale}: mean CAT SE {:.3}", s.cat.mean_se);
        assert!(
            s.cat.correlation >= o.full.correlation - 0.02,
            "1.1.0 {scale}: CAT r {:.3} vs 1.0.0 full form r {:.3}",
            s.cat.correlation,
            o.full.correlation
        );
    }
}

/// The shipping criterion: at SE 0.30 the CAT uses at most half the items
/// of the full form on each SVI trait scale. Met by SVI 1.1.0 (20 items
/// per trait scale; 500 candidates, seed 20261130, the bank's `[cat]`
/// settings: min 4, max 20 items, randomesque 2).
#[test]
fn svi_cat_uses_at_most_half_the_full_form() {
    let failures: Vec<String> = svi_cat_ratios("1.1.0", 0.30)
        .into_iter()
        .filter(|(_, r, _)| *r > 0.5)
        .map(|(s, r, _)| format!("{s}: ratio {r:.2}"))
        .collect();
    assert!(failures.is_empty(), "SVI 1.1.0: CAT uses more than half the full form: {failures:?}");
}

/// Documents why 1.1.0 exists: on SVI 1.0.0 (ten items per trait scale,
/// a about 2) even the full form only reaches SE about 0.29-0.31, so the
/// CAT needs most of each scale (ratios .83-.99, measured with 500
/// candidates, seed 20261130). Fails if 1.0.0 ever changed so that it met
/// the criterion (it cannot: it is published and immutable).
#[test]
fn svi_1_0_0_cat_needs_most_of_each_scale() {
    for (scale, ratio, _) in svi_cat_ratios("1.0.0", 0.30) {
        assert!(ratio > 0.5, "svi@1.0.0 {scale}: ratio {ratio:.2}");
    }
}
