//! Norm tables and derived scores, against worked examples.

use super::*;
use crate::bank::tests::mini;
use approx::assert_abs_diff_eq;
use proptest::prelude::*;

#[test]
fn midpoint_percentile_rank_formula() {
    // scores 1, 2, 2, 3: PR(2) = 100 * (1 + 0.5 * 2) / 4 = 50
    let t = percentile_table(&[2.0, 1.0, 3.0, 2.0], 100);
    assert_eq!(t, vec![[1.0, 12.5], [2.0, 50.0], [3.0, 87.5]]);
    assert_abs_diff_eq!(interpolate_percentile(&t, 2.5), 68.75, epsilon = 1e-12);
    assert_eq!(interpolate_percentile(&t, 0.5), 0.0);
    assert_eq!(interpolate_percentile(&t, 3.5), 100.0);
    assert_eq!(interpolate_percentile(&t, 1.0), 12.5);
}

#[test]
fn derived_scores_at_known_points() {
    assert_eq!(t_score(0.0), 50);
    assert_eq!(sten(0.0), 6, "z = 0 is the lower edge of sten 6");
    assert_eq!(sten(-0.01), 5);
    assert_eq!(stanine(0.0), 5);
    assert_eq!(sten(-9.0), 1);
    assert_eq!(sten(9.0), 10);
    assert_eq!(stanine(9.0), 9);
    assert_abs_diff_eq!(normalised_z(50.0), 0.0, epsilon = 1e-12);
    // Phi^-1(0.8413447460685429) = 1
    assert_abs_diff_eq!(normalised_z(84.13447460685429), 1.0, epsilon = 1e-9);
    assert_eq!(reported_percentile(0.0), 1.0);
    assert_eq!(reported_percentile(100.0), 99.0);
    assert_abs_diff_eq!(sem(10.0, 0.91), 3.0, epsilon = 1e-12);
    assert_eq!(band_label(39), BandLabel::Low);
    assert_eq!(band_label(40), BandLabel::Average);
    assert_eq!(band_label(60), BandLabel::Average);
    assert_eq!(band_label(61), BandLabel::High);
    assert_eq!(norm_quality(199), NormQuality::Inadequate);
    assert_eq!(norm_quality(200), NormQuality::Adequate);
    assert_eq!(norm_quality(300), NormQuality::Good);
    assert_eq!(norm_quality(1000), NormQuality::Excellent);
}

#[test]
fn thinning_keeps_the_ends() {
    let xs: Vec<f64> = (0..1000).map(f64::from).collect();
    let t = percentile_table(&xs, 11);
    assert_eq!(t.len(), 11);
    assert_eq!(t.first().map(|p| p[0]), Some(0.0));
    assert_eq!(t.last().map(|p| p[0]), Some(999.0));
}

fn norm_scale() -> NormScale {
    let xs: Vec<f64> = (0..200).map(|i| 1.0 + f64::from(i % 33) / 8.0).collect();
    NormScale {
        scale: "motivation".into(),
        n: 200,
        mean: 3.0,
        sd: 0.7,
        reliability: 0.8,
        percentiles: percentile_table(&xs, MAX_TABLE_POINTS),
    }
}

proptest! {
    #[test]
    fn derived_scores_are_monotone_in_the_raw_score(a in 0.0f64..6.0, b in 0.0f64..6.0) {
        let ns = norm_scale();
        let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
        let (cl, ch) = (convert(lo, &ns), convert(hi, &ns));
        prop_assert!(cl.percentile <= ch.percentile);
        prop_assert!(cl.t <= ch.t);
        prop_assert!(cl.sten <= ch.sten);
        prop_assert!(cl.stanine <= ch.stanine);
        prop_assert!(cl.z <= ch.z);
        prop_assert!((1..=10).contains(&cl.sten) && (1..=10).contains(&ch.sten));
        prop_assert!((1.0..=99.0).contains(&cl.percentile));
    }

    #[test]
    fn sten_is_within_1_to_10(z in -1e6f64..1e6) {
        prop_assert!((1..=10).contains(&sten(z)));
        prop_assert!((1..=9).contains(&stanine(z)));
    }
}

