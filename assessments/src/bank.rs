//! Item banks: the TOML file format of `docs/bank-format.md`, its validation,
//! and the canonical content hash that makes a published bank immutable.
//!
//! A bank file is read in three steps:
//! 1. [`BankFile`] is deserialised from the TOML text (syntax and type errors
//!    name the file and line);
//! 2. [`validate`] checks the rules a psychologist relies on (every item
//!    belongs to a declared scale, keys and thresholds make sense, every text
//!    exists in every declared language, ...) and names file, line and item;
//! 3. [`Bank`] indexes the validated content for fast scoring.
//!
//! Norm-table files (see [`crate::norms`]) are part of this layer and report
//! their problems with the same [`BankError`].

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// A text in every language the bank declares: `{ en = "...", de = "..." }`.
pub type Text = BTreeMap<String, String>;

// ---------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------

/// One problem found in a bank or norm-table file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Issue {
    /// 1-based line in the file, when it can be located.
    pub line: Option<usize>,
    /// The item (or scale / option) the problem concerns, if any.
    pub item: Option<String>,
    /// What is wrong, in plain words.
    pub message: String,
}

impl fmt::Display for Issue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, &self.item) {
            (Some(l), Some(i)) => write!(f, "line {l}: `{i}`: {}", self.message),
            (Some(l), None) => write!(f, "line {l}: {}", self.message),
            (None, Some(i)) => write!(f, "`{i}`: {}", self.message),
            (None, None) => write!(f, "{}", self.message),
        }
    }
}

/// Everything that can be wrong with a bank or norm-table file.
#[derive(Debug, thiserror::Error)]
pub enum BankError {
    /// The file is not valid TOML, or a field has the wrong type / is missing.
    #[error("{file}:{}: {message}", line.map_or_else(|| "?".to_string(), |l| l.to_string()))]
    Syntax {
        file: String,
        line: Option<usize>,
        message: String,
    },
    /// The file parses but breaks one or more rules of the format.
    #[error("{file}: {} problem(s):{}", issues.len(), list_issues(file, issues))]
    Invalid { file: String, issues: Vec<Issue> },
}

impl BankError {
    /// The individual problems (one for a syntax error).
    pub fn issues(&self) -> Vec<Issue> {
        match self {
            BankError::Syntax { line, message, .. } => vec![Issue {
                line: *line,
                item: None,
                message: message.clone(),
            }],
            BankError::Invalid { issues, .. } => issues.clone(),
        }
    }
}

fn list_issues(file: &str, issues: &[Issue]) -> String {
    let mut s = String::new();
    for i in issues {
        s.push_str("\n  ");
        s.push_str(file);
        if let Some(l) = i.line {
            s.push_str(&format!(":{l}"));
        }
        s.push_str(": ");
        if let Some(id) = &i.item {
            s.push_str(&format!("`{id}`: "));
        }
        s.push_str(&i.message);
    }
    s
}

/// 1-based line number of a byte offset in `src`.
pub(crate) fn line_of_offset(src: &str, offset: usize) -> usize {
    let end = offset.min(src.len());
    src.as_bytes()[..end].iter().filter(|b| **b == b'\n').count() + 1
}

/// Turn a toml deserialisation error into [`BankError::Syntax`] with a line.
pub(crate) fn syntax_error(file: &str, src: &str, e: &toml::de::Error) -> BankError {
    BankError::Syntax {
        file: file.to_string(),
        line: e.span().map(|s| line_of_offset(src, s.start)),
        message: e.message().trim().to_string(),
    }
}

/// Finds the 1-based line of the `occurrence`-th (0-based) `key = "value"`
/// at or after line `from_line`. Keys are matched as whole words, so
/// `id = "x"` does not match `bank_id = "x"`. Used to point messages at the
/// item a problem concerns.
pub(crate) fn find_key_line(
    src: &str,
    key: &str,
    value: &str,
    from_line: usize,
    occurrence: usize,
) -> Option<usize> {
    let mut seen = 0;
    for (idx, line) in src.lines().enumerate() {
        let lineno = idx + 1;
        if lineno < from_line {
            continue;
        }
        if line_has_key_value(line, key, value) {
            if seen == occurrence {
                return Some(lineno);
            }
            seen += 1;
        }
    }
    None
}

fn line_has_key_value(line: &str, key: &str, value: &str) -> bool {
    if key.is_empty() {
        return false;
    }
    let bytes = line.as_bytes();
    let mut start = 0;
    while let Some(pos) = line.get(start..).and_then(|s| s.find(key)) {
        let at = start + pos;
        start = at + key.len();
        let before_ok = at == 0
            || matches!(bytes.get(at - 1), Some(b' ' | b'\t' | b'{' | b','));
        if !before_ok {
            continue;
        }
        let rest = line.get(start..).unwrap_or("").trim_start();
        let Some(rest) = rest.strip_prefix('=') else {
            continue;
        };
        let rest = rest.trim_start();
        let Some(rest) = rest.strip_prefix('"') else {
            continue;
        };
        if let Some(v) = rest.strip_prefix(value) {
            if v.starts_with('"') {
                return true;
            }
        }
    }
    false
}

/// 1-based line of a table header such as `[validity]`.
pub(crate) fn find_header_line(src: &str, header: &str) -> Option<usize> {
    src.lines()
        .position(|l| l.trim_start().starts_with(header))
        .map(|p| p + 1)
}

// ---------------------------------------------------------------------------
// File format (serde types)
// ---------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------
// Canonical content hash
// ---------------------------------------------------------------------------

/// Writes a TOML value in a canonical text form: tables with keys sorted,
/// no whitespace, strings JSON-escaped, integers and floats distinguished
/// (`1` vs `1.0`). Two files with the same content in a different key order
/// give the same text.
pub fn canonical_text(value: &toml::Value) -> String {
    let mut out = String::new();
    write_canonical(value, &mut out);
    out
}

