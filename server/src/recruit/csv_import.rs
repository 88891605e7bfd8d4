//! Reading a CSV file of candidates to invite: `name,email,language`.
//!
//! What spreadsheets really export is accepted: a UTF-8 byte-order mark,
//! commas or semicolons (Excel in German locales), quoted fields, CRLF line
//! ends, columns in any order, header names in any case, an empty language
//! (the campaign's default is used). Each row is checked on its own; the
//! caller creates the valid rows and lists the others with their row
//! numbers as a spreadsheet shows them (the header is row 1).

use std::collections::HashMap;

use crate::auth::normalise_email;

/// Most candidates one upload may invite.
pub const MAX_ROWS: usize = 10_000;
/// Largest accepted file (10,000 rows of long names and addresses fit).
pub const MAX_BYTES: usize = 4 * 1024 * 1024;
/// Languages the candidate pages are available in.
pub const LANGUAGES: [&str; 2] = ["en", "de"];

/// A candidate to invite, as read from one row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invitee {
    /// Spreadsheet row number (the header is row 1).
    pub row: usize,
    pub name: String,
    /// Trimmed and lower-cased.
    pub email: String,
    pub language: String,
}

/// A row that cannot be used, and why (in words for the recruiter).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    pub row: usize,
    pub message: String,
}

/// The rows of a file: those to invite and those with problems.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Parsed {
    pub invitees: Vec<Invitee>,
    pub errors: Vec<RowError>,
}

/// Problems with the file as a whole: nothing in it is used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FileError {
    #[error("The file is empty. Please upload a CSV file whose first line is the header name,email,language.")]
    Empty,
    #[error("The file is larger than {} MB. Please split it into smaller files.", MAX_BYTES / (1024 * 1024))]
    TooLarge,
    #[error("The file is not UTF-8 text. Please save it as \"CSV UTF-8\" and upload it again.")]
    NotUtf8,
    #[error("The first line must be the header name,email,language (language may be left out). Found: {found}. {hint}")]
    Header { found: String, hint: String },
    #[error("The file has {rows} rows; at most {MAX_ROWS} candidates can be invited in one upload. Please split it.")]
    TooManyRows { rows: usize },
    #[error("The file could not be read as CSV near row {row}: {reason}")]
    Malformed { row: usize, reason: String },
}

/// Reads an uploaded file. `default_language` fills empty language cells.
pub fn parse(bytes: &[u8], default_language: &str) -> Result<Parsed, FileError> {
    if bytes.len() > MAX_BYTES {
        return Err(FileError::TooLarge);
    }
    let text = std::str::from_utf8(bytes).map_err(|_| FileError::NotUtf8)?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(FileError::Empty);
    }
    let delimiter = sniff_delimiter(text);
    let mut reader = csv::ReaderBuilder::new().delimiter(delimiter).flexible(true).has_headers(false).from_reader(text.as_bytes());
    let mut records = reader.records();
    let header = match records.next() {
        Some(Ok(h)) => h,
        Some(Err(e)) => return Err(FileError::Malformed { row: 1, reason: e.to_string() }),
        None => return Err(FileError::Empty),
    };
    let columns = Columns::of(&header)?;
    let mut parsed = Parsed::default();
    let mut first_row_of: HashMap<String, usize> = HashMap::new();
    let mut rows = 0usize;
    let mut index = 0usize;
    while let Some(record) = records.next() {
        let row = index + 2;
        index += 1;
        let record = record.map_err(|e| FileError::Malformed { row, reason: e.to_string() })?;
        if record.iter().all(|cell| cell.trim().is_empty()) {
            continue; // blank lines, e.g. at the end of the file
        }
        rows += 1;
        if rows > MAX_ROWS {
            let total = rows + reader_remaining_rows(&mut records);
            return Err(FileError::TooManyRows { rows: total });
        }
        match columns.invitee(&record, row, default_language) {
            Err(message) => parsed.errors.push(RowError { row, message }),
            Ok(invitee) => match first_row_of.get(&invitee.email) {
                Some(first) => parsed.errors.push(RowError { row, message: format!("The e-mail address {} is already in row {first} of this file.", invitee.email) }),
                None => {
                    first_row_of.insert(invitee.email.clone(), row);
                    parsed.invitees.push(invitee);
                }
            },
        }
    }
    if rows == 0 {
        return Err(FileError::Empty);
    }
    Ok(parsed)
}

