//! What changed between a published version and its draft, and the version
//! number the draft therefore gets (semantic versioning of a bank):
//!
//! - **major**: what a score means changed: scales (added, removed, kind),
//!   response scales, an item's scale, key, reverse keying, scoring options
//!   or IRT parameters;
//! - **minor**: what is asked changed: items added or removed, languages,
//!   adaptive-testing or validity settings, intended use;
//! - **patch**: wording only (texts, labels, interpretations, order).

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::format::{BankFile, ItemDef, Text};

/// How much a draft differs from its parent, smallest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeLevel {
    None,
    Patch,
    Minor,
    Major,
}

impl ChangeLevel {
    pub fn label(self) -> &'static str {
        match self {
            ChangeLevel::None => "no change",
            ChangeLevel::Patch => "patch (wording)",
            ChangeLevel::Minor => "minor (items or settings)",
            ChangeLevel::Major => "major (scales or keys)",
        }
    }
}

/// The rule, in the words the editor shows.
pub const VERSION_RULE: &str = "Wording only (texts, labels, interpretations, order) is a patch version; items added or removed, languages, adaptive or validity settings make a minor version; scales, response scales, keys, reverse keying or IRT parameters make a major version.";

/// One item compared between parent and draft.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemChange {
    pub id: String,
    pub change: ItemChangeKind,
    /// The item's text in the parent and in the draft (empty when absent).
    pub parent_text: Text,
    pub draft_text: Text,
    /// What changed, in plain words ("text (de)", "reverse key").
    pub what: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemChangeKind {
    Same,
    Changed,
    Added,
    Retired,
}

/// Whether an item's scoring differs: its scale, type, response scale,
/// keying, check answers, option keys or IRT parameters.
fn scoring_differs(a: &ItemDef, b: &ItemDef) -> bool {
    let keys = |i: &ItemDef| i.options.iter().map(|o| (o.id.clone(), o.key)).collect::<Vec<_>>();
    a.kind != b.kind
        || a.scale != b.scale
        || a.response_scale != b.response_scale
        || a.reverse.unwrap_or(false) != b.reverse.unwrap_or(false)
        || a.attentive != b.attentive
        || keys(a) != keys(b)
        || a.grm != b.grm
}

fn wording_differs(a: &ItemDef, b: &ItemDef) -> Vec<String> {
    let mut what = Vec::new();
    let langs: BTreeSet<&String> = a.text.keys().chain(b.text.keys()).collect();
    for lang in langs {
        if a.text.get(lang) != b.text.get(lang) {
            what.push(format!("text ({lang})"));
        }
    }
    let options = |i: &ItemDef| i.options.iter().map(|o| (o.id.clone(), o.text.clone())).collect::<BTreeMap<_, _>>();
    if options(a) != options(b) {
        what.push("option texts".to_string());
    }
    if a.facet != b.facet {
        what.push("facet".to_string());
    }
    what
}

fn scoring_words(a: &ItemDef, b: &ItemDef) -> Vec<String> {
    let mut what = Vec::new();
    if a.scale != b.scale {
        what.push("scale".to_string());
    }
    if a.kind != b.kind || a.response_scale != b.response_scale {
        what.push("response format".to_string());
    }
    if a.reverse.unwrap_or(false) != b.reverse.unwrap_or(false) {
        what.push("reverse key".to_string());
    }
    if a.attentive != b.attentive || a.options.iter().map(|o| o.key).ne(b.options.iter().map(|o| o.key)) {
        what.push("keys".to_string());
    }
    if a.grm != b.grm {
        what.push("IRT parameters".to_string());
    }
    what
}

/// Every item of either version, in the draft's order with retired items
/// after, each with what changed.
pub fn item_changes(parent: &BankFile, draft: &BankFile) -> Vec<ItemChange> {
    let parent_items: BTreeMap<&str, &ItemDef> = parent.items.iter().map(|i| (i.id.as_str(), i)).collect();
    let draft_ids: BTreeSet<&str> = draft.items.iter().map(|i| i.id.as_str()).collect();
    let mut out: Vec<ItemChange> = draft
        .items
        .iter()
        .map(|d| match parent_items.get(d.id.as_str()) {
            Some(p) => {
                let mut what = scoring_words(p, d);
                what.extend(wording_differs(p, d));
                ItemChange { id: d.id.clone(), change: if what.is_empty() { ItemChangeKind::Same } else { ItemChangeKind::Changed }, parent_text: p.text.clone(), draft_text: d.text.clone(), what }
            }
            None => ItemChange { id: d.id.clone(), change: ItemChangeKind::Added, parent_text: Text::new(), draft_text: d.text.clone(), what: vec!["new item".to_string()] },
        })
        .collect();
    out.extend(parent.items.iter().filter(|p| !draft_ids.contains(p.id.as_str())).map(|p| ItemChange {
        id: p.id.clone(),
        change: ItemChangeKind::Retired,
        parent_text: p.text.clone(),
        draft_text: Text::new(),
        what: vec!["retired".to_string()],
    }));
    out
}