fn write_canonical(value: &toml::Value, out: &mut String) {
    use toml::Value as V;
    match value {
        V::String(s) => write_json_string(s, out),
        V::Integer(i) => out.push_str(&i.to_string()),
        V::Float(f) => {
            if f.is_nan() {
                out.push_str("nan");
            } else if f.is_infinite() {
                out.push_str(if *f > 0.0 { "inf" } else { "-inf" });
            } else {
                // Debug keeps the decimal point ("1.0") and is the shortest
                // representation that reads back to the same f64.
                out.push_str(&format!("{f:?}"));
            }
        }
        V::Boolean(b) => out.push_str(if *b { "true" } else { "false" }),
        V::Datetime(d) => {
            out.push_str("datetime:");
            write_json_string(&d.to_string(), out);
        }
        V::Array(a) => {
            out.push('[');
            for (i, v) in a.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(v, out);
            }
            out.push(']');
        }
        V::Table(t) => {
            let mut keys: Vec<&String> = t.keys().collect();
            keys.sort();
            out.push('{');
            for (i, k) in keys.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_json_string(k, out);
                out.push(':');
                if let Some(v) = t.get(k.as_str()) {
                    write_canonical(v, out);
                }
            }
            out.push('}');
        }
    }
}

fn write_json_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// `"sha256:" + hex(SHA-256(canonical_text))` of `value` after removing the
/// keys `table.key` listed in `drop` (e.g. `instrument.content_hash`).
pub fn content_hash_of_value(value: &toml::Value, drop: &[(&str, &str)]) -> String {
    let mut v = value.clone();
    if let toml::Value::Table(root) = &mut v {
        for (table, key) in drop {
            if let Some(toml::Value::Table(t)) = root.get_mut(*table) {
                t.remove(*key);
            }
        }
    }
    let digest = Sha256::digest(canonical_text(&v).as_bytes());
    format!("sha256:{}", hex::encode(digest))
}

/// What a bank's content hash leaves out: the hash itself, and the two
/// publication decisions about the content (its status and its intended use).
pub const NOT_HASHED: &[(&str, &str)] = &[("instrument", "content_hash"), ("instrument", "status"), ("instrument", "intended_use")];

/// The canonical content hash of a bank file: parse, drop [`NOT_HASHED`],
/// serialise canonically, hash. Publishing a draft, or declaring what it is
/// meant for, therefore does not change its hash.
pub fn bank_content_hash(src: &str, file: &str) -> Result<String, BankError> {
    let value: toml::Value = toml::from_str(src).map_err(|e| syntax_error(file, src, &e))?;
    Ok(content_hash_of_value(&value, NOT_HASHED))
}

fn is_valid_hash_format(h: &str) -> bool {
    h.strip_prefix("sha256:")
        .is_some_and(|x| x.len() == 64 && x.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// `[a-z0-9_-]+`
pub(crate) fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-')
}

/// `MAJOR.MINOR.PATCH` with decimal numbers (pre-release tags allowed after `-`).
pub(crate) fn is_semver(v: &str) -> bool {
    let core = v.split(['-', '+']).next().unwrap_or("");
    let parts: Vec<&str> = core.split('.').collect();
    parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
}

// ---------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------

struct Issues<'a> {
    src: &'a str,
    list: Vec<Issue>,
}

impl Issues<'_> {
    fn at(&mut self, line: Option<usize>, item: Option<&str>, message: impl Into<String>) {
        self.list.push(Issue {
            line,
            item: item.map(str::to_string),
            message: message.into(),
        });
    }
    fn instrument(&mut self, key: &str, message: impl Into<String>) {
        let line = find_header_line(self.src, "[instrument]").and_then(|h| {
            self.src
                .lines()
                .enumerate()
                .skip(h)
                .find(|(_, l)| l.trim_start().starts_with(key))
                .map(|(i, _)| i + 1)
                .or(Some(h))
        });
        self.at(line, None, message);
    }
}

fn check_text(issues: &mut Issues, langs: &[String], text: &Text, what: &str, line: Option<usize>, id: Option<&str>) {
    for lang in langs {
        match text.get(lang) {
            None => issues.at(line, id, format!("{what}: missing translation for declared language `{lang}`")),
            Some(t) if t.trim().is_empty() => {
                issues.at(line, id, format!("{what}: empty text for language `{lang}`"))
            }
            Some(_) => {}
        }
    }
    for lang in text.keys() {
        if !langs.contains(lang) {
            issues.at(line, id, format!("{what}: language `{lang}` is not declared in instrument.languages"));
        }
    }
}

fn check_text_lists(
    issues: &mut Issues,
    langs: &[String],
    lists: &BTreeMap<String, Vec<String>>,
    what: &str,
    line: Option<usize>,
    id: Option<&str>,
    expected_len: Option<usize>,
) {
    for lang in langs {
        match lists.get(lang) {
            None => issues.at(line, id, format!("{what}: missing translation for declared language `{lang}`")),
            Some(l) => {
                if let Some(n) = expected_len {
                    if l.len() != n {
                        issues.at(line, id, format!("{what} (`{lang}`): {} labels, expected {n}", l.len()));
                    }
                }
            }
        }
    }
}

/// Number of GRM categories an item has: `max - min + 1` for Likert,
/// the number of distinct key levels for SJT.
fn grm_categories(item: &ItemDef, rs: Option<&ResponseScale>) -> Option<usize> {
    match item.kind {
        ItemType::Likert | ItemType::Check => rs.map(|r| r.categories().max(0) as usize),
        ItemType::Sjt => {
            let levels: BTreeSet<i32> = item.options.iter().filter_map(|o| o.key).collect();
            Some(levels.len())
        }
    }
}

