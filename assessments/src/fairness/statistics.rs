//! The statistics of two groups: adverse impact with Fisher's exact test,
//! the standardised mean difference, and Mantel-Haenszel DIF with the ETS
//! classes. Counts under [`MIN_CELL`] are suppressed.

use serde::{Deserialize, Serialize};

use crate::stats::{mean, sample_variance};

/// Fewest people a reported count may stand for.
pub const MIN_CELL: usize = 5;

/// A count, or `None` when under [`MIN_CELL`].
fn shown(n: usize) -> Option<usize> {
    (n >= MIN_CELL).then_some(n)
}

/// Selection rates of two groups at a cut score (selected: score >= cut).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdverseImpact {
    pub reference_n: Option<usize>,
    pub reference_selected: Option<usize>,
    pub focal_n: Option<usize>,
    pub focal_selected: Option<usize>,
    /// Focal selection rate over reference selection rate.
    pub ratio: Option<f64>,
    /// The four-fifths rule: the ratio is at least 0.8.
    pub four_fifths_met: Option<bool>,
    /// Fisher's exact test of the 2 x 2 table, two-sided.
    pub fisher_p: Option<f64>,
    /// Some cell had fewer than 5 people: nothing but the suppression is reported.
    pub suppressed: bool,
}

/// Adverse impact of selecting at `cut` (scores at or above it are selected).
pub fn adverse_impact(reference: &[f64], focal: &[f64], cut: f64) -> AdverseImpact {
    let selected = |xs: &[f64]| xs.iter().filter(|x| **x >= cut).count();
    let (nr, sr, nf, sf) = (reference.len(), selected(reference), focal.len(), selected(focal));
    let cells = [sr, nr - sr, sf, nf - sf];
    if cells.iter().any(|c| *c < MIN_CELL) {
        return AdverseImpact { reference_n: shown(nr), reference_selected: None, focal_n: shown(nf), focal_selected: None, ratio: None, four_fifths_met: None, fisher_p: None, suppressed: true };
    }
    // ratio = (sf / nf) / (sr / nr)
    let ratio = (sf as f64 / nf as f64) / (sr as f64 / nr as f64);
    AdverseImpact {
        reference_n: Some(nr),
        reference_selected: Some(sr),
        focal_n: Some(nf),
        focal_selected: Some(sf),
        ratio: Some(ratio),
        four_fifths_met: Some(ratio >= 0.8),
        fisher_p: Some(fisher_exact_two_sided(sr as u64, (nr - sr) as u64, sf as u64, (nf - sf) as u64)),
        suppressed: false,
    }
}

/// `ln(k!)` for every k from 0 to n, each the running sum of logarithms
/// (exact enough for the table sizes here), made once per test.
fn ln_factorials(n: u64) -> Vec<f64> {
    let mut table = Vec::with_capacity(n as usize + 1);
    let mut sum = 0.0;
    table.push(sum);
    for k in 1..=n {
        if k >= 2 {
            sum += (k as f64).ln();
        }
        table.push(sum);
    }
    table
}

/// Probability of the 2 x 2 table `[[a, b], [c, d]]` given its margins
/// (hypergeometric): `(a+b)! (c+d)! (a+c)! (b+d)! / (n! a! b! c! d!)`;
/// `ln_f` holds `ln(k!)` up to n.
fn table_probability(ln_f: &[f64], a: u64, b: u64, c: u64, d: u64) -> f64 {
    let f = |k: u64| ln_f[k as usize];
    (f(a + b) + f(c + d) + f(a + c) + f(b + d) - f(a + b + c + d) - f(a) - f(b) - f(c) - f(d)).exp()
}

/// Fisher's exact test, two-sided: the summed probability of every table
/// with the same margins that is no more likely than the observed one.
pub fn fisher_exact_two_sided(a: u64, b: u64, c: u64, d: u64) -> f64 {
    let (row1, col1, n) = (a + b, a + c, a + b + c + d);
    let ln_f = ln_factorials(n);
    let observed = table_probability(&ln_f, a, b, c, d);
    let low = col1.saturating_sub(n - row1);
    let high = row1.min(col1);
    let p: f64 = (low..=high)
        .map(|x| table_probability(&ln_f, x, row1 - x, col1 - x, n + x - row1 - col1))
        .filter(|p| *p <= observed * (1.0 + 1e-7))
        .sum();
    p.min(1.0)
}

