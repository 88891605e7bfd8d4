use super::*;
use crate::irt::estimate::eap;
use crate::responses::RawAnswer;

/// A small calibrated bank: a Likert scale (two reverse-keyed items), an SJT
/// scale with uneven keys, an uncalibrated scale and a check item.
pub(crate) const TINY: &str = r#"
[instrument]
id = "tiny"
version = "1.0.0"
status = "draft"
languages = ["en"]
title = { en = "Tiny" }
[[response_scales]]
id = "agree5"
min = 1
max = 5
labels = { en = ["1", "2", "3", "4", "5"] }
[[scales]]
id = "mot"
kind = "trait"
name = { en = "Motivation" }
facets = ["f1", "f2"]
[[scales]]
id = "judge"
kind = "judgement"
name = { en = "Judgement" }
[[scales]]
id = "plain"
kind = "trait"
name = { en = "Plain" }
[[items]]
id = "m1"
type = "likert"
scale = "mot"
response_scale = "agree5"
facet = "f1"
text = { en = "a" }
grm = { a = 1.5, b = [-2.0, -1.0, 0.0, 1.0] }
exposure = 0.8
[[items]]
id = "m2"
type = "likert"
scale = "mot"
response_scale = "agree5"
reverse = true
facet = "f2"
text = { en = "b" }
grm = { a = 2.0, b = [-1.5, -0.5, 0.5, 1.5] }
[[items]]
id = "m3"
type = "likert"
scale = "mot"
response_scale = "agree5"
facet = "f1"
text = { en = "c" }
grm = { a = 1.2, b = [-1.0, 0.0, 0.7, 2.0] }
[[items]]
id = "m4"
type = "likert"
scale = "mot"
response_scale = "agree5"
reverse = true
facet = "f2"
text = { en = "d" }
grm = { a = 0.9, b = [-2.5, -1.2, 0.1, 1.1] }
[[items]]
id = "s1"
type = "sjt"
scale = "judge"
text = { en = "s" }
options = [
  { id = "a", key = 3, text = { en = "a" } },
  { id = "b", key = 0, text = { en = "b" } },
  { id = "c", key = 1, text = { en = "c" } },
]
grm = { a = 1.4, b = [-0.5, 0.8] }
[[items]]
id = "s2"
type = "sjt"
scale = "judge"
text = { en = "s" }
options = [
  { id = "a", key = 2, text = { en = "a" } },
  { id = "b", key = 2, text = { en = "b" } },
  { id = "c", key = 0, text = { en = "c" } },
]
grm = { a = 1.1, b = [0.2] }
[[items]]
id = "p1"
type = "likert"
scale = "plain"
response_scale = "agree5"
text = { en = "p" }
[[items]]
id = "p2"
type = "likert"
scale = "plain"
response_scale = "agree5"
text = { en = "p" }
[[items]]
id = "p3"
type = "likert"
scale = "plain"
response_scale = "agree5"
text = { en = "p" }
[[items]]
id = "c1"
type = "check"
response_scale = "agree5"
text = { en = "I breathe air." }
attentive = [4, 5]
[cat]
se_target = 0.4
min_items = 2
max_items = 3
randomesque = 2
"#;

pub(crate) fn tiny() -> Bank {
    Bank::parse(TINY, "tiny.toml").unwrap_or_else(|e| panic!("{e}"))
}

fn idx(bank: &Bank, id: &str) -> usize {
    bank.item_index(id).unwrap()
}

#[test]
fn likert_categories_follow_keying() {
    let b = tiny();
    // m1 forward: category = x - 1
    for x in 1..=5 {
        assert_eq!(answer_category(&b, idx(&b, "m1"), Answer::Value(x)), Some((x - 1) as usize));
    }
    // m2 reverse-keyed: category = 5 - x
    for x in 1..=5 {
        assert_eq!(answer_category(&b, idx(&b, "m2"), Answer::Value(x)), Some((5 - x) as usize));
    }
    assert_eq!(answer_category(&b, idx(&b, "m1"), Answer::Value(6)), None);
    assert_eq!(answer_category(&b, idx(&b, "m1"), Answer::Value(0)), None);
    assert_eq!(answer_category(&b, idx(&b, "m1"), Answer::Option(0)), None);
    assert_eq!(item_categories(&b, idx(&b, "m1")), Some(5));
}

#[test]
fn sjt_categories_are_ranks_of_key_levels() {
    let b = tiny();
    let s1 = idx(&b, "s1"); // keys 3, 0, 1 -> levels [0, 1, 3]
    assert_eq!(item_categories(&b, s1), Some(3));
    assert_eq!(answer_category(&b, s1, Answer::Option(0)), Some(2));
    assert_eq!(answer_category(&b, s1, Answer::Option(1)), Some(0));
    assert_eq!(answer_category(&b, s1, Answer::Option(2)), Some(1));
    assert_eq!(answer_category(&b, s1, Answer::Option(3)), None);
    let s2 = idx(&b, "s2"); // keys 2, 2, 0 -> levels [0, 2]
    assert_eq!(item_categories(&b, s2), Some(2));
    assert_eq!(answer_category(&b, s2, Answer::Option(0)), Some(1));
    assert_eq!(answer_category(&b, s2, Answer::Option(1)), Some(1));
    assert_eq!(answer_category(&b, s2, Answer::Option(2)), Some(0));
    assert_eq!(answer_category(&b, s2, Answer::Value(1)), None);
}

