//! What stands between a bank text and publishing, as one list the editor
//! shows: problems with the format's rules, and texts still to translate,
//! each with its line. The server's editor and save, `vigil bank validate`
//! and the editor's live check in the browser (compiled to WASM) all use
//! this one function, so they always agree.

use serde::Serialize;

use super::{Bank, Issue};

/// The problems of a bank text, errors and missing translations apart.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Problems {
    pub errors: Vec<Issue>,
    pub translations: Vec<Issue>,
}

impl Problems {
    /// The problems of `source`, as `vigil bank validate` reports them.
    pub fn of(source: &str) -> Problems {
        match Bank::parse(source, "draft") {
            Ok(_) => Problems::default(),
            Err(e) => {
                let (translations, errors) = e.issues().into_iter().partition(Issue::is_translation);
                Problems { errors, translations }
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.errors.is_empty() && self.translations.is_empty()
    }

    /// The errors `self` has that `before` did not (lines aside: an edit
    /// moves them).
    pub fn new_since(&self, before: &Problems) -> Vec<Issue> {
        let same = |a: &Issue, b: &Issue| a.item == b.item && a.message == b.message;
        self.errors.iter().filter(|e| !before.errors.iter().any(|b| same(e, b))).cloned().collect()
    }
}