/// Standardised mean difference (focal minus reference over the pooled SD):
/// `d = (mean_f - mean_r) / sqrt(((n_r - 1) s_r^2 + (n_f - 1) s_f^2) / (n_r + n_f - 2))`;
/// `None` when a group has fewer than [`MIN_CELL`] people.
pub fn standardised_mean_difference(reference: &[f64], focal: &[f64]) -> Option<f64> {
    if reference.len() < MIN_CELL || focal.len() < MIN_CELL {
        return None;
    }
    let (nr, nf) = (reference.len() as f64, focal.len() as f64);
    let pooled = (((nr - 1.0) * sample_variance(reference)? + (nf - 1.0) * sample_variance(focal)?) / (nr + nf - 2.0)).sqrt();
    let difference = mean(focal)? - mean(reference)?;
    (pooled > 0.0).then(|| difference / pooled)
}

/// One person's item: group, whether they gave the keyed ("correct")
/// answer, and the matching score (the rest score: the scale without this item).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DifObservation {
    pub focal: bool,
    pub keyed: bool,
    pub rest_score: i64,
}

/// ETS classification of an item's DIF.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum EtsClass {
    /// Negligible: |D| < 1 or not significant.
    A,
    /// Moderate.
    B,
    /// Large: |D| >= 1.5 and significantly above 1.
    C,
}

/// Mantel-Haenszel DIF of one item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MantelHaenszel {
    /// Strata used (rest-score levels with both groups present).
    pub strata: usize,
    /// Common odds ratio `alpha = sum(A D / N) / sum(B C / N)`.
    pub alpha: f64,
    /// `D = -2.35 ln(alpha)`: negative when the item favours the reference group.
    pub d_dif: f64,
    /// Standard error of D (Robins-Breslow-Greenland variance of ln alpha).
    pub se_d: f64,
    /// MH chi-square with continuity correction (see `continuity_corrected`), and its p (1 df).
    pub chi_square: f64,
    pub p: f64,
    pub class: EtsClass,
}

/// Upper tail of the chi-square distribution with 1 df: `P(X > x) = erfc(sqrt(x / 2))`.
fn chi_square_1_p(x: f64) -> f64 {
    use statrs::function::erf::erfc;
    erfc((x / 2.0).sqrt())
}

/// `|sum A - sum E| - 0.5`, the correction left out when the difference is
/// under 0.5 (as R's `mantelhaen.test`), so it never turns a small
/// difference into none or into a larger one.
fn continuity_corrected(difference: f64) -> f64 {
    let size = difference.abs();
    if size >= 0.5 { size - 0.5 } else { size }
}

/// Mantel-Haenszel DIF over strata of the rest score. In stratum k,
/// A = reference keyed, B = reference not, C = focal keyed, D = focal not,
/// N = A + B + C + D; strata with one group only add nothing. `None` when
/// either group has fewer than [`MIN_CELL`] people or the odds ratio is
/// undefined.
pub fn mantel_haenszel(observations: &[DifObservation]) -> Option<MantelHaenszel> {
    let focal = observations.iter().filter(|o| o.focal).count();
    if focal < MIN_CELL || observations.len() - focal < MIN_CELL {
        return None;
    }
    // The strata in ascending rest score, each counted in one pass.
    let mut sorted = observations.to_vec();
    sorted.sort_by_key(|o| o.rest_score);
    let (mut num, mut den, mut sum_a, mut sum_e, mut sum_v) = (0.0, 0.0, 0.0, 0.0, 0.0);
    // Robins-Breslow-Greenland sums.
    let (mut pr, mut ps_qr, mut qs) = (0.0, 0.0, 0.0);
    let mut strata = 0;
    for stratum in sorted.chunk_by(|x, y| x.rest_score == y.rest_score) {
        let mut t = [0.0f64; 4];
        for o in stratum {
            t[usize::from(o.focal) * 2 + usize::from(!o.keyed)] += 1.0;
        }
        let [a, b, c, d] = t;
        let n = a + b + c + d;
        let (n_ref, n_foc, m1, m0) = (a + b, c + d, a + c, b + d);
        if n_ref == 0.0 || n_foc == 0.0 || n < 2.0 {
            continue;
        }
        strata += 1;
        num += a * d / n;
        den += b * c / n;
        sum_a += a;
        sum_e += n_ref * m1 / n;
        sum_v += n_ref * n_foc * m1 * m0 / (n * n * (n - 1.0));
        let (p, q, r, s) = ((a + d) / n, (b + c) / n, a * d / n, b * c / n);
        pr += p * r;
        ps_qr += p * s + q * r;
        qs += q * s;
    }
    if num <= 0.0 || den <= 0.0 || sum_v <= 0.0 {
        return None;
    }
    let alpha = num / den;
    let var_ln = pr / (2.0 * num * num) + ps_qr / (2.0 * num * den) + qs / (2.0 * den * den);
    let d_dif = -2.35 * alpha.ln();
    let se_d = 2.35 * var_ln.sqrt();
    let chi_square = continuity_corrected(sum_a - sum_e).powi(2) / sum_v;
    let p = chi_square_1_p(chi_square);
    Some(MantelHaenszel { strata, alpha, d_dif, se_d, chi_square, p, class: ets_class(d_dif, se_d, p) })
}

