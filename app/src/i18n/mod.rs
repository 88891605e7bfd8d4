//! Every fixed text of Vigil's pages in English and German, through one
//! mechanism: a struct with one field per text and one value of it per
//! language, so a text cannot exist in one language only (the program
//! does not compile), and the tests below catch a text left empty, left in
//! English, or with other placeholders than its English.
//!
//! - `candidate.rs`: the candidate's pages (`Strings`), in the language of
//!   the invitation (the candidate can switch);
//! - `staff.rs`: the staff pages the app renders (`StaffText`), in the
//!   language each staff member chooses (`users.language`, on their account
//!   page);
//! - `candidate_pages.rs`: the candidate's pages the server writes itself
//!   (feedback report, their data and rights, group questions);
//! - `workbench.rs`: the psychologist's instrument workbench (`WorkbenchText`);
//! - `analysis.rs`: the psychologist's analysis pages (`AnalysisText`);
//! - `workforce.rs`: the workforce pages (`WorkforceText`);
//! - `shell.rs`: the frame around every page (skip link, footer), in every
//!   language at once, the page's `<html lang>` choosing which shows;
//! - `admin.rs`: the staff pages and answers the server writes itself
//!   (`AdminText`: the page frame, errors, the recruiter's and the
//!   administrators' form pages), in the same language.
//!
//! A staff table is written with [`texts!`]: each line names a text, then
//! its English, then its German. Placeholders are `{name}`, filled by
//! [`fill`].

/// Makes a table of texts: a struct with one field per text, its English
/// and German values, the function that picks one by language ("de", else
/// English) and, for the checks, the list of `(name, English, German)`.
macro_rules! texts {
    ($(#[$meta:meta])* $table:ident, $pick:ident, $all:ident; $($key:ident: $en:literal, $de:literal;)*) => {
        $(#[$meta])*
        #[derive(Debug)]
        pub struct $table {
            $(pub $key: &'static str,)*
        }

        /// The texts in `lang` ("de", else English).
        pub fn $pick(lang: &str) -> &'static $table {
            static EN: $table = $table { $($key: $en,)* };
            static DE: $table = $table { $($key: $de,)* };
            if lang == "de" { &DE } else { &EN }
        }

        /// `(name, English, German)` of every text, for the checks.
        #[cfg(test)]
        pub(crate) const $all: &[(&str, &str, &str)] = &[$((stringify!($key), $en, $de),)*];
    };
}

pub mod admin;
pub mod analysis;
mod candidate;
pub mod candidate_pages;
pub mod shell;
pub mod staff;
pub mod workbench;
pub mod workforce;

pub use admin::{admin_text, AdminText};
pub use analysis::{analysis_text, AnalysisText};
pub use shell::{shell_text, ShellText};
pub use candidate_pages::{feedback_text, group_questions_text, rights_text, FeedbackText, GroupQuestionsText, RightsText};
pub use candidate::{strings, Strings, DE, EN, LANGUAGES};
pub use staff::{fill, fill_with, staff_text, StaffText};
pub use workbench::{workbench_text, WorkbenchText};
pub use workforce::{workforce_text, WorkforceText};

/// Which of Vigil's languages a language tag names ("de", "de-AT" → "de"), if any.
fn language_of(tag: &str) -> Option<&'static str> {
    LANGUAGES.into_iter().find(|l| tag.get(..2).is_some_and(|p| p.eq_ignore_ascii_case(l)))
}

/// The supported language closest to `lang` ("de", "de-AT" → "de"; else "en").
pub fn supported(lang: &str) -> &'static str {
    language_of(lang).unwrap_or("en")
}

/// The `{name}` placeholders of a text, sorted.
#[cfg(test)]
fn placeholders(text: &str) -> Vec<&str> {
    let mut names: Vec<&str> = text.split('{').skip(1).filter_map(|p| p.split_once('}').map(|(n, _)| n)).collect();
    names.sort_unstable();
    names
}

