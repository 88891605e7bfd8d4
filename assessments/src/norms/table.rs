//! The norm table file: its format, parsing and validation against a bank
//! version, its content hash, writing it back, its quality label by N, and
//! the conversion of a raw score through one of its scales.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use crate::bank::{content_hash_of_value, find_header_line, find_key_line, is_valid_id, syntax_error, Bank, BankError, Issue, Text};
use super::derived::{interpolate_percentile, normalised_z, reported_percentile, stanine, sten, t_score, z_score};

/// Shown wherever norms from simulated respondents are used.
pub const DEMONSTRATION_NOTICE: &str = "demonstration norms - not for decisions";

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
    /// Who the group are (tables built in the browser say so; optional in files).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub population: Option<String>,
    /// How the sessions were chosen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sampling: Option<String>,
    #[serde(default)]
    pub content_hash: Option<String>,
    #[serde(default)]
    pub scales: Vec<NormScale>,
    /// Norms of IRT scores: per calibrated scale the N, mean, SD and
    /// percentile table of EAP theta estimates in the same norm group
    /// (`reliability` is the empirical reliability of those estimates).
    /// Converted by the same formulas as raw scores, with theta as the score.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub theta_scales: Vec<NormScale>,
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
        for (list, header, theta) in [(&table.scales, "scales", false), (&table.theta_scales, "theta_scales", true)] {
            let mut seen = HashSet::new();
            for ns in list {
                let line = find_key_line(src, "scale", &ns.scale, 1, 0);
                for message in scale_problems(bank, ns, theta, seen.insert(ns.scale.as_str())) {
                    at(line, Some(ns.scale.as_str()), format!("{header}: {message}"));
                }
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

    /// Norms of a scale's raw scores by id.
    pub fn scale(&self, id: &str) -> Option<&NormScale> {
        self.scales.iter().find(|s| s.scale == id)
    }

    /// Norms of a scale's theta estimates by id.
    pub fn theta_scale(&self, id: &str) -> Option<&NormScale> {
        self.theta_scales.iter().find(|s| s.scale == id)
    }

    /// Quality of the whole table: that of its smallest scale.
    pub fn quality(&self) -> NormQuality {
        norm_quality(self.scales.iter().map(|s| s.n).min().unwrap_or(0))
    }
}

/// What is wrong with the norms of one scale (raw or, with `theta`, of
/// theta estimates, which need a calibrated scale); `first` is false when
/// the scale was already listed.
fn scale_problems(bank: &Bank, ns: &NormScale, theta: bool, first: bool) -> Vec<String> {
    let mut problems = Vec::new();
    match bank.scale_index(&ns.scale) {
        None => problems.push(format!("unknown scale: bank `{}` has no scale `{}`", bank.id(), ns.scale)),
        Some(index) if theta && !matches!(crate::adaptive::scale_irt(bank, index), Ok(s) if s.grm.is_some()) => {
            problems.push(format!("scale `{}` has no IRT parameters, so it has no theta scores to norm", ns.scale));
        }
        Some(_) => {}
    }
    if !first {
        problems.push("scale appears twice".to_string());
    }
    if ns.n < 2 {
        problems.push(format!("n = {} is too small for norms", ns.n));
    }
    if !(ns.sd.is_finite() && ns.sd > 0.0 && ns.mean.is_finite()) {
        problems.push("mean must be finite and sd positive".to_string());
    }
    if !(0.0..1.0).contains(&ns.reliability) {
        problems.push(format!("reliability {} must lie in [0, 1)", ns.reliability));
    }
    if ns.percentiles.is_empty() {
        problems.push("percentile table is empty".to_string());
    }
    if ns.percentiles.iter().any(|[x, p]| !x.is_finite() || !(0.0..=100.0).contains(p)) {
        problems.push("percentile ranks must lie in 0..100".to_string());
    }
    if ns.percentiles.windows(2).any(|w| w[0][0] >= w[1][0] || w[0][1] > w[1][1]) {
        problems.push("percentile table must have increasing scores and non-decreasing ranks".to_string());
    }
    problems
}

/// Norm table ids: `[a-z0-9_.-]+` (dots allow a version in the id).
pub fn is_valid_norm_id(id: &str) -> bool {
    is_valid_id(&id.replace('.', "_"))
}

/// Canonical hash of a norm table value without `norm_table.content_hash`.
pub fn norm_table_hash(value: &toml::Value) -> String {
    content_hash_of_value(value, &[("norm_table", "content_hash")])
}

/// Problems when building or writing a norm table.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum NormsError {
    #[error("scale `{scale}`: only {n} scorable session(s); at least 2 with varying scores are needed")]
    TooFewScores { scale: String, n: usize },
    #[error("scale `{scale}`: everyone has the same score ({value}); no norms can be made")]
    NoVariance { scale: String, value: f64 },
    #[error("norm table id `{0}` must match [a-z0-9_.-]+")]
    BadId(String),
    #[error("the IRT parameters cannot score the sessions: {0}")]
    Irt(String),
    #[error("could not serialise the norm table: {0}")]
    Serialize(String),
}

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
