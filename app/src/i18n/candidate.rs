//! Candidate-facing text in English and German (see the module above). Every candidate page takes
//! its language from the invitation (the candidate can switch).

/// The languages candidate pages are written in.
pub const LANGUAGES: [&str; 2] = ["en", "de"];

/// All fixed text of the candidate pages, in one language.
pub struct Strings {
    pub notice_title: &'static str,
    pub notice_intro: &'static str,
    pub notice_sections: [(&'static str, &'static str); 6],
    pub continue_button: &'static str,
    pub decline_button: &'static str,
    pub instruments_label: &'static str,
    /// "sections" in "2 sections: ...".
    pub sections_word: &'static str,
    pub questions_label: &'static str,
    /// "Section" in "Section 1 of 2".
    pub section_label: &'static str,
    pub minutes_label: &'static str,
    /// Joins the two ends of a range: "between 40 and 109" is `between` 40 `and` 109.
    pub range_between: &'static str,
    pub range_and: &'static str,
    pub time_limit_label: &'static str,
    pub page_label: &'static str,
    pub question_label: &'static str,
    pub answered_label: &'static str,
    /// "of" in "8 of 109 questions answered".
    pub of_label: &'static str,
    pub questions_answered_label: &'static str,
    pub back_button: &'static str,
    pub next_button: &'static str,
    pub review_title: &'static str,
    pub review_all_done: &'static str,
    pub review_missing: &'static str,
    pub review_go_to_page: &'static str,
    pub finish_button: &'static str,
    pub finish_note: &'static str,
    pub done_title: &'static str,
    pub done_text: &'static str,
    pub timed_out_text: &'static str,
    pub declined_title: &'static str,
    pub declined_text: &'static str,
    pub link_unknown_title: &'static str,
    pub link_unknown_text: &'static str,
    pub link_expired_title: &'static str,
    pub link_expired_text: &'static str,
    pub link_revoked_text: &'static str,
    pub saved_note: &'static str,
    pub switch_language: &'static str,
    pub at_most_label: &'static str,
    pub time_left: &'static str,
    pub feedback_title: &'static str,
    /// The completion page's link to the candidate's copy of their data and their requests.
    pub your_data_link: &'static str,
    pub feedback_report_link: &'static str,
    /// The completion page's link to the optional group questions.
    pub group_questions_link: &'static str,
    pub more_label: &'static str,
    pub saving: &'static str,
    pub all_saved: &'static str,
    pub not_saved_yet: &'static str,
}

pub fn strings(lang: &str) -> &'static Strings {
    if lang == "de" { &DE } else { &EN }
}