#[test]
fn check_items_have_no_category() {
    let b = tiny();
    let c1 = idx(&b, "c1");
    assert_eq!(item_categories(&b, c1), None);
    assert_eq!(answer_category(&b, c1, Answer::Value(5)), None);
}

#[test]
fn eap_on_a_session_equals_eap_on_hand_converted_items() {
    let b = tiny();
    let session = Responses::from_pairs(
        &b,
        "p1",
        [
            ("m1", RawAnswer::Value(4)),
            ("m2", RawAnswer::Value(2)),
            ("m4", RawAnswer::Value(5)),
            ("s1", RawAnswer::Option("a".into())),
            ("s2", RawAnswer::Option("c".into())),
            ("c1", RawAnswer::Value(5)),
        ],
    )
    .unwrap();
    let scores = score_session(&b, &session).unwrap();
    assert_eq!(scores.len(), 2, "two calibrated scales answered: {scores:?}");

    let mot_items = vec![
        GrmItem { a: 1.5, b: vec![-2.0, -1.0, 0.0, 1.0] },
        GrmItem { a: 2.0, b: vec![-1.5, -0.5, 0.5, 1.5] },
        GrmItem { a: 1.2, b: vec![-1.0, 0.0, 0.7, 2.0] },
        GrmItem { a: 0.9, b: vec![-2.5, -1.2, 0.1, 1.1] },
    ];
    // m1 = 4 -> 3; m2 = 2 reversed -> 3; m3 missing; m4 = 5 reversed -> 0
    let hand = eap(&mot_items, &[Some(3), Some(3), None, Some(0)]).unwrap();
    let mot = &scores[0];
    assert_eq!(mot.scale, "mot");
    assert_eq!(mot.theta, hand.theta);
    assert_eq!(mot.se, hand.se);
    assert_eq!(mot.answered, 3);
    assert!((mot.t - (50.0 + 10.0 * hand.theta)).abs() < 1e-12);
    assert_eq!(mot.lz_star, None, "fewer than 10 items: no person fit");

    let judge_items = vec![GrmItem { a: 1.4, b: vec![-0.5, 0.8] }, GrmItem { a: 1.1, b: vec![0.2] }];
    // s1 option a (key 3) -> 2; s2 option c (key 0) -> 0
    let hand = eap(&judge_items, &[Some(2), Some(0)]).unwrap();
    assert_eq!(scores[1].scale, "judge");
    assert_eq!(scores[1].theta, hand.theta);
    assert_eq!(scores[1].se, hand.se);
}

#[test]
fn unanswered_and_uncalibrated_scales() {
    let b = tiny();
    let empty = Responses::new(&b, "nobody");
    assert!(score_session(&b, &empty).unwrap().is_empty());
    let plain = scale_irt(&b, b.scale_index("plain").unwrap()).unwrap();
    assert!(plain.grm.is_none());
    assert!(matches!(
        score_scale(&b, &plain, &empty),
        Err(AdaptiveError::NotCalibrated { .. })
    ));
    let err = cat_pool(&b, &["plain"]).unwrap_err();
    assert!(err.to_string().contains("no IRT parameters"), "{err}");
    assert!(matches!(cat_pool(&b, &["nope"]), Err(AdaptiveError::UnknownScale(_))));
}

#[test]
fn partial_parameters_are_an_error() {
    let src = TINY.replace("grm = { a = 1.2, b = [-1.0, 0.0, 0.7, 2.0] }\n", "");
    let b = Bank::parse(&src, "partial.toml").unwrap();
    let err = scale_irt(&b, b.scale_index("mot").unwrap()).unwrap_err();
    assert!(matches!(err, AdaptiveError::Irt { source: IrtError::PartialParameters { .. }, .. }), "{err}");
}

#[test]
fn pool_carries_scale_facet_and_exposure() {
    let b = tiny();
    let pool = cat_pool(&b, &[]).unwrap();
    assert_eq!(pool.scales(), ["mot".to_string(), "judge".to_string()]);
    assert_eq!(pool.items().len(), 6);
    let m1 = &pool.items()[pool.index_of("m1").unwrap()];
    assert_eq!(m1.exposure_parameter, 0.8);
    assert_eq!(m1.facet.as_deref(), Some("f1"));
    assert_eq!(m1.grm.b, vec![-2.0, -1.0, 0.0, 1.0]);
    let m2 = &pool.items()[pool.index_of("m2").unwrap()];
    assert_eq!(m2.exposure_parameter, 1.0);
    let c = cat_config(&b);
    assert_eq!((c.se_target, c.min_items, c.max_items, c.randomesque), (0.4, 2, 3, 2));
    let d = cat_config_from(None);
    assert_eq!(d, CatConfig::default());
}

