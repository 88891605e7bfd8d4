//! Shared file I/O of the commands: size limits, the one error type that
//! names the file, reading with a limit, atomic writes, loading banks, norm
//! tables and response files.

use std::fs;
use std::io::{Read, Write};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

use serde::{Deserialize, Serialize};

use crate::adaptive::AdaptiveError;
use crate::bank::{Bank, BankError};
use crate::cat::CatError;
use crate::irt::IrtError;
use crate::norms::{NormTable, NormsError};
use crate::responses::{read_csv, CsvLimits, Responses, ResponsesError};
use crate::scoring::ScoringError;

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

pub(super) fn io_err(path: &Path, source: std::io::Error) -> CommandError {
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

pub(crate) fn edit_err(path: &Path, message: impl Into<String>) -> CommandError {
    CommandError::Edit {
        path: path.display().to_string(),
        message: message.into(),
    }
}
