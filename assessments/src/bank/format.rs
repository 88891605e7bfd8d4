//! The bank file's format (`docs/bank-format.md`) as serde types: the
//! instrument, response scales, scales with their interpretations, items
//! (Likert, scenario, check), IRT parameters, CAT and validity settings.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// A text in every language the bank declares: `{ en = "...", de = "..." }`.
pub type Text = BTreeMap<String, String>;

/// One bank file, exactly as in `docs/bank-format.md`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BankFile {
    pub instrument: Instrument,
    #[serde(default)]
    pub response_scales: Vec<ResponseScale>,
    #[serde(default)]
    pub scales: Vec<ScaleDef>,
    #[serde(default)]
    pub items: Vec<ItemDef>,
    #[serde(default)]
    pub validity: ValiditySettings,
    /// Adaptive-testing settings (`[cat]`, optional; see [`CatSettings`]).
    #[serde(default)]
    pub cat: Option<CatSettings>,
}

/// Settings of the adaptive test for this bank (`[cat]`). Every field is
/// optional; missing ones take the engine defaults of
/// `docs/psychometrics.md` section 6 (SE target 0.30, 3 to 20 items per
/// scale, always the most informative item).
impl BankFile {
    /// The content of a bank text without checking the format's rules
    /// (a draft that breaks one can still be listed and previewed).
    pub fn read_unchecked(src: &str) -> Result<BankFile, String> {
        toml::from_str(src).map_err(|e| e.message().to_string())
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CatSettings {
    /// Stop a scale once the standard error of theta is at or below this
    /// (0 < se_target < 1; 0.30 corresponds to a reliability of about .91).
    #[serde(default)]
    pub se_target: Option<f64>,
    /// Never stop a scale before this many items (at least 1).
    #[serde(default)]
    pub min_items: Option<u32>,
    /// Always stop a scale at this many items (at least `min_items`).
    #[serde(default)]
    pub max_items: Option<u32>,
    /// Randomesque exposure control: choose at random among the `k` most
    /// informative items (1 = always the best; at most 10).
    #[serde(default)]
    pub randomesque: Option<u32>,
}

/// Largest `randomesque` value a bank may ask for.
pub const MAX_RANDOMESQUE: u32 = 10;

/// Publication status of a bank version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Draft,
    Published,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Instrument {
    pub id: String,
    pub version: String,
    pub status: Status,
    #[serde(default)]
    pub content_hash: Option<String>,
    pub languages: Vec<String>,
    pub title: Text,
    #[serde(default)]
    pub instructions: Option<Text>,
    #[serde(default)]
    pub calibration: Option<Calibration>,
    /// What reports the instrument is meant for (hiring when not said).
    #[serde(default = "IntendedUse::default_list")]
    pub intended_use: Vec<IntendedUse>,
}

/// What an instrument's results may be used for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IntendedUse {
    /// Reports about one candidate, read by recruiters.
    Hiring,
    /// Results for groups of at least five people only, never per person.
    Workforce,
    /// A person's own report, for themselves.
    SelfKnowledge,
}

impl IntendedUse {
    fn default_list() -> Vec<IntendedUse> {
        vec![IntendedUse::Hiring]
    }

    /// Whether results of this use are read about one person.
    pub fn reports_individuals(self) -> bool {
        !matches!(self, IntendedUse::Workforce)
    }
}

/// Where IRT parameters come from (`kind = "demonstration"` for simulated data).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Calibration {
    pub kind: String,
    #[serde(default)]
    pub note: Option<String>,
}

/// A Likert answer format: integer answers `min..=max` with labels.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResponseScale {
    pub id: String,
    pub min: i32,
    pub max: i32,
    #[serde(default)]
    pub labels: BTreeMap<String, Vec<String>>,
}

impl ResponseScale {
    /// Number of answer categories: `max - min + 1`.
    pub fn categories(&self) -> i64 {
        i64::from(self.max) - i64::from(self.min) + 1
    }
}

/// What a scale measures and how it is used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ScaleKind {
    Trait,
    ImpressionManagement,
    Judgement,
    Pulse,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScaleDef {
    pub id: String,
    pub kind: ScaleKind,
    pub name: Text,
    #[serde(default)]
    pub description: Option<Text>,
    #[serde(default)]
    pub facets: Vec<String>,
    #[serde(default)]
    pub interpretation: Option<Interpretation>,
}

/// Texts shown for the low / average / high band of a scale.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Interpretation {
    pub low: Text,
    pub average: Text,
    pub high: Text,
    #[serde(default)]
    pub interview_prompts: BTreeMap<String, Vec<String>>,
}

/// Item types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ItemType {
    Likert,
    Sjt,
    Check,
}

/// GRM parameters: discrimination `a > 0`, increasing thresholds `b`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Grm {
    pub a: f64,
    pub b: Vec<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ItemDef {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: ItemType,
    #[serde(default)]
    pub scale: Option<String>,
    #[serde(default)]
    pub response_scale: Option<String>,
    #[serde(default)]
    pub reverse: Option<bool>,
    #[serde(default)]
    pub facet: Option<String>,
    pub text: Text,
    #[serde(default)]
    pub grm: Option<Grm>,
    /// Sympson-Hetter exposure parameter for adaptive testing: the
    /// probability that the item is actually given when the engine selects
    /// it (0 < exposure <= 1; missing = 1, no exposure control).
    #[serde(default)]
    pub exposure: Option<f64>,
    #[serde(default)]
    pub attentive: Option<Vec<i32>>,
    #[serde(default)]
    pub options: Vec<SjtOption>,
}

/// One option of a situational-judgement item; `key` is the expert
/// effectiveness score, 0 (worst) upwards.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SjtOption {
    pub id: String,
    #[serde(default)]
    pub key: Option<i32>,
    pub text: Text,
}

/// Response-validity thresholds (`[validity]`); every field optional, with the
/// defaults of PSYCHOMETRICS.md section 7.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ValiditySettings {
    #[serde(default)]
    pub min_median_seconds: Option<f64>,
    #[serde(default)]
    pub longstring_caution_share: Option<f64>,
    #[serde(default)]
    pub longstring_invalid_share: Option<f64>,
    #[serde(default)]
    pub infrequency_caution_fails: Option<u32>,
    #[serde(default)]
    pub infrequency_invalid_fails: Option<u32>,
    #[serde(default)]
    pub inconsistency_pairs: Vec<[String; 2]>,
    #[serde(default)]
    pub inconsistency_caution: Option<f64>,
    #[serde(default)]
    pub impression_management_caution_t: Option<f64>,
    /// Optional addition: flag a session whose answers vary less than this
    /// (SD across the person's Likert answers). No default: reported only.
    #[serde(default)]
    pub irv_caution_below: Option<f64>,
}
