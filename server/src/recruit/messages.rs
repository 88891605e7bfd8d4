//! The e-mails candidates receive: an invitation, or a reminder with a new
//! link (to start, or to finish), in the candidate's language. Plain text, respectful, and clear
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
    pub occasion: Occasion,
}

/// Why the candidate gets the letter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Occasion {
    /// The first invitation (or the same again with a new link).
    Invitation,
    /// Invited, not started yet: a reminder with a new link.
    StartReminder,
    /// Started, not finished: a reminder to carry on, with a new link.
    FinishReminder,
}

impl Occasion {
    /// The outbox's kind of message.
    pub fn kind(self) -> &'static str {
        match self {
            Occasion::Invitation => "invitation",
            Occasion::StartReminder | Occasion::FinishReminder => "reminder",
        }
    }
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
        let (subject, opening) = match l.occasion {
            Occasion::FinishReminder => (format!("Erinnerung: Ihr Fragebogen für {}", l.organisation), "Sie haben den Fragebogen begonnen, aber noch nicht abgeschlossen. Mit dem neuen Link unten können Sie genau dort weitermachen, wo Sie aufgehört haben (der vorherige Link gilt nicht mehr).".to_string()),
            Occasion::StartReminder => (
                format!("Erinnerung: Einladung zu einem kurzen Fragebogen von {}", l.organisation),
                format!("{} hat Sie im Rahmen Ihrer Bewerbung zu einem kurzen Fragebogen über Ihre Einstellungen zu Informationssicherheit eingeladen; Sie haben ihn noch nicht begonnen. Hier ist ein neuer Link (der vorherige Link gilt nicht mehr). Wenn Sie nicht teilnehmen möchten, können Sie diese Nachricht einfach ignorieren oder über den Link die Teilnahme ablehnen.", l.organisation),
            ),
            Occasion::Invitation => (format!("Einladung zu einem kurzen Fragebogen von {}", l.organisation), format!("{} lädt Sie im Rahmen Ihrer Bewerbung zu einem kurzen Fragebogen über Ihre Einstellungen zu Informationssicherheit ein.", l.organisation)),
        };
        let body = format!(
            "{greeting}\n\n{opening}\n\nIhr persönlicher Link (bitte nicht weitergeben):\n{}\n\nDer Link gilt bis {until}. Es gibt keine richtigen oder falschen Antworten; Ihre Antworten werden beim Beantworten gespeichert, Sie können also pausieren und später weitermachen. Bevor die erste Frage erscheint, erfahren Sie, welche Daten erhoben werden, wer sie sieht, wie lange sie aufbewahrt werden und welche Rechte Sie haben. Das Ergebnis ist eine von mehreren Informationen; über Ihre Bewerbung entscheiden Menschen, nicht Vigil.\n\nMit freundlichen Grüßen\n{}\n",
            l.link, l.organisation
        );
        Message { subject, body }
    } else {
        let greeting = greeting_name.map_or_else(|| "Hello,".to_string(), |n| format!("Dear {n},"));
        let (subject, opening) = match l.occasion {
            Occasion::FinishReminder => (format!("Reminder: your questionnaire for {}", l.organisation), "You have started the questionnaire but not finished it yet. With the new link below you can carry on exactly where you left off (the earlier link no longer works).".to_string()),
            Occasion::StartReminder => (
                format!("Reminder: invitation to a short questionnaire from {}", l.organisation),
                format!("As part of your application, {} invited you to a short questionnaire about how you approach information security at work, and you have not started it yet. Here is a new link (the earlier link no longer works). If you would rather not take part, you can ignore this message, or open the link and say so.", l.organisation),
            ),
            Occasion::Invitation => (format!("Invitation to a short questionnaire from {}", l.organisation), format!("As part of your application, {} invites you to a short questionnaire about how you approach information security at work.", l.organisation)),
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
}