/// Checks GRM parameters: `a > 0` and finite, `categories - 1` strictly
/// increasing finite thresholds. Returns a message per problem.
pub fn grm_problems(grm: &Grm, categories: usize) -> Vec<String> {
    let mut out = Vec::new();
    if !(grm.a.is_finite() && grm.a > 0.0) {
        out.push(format!("GRM discrimination a = {} must be a positive number", grm.a));
    }
    let expected = categories.saturating_sub(1);
    if grm.b.len() != expected {
        out.push(format!(
            "GRM has {} thresholds, expected {expected} (categories - 1)",
            grm.b.len()
        ));
    }
    if grm.b.iter().any(|b| !b.is_finite()) {
        out.push("GRM thresholds must be finite numbers".to_string());
    }
    if grm.b.windows(2).any(|w| w[0] >= w[1]) {
        out.push(format!("GRM thresholds {:?} are not strictly increasing", grm.b));
    }
    out
}

/// The intended use: at least one, none twice; a bank with pulse scales
/// (whose respondents are promised group results only) is for the
/// workforce and nothing else.
fn check_intended_use(is: &mut Issues<'_>, file: &BankFile) {
    let uses = &file.instrument.intended_use;
    if uses.is_empty() {
        is.instrument("intended_use", "instrument.intended_use must name at least one use (hiring, workforce, self_knowledge)");
    }
    if uses.iter().enumerate().any(|(i, u)| uses[..i].contains(u)) {
        is.instrument("intended_use", "instrument.intended_use names a use twice");
    }
    let has_pulse = file.scales.iter().any(|s| s.kind == ScaleKind::Pulse);
    if has_pulse && uses.as_slice() != [IntendedUse::Workforce] {
        is.instrument(
            "intended_use",
            "a bank with pulse scales reports only for groups: its intended_use must be [\"workforce\"] alone",
        );
    }
}

