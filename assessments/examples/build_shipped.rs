//! Builds the shipped battery under `assessments/banks/` from its
//! simulation models, reproducibly.
//!
//! Run from the workspace root:
//!
//! ```sh
//! cargo run -p assessments --release --example build_shipped
//! ```
//!
//! What it does, in order:
//! 1. **Demonstration calibration** of the SVI and the SJS: 5,000 respondents
//!    are simulated from `<instrument>/simulation.toml` (no careless
//!    respondents, seeds below), every scale with Likert / SJT items is
//!    calibrated (GRM, MML-EM) and the parameters are written into a draft
//!    copy of the bank with `calibration.kind = "demonstration"`. The Pulse
//!    is reported only as group aggregates and gets no IRT parameters.
//! 2. **Publishing**: each bank gets `status = "published"` and its content
//!    hash. A bank that is already published is never rewritten: the run
//!    recalibrates into a temporary copy and checks that the result has the
//!    same content hash (it does, because every step is seeded); if it does
//!    not, the run stops, because a changed bank needs a new version.
//! 3. **CAT study** of the SVI and the SJS (500 simulated candidates, SE
//!    target 0.30), printed as a table of CAT versus full form.
//! 4. **Demonstration norms**: 2,500 further respondents per bank (other
//!    seeds; the models' careless share of 5%), written as
//!    `<instrument>/norms/demo-2026.toml` (`demonstration = true`, group
//!    "Demonstration sample (simulated respondents)", international, all
//!    role families, 2026-11-23).
//!
//! Seeds: calibration SVI 20261101, SJS 20261102; CAT study 20261130;
//! norms SVI 20261123, SJS 20261124, Pulse 20261125.
//!
//! Nothing here is data about real people; the parameters and norms are
//! placeholders until an empirical calibration and norm study exist.

use std::error::Error;
use std::path::{Path, PathBuf};

use assessments::commands::{
    build_norms, calibrate_bank, cat_study, format_calibration_summary, format_study_report, load_bank,
    publish_bank, read_limited, simulate_responses, write_atomic, CalibrateOptions, Limits,
};
use assessments::norms::NormMeta;
use assessments::simulate::SimulationOptions;

/// (instrument, calibrate?, calibration seed, norm seed)
const BANKS: [(&str, bool, u64, u64); 3] = [
    ("svi", true, 20261101, 20261123),
    ("sjs", true, 20261102, 20261124),
    ("pulse", false, 0, 20261125),
];
const VERSION: &str = "1.0.0";
const CALIBRATION_N: usize = 5_000;
const NORM_N: usize = 2_500;
const STUDY_N: usize = 500;
const STUDY_SEED: u64 = 20261130;
const NORM_DATE: &str = "2026-11-23";

fn banks_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("banks")
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
fn calibrate_and_publish(
    inst: &str,
    calibrate: bool,
    seed: u64,
    tmp: &Path,
    limits: &Limits,
) -> Result<(), Box<dyn Error>> {
    let shipped = banks_dir().join(inst).join(format!("{VERSION}.toml"));
    let model = banks_dir().join(inst).join("simulation.toml");
    let draft = tmp.join(format!("{inst}-{VERSION}.toml"));
    if calibrate {
        let csv = tmp.join(format!("{inst}-calibration.csv"));
        let opts = SimulationOptions {
            n: CALIBRATION_N,
            seed,
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
        println!("{inst}@{VERSION}: already published, rebuild reproduces {}", built.content_hash);
    } else {
        write_atomic(&shipped, read_limited(&draft, limits.max_toml_bytes)?.as_bytes())?;
        println!("{inst}@{VERSION}: published {}", built.content_hash);
    }
    Ok(())
}

/// Step 4 for one bank: demonstration norm table.
fn demo_norms(inst: &str, seed: u64, tmp: &Path, limits: &Limits) -> Result<(), Box<dyn Error>> {
    let dir = banks_dir().join(inst);
    let bank_path = dir.join(format!("{VERSION}.toml"));
    let csv = tmp.join(format!("{inst}-norms.csv"));
    let opts = SimulationOptions {
        n: NORM_N,
        seed,
        careless_share: None,
        ..Default::default()
    };
    simulate_responses(&bank_path, &dir.join("simulation.toml"), &opts, &csv, limits)?;
    std::fs::create_dir_all(dir.join("norms"))?;
    let meta = NormMeta {
        id: format!("{inst}-{VERSION}-demo-2026"),
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
    let table = build_norms(&bank_path, &csv, &meta, &dir.join("norms").join("demo-2026.toml"), limits)?;
    println!(
        "{inst}: norms {} ({} scales, N = {})",
        table.id,
        table.scales.len(),
        table.scales.first().map_or(0, |s| s.n)
    );
    Ok(())
}

fn main() -> Result<(), Box<dyn Error>> {
    let limits = Limits::default();
    let tmp = tempfile::tempdir()?;
    for (inst, calibrate, seed, _) in BANKS {
        calibrate_and_publish(inst, calibrate, seed, tmp.path(), &limits)?;
    }
    for (inst, calibrate, _, _) in BANKS {
        if calibrate {
            let path = banks_dir().join(inst).join(format!("{VERSION}.toml"));
            load_bank(&path, &limits)?;
            let report = cat_study(&path, None, STUDY_N, Some(0.30), STUDY_SEED, &limits)?;
            println!("\n{inst}@{VERSION}");
            print!("{}", format_study_report(&report));
        }
    }
    println!();
    for (inst, _, _, seed) in BANKS {
        demo_norms(inst, seed, tmp.path(), &limits)?;
    }
    Ok(())
}