#[test]
fn out_of_range_exposure_and_cat_settings_are_rejected() {
    for (from, to, needle) in [
        ("exposure = 0.8", "exposure = 0.0", "exposure 0"),
        ("exposure = 0.8", "exposure = 1.5", "exposure 1.5"),
        ("se_target = 0.4", "se_target = 1.5", "se_target"),
        ("se_target = 0.4", "se_target = 0.0", "se_target"),
        ("min_items = 2", "min_items = 5", "min_items 5 is above max_items 3"),
        ("min_items = 2", "min_items = 0", "min_items must be at least 1"),
        ("randomesque = 2", "randomesque = 0", "randomesque 0"),
        ("randomesque = 2", "randomesque = 11", "randomesque 11"),
    ] {
        let src = TINY.replace(from, to);
        let err = Bank::parse(&src, "bad.toml").unwrap_err();
        assert!(err.to_string().contains(needle), "{to}: {err}");
    }
    let src = TINY.replace("attentive = [4, 5]", "attentive = [4, 5]\nexposure = 0.5");
    let err = Bank::parse(&src, "bad.toml").unwrap_err();
    assert!(err.to_string().contains("check items"), "{err}");
    let src = TINY.replace("randomesque = 2", "randomesque = 2\nspeed = 3");
    assert!(Bank::parse(&src, "bad.toml").is_err(), "unknown [cat] key");
}

#[test]
fn an_answer_comes_back_from_its_category() {
    // category_answer inverts answer_category for every item and every answer it takes.
    let bank = tiny();
    for (index, item) in bank.items().iter().enumerate() {
        let answers: Vec<(Answer, String)> = match item.kind {
            ItemType::Likert => {
                let info = bank.item_info(index).expect("info");
                (info.min..=info.max).map(|v| (Answer::Value(v), v.to_string())).collect()
            }
            ItemType::Sjt => item.options.iter().enumerate().map(|(o, opt)| (Answer::Option(o as u16), opt.id.clone())).collect(),
            ItemType::Check => Vec::new(),
        };
        for (answer, shown) in answers {
            let category = answer_category(&bank, index, answer).expect("a category");
            let back = category_answer(&bank, index, category).expect("an answer");
            assert!(back.split(" or ").any(|a| a == shown), "{}: {shown} -> category {category} -> {back}", item.id);
        }
        if item.kind == ItemType::Check {
            assert_eq!(category_answer(&bank, index, 0), None);
        }
    }
    assert_eq!(category_answer(&bank, 0, 99), None, "a category the item does not have");
}

/// Scoring from the bank's tables gives, bit for bit, what scoring each
/// answer on the spot gives: full patterns, patterns with a third of the
/// answers left out (as an adaptive run leaves them) and an empty one.
#[test]
fn tabled_scoring_equals_scoring_on_the_spot() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/banks/svi");
    let bank = Bank::parse(&std::fs::read_to_string(format!("{dir}/1.1.0.toml")).unwrap(), "svi").unwrap();
    let model = crate::simulate::SimulationModel::parse(&std::fs::read_to_string(format!("{dir}/simulation/1.1.0.toml")).unwrap(), "model", &bank).unwrap();
    let people = crate::simulate::Simulator::new(&bank, &model).unwrap().simulate(&crate::simulate::SimulationOptions { n: 40, seed: 11, ..Default::default() });
    let scoring = IrtScoring::of(&bank).unwrap();
    assert_eq!(scoring.scales().count(), irt_scales(&bank).unwrap().iter().filter(|s| s.grm.is_some()).count());
    let mut compared = 0;
    for (n, person) in people.iter().enumerate() {
        let mut partial = Responses::new(&bank, "partial");
        for (i, item) in bank.items().iter().enumerate() {
            if (i + n) % 3 != 0 {
                if let Some(answer) = person.responses.answer(i) {
                    let raw = match answer {
                        crate::responses::Answer::Value(v) => RawAnswer::Value(i64::from(v)),
                        crate::responses::Answer::Option(o) => RawAnswer::Option(item.options[usize::from(o)].id.clone()),
                    };
                    partial.set(&bank, &item.id, &raw).unwrap();
                }
            }
        }
        for session in [&person.responses, &partial, &Responses::new(&bank, "nobody")] {
            let tabled = scoring.score(&bank, session).unwrap();
            assert_eq!(tabled, score_session(&bank, session).unwrap());
            compared += tabled.len();
        }
    }
    assert!(compared >= 40 * 2 * 9, "every calibrated scale compared: {compared}");
}
