//! Classical scoring (PSYCHOMETRICS.md sections 2-3).
//!
//! Item score -> scale raw score (mean of keyed item scores, with the 80%
//! missing-data rule) -> normed scores (z, percentile rank, normalised z, T,
//! sten, stanine) with a 90% band in every unit. Without a norm table only
//! raw scores are given.

use serde::{Deserialize, Serialize};

use crate::bank::{Bank, ItemInfo, ItemType, ScaleKind};
use crate::norms::{band_90, band_label, convert, sem, BandLabel, Converted, NormQuality, NormTable, norm_quality, DEMONSTRATION_NOTICE};
use crate::responses::{Answer, Responses};

/// Reverse keying: `x' = min + max - x`.
pub fn reverse_key(x: i32, min: i32, max: i32) -> i32 {
    // saturating: no overflow panic on absurd input; exact for x in min..=max
    min.saturating_add(max).saturating_sub(x)
}

/// Keyed score of one answer: Likert answers reverse-keyed where the item
/// says so; SJT answers score the chosen option's key; check items carry no
/// trait score.
pub fn item_score(info: &ItemInfo, answer: Answer) -> Option<f64> {
    match (info.kind, answer) {
        (ItemType::Likert, Answer::Value(x)) => Some(f64::from(if info.reverse {
            reverse_key(x, info.min, info.max)
        } else {
            x
        })),
        (ItemType::Sjt, Answer::Option(o)) => info.keys.get(usize::from(o)).map(|k| f64::from(*k)),
        _ => None,
    }
}

/// The 80% rule: a scale is scorable when at least 80% of its items are
/// answered, `answered / items >= 0.8` (computed exactly as
/// `5 * answered >= 4 * items`), and at least one is.
pub fn is_scorable(answered: usize, items: usize) -> bool {
    answered > 0 && answered <= items && answered.saturating_mul(5) >= items.saturating_mul(4)
}

/// Prorated scale mean: `sum / answered` when scorable, otherwise no score
/// (never zero). For SJT scales this is the mean key per answered scenario.
pub fn prorated_mean(sum: f64, answered: usize, items: usize) -> Option<f64> {
    if is_scorable(answered, items) {
        Some(sum / answered as f64)
    } else {
        None
    }
}

/// A scale's raw score before norming.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct RawScale {
    pub items: usize,
    pub answered: usize,
    /// Sum of the answered keyed item scores (for SJT: the sum of keys).
    pub sum: f64,
    /// Prorated mean, `None` when not scorable.
    pub raw: Option<f64>,
}

/// Where a score came from: enough to reproduce it bit for bit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Provenance {
    pub bank_id: String,
    pub bank_version: String,
    pub bank_hash: String,
    pub norm_table_id: Option<String>,
    pub norm_table_hash: Option<String>,
    /// The norm group's description and collection dates (every report
    /// states the norm group, its N and its dates; N is per scale).
    pub norm_group: Option<crate::bank::Text>,
    pub norm_collected: Option<[String; 2]>,
    /// True when the norms come from simulated respondents.
    pub demonstration: bool,
    /// "demonstration norms - not for decisions" for demonstration norms.
    pub notice: Option<String>,
    pub engine_version: String,
}

/// The 90% band (x +/- 1.645 SEM) in every unit shown.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Band {
    /// In the score's own units (raw mean, or theta for an IRT score).
    pub raw: [f64; 2],
    pub t: [i32; 2],
    pub percentile: [f64; 2],
    pub sten: [u8; 2],
}

/// Normed scores of one scale.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Normed {
    #[serde(flatten)]
    pub point: Converted,
    /// The standard error the band is built from, in the score's own units:
    /// SEM = SD * sqrt(1 - r) for a raw score, the posterior SD for theta.
    pub sem: f64,
    pub band90: Band,
    /// low (T < 40) / average (40-60) / high (T > 60).
    pub label: BandLabel,
    pub norm_n: u64,
    pub norm_quality: NormQuality,
    pub demonstration: bool,
}

/// One scale of a score report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScaleScore {
    pub scale: String,
    pub kind: ScaleKind,
    pub items: usize,
    pub answered: usize,
    pub scorable: bool,
    /// Prorated mean of keyed item scores; `None` when not scorable.
    pub raw: Option<f64>,
    /// `None` without norms for this scale, or when not scorable.
    pub normed: Option<Normed>,
}

/// Scores of one session.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScoreReport {
    pub respondent: String,
    pub provenance: Provenance,
    pub scales: Vec<ScaleScore>,
}

impl ScoreReport {
    pub fn scale(&self, id: &str) -> Option<&ScaleScore> {
        self.scales.iter().find(|s| s.scale == id)
    }
}