fn reader_remaining_rows<R: std::io::Read>(records: &mut csv::StringRecordsIter<'_, R>) -> usize {
    records.filter(|r| r.as_ref().map_or(true, |rec| !rec.iter().all(|c| c.trim().is_empty()))).count()
}

/// Semicolon when the header line has more semicolons than commas (outside quotes), else comma.
pub fn sniff_delimiter(text: &str) -> u8 {
    let first_line = text.lines().next().unwrap_or_default();
    let (mut commas, mut semicolons, mut quoted) = (0, 0, false);
    for c in first_line.chars() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => commas += 1,
            ';' if !quoted => semicolons += 1,
            _ => {}
        }
    }
    if semicolons > commas {
        b';'
    } else {
        b','
    }
}

/// Where the name, e-mail and language columns are.
struct Columns {
    name: usize,
    email: usize,
    language: Option<usize>,
}

impl Columns {
    fn of(header: &csv::StringRecord) -> Result<Columns, FileError> {
        let names: Vec<String> = header.iter().map(|h| h.trim().to_lowercase()).collect();
        let find = |wanted: &[&str]| names.iter().position(|n| wanted.contains(&n.as_str()));
        let name = find(&["name", "full name", "candidate"]);
        let email = find(&["email", "e-mail", "email address", "e-mail address", "mail"]);
        let language = find(&["language", "lang", "sprache"]);
        match (name, email) {
            (Some(name), Some(email)) => Ok(Columns { name, email, language }),
            _ => {
                let found: String = header.iter().map(|h| format!("\"{}\"", h.chars().take(40).collect::<String>())).collect::<Vec<_>>().join(", ");
                let hint = if names.len() == 1 && names.first().is_some_and(|h| h.contains('\t')) {
                    "The file seems to use tabs; please save it as CSV with commas or semicolons."
                } else {
                    "Columns named \"name\" and \"email\" are required."
                };
                Err(FileError::Header { found: if found.is_empty() { "nothing".into() } else { found }, hint: hint.into() })
            }
        }
    }

    fn invitee(&self, record: &csv::StringRecord, row: usize, default_language: &str) -> Result<Invitee, String> {
        let cell = |i: usize| record.get(i).unwrap_or_default().trim();
        let name = valid_name(cell(self.name))?;
        let email = valid_email(cell(self.email))?;
        let language = match self.language.map(cell).unwrap_or_default() {
            "" => default_language.to_string(),
            given => {
                let lower = given.to_lowercase();
                if LANGUAGES.contains(&lower.as_str()) {
                    lower
                } else {
                    return Err(format!("The language \"{}\" is not available; use en or de, or leave it empty.", given.chars().take(20).collect::<String>()));
                }
            }
        };
        Ok(Invitee { row, name, email, language })
    }
}

/// A candidate's name: 1 to 200 characters, no control characters.
pub fn valid_name(name: &str) -> Result<String, String> {
    let name = name.trim();
    if name.is_empty() {
        return Err("The name is missing.".into());
    }
    if name.chars().count() > 200 {
        return Err("The name is longer than 200 characters.".into());
    }
    if name.chars().any(char::is_control) {
        return Err("The name contains control characters.".into());
    }
    Ok(name.to_string())
}