/// ETS rule: A when |D| < 1 or the MH test is not significant (p >= .05);
/// C when |D| >= 1.5 and |D| is significantly above 1 (`(|D| - 1) / SE > 1.645`);
/// B otherwise.
pub fn ets_class(d: f64, se: f64, p: f64) -> EtsClass {
    let size = d.abs();
    if size < 1.0 || p >= 0.05 {
        EtsClass::A
    } else if size >= 1.5 && (size - 1.0) / se > 1.645 {
        EtsClass::C
    } else {
        EtsClass::B
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    #[test]
    fn fisher_matches_the_lady_tasting_tea() {
        // Fisher's tea-tasting table [[3, 1], [1, 3]]: two-sided p = 34/70.
        assert!((fisher_exact_two_sided(3, 1, 1, 3) - 34.0 / 70.0).abs() < 1e-12);
        // [[10, 0], [0, 10]]: two-sided p = 2 / C(20, 10) = 2 / 184756.
        assert!((fisher_exact_two_sided(10, 0, 0, 10) - 2.0 / 184_756.0).abs() < 1e-15);
        assert!((fisher_exact_two_sided(5, 5, 5, 5) - 1.0).abs() < 1e-12);
    }

    #[test]
    fn adverse_impact_matches_a_hand_computed_example() {
        // Reference: 100 applicants, 60 at or above the cut (rate .60);
        // focal: 50 applicants, 20 selected (rate .40): ratio .40/.60 = 2/3 < .8.
        let reference: Vec<f64> = (0..100).map(|i| if i < 60 { 70.0 } else { 40.0 }).collect();
        let focal: Vec<f64> = (0..50).map(|i| if i < 20 { 65.0 } else { 30.0 }).collect();
        let ai = adverse_impact(&reference, &focal, 60.0);
        assert_eq!((ai.reference_selected, ai.focal_selected), (Some(60), Some(20)));
        assert!((ai.ratio.unwrap() - 2.0 / 3.0).abs() < 1e-12);
        assert_eq!(ai.four_fifths_met, Some(false));
        let p = ai.fisher_p.unwrap();
        assert!(p > 0.0 && p < 0.05, "{p}");
        assert!((p - fisher_exact_two_sided(60, 40, 20, 30)).abs() < 1e-15);
    }

    #[test]
    fn every_cell_under_five_is_suppressed() {
        // Only 3 focal people are selected: nothing but the suppression is said.
        let reference: Vec<f64> = (0..40).map(|i| if i < 20 { 70.0 } else { 40.0 }).collect();
        let focal: Vec<f64> = (0..30).map(|i| if i < 3 { 70.0 } else { 40.0 }).collect();
        let ai = adverse_impact(&reference, &focal, 60.0);
        assert!(ai.suppressed);
        assert_eq!((ai.ratio, ai.fisher_p, ai.focal_selected, ai.reference_selected), (None, None, None, None));
        // A group of 4: not even its size.
        let tiny = adverse_impact(&reference, &[70.0, 70.0, 40.0, 40.0], 60.0);
        assert_eq!(tiny.focal_n, None);
        assert_eq!(standardised_mean_difference(&reference, &[1.0, 2.0, 3.0, 4.0]), None);
        let few: Vec<DifObservation> = (0..40).map(|i| DifObservation { focal: i < 4, keyed: i % 2 == 0, rest_score: i % 5 }).collect();
        assert_eq!(mantel_haenszel(&few), None);
    }

    #[test]
    fn the_standardised_difference_follows_the_formula() {
        // Reference 1..5 (mean 3, s^2 2.5), focal 3..7 (mean 5, s^2 2.5): d = 2 / sqrt(2.5).
        let d = standardised_mean_difference(&[1.0, 2.0, 3.0, 4.0, 5.0], &[3.0, 4.0, 5.0, 6.0, 7.0]).unwrap();
        assert!((d - 2.0 / 2.5f64.sqrt()).abs() < 1e-12);
    }

    #[test]
    fn mantel_haenszel_matches_a_worked_two_stratum_example() {
        // Stratum 1: A=20 B=10 C=10 D=10 (N 50); stratum 2: A=30 B=5 C=20 D=10 (N 65).
        // alpha = (20*10/50 + 30*10/65) / (10*10/50 + 5*20/65) = (4 + 4.615385) / (2 + 1.538462) = 2.434783.
        let mut obs = Vec::new();
        for (level, [a, b, c, d]) in [(1, [20, 10, 10, 10]), (2, [30, 5, 20, 10])] {
            for (count, focal, keyed) in [(a, false, true), (b, false, false), (c, true, true), (d, true, false)] {
                obs.extend(std::iter::repeat_n(DifObservation { focal, keyed, rest_score: level }, count));
            }
        }
        let mh = mantel_haenszel(&obs).unwrap();
        assert_eq!(mh.strata, 2);
        let alpha = (4.0 + 300.0 / 65.0) / (2.0 + 100.0 / 65.0);
        assert!((mh.alpha - alpha).abs() < 1e-12, "{}", mh.alpha);
        assert!((mh.d_dif - (-2.35 * alpha.ln())).abs() < 1e-12);
        // Chi-square: sum A = 50, E = 30*30/50 + 35*50/65 = 18 + 26.923077, Var = 30*20*30*20/(2500*49) + 35*30*50*15/(4225*64).
        let e: f64 = 18.0 + 35.0 * 50.0 / 65.0;
        let v = 30.0 * 20.0 * 30.0 * 20.0 / (2500.0 * 49.0) + 35.0 * 30.0 * 50.0 * 15.0 / (4225.0 * 64.0);
        assert!((mh.chi_square - ((50.0 - e).abs() - 0.5).powi(2) / v).abs() < 1e-9);
    }

    #[test]
    fn the_continuity_correction_never_overshoots() {
        assert_eq!(continuity_corrected(3.0), 2.5);
        assert_eq!(continuity_corrected(-0.75), 0.25);
        // Under 0.5 the correction is left out (R's mantelhaen.test), not clipped to 0.
        assert_eq!(continuity_corrected(0.25), 0.25);
    }

    #[test]
    fn the_ets_rule_has_three_classes() {
        assert_eq!(ets_class(0.8, 0.1, 0.001), EtsClass::A, "small");
        assert_eq!(ets_class(2.0, 0.3, 0.2), EtsClass::A, "not significant");
        assert_eq!(ets_class(-1.2, 0.2, 0.001), EtsClass::B);
        assert_eq!(ets_class(-1.8, 0.2, 0.0001), EtsClass::C);
        assert_eq!(ets_class(1.6, 0.5, 0.001), EtsClass::B, "large but not significantly above 1");
    }

    /// Simulated 2PL-like data, 20 items, 1,000 reference and 1,000 focal
    /// people of equal ability; items 3 and 11 are 1.2 logits harder for the
    /// focal group. Both are flagged C; no other item is above B. Over 20
    /// seeds the false alarms (another item at B or C) are counted.
    fn planted(seed: u64) -> Vec<EtsClass> {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let items = 20;
        let b: Vec<f64> = (0..items).map(|i| -1.5 + 3.0 * i as f64 / (items - 1) as f64).collect();
        let mut people: Vec<(bool, Vec<bool>)> = Vec::new();
        for p in 0..2000 {
            let focal = p >= 1000;
            // Standard normal ability by Box-Muller.
            let (u1, u2): (f64, f64) = (rng.random::<f64>().max(1e-12), rng.random());
            let theta = (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos();
            let answers = (0..items)
                .map(|i| {
                    let shift = if focal && (i == 3 || i == 11) { 1.2 } else { 0.0 };
                    let p = 1.0 / (1.0 + (-(1.4 * (theta - b[i] - shift))).exp());
                    rng.random::<f64>() < p
                })
                .collect();
            people.push((focal, answers));
        }
        (0..items)
            .map(|i| {
                let obs: Vec<DifObservation> = people
                    .iter()
                    .map(|(focal, a)| DifObservation { focal: *focal, keyed: a[i], rest_score: a.iter().enumerate().filter(|(j, x)| *j != i && **x).count() as i64 })
                    .collect();
                mantel_haenszel(&obs).map_or(EtsClass::A, |m| m.class)
            })
            .collect()
    }

    #[test]
    fn planted_dif_is_found_and_little_else() {
        let mut false_alarms = 0;
        for seed in 0..20 {
            let classes = planted(seed);
            assert_eq!(classes[3], EtsClass::C, "seed {seed}: {classes:?}");
            assert_eq!(classes[11], EtsClass::C, "seed {seed}: {classes:?}");
            for (i, c) in classes.iter().enumerate() {
                if i != 3 && i != 11 {
                    assert_ne!(*c, EtsClass::C, "seed {seed}, item {i}");
                    false_alarms += usize::from(*c == EtsClass::B);
                }
            }
        }
        // 18 clean items x 20 seeds = 360 chances; measured: see the note.
        assert!(false_alarms <= 18, "{false_alarms} of 360 clean items flagged B");
        eprintln!("MH DIF false alarms: {false_alarms} of 360 clean items at level B over 20 seeds, none at C");
    }
}
