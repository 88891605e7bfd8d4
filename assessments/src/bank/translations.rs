//! A bank's texts as a translation table: one row per text a person reads,
//! one column per language (`key,en,de,...`), for translators who work in
//! a spreadsheet. Importing the table back sets the texts it changes and
//! nothing else, so export then import gives the same bank.
//!
//! Keys name the place: `instrument.title`, `instrument.instructions`,
//! `response_scales.<id>.labels.<n>`, `scales.<id>.name`,
//! `scales.<id>.description`, `scales.<id>.interpretation.<band>`,
//! `scales.<id>.interpretation.interview_prompts.<n>`, `items.<id>.text`,
//! `items.<id>.options.<option>.text` (`<n>` counts from 1).

use std::collections::BTreeMap;

use toml_edit::{Array, DocumentMut, InlineTable, Item, TableLike, Value};

use super::edit::{parse_document, EditError};
use super::format::{BankFile, Text};

/// One text of the bank in every language it has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextRow {
    pub key: String,
    pub texts: BTreeMap<String, String>,
}

fn err(message: impl Into<String>) -> EditError {
    EditError(message.into())
}

fn text_row(key: String, text: &Text) -> TextRow {
    TextRow { key, texts: text.clone() }
}

fn list_rows(key: &str, lists: &BTreeMap<String, Vec<String>>, out: &mut Vec<TextRow>) {
    let longest = lists.values().map(Vec::len).max().unwrap_or(0);
    for n in 0..longest {
        let texts = lists.iter().filter_map(|(lang, list)| list.get(n).map(|t| (lang.clone(), t.clone()))).collect();
        out.push(TextRow { key: format!("{key}.{}", n + 1), texts });
    }
}

/// Every text of the bank, in file order.
pub fn text_rows(file: &BankFile) -> Vec<TextRow> {
    let mut out = vec![text_row("instrument.title".into(), &file.instrument.title)];
    if let Some(t) = &file.instrument.instructions {
        out.push(text_row("instrument.instructions".into(), t));
    }
    for r in &file.response_scales {
        list_rows(&format!("response_scales.{}.labels", r.id), &r.labels, &mut out);
    }
    for s in &file.scales {
        out.push(text_row(format!("scales.{}.name", s.id), &s.name));
        if let Some(d) = &s.description {
            out.push(text_row(format!("scales.{}.description", s.id), d));
        }
        if let Some(i) = &s.interpretation {
            for (band, text) in [("low", &i.low), ("average", &i.average), ("high", &i.high)] {
                out.push(text_row(format!("scales.{}.interpretation.{band}", s.id), text));
            }
            list_rows(&format!("scales.{}.interpretation.interview_prompts", s.id), &i.interview_prompts, &mut out);
        }
    }
    for item in &file.items {
        out.push(text_row(format!("items.{}.text", item.id), &item.text));
        for o in &item.options {
            out.push(text_row(format!("items.{}.options.{}.text", item.id, o.id), &o.text));
        }
    }
    out
}

fn parse_file(src: &str) -> Result<BankFile, EditError> {
    BankFile::read_unchecked(src).map_err(|e| err(format!("the bank cannot be read: {e}")))
}

/// The translation table of a bank's text as CSV (`key` then the declared
/// languages).
pub fn export_csv(src: &str) -> Result<String, EditError> {
    let file = parse_file(src)?;
    let langs = &file.instrument.languages;
    let mut w = csv::Writer::from_writer(Vec::new());
    let header: Vec<&str> = std::iter::once("key").chain(langs.iter().map(String::as_str)).collect();
    w.write_record(&header).map_err(|e| err(e.to_string()))?;
    for row in text_rows(&file) {
        let mut record = vec![row.key.clone()];
        record.extend(langs.iter().map(|l| row.texts.get(l).cloned().unwrap_or_default()));
        w.write_record(&record).map_err(|e| err(e.to_string()))?;
    }
    String::from_utf8(w.into_inner().map_err(|e| err(e.to_string()))?).map_err(|e| err(e.to_string()))
}

/// Where a key's text lives: the table-like holding it, the field, and for
/// lists the 0-based entry.
struct Place<'a> {
    holder: &'a mut dyn TableLike,
    field: String,
    entry: Option<usize>,
}

fn entry_with_id<'a>(doc: &'a mut DocumentMut, array: &str, id: &str) -> Option<&'a mut toml_edit::Table> {
    doc.get_mut(array)?.as_array_of_tables_mut()?.iter_mut().find(|t| t.get("id").and_then(Item::as_str) == Some(id))
}

