//! Problems in a bank or norm-table file, each with its file, line and
//! item, and the helpers that find the line a key stands on.

use std::fmt;

use serde::{Deserialize, Serialize};

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

impl Issue {
    /// A text missing (or empty) in a declared language: listed apart in
    /// the editor, as work for the translators.
    pub fn is_translation(&self) -> bool {
        self.message.contains(MISSING_TRANSLATION) || self.message.contains(EMPTY_TEXT)
    }
}

pub(super) const MISSING_TRANSLATION: &str = "missing translation for declared language";
pub(super) const EMPTY_TEXT: &str = "empty text for language";

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

pub(super) fn list_issues(file: &str, issues: &[Issue]) -> String {
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

pub(super) fn line_has_key_value(line: &str, key: &str, value: &str) -> bool {
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
