//! Builds the shipped battery under `assessments/banks/` from its
//! simulation models, reproducibly.
//!
//! Run from the workspace root:
//!
//! ```sh
//! cargo run -p assessments --release --example build_shipped
//! ```
//!
//! Shipped bank versions: svi 1.0.0 and 1.1.0, sjs 1.0.0, pulse 1.0.0. Each
//! version has its own population model,
//! `<instrument>/simulation/<version>.toml`.
//!
//! What it does, in order:
//! 1. **Demonstration calibration** of each SVI version and the SJS: 5,000
//!    respondents are simulated from the version's population model (no
//!    careless respondents, seeds below), every scale with Likert / SJT
//!    items is calibrated (GRM, MML-EM) and the parameters are written into
//!    a draft copy of the bank with `calibration.kind = "demonstration"`.
//!    The Pulse is reported only as group aggregates and gets no IRT
//!    parameters.
//! 2. **Publishing**: each bank gets `status = "published"` and its content
//!    hash. A bank that is already published is never rewritten: the run
//!    recalibrates into a temporary copy and checks that the result has the
//!    same content hash (it does, because every step is seeded); if it does
//!    not, the run stops, because a changed bank needs a new version.
//! 3. **CAT study** of each calibrated bank (500 simulated candidates, SE
//!    target 0.30, the bank's `[cat]` settings otherwise), printed as a
//!    table of CAT versus full form with the CAT/full item ratio per scale.
//! 4. **Demonstration norms**: 2,500 further respondents per bank version
//!    (other seeds; the models' careless share of 5%), group
//!    "Demonstration sample (simulated respondents)", international, all
//!    role families, 2026-11-23, `demonstration = true`. Files:
//!    `<instrument>/norms/demo-2026.toml` (id `<instrument>-1.0.0-demo-2026`)
//!    for the 1.0.0 banks and `svi/norms/demo-2026-1.1.0.toml`
//!    (id `svi-1.1.0-demo-2026`) for SVI 1.1.0, raw-score norms only; for
//!    the calibrated banks a second table from the same respondents adds
//!    theta norms (N, mean, SD and percentiles of EAP estimates):
//!    `demo-2026-theta.toml` / `demo-2026-theta-1.1.0.toml` (ids
//!    `<instrument>-<version>-demo-2026-theta`). Norms are built into a
//!    temporary file first; an existing norm table is never rewritten: it
//!    must be reproduced byte for byte (scores record its hash), otherwise
//!    the run stops.
//!
//! Seeds: calibration SVI 1.0.0 20261101, SJS 20261102, SVI 1.1.0 20261201;
//! CAT study 20261130; norms SVI 1.0.0 20261123, SJS 20261124, Pulse
//! 20261125, SVI 1.1.0 20261223.
//!
//! Nothing here is data about real people; the parameters and norms are
//! placeholders until an empirical calibration and norm study exist.

use std::error::Error;
use std::path::{Path, PathBuf};

use assessments::commands::{
    build_norms, calibrate_bank, cat_study, format_calibration_summary, format_study_report, load_bank,
    publish_bank, read_limited, simulate_responses, write_atomic, CalibrateOptions, Limits,
};
use assessments::norms::{NormMeta, NormTable};
use assessments::simulate::SimulationOptions;

/// One shipped bank version and how it is built.
struct Shipped {
    inst: &'static str,
    version: &'static str,
    /// Demonstration calibration (GRM) before publishing?
    calibrate: bool,
    calibration_seed: u64,
    norm_seed: u64,
    /// File name under `<inst>/norms/`.
    norm_file: &'static str,
}

const BANKS: [Shipped; 4] = [
    Shipped { inst: "svi", version: "1.0.0", calibrate: true, calibration_seed: 20261101, norm_seed: 20261123, norm_file: "demo-2026.toml" },
    Shipped { inst: "sjs", version: "1.0.0", calibrate: true, calibration_seed: 20261102, norm_seed: 20261124, norm_file: "demo-2026.toml" },
    Shipped { inst: "pulse", version: "1.0.0", calibrate: false, calibration_seed: 0, norm_seed: 20261125, norm_file: "demo-2026.toml" },
    Shipped { inst: "svi", version: "1.1.0", calibrate: true, calibration_seed: 20261201, norm_seed: 20261223, norm_file: "demo-2026-1.1.0.toml" },
];
const CALIBRATION_N: usize = 5_000;
const NORM_N: usize = 2_500;
const STUDY_N: usize = 500;
const STUDY_SEED: u64 = 20261130;
const NORM_DATE: &str = "2026-11-23";

fn banks_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("banks")
}

/// `<instrument>/<version>.toml`
fn bank_file(inst: &str, version: &str) -> PathBuf {
    banks_dir().join(inst).join(format!("{version}.toml"))
}

/// `<instrument>/simulation/<version>.toml`: the population model of one
/// bank version.
fn model_file(inst: &str, version: &str) -> PathBuf {
    banks_dir().join(inst).join("simulation").join(format!("{version}.toml"))
}

fn is_published(path: &Path, limits: &Limits) -> Result<bool, Box<dyn Error>> {
    let raw: toml::Table = toml::from_str(&read_limited(path, limits.max_toml_bytes)?)?;
    Ok(raw
        .get("instrument")
        .and_then(|i| i.get("status"))
        .and_then(|s| s.as_str())
        == Some("published"))
}

