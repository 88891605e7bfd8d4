//! Changes to a bank's TOML text that keep everything else as written
//! (comments, order, layout): a draft made from a published version, an
//! item's or a scale's fields and the adaptive-testing settings set from a
//! form, items moved, retired (left out of the next version) or copied
//! from another bank. Each function takes the text
//! and gives the new text; none of them validates (the caller checks the
//! result with [`Bank::parse`](super::Bank::parse) and decides).

use std::collections::BTreeMap;

use toml_edit::{value, Array, ArrayOfTables, DocumentMut, InlineTable, Item, Table, Value};

/// Why a change could not be made, in plain words naming the place.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct EditError(pub String);

fn err(message: impl Into<String>) -> EditError {
    EditError(message.into())
}

/// Parses the text as TOML, naming the line of a syntax error.
pub fn parse_document(src: &str) -> Result<DocumentMut, EditError> {
    src.parse::<DocumentMut>().map_err(|e| {
        let line = e.span().map(|s| super::error::line_of_offset(src, s.start));
        match line {
            Some(l) => err(format!("line {l}: this is not valid TOML: {}", e.message())),
            None => err(format!("this is not valid TOML: {}", e.message())),
        }
    })
}

fn instrument_table(doc: &mut DocumentMut) -> Result<&mut Table, EditError> {
    doc.get_mut("instrument").and_then(Item::as_table_mut).ok_or_else(|| err("the file has no [instrument] table"))
}

/// The `[instrument]` id and version a text declares, if it declares them.
pub fn declared_identity(src: &str) -> Result<(String, String), EditError> {
    let doc = parse_document(src)?;
    let instrument = doc.get("instrument").and_then(Item::as_table).ok_or_else(|| err("the file has no [instrument] table"))?;
    let read = |key: &str| instrument.get(key).and_then(Item::as_str).map(str::to_string).ok_or_else(|| err(format!("[instrument] has no {key}")));
    Ok((read("id")?, read("version")?))
}

/// The text as a draft of `id` `version`: `status = "draft"` and no
/// content hash (it is recorded again when the draft is published).
pub fn as_draft(src: &str, id: &str, version: &str) -> Result<String, EditError> {
    let mut doc = parse_document(src)?;
    let instrument = instrument_table(&mut doc)?;
    instrument.insert("id", value(id));
    instrument.insert("version", value(version));
    instrument.insert("status", value("draft"));
    instrument.remove("content_hash");
    Ok(doc.to_string())
}

fn items_mut(doc: &mut DocumentMut) -> Result<&mut ArrayOfTables, EditError> {
    doc.get_mut("items").and_then(Item::as_array_of_tables_mut).ok_or_else(|| err("the bank has no items"))
}

fn item_position(items: &ArrayOfTables, id: &str) -> Option<usize> {
    items.iter().position(|t| t.get("id").and_then(Item::as_str) == Some(id))
}

fn no_item(id: &str) -> EditError {
    err(format!("there is no item `{id}` in this draft"))
}

/// Writes the items in `order` (indices into the current list), keeping
/// the places the item tables had in the file.
fn reorder(items: &mut ArrayOfTables, order: &[usize]) {
    let tables: Vec<Table> = items.iter().cloned().collect();
    let places: Vec<Option<usize>> = tables.iter().map(Table::position).collect();
    items.clear();
    for (slot, &from) in order.iter().enumerate() {
        let mut table = tables[from].clone();
        if let Some(place) = places[slot] {
            table.set_position(place);
        }
        items.push(table);
    }
}

/// Which way an item moves in the order candidates see.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Up,
    Down,
}

/// The item one place earlier or later (unchanged at either end).
pub fn move_item(src: &str, id: &str, direction: Direction) -> Result<String, EditError> {
    let mut doc = parse_document(src)?;
    let items = items_mut(&mut doc)?;
    let at = item_position(items, id).ok_or_else(|| no_item(id))?;
    let to = match direction {
        Direction::Up => at.checked_sub(1),
        Direction::Down => (at + 1 < items.len()).then_some(at + 1),
    };
    if let Some(to) = to {
        let mut order: Vec<usize> = (0..items.len()).collect();
        order.swap(at, to);
        reorder(items, &order);
    }
    Ok(doc.to_string())
}

