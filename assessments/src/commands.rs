//! Functions behind the `vigil bank|analyze|score|norms` commands.
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

use crate::bank::{bank_content_hash, Bank, BankError};
use crate::norms::{build_norm_table, NormMeta, NormTable, NormsError};
use crate::reliability::{analyze_scale, ScaleAnalysis};
use crate::responses::{read_csv, write_csv, CsvLimits, Responses, ResponsesError};
use crate::scoring::{ScoreReport, Scorer, ScoringError};
use crate::simulate::{SimulationModel, SimulationOptions, Simulator};
use crate::validity::{assess, ValidityReport};

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

/// Scores and validity indices of one session.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScoredSession {
    pub scores: ScoreReport,
    pub validity: ValidityReport,
}

/// Scores sessions in memory (with norms when given).
pub fn score_sessions(
    bank: &Bank,
    norms: Option<&NormTable>,
    sessions: &[Responses],
) -> Result<Vec<ScoredSession>, CommandError> {
    let scorer = Scorer::new(bank, norms)?;
    Ok(sessions
        .iter()
        .map(|s| {
            let scores = scorer.score(s);
            let validity = assess(bank, s, Some(&scores));
            ScoredSession { scores, validity }
        })
        .collect())
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
