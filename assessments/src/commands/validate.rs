//! `vigil bank validate` and `vigil bank hash`: every bank, norm table and population model under the given paths checked, with every problem and its line; the canonical content hash.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::bank::{bank_content_hash, Bank, BankError};
use crate::norms::NormTable;
use crate::simulate::SimulationModel;
use super::io::{CommandError, Limits, io_err, load_bank, read_limited};

/// What a TOML file in a bank folder is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FileKind {
    Bank,
    NormTable,
    SimulationModel,
    /// Feedback texts for the people who took an instrument ([feedback]).
    Feedback,
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

pub(super) fn collect_toml(path: &Path, out: &mut Vec<PathBuf>) -> Result<(), CommandError> {
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

/// A feedback file, checked against every version of its instrument among
/// the given files or in its instrument's folder (one folder up).
fn validate_feedback(f: &Path, src: &str, banks: &BTreeMap<(String, String), Bank>, limits: &Limits) -> FileValidation {
    let name = f.display().to_string();
    let (ok, problems) = match crate::feedback::Feedback::parse(src, &name) {
        Err(e) => (false, vec![e]),
        Ok(feedback) => {
            let mut versions: Vec<Bank> = banks.values().filter(|b| b.id() == feedback.feedback.instrument).cloned().collect();
            if versions.is_empty() {
                let dir = f.parent().and_then(Path::parent).map(Path::to_path_buf).unwrap_or_default();
                let mut files = Vec::new();
                let _ = collect_toml(&dir, &mut files);
                versions = files.iter().filter(|p| p.parent() == Some(dir.as_path())).filter_map(|p| load_bank(p, limits).ok()).filter(|b| b.id() == feedback.feedback.instrument).collect();
            }
            let mut problems: Vec<String> = versions.iter().flat_map(|b| feedback.problems_with(b).into_iter().map(|p| format!("{name} ({} {}): {p}", b.id(), b.version()))).collect();
            if versions.is_empty() {
                problems.push(format!("{name}: no version of {} found to check it against", feedback.feedback.instrument));
            }
            (problems.is_empty(), problems)
        }
    };
    FileValidation { path: name, kind: FileKind::Feedback, ok, id: None, version: None, content_hash: None, problems }
}

pub(super) fn classify(src: &str) -> FileKind {
    match toml::from_str::<toml::Table>(src) {
        Ok(t) if t.contains_key("instrument") => FileKind::Bank,
        Ok(t) if t.contains_key("norm_table") => FileKind::NormTable,
        Ok(t) if t.contains_key("latent") => FileKind::SimulationModel,
        Ok(t) if t.contains_key("feedback") => FileKind::Feedback,
        _ => FileKind::Unknown,
    }
}

pub(super) fn problems_of(e: &CommandError) -> Vec<String> {
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

pub(super) struct Issue2<'a>(&'a crate::bank::Issue);
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
                            "{}: not a bank ([instrument]), norm table ([norm_table]), simulation model ([latent]) or feedback texts ([feedback])",
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
            FileKind::Feedback => {
                report.push(validate_feedback(f, src, &banks, limits));
                continue;
            }
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