/// The draft without the item (published versions keep it), and without
/// the inconsistency pairs that name it.
pub fn retire_item(src: &str, id: &str) -> Result<String, EditError> {
    let mut doc = parse_document(src)?;
    let items = items_mut(&mut doc)?;
    let at = item_position(items, id).ok_or_else(|| no_item(id))?;
    items.remove(at);
    if let Some(pairs) = doc.get_mut("validity").and_then(|v| v.get_mut("inconsistency_pairs")).and_then(Item::as_array_mut) {
        pairs.retain(|pair| !pair.as_array().is_some_and(|p| p.iter().any(|v| v.as_str() == Some(id))));
    }
    Ok(doc.to_string())
}

/// `into` with item `id` of `from` appended (same fields; its IRT
/// parameters are left behind, since they belong to the other bank's
/// calibration). The id must be new in `into`.
pub fn copy_item(from: &str, id: &str, into: &str) -> Result<String, EditError> {
    let source = parse_document(from)?;
    let table = source
        .get("items")
        .and_then(Item::as_array_of_tables)
        .and_then(|items| item_position(items, id).and_then(|at| items.get(at)))
        .cloned()
        .ok_or_else(|| no_item(id))?;
    let mut doc = parse_document(into)?;
    if doc.get("items").is_none() {
        doc.insert("items", Item::ArrayOfTables(ArrayOfTables::new()));
    }
    let items = items_mut(&mut doc)?;
    if item_position(items, id).is_some() {
        return Err(err(format!("this draft already has an item `{id}`")));
    }
    let mut table = table;
    table.remove("grm");
    table.remove("exposure");
    // Placed after the current last table of the file.
    table.set_position(usize::MAX / 2);
    items.push(table);
    Ok(doc.to_string())
}

/// One scenario option as the form gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OptionEdit {
    pub id: String,
    pub key: Option<i32>,
    pub text: BTreeMap<String, String>,
}

/// An item's fields as the editor's form gives them. `None` removes an
/// optional field; texts are set per language (others stay as they are).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ItemEdit {
    /// `likert`, `sjt` or `check`; `None` keeps the type.
    pub kind: Option<String>,
    pub text: BTreeMap<String, String>,
    pub scale: Option<String>,
    pub response_scale: Option<String>,
    pub reverse: Option<bool>,
    pub facet: Option<String>,
    pub attentive: Option<Vec<i32>>,
    pub options: Vec<OptionEdit>,
}

fn set_texts(table_like: &mut dyn toml_edit::TableLike, key: &str, texts: &BTreeMap<String, String>) {
    if texts.is_empty() {
        return;
    }
    let current = table_like.get_mut(key).and_then(|i| i.as_inline_table_mut());
    match current {
        Some(inline) => {
            for (lang, text) in texts {
                inline.insert(lang, Value::from(text.as_str()));
            }
        }
        None => {
            let mut inline = InlineTable::new();
            for (lang, text) in texts {
                inline.insert(lang, Value::from(text.as_str()));
            }
            table_like.insert(key, value(inline));
        }
    }
}

fn set_optional<T: Into<Value> + Clone>(table: &mut Table, key: &str, v: &Option<T>) {
    match v {
        Some(v) => {
            table.insert(key, value(v.clone()));
        }
        None => {
            table.remove(key);
        }
    }
}

