//! Writes simulated data and the engine's CTT results to target/crosscheck/
//! for the independent numpy cross-check (tests/psychometrics/crosscheck_ctt.py),
//! and runs that script when its Python environment (target/pyenv) exists.

use std::fmt::Write as _;
use std::path::PathBuf;

use assessments::bank::Bank;
use assessments::norms::{percentile_table, MAX_TABLE_POINTS};
use assessments::reliability::{alpha_if_item_deleted, complete_case_columns, corrected_item_total, feldt_interval, omega_one_factor};
use assessments::stats::cronbach_alpha;
use assessments::scoring::Scorer;
use assessments::simulate::{SimulationModel, SimulationOptions, Simulator};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

#[test]
fn export_ctt_results_and_crosscheck_with_numpy() {
    let fixtures = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let src = std::fs::read_to_string(fixtures.join("svi_like.toml")).expect("fixture bank");
    let bank = Bank::parse(&src, "svi_like.toml").expect("valid fixture bank");
    let msrc = std::fs::read_to_string(fixtures.join("svi_like_simulation.toml")).expect("fixture model");
    let model = SimulationModel::parse(&msrc, "svi_like_simulation.toml", &bank).expect("valid model");
    let sim = Simulator::new(&bank, &model).expect("simulator");
    let sessions: Vec<_> = sim
        .simulate(&SimulationOptions { n: 400, seed: 2026, ..Default::default() })
        .into_iter()
        .map(|s| s.responses)
        .collect();

    let out = root().join("target/crosscheck");
    std::fs::create_dir_all(&out).expect("target/crosscheck");
    let scorer = Scorer::raw_only(&bank);
    let raw: Vec<_> = sessions.iter().map(|s| scorer.raw_scores(s)).collect();
    let mut scales = Vec::new();
    for (si, def) in bank.scales().iter().enumerate() {
        let cols = complete_case_columns(&bank, si, &sessions);
        let n = cols[0].len();
        let mut text = String::new();
        let names: Vec<String> = bank.scale_item_indices(si).iter().map(|i| bank.items()[*i].id.clone()).collect();
        writeln!(text, "{}", names.join(",")).unwrap();
        for p in 0..n {
            let row: Vec<String> = cols.iter().map(|c| format!("{}", c[p])).collect();
            writeln!(text, "{}", row.join(",")).unwrap();
        }
        let file = format!("ctt_items_{}.csv", def.id);
        std::fs::write(out.join(&file), text).unwrap();
        let alpha = cronbach_alpha(&cols).expect("alpha");
        let feldt = feldt_interval(alpha, n, cols.len(), 0.95).expect("feldt");
        let xs: Vec<f64> = raw.iter().filter_map(|r| r[si].raw).collect();
        scales.push(serde_json::json!({
            "scale": def.id,
            "items_csv": file,
            "n_complete": n,
            "alpha": alpha,
            "citc": corrected_item_total(&cols),
            "alpha_if_deleted": alpha_if_item_deleted(&cols),
            "feldt95": [feldt.0, feldt.1],
            "omega": omega_one_factor(&cols).map(|o| o.omega),
            "raw_scores": xs,
            "percentiles": percentile_table(&xs, MAX_TABLE_POINTS),
        }));
        assert!(alpha > 0.5, "{}: simulated alpha {alpha}", def.id);
    }
    let json = serde_json::json!({ "bank": bank.id(), "scales": scales });
    std::fs::write(out.join("ctt_rust.json"), serde_json::to_string_pretty(&json).unwrap()).unwrap();

    // Run the numpy cross-check when its environment exists (created by the
    // script on first use: `python3 tests/psychometrics/crosscheck_ctt.py`).
    let py = root().join("target/pyenv/bin/python");
    if std::env::var_os("VIGIL_SKIP_PY_CROSSCHECK").is_some() {
        return;
    }
    if !py.exists() {
        eprintln!("numpy cross-check skipped: run `python3 tests/psychometrics/crosscheck_ctt.py` once to set it up");
        return;
    }
    let status = std::process::Command::new(&py)
        .arg(root().join("tests/psychometrics/crosscheck_ctt.py"))
        .status()
        .expect("run crosscheck_ctt.py");
    assert!(status.success(), "numpy cross-check failed");
}