/// Scoring problems.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum ScoringError {
    #[error("norm table `{table}` belongs to {bank}@{version} ({hash}), not to {actual}")]
    NormsForOtherBank {
        table: String,
        bank: String,
        version: String,
        hash: String,
        actual: String,
    },
}

/// Scores sessions of one bank, optionally against one norm table.
#[derive(Debug, Clone)]
pub struct Scorer<'a> {
    bank: &'a Bank,
    norms: Option<&'a NormTable>,
    /// For each bank scale, its index in `norms.scales`.
    norm_index: Vec<Option<usize>>,
    provenance: Provenance,
}

impl<'a> Scorer<'a> {
    /// A scorer for `bank`; with `norms` the table must belong to exactly
    /// this bank version (same content hash).
    pub fn new(bank: &'a Bank, norms: Option<&'a NormTable>) -> Result<Scorer<'a>, ScoringError> {
        if let Some(t) = norms {
            if t.bank != bank.id() || t.bank_version != bank.version() || t.bank_hash != bank.content_hash() {
                return Err(ScoringError::NormsForOtherBank {
                    table: t.id.clone(),
                    bank: t.bank.clone(),
                    version: t.bank_version.clone(),
                    hash: t.bank_hash.clone(),
                    actual: format!("{}@{} ({})", bank.id(), bank.version(), bank.content_hash()),
                });
            }
        }
        Ok(Scorer::build(bank, norms))
    }

    /// A scorer giving raw scores only.
    pub fn raw_only(bank: &'a Bank) -> Scorer<'a> {
        Scorer::build(bank, None)
    }

    fn build(bank: &'a Bank, norms: Option<&'a NormTable>) -> Scorer<'a> {
        let norm_index = bank
            .scales()
            .iter()
            .map(|s| norms.and_then(|t| t.scales.iter().position(|n| n.scale == s.id)))
            .collect();
        let demonstration = norms.is_some_and(|t| t.demonstration);
        let provenance = Provenance {
            bank_id: bank.id().to_string(),
            bank_version: bank.version().to_string(),
            bank_hash: bank.content_hash().to_string(),
            norm_table_id: norms.map(|t| t.id.clone()),
            norm_table_hash: norms.and_then(|t| t.content_hash.clone()),
            norm_group: norms.map(|t| t.group.clone()),
            norm_collected: norms.map(|t| [t.collected_from.clone(), t.collected_to.clone()]),
            demonstration,
            notice: demonstration.then(|| DEMONSTRATION_NOTICE.to_string()),
            engine_version: crate::ENGINE_VERSION.to_string(),
        };
        Scorer {
            bank,
            norms,
            norm_index,
            provenance,
        }
    }

    pub fn provenance(&self) -> &Provenance {
        &self.provenance
    }

    /// Raw score of every bank scale, in bank scale order.
    pub fn raw_scores(&self, responses: &Responses) -> Vec<RawScale> {
        (0..self.bank.scales().len())
            .map(|s| raw_scale_score(self.bank, s, responses))
            .collect()
    }

    /// The full score report of one session.
    pub fn score(&self, responses: &Responses) -> ScoreReport {
        let mut scales = Vec::with_capacity(self.bank.scales().len());
        for (s, def) in self.bank.scales().iter().enumerate() {
            let r = raw_scale_score(self.bank, s, responses);
            let norms = self
                .norm_index
                .get(s)
                .copied()
                .flatten()
                .and_then(|i| self.norms.and_then(|t| t.scales.get(i)));
            let normed = match (r.raw, norms) {
                (Some(x), Some(ns)) => Some(normed_score(x, ns, self.provenance.demonstration)),
                _ => None,
            };
            scales.push(ScaleScore {
                scale: def.id.clone(),
                kind: def.kind,
                items: r.items,
                answered: r.answered,
                scorable: r.raw.is_some(),
                raw: r.raw,
                normed,
            });
        }
        ScoreReport {
            respondent: responses.respondent.clone(),
            provenance: self.provenance.clone(),
            scales,
        }
    }
}

/// Raw score of scale number `scale`: prorated mean of the keyed scores of
/// its answered items.
pub fn raw_scale_score(bank: &Bank, scale: usize, responses: &Responses) -> RawScale {
    let idx = bank.scale_item_indices(scale);
    let mut sum = 0.0;
    let mut answered = 0;
    for &i in idx {
        if let (Some(info), Some(a)) = (bank.item_info(i), responses.answer(i)) {
            if let Some(x) = item_score(info, a) {
                sum += x;
                answered += 1;
            }
        }
    }
    RawScale {
        items: idx.len(),
        answered,
        sum,
        raw: prorated_mean(sum, answered, idx.len()),
    }
}

