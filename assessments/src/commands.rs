//! Functions behind the `vigil bank|analyze|score|norms|calibrate|cat` commands.
//!
//! This is the only module that touches the file system. Every file is read
//! with a size limit (checked before reading, and enforced while reading),
//! every error names the file, and every output file is written atomically
//! (to a temporary file in the same directory, then renamed), so a failed
//! run never leaves a half-written file behind.

use std::collections::BTreeMap;
use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use serde::{Deserialize, Serialize};

use crate::adaptive::{self, AdaptiveError};
use crate::bank::{bank_content_hash, Bank, BankError};
use crate::cat::study::StudyReport;
use crate::cat::CatError;
use crate::irt::calibrate::{calibrate, CalibrationOptions};
use crate::irt::grm::{marginal_reliability, GrmItem};
use crate::irt::IrtError;
use crate::norms::{build_norm_table, NormMeta, NormTable, NormsError};
use crate::reliability::{analyze_scale, ScaleAnalysis};
use crate::responses::{read_csv, write_csv, CsvLimits, Responses, ResponsesError};
use crate::scored_session::{score_classical, ScoredSession};
use crate::scoring::ScoringError;
use crate::simulate::{SimulationModel, SimulationOptions, Simulator};

/// Size limits for the files the commands read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Limits {
    /// Largest bank, norm-table or model file (default 16 MiB).
    pub max_toml_bytes: u64,
    /// Response CSV limits (default 64 MiB, 250,000 rows).
    pub csv: CsvLimits,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_toml_bytes: 16 * 1024 * 1024,
            csv: CsvLimits::default(),
        }
    }
}