/// How much the draft differs from its parent (see the module's rule).
pub fn change_level(parent: &BankFile, draft: &BankFile) -> ChangeLevel {
    let scale_shape = |f: &BankFile| f.scales.iter().map(|s| (s.id.clone(), s.kind, s.facets.clone())).collect::<Vec<_>>();
    let response_shape = |f: &BankFile| f.response_scales.iter().map(|r| (r.id.clone(), r.min, r.max)).collect::<Vec<_>>();
    let parent_items: BTreeMap<&str, &ItemDef> = parent.items.iter().map(|i| (i.id.as_str(), i)).collect();
    let draft_items: BTreeMap<&str, &ItemDef> = draft.items.iter().map(|i| (i.id.as_str(), i)).collect();
    let rescored = draft_items.iter().any(|(id, d)| parent_items.get(id).is_some_and(|p| scoring_differs(p, d)));
    if scale_shape(parent) != scale_shape(draft) || response_shape(parent) != response_shape(draft) || rescored {
        return ChangeLevel::Major;
    }
    let same_items = parent_items.keys().eq(draft_items.keys());
    let (p, d) = (&parent.instrument, &draft.instrument);
    let settings_same = p.languages == d.languages && p.intended_use == d.intended_use && parent.cat == draft.cat && parent.validity == draft.validity;
    if !same_items || !settings_same {
        return ChangeLevel::Minor;
    }
    let mut parent_words = parent.clone();
    let mut draft_words = draft.clone();
    for f in [&mut parent_words, &mut draft_words] {
        f.instrument.version.clear();
        f.instrument.status = super::format::Status::Draft;
        f.instrument.content_hash = None;
        f.instrument.id.clear();
    }
    if parent_words == draft_words {
        ChangeLevel::None
    } else {
        ChangeLevel::Patch
    }
}

/// The version after `parent` for a change of `level` (`1.2.3` → patch
/// `1.2.4`, minor `1.3.0`, major `2.0.0`); `None` when `parent` is not
/// `MAJOR.MINOR.PATCH`.
pub fn next_version(parent: &str, level: ChangeLevel) -> Option<String> {
    let parts: Vec<u64> = parent.split('.').map(|p| p.parse().ok()).collect::<Option<Vec<_>>>()?;
    let [major, minor, patch] = parts[..] else { return None };
    Some(match level {
        ChangeLevel::Major => format!("{}.0.0", major + 1),
        ChangeLevel::Minor => format!("{major}.{}.0", minor + 1),
        ChangeLevel::Patch | ChangeLevel::None => format!("{major}.{minor}.{}", patch + 1),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bank::edit::{as_draft, edit_item, retire_item, ItemEdit};
    use crate::bank::Bank;

    fn svi() -> String {
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/banks/svi/1.1.0.toml")).unwrap()
    }

    fn file(src: &str) -> BankFile {
        Bank::parse(src, "t").expect("valid").file().clone()
    }

    #[test]
    fn versions_follow_the_rule() {
        assert_eq!(next_version("1.2.3", ChangeLevel::Patch).as_deref(), Some("1.2.4"));
        assert_eq!(next_version("1.2.3", ChangeLevel::Minor).as_deref(), Some("1.3.0"));
        assert_eq!(next_version("1.2.3", ChangeLevel::Major).as_deref(), Some("2.0.0"));
        assert_eq!(next_version("1.2", ChangeLevel::Patch), None);
        assert_eq!(next_version("1.x.0", ChangeLevel::Patch), None);
    }

    #[test]
    fn wording_is_a_patch_removal_a_minor_and_a_key_a_major_change() {
        let parent = svi();
        let draft = as_draft(&parent, "svi", "1.1.1").unwrap();
        assert_eq!(change_level(&file(&parent), &file(&draft)), ChangeLevel::None);

        let first = file(&parent).items[0].clone();
        let reworded = edit_item(&draft, &first.id, &ItemEdit { text: [("en".to_string(), "New words".to_string())].into(), scale: first.scale.clone(), response_scale: first.response_scale.clone(), reverse: first.reverse, ..ItemEdit::default() }).unwrap();
        assert_eq!(change_level(&file(&parent), &file(&reworded)), ChangeLevel::Patch);
        let changes = item_changes(&file(&parent), &file(&reworded));
        assert_eq!(changes[0].change, ItemChangeKind::Changed);
        assert_eq!(changes[0].what, ["text (en)"]);
        assert!(changes[1..].iter().all(|c| c.change == ItemChangeKind::Same));

        let retired = retire_item(&reworded, &first.id).unwrap();
        assert_eq!(change_level(&file(&parent), &file(&retired)), ChangeLevel::Minor);
        assert_eq!(item_changes(&file(&parent), &file(&retired)).last().unwrap().change, ItemChangeKind::Retired);

        let rekeyed = edit_item(&draft, &first.id, &ItemEdit { reverse: Some(!first.reverse.unwrap_or(false)), scale: first.scale.clone(), response_scale: first.response_scale.clone(), ..ItemEdit::default() }).unwrap();
        assert_eq!(change_level(&file(&parent), &file(&rekeyed)), ChangeLevel::Major);
    }
}
