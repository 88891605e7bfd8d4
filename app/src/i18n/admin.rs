//! The texts of the staff pages and answers the server writes itself
//! (plain HTML forms that work without JavaScript): the page frame, the
//! error pages, the recruiter's form results, and the administrators'
//! pages (requests, e-mail templates, integrations, group questions,
//! account security). Written with `texts!` (see the module above).

texts! {
    /// Every fixed text of the server-written staff pages, in one language.
    AdminText, admin_text, ALL;

    // The frame and the error pages.
    go_back: "Go back", "Zurück";
    not_for_your_role: "Not available for your role", "Für Ihre Rolle nicht verfügbar";
    not_for_your_role_text: "Your role does not include this. Ask an administrator of your organisation if you need it.", "Ihre Rolle umfasst dies nicht. Wenn Sie es brauchen, wenden Sie sich an die Administration Ihrer Organisation.";
    not_found: "Not found", "Nicht gefunden";
    not_found_text: "We could not find that page or record.", "Wir konnten diese Seite oder diesen Eintrag nicht finden.";
    check_input: "Please check your input", "Bitte prüfen Sie Ihre Eingabe";
    not_saved: "Not saved", "Nicht gespeichert";
    file_not_used: "The file could not be used", "Die Datei konnte nicht verwendet werden";
    nothing_created: "Nothing from this file was created.", "Aus dieser Datei wurde nichts angelegt.";
    went_wrong: "Something went wrong on our side", "Bei uns ist etwas schiefgegangen";
    went_wrong_text: "Please try again in a moment. If it keeps happening, quote reference {reference}.", "Bitte versuchen Sie es gleich noch einmal. Wenn es wieder passiert, nennen Sie die Referenz {reference}.";
    back_to_start: "Back to your start page", "Zurück zu Ihrer Startseite";

    // A colleague invited.
    account_created: "Account created", "Konto angelegt";
    account_created_text: "The account for {person} is ready. Send them this link yourself; with it they choose their password. It works once, for {days} days, and is not shown again.", "Das Konto für {person} ist bereit. Schicken Sie der Person diesen Link selbst; damit wählt sie ihr Passwort. Er funktioniert einmal, {days} Tage lang, und wird nicht noch einmal angezeigt.";
    one_time_link: "One-time link", "Einmal-Link";
    back_to_users: "Back to users", "Zurück zu den Benutzern";
    // The recruiter's form results: one invitation, a file of them, reminders.
    invitation_created: "Invitation created", "Einladung angelegt";
    invitation_created_text: "The invitation e-mail is on its way (see the outbox). If you reach this candidate another way, copy their personal link:", "Die Einladungs-E-Mail ist unterwegs (siehe Postausgang). Wenn Sie diese Person auf anderem Weg erreichen, kopieren Sie ihren persönlichen Link:";
    personal_link: "Personal link (works only for this candidate; do not share it with anyone else)", "Persönlicher Link (funktioniert nur für diese Person; geben Sie ihn niemand anderem weiter)";
    copy_link: "Copy link", "Link kopieren";
    open_candidate: "Open the candidate", "Zur Person";
    back_to_campaign: "Back to the campaign", "Zurück zur Kampagne";
    upload_unreadable: "The upload could not be read ({cause}). Please choose the file again.", "Die hochgeladene Datei konnte nicht gelesen werden ({cause}). Bitte wählen Sie die Datei noch einmal.";
    choose_csv: "Please choose a CSV file to upload.", "Bitte wählen Sie eine CSV-Datei zum Hochladen.";
    import_title: "Invitations from your file", "Einladungen aus Ihrer Datei";
    import_summary: "{created} invitation(s) created; {already} already invited earlier (nothing new created); {errors} row(s) with problems.", "{created} Einladung(en) angelegt; {already} schon früher eingeladen (nichts Neues angelegt); {errors} Zeile(n) mit Problemen.";
    import_outbox: "The invitation e-mails are in the <a href=\"/outbox\">outbox</a> (or on their way, when e-mail sending is set up).", "Die Einladungs-E-Mails liegen im <a href=\"/outbox\">Postausgang</a> (oder sind unterwegs, wenn der E-Mail-Versand eingerichtet ist).";
    rows_not_used: "Rows that were not used", "Zeilen, die nicht verwendet wurden";
    row: "Row", "Zeile";
    problem: "Problem", "Problem";
    correct_rows: "Correct these rows and upload the file again: rows already invited are skipped, so nobody is invited twice.", "Korrigieren Sie diese Zeilen und laden Sie die Datei noch einmal hoch: Schon eingeladene Zeilen werden übersprungen, niemand wird doppelt eingeladen.";
    already_invited: "Already invited earlier", "Schon früher eingeladen";
    row_email: "Row {row}: {email}", "Zeile {row}: {email}";
    reminders_title: "Remind candidates who have not finished", "Personen erinnern, die noch nicht fertig sind";
    campaign_named: "Campaign: {name}", "Kampagne: {name}";
    nobody_to_remind: "Nobody to remind right now: everyone who can still finish has either no e-mail address on record or had an e-mail from Vigil in the last day.", "Gerade ist niemand zu erinnern: Alle, die noch abschließen können, haben entweder keine E-Mail-Adresse hinterlegt oder haben am letzten Tag eine E-Mail von Vigil bekommen.";
    reminders_explained: "Each of the {n} candidate(s) below gets an e-mail in their language with a new personal link, valid for {days} days from now; the earlier link stops working. Those who started carry on exactly where they left off; those who have not started are told they may also decline.", "Jede der {n} Personen unten bekommt eine E-Mail in ihrer Sprache mit einem neuen persönlichen Link, der ab jetzt {days} Tage gilt; der frühere Link funktioniert dann nicht mehr. Wer schon begonnen hat, macht genau dort weiter; wer noch nicht begonnen hat, erfährt, dass er oder sie auch ablehnen kann.";
    will_be_reminded: "Will get a reminder", "Bekommt eine Erinnerung";
    send_reminders: "Send {n} reminder(s)", "{n} Erinnerung(en) senden";
    not_reminded: "Not reminded now", "Jetzt nicht erinnert";
    reminders_not_included: "Candidates who completed, whose invitation was withdrawn, or whose link or time ran out are not included; you can send one of them a new link from their page.", "Personen, die abgeschlossen haben, deren Einladung zurückgezogen wurde oder deren Link oder Zeit abgelaufen ist, sind nicht dabei; Sie können ihnen von ihrer Seite aus einen neuen Link schicken.";
    name: "Name", "Name";
    email: "E-mail", "E-Mail";
    where_they_are: "Where they are", "Stand";
    why_not: "Why not", "Warum nicht";
    started_not_finished: "Started, not finished", "Begonnen, nicht abgeschlossen";
    invited_not_started: "Invited, not started", "Eingeladen, nicht begonnen";
    skip_no_email: "No e-mail address on record.", "Keine E-Mail-Adresse hinterlegt.";
    skip_recently_written: "Vigil wrote to them on {at} (UTC); reminders wait a day after any e-mail.", "Vigil hat ihnen am {at} (UTC) geschrieben; Erinnerungen warten nach jeder E-Mail einen Tag.";
    // Candidates' requests (administrators).
    requests_title: "Candidates' requests", "Anfragen von Bewerbenden";
    requests_explained: "Candidates ask here, from their completion page or the link in their e-mail, for their personal data to be erased or for a person to review a decision. Answer each within one month. To erase, use \"Erase personal data\" on the candidate's profile; then record here what you did.", "Bewerbende verlangen hier, von ihrer Abschlussseite oder über den Link in ihrer E-Mail, die Löschung ihrer personenbezogenen Daten oder die Überprüfung einer Entscheidung durch einen Menschen. Beantworten Sie jede Anfrage innerhalb eines Monats. Zum Löschen verwenden Sie „Personenbezogene Daten löschen“ im Profil der Person; halten Sie danach hier fest, was Sie getan haben.";
    open_count: "{n} open.", "{n} offen.";
    no_requests: "No requests yet.", "Noch keine Anfragen.";
    request: "Request", "Anfrage";
    candidate: "Candidate", "Person";
    made: "Made", "Gestellt";
    due: "Due", "Fällig";
    their_note: "Their note", "Ihre Notiz";
    handled: "Handled", "Erledigt";
    kind_erasure: "Erase my personal data", "Meine personenbezogenen Daten löschen";
    kind_review: "Human review of the decision", "Überprüfung der Entscheidung durch einen Menschen";
    data_erased: "(personal data erased)", "(personenbezogene Daten gelöscht)";
    no_name_given: "(no name given)", "(kein Name angegeben)";
    overdue: "{date} (overdue)", "{date} (überfällig)";
    how_handled: "How it was handled (the candidate sees this)", "Wie sie erledigt wurde (die Person sieht das)";
    mark_handled: "Mark as handled", "Als erledigt markieren";
    // E-mail templates (administrators).
    templates_title: "E-mail templates", "E-Mail-Vorlagen";
    template_saved: "Saved. New invitations and reminders use it from now on.", "Gespeichert. Neue Einladungen und Erinnerungen verwenden sie ab jetzt.";
    templates_explained: "Candidates receive these e-mails in their language. Each one starts with Vigil's wording; write your organisation's own where you want to. Every letter keeps the candidate's personal link.", "Bewerbende erhalten diese E-Mails in ihrer Sprache. Jede beginnt mit dem Wortlaut von Vigil; schreiben Sie den Ihrer Organisation, wo Sie möchten. Jeder Brief behält den persönlichen Link der Person.";
    letter: "E-mail", "E-Mail";
    language: "Language", "Sprache";
    subject: "Subject", "Betreff";
    whose: "Whose", "Von wem";
    vigils_own: "Vigil's own", "Die von Vigil";
    your_own_saved: "Your own (saved {at})", "Ihre eigene (gespeichert {at})";
    edit: "Edit", "Bearbeiten";
    english: "English", "Englisch";
    german: "German", "Deutsch";
    occasion_invitation: "Invitation", "Einladung";
    occasion_start_reminder: "Reminder to start", "Erinnerung zum Beginnen";
    occasion_finish_reminder: "Reminder to finish", "Erinnerung zum Abschließen";
    please_check_problems: "Please check: {problems}", "Bitte prüfen: {problems}";
    placeholders_explained: "Placeholders: {placeholders}. {link}, the candidate's personal link, must be in the text exactly once.", "Platzhalter: {placeholders}. {link}, der persönliche Link der Person, muss genau einmal im Text stehen.";
    text: "Text", "Text";
    preview: "Preview", "Vorschau";
    save: "Save", "Speichern";
    use_vigils_own: "Use Vigil's own again", "Wieder die von Vigil verwenden";
    preview_for_example: "For an example candidate, {name}, with an example link.", "Für eine Beispielperson, {name}, mit einem Beispiel-Link.";
    back_to_templates: "Back to the templates", "Zurück zu den Vorlagen";
    vigils_own_template: "Vigil's own template.", "Die Vorlage von Vigil.";
    organisations_own_saved: "Your organisation's own, saved {at}.", "Die eigene Ihrer Organisation, gespeichert {at}.";
    // Integrations (administrators): API keys and webhooks.
    integrations_title: "Integrations", "Integrationen";
    integrations_explained: "Your applicant tracking or HR system can order assessments and fetch results through the <a href=\"/api/docs\">integration API</a>, and be told when something happens by webhooks. Results through the API carry scores with their bands, validity and provenance, never a candidate's answers.", "Ihr Bewerbermanagement- oder HR-System kann über die <a href=\"/api/docs\">Integrations-API</a> Assessments anstoßen und Ergebnisse abrufen und per Webhook erfahren, wenn etwas geschieht. Ergebnisse über die API enthalten Werte mit ihren Bändern, Validität und Herkunft, nie die Antworten einer Person.";
    api_keys: "API keys", "API-Schlüssel";
    no_keys: "No keys yet.", "Noch keine Schlüssel.";
    key_starts: "Key starts", "Schlüssel beginnt";
    scopes: "Scopes", "Rechte";
    per_minute: "Per minute", "Pro Minute";
    created: "Created", "Angelegt";
    expires: "Expires", "Läuft ab";
    last_used: "Last used", "Zuletzt verwendet";
    never: "never", "nie";
    revoked_at: "revoked {at}", "widerrufen {at}";
    revoke_key: "Revoke {name}", "{name} widerrufen";
    new_key: "New key", "Neuer Schlüssel";
    key_name: "Name (the system that will use it)", "Name (das System, das ihn verwendet)";
    what_it_may_do: "What it may do", "Was er darf";
    scope_campaigns_read: "list and read campaigns and their instruments", "Kampagnen und ihre Instrumente auflisten und lesen";
    scope_invitations_read: "read invitations and where candidates stand", "Einladungen lesen und sehen, wo Bewerbende stehen";
    scope_invitations_write: "invite candidates, withdraw and resend invitations", "Bewerbende einladen, Einladungen zurückziehen und erneut senden";
    scope_results_read: "read results: scores with their bands, validity and provenance (never answers)", "Ergebnisse lesen: Werte mit ihren Bändern, Validität und Herkunft (nie Antworten)";
    requests_per_minute: "Requests per minute", "Anfragen pro Minute";
    expires_after: "Expires after (optional)", "Läuft ab nach (freiwillig)";
    create_key: "Create key", "Schlüssel anlegen";
    rate_limit_whole: "The rate limit must be a whole number of requests per minute.", "Die Begrenzung muss eine ganze Zahl von Anfragen pro Minute sein.";
    key_created: "API key created", "API-Schlüssel angelegt";
    key_may: "The key {name} may: {scopes}.", "Der Schlüssel {name} darf: {scopes}.";
    send_key_as: "Send it as <code>Authorization: Bearer &lt;key&gt;</code>.", "Senden Sie ihn als <code>Authorization: Bearer &lt;Schlüssel&gt;</code>.";
    copy_it_now: "<strong>Copy it now: it is shown only this once.</strong> Vigil keeps only a fingerprint of it.", "<strong>Kopieren Sie ihn jetzt: Er wird nur dieses eine Mal angezeigt.</strong> Vigil bewahrt nur einen Fingerabdruck davon auf.";
    back_to_integrations: "Back to integrations", "Zurück zu den Integrationen";
    webhooks: "Webhooks", "Webhooks";
    no_endpoints: "No endpoints yet.", "Noch keine Endpunkte.";
    switched_off_at: ", switched off {at}", ", ausgeschaltet {at}";
    new_endpoint: "New endpoint", "Neuer Endpunkt";
    address: "Address (https://…)", "Adresse (https://…)";
    events: "Events", "Ereignisse";
    event_invitation_started: "a candidate opened their invitation and began", "eine Person hat ihre Einladung geöffnet und begonnen";
    event_assessment_completed: "a candidate completed the assessment: the result can be read", "eine Person hat das Assessment abgeschlossen: das Ergebnis kann gelesen werden";
    event_invitation_expired: "a link or time limit ran out before the assessment was completed", "ein Link oder eine Frist ist abgelaufen, bevor das Assessment abgeschlossen war";
    event_decision_recorded: "a recruiter recorded their decision", "jemand aus dem Recruiting hat eine Entscheidung festgehalten";
    add_endpoint: "Add endpoint", "Endpunkt hinzufügen";
    endpoint_added: "Endpoint added", "Endpunkt hinzugefügt";
    endpoint_signed: "Every delivery is signed with this secret (Standard Webhooks: webhook-id, webhook-timestamp, webhook-signature).", "Jede Zustellung wird mit diesem Geheimnis signiert (Standard Webhooks: webhook-id, webhook-timestamp, webhook-signature).";
    its_delivery_log: "Its delivery log", "Sein Zustellprotokoll";
    no_deliveries: "No deliveries yet.", "Noch keine Zustellungen.";
    event: "Event", "Ereignis";
    status: "Status", "Status";
    tries: "Tries", "Versuche";
    last_answer: "Last answer", "Letzte Antwort";
    delivered_at: "delivered {at}", "zugestellt {at}";
    next_try_at: "next try {at}", "nächster Versuch {at}";
    failed: "failed", "fehlgeschlagen";
    send_again: "Send again", "Erneut senden";
    endpoint_receives: "{url} receives: {events}.", "{url} erhält: {events}.";
    previous_secret_until: "The previous secret signs too until {at}.", "Das vorige Geheimnis signiert noch bis {at} mit.";
    new_signing_secret: "New signing secret", "Neues Signaturgeheimnis";
    switch_off: "Switch off", "Ausschalten";
    deliveries: "Deliveries", "Zustellungen";
    webhook_endpoint: "Webhook endpoint", "Webhook-Endpunkt";
    rotated_explained: "Deliveries are signed with this secret and, for the next 24 hours, with the previous one as well.", "Zustellungen werden mit diesem Geheimnis signiert und in den nächsten 24 Stunden zusätzlich mit dem vorigen.";
    // The second step of signing in.
    enter_code: "Enter your code", "Geben Sie Ihren Code ein";
    enter_code_text: "Your account is protected with a second factor. Open the authenticator app on your phone and type the six-digit code it shows for Vigil. If you no longer have the app, type one of your recovery codes instead.", "Ihr Konto ist mit einem zweiten Faktor geschützt. Öffnen Sie die Authenticator-App auf Ihrem Telefon und geben Sie den sechsstelligen Code ein, den sie für Vigil zeigt. Wenn Sie die App nicht mehr haben, geben Sie stattdessen einen Ihrer Wiederherstellungscodes ein.";
    code_or_recovery: "Code from your app, or a recovery code", "Code aus Ihrer App oder ein Wiederherstellungscode";
    continue_: "Continue", "Weiter";
    cancel_sign_out: "Cancel and sign out", "Abbrechen und abmelden";
    no_app: "No app and no recovery code? An administrator of your organisation can turn off your second factor.", "Keine App und kein Wiederherstellungscode? Die Administration Ihrer Organisation kann Ihren zweiten Faktor ausschalten.";
    code_wrong_changing: "That code is not right, or was used already. Codes change every 30 seconds: please type the one the app shows now.", "Dieser Code stimmt nicht oder wurde schon verwendet. Codes ändern sich alle 30 Sekunden: Bitte geben Sie den ein, den die App jetzt zeigt.";

    // The security of one's own account.
    account_security: "Security of your account", "Sicherheit Ihres Kontos";
    second_factor_now_off: "Your second factor is off: you sign in with your password alone.", "Ihr zweiter Faktor ist ausgeschaltet: Sie melden sich nur mit Ihrem Passwort an.";
    second_factor_on: "Your second factor is <strong>on</strong> (since {since}). After your password, Vigil asks for the code from your authenticator app. Recovery codes left: {left}.", "Ihr zweiter Faktor ist <strong>eingeschaltet</strong> (seit {since}). Nach Ihrem Passwort fragt Vigil nach dem Code aus Ihrer Authenticator-App. Verbleibende Wiederherstellungscodes: {left}.";
    turn_it_off: "Turn it off", "Ausschalten";
    confirm_with_code: "Type a current code from your app (or a recovery code) to confirm.", "Geben Sie zur Bestätigung einen aktuellen Code aus Ihrer App (oder einen Wiederherstellungscode) ein.";
    code: "Code", "Code";
    turn_off_second_factor: "Turn off the second factor", "Zweiten Faktor ausschalten";
    second_factor_off: "Your second factor is <strong>off</strong>: anyone with your password can sign in as you. With it on, signing in also needs a six-digit code from an authenticator app on your phone (any app for time-based codes, such as the ones from Google, Microsoft or 2FAS), so a stolen password alone is not enough.", "Ihr zweiter Faktor ist <strong>ausgeschaltet</strong>: Wer Ihr Passwort hat, kann sich als Sie anmelden. Ist er eingeschaltet, braucht die Anmeldung zusätzlich einen sechsstelligen Code aus einer Authenticator-App auf Ihrem Telefon (jede App für zeitbasierte Codes, etwa die von Google, Microsoft oder 2FAS), sodass ein gestohlenes Passwort allein nicht reicht.";
    set_up_app: "Set up an authenticator app", "Authenticator-App einrichten";
    set_up_heading: "Set up your authenticator app", "Ihre Authenticator-App einrichten";
    scan_this: "In the app, add an account and scan this code:", "Fügen Sie in der App ein Konto hinzu und scannen Sie diesen Code:";
    qr_label: "QR code for your authenticator app", "QR-Code für Ihre Authenticator-App";
    or_type_key: "or type this key: {key} (time-based, six digits, 30 seconds).", "oder geben Sie diesen Schlüssel ein: {key} (zeitbasiert, sechs Ziffern, 30 Sekunden).";
    type_code_to_confirm: "Type the six-digit code the app shows to confirm.", "Geben Sie zur Bestätigung den sechsstelligen Code ein, den die App zeigt.";
    code_from_app: "Code from the app", "Code aus der App";
    turn_on: "Turn on", "Einschalten";
    start_again: "Start again with a new key", "Mit einem neuen Schlüssel neu beginnen";
    please_check: "Please check", "Bitte prüfen";
    back_to_security: "Back to your security page", "Zurück zu Ihrer Sicherheitsseite";
    second_factor_is_on: "Your second factor is on", "Ihr zweiter Faktor ist eingeschaltet";
    from_now_on_code: "From now on, signing in asks for a code from your app after your password. Your other signed-in browsers will ask for a code too.", "Ab jetzt fragt die Anmeldung nach Ihrem Passwort nach einem Code aus Ihrer App. Ihre anderen angemeldeten Browser fragen ebenfalls nach einem Code.";
    your_recovery_codes: "Your recovery codes", "Ihre Wiederherstellungscodes";
    recovery_codes_explained: "If you lose your phone, each of these codes signs you in once instead of the app. Keep them somewhere safe, apart from your phone (print them, or put them in a password manager). They are shown only now.", "Wenn Sie Ihr Telefon verlieren, meldet Sie jeder dieser Codes einmal anstelle der App an. Bewahren Sie sie sicher und getrennt von Ihrem Telefon auf (ausdrucken oder in einen Passwortmanager legen). Sie werden nur jetzt angezeigt.";
    done: "Done", "Fertig";
    code_not_right_clock: "That code is not right. Check that the app's clock is set automatically, and type the code it shows now.", "Dieser Code stimmt nicht. Prüfen Sie, ob die Uhr der App automatisch gestellt wird, und geben Sie den Code ein, den sie jetzt zeigt.";
    code_not_right_used: "That code is not right, or was used already. Type the code the app shows now.", "Dieser Code stimmt nicht oder wurde schon verwendet. Geben Sie den Code ein, den die App jetzt zeigt.";
    // The optional group questions (administrators).
    group_questions_title: "Group questions for fairness checks", "Gruppenfragen für Fairness-Prüfungen";
    group_questions_saved: "Saved. Candidates who finish from now on are offered these questions.", "Gespeichert. Wer ab jetzt abschließt, bekommt diese Fragen angeboten.";
    group_questions_explained: "To check that your questionnaires treat groups of people alike, psychologists compare groups (the <a href=\"/fairness\">fairness check</a>). For that, candidates can be offered a few optional questions after they finish. Their answers are stored without a name, can be changed or removed by the candidate at any time, are deleted with the candidate's personal data, and are only ever shown as figures for groups of at least 5 people, to psychologists and administrators. Recruiters never see them. Ask only what you have a reason to check, and describe it in your own notice: candidates read it before they choose.", "Um zu prüfen, ob Ihre Fragebögen Gruppen von Menschen gleich behandeln, vergleichen Psychologinnen und Psychologen Gruppen (die <a href=\"/fairness\">Fairness-Prüfung</a>). Dafür können Bewerbenden nach dem Abschluss einige freiwillige Fragen angeboten werden. Ihre Antworten werden ohne Namen gespeichert, können von der Person jederzeit geändert oder entfernt werden, werden mit ihren personenbezogenen Daten gelöscht und immer nur als Zahlen für Gruppen ab 5 Personen gezeigt, Psychologinnen, Psychologen und der Administration. Das Recruiting sieht sie nie. Fragen Sie nur, was Sie aus gutem Grund prüfen wollen, und beschreiben Sie es in Ihrem eigenen Hinweis: Bewerbende lesen ihn, bevor sie sich entscheiden.";
    questions_offered: "Questions offered", "Angebotene Fragen";
    question_offered: "{name}: “{question}” ({answers}, or prefer not to say)", "{name}: „{question}“ ({answers} oder keine Angabe)";
    notice_in_english: "Your notice in English", "Ihr Hinweis auf Englisch";
    notice_in_german: "Your notice in German", "Ihr Hinweis auf Deutsch";
    last_saved: "Last saved {at}.", "Zuletzt gespeichert {at}.";
    nothing_asked_yet: "Nothing is asked yet. The notices above are Vigil's suggestion for you to adapt.", "Noch wird nichts gefragt. Die Hinweise oben sind ein Vorschlag von Vigil, den Sie anpassen können.";
}

/// Texts that read the same in both languages (checked: nothing else may).
#[cfg(test)]
pub(crate) const SAME_IN_BOTH: &[&str] = &["name", "problem", "text", "webhooks", "status", "code"];
