//! The texts of the candidate's pages the server writes itself (the
//! feedback report, their data and rights, the optional group questions),
//! in the candidate's language. Written with `texts!` (see the module above).

texts! {
    /// The words of the feedback report around the bank's feedback texts.
    FeedbackText, feedback_text, FEEDBACK_ALL;

    title: "Your feedback report", "Ihre Rückmeldung";
    intro: "Thank you for taking the time. This report describes, area by area, how your answers compare with those of a reference group, and what that tends to mean at work. It is for you: the organisation decides nothing on the basis of this page.", "Vielen Dank für Ihre Zeit. Diese Rückmeldung beschreibt Bereich für Bereich, wie Ihre Antworten im Vergleich mit einer Bezugsgruppe ausfallen und was das bei der Arbeit meist bedeutet. Sie ist für Sie bestimmt: Die Organisation entscheidet nichts auf Grundlage dieser Seite.";
    print: "To keep a copy, use your browser's Print command (you can also save it as a PDF there).", "Um eine Kopie zu behalten, nutzen Sie den Druckbefehl Ihres Browsers (dort können Sie sie auch als PDF speichern).";
    how: "How this was measured", "Wie das gemessen wurde";
    cannot: "What these results cannot tell", "Was diese Ergebnisse nicht aussagen können";
    range_lower: "lower", "unteren";
    range_middle: "middle", "mittleren";
    range_higher: "higher", "oberen";
    placed: "Your answers place you in the {range} range of the reference group.", "Ihre Antworten liegen im {range} Bereich der Bezugsgruppe.";
    between: "Your result lies between the {low} and the {high} range: the measurement is not precise enough to say which.", "Ihr Ergebnis liegt zwischen dem {low} und dem {high} Bereich: Die Messung ist nicht genau genug, um zu sagen, in welchem.";
    not_readable: "Your answers to this questionnaire could not be turned into a result that can be read, for example because many questions were left out or answered very quickly. This says nothing about you. You may ask the organisation about it.", "Aus Ihren Antworten auf diesen Fragebogen ließ sich kein lesbares Ergebnis bilden, etwa weil viele Fragen ausgelassen oder sehr schnell beantwortet wurden. Das sagt nichts über Sie aus. Sie können die Organisation dazu fragen.";
    demonstration: "For now, the reference group for this questionnaire is a demonstration group, so the comparison only illustrates how the report reads.", "Die Bezugsgruppe für diesen Fragebogen ist vorerst eine Demonstrationsgruppe; der Vergleich veranschaulicht daher nur, wie die Rückmeldung zu lesen ist.";
    nothing: "There is no result to report for this questionnaire.", "Für diesen Fragebogen gibt es kein Ergebnis zu berichten.";
    picture: "lower · middle · higher", "unten · Mitte · oben";
    back: "Back", "Zurück";
}

texts! {
    /// The words of the candidate's page about their data and rights.
    RightsText, rights_text, RIGHTS_ALL;

    title: "Your data and your rights", "Ihre Daten und Ihre Rechte";
    intro: "This is everything Vigil holds about you for this organisation. You can download it, ask for it to be erased, or ask for a person to review the decision the organisation made. The organisation answers each request within one month.", "Hier steht alles, was Vigil für diese Organisation über Sie speichert. Sie können es herunterladen, die Löschung verlangen oder verlangen, dass ein Mensch die Entscheidung der Organisation überprüft. Die Organisation beantwortet jede Anfrage innerhalb eines Monats.";
    download: "Download this copy (JSON)", "Diese Kopie herunterladen (JSON)";
    asked: "Your request was sent to the organisation. It will answer by", "Ihre Anfrage wurde an die Organisation geschickt. Sie antwortet bis";
    asked_again: "You had already asked for this; the organisation has your request. It will answer by", "Sie hatten dies bereits verlangt; die Organisation hat Ihre Anfrage. Sie antwortet bis";
    you: "About you", "Über Sie";
    answers: "Your answers", "Ihre Antworten";
    results: "Your results", "Ihre Ergebnisse";
    decisions: "Decisions recorded about you", "Über Sie festgehaltene Entscheidungen";
    none: "None.", "Keine.";
    requests: "Your requests", "Ihre Anfragen";
    erasure_title: "Ask for your data to be erased", "Löschung Ihrer Daten verlangen";
    erasure_text: "The organisation erases your name, e-mail address and what could identify you; your answers and scores then stay only without your name. Your link stops working.", "Die Organisation löscht Ihren Namen, Ihre E-Mail-Adresse und was Sie erkennbar macht; Ihre Antworten und Werte bleiben danach nur ohne Ihren Namen. Ihr Link funktioniert dann nicht mehr.";
    erasure_button: "Ask for erasure", "Löschung verlangen";
    review_title: "Ask for a person to review the decision", "Überprüfung der Entscheidung durch einen Menschen verlangen";
    review_text: "Vigil never decides about anyone; people at the organisation do. You can ask for a person who was not involved to look at the decision again, with what you want them to consider.", "Vigil entscheidet nie über Menschen; das tun Menschen in der Organisation. Sie können verlangen, dass eine nicht beteiligte Person die Entscheidung noch einmal ansieht, mit dem, was sie berücksichtigen soll.";
    review_button: "Ask for a review", "Überprüfung verlangen";
    note_label: "Anything you want the organisation to know (optional)", "Was die Organisation wissen soll (freiwillig)";
    due: "answer due by", "Antwort bis";
    back: "Back", "Zurück";
}

texts! {
    /// The words of the optional group questions around the organisation's notice.
    GroupQuestionsText, group_questions_text, GROUP_QUESTIONS_ALL;

    title: "A few optional questions", "Einige freiwillige Fragen";
    prefer_not: "Prefer not to say", "Keine Angabe";
    save: "Save my answers", "Antworten speichern";
    remove: "Remove my answers", "Meine Antworten entfernen";
    saved: "Saved. Thank you for helping us check our questionnaires.", "Gespeichert. Vielen Dank, dass Sie uns helfen, unsere Fragebögen zu prüfen.";
    removed: "Your answers have been removed.", "Ihre Antworten wurden entfernt.";
    none_given: "You have not answered these questions. That is fine: nothing about your application depends on it.", "Sie haben diese Fragen nicht beantwortet. Das ist in Ordnung: Nichts an Ihrer Bewerbung hängt davon ab.";
    back: "Back", "Zurück";
}
