//! Reading the organisation's structure from the files an HR system
//! exports: units (`unit,parent`) and employees
//! (`email,name,unit,location,tenure_band`; location and tenure band may
//! be left out). Every row is checked, and every problem is named by its
//! row (the header is row 1); a file with any problem imports nothing.
//!
//! Units are added or moved, never removed by an import (a unit left out
//! keeps its place and its history). The employee file is the whole
//! current list: new addresses are added, people whose unit changed are
//! moved, and people missing from it are marked as having left.

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::recruit::csv_import::{sniff_delimiter, valid_email, valid_name, RowError};

/// Largest accepted file (50,000 employees with long names fit in about 6 MB).
pub const MAX_BYTES: usize = 8 * 1024 * 1024;
/// Longest unit name, location or tenure band.
pub const MAX_LABEL_CHARS: usize = 120;

/// Problems with a file as a whole: nothing in it is used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StructureFileError {
    #[error("The file is larger than {} MB. Please export fewer columns, or split the structure by division.", MAX_BYTES / (1024 * 1024))]
    TooLarge,
    #[error("The file is not UTF-8 text. Please save it as \"CSV UTF-8\" and upload it again.")]
    NotUtf8,
    #[error("The file has no rows below its header.")]
    Empty,
    #[error("The first line must name the columns: {wanted}. Found: {found}.")]
    Header { wanted: &'static str, found: String },
    #[error("The file could not be read as CSV near row {row}: {reason}")]
    Malformed { row: usize, reason: String },
}

/// One unit of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitRow {
    pub row: usize,
    pub name: String,
    pub parent: Option<String>,
}

/// One employee of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmployeeRow {
    pub row: usize,
    /// Trimmed and lower-cased.
    pub email: String,
    pub name: String,
    pub unit: String,
    pub location: Option<String>,
    pub tenure_band: Option<String>,
}

