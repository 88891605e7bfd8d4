//! Every fixed text of Vigil's pages in English and German, through one
//! mechanism: a struct with one field per text and one value of it per
//! language, so a text cannot exist in one language only (the program
//! does not compile), and the tests below catch a text left empty, left in
//! English, or with other placeholders than its English.
//!
//! - `candidate.rs`: the candidate's pages (`Strings`), in the language of
//!   the invitation (the candidate can switch);
//! - `staff.rs`: the staff pages (`StaffText`), in the language each staff
//!   member chooses (`users.language`, on their account page).

mod candidate;
pub mod staff;

pub use candidate::{strings, Strings, DE, EN, LANGUAGES};
pub use staff::{fill, fill_with, staff_text, StaffText};

/// The supported language closest to `lang` ("de", "de-AT" → "de"; else "en").
pub fn supported(lang: &str) -> &'static str {
    if lang.get(..2).is_some_and(|p| p.eq_ignore_ascii_case("de")) {
        "de"
    } else {
        "en"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_language_tag_falls_back_to_english() {
        assert_eq!(supported("de"), "de");
        assert_eq!(supported("de-CH"), "de");
        assert_eq!(supported("fr"), "en");
        assert_eq!(supported(""), "en");
    }
}
