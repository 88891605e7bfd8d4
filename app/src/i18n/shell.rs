//! The texts of the frame around every page (the skip link and the
//! footer). The frame is drawn before the page knows its reader, so it
//! carries every language, each marked with its `lang`, and the stylesheet
//! shows only the one the page names on `<html lang>` (the others are
//! `display: none`, so screen readers skip them too). Written with `texts!`
//! (see the module above).

texts! {
    /// The frame's texts, in one language.
    ShellText, shell_text, ALL;

    skip_to_content: "Skip to content", "Zum Inhalt springen";
    footer: "Vigil informs people's decisions; it never makes them.", "Vigil unterstützt Entscheidungen von Menschen; es trifft sie nie.";
}

/// Texts that read the same in both languages (checked: nothing else may).
#[cfg(test)]
pub(crate) const SAME_IN_BOTH: &[&str] = &[];

/// The languages the frame carries, each a `(lang, texts)` pair.
pub fn every_language() -> [(&'static str, &'static ShellText); 2] {
    [("en", shell_text("en")), ("de", shell_text("de"))]
}
