//! Calibration, against simulated data with known parameters and worked cases.

use super::em::{fill_log_table, max_change};
use super::mstep::{cholesky_solve, item_gradient_and_information, item_log_likelihood};
use super::*;
use crate::irt::grm::{log_category_probability, GrmItem};
use crate::irt::quadrature::Quadrature;
use crate::irt::IrtError;
use crate::irt::sim::{normal_thetas, random_items, simulate_responses};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

fn simulated(
    n: usize,
    n_items: usize,
    seed: u64,
    missing: f64,
) -> (Vec<GrmItem>, Vec<Vec<Option<usize>>>) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let items = random_items(&mut rng, n_items, 5, (0.8, 2.5));
    let thetas = normal_thetas(&mut rng, n);
    let data = simulate_responses(&mut rng, &items, &thetas, missing);
    (items, data)
}

/// With 2,000 simulated respondents, 10 five-category items and 10%
/// missing answers, RMSE(a) < 0.12 and RMSE(b) < 0.15 (typical values
/// are about half of that), every SE is finite, and the run converges.
#[test]
fn recovers_simulated_parameters() {
    let (truth, data) = simulated(2000, 10, 11, 0.1);
    let cal = calibrate(&data, &[5; 10], &CalibrationOptions::default()).unwrap();
    assert!(cal.converged, "{} iterations", cal.iterations);
    let (ra, rb) = recovery_rmse(&truth, &cal.grm_items());
    assert!(ra < 0.12, "RMSE a {ra}");
    assert!(rb < 0.15, "RMSE b {rb}");
    for it in &cal.items {
        assert!(it.se_a.is_some_and(|s| s > 0.0 && s < 0.3));
        assert!(it
            .se_b
            .iter()
            .all(|s| s.is_some_and(|s| s > 0.0 && s < 0.5)));
        assert!(it.fit.chi_square.is_finite() && it.fit.p_value.is_finite());
        assert!(it.b.windows(2).all(|w| w[1] > w[0]));
    }
    assert!(cal.log_likelihood.is_finite() && cal.log_likelihood < 0.0);
}

/// The SEs are honest: about 95% of true values fall within 2 SE.
#[test]
fn standard_errors_cover_the_truth() {
    let (truth, data) = simulated(2000, 10, 12, 0.0);
    let cal = calibrate(&data, &[5; 10], &CalibrationOptions::default()).unwrap();
    let mut inside = 0;
    let mut total = 0;
    for (t, e) in truth.iter().zip(&cal.items) {
        total += 1;
        if (t.a - e.a).abs() <= 2.0 * e.se_a.unwrap_or(0.0) {
            inside += 1;
        }
        for ((tb, eb), se) in t.b.iter().zip(&e.b).zip(&e.se_b) {
            total += 1;
            if (tb - eb).abs() <= 2.0 * se.unwrap_or(0.0) {
                inside += 1;
            }
        }
    }
    let coverage = inside as f64 / total as f64;
    assert!(coverage > 0.8, "coverage {coverage}");
}

#[test]
fn refuses_bad_input_with_clear_errors() {
    let (_, mut data) = simulated(300, 4, 13, 0.0);
    let opts = CalibrationOptions::default();
    // constant column
    let mut constant = data.clone();
    constant.iter_mut().for_each(|r| r[2] = Some(3));
    assert_eq!(
        calibrate(&constant, &[5; 4], &opts).unwrap_err(),
        IrtError::ConstantItem {
            item: 2,
            category: 3
        }
    );
    // empty category
    let mut empty = data.clone();
    empty.iter_mut().for_each(|r| {
        if r[1] == Some(4) {
            r[1] = Some(3)
        }
    });
    assert_eq!(
        calibrate(&empty, &[5; 4], &opts).unwrap_err(),
        IrtError::EmptyCategory {
            item: 1,
            category: 4,
            categories: 5
        }
    );
    // fewer respondents than parameters (4 two-category items = 8 parameters)
    let few: Vec<Vec<Option<usize>>> = [
        [0, 1, 0, 1],
        [1, 0, 1, 0],
        [0, 0, 1, 1],
        [1, 1, 0, 0],
        [0, 1, 1, 0],
        [1, 0, 0, 1],
    ]
    .iter()
    .map(|r| r.iter().map(|&k| Some(k)).collect())
    .collect();
    assert_eq!(
        calibrate(&few, &[2; 4], &opts).unwrap_err(),
        IrtError::TooFewRespondents {
            respondents: 6,
            parameters: 8
        }
    );
    // out-of-range category, ragged rows, no items, unanswered item
    assert!(matches!(
        calibrate(&data, &[3; 4], &opts),
        Err(IrtError::CategoryOutOfRange { .. })
    ));
    data[5].pop();
    assert!(matches!(
        calibrate(&data, &[5; 4], &opts),
        Err(IrtError::RaggedMatrix { row: 5, .. })
    ));
    assert_eq!(calibrate(&[], &[], &opts).unwrap_err(), IrtError::NoItems);
    let none = vec![vec![None, Some(1)], vec![None, Some(0)]];
    assert_eq!(
        calibrate(&none, &[2, 2], &opts).unwrap_err(),
        IrtError::UnansweredItem { item: 0 }
    );
}

#[test]
fn sparse_categories_and_non_convergence_are_warned_about() {
    let (_, data) = simulated(400, 5, 14, 0.0);
    let opts = CalibrationOptions {
        max_iterations: 2,
        ..CalibrationOptions::default()
    };
    let cal = calibrate(&data, &[5; 5], &opts).unwrap();
    assert!(!cal.converged);
    assert!(cal.warnings.iter().any(|w| matches!(w, CalibrationWarning::NotConverged { .. }) && w.to_string().contains("did not converge")));
    assert!(cal
        .items
        .iter()
        .all(|i| i.a.is_finite() && i.b.iter().all(|b| b.is_finite())));
}

