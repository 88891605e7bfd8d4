//! Dev-only report for the IRT/CAT engine (run in release):
//!
//! `cargo run -p assessments --release --example irt_report [OUT_DIR]`
//!
//! 1. parameter recovery of MML-EM calibration for 2,000 and 5,000 simulated
//!    respondents on 40 five-category items (RMSE of a and b_k, time);
//! 2. writes the 5,000 x 40 data, the true and our estimated parameters, and
//!    a 300-item five-category CAT bank to OUT_DIR (default target/irt-compare)
//!    for the Python comparison scripts in tests/irt/;
//! 3. a CAT simulation study on a synthetic 8-scale pool (20 items per scale,
//!    a in [1.5, 2.5]): CAT versus the full form, and the item ratio.

use std::fmt::Write as _;
use std::time::Instant;

use assessments::cat::study::simulate;
use assessments::cat::{CatConfig, CatPool, PoolItem};
use assessments::irt::calibrate::{calibrate, recovery_rmse, CalibrationOptions};
use assessments::irt::grm::GrmItem;
use assessments::irt::sim::{normal_thetas, random_items, simulate_responses};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

fn params_csv(items: &[GrmItem]) -> String {
    let mut s = String::from("a,b1,b2,b3,b4\n");
    for it in items {
        let b: Vec<String> = it.b.iter().map(|x| format!("{x:.6}")).collect();
        let _ = writeln!(s, "{:.6},{}", it.a, b.join(","));
    }
    s
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "target/irt-compare".into());
    std::fs::create_dir_all(&out)?;

    println!("== Calibration recovery (40 items, 5 categories, a ~ U(0.8, 2.5), no missing) ==");
    for n in [2000usize, 5000] {
        let mut rng = ChaCha8Rng::seed_from_u64(2024);
        let truth = random_items(&mut rng, 40, 5, (0.8, 2.5));
        let thetas = normal_thetas(&mut rng, n);
        let data = simulate_responses(&mut rng, &truth, &thetas, 0.0);
        let start = Instant::now();
        let cal = calibrate(&data, &[5; 40], &CalibrationOptions::default())?;
        let secs = start.elapsed().as_secs_f64();
        let (ra, rb) = recovery_rmse(&truth, &cal.grm_items());
        let mean_se_a = cal.items.iter().filter_map(|i| i.se_a).sum::<f64>() / 40.0;
        let misfit = cal.items.iter().filter(|i| i.fit.p_value < 0.01).count();
        println!(
            "n={n}: {secs:.3} s, {} EM cycles, converged {}, logL {:.1}, RMSE a {ra:.4}, RMSE b {rb:.4}, mean SE(a) {mean_se_a:.4}, items with fit p<.01: {misfit}/40",
            cal.iterations, cal.converged, cal.log_likelihood
        );
        if n == 5000 {
            let mut csv = String::new();
            for row in &data {
                let cells: Vec<String> = row
                    .iter()
                    .map(|x| x.map_or(String::new(), |k| k.to_string()))
                    .collect();
                csv.push_str(&cells.join(","));
                csv.push('\n');
            }
            std::fs::write(format!("{out}/responses_5000x40.csv"), csv)?;
            std::fs::write(format!("{out}/true_params.csv"), params_csv(&truth))?;
            std::fs::write(
                format!("{out}/rust_params.csv"),
                params_csv(&cal.grm_items()),
            )?;
            std::fs::write(
                format!("{out}/rust_calibration_seconds.txt"),
                format!("{secs}\n"),
            )?;
        }
    }

    println!("\n== Recovery over 5 replications (seeds 1..5), 40 items, 5 categories ==");
    for missing in [0.0, 0.1] {
        for n in [2000usize, 5000] {
            let (mut sa, mut sb, mut secs) = (0.0, 0.0, 0.0);
            for seed in 1..=5u64 {
                let mut rng = ChaCha8Rng::seed_from_u64(seed);
                let truth = random_items(&mut rng, 40, 5, (0.8, 2.5));
                let thetas = normal_thetas(&mut rng, n);
                let data = simulate_responses(&mut rng, &truth, &thetas, missing);
                let start = Instant::now();
                let cal = calibrate(&data, &[5; 40], &CalibrationOptions::default())?;
                secs += start.elapsed().as_secs_f64();
                let (ra, rb) = recovery_rmse(&truth, &cal.grm_items());
                sa += ra;
                sb += rb;
            }
            println!(
                "n={n}, missing {:.0}%: mean RMSE a {:.4}, mean RMSE b {:.4}, mean time {:.3} s",
                missing * 100.0,
                sa / 5.0,
                sb / 5.0,
                secs / 5.0
            );
        }
    }

    // The 300-item CAT bank used by benches/cat.rs and tests/irt/compare_cat.py.
    let mut rng = ChaCha8Rng::seed_from_u64(300);
    let bank = random_items(&mut rng, 300, 5, (0.8, 2.5));
    std::fs::write(format!("{out}/cat_bank_300.csv"), params_csv(&bank))?;

    {
        let items: Vec<PoolItem> = bank
            .iter()
            .enumerate()
            .map(|(i, g)| PoolItem::new(format!("i{i}"), "bank300", g.clone()))
            .collect();
        let pool = CatPool::new(items)?;
        let config = CatConfig {
            max_items: 30,
            ..CatConfig::default()
        };
        let report = simulate(&pool, &config, 1000, 3)?;
        let s = &report.scales[0];
        println!(
            "\n== CAT on the 300-item bank (a ~ U(0.8, 2.5)), SE 0.30, max 30, n = 1000 ==\nCAT: mean items {:.2}, max {}, mean SE {:.3}, SE<=.30 {:.3}, r {:.3}, RMSE {:.3}, max exposure {:.3}\nfull (300 items): mean SE {:.3}, r {:.3}, RMSE {:.3}",
            s.cat.mean_items, s.cat.max_items, s.cat.mean_se, s.cat.share_se_target, s.cat.correlation, s.cat.rmse,
            s.cat.max_exposure, s.full.mean_se, s.full.correlation, s.full.rmse
        );
    }

    println!(
        "\n== CAT study: 8 scales x 20 items, a ~ U(1.5, 2.5), SE target 0.30, min 3, max 20 =="
    );
    let mut rng = ChaCha8Rng::seed_from_u64(12);
    let mut items = Vec::new();
    for s in 0..8 {
        for (j, grm) in random_items(&mut rng, 20, 5, (1.5, 2.5))
            .into_iter()
            .enumerate()
        {
            items.push(PoolItem::new(
                format!("s{s}-i{j}"),
                format!("scale{s}"),
                grm,
            ));
        }
    }
    let pool = CatPool::new(items)?;
    for (label, config) in [
        (
            "max-info",
            CatConfig {
                max_items: 20,
                ..CatConfig::default()
            },
        ),
        (
            "randomesque-3",
            CatConfig {
                max_items: 20,
                randomesque: 3,
                ..CatConfig::default()
            },
        ),
    ] {
        let start = Instant::now();
        let report = simulate(&pool, &config, 1000, 7)?;
        println!(
            "-- {label} (n = 1000, {:.2} s) --",
            start.elapsed().as_secs_f64()
        );
        println!("scale    | form | mean items | max items | mean SE | SE<=.30 | r(est,true) | RMSE  | max exposure");
        for s in &report.scales {
            for (form, f) in [("CAT ", &s.cat), ("full", &s.full)] {
                println!(
                    "{:8} | {form} | {:10.2} | {:9} | {:7.3} | {:7.3} | {:11.3} | {:.3} | {:.3}",
                    s.scale,
                    f.mean_items,
                    f.max_items,
                    f.mean_se,
                    f.share_se_target,
                    f.correlation,
                    f.rmse,
                    f.max_exposure
                );
            }
        }
        println!("CAT / full item ratio: {:.3}", report.item_ratio);
    }
    Ok(())
}