fn place<'a>(doc: &'a mut DocumentMut, key: &str) -> Option<Place<'a>> {
    let parts: Vec<&str> = key.split('.').collect();
    let number = |s: &str| s.parse::<usize>().ok().filter(|n| *n >= 1).map(|n| n - 1);
    let plain = |holder: &'a mut dyn TableLike, field: &str| Some(Place { holder, field: field.to_string(), entry: None });
    match parts.as_slice() {
        ["instrument", field @ ("title" | "instructions")] => plain(doc.get_mut("instrument")?.as_table_mut()?, field),
        ["response_scales", id, "labels", n] => Some(Place { holder: entry_with_id(doc, "response_scales", id)?, field: "labels".into(), entry: Some(number(n)?) }),
        ["scales", id, field @ ("name" | "description")] => plain(entry_with_id(doc, "scales", id)?, field),
        ["scales", id, "interpretation", band @ ("low" | "average" | "high")] => plain(entry_with_id(doc, "scales", id)?.get_mut("interpretation")?.as_table_like_mut()?, band),
        ["scales", id, "interpretation", "interview_prompts", n] => {
            let entry = Some(number(n)?);
            Some(Place { holder: entry_with_id(doc, "scales", id)?.get_mut("interpretation")?.as_table_like_mut()?, field: "interview_prompts".into(), entry })
        }
        ["items", id, "text"] => plain(entry_with_id(doc, "items", id)?, "text"),
        ["items", id, "options", option, "text"] => {
            let options = entry_with_id(doc, "items", id)?.get_mut("options")?.as_array_mut()?;
            let found = options.iter_mut().filter_map(Value::as_inline_table_mut).find(|o| o.get("id").and_then(Value::as_str) == Some(*option))?;
            plain(found, "text")
        }
        _ => None,
    }
}

/// Sets one language's text at `place` (an inline `{ lang = ... }` table,
/// created when missing).
fn set_text(place: Place<'_>, lang: &str, text: &str) {
    if place.holder.get(&place.field).and_then(Item::as_inline_table).is_none() {
        place.holder.insert(&place.field, Item::Value(Value::InlineTable(InlineTable::new())));
    }
    let Some(table) = place.holder.get_mut(&place.field).and_then(Item::as_inline_table_mut) else { return };
    match place.entry {
        None => {
            table.insert(lang, Value::from(text));
        }
        Some(n) => {
            if table.get(lang).and_then(Value::as_array).is_none() {
                table.insert(lang, Value::Array(Array::new()));
            }
            if let Some(list) = table.get_mut(lang).and_then(Value::as_array_mut) {
                while list.len() <= n {
                    list.push("");
                }
                list.replace(n, text);
            }
        }
    }
}

/// What an import did: how many texts it set, and the languages it added.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ImportSummary {
    pub changed: usize,
    pub added_languages: Vec<String>,
}