/// Errors of the command layer.
#[derive(Debug, thiserror::Error)]
pub enum CommandError {
    #[error("{path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: the file is {size} bytes, more than the limit of {limit} bytes; it was not read")]
    TooLarge { path: String, size: u64, limit: u64 },
    #[error("{path}: the file is not UTF-8 text")]
    NotText { path: String },
    #[error(transparent)]
    Bank(#[from] BankError),
    #[error(transparent)]
    Responses(#[from] ResponsesError),
    #[error(transparent)]
    Norms(#[from] NormsError),
    #[error(transparent)]
    Scoring(#[from] ScoringError),
    #[error("{path}: no respondent rows")]
    NoSessions { path: String },
    #[error("could not write output: {0}")]
    Output(String),
    #[error(transparent)]
    Adaptive(#[from] AdaptiveError),
    #[error(transparent)]
    Cat(#[from] CatError),
    #[error("calibrating scale `{scale}`: {source}")]
    Calibration {
        scale: String,
        #[source]
        source: IrtError,
    },
    #[error("calibrating scale `{scale}`: EM did not converge in {iterations} cycles; nothing was written (raise the cycle limit or check the data)")]
    NotConverged { scale: String, iterations: usize },
    #[error("{path}: is a published bank; published versions are immutable, write the calibrated bank to a new version's file")]
    WouldOverwritePublished { path: String },
    #[error("{path}: published bank content changed: recorded content_hash {recorded} but the content hashes to {computed}; published versions are immutable, publish a new version instead")]
    PublishedChanged {
        path: String,
        recorded: String,
        computed: String,
    },
    #[error("{path}: cannot edit the file: {message}")]
    Edit { path: String, message: String },
    #[error("{0}")]
    InvalidArgument(String),
}

fn io_err(path: &Path, source: std::io::Error) -> CommandError {
    CommandError::Io {
        path: path.display().to_string(),
        source,
    }
}

/// Reads a text file of at most `limit` bytes. The size is checked before
/// reading and enforced while reading (a file that grows is still refused).
pub fn read_limited(path: &Path, limit: u64) -> Result<String, CommandError> {
    let meta = fs::metadata(path).map_err(|e| io_err(path, e))?;
    if meta.len() > limit {
        return Err(CommandError::TooLarge {
            path: path.display().to_string(),
            size: meta.len(),
            limit,
        });
    }
    let file = fs::File::open(path).map_err(|e| io_err(path, e))?;
    let mut buf = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    file.take(limit.saturating_add(1))
        .read_to_end(&mut buf)
        .map_err(|e| io_err(path, e))?;
    if buf.len() as u64 > limit {
        return Err(CommandError::TooLarge {
            path: path.display().to_string(),
            size: buf.len() as u64,
            limit,
        });
    }
    String::from_utf8(buf).map_err(|_| CommandError::NotText {
        path: path.display().to_string(),
    })
}

static TEMP_COUNTER: AtomicU64 = AtomicU64::new(0);

/// Writes `contents` to `path` atomically: a temporary file in the same
/// directory is written and flushed to disk, then renamed over `path`.
/// On any error the temporary file is removed and `path` is untouched.
pub fn write_atomic(path: &Path, contents: &[u8]) -> Result<(), CommandError> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or_else(|| CommandError::Output(format!("{}: not a file path", path.display())))?;
    let (tmp, mut file) = loop {
        let n = TEMP_COUNTER.fetch_add(1, Ordering::Relaxed);
        let tmp = dir.join(format!(".{name}.tmp{n}"));
        match fs::OpenOptions::new().write(true).create_new(true).open(&tmp) {
            Ok(f) => break (tmp, f),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && n < 10_000 => continue,
            Err(e) => return Err(io_err(&tmp, e)),
        }
    };
    let result = file
        .write_all(contents)
        .and_then(|()| file.sync_all())
        .and_then(|()| {
            drop(file);
            fs::rename(&tmp, path)
        });
    result.map_err(|e| {
        let _ = fs::remove_file(&tmp);
        io_err(path, e)
    })
}

/// Loads and validates a bank file.
pub fn load_bank(path: &Path, limits: &Limits) -> Result<Bank, CommandError> {
    let src = read_limited(path, limits.max_toml_bytes)?;
    Ok(Bank::parse(&src, &path.display().to_string())?)
}

/// Loads a norm table and validates it against `bank`.
pub fn load_norms(path: &Path, bank: &Bank, limits: &Limits) -> Result<NormTable, CommandError> {
    let src = read_limited(path, limits.max_toml_bytes)?;
    Ok(NormTable::parse(&src, &path.display().to_string(), bank)?)
}

/// Loads a response CSV, checking every cell against `bank`.
pub fn load_responses(path: &Path, bank: &Bank, limits: &Limits) -> Result<Vec<Responses>, CommandError> {
    let text = read_limited(path, limits.csv.max_bytes).map_err(|e| match e {
        CommandError::TooLarge { path, size, limit } => {
            CommandError::Responses(ResponsesError::TooLarge { file: path, size, limit })
        }
        other => other,
    })?;
    Ok(read_csv(bank, &text, &path.display().to_string(), &limits.csv)?)
}

// ---------------------------------------------------------------------------
// vigil bank validate / hash
// ---------------------------------------------------------------------------

/// What a TOML file in a bank folder is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FileKind {
    Bank,
    NormTable,
    SimulationModel,
    Unknown,
}

/// Validation result of one file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileValidation {
    pub path: String,
    pub kind: FileKind,
    pub ok: bool,
    /// Bank or norm-table id and version (for banks).
    pub id: Option<String>,
    pub version: Option<String>,
    pub content_hash: Option<String>,
    /// One line per problem, each naming file and line.
    pub problems: Vec<String>,
}

/// Result of `vigil bank validate`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ValidationReport {
    pub ok: bool,
    pub files: Vec<FileValidation>,
}

fn collect_toml(path: &Path, out: &mut Vec<PathBuf>) -> Result<(), CommandError> {
    if path.is_dir() {
        let mut entries: Vec<PathBuf> = fs::read_dir(path)
            .map_err(|e| io_err(path, e))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        entries.sort();
        for e in entries {
            if e.is_dir() || e.extension().is_some_and(|x| x == "toml") {
                collect_toml(&e, out)?;
            }
        }
    } else {
        out.push(path.to_path_buf());
    }
    Ok(())
}

fn classify(src: &str) -> FileKind {
    match toml::from_str::<toml::Table>(src) {
        Ok(t) if t.contains_key("instrument") => FileKind::Bank,
        Ok(t) if t.contains_key("norm_table") => FileKind::NormTable,
        Ok(t) if t.contains_key("latent") => FileKind::SimulationModel,
        _ => FileKind::Unknown,
    }
}

fn problems_of(e: &CommandError) -> Vec<String> {
    match e {
        CommandError::Bank(BankError::Invalid { file, issues }) => issues
            .iter()
            .map(|i| match i.line {
                Some(l) => format!("{file}:{l}: {}", Issue2(i)),
                None => format!("{file}: {}", Issue2(i)),
            })
            .collect(),
        other => vec![other.to_string()],
    }
}

struct Issue2<'a>(&'a crate::bank::Issue);
impl std::fmt::Display for Issue2<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.0.item {
            Some(id) => write!(f, "`{id}`: {}", self.0.message),
            None => write!(f, "{}", self.0.message),
        }
    }
}

