//! A respondent's answers, and the response CSV format.
//!
//! CSV layout: one row per respondent; the first column is `respondent` (an
//! id), then one column per item id. An optional column `<item_id>__ms`
//! holds the item's latency in milliseconds. An empty cell is a missing
//! answer. Likert and check cells hold the integer answer as shown to the
//! respondent (before reverse keying); SJT cells hold the chosen option id.
//! Not every bank item needs a column (unasked items are missing).

use std::collections::HashSet;
use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use crate::bank::{Bank, ItemType};

/// One answer, resolved against the bank.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Answer {
    /// Likert or check item: the answer as given (not reverse-keyed).
    Value(i32),
    /// SJT item: index of the chosen option in the item's `options`.
    Option(u16),
}

/// An answer as it arrives from outside (JSON or a CSV cell): a number, or an
/// SJT option id.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum RawAnswer {
    Value(i64),
    Option(String),
}

/// Why an answer's text cannot be read against its item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RawAnswerError {
    UnknownItem,
    NotANumber,
}

impl RawAnswer {
    /// An answer as text read against its item: an SJT item's option id as
    /// given, any other item's whole number. Whether the value fits the
    /// item is [`Responses::set`]'s check.
    pub fn parse(bank: &Bank, item_id: &str, text: &str) -> Result<RawAnswer, RawAnswerError> {
        let item = bank.item(item_id).ok_or(RawAnswerError::UnknownItem)?;
        if item.kind == ItemType::Sjt {
            Ok(RawAnswer::Option(text.to_string()))
        } else {
            text.trim().parse::<i64>().map(RawAnswer::Value).map_err(|_| RawAnswerError::NotANumber)
        }
    }
}

/// Errors in response data. Every message names where the problem is.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum ResponsesError {
    #[error("{file}: the file is empty (expected a header row starting with `respondent`)")]
    Empty { file: String },
    #[error("{file}: the file is {size} bytes, more than the limit of {limit} bytes; it was not read")]
    TooLarge { file: String, size: u64, limit: u64 },
    #[error("{file}:{line}: more than {limit} respondent rows; split the file or raise the limit")]
    TooManyRows { file: String, line: u64, limit: usize },
    #[error("{file}:1: header: {message}")]
    Header { file: String, message: String },
    #[error("{file}:1, column {column} (`{name}`): unknown item column; bank `{bank}` has no item `{item}`")]
    UnknownColumn {
        file: String,
        column: usize,
        name: String,
        item: String,
        bank: String,
    },
    #[error("{file}:{line}, column {column} (`{item}`): {message}")]
    Cell {
        file: String,
        line: u64,
        column: usize,
        item: String,
        message: String,
    },
    #[error("{file}:{line}: {message}")]
    Row { file: String, line: u64, message: String },
    #[error("item `{item}`: {message}")]
    Answer { item: String, message: String },
}

/// Size guards for response files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CsvLimits {
    /// Largest accepted file, in bytes (default 64 MiB).
    pub max_bytes: u64,
    /// Most respondent rows accepted (default 250,000).
    pub max_rows: usize,
}

impl Default for CsvLimits {
    fn default() -> Self {
        CsvLimits {
            max_bytes: 64 * 1024 * 1024,
            max_rows: 250_000,
        }
    }
}

/// One respondent's answers, stored by bank item index for fast scoring.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Responses {
    pub respondent: String,
    answers: Vec<Option<Answer>>,
    latencies_ms: Vec<Option<u32>>,
}

impl Responses {
    /// An empty answer sheet for `bank`.
    pub fn new(bank: &Bank, respondent: impl Into<String>) -> Responses {
        let n = bank.items().len();
        Responses {
            respondent: respondent.into(),
            answers: vec![None; n],
            latencies_ms: vec![None; n],
        }
    }

    /// Builds an answer sheet from `(item id, answer)` pairs, checking each
    /// answer against the bank.
    pub fn from_pairs<'a>(
        bank: &Bank,
        respondent: impl Into<String>,
        pairs: impl IntoIterator<Item = (&'a str, RawAnswer)>,
    ) -> Result<Responses, ResponsesError> {
        let mut r = Responses::new(bank, respondent);
        for (id, a) in pairs {
            r.set(bank, id, &a)?;
        }
        Ok(r)
    }