pub static EN: Strings = Strings {
    notice_title: "Before you start",
    notice_intro: "You have been invited to take an assessment as part of an application. Please read how your answers are used before you decide whether to continue.",
    notice_sections: [
        ("What is collected", "Your answers to the questions, how long each answer took, and the time you started and finished. Nothing is read from your device."),
        ("Why", "To describe how you approach information security at work (for example how you respond to risks, rules and reporting), so the organisation can have a better-informed conversation with you. The legal basis is the organisation's legitimate interest in assessing applicants and steps taken at your request before a contract, not your consent."),
        ("Who sees it", "The organisation's recruiters see a summary profile (score bands and plain-language descriptions), never your individual answers. Psychologists who maintain the questionnaires may see answers without your name."),
        ("How decisions are made", "Scores are compared with a reference group and always shown with their margin of error. A person makes every decision; no decision is taken automatically, and you may ask for a human review."),
        ("How long it is kept", "Your name and e-mail address are deleted at the end of the organisation's retention period (normally 6 months after the recruitment ends); anonymous answers may be kept for improving the questionnaires."),
        ("Your rights", "You can ask the organisation for access to your data, its correction or erasure, and for an explanation of your results. You can stop at any time; your answers are saved as you go, and you can come back with the same link."),
    ],
    continue_button: "I have read this — continue",
    decline_button: "I do not want to take part",
    instruments_label: "What you will answer",
    sections_word: "sections",
    questions_label: "Questions",
    section_label: "Section",
    minutes_label: "About this many minutes",
    range_between: "between",
    range_and: "and",
    time_limit_label: "Time limit in minutes",
    page_label: "Page",
    question_label: "Question",
    answered_label: "answered",
    of_label: "of",
    questions_answered_label: "questions answered",
    back_button: "Back",
    next_button: "Save and continue",
    review_title: "Check and finish",
    review_all_done: "You have answered every question. Thank you — you can finish now.",
    review_missing: "Some questions are still open. You can answer them now, or finish anyway.",
    review_go_to_page: "Go to page",
    finish_button: "Finish the assessment",
    finish_note: "After finishing you cannot change your answers.",
    done_title: "Thank you",
    done_text: "Your answers have been saved and sent to the organisation. You can close this window.",
    timed_out_text: "The time for this assessment is over. The answers you gave have been saved.",
    declined_title: "You have chosen not to take part",
    declined_text: "Nothing more has been stored. If you change your mind, you can open your invitation link again while it is valid.",
    link_unknown_title: "This link does not work",
    link_unknown_text: "We could not find an assessment for this link. Please check that the whole link from your e-mail was copied, or ask the organisation that invited you for a new one.",
    link_expired_title: "This link has expired",
    link_expired_text: "The invitation is no longer valid. If you still want to take part, please ask the organisation that invited you for a new link.",
    link_revoked_text: "This invitation has been withdrawn by the organisation. If you think this is a mistake, please contact them.",
    saved_note: "Your answers are saved each time you continue.",
    switch_language: "Deutsch",
    at_most_label: "· at most",
    time_left: "Time left:",
    feedback_title: "A short summary for you",
    feedback_report_link: "Read your full feedback report, area by area (printable)",
    group_questions_link: "A few optional questions that help us check our questionnaires are fair to everyone",
    your_data_link: "Your data and your rights: see or download what Vigil holds about you, ask for it to be erased, or ask for a person to review the decision",
    more_label: "more to go (questions are chosen to fit your answers, so it is usually far fewer)",
    saving: "Saving…",
    all_saved: "All answers saved.",
    not_saved_yet: "Not saved yet: the connection seems to be down. Your answers are kept in this browser and sent again automatically.",
};