/// Validates bank files, norm tables and simulation models. A path may be a
/// file or a folder (searched recursively for `*.toml`). Norm tables and
/// models are checked against the bank version they name, found among the
/// given files or at the conventional place (`<instrument>/<version>.toml`).
pub fn validate_banks(paths: &[PathBuf], limits: &Limits) -> ValidationReport {
    let mut files = Vec::new();
    let mut report = Vec::new();
    for p in paths {
        if let Err(e) = collect_toml(p, &mut files) {
            report.push(FileValidation {
                path: p.display().to_string(),
                kind: FileKind::Unknown,
                ok: false,
                id: None,
                version: None,
                content_hash: None,
                problems: vec![e.to_string()],
            });
        }
    }
    let mut sources = Vec::new();
    for f in &files {
        match read_limited(f, limits.max_toml_bytes) {
            Ok(src) => {
                let kind = classify(&src);
                sources.push((f.clone(), kind, src));
            }
            Err(e) => report.push(FileValidation {
                path: f.display().to_string(),
                kind: FileKind::Unknown,
                ok: false,
                id: None,
                version: None,
                content_hash: None,
                problems: vec![e.to_string()],
            }),
        }
    }
    // banks first, so that norms and models can find them
    let mut banks: BTreeMap<(String, String), Bank> = BTreeMap::new();
    for (f, kind, src) in &sources {
        let name = f.display().to_string();
        let entry = match kind {
            FileKind::Bank => match Bank::parse(src, &name) {
                Ok(b) => {
                    let v = FileValidation {
                        path: name,
                        kind: *kind,
                        ok: true,
                        id: Some(b.id().to_string()),
                        version: Some(b.version().to_string()),
                        content_hash: Some(b.content_hash().to_string()),
                        problems: Vec::new(),
                    };
                    banks.insert((b.id().to_string(), b.version().to_string()), b);
                    v
                }
                Err(e) => FileValidation {
                    path: name,
                    kind: *kind,
                    ok: false,
                    id: None,
                    version: None,
                    content_hash: bank_content_hash(src, "").ok(),
                    problems: problems_of(&CommandError::Bank(e)),
                },
            },
            _ => continue,
        };
        report.push(entry);
    }
    for (f, kind, src) in &sources {
        let name = f.display().to_string();
        let target = match kind {
            FileKind::Bank => continue,
            FileKind::Unknown => {
                report.push(FileValidation {
                    path: name,
                    kind: *kind,
                    ok: false,
                    id: None,
                    version: None,
                    content_hash: None,
                    problems: vec![match toml::from_str::<toml::Table>(src) {
                        Err(e) => crate::bank::syntax_error(&f.display().to_string(), src, &e).to_string(),
                        Ok(_) => format!(
                            "{}: not a bank ([instrument]), norm table ([norm_table]) or simulation model ([latent])",
                            f.display()
                        ),
                    }],
                });
                continue;
            }
            FileKind::NormTable => toml::from_str::<toml::Table>(src).ok().and_then(|t| {
                let nt = t.get("norm_table")?;
                Some((nt.get("bank")?.as_str()?.to_string(), nt.get("bank_version")?.as_str()?.to_string()))
            }),
            FileKind::SimulationModel => toml::from_str::<toml::Table>(src).ok().and_then(|t| {
                Some((t.get("bank")?.as_str()?.to_string(), t.get("bank_version")?.as_str()?.to_string()))
            }),
        };
        let Some(key) = target else {
            report.push(FileValidation {
                path: name.clone(),
                kind: *kind,
                ok: false,
                id: None,
                version: None,
                content_hash: None,
                problems: vec![format!("{name}: does not name its bank and bank_version")],
            });
            continue;
        };
        if !banks.contains_key(&key) {
            // conventional places: beside the file, or one folder up (norms/)
            let candidates = [f.parent(), f.parent().and_then(Path::parent)];
            for dir in candidates.into_iter().flatten() {
                let p = dir.join(format!("{}.toml", key.1));
                if let Ok(b) = load_bank(&p, limits) {
                    if b.id() == key.0 {
                        banks.insert(key.clone(), b);
                        break;
                    }
                }
            }
        }
        let Some(bank) = banks.get(&key) else {
            report.push(FileValidation {
                path: name.clone(),
                kind: *kind,
                ok: false,
                id: None,
                version: None,
                content_hash: None,
                problems: vec![format!("{name}: bank {}@{} not found or not valid", key.0, key.1)],
            });
            continue;
        };
        let result = match kind {
            FileKind::NormTable => NormTable::parse(src, &name, bank).map(|t| (Some(t.id.clone()), t.content_hash)),
            _ => SimulationModel::parse(src, &name, bank).map(|_| (None, None)),
        };
        report.push(match result {
            Ok((id, hash)) => FileValidation {
                path: name,
                kind: *kind,
                ok: true,
                id,
                version: None,
                content_hash: hash,
                problems: Vec::new(),
            },
            Err(e) => FileValidation {
                path: name,
                kind: *kind,
                ok: false,
                id: None,
                version: None,
                content_hash: None,
                problems: problems_of(&CommandError::Bank(e)),
            },
        });
    }
    ValidationReport {
        ok: !report.is_empty() && report.iter().all(|f| f.ok),
        files: report,
    }
}

/// The canonical content hash of a bank file (`sha256:<hex>`), for
/// recording in `instrument.content_hash` when publishing.
pub fn bank_hash(path: &Path, limits: &Limits) -> Result<String, CommandError> {
    let src = read_limited(path, limits.max_toml_bytes)?;
    Ok(bank_content_hash(&src, &path.display().to_string())?)
}

// ---------------------------------------------------------------------------
// vigil analyze
// ---------------------------------------------------------------------------

/// Item analysis and reliability of every scale of a bank on response data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnalysisReport {
    pub bank_id: String,
    pub bank_version: String,
    pub bank_hash: String,
    pub engine_version: String,
    pub sessions: usize,
    pub scales: Vec<ScaleAnalysis>,
}

/// Item analysis of sessions already in memory.
pub fn analyze_sessions(bank: &Bank, sessions: &[Responses]) -> AnalysisReport {
    AnalysisReport {
        bank_id: bank.id().to_string(),
        bank_version: bank.version().to_string(),
        bank_hash: bank.content_hash().to_string(),
        engine_version: crate::ENGINE_VERSION.to_string(),
        sessions: sessions.len(),
        scales: (0..bank.scales().len())
            .filter_map(|s| analyze_scale(bank, s, sessions))
            .collect(),
    }
}