/// Steps 1-2 for one bank: calibrate (if asked) into a temporary draft,
/// publish it, and install it unless the shipped file is already published
/// with the same hash.
fn calibrate_and_publish(b: &Shipped, tmp: &Path, limits: &Limits) -> Result<(), Box<dyn Error>> {
    let (inst, version) = (b.inst, b.version);
    let shipped = bank_file(inst, version);
    let model = model_file(inst, version);
    let draft = tmp.join(format!("{inst}-{version}.toml"));
    if b.calibrate {
        let csv = tmp.join(format!("{inst}-{version}-calibration.csv"));
        let opts = SimulationOptions {
            n: CALIBRATION_N,
            seed: b.calibration_seed,
            careless_share: Some(0.0),
            latencies: false,
            ..Default::default()
        };
        simulate_responses(&shipped, &model, &opts, &csv, limits)?;
        let summary = calibrate_bank(&shipped, &csv, &draft, &CalibrateOptions::demonstration(), limits)?;
        print!("{}", format_calibration_summary(&summary));
    } else {
        write_atomic(&draft, read_limited(&shipped, limits.max_toml_bytes)?.as_bytes())?;
    }
    let built = publish_bank(&draft, limits)?;
    if is_published(&shipped, limits)? {
        let recorded = publish_bank(&shipped, limits)?;
        if recorded.content_hash != built.content_hash {
            return Err(format!(
                "{}: published with {} but the rebuild hashes to {}; published banks are immutable, make a new version",
                shipped.display(),
                recorded.content_hash,
                built.content_hash
            )
            .into());
        }
        println!("{inst}@{version}: already published, rebuild reproduces {}", built.content_hash);
    } else {
        write_atomic(&shipped, read_limited(&draft, limits.max_toml_bytes)?.as_bytes())?;
        println!("{inst}@{version}: published {}", built.content_hash);
    }
    Ok(())
}

/// Step 4 for one bank version: demonstration norm table. Built into a
/// temporary file; an existing table is never rewritten (it must come out
/// byte-identical), a missing one is installed.
fn demo_norms(b: &Shipped, tmp: &Path, limits: &Limits) -> Result<(), Box<dyn Error>> {
    let (inst, version) = (b.inst, b.version);
    let dir = banks_dir().join(inst);
    let bank_path = bank_file(inst, version);
    let csv = tmp.join(format!("{inst}-{version}-norms.csv"));
    let opts = SimulationOptions {
        n: NORM_N,
        seed: b.norm_seed,
        careless_share: None,
        ..Default::default()
    };
    simulate_responses(&bank_path, &model_file(inst, version), &opts, &csv, limits)?;
    let meta = NormMeta {
        id: format!("{inst}-{version}-demo-2026"),
        demonstration: true,
        group: [
            ("en".to_string(), "Demonstration sample (simulated respondents)".to_string()),
            ("de".to_string(), "Demonstrationsstichprobe (simulierte Antwortende)".to_string()),
        ]
        .into_iter()
        .collect(),
        country: "international".to_string(),
        role_family: "all".to_string(),
        collected_from: NORM_DATE.to_string(),
        collected_to: NORM_DATE.to_string(),
    };
    let built = tmp.join(format!("{inst}-{version}-{}", b.norm_file));
    let with_theta = build_norms(&bank_path, &csv, &meta, &built, limits)?;
    // The first tables (December 2026 and before) hold raw-score norms only;
    // calibrated banks get a second table with theta norms beside them.
    let mut table = with_theta.clone();
    table.theta_scales.clear();
    install_norms(&dir.join("norms").join(b.norm_file), &table, limits)?;
    if !with_theta.theta_scales.is_empty() {
        let mut theta = with_theta;
        theta.id = format!("{inst}-{version}-demo-2026-theta");
        install_norms(&dir.join("norms").join(b.norm_file.replace("demo-2026", "demo-2026-theta")), &theta, limits)?;
    }
    Ok(())
}

/// Writes a shipped norm table unless it is there; one that is there must
/// come out byte-identical (shipped tables are never rewritten).
fn install_norms(target: &Path, table: &NormTable, limits: &Limits) -> Result<(), Box<dyn Error>> {
    let text = table.to_toml()?;
    let what = if target.exists() {
        if read_limited(&target, limits.max_toml_bytes)? != text {
            return Err(format!(
                "{}: the rebuild differs from the shipped norm table; shipped norm tables are not rewritten, give the new one a new id and file",
                target.display()
            )
            .into());
        }
        "reproduced"
    } else {
        if let Some(dir) = target.parent() {
            std::fs::create_dir_all(dir)?;
        }
        write_atomic(target, text.as_bytes())?;
        "written"
    };
    println!(
        "{}@{}: norms {} {what} ({} scales, {} theta scales, N = {}) -> {}",
        table.bank,
        table.bank_version,
        table.id,
        table.scales.len(),
        table.theta_scales.len(),
        table.scales.first().map_or(0, |s| s.n),
        target.display()
    );
    Ok(())
}

fn main() -> Result<(), Box<dyn Error>> {
    let limits = Limits::default();
    let tmp = tempfile::tempdir()?;
    for b in &BANKS {
        calibrate_and_publish(b, tmp.path(), &limits)?;
    }
    for b in BANKS.iter().filter(|b| b.calibrate) {
        let path = bank_file(b.inst, b.version);
        load_bank(&path, &limits)?;
        let report = cat_study(&path, None, STUDY_N, Some(0.30), STUDY_SEED, &limits)?;
        println!("\n{}@{}", b.inst, b.version);
        print!("{}", format_study_report(&report));
        for s in &report.scales {
            println!(
                "  {}: CAT {:.2} / full {:.0} items = ratio {:.2}",
                s.scale,
                s.cat.mean_items,
                s.full.mean_items,
                s.cat.mean_items / s.full.mean_items
            );
        }
    }
    println!();
    for b in &BANKS {
        demo_norms(b, tmp.path(), &limits)?;
    }
    Ok(())
}
