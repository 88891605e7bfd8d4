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

#[test]
fn every_shipped_population_model_simulates_valid_answers() {
    let Ok(instruments) = std::fs::read_dir(banks_dir()) else {
        eprintln!("no shipped banks yet");
        return;
    };
    for inst in instruments {
        let dir = inst.unwrap().path();
        let Ok(model_src) = std::fs::read_to_string(dir.join("simulation.toml")) else {
            continue;
        };
        let raw: toml::Table = toml::from_str(&model_src).unwrap();
        let version = raw["bank_version"].as_str().unwrap().to_string();
        let bank_file = dir.join(format!("{version}.toml"));
        let bank = Bank::parse(&std::fs::read_to_string(&bank_file).unwrap(), &bank_file.display().to_string())
            .unwrap_or_else(|e| panic!("{e}"));
        let model = SimulationModel::parse(&model_src, "simulation.toml", &bank).unwrap_or_else(|e| panic!("{e}"));
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
        let report = assessments::commands::analyze_sessions(&bank, &back);
        for s in &report.scales {
            eprintln!("{} {}: alpha {:?} (n = {})", bank.id(), s.scale, s.alpha.map(|a| (a * 1000.0).round() / 1000.0), s.n_complete);
        }
    }
}