/// What is wrong with a table: a text left empty, left in English (unless
/// `same_in_both` names it) or with other placeholders than its English.
#[cfg(test)]
fn problems_of(all: &[(&str, &str, &str)], same_in_both: &[&str]) -> Vec<String> {
    let mut problems = Vec::new();
    for (key, en, de) in all {
        if en.trim().is_empty() || de.trim().is_empty() {
            problems.push(format!("{key}: empty"));
        }
        if en == de && !same_in_both.contains(key) {
            problems.push(format!("{key}: the German is the English ({en:?}); translate it, or list it as the same in both"));
        }
        if placeholders(en) != placeholders(de) {
            problems.push(format!("{key}: placeholders {:?} in English but {:?} in German", placeholders(en), placeholders(de)));
        }
    }
    for key in same_in_both {
        if !all.iter().any(|(k, _, _)| k == key) {
            problems.push(format!("the list of texts the same in both names {key}, which is no text"));
        }
    }
    problems
}

/// The supported language a browser asks for first (`Accept-Language`,
/// "de-CH, en;q=0.8" → "de"): the highest `q` among the languages Vigil has,
/// the earlier on a tie; English when none is had.
pub fn preferred(accept_language: &str) -> &'static str {
    let mut best: Option<(f32, &'static str)> = None;
    for part in accept_language.split(',') {
        let mut fields = part.split(';');
        let tag = fields.next().unwrap_or("").trim();
        let q = fields.find_map(|f| f.trim().strip_prefix("q=").and_then(|v| v.trim().parse::<f32>().ok())).unwrap_or(1.0);
        let Some(lang) = language_of(tag) else { continue };
        if q > 0.0 && best.is_none_or(|(b, _)| q > b) {
            best = Some((q, lang));
        }
    }
    best.map_or("en", |(_, lang)| lang)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_browser_gets_the_language_it_asks_for_first_that_vigil_has() {
        assert_eq!(preferred("de-CH, de;q=0.9, en;q=0.8"), "de");
        assert_eq!(preferred("fr-FR, fr;q=0.9, de;q=0.7, en;q=0.6"), "de");
        assert_eq!(preferred("en-US,en;q=0.9,de;q=0.8"), "en");
        assert_eq!(preferred("de;q=0.5, en;q=0.9"), "en");
        assert_eq!(preferred("de;q=0, fr"), "en", "q=0 means not wanted");
        assert_eq!(preferred(""), "en");
        assert_eq!(preferred("garbage;;;q=x,,"), "en");
    }

    #[test]
    fn every_text_table_is_written_in_both_languages_with_the_same_placeholders() {
        let mut problems = problems_of(staff::ALL, staff::SAME_IN_BOTH);
        problems.extend(problems_of(admin::ALL, admin::SAME_IN_BOTH));
        problems.extend(problems_of(workbench::ALL, workbench::SAME_IN_BOTH));
        problems.extend(problems_of(analysis::ALL, analysis::SAME_IN_BOTH));
        problems.extend(problems_of(workforce::ALL, workforce::SAME_IN_BOTH));
        problems.extend(problems_of(shell::ALL, shell::SAME_IN_BOTH));
        for table in [candidate_pages::FEEDBACK_ALL, candidate_pages::RIGHTS_ALL, candidate_pages::GROUP_QUESTIONS_ALL] {
            problems.extend(problems_of(table, &[]));
        }
        assert!(problems.is_empty(), "{problems:#?}");
    }

    #[test]
    fn the_check_finds_a_text_left_in_english_or_with_a_lost_placeholder() {
        let all = [("a", "Hello {name}", "Hallo"), ("b", "Sign out", "Sign out"), ("c", "", "x")];
        let problems = problems_of(&all, &["missing"]);
        assert_eq!(problems.len(), 4, "{problems:#?}");
    }

    #[test]
    fn a_language_tag_falls_back_to_english() {
        assert_eq!(supported("de"), "de");
        assert_eq!(supported("de-CH"), "de");
        assert_eq!(supported("fr"), "en");
        assert_eq!(supported(""), "en");
    }
}
