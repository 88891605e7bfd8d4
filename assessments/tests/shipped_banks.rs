//! Every shipped bank (assessments/banks/<instrument>/) validates, with its
//! norm tables and simulation model; on simulated data each trait scale of
//! the SVI reaches alpha >= .80.
//!
//! The folder can be overridden with VIGIL_BANKS_DIR (used to check bank
//! content before it lands). While no banks are shipped the test only says so.

use std::path::PathBuf;

use assessments::bank::{Bank, ScaleKind};
use assessments::commands::{validate_banks, Limits};
use assessments::reliability::{complete_case_columns, cronbach_alpha};
use assessments::simulate::{SimulationModel, SimulationOptions, Simulator};

fn banks_dir() -> PathBuf {
    std::env::var_os("VIGIL_BANKS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("banks"))
}

#[test]
fn every_shipped_bank_validates() {
    let dir = banks_dir();
    if !dir.exists() {
        eprintln!("no shipped banks yet at {}", dir.display());
        return;
    }
    let report = validate_banks(&[dir], &Limits::default());
    let problems: Vec<String> = report.files.iter().flat_map(|f| f.problems.clone()).collect();
    assert!(report.ok, "bank problems:\n{}", problems.join("\n"));
}

#[test]
fn svi_trait_scales_reach_alpha_80_on_simulated_data() {
    let dir = banks_dir().join("svi");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        eprintln!("no SVI bank yet at {}", dir.display());
        return;
    };
    let model_src = std::fs::read_to_string(dir.join("simulation.toml")).expect("svi/simulation.toml");
    let mut checked = 0;
    for e in entries {
        let p = e.unwrap().path();
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        if !name.ends_with(".toml") || name == "simulation.toml" {
            continue;
        }
        let bank = Bank::parse(&std::fs::read_to_string(&p).unwrap(), &name).unwrap_or_else(|e| panic!("{e}"));
        let model = SimulationModel::parse(&model_src, "svi/simulation.toml", &bank).unwrap_or_else(|e| panic!("{e}"));
        if model.bank_version != bank.version() {
            continue;
        }
        let sessions: Vec<_> = Simulator::new(&bank, &model)
            .unwrap()
            .simulate(&SimulationOptions { n: 2000, seed: 20261123, ..Default::default() })
            .into_iter()
            .map(|s| s.responses)
            .collect();
        for (i, s) in bank.scales().iter().enumerate() {
            if s.kind != ScaleKind::Trait {
                continue;
            }
            let alpha = cronbach_alpha(&complete_case_columns(&bank, i, &sessions)).unwrap_or(0.0);
            eprintln!("{}@{} {}: alpha {alpha:.3}", bank.id(), bank.version(), s.id);
            assert!(alpha >= 0.80, "{}: alpha {alpha:.3} < .80 on simulated data", s.id);
            checked += 1;
        }
    }
    assert!(checked > 0, "no SVI trait scale was checked");
}
