//! Norm tables and derived scores (PSYCHOMETRICS.md section 3).
//!
//! A norm table describes how a *norm group* scored on each scale of one
//! bank version: N, mean, SD, reliability, and a percentile table. From it a
//! raw score becomes a z score, a percentile rank, a normalised z, T, sten
//! and stanine, each with its 90% band.

use std::collections::{BTreeMap, HashSet};

use serde::{Deserialize, Serialize};
use statrs::distribution::{ContinuousCDF, Normal};

use crate::bank::{
    content_hash_of_value, find_header_line, find_key_line, is_valid_id, syntax_error, Bank, BankError, Issue, Text,
};
use crate::reliability::{complete_case_columns, cronbach_alpha, mean, sample_sd};
use crate::responses::Responses;
use crate::scoring::Scorer;

/// Shown wherever norms from simulated respondents are used.
pub const DEMONSTRATION_NOTICE: &str = "demonstration norms - not for decisions";

// ---------------------------------------------------------------------------
// File format
// ---------------------------------------------------------------------------

/// A norm-table file: everything under `[norm_table]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NormTableFile {
    pub norm_table: NormTable,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NormTable {
    pub id: String,
    pub bank: String,
    pub bank_version: String,
    pub bank_hash: String,
    /// Simulated respondents: "demonstration norms - not for decisions".
    pub demonstration: bool,
    pub group: Text,
    pub country: String,
    pub role_family: String,
    pub collected_from: String,
    pub collected_to: String,
    #[serde(default)]
    pub content_hash: Option<String>,
    #[serde(default)]
    pub scales: Vec<NormScale>,
}

/// The norms of one scale.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NormScale {
    pub scale: String,
    pub n: u64,
    pub mean: f64,
    pub sd: f64,
    pub reliability: f64,
    /// `(raw score, percentile rank)` points, raw strictly increasing, PR by
    /// the mid-point definition, non-decreasing.
    pub percentiles: Vec<[f64; 2]>,
}

impl NormTable {
    /// Parses a norm table and validates it against `bank`: every scale
    /// exists, bank id / version / hash match, the numbers are sensible, and
    /// the recorded content hash (if any) matches the content.
    pub fn parse(src: &str, file: &str, bank: &Bank) -> Result<NormTable, BankError> {
        let value: toml::Value = toml::from_str(src).map_err(|e| syntax_error(file, src, &e))?;
        let parsed: NormTableFile = toml::from_str(src).map_err(|e| syntax_error(file, src, &e))?;
        let table = parsed.norm_table;
        let mut issues = Vec::new();
        let mut at = |line: Option<usize>, item: Option<&str>, message: String| {
            issues.push(Issue {
                line,
                item: item.map(str::to_string),
                message,
            })
        };
        let key_line = |key: &str| {
            src.lines()
                .position(|l| l.trim_start().starts_with(key))
                .map(|p| p + 1)
                .or_else(|| find_header_line(src, "[norm_table]"))
        };
        if !is_valid_norm_id(&table.id) {
            at(key_line("id"), None, format!("norm table id `{}` must match [a-z0-9_.-]+", table.id));
        }
        if table.bank != bank.id() {
            at(key_line("bank"), None, format!("norm table is for bank `{}`, not `{}`", table.bank, bank.id()));
        }
        if table.bank_version != bank.version() {
            at(
                key_line("bank_version"),
                None,
                format!("norm table is for version {}, the bank is {}", table.bank_version, bank.version()),
            );
        }
        if table.bank_hash != bank.content_hash() {
            at(
                key_line("bank_hash"),
                None,
                format!(
                    "bank_hash {} does not match the bank's content hash {}",
                    table.bank_hash,
                    bank.content_hash()
                ),
            );
        }
        let computed = norm_table_hash(&value);
        if let Some(h) = &table.content_hash {
            if *h != computed {
                at(
                    key_line("content_hash"),
                    None,
                    format!("content_hash {h} does not match the content ({computed}); norm tables are immutable"),
                );
            }
        }
        for lang in &bank.file().instrument.languages {
            if !table.group.contains_key(lang) {
                at(key_line("group"), None, format!("group: missing translation for declared language `{lang}`"));
            }
        }
        let mut seen = HashSet::new();
        for ns in &table.scales {
            let line = find_key_line(src, "scale", &ns.scale, 1, 0);
            let item = Some(ns.scale.as_str());
            if bank.scale(&ns.scale).is_none() {
                at(line, item, format!("unknown scale: bank `{}` has no scale `{}`", bank.id(), ns.scale));
            }
            if !seen.insert(ns.scale.as_str()) {
                at(line, item, "scale appears twice".to_string());
            }
            if ns.n < 2 {
                at(line, item, format!("n = {} is too small for norms", ns.n));
            }
            if !(ns.sd.is_finite() && ns.sd > 0.0 && ns.mean.is_finite()) {
                at(line, item, "mean must be finite and sd positive".to_string());
            }
            if !(0.0..1.0).contains(&ns.reliability) {
                at(line, item, format!("reliability {} must lie in [0, 1)", ns.reliability));
            }
            if ns.percentiles.is_empty() {
                at(line, item, "percentile table is empty".to_string());
            }
            if ns.percentiles.iter().any(|[x, p]| !x.is_finite() || !(0.0..=100.0).contains(p)) {
                at(line, item, "percentile ranks must lie in 0..100".to_string());
            }
            if ns.percentiles.windows(2).any(|w| w[0][0] >= w[1][0] || w[0][1] > w[1][1]) {
                at(line, item, "percentile table must have increasing raw scores and non-decreasing ranks".to_string());
            }
        }
        if issues.is_empty() {
            Ok(table)
        } else {
            Err(BankError::Invalid {
                file: file.to_string(),
                issues,
            })
        }
    }

