//! Response validity (PSYCHOMETRICS.md section 7).
//!
//! Indices that tell a psychologist how much a session's answers can be
//! trusted. They are shown beside the profile and never change a score.
//! Each index has a threshold from the bank's `[validity]` table or the
//! defaults below; the session's overall status is the worst of them.

use serde::{Deserialize, Serialize};

use crate::bank::{Bank, ItemType, ScaleKind, ValiditySettings};
use crate::responses::{Answer, Responses};
use crate::scoring::{item_score, ScoreReport};

/// Defaults of PSYCHOMETRICS.md section 7.
pub const DEFAULT_MIN_MEDIAN_SECONDS: f64 = 1.5;
pub const DEFAULT_LONGSTRING_CAUTION_SHARE: f64 = 0.5;
pub const DEFAULT_LONGSTRING_INVALID_SHARE: f64 = 0.8;
pub const DEFAULT_INFREQUENCY_CAUTION_FAILS: u32 = 1;
pub const DEFAULT_INFREQUENCY_INVALID_FAILS: u32 = 2;
pub const DEFAULT_INCONSISTENCY_CAUTION: f64 = 1.5;
pub const DEFAULT_IMPRESSION_MANAGEMENT_CAUTION_T: f64 = 65.0;

/// Overall or per-index status, ordered from best to worst.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Ok,
    Caution,
    Invalid,
}

/// Thresholds in force, after applying defaults.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Thresholds {
    pub min_median_seconds: f64,
    pub longstring_caution_share: f64,
    pub longstring_invalid_share: f64,
    pub infrequency_caution_fails: u32,
    pub infrequency_invalid_fails: u32,
    pub inconsistency_caution: f64,
    pub impression_management_caution_t: f64,
    pub irv_caution_below: Option<f64>,
}

impl Thresholds {
    pub fn from_settings(v: &ValiditySettings) -> Thresholds {
        Thresholds {
            min_median_seconds: v.min_median_seconds.unwrap_or(DEFAULT_MIN_MEDIAN_SECONDS),
            longstring_caution_share: v.longstring_caution_share.unwrap_or(DEFAULT_LONGSTRING_CAUTION_SHARE),
            longstring_invalid_share: v.longstring_invalid_share.unwrap_or(DEFAULT_LONGSTRING_INVALID_SHARE),
            infrequency_caution_fails: v.infrequency_caution_fails.unwrap_or(DEFAULT_INFREQUENCY_CAUTION_FAILS),
            infrequency_invalid_fails: v.infrequency_invalid_fails.unwrap_or(DEFAULT_INFREQUENCY_INVALID_FAILS),
            inconsistency_caution: v.inconsistency_caution.unwrap_or(DEFAULT_INCONSISTENCY_CAUTION),
            impression_management_caution_t: v
                .impression_management_caution_t
                .unwrap_or(DEFAULT_IMPRESSION_MANAGEMENT_CAUTION_T),
            irv_caution_below: v.irv_caution_below,
        }
    }
}

/// The validity indices of one session.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ValidityReport {
    pub respondent: String,
    pub status: Status,
    /// Plain-language reasons for every index that is not `ok`.
    pub reasons: Vec<String>,
    /// Median latency over answered Likert items with a recorded time (all
    /// answered items when the bank has no Likert items), in ms.
    pub median_latency_ms: Option<f64>,
    pub speed_flag: bool,
    /// Longest run of identical consecutive Likert answers (bank order).
    pub longstring: usize,
    /// `longstring / answered Likert items`.
    pub longstring_share: Option<f64>,
    /// Intra-individual response variability: SD of the person's Likert answers.
    pub irv: Option<f64>,
    pub infrequency_fails: u32,
    pub infrequency_answered: u32,
    /// Mean absolute difference over near-synonym pairs (after reverse keying).
    pub inconsistency: Option<f64>,
    pub inconsistency_pairs_answered: usize,
    /// T of the impression-management scale(s), when normed; the highest.
    pub impression_management_t: Option<i32>,
    pub thresholds: Thresholds,
}

