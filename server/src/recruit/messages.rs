//! The e-mails candidates receive: an invitation, or a reminder with a new
//! link (to start, or to finish), in the candidate's language. Plain text, respectful, and clear
//! about what happens with their answers.
//!
//! Each (occasion, language) has a template: Vigil's own, or the
//! organisation's (`/admin/templates`). A template is a subject and a body
//! with placeholders: `{greeting}`, `{organisation}`, `{link}` (in the
//! body, exactly once), `{until}`.

use std::collections::HashMap;

use crate::time::date_utc;

/// What a letter needs.
pub struct Letter<'a> {
    pub name: &'a str,
    pub organisation: &'a str,
    pub link: &'a str,
    pub expires_at: i64,
    /// "en" or "de" (anything else gets English).
    pub language: &'a str,
    pub occasion: Occasion,
}

/// Why the candidate gets the letter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Occasion {
    /// The first invitation (or the same again with a new link).
    Invitation,
    /// Invited, not started yet: a reminder with a new link.
    StartReminder,
    /// Started, not finished: a reminder to carry on, with a new link.
    FinishReminder,
}

impl Occasion {
    pub const ALL: [Occasion; 3] = [Occasion::Invitation, Occasion::StartReminder, Occasion::FinishReminder];

    /// The outbox's kind of message.
    pub fn kind(self) -> &'static str {
        match self {
            Occasion::Invitation => "invitation",
            Occasion::StartReminder | Occasion::FinishReminder => "reminder",
        }
    }

    /// The template's name (in addresses and storage).
    pub fn as_str(self) -> &'static str {
        match self {
            Occasion::Invitation => "invitation",
            Occasion::StartReminder => "start_reminder",
            Occasion::FinishReminder => "finish_reminder",
        }
    }

    pub fn parse(s: &str) -> Option<Occasion> {
        Occasion::ALL.into_iter().find(|o| o.as_str() == s)
    }
}

/// The languages letters are written in.
pub const LETTER_LANGUAGES: [&str; 2] = ["en", "de"];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub subject: String,
    pub body: String,
}

/// A subject and a body with placeholders.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    pub subject: String,
    pub body: String,
}

/// The placeholders a template may use.
pub const PLACEHOLDERS: [&str; 4] = ["greeting", "organisation", "link", "until"];
/// Longest subject and body an organisation may write.
pub const MAX_SUBJECT_CHARS: usize = 200;
pub const MAX_BODY_CHARS: usize = 5_000;

/// The template language of a letter: German for "de", else English.
fn language_of(language: &str) -> &'static str {
    if language == "de" {
        "de"
    } else {
        "en"
    }
}