    /// Serialises the table to the TOML file format, with its content hash
    /// (computed over everything but `content_hash`).
    pub fn to_toml(&self) -> Result<String, NormsError> {
        let mut t = self.clone();
        t.content_hash = None;
        let value = toml::Value::try_from(NormTableFile { norm_table: t.clone() })
            .map_err(|e| NormsError::Serialize(e.to_string()))?;
        t.content_hash = Some(norm_table_hash(&value));
        toml::to_string(&NormTableFile { norm_table: t }).map_err(|e| NormsError::Serialize(e.to_string()))
    }

    /// Content hash of the table as it would be written.
    pub fn computed_hash(&self) -> Result<String, NormsError> {
        let mut t = self.clone();
        t.content_hash = None;
        let value = toml::Value::try_from(NormTableFile { norm_table: t })
            .map_err(|e| NormsError::Serialize(e.to_string()))?;
        Ok(norm_table_hash(&value))
    }

    /// Norms of a scale by id.
    pub fn scale(&self, id: &str) -> Option<&NormScale> {
        self.scales.iter().find(|s| s.scale == id)
    }

    /// Quality of the whole table: that of its smallest scale.
    pub fn quality(&self) -> NormQuality {
        norm_quality(self.scales.iter().map(|s| s.n).min().unwrap_or(0))
    }
}

/// Norm table ids: `[a-z0-9_.-]+` (dots allow a version in the id).
pub fn is_valid_norm_id(id: &str) -> bool {
    is_valid_id(&id.replace('.', "_"))
}

/// Canonical hash of a norm table value without `norm_table.content_hash`.
pub fn norm_table_hash(value: &toml::Value) -> String {
    content_hash_of_value(value, &[("norm_table", "content_hash")])
}

// ---------------------------------------------------------------------------
// Derived scores: one small function per formula
// ---------------------------------------------------------------------------

/// Norm quality labels after the EFPA review model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum NormQuality {
    /// N < 200: usable only as provisional norms.
    Inadequate,
    /// 200 <= N < 300
    Adequate,
    /// 300 <= N < 1000
    Good,
    /// N >= 1000
    Excellent,
}

/// N < 200 inadequate, 200-299 adequate, 300-999 good, >= 1000 excellent.
pub fn norm_quality(n: u64) -> NormQuality {
    match n {
        0..=199 => NormQuality::Inadequate,
        200..=299 => NormQuality::Adequate,
        300..=999 => NormQuality::Good,
        _ => NormQuality::Excellent,
    }
}

/// z = (x - mean) / SD
pub fn z_score(x: f64, mean: f64, sd: f64) -> f64 {
    (x - mean) / sd
}

/// Mid-point percentile rank: `PR = 100 * (count_below + 0.5 * count_equal) / N`.
pub fn midpoint_percentile_rank(below: usize, equal: usize, n: usize) -> f64 {
    if n == 0 {
        return f64::NAN;
    }
    100.0 * (below as f64 + 0.5 * equal as f64) / n as f64
}

