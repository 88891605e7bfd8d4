//! Statements as a plain HTML form, for the employee pages (the pulse
//! survey and the employee's own inventory): one fieldset per statement,
//! its answer options as radio buttons, and "Skip this one", so anything
//! may be left out. Fields are named `a:<item id>`; the form works without
//! script, and `/survey/autosave.js` saves each choice as it is made.

use std::{collections::BTreeMap, fmt::Write as _};

use assessments::bank::{Bank, Text};

use super::staff::esc;
use crate::candidate::views::item_options;

/// A text in `lang`, else English, else any.
pub fn words(t: &Text, lang: &str) -> String {
    t.get(lang).or_else(|| t.get("en")).or_else(|| t.values().next()).cloned().unwrap_or_default()
}

/// The language a page uses: `asked` where the bank has it, else English.
pub fn language(bank: &Bank, asked: Option<&str>) -> String {
    asked.filter(|l| bank.file().instrument.languages.iter().any(|b| b == l)).unwrap_or("en").to_string()
}

/// The answers of a posted form: (item, value) for every `a:` field.
pub fn answers_of(fields: &[(String, String)]) -> Vec<(String, String)> {
    fields.iter().filter_map(|(k, v)| k.strip_prefix("a:").map(|item| (item.to_string(), v.clone()))).collect()
}

/// The fieldsets of the items `range` of `bank`, numbered from `first`, with what was `saved` checked.
pub fn fieldsets(bank: &Bank, lang: &str, saved: &BTreeMap<String, String>, range: std::ops::Range<usize>) -> String {
    let skip = if lang == "de" { "Überspringen" } else { "Skip this one" };
    let mut html = String::new();
    let file = bank.file();
    for (n, item) in file.items.iter().enumerate().skip(range.start).take(range.len()) {
        let current = saved.get(&item.id).map(String::as_str).unwrap_or("");
        let _ = write!(html, "<fieldset class=\"item\"><legend><span class=\"number\">{} / {}</span>{}</legend><div class=\"options\">", n + 1, file.items.len(), esc(&words(&item.text, lang)));
        for (k, option) in item_options(file, item, lang, |t| words(t, lang)).iter().enumerate() {
            let checked = if option.value == current { " checked" } else { "" };
            let _ = write!(
                html,
                "<label class=\"option\" for=\"{id}-{k}\"><input type=\"radio\" id=\"{id}-{k}\" name=\"a:{id}\" value=\"{value}\"{checked}><span>{label}</span></label>",
                id = esc(&item.id),
                value = esc(&option.value),
                label = esc(&option.label)
            );
        }
        let checked = if current.is_empty() { " checked" } else { "" };
        let _ = write!(html, "<label class=\"option\" for=\"{id}-skip\"><input type=\"radio\" id=\"{id}-skip\" name=\"a:{id}\" value=\"\"{checked}><span>{skip}</span></label></div></fieldset>", id = esc(&item.id));
    }
    html
}