/// Validates a parsed bank against the rules of `docs/bank-format.md`.
/// `src` is the file text (to locate lines); `value` its TOML value (for the
/// content hash). Returns every problem found, not just the first.
pub fn validate(file: &BankFile, src: &str, value: &toml::Value) -> Vec<Issue> {
    let mut is = Issues { src, list: Vec::new() };
    let inst = &file.instrument;
    let langs = &inst.languages;

    // --- instrument
    if !is_valid_id(&inst.id) {
        is.instrument("id", format!("instrument id `{}` must match [a-z0-9_-]+", inst.id));
    }
    if !is_semver(&inst.version) {
        is.instrument("version", format!("version `{}` is not semver (MAJOR.MINOR.PATCH)", inst.version));
    }
    if langs.is_empty() {
        is.instrument("languages", "instrument.languages must name at least one language");
    }
    let mut seen_langs = BTreeSet::new();
    for l in langs {
        if !seen_langs.insert(l) {
            is.instrument("languages", format!("language `{l}` declared twice"));
        }
    }
    let title_line = find_header_line(src, "[instrument]");
    check_text(&mut is, langs, &inst.title, "instrument title", title_line, None);
    if let Some(t) = &inst.instructions {
        check_text(&mut is, langs, t, "instrument instructions", title_line, None);
    }
    let computed = content_hash_of_value(value, NOT_HASHED);
    match (&inst.content_hash, inst.status) {
        (None, Status::Published) => is.instrument(
            "status",
            format!("a published bank must record its content_hash (computed: {computed})"),
        ),
        (Some(h), _) if !is_valid_hash_format(h) => {
            is.instrument("content_hash", format!("content_hash `{h}` is not of the form sha256:<64 hex>"))
        }
        (Some(h), Status::Published) if *h != computed => is.instrument(
            "content_hash",
            format!(
                "published bank content changed: recorded content_hash {h} but the content hashes to {computed}; published versions are immutable, publish a new version"
            ),
        ),
        _ => {}
    }

    check_intended_use(&mut is, file);

    // --- response scales
    let mut rs_by_id: HashMap<&str, &ResponseScale> = HashMap::new();
    let mut rs_seen: HashMap<&str, usize> = HashMap::new();
    for rs in &file.response_scales {
        let occ = rs_seen.entry(rs.id.as_str()).or_insert(0);
        let line = find_key_line(src, "id", &rs.id, 1, *occ);
        *occ += 1;
        if rs_by_id.insert(rs.id.as_str(), rs).is_some() {
            is.at(line, Some(&rs.id), "duplicate response scale id");
        }
        if rs.min.abs() > 1000 || rs.max.abs() > 1000 {
            is.at(line, Some(&rs.id), "response scale bounds must lie within -1000..1000");
        }
        if rs.max <= rs.min {
            is.at(line, Some(&rs.id), format!("response scale min {} must be below max {}", rs.min, rs.max));
        }
        check_text_lists(
            &mut is,
            langs,
            &rs.labels,
            "response scale labels",
            line,
            Some(&rs.id),
            usize::try_from(rs.categories()).ok(),
        );
    }

    // --- scales
    let mut scale_by_id: HashMap<&str, &ScaleDef> = HashMap::new();
    let mut scale_seen: HashMap<&str, usize> = HashMap::new();
    for s in &file.scales {
        let occ = scale_seen.entry(s.id.as_str()).or_insert(0);
        let line = find_key_line(src, "id", &s.id, 1, *occ);
        *occ += 1;
        if scale_by_id.insert(s.id.as_str(), s).is_some() {
            is.at(line, Some(&s.id), "duplicate scale id");
        }
        if !is_valid_id(&s.id) {
            is.at(line, Some(&s.id), "scale id must match [a-z0-9_-]+");
        }
        check_text(&mut is, langs, &s.name, "scale name", line, Some(&s.id));
        if let Some(d) = &s.description {
            check_text(&mut is, langs, d, "scale description", line, Some(&s.id));
        }
        if let Some(interp) = &s.interpretation {
            check_text(&mut is, langs, &interp.low, "interpretation.low", line, Some(&s.id));
            check_text(&mut is, langs, &interp.average, "interpretation.average", line, Some(&s.id));
            check_text(&mut is, langs, &interp.high, "interpretation.high", line, Some(&s.id));
            if !interp.interview_prompts.is_empty() {
                check_text_lists(&mut is, langs, &interp.interview_prompts, "interview_prompts", line, Some(&s.id), None);
            }
        }
        let mut facets = BTreeSet::new();
        for f in &s.facets {
            if !facets.insert(f) {
                is.at(line, Some(&s.id), format!("facet `{f}` declared twice"));
            }
        }
    }

    // --- items
    let mut item_seen: HashMap<&str, usize> = HashMap::new();
    let mut items_per_scale: HashMap<&str, usize> = HashMap::new();
    let mut item_by_id: HashMap<&str, &ItemDef> = HashMap::new();
    for it in &file.items {
        let occ = item_seen.entry(it.id.as_str()).or_insert(0);
        let line = find_key_line(src, "id", &it.id, 1, *occ);
        let first = *occ == 0;
        *occ += 1;
        let id = Some(it.id.as_str());
        if !first {
            is.at(line, id, "duplicate item id (ids must be unique within the bank)");
        } else {
            item_by_id.insert(it.id.as_str(), it);
        }
        if it.id.is_empty() || it.id.contains(',') || it.id.ends_with("__ms") || it.id == "respondent" {
            is.at(line, id, "item id must be non-empty, without commas, not `respondent` and not end in `__ms` (CSV columns)");
        }
        check_text(&mut is, langs, &it.text, "item text", line, id);

        // scale membership
        let scale = match (&it.scale, it.kind) {
            (Some(s), ItemType::Check) => {
                is.at(line, id, format!("check items belong to no scale, but this one names `{s}`"));
                None
            }
            (Some(s), _) => match scale_by_id.get(s.as_str()) {
                Some(sd) => {
                    *items_per_scale.entry(sd.id.as_str()).or_insert(0) += 1;
                    Some(*sd)
                }
                None => {
                    is.at(line, id, format!("unknown scale `{s}` (not declared under [[scales]])"));
                    None
                }
            },
            (None, ItemType::Check) => None,
            (None, _) => {
                is.at(line, id, "Likert and SJT items must name a scale");
                None
            }
        };

        // facet
        if let Some(f) = &it.facet {
            if let Some(sd) = scale {
                if !sd.facets.contains(f) {
                    is.at(line, id, format!("facet `{f}` is not declared in scale `{}` (facets = {:?})", sd.id, sd.facets));
                }
            }
        }

        // response scale
        let rs = match (&it.response_scale, it.kind) {
            (Some(r), ItemType::Sjt) => {
                is.at(line, id, format!("SJT items have options, not a response scale (`{r}`)"));
                None
            }
            (Some(r), _) => match rs_by_id.get(r.as_str()) {
                Some(rs) => Some(*rs),
                None => {
                    is.at(line, id, format!("unknown response scale `{r}`"));
                    None
                }
            },
            (None, ItemType::Sjt) => None,
            (None, _) => {
                is.at(line, id, "Likert and check items must name a response_scale");
                None
            }
        };
        if let (ItemType::Likert, Some(rs)) = (it.kind, rs) {
            if !(4..=7).contains(&rs.categories()) {
                is.at(line, id, format!("Likert items use 4-7 points; `{}` has {}", rs.id, rs.categories()));
            }
        }

        if it.reverse == Some(true) && it.kind != ItemType::Likert {
            is.at(line, id, "reverse keying applies to Likert items only");
        }

        // kind-specific
        match it.kind {
            ItemType::Check => match &it.attentive {
                None => is.at(line, id, "check item without `attentive` (the answers that show attention)"),
                Some(a) if a.is_empty() => is.at(line, id, "check item with an empty `attentive` list"),
                Some(a) => {
                    if let Some(rs) = rs {
                        for v in a {
                            if *v < rs.min || *v > rs.max {
                                is.at(line, id, format!("attentive answer {v} is outside response scale {}..{}", rs.min, rs.max));
                            }
                        }
                    }
                }
            },
            ItemType::Sjt => {
                if it.options.len() < 2 {
                    is.at(line, id, "an SJT item needs at least two options");
                }
                let mut opt_ids = BTreeSet::new();
                for o in &it.options {
                    let oline = line.and_then(|l| find_key_line(src, "id", &o.id, l, 0)).or(line);
                    let oid = format!("{}/{}", it.id, o.id);
                    if !opt_ids.insert(o.id.as_str()) {
                        is.at(oline, Some(&oid), "duplicate option id");
                    }
                    match o.key {
                        None => is.at(oline, Some(&oid), "SJT option without a key"),
                        Some(k) if k < 0 => is.at(oline, Some(&oid), format!("key {k} is negative (keys run from 0 = worst)")),
                        Some(_) => {}
                    }
                    check_text(&mut is, langs, &o.text, "option text", oline, Some(&oid));
                }
                if it.attentive.is_some() {
                    is.at(line, id, "`attentive` applies to check items only");
                }
            }
            ItemType::Likert => {
                if it.attentive.is_some() {
                    is.at(line, id, "`attentive` applies to check items only");
                }
                if !it.options.is_empty() {
                    is.at(line, id, "Likert items have no options");
                }
            }
        }

        if let Some(g) = &it.grm {
            if it.kind == ItemType::Check {
                is.at(line, id, "check items carry no GRM parameters");
            } else if let Some(k) = grm_categories(it, rs) {
                for p in grm_problems(g, k) {
                    is.at(line, id, p);
                }
            }
        }
        if let Some(e) = it.exposure {
            if it.kind == ItemType::Check {
                is.at(line, id, "check items are not given adaptively and carry no exposure parameter");
            } else if !(e.is_finite() && e > 0.0 && e <= 1.0) {
                is.at(line, id, format!("exposure {e} must lie in (0, 1] (1 = no exposure control)"));
            }
        }
    }

    // --- scales need items
    for s in &file.scales {
        let n = items_per_scale.get(s.id.as_str()).copied().unwrap_or(0);
        let line = find_key_line(src, "id", &s.id, 1, 0);
        if s.kind == ScaleKind::Trait && n < 3 {
            is.at(line, Some(&s.id), format!("trait scale has {n} item(s); at least 3 are needed"));
        } else if n == 0 {
            is.at(line, Some(&s.id), "scale has no items");
        }
    }

    // --- validity settings
    let v = &file.validity;
    let vline = find_header_line(src, "[validity]");
    for (a, b) in v.inconsistency_pairs.iter().map(|p| (&p[0], &p[1])) {
        for x in [a, b] {
            match item_by_id.get(x.as_str()) {
                None => is.at(vline, Some(x), "inconsistency pair names an unknown item"),
                Some(it) if it.kind != ItemType::Likert => {
                    is.at(vline, Some(x), "inconsistency pairs must be Likert items")
                }
                _ => {}
            }
        }
        if a == b {
            is.at(vline, Some(a), "inconsistency pair names the same item twice");
        }
    }
    let share_ok = |x: Option<f64>| x.is_none_or(|s| (0.0..=1.0).contains(&s));
    if !share_ok(v.longstring_caution_share) || !share_ok(v.longstring_invalid_share) {
        is.at(vline, None, "long-string shares must lie between 0 and 1");
    }
    if v.min_median_seconds.is_some_and(|s| !(s.is_finite() && s >= 0.0)) {
        is.at(vline, None, "min_median_seconds must be a non-negative number");
    }
    if let Some(c) = &file.cat {
        let cline = find_header_line(src, "[cat]");
        for message in cat_settings_problems(c) {
            is.at(cline, None, message);
        }
    }
    is.list
}