/// `vigil analyze BANK RESPONSES.csv`: item analysis and reliability per scale.
pub fn analyze(bank_path: &Path, responses_csv: &Path, limits: &Limits) -> Result<AnalysisReport, CommandError> {
    let bank = load_bank(bank_path, limits)?;
    let sessions = load_responses(responses_csv, &bank, limits)?;
    if sessions.is_empty() {
        return Err(CommandError::NoSessions {
            path: responses_csv.display().to_string(),
        });
    }
    Ok(analyze_sessions(&bank, &sessions))
}

// ---------------------------------------------------------------------------
// vigil score
// ---------------------------------------------------------------------------


/// Scores sessions in memory (with norms when given).
pub fn score_sessions(
    bank: &Bank,
    norms: Option<&NormTable>,
    sessions: &[Responses],
) -> Result<Vec<ScoredSession>, CommandError> {
    Ok(score_classical(bank, norms, sessions)?)
}

/// `vigil score BANK [--norms NORMS] RESPONSES.csv`.
pub fn score(
    bank_path: &Path,
    norms_path: Option<&Path>,
    responses_csv: &Path,
    limits: &Limits,
) -> Result<Vec<ScoredSession>, CommandError> {
    let bank = load_bank(bank_path, limits)?;
    let norms = norms_path.map(|p| load_norms(p, &bank, limits)).transpose()?;
    let sessions = load_responses(responses_csv, &bank, limits)?;
    score_sessions(&bank, norms.as_ref(), &sessions)
}

fn opt<T: ToString>(x: Option<T>) -> String {
    x.map(|v| v.to_string()).unwrap_or_default()
}

/// Writes scores as CSV: provenance and validity, then per scale answered,
/// raw, z, percentile, T, sten, stanine, the 90% band (T and percentile)
/// and the band label. Empty cells where there is no value.
pub fn write_scores_csv<W: Write>(rows: &[ScoredSession], out: W) -> Result<(), CommandError> {
    let mut w = csv::Writer::from_writer(out);
    let err = |e: csv::Error| CommandError::Output(e.to_string());
    let scales: Vec<String> = rows
        .first()
        .map(|r| r.scores.scales.iter().map(|s| s.scale.clone()).collect())
        .unwrap_or_default();
    let mut header: Vec<String> = [
        "respondent",
        "bank_id",
        "bank_version",
        "bank_hash",
        "norm_table_id",
        "norm_table_hash",
        "demonstration",
        "engine_version",
        "validity",
        "validity_reasons",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for s in &scales {
        for f in [
            "answered", "raw", "z", "percentile", "t", "sten", "stanine", "t_lo", "t_hi", "percentile_lo",
            "percentile_hi", "sten_lo", "sten_hi", "band",
        ] {
            header.push(format!("{s}_{f}"));
        }
    }
    w.write_record(&header).map_err(err)?;
    for r in rows {
        let p = &r.scores.provenance;
        let mut rec = vec![
            r.scores.respondent.clone(),
            p.bank_id.clone(),
            p.bank_version.clone(),
            p.bank_hash.clone(),
            opt(p.norm_table_id.as_ref()),
            opt(p.norm_table_hash.as_ref()),
            p.demonstration.to_string(),
            p.engine_version.clone(),
            format!("{:?}", r.validity.status).to_lowercase(),
            r.validity.reasons.join(" "),
        ];
        for s in &r.scores.scales {
            let n = s.normed.as_ref();
            rec.push(s.answered.to_string());
            rec.push(opt(s.raw));
            rec.push(opt(n.map(|n| n.point.z)));
            rec.push(opt(n.map(|n| n.point.percentile)));
            rec.push(opt(n.map(|n| n.point.t)));
            rec.push(opt(n.map(|n| n.point.sten)));
            rec.push(opt(n.map(|n| n.point.stanine)));
            rec.push(opt(n.map(|n| n.band90.t[0])));
            rec.push(opt(n.map(|n| n.band90.t[1])));
            rec.push(opt(n.map(|n| n.band90.percentile[0])));
            rec.push(opt(n.map(|n| n.band90.percentile[1])));
            rec.push(opt(n.map(|n| n.band90.sten[0])));
            rec.push(opt(n.map(|n| n.band90.sten[1])));
            rec.push(opt(n.map(|n| format!("{:?}", n.label).to_lowercase())));
        }
        w.write_record(&rec).map_err(err)?;
    }
    w.flush().map_err(|e| CommandError::Output(e.to_string()))
}

/// Writes scores as pretty JSON (an array of sessions).
pub fn write_scores_json<W: Write>(rows: &[ScoredSession], out: W) -> Result<(), CommandError> {
    serde_json::to_writer_pretty(out, rows).map_err(|e| CommandError::Output(e.to_string()))
}

// ---------------------------------------------------------------------------
// vigil norms build
// ---------------------------------------------------------------------------

/// `vigil norms build BANK RESPONSES.csv --out NORMS.toml`: builds a norm
/// table and writes it atomically. Nothing is written if any step fails.
pub fn build_norms(
    bank_path: &Path,
    responses_csv: &Path,
    meta: &NormMeta,
    out_path: &Path,
    limits: &Limits,
) -> Result<NormTable, CommandError> {
    let bank = load_bank(bank_path, limits)?;
    let sessions = load_responses(responses_csv, &bank, limits)?;
    if sessions.is_empty() {
        return Err(CommandError::NoSessions {
            path: responses_csv.display().to_string(),
        });
    }
    let table = build_norm_table(&bank, &sessions, meta)?;
    let text = table.to_toml()?;
    // what we write must read back as a valid norm table of this bank
    NormTable::parse(&text, &out_path.display().to_string(), &bank)?;
    write_atomic(out_path, text.as_bytes())?;
    Ok(table)
}

// ---------------------------------------------------------------------------
// vigil simulate
// ---------------------------------------------------------------------------

/// Simulates respondents from a bank's population model and writes them as
/// a response CSV (atomically). Returns the number of respondents.
pub fn simulate_responses(
    bank_path: &Path,
    model_path: &Path,
    opts: &SimulationOptions,
    out_csv: &Path,
    limits: &Limits,
) -> Result<usize, CommandError> {
    let bank = load_bank(bank_path, limits)?;
    let src = read_limited(model_path, limits.max_toml_bytes)?;
    let model = SimulationModel::parse(&src, &model_path.display().to_string(), &bank)?;
    let sim = Simulator::new(&bank, &model)?;
    let sessions: Vec<Responses> = sim.simulate(opts).into_iter().map(|s| s.responses).collect();
    write_atomic(out_csv, write_csv(&bank, &sessions, opts.latencies).as_bytes())?;
    Ok(sessions.len())
}

// ---------------------------------------------------------------------------
// vigil calibrate
// ---------------------------------------------------------------------------

/// Where a bank's IRT parameters come from (`instrument.calibration.kind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CalibrationKind {
    /// Simulated respondents: for demonstrations only, never for decisions.
    Demonstration,
    /// Answers of real respondents.
    Empirical,
}