/// Percentile rank of raw score `x` by linear interpolation in the table
/// `(raw, PR)`. Below the lowest tabled score PR = 0, above the highest
/// PR = 100 (no one in the norm group scored there).
pub fn interpolate_percentile(table: &[[f64; 2]], x: f64) -> f64 {
    let (Some(first), Some(last)) = (table.first(), table.last()) else {
        return f64::NAN;
    };
    if x.is_nan() {
        return f64::NAN;
    }
    if x < first[0] {
        return 0.0;
    }
    if x > last[0] {
        return 100.0;
    }
    // first index with raw >= x
    let i = table.partition_point(|p| p[0] < x);
    match (i.checked_sub(1).and_then(|j| table.get(j)), table.get(i)) {
        (_, Some(hi)) if hi[0] == x => hi[1],
        (Some(lo), Some(hi)) => lo[1] + (hi[1] - lo[1]) * (x - lo[0]) / (hi[0] - lo[0]),
        (None, Some(hi)) => hi[1],
        (_, None) => last[1],
    }
}

/// Percentile rank as reported: clamped to 1..99.
pub fn reported_percentile(pr: f64) -> f64 {
    // PR reported within 1..99
    pr.clamp(1.0, 99.0)
}

/// Standard normal quantile `Phi^-1(p)`, defined for p in (0, 1).
pub fn inverse_normal(p: f64) -> f64 {
    if !(p > 0.0 && p < 1.0) {
        return if p <= 0.0 { f64::NEG_INFINITY } else if p >= 1.0 { f64::INFINITY } else { f64::NAN };
    }
    Normal::standard().inverse_cdf(p)
}

/// Normalised z: `z_n = Phi^-1(PR / 100)` with PR already within 1..99.
pub fn normalised_z(pr_reported: f64) -> f64 {
    inverse_normal(pr_reported / 100.0)
}

/// T = 50 + 10 z_n, rounded.
pub fn t_score(z_n: f64) -> i32 {
    (50.0 + 10.0 * z_n).round() as i32
}

/// sten = clamp(round(5.5 + 2 z_n), 1, 10)
pub fn sten(z_n: f64) -> u8 {
    (5.5 + 2.0 * z_n).round().clamp(1.0, 10.0) as u8
}

/// stanine = clamp(round(5 + 2 z_n), 1, 9)
pub fn stanine(z_n: f64) -> u8 {
    (5.0 + 2.0 * z_n).round().clamp(1.0, 9.0) as u8
}

/// Standard error of measurement: SEM = SD * sqrt(1 - r).
pub fn sem(sd: f64, reliability: f64) -> f64 {
    sd * (1.0 - reliability).max(0.0).sqrt()
}

/// z for a two-sided 90% band.
pub const Z_90: f64 = 1.645;

/// 90% band around an observed raw score: x +/- 1.645 SEM.
pub fn band_90(x: f64, sem: f64) -> (f64, f64) {
    (x - Z_90 * sem, x + Z_90 * sem)
}

/// Interpretation band of a T score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BandLabel {
    /// T < 40 (about the lowest 16%)
    Low,
    /// 40 <= T <= 60
    Average,
    /// T > 60 (about the highest 16%)
    High,
}

/// Lowest T of the average range (below it: low).
pub const T_AVERAGE_FROM: i32 = 40;
/// Highest T of the average range (above it: high).
pub const T_AVERAGE_TO: i32 = 60;

/// T < 40 low, 40-60 average, T > 60 high: the one place this rule lives
/// (reports, charts and exports all read it from here).
pub fn band_label(t: i32) -> BandLabel {
    if t < T_AVERAGE_FROM {
        BandLabel::Low
    } else if t > T_AVERAGE_TO {
        BandLabel::High
    } else {
        BandLabel::Average
    }
}

/// All normed scores of one raw score.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Converted {
    pub z: f64,
    /// Percentile rank, reported within 1..99.
    pub percentile: f64,
    pub z_normalised: f64,
    pub t: i32,
    pub sten: u8,
    pub stanine: u8,
}

/// Raw score -> z, PR (1..99), z_n, T, sten, stanine under `norms`.
pub fn convert(x: f64, norms: &NormScale) -> Converted {
    let pr = reported_percentile(interpolate_percentile(&norms.percentiles, x));
    let z_n = normalised_z(pr);
    Converted {
        z: z_score(x, norms.mean, norms.sd),
        percentile: pr,
        z_normalised: z_n,
        t: t_score(z_n),
        sten: sten(z_n),
        stanine: stanine(z_n),
    }
}

// ---------------------------------------------------------------------------
// Building norms
// ---------------------------------------------------------------------------

/// Problems when building or writing a norm table.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum NormsError {
    #[error("scale `{scale}`: only {n} scorable session(s); at least 2 with varying scores are needed")]
    TooFewScores { scale: String, n: usize },
    #[error("scale `{scale}`: everyone has the same score ({value}); no norms can be made")]
    NoVariance { scale: String, value: f64 },
    #[error("norm table id `{0}` must match [a-z0-9_.-]+")]
    BadId(String),
    #[error("could not serialise the norm table: {0}")]
    Serialize(String),
}

