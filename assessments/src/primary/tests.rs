use super::*;
use crate::adaptive::{score_session, tests::tiny};
use crate::norms::{convert, percentile_table, Z_90};
use crate::responses::{RawAnswer, Responses};
use crate::scoring::Scorer;
use proptest::prelude::*;

/// Theta norms of a standard normal norm group (N = 1000, empirical reliability .9).
fn theta_norms(scale: &str) -> NormScale {
    let xs: Vec<f64> = (1..1000).map(|i| crate::norms::inverse_normal(f64::from(i) / 1000.0)).collect();
    NormScale { scale: scale.into(), n: 999, mean: 0.0, sd: 1.0, reliability: 0.9, percentiles: percentile_table(&xs, 201) }
}

fn irt(scale: &str, theta: f64, se: f64, answered: usize) -> IrtScore {
    IrtScore { scale: scale.into(), theta, se, t: 50.0 + 10.0 * theta, answered, lz_star: None }
}

#[test]
fn the_rule_no_parameters_ctt_adaptive_irt_fixed_form_as_the_campaign_chose() {
    use FixedFormScoring::{Ctt, Irt};
    assert_eq!(primary_method(false, Ctt, false), Method::Ctt);
    assert_eq!(primary_method(true, Irt, false), Method::Ctt, "no parameters: always CTT");
    assert_eq!(primary_method(true, Ctt, true), Method::IrtAdaptive, "adaptive: always IRT");
    assert_eq!(primary_method(false, Irt, true), Method::IrtFixed);
    assert_eq!(primary_method(false, Ctt, true), Method::Ctt, "the default for a fixed form");
    assert_eq!(FixedFormScoring::default(), Ctt);
    assert_eq!(Method::IrtAdaptive.label(), "IRT (adaptive)");
}

/// The band of an IRT score is theta +/- 1.645 SE on the theta scale, each
/// end converted separately: for a high theta the percentile band is
/// asymmetric (narrower above, where the percentiles crowd towards 99).
#[test]
fn the_band_of_an_irt_score_comes_from_its_posterior_sd() {
    let ns = theta_norms("mot");
    let scored = irt_scale_score(irt("mot", 1.2, 0.3, 8), Some(&ns), true, Some(AdaptiveStop::PrecisionReached));
    let n = scored.normed.expect("normed");
    assert!((n.band90.raw[0] - (1.2 - Z_90 * 0.3)).abs() < 1e-12 && (n.band90.raw[1] - (1.2 + Z_90 * 0.3)).abs() < 1e-12);
    assert_eq!(n.sem, 0.3);
    assert_eq!(n.point, convert(1.2, &ns));
    assert_eq!(n.band90.t, [convert(1.2 - Z_90 * 0.3, &ns).t, convert(1.2 + Z_90 * 0.3, &ns).t]);
    assert_eq!(n.point.t, 62, "theta 1.2 in a N(0,1) group is T 62");
    let (below, above) = (n.point.percentile - n.band90.percentile[0], n.band90.percentile[1] - n.point.percentile);
    assert!(below > above + 5.0, "asymmetric: {below} below, {above} above");
    assert!(n.demonstration);
}

#[test]
fn an_irt_score_on_too_few_items_is_not_normed_and_reported_as_not_scored() {
    let bank = tiny();
    let classical = Scorer::raw_only(&bank).score(&Responses::new(&bank, "p"));
    let few = irt_scale_score(irt("mot", 0.4, 0.8, MIN_IRT_ITEMS - 1), Some(&theta_norms("mot")), false, Some(AdaptiveStop::SessionEnded));
    assert!(few.normed.is_none());
    let reported = reported_scales(&bank, &classical, &[few], true, FixedFormScoring::Ctt);
    let mot = reported.iter().find(|s| s.scale == "mot").expect("mot");
    assert_eq!(mot.method, Method::IrtAdaptive);
    assert_eq!((mot.estimate, mot.normed), (None, None), "never a number");
    assert_eq!(mot.not_scored, Some(NotScored::TooFewForIrt { answered: MIN_IRT_ITEMS - 1, needed: MIN_IRT_ITEMS }));
    assert_eq!(mot.stop, Some(AdaptiveStop::SessionEnded));
    assert!(mot.not_scored.map(NotScored::sentence).is_some_and(|s| s.contains("needs at least 3")));
}