impl CalibrationKind {
    /// The value written to the bank file.
    pub fn as_str(self) -> &'static str {
        match self {
            CalibrationKind::Demonstration => "demonstration",
            CalibrationKind::Empirical => "empirical",
        }
    }
}

/// Note written with a demonstration calibration.
pub const DEMONSTRATION_NOTE: &str = "IRT parameters estimated from simulated respondents (demonstration only); they must be replaced by an empirical calibration on real respondents before scores are used for real decisions.";

/// Settings of `vigil calibrate`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CalibrateOptions {
    /// Calibrate only this scale (default: every scale with Likert / SJT items).
    pub scale: Option<String>,
    /// Recorded as `instrument.calibration.kind`.
    pub kind: CalibrationKind,
    /// Recorded as `instrument.calibration.note` (omitted when empty).
    pub note: String,
    /// EM settings (quadrature, cycles, tolerance).
    pub em: CalibrationOptions,
    /// Decimals kept for a and b in the file (default 3).
    pub decimals: u32,
    /// Refuse to write anything if a scale's EM did not converge (default true).
    pub require_convergence: bool,
}

impl Default for CalibrateOptions {
    fn default() -> Self {
        CalibrateOptions {
            scale: None,
            kind: CalibrationKind::Empirical,
            note: String::new(),
            em: CalibrationOptions::default(),
            decimals: 3,
            require_convergence: true,
        }
    }
}

impl CalibrateOptions {
    /// A demonstration calibration with [`DEMONSTRATION_NOTE`].
    pub fn demonstration() -> Self {
        CalibrateOptions {
            kind: CalibrationKind::Demonstration,
            note: DEMONSTRATION_NOTE.to_string(),
            ..Default::default()
        }
    }
}

/// Calibrated parameters and fit of one item, as written to the bank.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemParameters {
    pub id: String,
    /// Discrimination and thresholds as written (rounded).
    pub a: f64,
    pub b: Vec<f64>,
    /// Standard error of a, where the information matrix allowed one.
    pub se_a: Option<f64>,
    /// Item-fit chi-square p value (Q1 style; liberal, for ranking items).
    pub fit_p: f64,
}

/// Calibration result of one scale.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScaleCalibrationSummary {
    pub scale: String,
    /// Respondents with at least one answer on the scale.
    pub respondents: usize,
    /// EM cycles run and whether they converged.
    pub iterations: usize,
    pub converged: bool,
    /// Marginal log-likelihood at the solution.
    pub log_likelihood: f64,
    /// Marginal reliability of the full scale under the estimated parameters.
    pub marginal_reliability: f64,
    pub items: Vec<ItemParameters>,
    /// Items whose Q1 fit p value is below .01. Q1 groups people by their
    /// (shrunken) EAP theta and is liberal: with thousands of respondents it
    /// flags items even when the model is true, so treat this as a list for
    /// a closer look (e.g. at the item's residual plot), not as a verdict.
    pub misfitting_items: Vec<String>,
    /// Warnings of the estimator (sparse categories, ...).
    pub warnings: Vec<String>,
}

/// Result of `vigil calibrate`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CalibrationSummary {
    pub bank_id: String,
    pub bank_version: String,
    /// The file written.
    pub out_path: String,
    /// Rows of the response file.
    pub sessions: usize,
    pub kind: CalibrationKind,
    pub scales: Vec<ScaleCalibrationSummary>,
}

/// Rounds to `decimals` places: `round(x * 10^d) / 10^d`.
fn round_to(x: f64, decimals: u32) -> f64 {
    let f = 10f64.powi(i32::try_from(decimals.min(12)).unwrap_or(12));
    (x * f).round() / f
}