pub static DE: Strings = Strings {
    notice_title: "Bevor Sie beginnen",
    notice_intro: "Sie wurden im Rahmen einer Bewerbung zu einer Befragung eingeladen. Bitte lesen Sie, wie Ihre Antworten verwendet werden, bevor Sie entscheiden, ob Sie fortfahren.",
    notice_sections: [
        ("Was erhoben wird", "Ihre Antworten, die Zeit je Antwort sowie Beginn und Ende der Befragung. Von Ihrem Gerät wird nichts ausgelesen."),
        ("Wozu", "Um zu beschreiben, wie Sie bei der Arbeit mit Informationssicherheit umgehen (etwa mit Risiken, Regeln und Meldungen), damit die Organisation ein besser informiertes Gespräch mit Ihnen führen kann. Rechtsgrundlage ist das berechtigte Interesse der Organisation an der Beurteilung von Bewerbungen und vorvertragliche Maßnahmen auf Ihre Anfrage, nicht Ihre Einwilligung."),
        ("Wer es sieht", "Die Personalverantwortlichen sehen ein zusammenfassendes Profil (Wertebereiche und verständliche Beschreibungen), nie Ihre einzelnen Antworten. Psychologinnen und Psychologen, die die Fragebögen pflegen, können Antworten ohne Ihren Namen sehen."),
        ("Wie entschieden wird", "Ergebnisse werden mit einer Vergleichsgruppe verglichen und immer mit ihrer Messungenauigkeit gezeigt. Jede Entscheidung trifft ein Mensch; nichts wird automatisch entschieden, und Sie können eine menschliche Überprüfung verlangen."),
        ("Wie lange gespeichert wird", "Name und E-Mail-Adresse werden am Ende der Aufbewahrungsfrist der Organisation gelöscht (üblicherweise 6 Monate nach Ende des Auswahlverfahrens); anonyme Antworten können zur Verbesserung der Fragebögen aufbewahrt werden."),
        ("Ihre Rechte", "Sie können bei der Organisation Auskunft, Berichtigung oder Löschung Ihrer Daten sowie eine Erläuterung Ihrer Ergebnisse verlangen. Sie können jederzeit unterbrechen; Ihre Antworten werden laufend gespeichert, und Sie können mit demselben Link zurückkehren."),
    ],
    continue_button: "Ich habe das gelesen — weiter",
    decline_button: "Ich möchte nicht teilnehmen",
    instruments_label: "Was Sie beantworten",
    sections_word: "Teile",
    questions_label: "Fragen",
    section_label: "Teil",
    minutes_label: "Etwa so viele Minuten",
    range_between: "zwischen",
    range_and: "und",
    time_limit_label: "Zeitlimit in Minuten",
    page_label: "Seite",
    question_label: "Frage",
    answered_label: "beantwortet",
    of_label: "von",
    questions_answered_label: "Fragen beantwortet",
    back_button: "Zurück",
    next_button: "Speichern und weiter",
    review_title: "Prüfen und abschließen",
    review_all_done: "Sie haben alle Fragen beantwortet. Vielen Dank — Sie können jetzt abschließen.",
    review_missing: "Einige Fragen sind noch offen. Sie können sie jetzt beantworten oder trotzdem abschließen.",
    review_go_to_page: "Zu Seite",
    finish_button: "Befragung abschließen",
    finish_note: "Nach dem Abschließen können Sie Ihre Antworten nicht mehr ändern.",
    done_title: "Vielen Dank",
    done_text: "Ihre Antworten wurden gespeichert und an die Organisation übermittelt. Sie können dieses Fenster schließen.",
    timed_out_text: "Die Zeit für diese Befragung ist abgelaufen. Ihre bisherigen Antworten wurden gespeichert.",
    declined_title: "Sie haben sich gegen die Teilnahme entschieden",
    declined_text: "Es wurde nichts weiter gespeichert. Wenn Sie es sich anders überlegen, können Sie Ihren Einladungslink erneut öffnen, solange er gültig ist.",
    link_unknown_title: "Dieser Link funktioniert nicht",
    link_unknown_text: "Zu diesem Link wurde keine Befragung gefunden. Bitte prüfen Sie, ob der ganze Link aus Ihrer E-Mail kopiert wurde, oder bitten Sie die einladende Organisation um einen neuen.",
    link_expired_title: "Dieser Link ist abgelaufen",
    link_expired_text: "Die Einladung ist nicht mehr gültig. Wenn Sie noch teilnehmen möchten, bitten Sie die einladende Organisation um einen neuen Link.",
    link_revoked_text: "Diese Einladung wurde von der Organisation zurückgezogen. Wenn Sie das für einen Irrtum halten, wenden Sie sich bitte an sie.",
    saved_note: "Ihre Antworten werden bei jedem Weiter gespeichert.",
    switch_language: "English",
    at_most_label: "· höchstens",
    time_left: "Verbleibende Zeit:",
    feedback_title: "Eine kurze Rückmeldung für Sie",
    feedback_report_link: "Ihre ausführliche Rückmeldung lesen, Bereich für Bereich (druckbar)",
    group_questions_link: "Einige freiwillige Fragen, mit denen wir prüfen, ob unsere Fragebögen alle fair behandeln",
    your_data_link: "Ihre Daten und Ihre Rechte: ansehen oder herunterladen, was Vigil über Sie speichert, die Löschung verlangen oder eine Überprüfung der Entscheidung durch einen Menschen verlangen",
    more_label: "weitere (die Fragen werden passend zu Ihren Antworten gewählt, meist sind es viel weniger)",
    saving: "Wird gespeichert…",
    all_saved: "Alle Antworten gespeichert.",
    not_saved_yet: "Noch nicht gespeichert: Die Verbindung scheint unterbrochen. Ihre Antworten bleiben in diesem Browser und werden automatisch erneut gesendet.",
};

impl Strings {
    /// The progress line of a page: "8 of 109 questions answered", or with
    /// adaptive questions "8 answered · at most 30 more to go ...".
    pub fn progress(&self, answered: u32, total: u32, total_is_upper_bound: bool) -> String {
        if total_is_upper_bound {
            format!("{answered} {} {} {} {}", self.answered_label, self.at_most_label, total.saturating_sub(answered), self.more_label)
        } else {
            format!("{answered} {} {total} {}", self.of_label, self.questions_answered_label)
        }
    }

    /// "109", or "between 40 and 109" when the two ends differ.
    pub fn range(&self, [low, high]: [u32; 2]) -> String {
        if low == high { low.to_string() } else { format!("{} {low} {} {high}", self.range_between, self.range_and) }
    }
}