/// Normed scores of raw score `x`, with the 90% band (x +/- 1.645 SEM)
/// mapped through the same conversion into every unit.
pub fn normed_score(x: f64, ns: &crate::norms::NormScale, demonstration: bool) -> Normed {
    normed_with_error(x, sem(ns.sd, ns.reliability), ns, demonstration)
}

/// Normed scores of score `x` whose standard error is `e` (the SEM of a raw
/// score, the posterior SD of a theta estimate): the 90% band x +/- 1.645 e,
/// each end converted separately, so bands in percentiles are asymmetric.
pub fn normed_with_error(x: f64, e: f64, ns: &crate::norms::NormScale, demonstration: bool) -> Normed {
    let point = convert(x, ns);
    let (lo, hi) = band_90(x, e);
    let (cl, ch) = (convert(lo, ns), convert(hi, ns));
    Normed {
        point,
        sem: e,
        band90: Band {
            raw: [lo, hi],
            t: [cl.t, ch.t],
            percentile: [cl.percentile, ch.percentile],
            sten: [cl.sten, ch.sten],
        },
        label: band_label(point.t),
        norm_n: ns.n,
        norm_quality: norm_quality(ns.n),
        demonstration,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bank::tests::mini;
    use crate::norms::{percentile_table, NormScale};
    use crate::responses::RawAnswer;
    use approx::assert_abs_diff_eq;
    use proptest::prelude::*;

    fn sheet(pairs: &[(&str, RawAnswer)]) -> Responses {
        let b = mini();
        Responses::from_pairs(&b, "p", pairs.iter().map(|(k, v)| (*k, v.clone()))).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn reverse_keying_example() {
        assert_eq!(reverse_key(1, 1, 5), 5);
        assert_eq!(reverse_key(2, 1, 5), 4);
        assert_eq!(reverse_key(3, 1, 5), 3);
        assert_eq!(reverse_key(0, 0, 6), 6);
    }

    #[test]
    fn scale_mean_with_reverse_keys() {
        use RawAnswer::Value as V;
        // m1 = 5, m2 = 1 (rev -> 5), m3 = 4, m4 = 2 (rev -> 4): mean 4.5
        let r = sheet(&[("m1", V(5)), ("m2", V(1)), ("m3", V(4)), ("m4", V(2))]);
        let b = mini();
        let rep = Scorer::raw_only(&b).score(&r);
        assert_eq!(rep.scale("motivation").and_then(|s| s.raw), Some(4.5));
        assert_eq!(rep.scale("motivation").map(|s| s.answered), Some(4));
        assert_eq!(rep.scale("im").and_then(|s| s.raw), None, "unanswered scale is not scorable, not zero");
        assert_eq!(rep.scale("motivation").and_then(|s| s.normed), None, "no norms, raw only");
    }

    #[test]
    fn eighty_percent_rule() {
        assert!(is_scorable(4, 5));
        assert!(!is_scorable(3, 5));
        assert!(is_scorable(8, 10));
        assert!(!is_scorable(7, 10));
        assert!(!is_scorable(0, 0));
        // 3 of 4 items = 75%: not scorable
        use RawAnswer::Value as V;
        let r = sheet(&[("m1", V(5)), ("m2", V(1)), ("m3", V(4))]);
        let b = mini();
        let s = Scorer::raw_only(&b).score(&r);
        assert_eq!(s.scale("motivation").map(|s| (s.raw, s.scorable, s.answered)), Some((None, false, 3)));
    }

    #[test]
    fn sjt_scores_the_mean_key_per_answered_scenario() {
        use RawAnswer::Option as O;
        // s1 a = 3, s2 b = 2, s3 a = 0 -> sum 5, mean 5/3
        let r = sheet(&[("s1", O("a".into())), ("s2", O("b".into())), ("s3", O("a".into()))]);
        let b = mini();
        let raw = Scorer::raw_only(&b).raw_scores(&r);
        let j = b.scale_index("judgement").and_then(|i| raw.get(i)).copied();
        assert_eq!(j.map(|j| j.sum), Some(5.0));
        assert_abs_diff_eq!(j.and_then(|j| j.raw).unwrap_or(0.0), 5.0 / 3.0, epsilon = 1e-15);
    }

    fn table(bank: &Bank, demonstration: bool) -> NormTable {
        let xs: Vec<f64> = (0..400).map(|i| 1.0 + f64::from(i % 17) / 4.0).collect();
        NormTable {
            id: "t".into(),
            bank: bank.id().into(),
            bank_version: bank.version().into(),
            bank_hash: bank.content_hash().into(),
            demonstration,
            group: Default::default(),
            country: "x".into(),
            role_family: "x".into(),
            collected_from: "2026-01-01".into(),
            collected_to: "2026-01-02".into(),
            population: None,
            sampling: None,
            content_hash: Some("sha256:abc".into()),
            scales: vec![NormScale {
                scale: "motivation".into(),
                n: 400,
                mean: 3.0,
                sd: 1.0,
                reliability: 0.84,
                percentiles: percentile_table(&xs, 201),
            }],
            theta_scales: Vec::new(),
        }
    }

    #[test]
    fn normed_scores_with_band_and_provenance() {
        use RawAnswer::Value as V;
        let b = mini();
        let t = table(&b, true);
        let scorer = Scorer::new(&b, Some(&t)).unwrap_or_else(|e| panic!("{e}"));
        let r = sheet(&[("m1", V(3)), ("m2", V(3)), ("m3", V(3)), ("m4", V(3))]);
        let rep = scorer.score(&r);
        let n = rep.scale("motivation").and_then(|s| s.normed).unwrap_or_else(|| panic!("normed"));
        // SEM = 1.0 * sqrt(1 - .84) = 0.4; band = 3 +/- 0.658
        assert_abs_diff_eq!(n.sem, 0.4, epsilon = 1e-12);
        assert_abs_diff_eq!(n.band90.raw[0], 3.0 - 0.658, epsilon = 1e-12);
        assert_abs_diff_eq!(n.band90.raw[1], 3.0 + 0.658, epsilon = 1e-12);
        assert!(n.band90.t[0] <= n.point.t && n.point.t <= n.band90.t[1]);
        assert!(n.band90.sten[0] <= n.point.sten && n.point.sten <= n.band90.sten[1]);
        assert_eq!(n.point.z, 0.0);
        assert!(n.demonstration);
        assert_eq!(n.norm_quality, NormQuality::Good);
        assert_eq!(rep.provenance.notice.as_deref(), Some(DEMONSTRATION_NOTICE));
        assert_eq!(rep.provenance.norm_table_id.as_deref(), Some("t"));
        assert_eq!(rep.provenance.norm_collected, Some(["2026-01-01".to_string(), "2026-01-02".to_string()]));
        assert_eq!(rep.provenance.engine_version, crate::ENGINE_VERSION);
        // a scale without norms stays raw
        assert!(rep.scale("im").is_some_and(|s| s.normed.is_none()));
    }

    #[test]
    fn norms_of_another_bank_version_are_refused() {
        let b = mini();
        let mut t = table(&b, false);
        t.bank_hash = "sha256:other".into();
        assert!(matches!(Scorer::new(&b, Some(&t)), Err(ScoringError::NormsForOtherBank { .. })));
    }

    proptest! {
        #[test]
        fn reverse_keying_is_an_involution(min in -10i32..10, width in 1i32..10, off in 0i32..10) {
            let max = min + width;
            let x = min + off % (width + 1);
            let y = reverse_key(x, min, max);
            prop_assert!(y >= min && y <= max);
            prop_assert_eq!(reverse_key(y, min, max), x);
        }

        #[test]
        fn prorating_never_scores_below_80_percent(items in 1usize..40, answered_frac in 0.0f64..1.0, sum in -100.0f64..100.0) {
            let answered = ((items as f64) * answered_frac).floor() as usize;
            let r = prorated_mean(sum, answered, items);
            if (answered as f64) < 0.8 * items as f64 || answered == 0 {
                prop_assert!(r.is_none());
            } else {
                prop_assert!(r.is_some());
            }
        }

        #[test]
        fn missing_answers_below_80_percent_give_no_scale_score(mask in proptest::collection::vec(any::<bool>(), 4), vals in proptest::collection::vec(1i64..=5, 4)) {
            let b = mini();
            let ids = ["m1", "m2", "m3", "m4"];
            let pairs: Vec<(&str, RawAnswer)> = ids.iter().zip(&mask).zip(&vals)
                .filter(|((_, m), _)| **m).map(|((id, _), v)| (*id, RawAnswer::Value(*v))).collect();
            let answered = pairs.len();
            let r = Responses::from_pairs(&b, "p", pairs).map_err(|e| TestCaseError::fail(e.to_string()))?;
            let s = Scorer::raw_only(&b).score(&r);
            let raw = s.scale("motivation").and_then(|x| x.raw);
            prop_assert_eq!(raw.is_some(), answered == 4, "4 items: only all 4 answered reaches 80%");
        }
    }
}