/// Rounded parameters; keeps full precision if rounding would tie thresholds.
fn rounded_item(item: &GrmItem, decimals: u32) -> GrmItem {
    let r = GrmItem {
        a: round_to(item.a, decimals),
        b: item.b.iter().map(|b| round_to(*b, decimals)).collect(),
    };
    if r.a > 0.0 && r.b.windows(2).all(|w| w[0] < w[1]) {
        r
    } else {
        item.clone()
    }
}

/// Refuses to overwrite a file that holds a published bank.
fn refuse_published_target(out_path: &Path, limits: &Limits) -> Result<(), CommandError> {
    if !out_path.exists() {
        return Ok(());
    }
    let src = read_limited(out_path, limits.max_toml_bytes)?;
    let published = toml::from_str::<toml::Table>(&src).ok().is_some_and(|t| {
        t.get("instrument")
            .and_then(|i| i.get("status"))
            .and_then(|s| s.as_str())
            == Some("published")
    });
    if published {
        return Err(CommandError::WouldOverwritePublished {
            path: out_path.display().to_string(),
        });
    }
    Ok(())
}

fn edit_err(path: &Path, message: impl Into<String>) -> CommandError {
    CommandError::Edit {
        path: path.display().to_string(),
        message: message.into(),
    }
}

/// `{ a = .., b = [..] }` as an inline TOML value.
fn grm_value(item: &GrmItem) -> toml_edit::Value {
    let mut t = toml_edit::InlineTable::new();
    t.insert("a", item.a.into());
    let mut b = toml_edit::Array::new();
    for x in &item.b {
        b.push(*x);
    }
    t.insert("b", toml_edit::Value::Array(b));
    toml_edit::Value::InlineTable(t)
}

/// Writes calibrated parameters, the calibration record and `status =
/// "draft"` into the bank's TOML text, keeping comments and order.
fn write_calibration_into(
    src: &str,
    path: &Path,
    params: &BTreeMap<String, GrmItem>,
    kind: CalibrationKind,
    note: &str,
) -> Result<String, CommandError> {
    let mut doc: toml_edit::DocumentMut = src.parse().map_err(|e: toml_edit::TomlError| edit_err(path, e.to_string()))?;
    let inst = doc
        .get_mut("instrument")
        .and_then(toml_edit::Item::as_table_mut)
        .ok_or_else(|| edit_err(path, "no [instrument] table"))?;
    inst.insert("status", toml_edit::value("draft"));
    inst.remove("content_hash");
    let mut cal = toml_edit::InlineTable::new();
    cal.insert("kind", kind.as_str().into());
    if !note.is_empty() {
        cal.insert("note", note.into());
    }
    inst.insert("calibration", toml_edit::value(cal));
    let items = doc
        .get_mut("items")
        .and_then(toml_edit::Item::as_array_of_tables_mut)
        .ok_or_else(|| edit_err(path, "items must be written as [[items]] tables to be edited"))?;
    let mut written = 0;
    for t in items.iter_mut() {
        let Some(id) = t.get("id").and_then(toml_edit::Item::as_str).map(str::to_string) else {
            continue;
        };
        if let Some(g) = params.get(&id) {
            t.insert("grm", toml_edit::Item::Value(grm_value(g)));
            written += 1;
        }
    }
    if written != params.len() {
        return Err(edit_err(path, format!("wrote parameters for {written} of {} items", params.len())));
    }
    Ok(doc.to_string())
}

/// Calibrates the scales of a bank in memory: one GRM calibration (MML-EM)
/// per scale with Likert / SJT items, or only `opts.scale`.
pub fn calibrate_sessions(
    bank: &Bank,
    sessions: &[Responses],
    opts: &CalibrateOptions,
) -> Result<Vec<ScaleCalibrationSummary>, CommandError> {
    let scales = match &opts.scale {
        Some(id) => vec![adaptive::scale_irt(bank, adaptive::scale_by_id(bank, id)?)?],
        None => adaptive::irt_scales(bank)?,
    };
    let mut out = Vec::with_capacity(scales.len());
    for s in &scales {
        let matrix = adaptive::response_matrix(bank, s, sessions);
        let cal = calibrate(&matrix, &s.categories, &opts.em).map_err(|source| CommandError::Calibration {
            scale: s.scale_id.clone(),
            source,
        })?;
        if opts.require_convergence && !cal.converged {
            return Err(CommandError::NotConverged {
                scale: s.scale_id.clone(),
                iterations: cal.iterations,
            });
        }
        let mut items = Vec::with_capacity(s.items.len());
        let mut misfitting = Vec::new();
        let mut rounded = Vec::with_capacity(s.items.len());
        for (&i, c) in s.items.iter().zip(&cal.items) {
            let id = bank.items().get(i).map(|d| d.id.clone()).unwrap_or_default();
            let g = rounded_item(&c.item(), opts.decimals);
            if c.fit.p_value < 0.01 {
                misfitting.push(id.clone());
            }
            items.push(ItemParameters {
                id,
                a: g.a,
                b: g.b.clone(),
                se_a: c.se_a,
                fit_p: c.fit.p_value,
            });
            rounded.push(g);
        }
        out.push(ScaleCalibrationSummary {
            scale: s.scale_id.clone(),
            respondents: cal.respondents,
            iterations: cal.iterations,
            converged: cal.converged,
            log_likelihood: cal.log_likelihood,
            marginal_reliability: marginal_reliability(&rounded),
            items,
            misfitting_items: misfitting,
            warnings: cal.warnings.clone(),
        });
    }
    Ok(out)
}