/// The item with the form's fields.
pub fn edit_item(src: &str, id: &str, edit: &ItemEdit) -> Result<String, EditError> {
    let mut doc = parse_document(src)?;
    let items = items_mut(&mut doc)?;
    let at = item_position(items, id).ok_or_else(|| no_item(id))?;
    let table = items.get_mut(at).ok_or_else(|| no_item(id))?;
    if let Some(kind) = &edit.kind {
        table.insert("type", value(kind.as_str()));
    }
    set_texts(table, "text", &edit.text);
    set_optional(table, "scale", &edit.scale);
    set_optional(table, "response_scale", &edit.response_scale);
    set_optional(table, "reverse", &edit.reverse);
    set_optional(table, "facet", &edit.facet);
    match &edit.attentive {
        Some(values) => {
            table.insert("attentive", value(values.iter().map(|v| i64::from(*v)).collect::<Array>()));
        }
        None => {
            table.remove("attentive");
        }
    }
    if !edit.options.is_empty() {
        let options = table.get_mut("options").and_then(Item::as_array_mut).ok_or_else(|| err(format!("item `{id}` has no options to edit")))?;
        for option in &edit.options {
            let found = options
                .iter_mut()
                .filter_map(Value::as_inline_table_mut)
                .find(|o| o.get("id").and_then(Value::as_str) == Some(option.id.as_str()))
                .ok_or_else(|| err(format!("item `{id}` has no option `{}`", option.id)))?;
            match option.key {
                Some(k) => {
                    found.insert("key", Value::from(i64::from(k)));
                }
                None => {
                    found.remove("key");
                }
            }
            set_texts(found, "text", &option.text);
        }
    }
    Ok(doc.to_string())
}

/// A scale's texts as the editor's form gives them: per language; a
/// language left out keeps its text.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ScaleEdit {
    pub name: BTreeMap<String, String>,
    pub description: BTreeMap<String, String>,
    pub low: BTreeMap<String, String>,
    pub average: BTreeMap<String, String>,
    pub high: BTreeMap<String, String>,
    /// The interview prompts for a low score, per language, in order;
    /// `None` leaves them as they are, `Some` sets them exactly (a language
    /// with none loses its list; none at all removes them).
    pub prompts: Option<BTreeMap<String, Vec<String>>>,
}

/// The scale with the form's texts (its interpretation table is made when
/// it had none and a band is given).
pub fn edit_scale(src: &str, id: &str, edit: &ScaleEdit) -> Result<String, EditError> {
    let mut doc = parse_document(src)?;
    let scales = doc.get_mut("scales").and_then(Item::as_array_of_tables_mut).ok_or_else(|| err("the bank has no scales"))?;
    let table = scales.iter_mut().find(|t| t.get("id").and_then(Item::as_str) == Some(id)).ok_or_else(|| err(format!("there is no scale `{id}` in this draft")))?;
    set_texts(table, "name", &edit.name);
    set_texts(table, "description", &edit.description);
    let bands = [("low", &edit.low), ("average", &edit.average), ("high", &edit.high)];
    if bands.iter().any(|(_, t)| !t.is_empty()) {
        if table.get("interpretation").is_none() {
            table.insert("interpretation", Item::Table(Table::new()));
        }
        let interpretation = table.get_mut("interpretation").and_then(Item::as_table_like_mut).ok_or_else(|| err(format!("scale `{id}`: its interpretation is not a table")))?;
        for (band, texts) in bands {
            set_texts(interpretation, band, texts);
        }
    }
    if let Some(prompts) = &edit.prompts {
        let lists: BTreeMap<&String, &Vec<String>> = prompts.iter().filter(|(_, l)| !l.is_empty()).collect();
        match table.get_mut("interpretation").and_then(Item::as_table_like_mut) {
            Some(interpretation) if lists.is_empty() => {
                interpretation.remove("interview_prompts");
            }
            Some(interpretation) => {
                let mut inline = InlineTable::new();
                for (lang, list) in lists {
                    inline.insert(lang, Value::Array(list.iter().map(String::as_str).collect()));
                }
                interpretation.insert("interview_prompts", value(inline));
            }
            None if lists.is_empty() => {}
            None => return Err(err(format!("scale `{id}`: interview prompts need the interpretation texts first"))),
        }
    }
    Ok(doc.to_string())
}

/// The adaptive-testing settings as the form gives them (`None` removes a
/// setting: its default applies).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CatEdit {
    pub se_target: Option<f64>,
    pub min_items: Option<u32>,
    pub max_items: Option<u32>,
    pub randomesque: Option<u32>,
}