    /// Records the answer to item `item_id`, checked against the bank.
    pub fn set(&mut self, bank: &Bank, item_id: &str, answer: &RawAnswer) -> Result<(), ResponsesError> {
        let idx = bank.item_index(item_id).ok_or_else(|| ResponsesError::Answer {
            item: item_id.to_string(),
            message: format!("no such item in bank `{}`", bank.id()),
        })?;
        let resolved = resolve_answer(bank, idx, answer).map_err(|message| ResponsesError::Answer {
            item: item_id.to_string(),
            message,
        })?;
        if let Some(slot) = self.answers.get_mut(idx) {
            *slot = Some(resolved);
        }
        Ok(())
    }

    /// Records an already resolved answer by item index (used by simulation).
    pub fn set_index(&mut self, index: usize, answer: Option<Answer>) {
        if let Some(slot) = self.answers.get_mut(index) {
            *slot = answer;
        }
    }

    /// Records the latency of item `index` in milliseconds.
    pub fn set_latency_index(&mut self, index: usize, ms: Option<u32>) {
        if let Some(slot) = self.latencies_ms.get_mut(index) {
            *slot = ms;
        }
    }

    /// Records the latency of item `item_id` in milliseconds.
    pub fn set_latency(&mut self, bank: &Bank, item_id: &str, ms: u32) -> Result<(), ResponsesError> {
        let idx = bank.item_index(item_id).ok_or_else(|| ResponsesError::Answer {
            item: item_id.to_string(),
            message: format!("no such item in bank `{}`", bank.id()),
        })?;
        self.set_latency_index(idx, Some(ms));
        Ok(())
    }

    /// Answer to item number `index` (bank order), if given.
    pub fn answer(&self, index: usize) -> Option<Answer> {
        self.answers.get(index).copied().flatten()
    }
    /// Latency of item number `index` in milliseconds, if recorded.
    pub fn latency_ms(&self, index: usize) -> Option<u32> {
        self.latencies_ms.get(index).copied().flatten()
    }
    /// All answers in bank item order.
    pub fn answers(&self) -> &[Option<Answer>] {
        &self.answers
    }
    /// All latencies in bank item order.
    pub fn latencies(&self) -> &[Option<u32>] {
        &self.latencies_ms
    }
    /// Answer to an item by id.
    pub fn answer_by_id(&self, bank: &Bank, item_id: &str) -> Option<Answer> {
        bank.item_index(item_id).and_then(|i| self.answer(i))
    }
}

/// Checks an outside answer against item `idx` of the bank: the answer it
/// is, or why it is none of the item's choices.
pub fn resolve_answer(bank: &Bank, idx: usize, answer: &RawAnswer) -> Result<Answer, String> {
    let (item, info) = match (bank.items().get(idx), bank.item_info(idx)) {
        (Some(i), Some(n)) => (i, n),
        _ => return Err("no such item".to_string()),
    };
    match (item.kind, answer) {
        (ItemType::Sjt, RawAnswer::Option(o)) => item
            .options
            .iter()
            .position(|opt| opt.id == *o)
            .and_then(|p| u16::try_from(p).ok())
            .map(Answer::Option)
            .ok_or_else(|| {
                let ids: Vec<&str> = item.options.iter().map(|o| o.id.as_str()).collect();
                format!("unknown SJT option `{o}` (options: {})", ids.join(", "))
            }),
        (ItemType::Sjt, RawAnswer::Value(v)) => Err(format!("expected an SJT option id, got the number {v}")),
        (_, RawAnswer::Value(v)) => {
            if *v < i64::from(info.min) || *v > i64::from(info.max) {
                Err(format!("value {v} is outside the response scale {}..{}", info.min, info.max))
            } else {
                i32::try_from(*v)
                    .map(Answer::Value)
                    .map_err(|_| format!("value {v} is out of range"))
            }
        }
        (_, RawAnswer::Option(s)) => Err(format!("expected an integer answer, got `{s}`")),
    }
}

/// What a CSV column holds.
#[derive(Debug, Clone, Copy)]
enum Column {
    Answer(usize),
    Latency(usize),
}