/// Checks a `[cat]` table: `0 < se_target < 1`, `1 <= min_items <=
/// max_items <= 1000`, `1 <= randomesque <= MAX_RANDOMESQUE`.
pub fn cat_settings_problems(c: &CatSettings) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(se) = c.se_target {
        if !(se.is_finite() && se > 0.0 && se < 1.0) {
            out.push(format!("[cat] se_target {se} must lie between 0 and 1 (e.g. 0.30)"));
        }
    }
    if c.min_items == Some(0) {
        out.push("[cat] min_items must be at least 1".to_string());
    }
    if let Some(max) = c.max_items {
        if max == 0 || max > 1000 {
            out.push(format!("[cat] max_items {max} must lie between 1 and 1000"));
        }
        if let Some(min) = c.min_items {
            if min > max {
                out.push(format!("[cat] min_items {min} is above max_items {max}"));
            }
        }
    }
    if let Some(k) = c.randomesque {
        if k == 0 || k > MAX_RANDOMESQUE {
            out.push(format!("[cat] randomesque {k} must lie between 1 and {MAX_RANDOMESQUE}"));
        }
    }
    out
}

// ---------------------------------------------------------------------------
// The indexed bank
// ---------------------------------------------------------------------------

/// Per-item facts needed for scoring, resolved once.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemInfo {
    /// Index of the item's scale in [`Bank::scales`], if any.
    pub scale: Option<usize>,
    pub kind: ItemType,
    /// Lowest and highest answer (Likert / check); for SJT the key range.
    pub min: i32,
    pub max: i32,
    pub reverse: bool,
    /// SJT: the key of each option, in option order.
    pub keys: Vec<i32>,
    /// Check: answers that show attention.
    pub attentive: Vec<i32>,
}

/// A validated bank, indexed for scoring.
#[derive(Debug, Clone)]
pub struct Bank {
    file: BankFile,
    file_name: String,
    hash: String,
    info: Vec<ItemInfo>,
    item_index: HashMap<String, usize>,
    scale_index: HashMap<String, usize>,
    scale_items: Vec<Vec<usize>>,
}

impl Bank {
    /// Parses and validates a bank from TOML text. `file` names the source in
    /// messages. All problems are reported together.
    pub fn parse(src: &str, file: &str) -> Result<Bank, BankError> {
        let value: toml::Value = toml::from_str(src).map_err(|e| syntax_error(file, src, &e))?;
        let parsed: BankFile = toml::from_str(src).map_err(|e| syntax_error(file, src, &e))?;
        let issues = validate(&parsed, src, &value);
        if !issues.is_empty() {
            return Err(BankError::Invalid {
                file: file.to_string(),
                issues,
            });
        }
        let hash = content_hash_of_value(&value, NOT_HASHED);
        Ok(Bank::index(parsed, file, hash))
    }

    fn index(file: BankFile, file_name: &str, hash: String) -> Bank {
        let scale_index: HashMap<String, usize> =
            file.scales.iter().enumerate().map(|(i, s)| (s.id.clone(), i)).collect();
        let rs: HashMap<&str, &ResponseScale> =
            file.response_scales.iter().map(|r| (r.id.as_str(), r)).collect();
        let mut scale_items = vec![Vec::new(); file.scales.len()];
        let mut info = Vec::with_capacity(file.items.len());
        let mut item_index = HashMap::with_capacity(file.items.len());
        for (i, it) in file.items.iter().enumerate() {
            item_index.insert(it.id.clone(), i);
            let scale = it.scale.as_ref().and_then(|s| scale_index.get(s).copied());
            if let Some(s) = scale {
                if let Some(list) = scale_items.get_mut(s) {
                    list.push(i);
                }
            }
            let keys: Vec<i32> = it.options.iter().map(|o| o.key.unwrap_or(0)).collect();
            let (min, max) = match it.kind {
                ItemType::Sjt => (
                    keys.iter().copied().min().unwrap_or(0),
                    keys.iter().copied().max().unwrap_or(0),
                ),
                _ => it
                    .response_scale
                    .as_ref()
                    .and_then(|r| rs.get(r.as_str()))
                    .map_or((0, 0), |r| (r.min, r.max)),
            };
            info.push(ItemInfo {
                scale,
                kind: it.kind,
                min,
                max,
                reverse: it.reverse.unwrap_or(false),
                keys,
                attentive: it.attentive.clone().unwrap_or_default(),
            });
        }
        Bank {
            file,
            file_name: file_name.to_string(),
            hash,
            info,
            item_index,
            scale_index,
            scale_items,
        }
    }