/// A plausible e-mail address, lower-cased: one `@`, a dotted domain, no spaces, at most 254 characters.
pub fn valid_email(email: &str) -> Result<String, String> {
    let email = normalise_email(email);
    if email.is_empty() {
        return Err("The e-mail address is missing.".into());
    }
    let plausible = email.len() <= 254
        && !email.chars().any(|c| c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | ',' | ';' | '"'))
        && email.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty() && !domain.contains('@') && domain.contains('.') && !domain.starts_with('.') && !domain.ends_with('.') && !domain.contains("..")
        });
    if plausible {
        Ok(email)
    } else {
        Err(format!("\"{}\" is not a valid e-mail address.", email.chars().take(80).collect::<String>()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(text: &str) -> Parsed {
        parse(text.as_bytes(), "en").expect("file accepted")
    }

    #[test]
    fn a_plain_file_gives_one_invitee_per_row() {
        let p = ok("name,email,language\nAda Lovelace,Ada@Example.org,en\nKarl Weber,karl@example.de,de\n");
        assert_eq!(p.errors, vec![]);
        assert_eq!(
            p.invitees,
            vec![
                Invitee { row: 2, name: "Ada Lovelace".into(), email: "ada@example.org".into(), language: "en".into() },
                Invitee { row: 3, name: "Karl Weber".into(), email: "karl@example.de".into(), language: "de".into() },
            ]
        );
    }

    #[test]
    fn a_byte_order_mark_semicolons_crlf_and_quotes_are_accepted() {
        let p = ok("\u{feff}Name;E-Mail;Sprache\r\n\"Weber; Karl\";karl@example.de;DE\r\n");
        assert_eq!(p.errors, vec![]);
        assert_eq!(p.invitees.len(), 1);
        assert_eq!(p.invitees[0].name, "Weber; Karl");
        assert_eq!(p.invitees[0].language, "de");
    }

    #[test]
    fn columns_may_come_in_any_order_and_language_may_be_missing() {
        let p = parse(b"email,name\nzoe@example.org,Zoe\n", "de").expect("accepted");
        assert_eq!(p.invitees[0].name, "Zoe");
        assert_eq!(p.invitees[0].language, "de");
    }

    #[test]
    fn an_empty_language_cell_takes_the_default() {
        let p = ok("name,email,language\nZoe,zoe@example.org,\n");
        assert_eq!(p.invitees[0].language, "en");
    }

    #[test]
    fn a_wrong_header_rejects_the_whole_file() {
        let e = parse(b"first,last,mail address\nA,B,a@b.org\n", "en").unwrap_err();
        assert!(matches!(e, FileError::Header { .. }), "{e:?}");
        assert!(e.to_string().contains("name,email,language"));
        assert!(matches!(parse(b"Ada Lovelace,ada@example.org\n", "en"), Err(FileError::Header { .. })));
    }

    #[test]
    fn bad_rows_are_listed_with_their_spreadsheet_row_numbers() {
        let p = ok("name,email,language\nAda,ada@example.org,en\n,nobody@example.org,en\nBob,not-an-address,en\nCy,cy@example.org,fr\nDi,di@localhost,en\n");
        assert_eq!(p.invitees.len(), 1);
        let rows: Vec<usize> = p.errors.iter().map(|e| e.row).collect();
        assert_eq!(rows, vec![3, 4, 5, 6]);
        assert!(p.errors[0].message.contains("name is missing"));
        assert!(p.errors[1].message.contains("not a valid e-mail"));
        assert!(p.errors[2].message.contains("\"fr\""));
    }

    #[test]
    fn the_same_address_twice_in_one_file_is_invited_once() {
        let p = ok("name,email\nAda,ada@example.org\nAda L.,ADA@example.org\n");
        assert_eq!(p.invitees.len(), 1);
        assert_eq!(p.errors, vec![RowError { row: 3, message: "The e-mail address ada@example.org is already in row 2 of this file.".into() }]);
    }

    #[test]
    fn blank_lines_are_skipped_and_an_empty_file_is_refused() {
        assert_eq!(ok("name,email\n\nAda,ada@example.org\n\n").invitees.len(), 1);
        assert_eq!(parse(b"", "en"), Err(FileError::Empty));
        assert_eq!(parse(b"\xef\xbb\xbf  \n", "en"), Err(FileError::Empty));
        assert_eq!(parse(b"name,email\n", "en"), Err(FileError::Empty));
    }

    #[test]
    fn text_that_is_not_utf8_is_refused() {
        assert_eq!(parse(b"name,email\nJ\xfcrgen,j@example.de\n", "en"), Err(FileError::NotUtf8));
    }

    #[test]
    fn ten_thousand_rows_are_accepted_and_one_more_is_not() {
        let mut text = String::from("name,email,language\n");
        for i in 0..MAX_ROWS {
            text.push_str(&format!("Person {i},p{i}@example.org,en\n"));
        }
        assert_eq!(ok(&text).invitees.len(), MAX_ROWS);
        text.push_str("One more,more@example.org,en\n");
        assert_eq!(parse(text.as_bytes(), "en"), Err(FileError::TooManyRows { rows: MAX_ROWS + 1 }));
    }

    #[test]
    fn semicolons_inside_quotes_do_not_decide_the_delimiter() {
        assert_eq!(sniff_delimiter("\"a;b;c\",email\n"), b',');
        assert_eq!(sniff_delimiter("name;email;language\n"), b';');
    }

    #[test]
    fn addresses_are_checked_for_plausibility() {
        assert!(valid_email(" Ada@Example.ORG ").is_ok());
        for bad in ["ada", "@example.org", "ada@", "ada@example", "a b@example.org", "ada@@example.org", "ada@.example.org", "ada@example..org", "=cmd|' /C calc'!A0@x.org"] {
            assert!(valid_email(bad).is_err(), "{bad} accepted");
        }
    }
}