/// The bank with the texts of a translation table (CSV from
/// [`export_csv`], possibly with new language columns). Every declared
/// language needs its column; an unknown key, a row with the wrong number
/// of cells or a language code that is not one is refused with its row,
/// and then nothing is changed. Empty cells leave the text as it is.
pub fn import_csv(src: &str, csv_text: &str) -> Result<(String, ImportSummary), EditError> {
    let file = parse_file(src)?;
    let known: BTreeMap<String, TextRow> = text_rows(&file).into_iter().map(|r| (r.key.clone(), r)).collect();
    let mut reader = csv::ReaderBuilder::new().flexible(false).from_reader(csv_text.as_bytes());
    let header: Vec<String> = reader.headers().map_err(|e| err(format!("row 1: {e}")))?.iter().map(|h| h.trim().to_string()).collect();
    if header.first().map(String::as_str) != Some("key") {
        return Err(err("row 1: the first column must be `key`"));
    }
    let langs: Vec<String> = header[1..].to_vec();
    for declared in &file.instrument.languages {
        if !langs.contains(declared) {
            return Err(err(format!("row 1: the column for language `{declared}` is missing")));
        }
    }
    for lang in &langs {
        let fine = (2..=8).contains(&lang.len()) && lang.chars().all(|c| c.is_ascii_lowercase() || c == '-');
        if !fine || langs.iter().filter(|l| *l == lang).count() > 1 {
            return Err(err(format!("row 1: `{lang}` is not a language code, or it is given twice")));
        }
    }
    let mut doc = parse_document(src)?;
    let mut summary = ImportSummary { added_languages: langs.iter().filter(|l| !file.instrument.languages.contains(l)).cloned().collect(), ..ImportSummary::default() };
    for (n, record) in reader.records().enumerate() {
        let row = n + 2;
        let record = record.map_err(|e| err(format!("row {row}: {e}")))?;
        let key = record.get(0).unwrap_or_default().trim();
        let current = known.get(key).ok_or_else(|| err(format!("row {row}: unknown key `{key}`")))?;
        for (lang, text) in langs.iter().zip(record.iter().skip(1)) {
            if text.is_empty() || current.texts.get(lang).map(String::as_str) == Some(text) {
                continue;
            }
            let place = place(&mut doc, key).ok_or_else(|| err(format!("row {row}: unknown key `{key}`")))?;
            set_text(place, lang, text);
            summary.changed += 1;
        }
    }
    if !summary.added_languages.is_empty() {
        if let Some(list) = doc.get_mut("instrument").and_then(|i| i.get_mut("languages")).and_then(Item::as_array_mut) {
            for lang in &summary.added_languages {
                list.push(lang.as_str());
            }
        }
    }
    Ok((doc.to_string(), summary))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bank::Bank;

    fn bank_text(name: &str) -> String {
        std::fs::read_to_string(format!("{}/banks/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
    }

    #[test]
    fn export_then_import_changes_nothing() {
        for name in ["svi/1.1.0.toml", "sjs/1.0.0.toml", "pulse/1.0.0.toml"] {
            let src = bank_text(name);
            let csv_text = export_csv(&src).unwrap();
            let (back, summary) = import_csv(&src, &csv_text).unwrap();
            assert_eq!(summary, ImportSummary::default(), "{name}");
            assert_eq!(back, src, "{name}: the round trip is lossless");
        }
    }

    #[test]
    fn every_text_of_the_bank_has_a_row() {
        let src = bank_text("sjs/1.0.0.toml");
        let bank = Bank::parse(&src, "sjs").unwrap();
        let rows = text_rows(bank.file());
        let item_rows = rows.iter().filter(|r| r.key.starts_with("items.") && r.key.ends_with(".text") && !r.key.contains(".options.")).count();
        assert_eq!(item_rows, bank.items().len());
        let option_rows = rows.iter().filter(|r| r.key.contains(".options.")).count();
        assert_eq!(option_rows, bank.items().iter().map(|i| i.options.len()).sum::<usize>());
        assert!(rows.iter().all(|r| r.texts.len() == 2), "every text in en and de");
    }

    #[test]
    fn a_changed_cell_sets_that_text_only() {
        let src = bank_text("svi/1.1.0.toml");
        let csv_text = export_csv(&src).unwrap().replacen("Security Values Inventory,", "Security Values Inventory (revised),", 1);
        let (back, summary) = import_csv(&src, &csv_text).unwrap();
        assert_eq!(summary.changed, 1);
        let bank = Bank::parse(&back.replace("status = \"published\"", "status = \"draft\""), "svi").unwrap();
        assert_eq!(bank.file().instrument.title["en"], "Security Values Inventory (revised)");
        assert_eq!(back.lines().count(), src.lines().count(), "layout kept");
    }

    #[test]
    fn a_new_language_column_adds_the_language() {
        let src = bank_text("pulse/1.0.0.toml");
        let csv_text = export_csv(&src).unwrap();
        let mut lines: Vec<String> = csv_text.lines().map(|l| format!("{l},")).collect();
        lines[0] = format!("{}fr", lines[0]);
        lines[1] = format!("{}Le titre", lines[1]);
        let (back, summary) = import_csv(&src, &lines.join("\n")).unwrap();
        assert_eq!(summary.added_languages, ["fr"]);
        assert!(back.contains("\"fr\""));
        assert!(back.contains("fr = \"Le titre\""));
    }

    #[test]
    fn bad_tables_are_refused_naming_the_row() {
        let src = bank_text("pulse/1.0.0.toml");
        assert_eq!(import_csv(&src, "key,en\ninstrument.title,X\n").unwrap_err().0, "row 1: the column for language `de` is missing");
        assert_eq!(import_csv(&src, "key,en,de\ninstrument.title,X,Y\nitems.nope.text,A,B\n").unwrap_err().0, "row 3: unknown key `items.nope.text`");
        assert_eq!(import_csv(&src, "id,en,de\n").unwrap_err().0, "row 1: the first column must be `key`");
        assert!(import_csv(&src, "key,en,de\ninstrument.title,X\n").unwrap_err().0.starts_with("row 2:"));
        assert!(import_csv(&src, "key,en,de,EN!\n").unwrap_err().0.contains("not a language code"));
    }
}