/// Reads a response CSV (see the module docs) into answer sheets, checking
/// every cell against the bank. `file` names the source in messages.
pub fn read_csv(bank: &Bank, text: &str, file: &str, limits: &CsvLimits) -> Result<Vec<Responses>, ResponsesError> {
    let size = text.len() as u64;
    if size > limits.max_bytes {
        return Err(ResponsesError::TooLarge {
            file: file.to_string(),
            size,
            limit: limits.max_bytes,
        });
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(ResponsesError::Empty { file: file.to_string() });
    }
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(text.as_bytes());
    let header_err = |message: String| ResponsesError::Header {
        file: file.to_string(),
        message,
    };
    let headers = rdr.headers().map_err(|e| header_err(e.to_string()))?.clone();
    match headers.get(0).map(str::trim) {
        Some("respondent") => {}
        Some(other) => {
            return Err(header_err(format!(
                "the first column must be `respondent`, found `{other}`"
            )))
        }
        None => return Err(header_err("no columns".to_string())),
    }
    let mut columns = Vec::with_capacity(headers.len());
    let mut seen = HashSet::new();
    for (c, name) in headers.iter().enumerate().skip(1) {
        let name = name.trim();
        if name.is_empty() {
            return Err(header_err(format!("column {} has an empty name", c + 1)));
        }
        if !seen.insert(name.to_string()) {
            return Err(header_err(format!("column {} (`{name}`) appears twice", c + 1)));
        }
        let (item, is_latency) = match name.strip_suffix("__ms") {
            Some(base) => (base, true),
            None => (name, false),
        };
        let idx = bank.item_index(item).ok_or_else(|| ResponsesError::UnknownColumn {
            file: file.to_string(),
            column: c + 1,
            name: name.to_string(),
            item: item.to_string(),
            bank: format!("{}@{}", bank.id(), bank.version()),
        })?;
        columns.push(if is_latency { Column::Latency(idx) } else { Column::Answer(idx) });
    }

    let mut out = Vec::new();
    let mut ids = HashSet::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| ResponsesError::Row {
            file: file.to_string(),
            line: e.position().map_or(0, csv::Position::line),
            message: match e.kind() {
                csv::ErrorKind::UnequalLengths { expected_len, len, .. } => {
                    format!("{len} fields, but the header has {expected_len}")
                }
                _ => e.to_string(),
            },
        })?;
        let line = rec.position().map_or(0, csv::Position::line);
        if out.len() >= limits.max_rows {
            return Err(ResponsesError::TooManyRows {
                file: file.to_string(),
                line,
                limit: limits.max_rows,
            });
        }
        let id = rec.get(0).map(str::trim).unwrap_or("");
        if id.is_empty() {
            return Err(ResponsesError::Row {
                file: file.to_string(),
                line,
                message: "empty respondent id".to_string(),
            });
        }
        if !ids.insert(id.to_string()) {
            return Err(ResponsesError::Row {
                file: file.to_string(),
                line,
                message: format!("respondent `{id}` appears twice"),
            });
        }
        let mut r = Responses::new(bank, id);
        for (c, (col, cell)) in columns.iter().zip(rec.iter().skip(1)).enumerate() {
            let cell = cell.trim();
            if cell.is_empty() {
                continue;
            }
            let cell_err = |idx: usize, message: String| ResponsesError::Cell {
                file: file.to_string(),
                line,
                column: c + 2,
                item: bank.items().get(idx).map(|i| i.id.clone()).unwrap_or_default(),
                message,
            };
            match *col {
                Column::Answer(idx) => {
                    let raw = match bank.items().get(idx).map(|i| i.kind) {
                        Some(ItemType::Sjt) => RawAnswer::Option(cell.to_string()),
                        _ => match cell.parse::<i64>() {
                            Ok(v) => RawAnswer::Value(v),
                            Err(_) => {
                                return Err(cell_err(idx, format!("`{cell}` is not an integer answer")))
                            }
                        },
                    };
                    let a = resolve_answer(bank, idx, &raw).map_err(|m| cell_err(idx, m))?;
                    r.set_index(idx, Some(a));
                }
                Column::Latency(idx) => {
                    let ms = cell
                        .parse::<f64>()
                        .ok()
                        .filter(|v| v.is_finite() && *v >= 0.0 && *v <= f64::from(u32::MAX))
                        .ok_or_else(|| cell_err(idx, format!("`{cell}` is not a latency in milliseconds")))?;
                    r.set_latency_index(idx, Some(ms.round() as u32));
                }
            }
        }
        out.push(r);
    }
    Ok(out)
}