#[test]
fn norm_table_round_trips_and_validates_against_its_bank() {
    let bank = mini();
    let mut table = NormTable {
        id: "mini-demo".into(),
        bank: "mini".into(),
        bank_version: "1.0.0".into(),
        bank_hash: bank.content_hash().into(),
        demonstration: true,
        group: [("en".to_string(), "Demo".to_string()), ("de".to_string(), "Demo".to_string())].into(),
        country: "international".into(),
        role_family: "all".into(),
        collected_from: "2026-11-23".into(),
        collected_to: "2026-11-23".into(),
        population: None,
        sampling: None,
        content_hash: None,
        scales: vec![norm_scale()],
        theta_scales: Vec::new(),
    };
    let text = table.to_toml().unwrap_or_default();
    let back = NormTable::parse(&text, "n.toml", &bank);
    assert!(back.is_ok(), "{back:?}\n{text}");
    table.content_hash = back.as_ref().ok().and_then(|t| t.content_hash.clone());
    assert_eq!(back.ok(), Some(table));

    // a changed number breaks the recorded hash
    let tampered = text.replacen("mean = 3.0", "mean = 3.1", 1);
    assert_ne!(tampered, text);
    let e = NormTable::parse(&tampered, "n.toml", &bank).err().map(|e| e.to_string()).unwrap_or_default();
    assert!(e.contains("does not match the content"), "{e}");

    // unknown scale, wrong bank hash
    let other = text.replace("scale = \"motivation\"", "scale = \"nope\"").replace(bank.content_hash(), "sha256:00");
    let e = NormTable::parse(&other, "n.toml", &bank).err().map(|e| e.to_string()).unwrap_or_default();
    assert!(e.contains("unknown scale") && e.contains("bank_hash"), "{e}");
}

#[test]
fn empirical_reliability_worked_example() {
    // var(-1, 0, 1) = 1, mean SE^2 = 0.25: 1 / (1 + 0.25) = 0.8
    assert_abs_diff_eq!(empirical_reliability(&[-1.0, 0.0, 1.0], &[0.5, 0.5, 0.5]).expect("defined"), 0.8, epsilon = 1e-12);
    assert_eq!(empirical_reliability(&[1.0], &[0.5]), None, "one estimate has no variance");
}

/// Sessions of the tiny calibrated bank with varied, deterministic answers.
fn tiny_sessions(n: usize) -> Vec<crate::responses::Responses> {
    use crate::responses::RawAnswer;
    let bank = crate::adaptive::tests::tiny();
    (0..n)
        .map(|i| {
            let pairs = ["m1", "m2", "m3", "m4", "p1", "p2", "p3"].iter().enumerate().map(move |(j, id)| (*id, RawAnswer::Value(((i * 7 + j * 3 + i / 5) % 5 + 1) as i64)));
            let mut all: Vec<(&str, RawAnswer)> = pairs.collect();
            all.push(("s1", RawAnswer::Option(["a", "b", "c"][i % 3].into())));
            all.push(("s2", RawAnswer::Option(["a", "c"][i % 2].into())));
            crate::responses::Responses::from_pairs(&bank, &format!("p{i}"), all).unwrap_or_else(|e| panic!("{e}"))
        })
        .collect()
}