/// SQUAREM acceleration reaches the same EM solution in fewer cycles.
#[test]
fn acceleration_changes_speed_not_the_answer() {
    let (_, data) = simulated(1000, 8, 15, 0.05);
    let fast = calibrate(&data, &[5; 8], &CalibrationOptions::default()).unwrap();
    let plain = calibrate(
        &data,
        &[5; 8],
        &CalibrationOptions {
            accelerate: false,
            ..CalibrationOptions::default()
        },
    )
    .unwrap();
    assert!(fast.converged && plain.converged);
    assert!(
        fast.iterations < plain.iterations,
        "{} vs {}",
        fast.iterations,
        plain.iterations
    );
    assert!(max_change(&fast.grm_items(), &plain.grm_items()) < 5e-3);
    assert!((fast.log_likelihood - plain.log_likelihood).abs() < 1e-2);
}

#[test]
fn fast_log_table_matches_the_exact_model() {
    let items = vec![
        GrmItem {
            a: 9.5,
            b: vec![-7.9, -3.0, 0.0, 7.5],
        },
        GrmItem {
            a: 0.3,
            b: vec![-1.0, 1.0],
        },
    ];
    let nodes = [-40.0, -8.0, -1.0, 0.0, 2.5, 40.0];
    let mut table = vec![0.0; 8 * nodes.len()];
    fill_log_table(&items, &nodes, &mut table);
    let mut row = 0;
    for it in &items {
        for k in 0..it.categories() {
            for (q, &t) in nodes.iter().enumerate() {
                let exact = log_category_probability(it.a, &it.b, t, k).max(-700.0);
                let fast = table[row * nodes.len() + q];
                assert!(
                    (exact - fast).abs() <= 1e-9 * (1.0 + exact.abs()),
                    "{exact} vs {fast}"
                );
            }
            row += 1;
        }
    }
}

#[test]
fn cholesky_solves_a_small_system() {
    let mut f = vec![4.0, 2.0, 2.0, 3.0];
    let x = cholesky_solve(&mut f, &[2.0, 1.0], 2).unwrap();
    assert!((4.0 * x[0] + 2.0 * x[1] - 2.0).abs() < 1e-12);
    assert!((2.0 * x[0] + 3.0 * x[1] - 1.0).abs() < 1e-12);
}

#[test]
fn m_step_gradient_matches_finite_differences() {
    let item = GrmItem {
        a: 1.3,
        b: vec![-1.0, 0.2, 1.1],
    };
    let quad = Quadrature::new(21, -4.0, 4.0).unwrap();
    let r: Vec<f64> = (0..4 * 21).map(|j| 1.0 + (j % 7) as f64).collect();
    let (ll, g, _) = item_gradient_and_information(&item, &r, &quad.nodes);
    assert!((ll - item_log_likelihood(&item, &r, &quad.nodes)).abs() < 1e-9 * ll.abs());
    let h = 1e-6;
    for j in 0..4 {
        let mut up = item.clone();
        let mut dn = item.clone();
        if j == 0 {
            up.a += h;
            dn.a -= h;
        } else {
            up.b[j - 1] += h;
            dn.b[j - 1] -= h;
        }
        let num = (item_log_likelihood(&up, &r, &quad.nodes)
            - item_log_likelihood(&dn, &r, &quad.nodes))
            / (2.0 * h);
        assert!(
            (g[j] - num).abs() < 1e-4 * (1.0 + num.abs()),
            "param {j}: {} vs {num}",
            g[j]
        );
    }
}

/// Larger recovery study (run with `--ignored`, in release):
/// prints RMSE for 2,000 and 5,000 respondents on 40 items.
#[test]
#[ignore]
fn recovery_report_2000_and_5000() {
    for n in [2000, 5000] {
        let (truth, data) = simulated(n, 40, 2024, 0.0);
        let cal = calibrate(&data, &[5; 40], &CalibrationOptions::default()).unwrap();
        let (ra, rb) = recovery_rmse(&truth, &cal.grm_items());
        println!(
            "n={n}: iterations {} converged {} RMSE a {ra:.4} RMSE b {rb:.4}",
            cal.iterations, cal.converged
        );
        assert!(ra < 0.1 && rb < 0.12);
    }
}

/// The observer sees every EM cycle with a finite, rising log-likelihood,
/// and answering false stops the run at once with `Cancelled`; observing
/// changes nothing about the result.
#[test]
fn an_observed_run_reports_each_cycle_and_can_be_cancelled() {
    let (_, data) = simulated(800, 6, 5, 0.0);
    let options = CalibrationOptions { accelerate: false, ..CalibrationOptions::default() };
    let mut seen = Vec::new();
    let observed = calibrate_observed(&data, &[5; 6], &options, &mut |cycle, ll| {
        seen.push((cycle, ll));
        true
    })
    .unwrap();
    assert_eq!(seen.len(), observed.iterations);
    assert!(seen.iter().enumerate().all(|(i, (c, ll))| *c == i + 1 && ll.is_finite()));
    assert!(seen.windows(2).all(|w| w[1].1 >= w[0].1 - 1e-6), "plain EM never lowers the likelihood");
    assert_eq!(observed, calibrate(&data, &[5; 6], &options).unwrap());
    let stopped = calibrate_observed(&data, &[5; 6], &options, &mut |cycle, _| cycle < 3);
    assert!(matches!(stopped, Err(IrtError::Cancelled { cycles: 3 })), "{stopped:?}");
}