/// The bank with the form's `[cat]` settings (the table is made or dropped as needed).
pub fn edit_cat(src: &str, edit: &CatEdit) -> Result<String, EditError> {
    let mut doc = parse_document(src)?;
    if doc.get("cat").is_none() {
        doc.insert("cat", Item::Table(Table::new()));
    }
    let cat = doc.get_mut("cat").and_then(Item::as_table_mut).ok_or_else(|| err("[cat] is not a table"))?;
    set_optional(cat, "se_target", &edit.se_target);
    set_optional(cat, "min_items", &edit.min_items.map(i64::from));
    set_optional(cat, "max_items", &edit.max_items.map(i64::from));
    set_optional(cat, "randomesque", &edit.randomesque.map(i64::from));
    if cat.is_empty() {
        doc.remove("cat");
    }
    Ok(doc.to_string())
}

/// The bank with the form's `[validity]` rules (empty fields: the defaults
/// of PSYCHOMETRICS.md section 7; the table is made or dropped as needed).
pub fn edit_validity(src: &str, edit: &super::ValiditySettings) -> Result<String, EditError> {
    let mut doc = parse_document(src)?;
    if doc.get("validity").is_none() {
        doc.insert("validity", Item::Table(Table::new()));
    }
    let rules = doc.get_mut("validity").and_then(Item::as_table_mut).ok_or_else(|| err("[validity] is not a table"))?;
    set_optional(rules, "min_median_seconds", &edit.min_median_seconds);
    set_optional(rules, "longstring_caution_share", &edit.longstring_caution_share);
    set_optional(rules, "longstring_invalid_share", &edit.longstring_invalid_share);
    set_optional(rules, "infrequency_caution_fails", &edit.infrequency_caution_fails.map(i64::from));
    set_optional(rules, "infrequency_invalid_fails", &edit.infrequency_invalid_fails.map(i64::from));
    set_optional(rules, "inconsistency_caution", &edit.inconsistency_caution);
    set_optional(rules, "impression_management_caution_t", &edit.impression_management_caution_t);
    set_optional(rules, "irv_caution_below", &edit.irv_caution_below);
    if edit.inconsistency_pairs.is_empty() {
        rules.remove("inconsistency_pairs");
    } else {
        let pairs: Array = edit.inconsistency_pairs.iter().map(|[a, b]| Value::Array(Array::from_iter([a.as_str(), b.as_str()]))).collect();
        rules.insert("inconsistency_pairs", value(pairs));
    }
    if rules.is_empty() {
        doc.remove("validity");
    }
    Ok(doc.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bank::Bank;

    const BANK: &str = r#"# A small bank.
[instrument]
id = "mini"
version = "1.0.0"
status = "published"
content_hash = "sha256:0000"
languages = ["en", "de"]
title = { en = "Mini", de = "Mini" }

[[response_scales]]
id = "agree5"
min = 1
max = 5
labels = { en = ["1", "2", "3", "4", "5"], de = ["1", "2", "3", "4", "5"] }

[[scales]]
id = "s"
kind = "trait"
name = { en = "S", de = "S" }

[[items]]
id = "i1"
type = "likert"
scale = "s"
response_scale = "agree5"
reverse = false
text = { en = "One", de = "Eins" }
grm = { a = 1.0, b = [-1.0, 0.0, 0.5, 1.0] }

[[items]]
id = "i2"
type = "likert"
scale = "s"
response_scale = "agree5"
reverse = true
text = { en = "Two", de = "Zwei" }

[[items]]
id = "i3"
type = "likert"
scale = "s"
response_scale = "agree5"
reverse = false
text = { en = "Three", de = "Drei" }

[[items]]
id = "i4"
type = "likert"
scale = "s"
response_scale = "agree5"
text = { en = "Four", de = "Vier" }

[validity]
inconsistency_pairs = [["i1", "i2"]]
"#;

    fn ids(src: &str) -> Vec<String> {
        let bank = Bank::parse(src, "t").expect("parses");
        bank.items().iter().map(|i| i.id.clone()).collect()
    }

    #[test]
    fn a_draft_has_the_new_identity_and_no_hash() {
        let draft = as_draft(BANK, "mini", "1.1.0").unwrap();
        let bank = Bank::parse(&draft, "t").unwrap();
        assert_eq!(bank.version(), "1.1.0");
        assert!(!draft.contains("content_hash"));
        assert!(draft.starts_with("# A small bank."), "comments stay");
        assert_eq!(declared_identity(&draft).unwrap(), ("mini".to_string(), "1.1.0".to_string()));
    }

    #[test]
    fn moving_an_item_changes_only_the_order() {
        let draft = as_draft(BANK, "mini", "1.0.1").unwrap();
        let moved = move_item(&draft, "i3", Direction::Up).unwrap();
        assert_eq!(ids(&moved), ["i1", "i3", "i2", "i4"]);
        let back = move_item(&moved, "i3", Direction::Down).unwrap();
        assert_eq!(ids(&back), ["i1", "i2", "i3", "i4"]);
        assert_eq!(ids(&move_item(&draft, "i1", Direction::Up).unwrap()), ["i1", "i2", "i3", "i4"], "the first stays first");
        assert_eq!(move_item(&draft, "nope", Direction::Up).unwrap_err().0, "there is no item `nope` in this draft");
    }

    #[test]
    fn retiring_an_item_drops_its_consistency_pairs() {
        let draft = as_draft(BANK, "mini", "1.1.0").unwrap();
        let retired = retire_item(&draft, "i2").unwrap();
        assert_eq!(ids(&retired), ["i1", "i3", "i4"]);
        let bank = Bank::parse(&retired, "t").unwrap();
        assert!(bank.validity().inconsistency_pairs.is_empty());
    }

    #[test]
    fn a_copied_item_arrives_last_without_its_calibration() {
        let other = as_draft(BANK, "other", "1.0.0").unwrap();
        let other = retire_item(&other, "i1").unwrap();
        let copied = copy_item(BANK, "i1", &other).unwrap();
        let bank = Bank::parse(&copied, "t").unwrap();
        assert_eq!(ids(&copied), ["i2", "i3", "i4", "i1"]);
        assert!(bank.item("i1").unwrap().grm.is_none());
        assert_eq!(copy_item(BANK, "i2", &copied).unwrap_err().0, "this draft already has an item `i2`");
    }

    #[test]
    fn an_item_edit_sets_texts_and_keys() {
        let draft = as_draft(BANK, "mini", "1.0.1").unwrap();
        let edit = ItemEdit {
            text: BTreeMap::from([("de".to_string(), "Zwei, neu".to_string())]),
            scale: Some("s".into()),
            response_scale: Some("agree5".into()),
            reverse: Some(false),
            ..ItemEdit::default()
        };
        let edited = edit_item(&draft, "i2", &edit).unwrap();
        let bank = Bank::parse(&edited, "t").unwrap();
        let item = bank.item("i2").unwrap();
        assert_eq!(item.text["de"], "Zwei, neu");
        assert_eq!(item.text["en"], "Two", "languages not in the form stay");
        assert_eq!(item.reverse, Some(false));
        let check = ItemEdit { kind: Some("check".into()), response_scale: Some("agree5".into()), attentive: Some(vec![1, 2]), ..ItemEdit::default() };
        let changed = edit_item(&draft, "i4", &check).unwrap();
        let doc: toml::Value = toml::from_str(&changed).unwrap();
        let i4 = &doc["items"][3];
        assert_eq!((i4["type"].as_str(), i4.get("scale"), i4["attentive"].as_array().map(Vec::len)), (Some("check"), None, Some(2)), "the type and its fields change together");
    }

    #[test]
    fn a_scale_edit_sets_its_texts_and_interpretation() {
        let draft = as_draft(BANK, "mini", "1.0.1").unwrap();
        let edit = ScaleEdit { name: [("de".to_string(), "Skala".to_string())].into(), low: [("en".to_string(), "Low.".to_string()), ("de".to_string(), "Niedrig.".to_string())].into(), ..ScaleEdit::default() };
        let edited = edit_scale(&draft, "s", &edit).unwrap();
        let doc: toml::Value = toml::from_str(&edited).unwrap();
        let scale = &doc["scales"][0];
        assert_eq!(scale["name"]["de"].as_str(), Some("Skala"));
        assert_eq!(scale["name"]["en"].as_str(), Some("S"), "languages not in the form stay");
        assert_eq!(scale["interpretation"]["low"]["de"].as_str(), Some("Niedrig."));
        assert_eq!(edit_scale(&draft, "nope", &edit).unwrap_err().0, "there is no scale `nope` in this draft");
    }

    #[test]
    fn interview_prompts_are_set_exactly_and_removed_when_emptied() {
        let draft = as_draft(BANK, "mini", "1.0.1").unwrap();
        let low = [("en".to_string(), "Low.".to_string())].into();
        let prompts = [("en".to_string(), vec!["Tell me about a time…".to_string(), "What would you do if…".to_string()]), ("de".to_string(), vec![])].into();
        let edited = edit_scale(&draft, "s", &ScaleEdit { low, prompts: Some(prompts), ..ScaleEdit::default() }).unwrap();
        let doc: toml::Value = toml::from_str(&edited).unwrap();
        let listed = &doc["scales"][0]["interpretation"]["interview_prompts"];
        assert_eq!(listed["en"].as_array().map(Vec::len), Some(2));
        assert!(listed.get("de").is_none(), "a language without prompts has no list");
        let untouched = edit_scale(&edited, "s", &ScaleEdit::default()).unwrap();
        assert_eq!(untouched, edited, "None leaves them as they are");
        let removed = edit_scale(&edited, "s", &ScaleEdit { prompts: Some(BTreeMap::new()), ..ScaleEdit::default() }).unwrap();
        let doc: toml::Value = toml::from_str(&removed).unwrap();
        assert!(doc["scales"][0]["interpretation"].get("interview_prompts").is_none());
        let bare = as_draft(BANK, "mini", "1.0.1").unwrap();
        let orphan = [("en".to_string(), vec!["Why?".to_string()])].into();
        if toml::from_str::<toml::Value>(&bare).unwrap()["scales"][0].get("interpretation").is_none() {
            assert!(edit_scale(&bare, "s", &ScaleEdit { prompts: Some(orphan), ..ScaleEdit::default() }).is_err());
        }
    }

    #[test]
    fn cat_settings_are_set_and_removed() {
        let draft = as_draft(BANK, "mini", "1.0.1").unwrap();
        let set = edit_cat(&draft, &CatEdit { se_target: Some(0.25), max_items: Some(12), ..CatEdit::default() }).unwrap();
        let bank = Bank::parse(&set, "t").unwrap();
        let cat = bank.file().cat.clone().unwrap();
        assert_eq!((cat.se_target, cat.max_items, cat.min_items), (Some(0.25), Some(12), None));
        let cleared = edit_cat(&set, &CatEdit::default()).unwrap();
        assert!(Bank::parse(&cleared, "t").unwrap().file().cat.is_none(), "an empty [cat] is dropped");
    }

    #[test]
    fn validity_rules_are_set_and_removed() {
        let draft = as_draft(BANK, "mini", "1.0.1").unwrap();
        let rules = super::super::ValiditySettings {
            min_median_seconds: Some(2.0),
            infrequency_invalid_fails: Some(3),
            inconsistency_pairs: vec![["a".into(), "b".into()]],
            ..Default::default()
        };
        let set = edit_validity(&draft, &rules).unwrap();
        let parsed: toml::Value = toml::from_str(&set).unwrap();
        let table = &parsed["validity"];
        assert_eq!(table["min_median_seconds"].as_float(), Some(2.0));
        assert_eq!(table["infrequency_invalid_fails"].as_integer(), Some(3));
        assert_eq!(table["inconsistency_pairs"].as_array().map(Vec::len), Some(1));
        assert!(table.get("longstring_caution_share").is_none(), "an empty field keeps its default");
        let cleared = edit_validity(&set, &super::super::ValiditySettings::default()).unwrap();
        assert!(!cleared.contains("[validity]"), "an empty [validity] is dropped");
    }

    #[test]
    fn text_that_is_not_toml_names_its_line() {
        let e = parse_document("[instrument]\nid = \"x\"\nversion = \n").unwrap_err();
        assert!(e.0.starts_with("line 3: this is not valid TOML"), "{e}");
    }
}