/// `vigil calibrate BANK RESPONSES.csv --out NEW_BANK.toml [--scale S]`:
/// estimates GRM parameters for every scale with Likert / SJT items (or one
/// scale) and writes a new bank file with `grm = { a, b }` on each
/// calibrated item and `instrument.calibration = { kind, note }`.
///
/// The written bank is a **draft** (no content hash): a calibration is new
/// content and must be published as a version of its own. The rest of the
/// file (comments, order, texts) is kept. A file at `out_path` that holds a
/// published bank is never overwritten. Nothing is written if any scale
/// fails to calibrate (or, by default, to converge).
pub fn calibrate_bank(
    bank_path: &Path,
    responses_csv: &Path,
    out_path: &Path,
    opts: &CalibrateOptions,
    limits: &Limits,
) -> Result<CalibrationSummary, CommandError> {
    let src = read_limited(bank_path, limits.max_toml_bytes)?;
    let bank = Bank::parse(&src, &bank_path.display().to_string())?;
    let sessions = load_responses(responses_csv, &bank, limits)?;
    if sessions.is_empty() {
        return Err(CommandError::NoSessions {
            path: responses_csv.display().to_string(),
        });
    }
    refuse_published_target(out_path, limits)?;
    let scales = calibrate_sessions(&bank, &sessions, opts)?;
    let params: BTreeMap<String, GrmItem> = scales
        .iter()
        .flat_map(|s| s.items.iter().map(|i| (i.id.clone(), GrmItem { a: i.a, b: i.b.clone() })))
        .collect();
    let text = write_calibration_into(&src, bank_path, &params, opts.kind, &opts.note)?;
    // what we write must read back as a valid bank with the new parameters
    let written = Bank::parse(&text, &out_path.display().to_string())?;
    for s in &scales {
        let idx = adaptive::scale_by_id(&written, &s.scale)?;
        if adaptive::scale_irt(&written, idx)?.grm.is_none() {
            return Err(edit_err(out_path, format!("scale `{}` lost its parameters", s.scale)));
        }
    }
    write_atomic(out_path, text.as_bytes())?;
    Ok(CalibrationSummary {
        bank_id: bank.id().to_string(),
        bank_version: bank.version().to_string(),
        out_path: out_path.display().to_string(),
        sessions: sessions.len(),
        kind: opts.kind,
        scales,
    })
}

/// Human-readable summary of a calibration: one line per scale.
pub fn format_calibration_summary(s: &CalibrationSummary) -> String {
    let mut out = format!(
        "{}@{}: {} calibration from {} sessions, written to {}\n",
        s.bank_id,
        s.bank_version,
        s.kind.as_str(),
        s.sessions,
        s.out_path
    );
    let w = s.scales.iter().map(|x| x.scale.len()).max().unwrap_or(5).max(5);
    out.push_str(&format!(
        "{:<w$}  {:>5}  {:>6}  {:>9}  {:>14}  {:>6}  {}\n",
        "scale", "items", "cycles", "converged", "log-likelihood", "rel.", "item fit p < .01 (Q1; liberal at large N)"
    ));
    for x in &s.scales {
        out.push_str(&format!(
            "{:<w$}  {:>5}  {:>6}  {:>9}  {:>14.1}  {:>6.3}  {}\n",
            x.scale,
            x.items.len(),
            x.iterations,
            if x.converged { "yes" } else { "NO" },
            x.log_likelihood,
            x.marginal_reliability,
            if x.misfitting_items.is_empty() { "-".to_string() } else { x.misfitting_items.join(", ") }
        ));
        for warning in &x.warnings {
            out.push_str(&format!("{:<w$}  warning: {warning}\n", ""));
        }
    }
    out
}

// ---------------------------------------------------------------------------
// vigil cat simulate
// ---------------------------------------------------------------------------

/// Most simulated candidates in one study.
pub const MAX_STUDY_CANDIDATES: usize = 100_000;

/// `vigil cat simulate BANK [--scale S] --n N [--se 0.30] --seed SEED`:
/// simulates `n` candidates (true theta ~ N(0,1) per scale, answers drawn
/// from the bank's own GRM parameters) through the adaptive test and the
/// full fixed form. `scale = None` studies every calibrated scale;
/// `se_target = None` uses the bank's `[cat]` setting (default 0.30).
pub fn cat_study(
    bank_path: &Path,
    scale: Option<&str>,
    n: usize,
    se_target: Option<f64>,
    seed: u64,
    limits: &Limits,
) -> Result<StudyReport, CommandError> {
    if n == 0 || n > MAX_STUDY_CANDIDATES {
        return Err(CommandError::InvalidArgument(format!(
            "the number of simulated candidates must lie between 1 and {MAX_STUDY_CANDIDATES} (got {n})"
        )));
    }
    let bank = load_bank(bank_path, limits)?;
    let scales: Vec<&str> = scale.into_iter().collect();
    let pool = adaptive::cat_pool(&bank, &scales)?;
    let mut config = adaptive::cat_config(&bank);
    if let Some(se) = se_target {
        if !(se.is_finite() && se > 0.0 && se < 1.0) {
            return Err(CommandError::InvalidArgument(format!(
                "the SE target must lie between 0 and 1 (got {se})"
            )));
        }
        config.se_target = se;
    }
    Ok(crate::cat::study::simulate(&pool, &config, n, seed)?)
}