/// Three of four items answered: under the 80% rule, so the classical score
/// is missing, but EAP scores the pattern; an adaptive or IRT-scored
/// campaign reports it, a CTT one says why it cannot. The uncalibrated scale
/// is classical whatever the campaign chose.
#[test]
fn the_primary_score_of_each_scale_follows_the_rule() {
    let bank = tiny();
    let answers = [("m1", 4), ("m2", 2), ("m3", 5), ("p1", 3), ("p2", 4), ("p3", 4)];
    let responses = Responses::from_pairs(&bank, "p", answers.iter().map(|(id, v)| (*id, RawAnswer::Value(*v)))).expect("answers");
    let classical = Scorer::raw_only(&bank).score(&responses);
    let irt: Vec<IrtScaleScore> = score_session(&bank, &responses).expect("scored").into_iter().map(|s| irt_scale_score(s, None, false, None)).collect();
    let eap = irt.iter().find(|s| s.score.scale == "mot").expect("EAP of mot").score.clone();

    let fixed_irt = reported_scales(&bank, &classical, &irt, false, FixedFormScoring::Irt);
    let mot = &fixed_irt[0];
    assert_eq!((mot.method, mot.estimate, mot.error, mot.answered, mot.items), (Method::IrtFixed, Some(eap.theta), Some(eap.se), 3, 4));
    assert_eq!(mot.not_scored, None);

    let fixed_ctt = reported_scales(&bank, &classical, &irt, false, FixedFormScoring::Ctt);
    assert_eq!(fixed_ctt[0].method, Method::Ctt);
    assert_eq!(fixed_ctt[0].estimate, None);
    assert_eq!(fixed_ctt[0].not_scored, Some(NotScored::TooFewAnswered { answered: 3, items: 4 }));

    for reported in [&fixed_irt, &fixed_ctt] {
        let plain = reported.iter().find(|s| s.scale == "plain").expect("plain");
        assert_eq!((plain.method, plain.estimate), (Method::Ctt, Some(11.0 / 3.0)));
    }
    let judge = fixed_irt.iter().find(|s| s.scale == "judge").expect("judge");
    assert_eq!((judge.method, judge.answered, judge.estimate), (Method::IrtFixed, 0, None), "calibrated but unanswered: not scored");
}

#[test]
fn a_stored_irt_score_reads_back_and_older_records_without_norms_still_read() {
    let scored = irt_scale_score(irt("mot", -0.5, 0.35, 9), Some(&theta_norms("mot")), false, Some(AdaptiveStop::ItemLimit));
    let json = serde_json::to_string(&scored).expect("json");
    assert_eq!(serde_json::from_str::<IrtScaleScore>(&json).expect("back"), scored);
    let older = r#"{"scale":"mot","theta":0.1,"se":0.3,"t":51.0,"answered":12,"lz_star":0.4}"#;
    let read: IrtScaleScore = serde_json::from_str(older).expect("an older record");
    assert_eq!((read.score.theta, read.normed, read.stop), (0.1, None, None));
}

proptest! {
    /// Whatever theta and SE: the band holds the point in every unit, and a
    /// larger SE never gives a narrower band.
    #[test]
    fn the_band_holds_the_point_and_widens_with_the_error(theta in -4.0f64..4.0, se in 0.05f64..1.5, more in 0.0f64..1.0) {
        let ns = theta_norms("mot");
        let narrow = irt_scale_score(irt("mot", theta, se, 10), Some(&ns), false, None).normed.expect("normed");
        let wide = irt_scale_score(irt("mot", theta, se + more, 10), Some(&ns), false, None).normed.expect("normed");
        prop_assert!(narrow.band90.t[0] <= narrow.point.t && narrow.point.t <= narrow.band90.t[1]);
        prop_assert!(narrow.band90.percentile[0] <= narrow.point.percentile && narrow.point.percentile <= narrow.band90.percentile[1]);
        prop_assert!(wide.band90.t[0] <= narrow.band90.t[0] && narrow.band90.t[1] <= wide.band90.t[1]);
    }
}
