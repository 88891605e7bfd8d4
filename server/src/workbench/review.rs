//! Looking at a draft before it is published: its questions exactly as a
//! candidate sees them (the candidate's own component), in any of its
//! languages, one item, one page or all; and what it changed against the
//! version it came from, item by item.

use assessments::bank::{
    changes::{item_changes, ChangeLevel, ItemChange},
    BankFile, ItemDef, ItemType, Text,
};

use super::{drafts, ServiceError};
use crate::{candidate::plan::{LIKERT_PER_PAGE, SCENARIOS_PER_PAGE}, catalog::Catalog, staff::Caller, store::Store};

/// A preview page.
#[derive(Debug, Clone, PartialEq)]
pub struct Preview {
    pub instrument: String,
    pub lang: String,
    pub languages: Vec<String>,
    pub title: String,
    pub instructions: Option<String>,
    /// The questions' HTML, from the candidate's component.
    pub items_html: String,
    /// 1-based page shown and how many there are (0 when one item is shown).
    pub page: usize,
    pub pages: usize,
    /// Texts of this language still missing (shown marked in the preview).
    pub missing: usize,
}

/// A text in `lang`, or a visible mark where its translation is missing.
fn words(t: &Text, lang: &str) -> String {
    match t.get(lang).filter(|s| !s.trim().is_empty()) {
        Some(s) => s.clone(),
        None => format!("[no {lang} text yet]"),
    }
}

/// The items in the pages a candidate would get them in (file order here;
/// each session shuffles): 8 statements or 2 scenarios a page.
pub fn pages_of(items: &[ItemDef]) -> Vec<Vec<usize>> {
    let mut pages: Vec<Vec<usize>> = Vec::new();
    for kind_is_scenario in [false, true] {
        let of_kind: Vec<usize> = items.iter().enumerate().filter(|(_, i)| (i.kind == ItemType::Sjt) == kind_is_scenario).map(|(n, _)| n).collect();
        let per_page = if kind_is_scenario { SCENARIOS_PER_PAGE } else { LIKERT_PER_PAGE };
        pages.extend(of_kind.chunks(per_page).map(<[usize]>::to_vec));
    }
    pages
}

fn item_view(file: &BankFile, index: usize, number: usize, lang: &str) -> app::candidate::model::ItemView {
    let item = &file.items[index];
    app::candidate::model::ItemView {
        key: format!("{}/{}", file.instrument.id, item.id),
        number: number as u32,
        text: words(&item.text, lang),
        options: crate::candidate::views::item_options(file, item, lang, |t| words(t, lang)),
        answer: None,
        scenario: item.kind == ItemType::Sjt,
    }
}

/// The draft's questions in `lang`: item `item` alone, else page `page`
/// (1-based; 0 for all).
pub async fn preview(store: &Store, catalog: &Catalog, caller: &Caller, id: &str, lang: &str, item: Option<&str>, page: usize) -> Result<Preview, ServiceError> {
    let view = drafts::view(store, catalog, caller, id).await?;
    let file = view.file.ok_or_else(|| ServiceError::Invalid("The draft's text cannot be read; fix it on the draft's page first.".into()))?;
    let languages = file.instrument.languages.clone();
    let lang = if languages.iter().any(|l| l == lang) { lang.to_string() } else { languages.first().cloned().unwrap_or_else(|| "en".into()) };
    let pages = pages_of(&file.items);
    let shown: Vec<usize> = match item {
        Some(wanted) => vec![file.items.iter().position(|i| i.id == wanted).ok_or(ServiceError::NotFound)?],
        None if page == 0 => pages.concat(),
        None => pages.get(page - 1).cloned().ok_or(ServiceError::NotFound)?,
    };
    let number_before: usize = if item.is_none() && page > 0 { pages[..page - 1].iter().map(Vec::len).sum() } else { 0 };
    let items = shown.iter().enumerate().map(|(n, &i)| item_view(&file, i, number_before + n + 1, &lang)).collect();
    let missing = view.problems.translations.iter().filter(|t| t.message.ends_with(&format!("`{lang}`"))).count();
    Ok(Preview {
        instrument: file.instrument.id.clone(),
        title: words(&file.instrument.title, &lang),
        instructions: file.instrument.instructions.as_ref().map(|t| words(t, &lang)),
        items_html: app::candidate::pages::items_html(items, &lang),
        page: if item.is_some() { 0 } else { page },
        pages: pages.len(),
        missing,
        languages,
        lang,
    })
}

/// A draft side by side with the version it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    pub instrument: String,
    pub parent: String,
    pub level: Option<ChangeLevel>,
    pub publishes_as: Option<String>,
    pub changes: Vec<ItemChange>,
}

/// What the draft changed, item by item, against its parent version.
pub async fn compare(store: &Store, catalog: &Catalog, caller: &Caller, id: &str) -> Result<Comparison, ServiceError> {
    let view = drafts::view(store, catalog, caller, id).await?;
    let parent = view.parent.ok_or_else(|| ServiceError::Invalid("This draft was uploaded, not made from a published version, so there is nothing to compare it with.".into()))?;
    let file = view.file.ok_or_else(|| ServiceError::Invalid("The draft's text cannot be read; fix it on the draft's page first.".into()))?;
    Ok(Comparison {
        instrument: view.draft.instrument,
        parent: format!("{} {}", parent.bank.id(), parent.bank.version()),
        level: view.level,
        publishes_as: view.publishes_as,
        changes: item_changes(parent.bank.file(), &file),
    })
}