/// The study as an aligned text table, CAT and full form per scale:
/// mean items, max items, mean final SE, r(estimated, true theta), RMSE,
/// highest item exposure.
pub fn format_study_report(report: &StudyReport) -> String {
    let w = report.scales.iter().map(|s| s.scale.len()).max().unwrap_or(5).max(5);
    let mut out = format!("CAT simulation: {} candidates, seed {}\n", report.n, report.seed);
    out.push_str(&format!(
        "{:<w$}  {:<4}  {:>10}  {:>9}  {:>7}  {:>11}  {:>6}  {:>12}\n",
        "scale", "form", "mean items", "max items", "mean SE", "r(est,true)", "RMSE", "max exposure"
    ));
    for s in &report.scales {
        for (name, f) in [("CAT", &s.cat), ("full", &s.full)] {
            out.push_str(&format!(
                "{:<w$}  {:<4}  {:>10.2}  {:>9}  {:>7.3}  {:>11.3}  {:>6.3}  {:>12.3}\n",
                if name == "CAT" { s.scale.as_str() } else { "" },
                name,
                f.mean_items,
                f.max_items,
                f.mean_se,
                f.correlation,
                f.rmse,
                f.max_exposure
            ));
        }
    }
    out.push_str(&format!(
        "CAT used {:.0}% of the full-form items (mean over all scales).\n",
        100.0 * report.item_ratio
    ));
    out
}

// ---------------------------------------------------------------------------
// vigil bank publish
// ---------------------------------------------------------------------------

/// Result of `vigil bank publish`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublishSummary {
    pub bank_id: String,
    pub bank_version: String,
    pub path: String,
    /// The recorded content hash.
    pub content_hash: String,
    /// True when the file was already published with this hash (nothing written).
    pub already_published: bool,
}

/// Sets `key = value` in a table, right after `after` when the key is new.
fn insert_after(table: &mut toml_edit::Table, after: &str, key: &str, value: toml_edit::Item) {
    if table.contains_key(key) || !table.contains_key(after) {
        table.insert(key, value);
        return;
    }
    let keys: Vec<String> = table.iter().map(|(k, _)| k.to_string()).collect();
    let tail: Vec<String> = keys.iter().skip_while(|k| *k != after).skip(1).cloned().collect();
    let moved: Vec<(toml_edit::Key, toml_edit::Item)> =
        tail.iter().filter_map(|k| table.remove_entry(k)).collect();
    table.insert(key, value);
    for (k, v) in moved {
        table.insert_formatted(&k, v);
    }
}

/// `vigil bank publish BANK`: validates a draft bank and rewrites it with
/// `status = "published"` and its computed `content_hash`. From then on the
/// file is immutable. A bank already published with the matching hash is
/// left as it is; one whose content no longer matches its recorded hash is
/// refused (publish a new version instead).
pub fn publish_bank(path: &Path, limits: &Limits) -> Result<PublishSummary, CommandError> {
    let name = path.display().to_string();
    let src = read_limited(path, limits.max_toml_bytes)?;
    let computed = bank_content_hash(&src, &name)?;
    let raw: toml::Table = toml::from_str(&src).map_err(|e| crate::bank::syntax_error(&name, &src, &e))?;
    let inst = raw.get("instrument");
    let status = inst.and_then(|i| i.get("status")).and_then(|s| s.as_str());
    let recorded = inst.and_then(|i| i.get("content_hash")).and_then(|s| s.as_str());
    if status == Some("published") {
        if let Some(r) = recorded {
            if r != computed {
                return Err(CommandError::PublishedChanged {
                    path: name,
                    recorded: r.to_string(),
                    computed,
                });
            }
        }
        let bank = Bank::parse(&src, &name)?;
        return Ok(PublishSummary {
            bank_id: bank.id().to_string(),
            bank_version: bank.version().to_string(),
            path: name,
            content_hash: computed,
            already_published: true,
        });
    }
    let bank = Bank::parse(&src, &name)?;
    let mut doc: toml_edit::DocumentMut =
        src.parse().map_err(|e: toml_edit::TomlError| edit_err(path, e.to_string()))?;
    let table = doc
        .get_mut("instrument")
        .and_then(toml_edit::Item::as_table_mut)
        .ok_or_else(|| edit_err(path, "no [instrument] table"))?;
    table.insert("status", toml_edit::value("published"));
    insert_after(table, "status", "content_hash", toml_edit::value(computed.as_str()));
    let text = doc.to_string();
    let written = Bank::parse(&text, &name)?;
    if written.content_hash() != computed || bank.content_hash() != computed {
        return Err(edit_err(path, "publishing would change the bank's content"));
    }
    write_atomic(path, text.as_bytes())?;
    Ok(PublishSummary {
        bank_id: bank.id().to_string(),
        bank_version: bank.version().to_string(),
        path: name,
        content_hash: computed,
        already_published: false,
    })
}