/// Median: middle value of the sorted list (mean of the two middle ones).
pub fn median(values: &mut [f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let n = values.len();
    let mid = n / 2;
    if n % 2 == 1 {
        values.get(mid).copied()
    } else {
        Some((values.get(mid - 1)? + values.get(mid)?) / 2.0)
    }
}

/// Longest run of identical consecutive values.
pub fn longest_run<T: PartialEq>(values: &[T]) -> usize {
    let mut best = 0;
    let mut run = 0;
    let mut prev: Option<&T> = None;
    for v in values {
        run = if prev == Some(v) { run + 1 } else { 1 };
        best = best.max(run);
        prev = Some(v);
    }
    best
}

/// Population SD of a person's answers: `sqrt(mean((x - mean)^2))`.
pub fn person_sd(values: &[f64]) -> Option<f64> {
    if values.len() < 2 {
        return None;
    }
    let m = values.iter().sum::<f64>() / values.len() as f64;
    Some((values.iter().map(|v| (v - m) * (v - m)).sum::<f64>() / values.len() as f64).sqrt())
}

/// Computes every validity index of a session. `scores` (the same
/// session's score report) supplies the impression-management T when norms
/// were used; the report itself is not changed.
pub fn assess(bank: &Bank, responses: &Responses, scores: Option<&ScoreReport>) -> ValidityReport {
    let th = Thresholds::from_settings(bank.validity());

    // response time: median over answered Likert items with a recorded
    // time (the 1.5 s default is for a Likert item); over all answered items
    // when the bank has no Likert items (e.g. an SJT)
    let timed = |likert_only: bool| -> Vec<f64> {
        bank.items()
            .iter()
            .enumerate()
            .filter(|(_, it)| !likert_only || it.kind == ItemType::Likert)
            .filter(|(i, _)| responses.answer(*i).is_some())
            .filter_map(|(i, _)| responses.latency_ms(i).map(f64::from))
            .collect()
    };
    let mut lat = timed(true);
    if lat.is_empty() {
        lat = timed(false);
    }
    let median_latency_ms = median(&mut lat);
    let speed_flag = median_latency_ms.is_some_and(|m| m < th.min_median_seconds * 1000.0);

    // long-string and IRV over Likert answers in bank order
    let likert: Vec<i32> = bank
        .items()
        .iter()
        .enumerate()
        .filter(|(_, it)| it.kind == ItemType::Likert)
        .filter_map(|(i, _)| match responses.answer(i) {
            Some(Answer::Value(v)) => Some(v),
            _ => None,
        })
        .collect();
    let longstring = longest_run(&likert);
    let longstring_share = (!likert.is_empty()).then(|| longstring as f64 / likert.len() as f64);
    let likert_f: Vec<f64> = likert.iter().map(|v| f64::from(*v)).collect();
    let irv = person_sd(&likert_f);

    // infrequency / attention checks
    let mut fails = 0u32;
    let mut checks = 0u32;
    for (i, info) in bank.item_infos().iter().enumerate() {
        if info.kind != ItemType::Check {
            continue;
        }
        if let Some(Answer::Value(v)) = responses.answer(i) {
            checks += 1;
            if !info.attentive.contains(&v) {
                fails += 1;
            }
        }
    }

    // near-synonym inconsistency
    let mut diffs = Vec::new();
    for [a, b] in &bank.validity().inconsistency_pairs {
        let score = |id: &str| {
            let i = bank.item_index(id)?;
            item_score(bank.item_info(i)?, responses.answer(i)?)
        };
        if let (Some(x), Some(y)) = (score(a), score(b)) {
            diffs.push((x - y).abs());
        }
    }
    let inconsistency = (!diffs.is_empty()).then(|| diffs.iter().sum::<f64>() / diffs.len() as f64);

    // impression management
    let impression_management_t = scores.and_then(|r| {
        r.scales
            .iter()
            .filter(|s| s.kind == ScaleKind::ImpressionManagement)
            .filter_map(|s| s.normed.map(|n| n.point.t))
            .max()
    });

    let mut report = ValidityReport {
        respondent: responses.respondent.clone(),
        status: Status::Ok,
        reasons: Vec::new(),
        median_latency_ms,
        speed_flag,
        longstring,
        longstring_share,
        irv,
        infrequency_fails: fails,
        infrequency_answered: checks,
        inconsistency,
        inconsistency_pairs_answered: diffs.len(),
        impression_management_t,
        thresholds: th,
    };
    let findings = report.findings();
    report.status = findings.iter().map(Finding::status).max().unwrap_or(Status::Ok);
    report.reasons = findings.iter().map(Finding::describe).collect();
    report
}

/// One index outside its limit, with the numbers that put it there.
#[derive(Debug, Clone, PartialEq)]
pub enum Finding {
    /// Median seconds per item below the limit.
    Fast { median_s: f64, limit_s: f64 },
    /// The same answer `run` times in a row, `percent` of the rating items.
    SameAnswer { run: usize, percent: f64, status: Status },
    /// The person's answers vary less (SD) than the limit.
    LowVariability { sd: f64, limit: f64 },
    /// Attention checks answered in an unlikely way.
    AttentionChecks { fails: u32, status: Status },
    /// Near-synonym pairs differ by more than the limit on average.
    Inconsistent { difference: f64, limit: f64 },
    /// The impression-management T above the limit.
    ImpressionManagement { t: i32, limit: f64 },
}

impl Finding {
    /// How much it weighs: a caution, or answers not interpretable.
    pub fn status(&self) -> Status {
        match self {
            Finding::SameAnswer { status, .. } | Finding::AttentionChecks { status, .. } => *status,
            _ => Status::Caution,
        }
    }

    /// In plain English, as the report stores it (other languages: the app's texts).
    pub fn describe(&self) -> String {
        match self {
            Finding::Fast { median_s, limit_s } => format!("Answers were given very quickly (median {median_s:.1} s per item, below {limit_s:.1} s); they may not have been read carefully."),
            Finding::SameAnswer { run, percent, .. } => format!("The same answer was given {run} times in a row ({percent:.0}% of the rating items), which suggests the items were not answered one by one."),
            Finding::LowVariability { sd, limit } => format!("The answers vary very little (SD {sd:.2}, below {limit:.2})."),
            Finding::AttentionChecks { fails, status: Status::Invalid } => format!("{fails} attention-check items were answered in an unlikely way; the answers may not reflect careful reading."),
            Finding::AttentionChecks { fails, .. } => format!("{fails} attention-check item was answered in an unlikely way."),
            Finding::Inconsistent { difference, limit } => format!("Items with nearly the same meaning were answered differently (mean difference {difference:.2} points, above {limit:.2})."),
            Finding::ImpressionManagement { t, limit } => format!("The impression-management score is high (T = {t}, above {limit}); the profile may be more favourable than usual and should be interpreted with caution."),
        }
    }
}

impl ValidityReport {
    /// The indices outside their limits, in the report's order: the one
    /// rule from which `status` and `reasons` are made, and from which a
    /// stored report's reasons are told again in another language.
    pub fn findings(&self) -> Vec<Finding> {
        let th = &self.thresholds;
        let mut out = Vec::new();
        if let (true, Some(m)) = (self.speed_flag, self.median_latency_ms) {
            out.push(Finding::Fast { median_s: m / 1000.0, limit_s: th.min_median_seconds });
        }
        if let Some(share) = self.longstring_share {
            let status = if share >= th.longstring_invalid_share {
                Status::Invalid
            } else if share >= th.longstring_caution_share {
                Status::Caution
            } else {
                Status::Ok
            };
            if status != Status::Ok {
                out.push(Finding::SameAnswer { run: self.longstring, percent: share * 100.0, status });
            }
        }
        if let (Some(limit), Some(sd)) = (th.irv_caution_below, self.irv) {
            if sd < limit {
                out.push(Finding::LowVariability { sd, limit });
            }
        }
        let fails = self.infrequency_fails;
        if fails >= th.infrequency_invalid_fails.max(1) {
            out.push(Finding::AttentionChecks { fails, status: Status::Invalid });
        } else if fails >= th.infrequency_caution_fails.max(1) {
            out.push(Finding::AttentionChecks { fails, status: Status::Caution });
        }
        if let Some(difference) = self.inconsistency.filter(|d| *d > th.inconsistency_caution) {
            out.push(Finding::Inconsistent { difference, limit: th.inconsistency_caution });
        }
        if let Some(t) = self.impression_management_t.filter(|t| f64::from(*t) > th.impression_management_caution_t) {
            out.push(Finding::ImpressionManagement { t, limit: th.impression_management_caution_t });
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bank::tests::mini;
    use crate::responses::RawAnswer::{self, Option as O, Value as V};

    fn sheet(pairs: &[(&str, RawAnswer)], ms: Option<u32>) -> Responses {
        let b = mini();
        let mut r = Responses::from_pairs(&b, "p", pairs.iter().map(|(k, v)| (*k, v.clone())))
            .unwrap_or_else(|e| panic!("{e}"));
        if let Some(ms) = ms {
            for (k, _) in pairs {
                let _ = r.set_latency(&b, k, ms);
            }
        }
        r
    }

    fn careful() -> Vec<(&'static str, RawAnswer)> {
        vec![
            ("m1", V(4)), ("m2", V(2)), ("m3", V(4)), ("m4", V(1)),
            ("im1", V(3)), ("im2", V(2)), ("im3", V(4)),
            ("s1", O("a".into())), ("c1", V(1)), ("c2", V(5)),
        ]
    }

    #[test]
    fn careful_session_is_ok() {
        let v = assess(&mini(), &sheet(&careful(), Some(4000)), None);
        assert_eq!(v.status, Status::Ok, "{:?}", v.reasons);
        assert_eq!(v.median_latency_ms, Some(4000.0));
        assert_eq!(v.longstring, 1);
        assert_eq!(v.inconsistency, Some(0.0));
        assert!(v.reasons.is_empty());
    }

    #[test]
    fn fast_answers_raise_caution() {
        let v = assess(&mini(), &sheet(&careful(), Some(900)), None);
        assert!(v.speed_flag);
        assert_eq!(v.status, Status::Caution);
        assert!(v.reasons.iter().any(|r| r.contains("very quickly")));
    }

    #[test]
    fn a_stored_report_tells_its_findings_again_as_it_was_assessed() {
        let v = assess(&mini(), &sheet(&careful(), Some(900)), None);
        let stored: ValidityReport = serde_json::from_str(&serde_json::to_string(&v).expect("json")).expect("read back");
        let findings = stored.findings();
        assert_eq!(findings.len(), 1, "{findings:?}");
        assert!(matches!(findings[0], Finding::Fast { median_s, limit_s } if (median_s - 0.9).abs() < 1e-9 && limit_s == DEFAULT_MIN_MEDIAN_SECONDS));
        assert_eq!(findings.iter().map(Finding::describe).collect::<Vec<_>>(), v.reasons);
        assert_eq!(findings.iter().map(Finding::status).max(), Some(v.status));
    }

    #[test]
    fn infrequency_one_fail_caution_two_invalid() {
        let mut a = careful();
        a[8] = ("c1", V(5));
        let v = assess(&mini(), &sheet(&a, None), None);
        assert_eq!((v.infrequency_fails, v.status), (1, Status::Caution));
        a[9] = ("c2", V(1));
        let v = assess(&mini(), &sheet(&a, None), None);
        assert_eq!((v.infrequency_fails, v.status), (2, Status::Invalid));
    }

    #[test]
    fn long_string_share() {
        let same: Vec<(&str, RawAnswer)> =
            ["m1", "m2", "m3", "m4", "im1", "im2", "im3"].iter().map(|k| (*k, V(3))).collect();
        let v = assess(&mini(), &sheet(&same, None), None);
        assert_eq!(v.longstring, 7);
        assert_eq!(v.longstring_share, Some(1.0));
        assert_eq!(v.irv, Some(0.0));
        assert_eq!(v.status, Status::Invalid);
    }

    #[test]
    fn inconsistency_over_near_synonyms() {
        // pair m1/m3: 5 vs 1 -> |5 - 1| = 4 > 1.5
        let mut a = careful();
        a[0] = ("m1", V(5));
        a[2] = ("m3", V(1));
        let v = assess(&mini(), &sheet(&a, None), None);
        assert_eq!(v.inconsistency, Some(4.0));
        assert_eq!(v.status, Status::Caution);
    }

    #[test]
    fn high_impression_management_t_raises_caution_but_changes_no_score() {
        use crate::norms::{percentile_table, NormScale, NormTable};
        use crate::scoring::Scorer;
        let b = mini();
        let xs: Vec<f64> = (0..300).map(|i| 1.0 + f64::from(i % 9) / 3.0).collect();
        let table = NormTable {
            id: "t".into(),
            bank: b.id().into(),
            bank_version: b.version().into(),
            bank_hash: b.content_hash().into(),
            demonstration: false,
            group: Default::default(),
            country: "x".into(),
            role_family: "x".into(),
            collected_from: "2026-01-01".into(),
            collected_to: "2026-01-01".into(),
            population: None,
            sampling: None,
            content_hash: None,
            scales: vec![NormScale { scale: "im".into(), n: 300, mean: 2.3, sd: 0.8, reliability: 0.8, percentiles: percentile_table(&xs, 201) }],
            theta_scales: Vec::new(),
        };
        let scorer = Scorer::new(&b, Some(&table)).unwrap_or_else(|e| panic!("{e}"));
        let mut a = careful();
        a[4] = ("im1", V(5));
        a[5] = ("im2", V(5));
        a[6] = ("im3", V(5));
        let r = sheet(&a, None);
        let scores = scorer.score(&r);
        let before = scores.clone();
        let v = assess(&b, &r, Some(&scores));
        assert_eq!(v.impression_management_t, Some(73), "PR 99 -> z 2.326 -> T 73");
        assert_eq!(v.status, Status::Caution);
        assert!(v.reasons.iter().any(|r| r.contains("impression-management")));
        assert_eq!(scores, before);
        // an average IM score raises nothing
        let v = assess(&b, &sheet(&careful(), None), Some(&scorer.score(&sheet(&careful(), None))));
        assert_eq!(v.status, Status::Ok, "{:?}", v.reasons);
    }

    #[test]
    fn helpers() {
        assert_eq!(median(&mut [3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&mut [4.0, 1.0, 2.0, 3.0]), Some(2.5));
        assert_eq!(median(&mut []), None);
        assert_eq!(longest_run(&[1, 1, 2, 2, 2, 1]), 3);
        assert_eq!(longest_run::<i32>(&[]), 0);
        assert_eq!(person_sd(&[1.0, 3.0]), Some(1.0));
    }
}