/// Writes answer sheets as a response CSV (all bank items, with latency
/// columns when `with_latencies`). The inverse of [`read_csv`].
pub fn write_csv(bank: &Bank, sessions: &[Responses], with_latencies: bool) -> String {
    let mut s = String::from("respondent");
    for it in bank.items() {
        s.push(',');
        s.push_str(&it.id);
        if with_latencies {
            let _ = write!(s, ",{}__ms", it.id);
        }
    }
    s.push('\n');
    for r in sessions {
        s.push_str(&csv_field(&r.respondent));
        for (i, it) in bank.items().iter().enumerate() {
            s.push(',');
            match r.answer(i) {
                Some(Answer::Value(v)) => {
                    let _ = write!(s, "{v}");
                }
                Some(Answer::Option(o)) => {
                    if let Some(opt) = it.options.get(usize::from(o)) {
                        s.push_str(&csv_field(&opt.id));
                    }
                }
                None => {}
            }
            if with_latencies {
                s.push(',');
                if let Some(ms) = r.latency_ms(i) {
                    let _ = write!(s, "{ms}");
                }
            }
        }
        s.push('\n');
    }
    s
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bank::tests::mini;

    fn read(text: &str) -> Result<Vec<Responses>, ResponsesError> {
        read_csv(&mini(), text, "r.csv", &CsvLimits::default())
    }

    #[test]
    fn reads_answers_latencies_and_missing() {
        let rows = read("respondent,m1,m2,m2__ms,s1\np1,5,1,2300,c\np2,,4,,\n").unwrap_or_default();
        assert_eq!(rows.len(), 2);
        let b = mini();
        assert_eq!(rows[0].answer_by_id(&b, "m1"), Some(Answer::Value(5)));
        assert_eq!(rows[0].answer_by_id(&b, "s1"), Some(Answer::Option(2)));
        assert_eq!(rows[0].latency_ms(b.item_index("m2").unwrap_or(0)), Some(2300));
        assert_eq!(rows[1].answer_by_id(&b, "m1"), None);
        assert_eq!(rows[1].answer_by_id(&b, "m3"), None);
    }

    #[test]
    fn unknown_item_column_names_the_column() {
        let e = read("respondent,m1,zz9\np1,1,2\n");
        assert!(matches!(&e, Err(ResponsesError::UnknownColumn { column: 3, name, .. }) if name == "zz9"), "{e:?}");
        let msg = e.err().map(|e| e.to_string()).unwrap_or_default();
        assert!(msg.contains("r.csv:1, column 3 (`zz9`)"), "{msg}");
    }

    #[test]
    fn value_outside_the_response_scale_names_line_and_column() {
        let e = read("respondent,m1,m2\np1,1,2\np2,3,6\n");
        assert!(
            matches!(&e, Err(ResponsesError::Cell { line: 3, column: 3, item, message, .. })
                if item == "m2" && message.contains("outside the response scale 1..5")),
            "{e:?}"
        );
    }

    #[test]
    fn unknown_sjt_option_and_non_integer() {
        let e = read("respondent,s1\np1,z\n");
        assert!(matches!(&e, Err(ResponsesError::Cell { message, .. }) if message.contains("unknown SJT option `z`")), "{e:?}");
        let e = read("respondent,m1\np1,3.5\n");
        assert!(matches!(&e, Err(ResponsesError::Cell { message, .. }) if message.contains("not an integer")), "{e:?}");
    }

    #[test]
    fn empty_file_and_header_problems() {
        assert_eq!(read(""), Err(ResponsesError::Empty { file: "r.csv".into() }));
        assert_eq!(read("  \n"), Err(ResponsesError::Empty { file: "r.csv".into() }));
        assert!(matches!(read("id,m1\n"), Err(ResponsesError::Header { .. })));
        assert!(matches!(read("respondent,m1,m1\n"), Err(ResponsesError::Header { message, .. }) if message.contains("twice")));
    }

    #[test]
    fn row_problems() {
        assert!(matches!(read("respondent,m1\np1,1,2\n"), Err(ResponsesError::Row { line: 2, .. })));
        assert!(matches!(read("respondent,m1\np1,1\np1,2\n"), Err(ResponsesError::Row { line: 3, message, .. }) if message.contains("twice")));
    }

    #[test]
    fn size_and_row_limits() {
        let limits = CsvLimits { max_bytes: 10, max_rows: 1 };
        let e = read_csv(&mini(), "respondent,m1\np1,1\n", "big.csv", &limits);
        assert!(matches!(e, Err(ResponsesError::TooLarge { size: 19, limit: 10, .. })));
        let limits = CsvLimits { max_bytes: 1000, max_rows: 1 };
        let e = read_csv(&mini(), "respondent,m1\np1,1\np2,2\n", "many.csv", &limits);
        assert!(matches!(e, Err(ResponsesError::TooManyRows { line: 3, limit: 1, .. })));
    }

    #[test]
    fn write_then_read_round_trips() {
        let b = mini();
        let text = "respondent,m1,m2,s2,c1\np1,5,1,b,2\n\"p,2\",,4,a,\n";
        let rows = read(text).unwrap_or_default();
        let back = read_csv(&b, &write_csv(&b, &rows, true), "w.csv", &CsvLimits::default()).unwrap_or_default();
        assert_eq!(rows, back);
    }
}