/// Theta norms are built from the same sessions as the raw norms: for
/// every calibrated scale N, mean and SD are those of the EAP estimates the
/// engine gives those sessions; an uncalibrated scale has none; the table
/// writes and reads back whole.
#[test]
fn the_builder_writes_theta_norms_for_calibrated_scales() {
    let bank = crate::adaptive::tests::tiny();
    let sessions = tiny_sessions(60);
    let meta = NormMeta { id: "tiny-theta".into(), demonstration: true, group: [("en".to_string(), "g".to_string())].into_iter().collect(), country: "x".into(), role_family: "x".into(), collected_from: "2026-12-01".into(), collected_to: "2026-12-01".into() };
    let table = build_norm_table(&bank, &sessions, &meta).expect("built");
    let ids: Vec<&str> = table.theta_scales.iter().map(|s| s.scale.as_str()).collect();
    assert_eq!(ids, ["mot", "judge"], "calibrated scales only");
    let thetas: Vec<f64> = sessions.iter().filter_map(|s| crate::adaptive::score_session(&bank, s).ok()?.into_iter().find(|x| x.scale == "mot")).map(|x| x.theta).collect();
    let mot = table.theta_scale("mot").expect("mot");
    let m = thetas.iter().sum::<f64>() / thetas.len() as f64;
    let sd = (thetas.iter().map(|t| (t - m).powi(2)).sum::<f64>() / (thetas.len() - 1) as f64).sqrt();
    assert_eq!(mot.n, 60);
    assert_abs_diff_eq!(mot.mean, m, epsilon = 1e-12);
    assert_abs_diff_eq!(mot.sd, sd, epsilon = 1e-12);
    assert!(mot.reliability > 0.0 && mot.reliability < 1.0);
    let text = table.to_toml().expect("toml");
    assert!(text.contains("[[norm_table.theta_scales]]"));
    assert_eq!(NormTable::parse(&text, "t.toml", &bank).expect("reads back"), table);
}

#[test]
fn theta_norms_of_a_scale_without_parameters_are_refused() {
    let bank = crate::adaptive::tests::tiny();
    let meta = NormMeta { id: "tiny-theta".into(), demonstration: true, group: [("en".to_string(), "g".to_string())].into_iter().collect(), country: "x".into(), role_family: "x".into(), collected_from: "2026-12-01".into(), collected_to: "2026-12-01".into() };
    let mut table = build_norm_table(&bank, &tiny_sessions(40), &meta).expect("built");
    let mut plain = table.theta_scales[0].clone();
    plain.scale = "plain".into();
    table.theta_scales.push(plain);
    let text = table.to_toml().expect("toml");
    let err = NormTable::parse(&text, "t.toml", &bank).expect_err("refused").to_string();
    assert!(err.contains("theta_scales") && err.contains("`plain` has no IRT parameters"), "{err}");
}

/// The norm group's theta scores (EAP by table look-up) are the EAP
/// estimates a person's own scoring gives (`adaptive::score_scale`), to 1e-12.
#[test]
fn norm_thetas_equal_each_persons_own_eap() {
    use crate::{bank::Bank, responses::Responses};
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/banks/svi");
    let bank = Bank::parse(&std::fs::read_to_string(format!("{dir}/1.0.0.toml")).unwrap(), "svi").unwrap();
    let model = crate::simulate::SimulationModel::parse(&std::fs::read_to_string(format!("{dir}/simulation/1.0.0.toml")).unwrap(), "model", &bank).unwrap();
    let sessions: Vec<Responses> = crate::simulate::Simulator::new(&bank, &model).unwrap().simulate(&crate::simulate::SimulationOptions { n: 60, seed: 3, ..Default::default() }).into_iter().map(|p| p.responses).collect();
    let scores = norm_scores(&bank, &sessions).unwrap();
    let scales = crate::adaptive::irt_scales(&bank).unwrap();
    for (id, thetas, ses) in &scores.theta {
        let scale = scales.iter().find(|s| s.scale_id == *id).unwrap();
        let own: Vec<(f64, f64)> = sessions.iter().filter_map(|s| crate::adaptive::score_scale(&bank, scale, s).unwrap()).map(|x| (x.theta, x.se)).collect();
        assert_eq!(own.len(), thetas.len(), "{id}");
        for ((t, se), (ot, ose)) in thetas.iter().zip(ses).zip(&own) {
            assert!((t - ot).abs() < 1e-12 && (se - ose).abs() < 1e-12, "{id}: {t} vs {ot}");
        }
    }
}