/// The rows of a CSV file as (row number, cells by lower-cased column name).
fn read_rows(bytes: &[u8], required: &[&'static str], wanted: &'static str) -> Result<Vec<(usize, HashMap<String, String>)>, StructureFileError> {
    if bytes.len() > MAX_BYTES {
        return Err(StructureFileError::TooLarge);
    }
    let text = std::str::from_utf8(bytes).map_err(|_| StructureFileError::NotUtf8)?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new().delimiter(sniff_delimiter(text)).flexible(true).has_headers(false).from_reader(text.as_bytes());
    let mut records = reader.records();
    let header: Vec<String> = match records.next() {
        Some(Ok(h)) => h.iter().map(|c| c.trim().to_lowercase().replace([' ', '-'], "_")).collect(),
        Some(Err(e)) => return Err(StructureFileError::Malformed { row: 1, reason: e.to_string() }),
        None => return Err(StructureFileError::Empty),
    };
    if required.iter().any(|r| !header.iter().any(|h| h == r)) {
        let found = header.iter().map(|h| format!("\"{}\"", h.chars().take(40).collect::<String>())).collect::<Vec<_>>().join(", ");
        return Err(StructureFileError::Header { wanted, found: if found.is_empty() { "nothing".into() } else { found } });
    }
    let mut rows = Vec::new();
    for (index, record) in records.enumerate() {
        let row = index + 2;
        let record = record.map_err(|e| StructureFileError::Malformed { row, reason: e.to_string() })?;
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let cells = header.iter().cloned().zip(record.iter().map(|c| c.trim().to_string())).collect();
        rows.push((row, cells));
    }
    if rows.is_empty() {
        return Err(StructureFileError::Empty);
    }
    Ok(rows)
}

/// A unit name, location or tenure band: 1 to 120 characters, no control characters.
fn valid_label(what: &str, text: &str) -> Result<String, String> {
    if text.is_empty() {
        return Err(format!("The {what} is empty."));
    }
    if text.chars().count() > MAX_LABEL_CHARS || text.chars().any(char::is_control) {
        return Err(format!("The {what} must be at most {MAX_LABEL_CHARS} characters, without control characters."));
    }
    Ok(text.to_string())
}

fn optional_label(what: &str, text: Option<&String>) -> Result<Option<String>, String> {
    match text.map(String::as_str).unwrap_or_default() {
        "" => Ok(None),
        t => valid_label(what, t).map(Some),
    }
}

/// Reads a units file and checks it against the units that exist
/// (`existing`: name → parent name): no unit twice, every parent known
/// (in the file or already), no unit below itself.
pub fn parse_units(bytes: &[u8], existing: &BTreeMap<String, Option<String>>) -> Result<(Vec<UnitRow>, Vec<RowError>), StructureFileError> {
    let rows = read_rows(bytes, &["unit", "parent"], "unit,parent")?;
    let (mut units, mut errors) = (Vec::new(), Vec::new());
    let mut first_row: HashMap<String, usize> = HashMap::new();
    for (row, cells) in rows {
        let checked = valid_label("unit name", cells.get("unit").map(String::as_str).unwrap_or_default())
            .and_then(|name| optional_label("parent unit", cells.get("parent")).map(|parent| (name, parent)));
        match checked {
            Err(message) => errors.push(RowError { row, message }),
            Ok((name, _)) if first_row.contains_key(&name) => errors.push(RowError { row, message: format!("The unit \"{name}\" is already in row {} of this file.", first_row[&name]) }),
            Ok((name, Some(parent))) if parent == name => errors.push(RowError { row, message: format!("The unit \"{name}\" cannot be its own parent.") }),
            Ok((name, parent)) => {
                first_row.insert(name.clone(), row);
                units.push(UnitRow { row, name, parent });
            }
        }
    }
    // The tree after the import: the file's units over the existing ones.
    let mut tree: BTreeMap<String, Option<String>> = existing.clone();
    for u in &units {
        tree.insert(u.name.clone(), u.parent.clone());
    }
    for u in &units {
        if let Some(parent) = &u.parent {
            if !tree.contains_key(parent) {
                errors.push(RowError { row: u.row, message: format!("The parent unit \"{parent}\" is neither in this file nor in your structure.") });
                continue;
            }
        }
        // Walking up from the unit must end at a top unit, not come back.
        let mut seen = HashSet::from([u.name.as_str()]);
        let mut at = u.parent.as_deref();
        while let Some(p) = at {
            if !seen.insert(p) {
                let mut path: Vec<&str> = vec![u.name.as_str()];
                let mut step = u.parent.as_deref();
                while let Some(s) = step.filter(|s| *s != u.name && path.len() < 20) {
                    path.push(s);
                    step = tree.get(s).and_then(|x| x.as_deref());
                }
                path.push(u.name.as_str());
                errors.push(RowError { row: u.row, message: format!("The units form a circle: {}.", path.join(" → ")) });
                break;
            }
            at = tree.get(p).and_then(|x| x.as_deref());
        }
    }
    errors.sort_by_key(|e| e.row);
    Ok((units, errors))
}

/// Reads an employee file: every address once, every unit known (`units`).
pub fn parse_employees(bytes: &[u8], units: &HashSet<String>) -> Result<(Vec<EmployeeRow>, Vec<RowError>), StructureFileError> {
    let rows = read_rows(bytes, &["email", "name", "unit"], "email,name,unit (and optionally location,tenure_band)")?;
    let (mut people, mut errors) = (Vec::new(), Vec::new());
    let mut first_row: HashMap<String, usize> = HashMap::new();
    for (row, cells) in rows {
        let cell = |name: &str| cells.get(name).map(String::as_str).unwrap_or_default();
        let checked = (|| {
            let email = valid_email(cell("email"))?;
            let name = valid_name(cell("name"))?;
            let unit = valid_label("unit", cell("unit"))?;
            if !units.contains(&unit) {
                return Err(format!("The unit \"{unit}\" is not in your structure; import it in the units file first."));
            }
            let location = optional_label("location", cells.get("location"))?;
            let tenure_band = optional_label("tenure band", cells.get("tenure_band"))?;
            Ok(EmployeeRow { row, email, name, unit, location, tenure_band })
        })();
        match checked {
            Err(message) => errors.push(RowError { row, message }),
            Ok(p) => match first_row.get(&p.email) {
                Some(first) => errors.push(RowError { row, message: format!("The e-mail address {} is already in row {first} of this file.", p.email) }),
                None => {
                    first_row.insert(p.email.clone(), row);
                    people.push(p);
                }
            },
        }
    }
    Ok((people, errors))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn none() -> BTreeMap<String, Option<String>> {
        BTreeMap::new()
    }

    #[test]
    fn a_units_file_becomes_a_tree() {
        let (units, errors) = parse_units(b"\xef\xbb\xbfunit;parent\nSecurity;\nSOC;Security\n\"Red team\";Security\n", &none()).expect("file");
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(units.iter().map(|u| (u.name.as_str(), u.parent.as_deref())).collect::<Vec<_>>(), [("Security", None), ("SOC", Some("Security")), ("Red team", Some("Security"))]);
    }

    #[test]
    fn unknown_parents_circles_and_repeats_are_named_by_row() {
        let file = "unit,parent\nA,B\nB,C\nC,A\nD,Nowhere\nA,\nE,E\n";
        let (_, errors) = parse_units(file.as_bytes(), &none()).expect("file");
        let rows: Vec<usize> = errors.iter().map(|e| e.row).collect();
        assert_eq!(rows, [2, 3, 4, 5, 6, 7], "{errors:?}");
        assert!(errors[0].message.contains("circle") && errors[0].message.contains("A → B → C → A"), "{}", errors[0].message);
        assert!(errors[3].message.contains("Nowhere"));
        assert!(errors[4].message.contains("already in row 2"));
        assert!(errors[5].message.contains("own parent"));
    }

    #[test]
    fn a_move_that_would_put_a_unit_below_itself_is_a_circle() {
        let existing = BTreeMap::from([("Security".to_string(), None), ("SOC".to_string(), Some("Security".to_string()))]);
        let (_, errors) = parse_units(b"unit,parent\nSecurity,SOC\n", &existing).expect("file");
        assert_eq!(errors.len(), 1);
        assert!(errors[0].message.contains("circle"), "{errors:?}");
        let (ok, errors) = parse_units(b"unit,parent\nSOC,\nNetwork,SOC\n", &existing).expect("file");
        assert!(errors.is_empty() && ok.len() == 2, "moving SOC to the top is fine: {errors:?}");
    }

    #[test]
    fn employees_need_a_known_unit_a_real_address_and_each_address_once() {
        let units = HashSet::from(["SOC".to_string()]);
        let file = "email,name,unit,location,tenure_band\nada@x.example,Ada,SOC,Berlin,1-3 years\nADA@x.example,Ada again,SOC,,\nbob@x.example,Bob,Nowhere,,\nnot-an-address,Cy,SOC,,\n";
        let (people, errors) = parse_employees(file.as_bytes(), &units).expect("file");
        assert_eq!(people.len(), 1);
        assert_eq!((people[0].location.as_deref(), people[0].tenure_band.as_deref()), (Some("Berlin"), Some("1-3 years")));
        assert_eq!(errors.iter().map(|e| e.row).collect::<Vec<_>>(), [3, 4, 5], "{errors:?}");
        assert!(errors[0].message.contains("row 2"));
    }

    #[test]
    fn whole_file_problems_are_refused_before_any_row() {
        assert_eq!(parse_units(&vec![b'a'; MAX_BYTES + 1], &none()), Err(StructureFileError::TooLarge));
        assert!(matches!(parse_units(b"name,boss\nA,B\n", &none()), Err(StructureFileError::Header { .. })));
        assert_eq!(parse_units(b"unit,parent\n", &none()), Err(StructureFileError::Empty));
        assert_eq!(parse_employees(b"\xff\xfe", &HashSet::new()), Err(StructureFileError::NotUtf8));
    }
}
