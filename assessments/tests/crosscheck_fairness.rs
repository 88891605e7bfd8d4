//! Writes data and the engine's fairness results to
//! target/crosscheck/fairness_rust.json for the independent cross-check
//! with scipy and statsmodels (tests/psychometrics/crosscheck_fairness.py):
//!   - Fisher's exact test on 2 x 2 tables of many shapes;
//!   - Mantel-Haenszel DIF on simulated answers with two planted items
//!     (raw observations: group, keyed, rest score);
//!   - the whole item path on a simulated Likert bank with a planted bias in
//!     the first item of each scale: the keyed item scores of complete cases
//!     and each item's range, from which the script forms keyed answers and
//!     rest scores itself, in both stages.

use std::path::PathBuf;

use assessments::bank::Bank;
use assessments::fairness::{fisher_exact_two_sided, item_dif, mantel_haenszel, DifObservation, MantelHaenszel};
use assessments::responses::Answer;
use assessments::scoring::item_score;
use assessments::simulate::{SimulationModel, SimulationOptions, Simulator};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn mh_json(m: &Option<MantelHaenszel>) -> serde_json::Value {
    match m {
        Some(m) => serde_json::json!({ "alpha": m.alpha, "d_dif": m.d_dif, "se_d": m.se_d, "chi_square": m.chi_square, "p": m.p, "class": format!("{:?}", m.class) }),
        None => serde_json::Value::Null,
    }
}

/// 2PL answers of 600 + 400 people, items 2 and 7 harder for the focal group.
fn planted(rng: &mut ChaCha8Rng) -> Vec<Vec<DifObservation>> {
    let items = 12;
    let people: Vec<(bool, Vec<bool>)> = (0..1000)
        .map(|p| {
            let focal = p >= 600;
            let (u1, u2): (f64, f64) = (rng.random::<f64>().max(1e-12), rng.random());
            let theta = (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos();
            let answers = (0..items)
                .map(|i| {
                    let shift = if focal && (i == 2 || i == 7) { 1.0 } else { 0.0 };
                    let b = -1.5 + 3.0 * i as f64 / (items - 1) as f64;
                    rng.random::<f64>() < 1.0 / (1.0 + (-(1.3 * (theta - b - shift))).exp())
                })
                .collect();
            (focal, answers)
        })
        .collect();
    (0..items)
        .map(|i| {
            people
                .iter()
                .map(|(focal, a)| DifObservation { focal: *focal, keyed: a[i], rest_score: a.iter().enumerate().filter(|(j, x)| *j != i && **x).count() as i64 })
                .collect()
        })
        .collect()
}

#[test]
fn export_fairness_results_for_the_independent_crosscheck() {
    let mut rng = ChaCha8Rng::seed_from_u64(2027);
    let mut fisher = Vec::new();
    for _ in 0..60 {
        let t: [u64; 4] = std::array::from_fn(|_| rng.random_range(0..40));
        fisher.push(serde_json::json!({ "table": t, "p": fisher_exact_two_sided(t[0], t[1], t[2], t[3]) }));
    }

    let planted: Vec<serde_json::Value> = planted(&mut rng)
        .iter()
        .map(|obs| {
            let rows: Vec<[i64; 3]> = obs.iter().map(|o| [i64::from(o.focal), i64::from(o.keyed), o.rest_score]).collect();
            serde_json::json!({ "observations": rows, "rust": mh_json(&mantel_haenszel(obs)) })
        })
        .collect();

    let fixtures = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let bank = Bank::parse(&std::fs::read_to_string(fixtures.join("svi_like.toml")).unwrap(), "svi_like.toml").unwrap();
    let model = SimulationModel::parse(&std::fs::read_to_string(fixtures.join("svi_like_simulation.toml")).unwrap(), "svi_like_simulation.toml", &bank).unwrap();
    let mut sessions: Vec<_> = Simulator::new(&bank, &model).unwrap().simulate(&SimulationOptions { n: 800, seed: 7, ..Default::default() }).into_iter().map(|s| s.responses).collect();
    // A planted bias, so the second (purified) stage has flagged items to leave out:
    // every other focal person answers the first item of each scale two steps lower.
    for (_, r) in sessions.iter_mut().enumerate().filter(|(i, _)| i % 6 == 0) {
        for s in 0..bank.scales().len() {
            let Some(&first) = bank.scale_item_indices(s).first() else { continue };
            let min = bank.item_info(first).unwrap().min;
            if let Some(Answer::Value(x)) = r.answer(first) {
                r.set_index(first, Some(Answer::Value((x - 2).max(min))));
            }
        }
    }
    let people: Vec<(bool, &_)> = sessions.iter().enumerate().map(|(i, r)| (i % 3 == 0, r)).collect();
    let difs = item_dif(&bank, &people);
    assert!(difs.iter().filter(|d| d.result.as_ref().is_some_and(|m| m.class != assessments::fairness::EtsClass::A)).count() >= 2, "the planted items are flagged, so the second stage runs");
    let mut scales = Vec::new();
    for (s, def) in bank.scales().iter().enumerate() {
        let items = bank.scale_item_indices(s);
        if items.len() < 2 {
            continue;
        }
        let ranges: Vec<[i32; 2]> = items.iter().map(|&i| bank.item_info(i).map(|info| [info.min, info.max]).unwrap()).collect();
        let rows: Vec<serde_json::Value> = people
            .iter()
            .filter_map(|(focal, r)| {
                let scores: Option<Vec<f64>> = items.iter().map(|&i| item_score(bank.item_info(i)?, r.answer(i)?)).collect();
                scores.map(|x| serde_json::json!({ "focal": focal, "scores": x }))
            })
            .collect();
        let results: Vec<serde_json::Value> = difs.iter().filter(|d| d.scale == def.id).map(|d| mh_json(&d.result)).collect();
        assert_eq!(results.len(), items.len());
        scales.push(serde_json::json!({ "scale": def.id, "ranges": ranges, "people": rows, "rust": results }));
    }

    let out = root().join("target/crosscheck");
    std::fs::create_dir_all(&out).unwrap();
    let json = serde_json::json!({ "fisher": fisher, "planted": planted, "likert": scales });
    std::fs::write(out.join("fairness_rust.json"), serde_json::to_string(&json).unwrap()).unwrap();
}
