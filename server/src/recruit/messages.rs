//! The e-mails candidates receive: an invitation, or a reminder with a new
//! link, in the candidate's language. Plain text, respectful, and clear
//! about what happens with their answers.

use crate::time::date_utc;

/// What a letter needs.
pub struct Letter<'a> {
    pub name: &'a str,
    pub organisation: &'a str,
    pub link: &'a str,
    pub expires_at: i64,
    /// "en" or "de" (anything else gets English).
    pub language: &'a str,
    /// The candidate has started already: a reminder rather than a first invitation.
    pub reminder: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub subject: String,
    pub body: String,
}

/// The invitation or reminder e-mail.
pub fn invitation(l: &Letter<'_>) -> Message {
    let until = date_utc(l.expires_at);
    let greeting_name = if l.name.trim().is_empty() { None } else { Some(l.name.trim()) };
    if l.language == "de" {
        let greeting = greeting_name.map_or_else(|| "Guten Tag,".to_string(), |n| format!("Guten Tag {n},"));
        let (subject, opening) = if l.reminder {
            (format!("Erinnerung: Ihr Fragebogen für {}", l.organisation), "Sie haben den Fragebogen begonnen, aber noch nicht abgeschlossen. Mit dem neuen Link unten können Sie genau dort weitermachen, wo Sie aufgehört haben (der vorherige Link gilt nicht mehr).".to_string())
        } else {
            (format!("Einladung zu einem kurzen Fragebogen von {}", l.organisation), format!("{} lädt Sie im Rahmen Ihrer Bewerbung zu einem kurzen Fragebogen über Ihre Einstellungen zu Informationssicherheit ein.", l.organisation))
        };
        let body = format!(
            "{greeting}\n\n{opening}\n\nIhr persönlicher Link (bitte nicht weitergeben):\n{}\n\nDer Link gilt bis {until}. Es gibt keine richtigen oder falschen Antworten; Ihre Antworten werden beim Beantworten gespeichert, Sie können also pausieren und später weitermachen. Bevor die erste Frage erscheint, erfahren Sie, welche Daten erhoben werden, wer sie sieht, wie lange sie aufbewahrt werden und welche Rechte Sie haben. Das Ergebnis ist eine von mehreren Informationen; über Ihre Bewerbung entscheiden Menschen, nicht Vigil.\n\nMit freundlichen Grüßen\n{}\n",
            l.link, l.organisation
        );
        Message { subject, body }
    } else {
        let greeting = greeting_name.map_or_else(|| "Hello,".to_string(), |n| format!("Dear {n},"));
        let (subject, opening) = if l.reminder {
            (format!("Reminder: your questionnaire for {}", l.organisation), "You have started the questionnaire but not finished it yet. With the new link below you can carry on exactly where you left off (the earlier link no longer works).".to_string())
        } else {
            (format!("Invitation to a short questionnaire from {}", l.organisation), format!("As part of your application, {} invites you to a short questionnaire about how you approach information security at work.", l.organisation))
        };
        let body = format!(
            "{greeting}\n\n{opening}\n\nYour personal link (please do not share it):\n{}\n\nThe link works until {until}. There are no right or wrong answers; each answer is saved as you give it, so you can pause and continue later. Before the first question you will read what is collected, who sees it, how long it is kept and what your rights are. The result is one piece of information among several; people, not Vigil, decide about your application.\n\nKind regards,\n{}\n",
            l.link, l.organisation
        );
        Message { subject, body }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn letter(language: &'static str, reminder: bool) -> Letter<'static> {
        Letter { name: "Ada Lovelace", organisation: "Example Ltd", link: "https://vigil.example/take/abc", expires_at: 1_795_437_909_000, language, reminder }
    }

    #[test]
    fn an_invitation_carries_the_link_the_expiry_and_the_candidates_rights() {
        let m = invitation(&letter("en", false));
        assert_eq!(m.subject, "Invitation to a short questionnaire from Example Ltd");
        assert!(m.body.starts_with("Dear Ada Lovelace,"));
        assert!(m.body.contains("https://vigil.example/take/abc"));
        assert!(m.body.contains("until 2026-11-23"));
        assert!(m.body.contains("what your rights are"));
        assert!(m.body.contains("people, not Vigil, decide"));
    }

    #[test]
    fn german_candidates_get_german_letters_and_reminders_say_the_old_link_is_gone() {
        let m = invitation(&letter("de", true));
        assert!(m.subject.starts_with("Erinnerung"));
        assert!(m.body.starts_with("Guten Tag Ada Lovelace,"));
        assert!(m.body.contains("der vorherige Link gilt nicht mehr"));
        let en = invitation(&letter("en", true));
        assert!(en.body.contains("the earlier link no longer works"));
    }
}