/// Vigil's own template for an occasion and language.
pub fn shipped(occasion: Occasion, language: &str) -> Template {
    let (subject, opening, body) = if language_of(language) == "de" {
        let (subject, opening) = match occasion {
            Occasion::FinishReminder => ("Erinnerung: Ihr Fragebogen für {organisation}", "Sie haben den Fragebogen begonnen, aber noch nicht abgeschlossen. Mit dem neuen Link unten können Sie genau dort weitermachen, wo Sie aufgehört haben (der vorherige Link gilt nicht mehr)."),
            Occasion::StartReminder => (
                "Erinnerung: Einladung zu einem kurzen Fragebogen von {organisation}",
                "{organisation} hat Sie im Rahmen Ihrer Bewerbung zu einem kurzen Fragebogen über Ihre Einstellungen zu Informationssicherheit eingeladen; Sie haben ihn noch nicht begonnen. Hier ist ein neuer Link (der vorherige Link gilt nicht mehr). Wenn Sie nicht teilnehmen möchten, können Sie diese Nachricht einfach ignorieren oder über den Link die Teilnahme ablehnen.",
            ),
            Occasion::Invitation => ("Einladung zu einem kurzen Fragebogen von {organisation}", "{organisation} lädt Sie im Rahmen Ihrer Bewerbung zu einem kurzen Fragebogen über Ihre Einstellungen zu Informationssicherheit ein."),
        };
        (subject, opening, "{greeting}\n\n{opening}\n\nIhr persönlicher Link (bitte nicht weitergeben):\n{link}\n\nDer Link gilt bis {until}. Es gibt keine richtigen oder falschen Antworten; Ihre Antworten werden beim Beantworten gespeichert, Sie können also pausieren und später weitermachen. Bevor die erste Frage erscheint, erfahren Sie, welche Daten erhoben werden, wer sie sieht, wie lange sie aufbewahrt werden und welche Rechte Sie haben. Das Ergebnis ist eine von mehreren Informationen; über Ihre Bewerbung entscheiden Menschen, nicht Vigil.\n\nMit freundlichen Grüßen\n{organisation}\n")
    } else {
        let (subject, opening) = match occasion {
            Occasion::FinishReminder => ("Reminder: your questionnaire for {organisation}", "You have started the questionnaire but not finished it yet. With the new link below you can carry on exactly where you left off (the earlier link no longer works)."),
            Occasion::StartReminder => (
                "Reminder: invitation to a short questionnaire from {organisation}",
                "As part of your application, {organisation} invited you to a short questionnaire about how you approach information security at work, and you have not started it yet. Here is a new link (the earlier link no longer works). If you would rather not take part, you can ignore this message, or open the link and say so.",
            ),
            Occasion::Invitation => ("Invitation to a short questionnaire from {organisation}", "As part of your application, {organisation} invites you to a short questionnaire about how you approach information security at work."),
        };
        (subject, opening, "{greeting}\n\n{opening}\n\nYour personal link (please do not share it):\n{link}\n\nThe link works until {until}. There are no right or wrong answers; each answer is saved as you give it, so you can pause and continue later. Before the first question you will read what is collected, who sees it, how long it is kept and what your rights are. The result is one piece of information among several; people, not Vigil, decide about your application.\n\nKind regards,\n{organisation}\n")
    };
    Template { subject: subject.to_string(), body: body.replace("{opening}", opening) }
}

/// The placeholders of a text, in order: each `{name}` of letters and underscores.
fn placeholders(text: &str) -> Vec<&str> {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find('{') {
        let after = &rest[start + 1..];
        match after.find('}') {
            Some(end) if after[..end].chars().all(|c| c.is_ascii_lowercase() || c == '_') && end > 0 => {
                found.push(&after[..end]);
                rest = &after[end + 1..];
            }
            _ => rest = after,
        }
    }
    found
}

/// The text with each known placeholder replaced, in one pass (a value is
/// never read again for placeholders): the one rule of `app::i18n::fill_with`.
fn fill(text: &str, value: impl Fn(&str) -> Option<String>) -> String {
    app::i18n::fill_with(text, value)
}