    pub fn id(&self) -> &str {
        &self.file.instrument.id
    }
    pub fn version(&self) -> &str {
        &self.file.instrument.version
    }
    /// Whether the bank is meant for this use.
    pub fn meant_for(&self, usage: IntendedUse) -> bool {
        self.file.instrument.intended_use.contains(&usage)
    }
    /// Whether any of its uses reports about one person.
    pub fn reports_individuals(&self) -> bool {
        self.file.instrument.intended_use.iter().any(|u| u.reports_individuals())
    }
    /// Canonical content hash, `sha256:<hex>`.
    pub fn content_hash(&self) -> &str {
        &self.hash
    }
    pub fn file_name(&self) -> &str {
        &self.file_name
    }
    pub fn file(&self) -> &BankFile {
        &self.file
    }
    pub fn items(&self) -> &[ItemDef] {
        &self.file.items
    }
    pub fn scales(&self) -> &[ScaleDef] {
        &self.file.scales
    }
    pub fn validity(&self) -> &ValiditySettings {
        &self.file.validity
    }
    /// Index of an item by id.
    pub fn item_index(&self, id: &str) -> Option<usize> {
        self.item_index.get(id).copied()
    }
    pub fn item(&self, id: &str) -> Option<&ItemDef> {
        self.item_index(id).and_then(|i| self.file.items.get(i))
    }
    /// Resolved scoring facts of item `index`.
    pub fn item_info(&self, index: usize) -> Option<&ItemInfo> {
        self.info.get(index)
    }
    pub fn item_infos(&self) -> &[ItemInfo] {
        &self.info
    }
    pub fn scale_index(&self, id: &str) -> Option<usize> {
        self.scale_index.get(id).copied()
    }
    pub fn scale(&self, id: &str) -> Option<&ScaleDef> {
        self.scale_index(id).and_then(|i| self.file.scales.get(i))
    }
    /// Indices (into [`Bank::items`]) of the items of scale number `scale`.
    pub fn scale_item_indices(&self, scale: usize) -> &[usize] {
        self.scale_items.get(scale).map_or(&[], Vec::as_slice)
    }
    /// Items of a scale by scale id.
    pub fn items_of_scale(&self, id: &str) -> Vec<&ItemDef> {
        self.scale_index(id)
            .map(|s| {
                self.scale_item_indices(s)
                    .iter()
                    .filter_map(|i| self.file.items.get(*i))
                    .collect()
            })
            .unwrap_or_default()
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A small valid bank used across the crate's tests: one trait scale of 4
    /// Likert items (two reverse-keyed), an impression-management scale of 3,
    /// a judgement scale of 3 SJT items and two check items.
    pub(crate) const MINI: &str = r#"
[instrument]
id = "mini"
version = "1.0.0"
status = "draft"
languages = ["en", "de"]
title = { en = "Mini", de = "Mini" }

[[response_scales]]
id = "agree5"
min = 1
max = 5
labels = { en = ["1", "2", "3", "4", "5"], de = ["1", "2", "3", "4", "5"] }

[[scales]]
id = "motivation"
kind = "trait"
name = { en = "Motivation", de = "Motivation" }
facets = ["f1"]

[[scales]]
id = "im"
kind = "impression_management"
name = { en = "IM", de = "IM" }

[[scales]]
id = "judgement"
kind = "judgement"
name = { en = "Judgement", de = "Urteil" }

[[items]]
id = "m1"
type = "likert"
scale = "motivation"
response_scale = "agree5"
facet = "f1"
text = { en = "a", de = "a" }
grm = { a = 1.5, b = [-2.0, -1.0, 0.0, 1.0] }

[[items]]
id = "m2"
type = "likert"
scale = "motivation"
response_scale = "agree5"
reverse = true
text = { en = "b", de = "b" }

[[items]]
id = "m3"
type = "likert"
scale = "motivation"
response_scale = "agree5"
text = { en = "c", de = "c" }

[[items]]
id = "m4"
type = "likert"
scale = "motivation"
response_scale = "agree5"
reverse = true
text = { en = "d", de = "d" }

[[items]]
id = "im1"
type = "likert"
scale = "im"
response_scale = "agree5"
text = { en = "e", de = "e" }

[[items]]
id = "im2"
type = "likert"
scale = "im"
response_scale = "agree5"
text = { en = "f", de = "f" }

[[items]]
id = "im3"
type = "likert"
scale = "im"
response_scale = "agree5"
text = { en = "g", de = "g" }

[[items]]
id = "s1"
type = "sjt"
scale = "judgement"
text = { en = "s", de = "s" }
options = [
  { id = "a", key = 3, text = { en = "a", de = "a" } },
  { id = "b", key = 0, text = { en = "b", de = "b" } },
  { id = "c", key = 1, text = { en = "c", de = "c" } },
]

[[items]]
id = "s2"
type = "sjt"
scale = "judgement"
text = { en = "s", de = "s" }
options = [
  { id = "a", key = 1, text = { en = "a", de = "a" } },
  { id = "b", key = 2, text = { en = "b", de = "b" } },
]

[[items]]
id = "s3"
type = "sjt"
scale = "judgement"
text = { en = "s", de = "s" }
options = [
  { id = "a", key = 0, text = { en = "a", de = "a" } },
  { id = "b", key = 3, text = { en = "b", de = "b" } },
]

[[items]]
id = "c1"
type = "check"
response_scale = "agree5"
text = { en = "I have never used a telephone.", de = "x" }
attentive = [1, 2]

[[items]]
id = "c2"
type = "check"
response_scale = "agree5"
text = { en = "I breathe air.", de = "x" }
attentive = [4, 5]

[validity]
inconsistency_pairs = [["m1", "m3"]]
"#;

    pub(crate) fn mini() -> Bank {
        match Bank::parse(MINI, "mini.toml") {
            Ok(b) => b,
            Err(e) => panic!("mini bank must validate: {e}"),
        }
    }

    fn issues_of(src: &str) -> Vec<Issue> {
        match Bank::parse(src, "t.toml") {
            Ok(_) => Vec::new(),
            Err(e) => e.issues(),
        }
    }

    fn has_issue(src: &str, needle: &str, line: Option<usize>, item: Option<&str>) {
        let issues = issues_of(src);
        assert!(
            issues.iter().any(|i| i.message.contains(needle)
                && (line.is_none() || i.line == line)
                && (item.is_none() || i.item.as_deref() == item)),
            "expected issue containing {needle:?} at {line:?} for {item:?}, got {issues:#?}"
        );
    }

    fn line_of(src: &str, needle: &str) -> usize {
        src.lines().position(|l| l.contains(needle)).map_or(0, |p| p + 1)
    }

    #[test]
    fn mini_bank_is_valid_and_indexed() {
        let b = mini();
        assert_eq!(b.id(), "mini");
        assert_eq!(b.items_of_scale("motivation").len(), 4);
        assert_eq!(b.item_info(b.item_index("m2").unwrap_or(99)).map(|i| i.reverse), Some(true));
        assert!(b.content_hash().starts_with("sha256:"));
        assert_eq!(b.content_hash().len(), 7 + 64);
    }

    #[test]
    fn malformed_toml_names_the_line() {
        let src = "[instrument]\nid = \"x\"\nversion = \n";
        match Bank::parse(src, "bad.toml") {
            Err(BankError::Syntax { file, line, .. }) => {
                assert_eq!(file, "bad.toml");
                assert_eq!(line, Some(3));
            }
            other => panic!("expected syntax error, got {other:?}"),
        }
    }

    #[test]
    fn wrong_type_names_the_line() {
        let src = MINI.replace("min = 1", "min = \"one\"");
        match Bank::parse(&src, "bad.toml") {
            Err(BankError::Syntax { line, .. }) => assert_eq!(line, Some(line_of(&src, "min = \"one\""))),
            other => panic!("expected syntax error, got {other:?}"),
        }
    }

    #[test]
    fn duplicate_item_id_points_at_second_occurrence() {
        let src = MINI.replace("id = \"m3\"", "id = \"m2\"");
        let second = src
            .lines()
            .enumerate()
            .filter(|(_, l)| l.contains("id = \"m2\""))
            .nth(1)
            .map(|(i, _)| i + 1);
        has_issue(&src, "duplicate item id", second, Some("m2"));
    }

    #[test]
    fn unknown_scale_and_response_scale() {
        let src = MINI.replacen("scale = \"motivation\"\nresponse_scale = \"agree5\"\ntext = { en = \"c\"", "scale = \"motivatoin\"\nresponse_scale = \"agree5\"\ntext = { en = \"c\"", 1);
        has_issue(&src, "unknown scale `motivatoin`", Some(line_of(&src, "id = \"m3\"")), Some("m3"));
        let src = MINI.replacen("response_scale = \"agree5\"\nfacet", "response_scale = \"agree7\"\nfacet", 1);
        has_issue(&src, "unknown response scale `agree7`", Some(line_of(&src, "id = \"m1\"")), Some("m1"));
    }

    #[test]
    fn reverse_on_check_item() {
        let src = MINI.replace("attentive = [1, 2]", "attentive = [1, 2]\nreverse = true");
        has_issue(&src, "reverse keying applies to Likert items only", Some(line_of(&src, "id = \"c1\"")), Some("c1"));
    }

    #[test]
    fn missing_translation() {
        let src = MINI.replace("text = { en = \"g\", de = \"g\" }", "text = { en = \"g\" }");
        has_issue(&src, "missing translation for declared language `de`", Some(line_of(&src, "id = \"im3\"")), Some("im3"));
    }

    #[test]
    fn sjt_option_without_key() {
        let src = MINI.replace("{ id = \"b\", key = 2, text", "{ id = \"b\", text");
        has_issue(&src, "SJT option without a key", Some(line_of(&src, "{ id = \"b\", text")), Some("s2/b"));
    }

    #[test]
    fn grm_problems_are_reported() {
        let src = MINI.replace("b = [-2.0, -1.0, 0.0, 1.0]", "b = [-2.0, 0.0, -1.0, 1.0]");
        has_issue(&src, "not strictly increasing", Some(line_of(&src, "id = \"m1\"")), Some("m1"));
        let src = MINI.replace("b = [-2.0, -1.0, 0.0, 1.0]", "b = [-2.0, -1.0, 0.0]");
        has_issue(&src, "has 3 thresholds, expected 4", None, Some("m1"));
        let src = MINI.replace("a = 1.5", "a = 0.0");
        has_issue(&src, "must be a positive number", None, Some("m1"));
    }

    #[test]
    fn trait_scale_needs_three_items() {
        let src = MINI
            .replacen("scale = \"motivation\"", "scale = \"im\"", 1)
            .replacen("scale = \"motivation\"", "scale = \"im\"", 1)
            .replace("facet = \"f1\"\n", "");
        has_issue(&src, "trait scale has 2 item(s)", Some(line_of(&src, "id = \"motivation\"")), Some("motivation"));
    }

    #[test]
    fn misspelt_key_is_an_error_with_its_line() {
        // a typo must not silently drop reverse keying
        let src = MINI.replacen("reverse = true", "revrse = true", 1);
        match Bank::parse(&src, "typo.toml") {
            Err(BankError::Syntax { line, message, .. }) => {
                assert!(message.contains("unknown field `revrse`"), "{message}");
                assert_eq!(line, Some(line_of(&src, "revrse")));
            }
            other => panic!("expected an error, got {other:?}"),
        }
    }

    #[test]
    fn bank_hash_ignores_key_order_within_tables_but_not_text() {
        let reordered = MINI.replace(
            "id = \"mini\"\nversion = \"1.0.0\"",
            "version = \"1.0.0\"\nid = \"mini\"",
        );
        assert_ne!(reordered, MINI);
        let h = |s: &str| bank_content_hash(s, "x").ok();
        assert_eq!(h(MINI), h(&reordered));
        assert_ne!(h(MINI), h(&MINI.replace("I breathe air.", "I breathe  air.")));
    }

    #[test]
    fn response_scale_bounds() {
        let src = MINI.replace("max = 5", "max = 2147483647");
        has_issue(&src, "within -1000..1000", Some(line_of(&src, "id = \"agree5\"")), Some("agree5"));
        let src = MINI.replace("max = 5", "max = 1");
        has_issue(&src, "must be below max", None, Some("agree5"));
    }

    #[test]
    fn check_item_without_attentive() {
        let src = MINI.replace("attentive = [4, 5]\n", "");
        has_issue(&src, "check item without `attentive`", Some(line_of(&src, "id = \"c2\"")), Some("c2"));
    }

    #[test]
    fn undeclared_facet() {
        let src = MINI.replace("facet = \"f1\"\ntext", "facet = \"f2\"\ntext");
        has_issue(&src, "facet `f2` is not declared", None, Some("m1"));
    }

    #[test]
    fn published_bank_must_match_its_hash() {
        let hash = match bank_content_hash(MINI, "m") {
            Ok(h) => h,
            Err(e) => panic!("{e}"),
        };
        let published = MINI.replace(
            "status = \"draft\"",
            &format!("status = \"published\"\ncontent_hash = \"{hash}\""),
        );
        assert!(Bank::parse(&published, "p.toml").is_ok(), "{:?}", issues_of(&published));
        // the same hash after publishing (status and hash are not content)
        assert_eq!(bank_content_hash(&published, "p").ok(), Some(hash.clone()));
        let tampered = published.replace("I breathe air.", "I breathe air!");
        has_issue(&tampered, "published bank content changed", Some(line_of(&tampered, "content_hash")), None);
        let unhashed = MINI.replace("status = \"draft\"", "status = \"published\"");
        has_issue(&unhashed, "must record its content_hash", None, None);
    }

    #[test]
    fn a_bank_is_for_hiring_unless_it_says_otherwise() {
        let b = mini();
        assert!(b.meant_for(IntendedUse::Hiring));
        assert!(!b.meant_for(IntendedUse::Workforce));
        assert!(b.reports_individuals());
        let survey = MINI.replace("languages = [", "intended_use = [\"workforce\"]\nlanguages = [");
        let parsed = Bank::parse(&survey, "s.toml").unwrap_or_else(|e| panic!("{e}"));
        assert!(parsed.meant_for(IntendedUse::Workforce) && !parsed.meant_for(IntendedUse::Hiring));
        assert!(!parsed.reports_individuals());
        // Declaring the use is a decision about the content, not content: the hash stays.
        assert_eq!(bank_content_hash(&survey, "s").ok(), bank_content_hash(MINI, "m").ok());
    }

    #[test]
    fn intended_use_is_named_once_each_and_pulse_scales_are_for_the_workforce_alone() {
        let none = MINI.replace("languages = [", "intended_use = []\nlanguages = [");
        has_issue(&none, "must name at least one use", Some(line_of(&none, "intended_use")), None);
        let twice = MINI.replace("languages = [", "intended_use = [\"hiring\", \"hiring\"]\nlanguages = [");
        has_issue(&twice, "names a use twice", None, None);
        let unknown = MINI.replace("languages = [", "intended_use = [\"screening\"]\nlanguages = [");
        assert!(!issues_of(&unknown).is_empty(), "an unknown use is refused");
        let pulse = MINI.replace("kind = \"trait\"", "kind = \"pulse\"");
        has_issue(&pulse, "pulse scales reports only for groups", None, None);
        let pulse_for_both = pulse.replace("languages = [", "intended_use = [\"workforce\", \"hiring\"]\nlanguages = [");
        has_issue(&pulse_for_both, "must be [\"workforce\"] alone", None, None);
        let pulse_for_workforce = pulse.replace("languages = [", "intended_use = [\"workforce\"]\nlanguages = [");
        assert!(!issues_of(&pulse_for_workforce).iter().any(|i| i.message.contains("intended_use")), "{:?}", issues_of(&pulse_for_workforce));
    }

    #[test]
    fn hash_is_stable_under_key_reordering_but_not_text_change() {
        let a = "[t]\nx = 1\ny = \"a\"\n[u]\nz = [1.0, 2.5]\n";
        let b = "[u]\nz = [1.0, 2.5]\n[t]\ny = \"a\"\nx = 1\n";
        let c = "[t]\nx = 1\ny = \"b\"\n[u]\nz = [1.0, 2.5]\n";
        let d = "[t]\nx = 1.0\ny = \"a\"\n[u]\nz = [1.0, 2.5]\n";
        let h = |s: &str| bank_content_hash(s, "x").ok();
        assert_eq!(h(a), h(b));
        assert_ne!(h(a), h(c));
        assert_ne!(h(a), h(d), "integer 1 and float 1.0 are different content");
    }

    #[test]
    fn find_key_line_matches_whole_keys() {
        let src = "bank_id = \"x\"\n  id = \"x\"\n{ id = \"x\", key = 1 }\n";
        assert_eq!(find_key_line(src, "id", "x", 1, 0), Some(2));
        assert_eq!(find_key_line(src, "id", "x", 1, 1), Some(3));
        assert_eq!(find_key_line(src, "id", "xy", 1, 0), None);
    }

    proptest::proptest! {
        #[test]
        fn hash_ignores_table_order(keys in proptest::collection::btree_map("[a-z]{1,6}", -1000i64..1000, 1..8)) {
            let fwd: String = keys.iter().map(|(k, v)| format!("{k} = {v}\n")).collect();
            let rev: String = keys.iter().rev().map(|(k, v)| format!("{k} = {v}\n")).collect();
            let h1 = bank_content_hash(&fwd, "a").ok();
            let h2 = bank_content_hash(&rev, "b").ok();
            proptest::prop_assert!(h1.is_some());
            proptest::prop_assert_eq!(&h1, &h2);
            // any change of a value changes the hash
            let (k0, v0) = keys.iter().next().map(|(k, v)| (k.clone(), *v)).unwrap_or_default();
            let changed = fwd.replacen(&format!("{k0} = {v0}\n"), &format!("{k0} = {}\n", v0 + 1), 1);
            proptest::prop_assert_ne!(h1, bank_content_hash(&changed, "c").ok());
        }
    }
}