/// Description of the norm group, supplied by whoever builds the table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NormMeta {
    pub id: String,
    pub demonstration: bool,
    pub group: Text,
    pub country: String,
    pub role_family: String,
    pub collected_from: String,
    pub collected_to: String,
}

/// Most table points kept per scale; more distinct scores are thinned to
/// evenly spaced ones (always keeping the lowest and highest).
pub const MAX_TABLE_POINTS: usize = 201;

/// Percentile table of a sample: every distinct score with its mid-point PR,
/// thinned to at most `max_points`.
pub fn percentile_table(scores: &[f64], max_points: usize) -> Vec<[f64; 2]> {
    let mut sorted: Vec<f64> = scores.iter().copied().filter(|x| x.is_finite()).collect();
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len();
    let mut table = Vec::new();
    let mut i = 0;
    while i < n {
        let v = sorted.get(i).copied().unwrap_or(f64::NAN);
        let equal = sorted.get(i..).map_or(0, |rest| rest.iter().take_while(|x| **x == v).count());
        table.push([v, midpoint_percentile_rank(i, equal, n)]);
        i += equal.max(1);
    }
    thin(table, max_points.max(2))
}

fn thin(table: Vec<[f64; 2]>, max_points: usize) -> Vec<[f64; 2]> {
    let len = table.len();
    if len <= max_points {
        return table;
    }
    let mut keep = Vec::with_capacity(max_points);
    let mut last = usize::MAX;
    for j in 0..max_points {
        let idx = ((j as f64) * ((len - 1) as f64) / ((max_points - 1) as f64)).round() as usize;
        if idx != last {
            if let Some(p) = table.get(idx) {
                keep.push(*p);
            }
            last = idx;
        }
    }
    keep
}

/// Builds a norm table from answer sheets of a norm group: per scale the
/// scorable raw scores give N, mean, SD and the percentile table; alpha on
/// the same data (complete cases) gives the reliability used for the SEM
/// (negative alpha is stored as 0).
pub fn build_norm_table(bank: &Bank, sessions: &[Responses], meta: &NormMeta) -> Result<NormTable, NormsError> {
    if !is_valid_norm_id(&meta.id) {
        return Err(NormsError::BadId(meta.id.clone()));
    }
    let scorer = Scorer::raw_only(bank);
    let mut raw: Vec<Vec<f64>> = vec![Vec::with_capacity(sessions.len()); bank.scales().len()];
    for s in sessions {
        for (i, r) in scorer.raw_scores(s).iter().enumerate() {
            if let (Some(x), Some(col)) = (r.raw, raw.get_mut(i)) {
                col.push(x);
            }
        }
    }
    let mut scales = Vec::with_capacity(bank.scales().len());
    for (i, def) in bank.scales().iter().enumerate() {
        let xs = raw.get(i).map_or(&[][..], Vec::as_slice);
        let (Some(m), Some(sd)) = (mean(xs), sample_sd(xs)) else {
            return Err(NormsError::TooFewScores {
                scale: def.id.clone(),
                n: xs.len(),
            });
        };
        if sd <= 0.0 {
            return Err(NormsError::NoVariance {
                scale: def.id.clone(),
                value: m,
            });
        }
        let cols = complete_case_columns(bank, i, sessions);
        let alpha = cronbach_alpha(&cols).unwrap_or(0.0).clamp(0.0, 0.999_999);
        scales.push(NormScale {
            scale: def.id.clone(),
            n: xs.len() as u64,
            mean: m,
            sd,
            reliability: alpha,
            percentiles: percentile_table(xs, MAX_TABLE_POINTS),
        });
    }
    let mut table = NormTable {
        id: meta.id.clone(),
        bank: bank.id().to_string(),
        bank_version: bank.version().to_string(),
        bank_hash: bank.content_hash().to_string(),
        demonstration: meta.demonstration,
        group: meta.group.clone(),
        country: meta.country.clone(),
        role_family: meta.role_family.clone(),
        collected_from: meta.collected_from.clone(),
        collected_to: meta.collected_to.clone(),
        content_hash: None,
        scales,
    };
    table.content_hash = Some(table.computed_hash()?);
    Ok(table)
}

/// Quality label per scale, for reports.
pub fn quality_by_scale(table: &NormTable) -> BTreeMap<String, NormQuality> {
    table.scales.iter().map(|s| (s.scale.clone(), norm_quality(s.n))).collect()
}

#[cfg(test)]
mod tests {
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
            content_hash: None,
            scales: vec![norm_scale()],
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
}