/// Why an organisation's template cannot be used, or `Ok`: each reason in
/// plain words. The body needs the link exactly once; the subject is one
/// line (a line break there could forge mail headers); only the known
/// placeholders; not empty, not too long.
pub fn check(t: &Template) -> Result<(), Vec<String>> {
    let mut problems = Vec::new();
    if t.subject.trim().is_empty() || t.body.trim().is_empty() {
        problems.push("The subject and the text must not be empty.".to_string());
    }
    if t.subject.chars().count() > MAX_SUBJECT_CHARS || t.body.chars().count() > MAX_BODY_CHARS {
        problems.push(format!("The subject can have up to {MAX_SUBJECT_CHARS} characters and the text up to {MAX_BODY_CHARS}."));
    }
    if t.subject.contains(['\r', '\n']) {
        problems.push("The subject must be one line.".to_string());
    }
    for unknown in placeholders(&t.subject).into_iter().chain(placeholders(&t.body)).filter(|p| !PLACEHOLDERS.contains(p)) {
        problems.push(format!("{{{unknown}}} is not a placeholder Vigil knows; use {}.", PLACEHOLDERS.map(|p| format!("{{{p}}}")).join(", ")));
    }
    if placeholders(&t.subject).contains(&"link") {
        problems.push("The personal link belongs in the text, not in the subject.".to_string());
    }
    if placeholders(&t.body).iter().filter(|p| **p == "link").count() != 1 {
        problems.push("The text must contain the candidate's personal link, {link}, exactly once.".to_string());
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

/// A letter from a template.
pub fn render(t: &Template, l: &Letter<'_>) -> Message {
    let german = language_of(l.language) == "de";
    let name = l.name.trim();
    let greeting = match (german, name.is_empty()) {
        (true, true) => "Guten Tag,".to_string(),
        (true, false) => format!("Guten Tag {name},"),
        (false, true) => "Hello,".to_string(),
        (false, false) => format!("Dear {name},"),
    };
    let until = date_utc(l.expires_at);
    let value = |p: &str| match p {
        "greeting" => Some(greeting.clone()),
        "organisation" => Some(l.organisation.to_string()),
        "link" => Some(l.link.to_string()),
        "until" => Some(until.clone()),
        _ => None,
    };
    // A subject stays one line whatever the names hold.
    let subject = fill(&t.subject, &value).replace(['\r', '\n'], " ");
    Message { subject, body: fill(&t.body, &value) }
}

/// The invitation or reminder e-mail, in Vigil's own words.
pub fn invitation(l: &Letter<'_>) -> Message {
    render(&shipped(l.occasion, l.language), l)
}

/// Who writes an organisation's letters: its name, and its own templates
/// where it has written them (Vigil's own for the rest).
#[derive(Debug, Clone, Default)]
pub struct Sender {
    pub organisation: String,
    pub own: HashMap<(Occasion, &'static str), Template>,
}

impl Sender {
    /// The template for an occasion in a language: the organisation's, or Vigil's.
    pub fn template(&self, occasion: Occasion, language: &str) -> Template {
        let language = language_of(language);
        self.own.get(&(occasion, language)).cloned().unwrap_or_else(|| shipped(occasion, language))
    }

    /// A letter to one candidate.
    pub fn letter(&self, name: &str, link: &str, expires_at: i64, language: &str, occasion: Occasion) -> Message {
        render(&self.template(occasion, language), &Letter { name, organisation: &self.organisation, link, expires_at, language, occasion })
    }
}

/// The organisation's name and templates, for the letters of one request.
pub async fn sender(store: &crate::store::Store, org_id: &str) -> Result<Sender, crate::store::StoreError> {
    let organisation = store.organisation(org_id).await?.map(|o| o.name).unwrap_or_default();
    let mut own = HashMap::new();
    for row in store.message_templates(org_id).await? {
        if let (Some(occasion), Some(language)) = (Occasion::parse(&row.occasion), LETTER_LANGUAGES.iter().find(|l| **l == row.language)) {
            own.insert((occasion, *language), Template { subject: row.subject, body: row.body });
        }
    }
    Ok(Sender { organisation, own })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn letter(language: &'static str, occasion: Occasion) -> Letter<'static> {
        Letter { name: "Ada Lovelace", organisation: "Example Ltd", link: "https://vigil.example/take/abc", expires_at: 1_795_437_909_000, language, occasion }
    }

    #[test]
    fn an_invitation_carries_the_link_the_expiry_and_the_candidates_rights() {
        let m = invitation(&letter("en", Occasion::Invitation));
        assert_eq!(m.subject, "Invitation to a short questionnaire from Example Ltd");
        assert!(m.body.starts_with("Dear Ada Lovelace,"));
        assert!(m.body.contains("https://vigil.example/take/abc"));
        assert!(m.body.contains("until 2026-11-23"));
        assert!(m.body.contains("what your rights are"));
        assert!(m.body.contains("people, not Vigil, decide"));
    }

    #[test]
    fn german_candidates_get_german_letters_and_reminders_say_the_old_link_is_gone() {
        let m = invitation(&letter("de", Occasion::FinishReminder));
        assert!(m.subject.starts_with("Erinnerung"));
        assert!(m.body.starts_with("Guten Tag Ada Lovelace,"));
        assert!(m.body.contains("der vorherige Link gilt nicht mehr"));
        let en = invitation(&letter("en", Occasion::FinishReminder));
        assert!(en.body.contains("the earlier link no longer works"));
    }

    #[test]
    fn a_reminder_to_start_says_the_candidate_may_decline_and_the_old_link_is_gone() {
        for (language, subject, link_gone, may_decline) in [
            ("en", "Reminder: invitation to a short questionnaire from Example Ltd", "the earlier link no longer works", "If you would rather not take part"),
            ("de", "Erinnerung: Einladung zu einem kurzen Fragebogen von Example Ltd", "der vorherige Link gilt nicht mehr", "Wenn Sie nicht teilnehmen möchten"),
        ] {
            let m = invitation(&letter(language, Occasion::StartReminder));
            assert_eq!(m.subject, subject);
            assert!(m.body.contains(link_gone) && m.body.contains(may_decline), "{}", m.body);
            assert!(m.body.contains("https://vigil.example/take/abc"));
        }
        assert_eq!((Occasion::Invitation.kind(), Occasion::StartReminder.kind(), Occasion::FinishReminder.kind()), ("invitation", "reminder", "reminder"));
    }

    #[test]
    fn every_shipped_template_passes_the_rules_an_organisations_must_pass() {
        for occasion in Occasion::ALL {
            for language in LETTER_LANGUAGES {
                assert_eq!(check(&shipped(occasion, language)), Ok(()), "{occasion:?} {language}");
            }
        }
    }

    #[test]
    fn a_template_without_its_link_with_an_unknown_placeholder_or_a_two_line_subject_is_refused() {
        let t = |subject: &str, body: &str| check(&Template { subject: subject.into(), body: body.into() });
        assert_eq!(t("Hi {organisation}", "{greeting} {link}"), Ok(()));
        let problems = t("Hi\r\nBcc: x@evil.example", "no link, {nme}").expect_err("refused");
        assert_eq!(problems.len(), 3, "{problems:?}");
        assert!(problems.iter().any(|p| p.contains("one line")) && problems.iter().any(|p| p.contains("{nme}")) && problems.iter().any(|p| p.contains("exactly once")));
        assert!(t("Your {link}", "{link}").is_err(), "no link in the subject");
        assert!(t("Hi", "{link} and again {link}").is_err());
        assert!(t("Hi", &"x".repeat(MAX_BODY_CHARS + 1)).is_err());
    }

    #[test]
    fn filling_never_reads_a_value_for_placeholders_and_keeps_braces_that_are_not_ours() {
        let t = Template { subject: "From {organisation}".into(), body: "{greeting} {link} {until} {not_ours} {".into() };
        let m = render(&t, &Letter { name: "{link}", organisation: "Acme {until}\nBcc: x", link: "L", expires_at: 1_795_437_909_000, language: "en", occasion: Occasion::Invitation });
        assert_eq!(m.subject, "From Acme {until} Bcc: x", "one line, the value taken as it is");
        assert_eq!(m.body, "Dear {link}, L 2026-11-23 {not_ours} {");
    }

    #[test]
    fn an_organisations_own_template_is_used_for_its_occasion_and_language_only() {
        let mut sender = Sender { organisation: "Acme".into(), own: HashMap::new() };
        sender.own.insert((Occasion::Invitation, "de"), Template { subject: "Hallo von {organisation}".into(), body: "{greeting}\n{link}".into() });
        assert_eq!(sender.letter("Ada", "L", 0, "de", Occasion::Invitation).subject, "Hallo von Acme");
        assert_eq!(sender.letter("Ada", "L", 0, "de", Occasion::Invitation).body, "Guten Tag Ada,\nL");
        assert!(sender.letter("Ada", "L", 0, "en", Occasion::Invitation).subject.starts_with("Invitation to"));
        assert!(sender.letter("Ada", "L", 0, "de", Occasion::StartReminder).subject.starts_with("Erinnerung"));
    }
}
