//! The texts of the staff pages the app renders (see `texts!` in the
//! module above), and the placeholder rule every text follows.

texts! {
    /// Every fixed text of the staff pages the app renders, in one language.
    StaffText, staff_text, ALL;

    // The frame of every staff page.
    nav_label: "Staff", "Mitarbeitende";
    nav_start: "Start", "Startseite";
    nav_security: "Security", "Sicherheit";
    nav_campaigns: "Campaigns", "Kampagnen";
    nav_outbox: "Outbox", "Postausgang";
    nav_users: "Users", "Benutzer";
    nav_audit: "Audit log", "Audit-Protokoll";
    nav_requests: "Requests", "Anfragen";
    nav_integrations: "Integrations", "Integrationen";
    sign_out: "Sign out", "Abmelden";
    role_admin: "Administrator", "Administration";
    role_recruiter: "Recruiter", "Recruiting";
    role_psychologist: "Psychologist", "Psychologie";
    role_security: "Security lead", "Sicherheitsverantwortung";
    please_sign_in: "Please sign in", "Bitte melden Sie sich an";
    sign_in: "Sign in", "Anmelden";
    sign_in_failed: "The e-mail address or the password is not right. Please try again.", "E-Mail-Adresse oder Passwort stimmen nicht. Bitte versuchen Sie es noch einmal.";
    signed_out: "You have signed out.", "Sie haben sich abgemeldet.";
    password_set: "Your password is set. You can sign in now.", "Ihr Passwort ist gesetzt. Sie können sich jetzt anmelden.";
    password: "Password", "Passwort";
    accounts_by_admin: "Staff accounts are created by an administrator of your organisation.", "Konten für Mitarbeitende legt die Administration Ihrer Organisation an.";
    sign_in_to_vigil: "Sign in to Vigil", "Bei Vigil anmelden";
    not_available: "Not available", "Nicht verfügbar";
    not_for_your_role: "Not available for your role", "Für Ihre Rolle nicht verfügbar";
    not_for_your_role_text: "Your role in your organisation does not include this page. If you need it, ask an administrator of your organisation.", "Ihre Rolle in Ihrer Organisation umfasst diese Seite nicht. Wenn Sie sie brauchen, wenden Sie sich an die Administration Ihrer Organisation.";
    back_to_start: "Back to your start page", "Zurück zu Ihrer Startseite";
    went_wrong: "Something went wrong", "Etwas ist schiefgegangen";

    // The start page.
    welcome: "Welcome, {name}", "Willkommen, {name}";
    role: "Role", "Rolle";
    organisation: "Organisation", "Organisation";
    email: "E-mail", "E-Mail";
    administration: "Administration", "Verwaltung";
    link_users: "Users: invite colleagues, deactivate accounts", "Benutzer: Kolleginnen und Kollegen einladen, Konten deaktivieren";
    link_audit: "Audit log: who did what, and when", "Audit-Protokoll: wer was wann getan hat";
    link_requests: "Candidates' requests: erasure and human review, each with the day it is due", "Anfragen von Bewerbenden: Löschung und menschliche Überprüfung, jeweils mit dem Tag, an dem sie fällig sind";
    link_templates: "E-mail templates: the invitation and reminders, in English and German", "E-Mail-Vorlagen: Einladung und Erinnerungen, auf Englisch und Deutsch";
    link_fairness_settings: "Group questions: optional questions candidates may answer after finishing, for fairness checks", "Gruppenfragen: freiwillige Fragen, die Bewerbende nach dem Abschluss beantworten können, für Fairness-Prüfungen";
    link_structure: "Organisation structure: departments, teams and employees for workforce surveys", "Organisationsstruktur: Abteilungen, Teams und Beschäftigte für Mitarbeiterbefragungen";
    link_integrations: "Integrations: API keys for your applicant tracking or HR system, and webhooks", "Integrationen: API-Schlüssel für Ihr Bewerbermanagement- oder HR-System und Webhooks";
    workforce: "Workforce", "Belegschaft";
    link_waves: "Survey waves: group results by unit (groups of at least 5), the heat map and the security view", "Befragungswellen: Gruppenergebnisse nach Einheit (Gruppen ab 5 Personen), die Heatmap und die Sicherheitsansicht";
    link_champions: "Security champions: employees who chose to step forward, with the strengths they chose to share", "Security Champions: Beschäftigte, die sich freiwillig gemeldet haben, mit den Stärken, die sie teilen möchten";
    measurement: "Measurement", "Messung";
    link_instruments: "Instruments: versions, drafts and the editor, item analysis and the collected answers (without identities)", "Instrumente: Versionen, Entwürfe und Editor, Itemanalyse und die erhobenen Antworten (ohne Identitäten)";
    link_norms: "Norm builder: norm tables from your organisation's completed sessions", "Normenbildung: Normtabellen aus den abgeschlossenen Sitzungen Ihrer Organisation";
    link_fairness: "Fairness check: adverse impact, group differences and item bias (DIF), for groups of at least 5", "Fairness-Prüfung: nachteilige Auswirkung, Gruppenunterschiede und Item-Verzerrung (DIF), für Gruppen ab 5 Personen";
    recruiting: "Recruiting", "Personalauswahl";
    link_campaigns: "Campaigns: invite candidates, read their profiles, record decisions", "Kampagnen: Bewerbende einladen, ihre Profile lesen, Entscheidungen festhalten";
    link_outbox: "Outbox: invitation e-mails waiting to be sent by hand", "Postausgang: Einladungs-E-Mails, die von Hand versandt werden";
    link_language: "Your account: security and the language of Vigil's pages for you", "Ihr Konto: Sicherheit und die Sprache, in der Vigil Ihnen die Seiten zeigt";

    // Users.
    users_of: "Users of {organisation}", "Benutzer von {organisation}";
    deactivated_notice: "The account was deactivated and signed out everywhere.", "Das Konto wurde deaktiviert und überall abgemeldet.";
    reset_notice: "The second factor was turned off and the person signed out everywhere. They sign in with their password and can set up an authenticator again.", "Der zweite Faktor wurde ausgeschaltet und die Person überall abgemeldet. Sie meldet sich mit ihrem Passwort an und kann wieder eine Authenticator-App einrichten.";
    staff_accounts: "Staff accounts", "Konten der Mitarbeitenden";
    name: "Name", "Name";
    status: "Status", "Status";
    second_factor: "Second factor", "Zweiter Faktor";
    action: "Action", "Aktion";
    status_deactivated: "Deactivated", "Deaktiviert";
    status_active: "Active", "Aktiv";
    status_invited: "Invited (no password yet)", "Eingeladen (noch kein Passwort)";
    on: "On", "An";
    off: "Off", "Aus";
    deactivate: "Deactivate", "Deaktivieren";
    deactivate_label: "Deactivate {name}", "{name} deaktivieren";
    reset_second_factor: "Reset second factor", "Zweiten Faktor zurücksetzen";
    reset_label: "Reset the second factor of {name}", "Den zweiten Faktor von {name} zurücksetzen";
    invite_heading: "Invite a colleague", "Eine Kollegin oder einen Kollegen einladen";
    invite_text: "This creates the account and shows a one-time link with which the person sets their own password. Send it to them yourself; it works for 7 days.", "Damit wird das Konto angelegt und ein einmaliger Link angezeigt, mit dem die Person ihr eigenes Passwort festlegt. Geben Sie ihn selbst weiter; er gilt 7 Tage.";
    email_address: "E-mail address", "E-Mail-Adresse";
    role_security_option: "Security lead (workforce results and champions only)", "Sicherheitsverantwortung (nur Belegschaftsergebnisse und Champions)";
    create_account: "Create account", "Konto anlegen";

    // The audit log.
    audit_intro: "Who did what, and when; the newest entries first. Passwords, tokens and links are never recorded.", "Wer was wann getan hat, die neuesten Einträge zuerst. Passwörter, Tokens und Links werden nie festgehalten.";
    audit_filter_label: "Filter the audit log", "Das Audit-Protokoll filtern";
    who: "Who", "Wer";
    anyone: "Anyone", "Alle";
    any: "Any", "Jede";
    from: "From", "Von";
    to: "To", "Bis";
    show: "Show", "Anzeigen";
    audit_total: "{total} entries match; {shown} shown here.", "{total} Einträge passen; {shown} hier angezeigt.";
    audit_entries: "Audit entries", "Audit-Einträge";
    time_utc: "Time (UTC)", "Zeit (UTC)";
    object: "Object", "Objekt";
    newest_entries: "Newest entries", "Neueste Einträge";
    older_entries: "Older entries", "Ältere Einträge";
    audit_csv: "Download these entries (CSV)", "Diese Einträge herunterladen (CSV)";

    // Lists.
    list_caption_all: "{what} ({total})", "{what} ({total})";
    list_caption_part: "{what} ({total}; {from} to {to} shown)", "{what} ({total}; {from} bis {to} angezeigt)";
    newest_first: ", newest first", ", neueste zuerst";
    first_page: "First page", "Erste Seite";
    next_page: "Next {n}", "Nächste {n}";

    // The outbox.
    outbox_waiting: "Waiting", "Wartend";
    outbox_sent: "Sent", "Versandt";
    outbox_failed: "Could not be sent", "Nicht zustellbar";
    outbox_show: "Show messages", "Nachrichten anzeigen";
    outbox_all: "All ({n})", "Alle ({n})";
    outbox_empty: "No messages here.", "Hier sind keine Nachrichten.";
    outbox_messages: "Messages", "Nachrichten";
    outbox_to: "To", "An";
    outbox_subject: "Subject", "Betreff";
    outbox_kind: "Kind", "Art";
    created: "Created", "Angelegt";
    outbox_message: "Message", "Nachricht";
    outbox_removed: "Removed (sent, or the link no longer works)", "Entfernt (versandt, oder der Link gilt nicht mehr)";
    outbox_show_message: "Show message", "Nachricht anzeigen";
    outbox_sent_myself: "I sent it myself", "Ich habe sie selbst versandt";
    outbox_sent_myself_label: "I sent it myself: the message to {to}", "Ich habe sie selbst versandt: die Nachricht an {to}";
    outbox_pages: "Pages of the outbox", "Seiten des Postausgangs";
    outbox_intro: "When no mail server is configured, the invitations and reminders for candidates wait here. Send each one to its addressee yourself, then mark it sent: Vigil then no longer keeps its text. The links in them are personal: send each only to its addressee.", "Wenn kein Mailserver eingerichtet ist, warten die Einladungen und Erinnerungen für Bewerbende hier. Senden Sie jede selbst an ihre Empfängerin oder ihren Empfänger und markieren Sie sie dann als versandt: Vigil bewahrt ihren Text danach nicht mehr auf. Die Links darin sind persönlich: Senden Sie jede nur an die Person, für die sie bestimmt ist.";
    outbox_marked: "Marked as sent. Its text, with the personal link, is no longer kept.", "Als versandt markiert. Ihr Text mit dem persönlichen Link wird nicht mehr aufbewahrt.";
    outbox_csv: "Download the waiting messages (CSV, for a mail merge)", "Die wartenden Nachrichten herunterladen (CSV, für einen Serienbrief)";
    outbox_csv_note: " The file holds personal links: keep it safe and delete it once the messages are sent.", " Die Datei enthält persönliche Links: Bewahren Sie sie sicher auf und löschen Sie sie, sobald die Nachrichten versandt sind.";

    // The campaign list.
    campaigns_pages: "Pages of the campaign list", "Seiten der Kampagnenliste";
    campaigns_none: "No campaigns yet. Create one to invite candidates.", "Noch keine Kampagnen. Legen Sie eine an, um Bewerbende einzuladen.";
    campaign: "Campaign", "Kampagne";
    role_family: "Role family", "Rollenfamilie";
    instruments: "Instruments", "Instrumente";
    candidates: "Candidates", "Bewerbende";
    new_campaign: "New campaign", "Neue Kampagne";
    campaign_counts: "{invited} invited, {started} started, {completed} completed, {expired} expired, {revoked} withdrawn", "{invited} eingeladen, {started} begonnen, {completed} abgeschlossen, {expired} abgelaufen, {revoked} zurückgezogen";

    // The new campaign form.
    norm_demonstration: "demonstration norms (simulated respondents), not for decisions", "Demonstrationsnormen (simulierte Teilnehmende), nicht für Entscheidungen";
    norm_quality_is: "norm quality: {quality}", "Normqualität: {quality}";
    norms_for_irt: " · norms for IRT scores", " · Normen für IRT-Werte";
    norm_option: "{group} · N = {n} · collected {from} to {to}{theta} · {standing}", "{group} · N = {n} · erhoben {from} bis {to}{theta} · {standing}";
    measures: "Measures {what}. ", "Misst {what}. ";
    one_question: "1 question", "1 Frage";
    questions_n: "{n} questions", "{n} Fragen";
    about_minutes: "{questions}, about {minutes} minutes.", "{questions}, etwa {minutes} Minuten.";
    about_minutes_adaptive: "{questions}, about {minutes} minutes when asked in full; fewer when run adaptively.", "{questions}, etwa {minutes} Minuten, wenn vollständig gestellt; weniger, wenn adaptiv.";
    scores_when_full: "Scores of {title} {version} when it runs in full (not adaptively)", "Werte von {title} {version}, wenn vollständig gestellt (nicht adaptiv)";
    scoring_ctt: "Classical (CTT): the mean of the answers", "Klassisch (KTT): der Mittelwert der Antworten";
    scoring_irt: "IRT (EAP): from the item parameters, also scores incomplete answers", "IRT (EAP): aus den Itemparametern, wertet auch unvollständige Antworten aus";
    no_norm_table: "No norm table is published for this version: its scales will not be compared with a norm group.", "Für diese Version ist keine Normtabelle veröffentlicht: Ihre Skalen werden mit keiner Normgruppe verglichen.";
    norm_group_for: "Norm group for {title} {version}", "Normgruppe für {title} {version}";
    version_n: "Version {version}", "Version {version}";
    can_run_adaptively: " (can run adaptively)", " (kann adaptiv laufen)";
    demonstration_parameters: " (demonstration IRT parameters - not for decisions)", " (Demonstrations-IRT-Parameter – nicht für Entscheidungen)";
    newest_version: " (newest version)", " (neueste Version)";
    older_version: " (older version: {newer} is newer)", " (ältere Version: {newer} ist neuer)";
    no_bank: "No published item bank is available yet, so a campaign cannot be created.", "Noch ist keine veröffentlichte Itembank verfügbar, daher kann keine Kampagne angelegt werden.";
    version_of: "Version of {title}", "Version von {title}";
    its_version: "{title}: its version", "{title}: seine Version";
    use_the: "Use the {title}", "{title} verwenden";
    role_family_help: "For example \"Security operations\". It helps you choose a norm group of comparable people.", "Zum Beispiel „Security Operations“. Das hilft Ihnen, eine Normgruppe vergleichbarer Personen zu wählen.";
    instruments_and_norms: "Instruments and norm groups", "Instrumente und Normgruppen";
    instruments_help: "Tick each instrument the candidates should take, choose its version (the newest is chosen to begin with) and the group their scores are compared with. Norm groups marked as demonstration norms come from simulated respondents and are not for decisions.", "Kreuzen Sie jedes Instrument an, das die Bewerbenden bearbeiten sollen, wählen Sie seine Version (anfangs ist die neueste gewählt) und die Gruppe, mit der ihre Werte verglichen werden. Als Demonstrationsnormen markierte Normgruppen stammen von simulierten Teilnehmenden und sind nicht für Entscheidungen gedacht.";
    time_limit: "Time limit in minutes (leave empty for none)", "Zeitlimit in Minuten (leer lassen für keines)";
    adaptive_testing: " Adaptive testing", " Adaptives Testen";
    adaptive_help: "Applies only to banks with IRT parameters (marked \"can run adaptively\"): each candidate gets the items that tell most about them, so the assessment is shorter. Other banks run in full.", "Gilt nur für Banken mit IRT-Parametern (markiert mit „kann adaptiv laufen“): Jede Person erhält die Items, die am meisten über sie aussagen, daher ist die Befragung kürzer. Andere Banken laufen vollständig.";
    confirm_demonstration: " I understand that banks marked \"demonstration IRT parameters\" were calibrated on simulated respondents: adaptive or IRT scores from them are for trying Vigil, not for decisions", " Mir ist bewusst, dass Banken mit „Demonstrations-IRT-Parametern“ an simulierten Teilnehmenden kalibriert wurden: Adaptive oder IRT-Werte daraus dienen zum Ausprobieren von Vigil, nicht für Entscheidungen";
    candidate_feedback: " Show candidates a short summary of their own results when they finish", " Bewerbenden nach dem Abschluss eine kurze Zusammenfassung ihrer eigenen Ergebnisse zeigen";
    invitation_days: "Invitation links work for (days)", "Einladungslinks gelten (Tage)";
    reminder_days: "Remind candidates who have not finished, this many days before their link runs out (leave empty for no automatic reminder)", "Bewerbende, die noch nicht fertig sind, so viele Tage vor Ablauf ihres Links erinnern (leer lassen für keine automatische Erinnerung)";
    reminder_help: "Each candidate gets at most one automatic reminder, with a new link that works until the same day, and none within a day of another e-mail from Vigil.", "Jede Person erhält höchstens eine automatische Erinnerung, mit einem neuen Link, der bis zum selben Tag gilt, und keine innerhalb eines Tages nach einer anderen E-Mail von Vigil.";
    create_campaign: "Create campaign", "Kampagne anlegen";

    // States and labels of the recruiting model.
    status_invited_short: "Invited", "Eingeladen";
    status_started: "Started", "Begonnen";
    status_completed: "Completed", "Abgeschlossen";
    status_expired: "Expired", "Abgelaufen";
    status_revoked: "Revoked", "Zurückgezogen";
    decision_advance: "Advance", "Weiter";
    decision_hold: "Hold", "Zurückstellen";
    decision_decline: "Decline", "Absagen";
    validity_ok: "No concerns", "Keine Bedenken";
    validity_caution: "Interpret with caution", "Mit Vorsicht interpretieren";
    validity_invalid: "Not interpretable", "Nicht interpretierbar";
    band_low: "Lower range", "Unterer Bereich";
    band_average: "Average range", "Mittlerer Bereich";
    band_high: "Higher range", "Oberer Bereich";
    not_yet_available: "Not yet available", "Noch nicht verfügbar";
    none_recorded: "None recorded", "Keine festgehalten";
    yes: "Yes", "Ja";
    no: "No", "Nein";

    // A campaign's page and its candidate list.
    filter_candidates: "Filter candidates", "Bewerbende filtern";
    validity: "Validity", "Validität";
    name_or_email: "Name or e-mail", "Name oder E-Mail";
    sort_by: "Sort by", "Sortieren nach";
    descending: " Descending", " Absteigend";
    apply: "Apply", "Anwenden";
    sort_invited: "Invited", "Eingeladen am";
    sort_completed: "Completed", "Abgeschlossen am";
    decision: "Decision", "Entscheidung";
    sorted_ascending: " (sorted ascending)", " (aufsteigend sortiert)";
    sorted_descending: " (sorted descending)", " (absteigend sortiert)";
    no_candidate_matches: "No candidate matches this filter.", "Keine Bewerbung passt zu diesem Filter.";
    no_candidates_yet: "No candidates yet. Invite the first one below.", "Noch keine Bewerbenden. Laden Sie unten die erste Person ein.";
    select_for_comparison_of: "Select {name} for comparison", "{name} zum Vergleich auswählen";
    headline_line: "{scale}: {band}, T {t} ({low} to {high})", "{scale}: {band}, T {t} ({low} bis {high})";
    candidates_pages: "Pages of the candidate list", "Seiten der Bewerbendenliste";
    select_for_comparison: "Select for comparison", "Zum Vergleich auswählen";
    headline: "Headline (T, 90% band)", "Überblick (T, 90%-Band)";
    compare_selected: "Compare selected (up to {n})", "Ausgewählte vergleichen (bis zu {n})";
    invitation_created: "The invitation was created. The e-mail was sent, or placed in the outbox if no mail server is configured.", "Die Einladung wurde angelegt. Die E-Mail wurde versandt oder, wenn kein Mailserver eingerichtet ist, in den Postausgang gelegt.";
    invitations_created: "{n} invitations were created. The e-mails were sent, or placed in the outbox if no mail server is configured.", "{n} Einladungen wurden angelegt. Die E-Mails wurden versandt oder, wenn kein Mailserver eingerichtet ist, in den Postausgang gelegt.";
    no_reminder_due: "No reminder was sent: nobody was due one.", "Es wurde keine Erinnerung versandt: Niemand war an der Reihe.";
    one_reminder: "1 reminder with a new link was sent, or placed in the outbox if no mail server is configured.", "1 Erinnerung mit einem neuen Link wurde versandt oder, wenn kein Mailserver eingerichtet ist, in den Postausgang gelegt.";
    reminders_sent: "{n} reminders with new links were sent, or placed in the outbox if no mail server is configured.", "{n} Erinnerungen mit neuen Links wurden versandt oder, wenn kein Mailserver eingerichtet ist, in den Postausgang gelegt.";
    no_norm_group: "No norm group", "Keine Normgruppe";
    mode_adaptive: "Adaptive", "Adaptiv";
    mode_full: "Full length", "Vollständig";
    minutes_n: "{n} minutes", "{n} Minuten";
    none: "None", "Keine";
    campaign_created: "The campaign was created. Invite candidates below.", "Die Kampagne wurde angelegt. Laden Sie unten Bewerbende ein.";
    reminder_changed: "The automatic reminder was changed.", "Die automatische Erinnerung wurde geändert.";
    time_limit_short: "Time limit", "Zeitlimit";
    adaptive_short: "Adaptive testing", "Adaptives Testen";
    feedback_to_candidates: "Feedback to candidates", "Rückmeldung an Bewerbende";
    links_work_for: "Invitation links work for", "Einladungslinks gelten";
    days_n: "{n} days", "{n} Tage";
    automatic_reminder: "Automatic reminder", "Automatische Erinnerung";
    reminder_days_before: "{n} day(s) before the link runs out", "{n} Tag(e) vor Ablauf des Links";
    change_reminder_label: "Automatic reminder: days before the link runs out (empty: none)", "Automatische Erinnerung: Tage vor Ablauf des Links (leer: keine)";
    change_reminder: "Change the automatic reminder", "Die automatische Erinnerung ändern";
    battery: "Battery", "Testbatterie";
    instrument: "Instrument", "Instrument";
    version: "Version", "Version";
    norm_group: "Norm group", "Normgruppe";
    mode: "Mode", "Modus";
    export_csv: "Export the candidate list (CSV)", "Die Bewerbendenliste exportieren (CSV)";
    remind_unfinished: "Remind candidates who have not finished ({n})", "Bewerbende erinnern, die noch nicht fertig sind ({n})";
    remind_note: " (you see who gets one before anything is sent)", " (Sie sehen, wer eine erhält, bevor etwas versandt wird)";
    invite_candidate: "Invite a candidate", "Eine Person einladen";
    assessment_language: "Language of the assessment", "Sprache der Befragung";
    english: "English", "Englisch";
    german: "German (Deutsch)", "Deutsch";
    send_invitation: "Send invitation", "Einladung senden";
    invite_from_file: "Invite several candidates from a file", "Mehrere Personen aus einer Datei einladen";
    file_help_1: "A CSV file in UTF-8 with the header line ", "Eine CSV-Datei in UTF-8 mit der Kopfzeile ";
    file_help_2: ", then one candidate per line. Fields may be separated by commas or semicolons; the language is ", ", danach eine Person pro Zeile. Felder dürfen durch Kommas oder Semikolons getrennt sein; die Sprache ist ";
    file_help_or: " or ", " oder ";
    csv_file: "CSV file", "CSV-Datei";
    upload_and_invite: "Upload and invite", "Hochladen und einladen";

    // The profile, its print view and the comparison (views/report.rs, profile.rs, compare.rs).
    demonstration_banner: "Demonstration norms - not for decisions", "Demonstrationsnormen – nicht für Entscheidungen";
    demonstration_banner_text: ". These norms come from simulated respondents. Use them to learn how Vigil works, not to judge a real person.", ". Diese Normen stammen von simulierten Teilnehmenden. Nutzen Sie sie, um Vigil kennenzulernen, nicht um eine reale Person zu beurteilen.";
    demonstration_parameters_banner: "Demonstration IRT parameters - not for decisions", "Demonstrations-IRT-Parameter – nicht für Entscheidungen";
    demonstration_parameters_text: ". The item parameters behind these IRT scores were estimated from simulated respondents, not calibrated on real people.", ". Die Itemparameter hinter diesen IRT-Werten wurden an simulierten Teilnehmenden geschätzt, nicht an realen Personen kalibriert.";
    band_spans: "The 90% band reaches from the {from} to the {to}, so the range this score falls in is not certain.", "Das 90%-Band reicht vom {from} bis zum {to}; in welchen Bereich dieser Wert fällt, ist daher nicht sicher.";
    band_low_lower: "lower range", "unteren Bereich";
    band_average_lower: "average range", "mittleren Bereich";
    band_high_lower: "higher range", "oberen Bereich";
    norm_inadequate: "inadequate (provisional only)", "unzureichend (nur vorläufig)";
    norm_adequate: "adequate", "ausreichend";
    norm_good: "good", "gut";
    norm_excellent: "excellent", "ausgezeichnet";
    norm_sentence: "{place}; N = {n}; collected {from} to {to}; norm quality: {quality}", "{place}; N = {n}; erhoben {from} bis {to}; Normqualität: {quality}";
    how_to_read: "How to read this profile", "Wie dieses Profil zu lesen ist";
    how_to_read_1: "The scores describe how the candidate described themselves (or, for scenarios, which options they chose) on one day. They are not a measurement of behaviour at work.", "Die Werte beschreiben, wie sich die Person an einem Tag selbst beschrieben hat (oder, bei Szenarien, welche Optionen sie gewählt hat). Sie sind keine Messung des Verhaltens bei der Arbeit.";
    how_to_read_2: "Each score compares the candidate with a norm group: a T score of 50 is the group's average, and 40 to 60 is the range in which most people fall (about two in three).", "Jeder Wert vergleicht die Person mit einer Normgruppe: Ein T-Wert von 50 ist der Durchschnitt der Gruppe, und 40 bis 60 ist der Bereich, in den die meisten Menschen fallen (etwa zwei von drei).";
    how_to_read_3: "No score is exact. The 90% band shows the range in which the candidate's true score lies with 90% confidence. Where two bands overlap, treat the difference as uncertain.", "Kein Wert ist exakt. Das 90%-Band zeigt den Bereich, in dem der wahre Wert der Person mit 90 % Sicherheit liegt. Wo sich zwei Bänder überschneiden, ist der Unterschied unsicher.";
    how_to_read_4: "A score alone never decides. Use it to plan the interview and weigh it with the other evidence you have.", "Ein Wert allein entscheidet nie. Nutzen Sie ihn, um das Gespräch zu planen, und wägen Sie ihn mit Ihren übrigen Erkenntnissen ab.";
    norm_group_label: "Norm group: ", "Normgruppe: ";
    no_norm_group_text: "none. Without a norm group the scales are not compared with anyone, so no T scores, percentiles or stens are shown.", "keine. Ohne Normgruppe werden die Skalen mit niemandem verglichen, daher werden keine T-Werte, Prozentränge oder Stens gezeigt.";
    validity_ok_text: "The response checks found nothing unusual.", "Die Prüfungen der Antworten fanden nichts Ungewöhnliches.";
    validity_caution_text: "Some responses were unusual. Read the scores with care and ask about them in the interview.", "Einige Antworten waren ungewöhnlich. Lesen Sie die Werte mit Sorgfalt und fragen Sie im Gespräch danach.";
    validity_invalid_text: "The responses do not allow an interpretation. Do not use the scores of this instrument; consider inviting the candidate again.", "Die Antworten lassen keine Interpretation zu. Verwenden Sie die Werte dieses Instruments nicht; erwägen Sie, die Person erneut einzuladen.";
    response_validity: "Response validity", "Antwortvalidität";
    t_score: "T score", "T-Wert";
    percentile: "Percentile", "Prozentrang";
    sten: "Sten", "Sten";
    band_90: "(90% band {low} to {high})", "(90%-Band {low} bis {high})";
    items_asked: "{answered} of {items} items asked", "{answered} von {items} Items gestellt";
    items_answered: "{answered} of {items} items answered", "{answered} von {items} Items beantwortet";
    stopped: "; stopped: {why}", "; beendet: {why}";
    band_from_se: "; 90% band from the estimate's own standard error", "; 90%-Band aus dem Standardfehler der Schätzung";
    band_from_sem: "; 90% band from the scale's standard error of measurement", "; 90%-Band aus dem Standardmessfehler der Skala";
    scored_by: "Scored by {method}: {items}{stop}{band}.", "Ausgewertet mit {method}: {items}{stop}{band}.";
    kind_judgement: "Situational judgement: how closely the options the candidate chose in workplace scenarios match the options experts rated most effective, compared with the norm group.", "Situatives Urteil: wie nah die Optionen, die die Person in Arbeitsszenarien gewählt hat, den Optionen kommen, die Fachleute als am wirksamsten bewertet haben, im Vergleich mit der Normgruppe.";
    kind_style: "A response-style scale: a high score means the answers describe the candidate in an unusually favourable light. It is a signal about the answers, not a quality to select on.", "Eine Antwortstil-Skala: Ein hoher Wert bedeutet, dass die Antworten die Person in ungewöhnlich günstigem Licht zeigen. Er ist ein Hinweis zu den Antworten, keine Eigenschaft, nach der ausgewählt wird.";
    not_scored: "Not scored. ", "Nicht ausgewertet. ";
    answered_of: "The candidate answered {answered} of {items} items.", "Die Person hat {answered} von {items} Items beantwortet.";
    scored_no_norm: "Scored, but there is no norm group for this scale, so no T score, percentile or sten is shown.", "Ausgewertet, aber für diese Skala gibt es keine Normgruppe, daher werden kein T-Wert, Prozentrang oder Sten gezeigt.";
    interview_questions: "Questions for the interview", "Fragen für das Gespräch";
    adaptive_note: "Adaptive: the computer chose each next item from the candidate's answers so far, so candidates answer different items and fewer of them. Scores are on the same scale for everyone (IRT).", "Adaptiv: Der Computer wählte jedes nächste Item aus den bisherigen Antworten, daher beantworten Personen verschiedene und weniger Items. Die Werte liegen für alle auf derselben Skala (IRT).";
    group_scales: "Scales", "Skalen";
    group_judgement: "Judgement scenarios (SJT)", "Urteilsszenarien (SJT)";
    group_style: "Response style", "Antwortstil";
    provenance: "Scored with {instrument} {version} (bank {hash}), scoring engine {engine}.", "Ausgewertet mit {instrument} {version} (Bank {hash}), Auswertungsmodul {engine}.";
    overview: "Overview", "Überblick";
    overview_demo: ". The details below say which scores this concerns.", ". Die Einzelheiten unten sagen, welche Werte das betrifft.";
    validity_of: "{title} {version}: response validity ", "{title} {version}: Antwortvalidität ";
    overview_note: "Each bar is the 90% band of a scale's T score and the dot the score itself; the shaded middle is the average range (T 40 to 60). The details below give every number, what it means and how it was measured.", "Jeder Balken ist das 90%-Band des T-Werts einer Skala, der Punkt der Wert selbst; die schattierte Mitte ist der mittlere Bereich (T 40 bis 60). Die Einzelheiten unten nennen jede Zahl, was sie bedeutet und wie sie gemessen wurde.";
    no_results_yet: "No results yet: the candidate's status is \"{status}\". Results appear here once the assessment is completed.", "Noch keine Ergebnisse: Der Status der Person ist „{status}“. Ergebnisse erscheinen hier, sobald die Befragung abgeschlossen ist.";
    completed: "Completed", "Abgeschlossen";
    not_yet: "Not yet", "Noch nicht";
    current_decision: "Current decision", "Aktuelle Entscheidung";

    no_decision_yet: "No decision recorded yet.", "Noch keine Entscheidung festgehalten.";
    decision_history: "Decision history (newest first)", "Entscheidungsverlauf (neueste zuerst)";
    when: "When", "Wann";
    reason: "Reason", "Begründung";
    by: "By", "Von";
    decision_notice_1: "Vigil does not make hiring decisions and never recommends one. You decide, weighing this profile with the interview and your other evidence. ", "Vigil trifft keine Einstellungsentscheidungen und empfiehlt nie eine. Sie entscheiden und wägen dieses Profil mit dem Gespräch und Ihren übrigen Erkenntnissen ab. ";
    decision_notice_2: "Record the decision and the reason for it; both are kept in the history below and in the audit log.", "Halten Sie die Entscheidung und ihre Begründung fest; beides wird im Verlauf unten und im Audit-Protokoll aufbewahrt.";
    your_decision: "Your decision", "Ihre Entscheidung";
    reason_required: "Reason (required)", "Begründung (erforderlich)";
    record_decision: "Record decision", "Entscheidung festhalten";
    decision_recorded: "Your decision was recorded.", "Ihre Entscheidung wurde festgehalten.";
    invitation_withdrawn: "The invitation was withdrawn. The link no longer works.", "Die Einladung wurde zurückgezogen. Der Link funktioniert nicht mehr.";
    invitation_resent: "The invitation was sent again (or placed in the outbox).", "Die Einladung wurde erneut versandt (oder in den Postausgang gelegt).";
    data_erased: "The candidate's personal data was erased.", "Die personenbezogenen Daten der Person wurden gelöscht.";
    print_view: "Print view (for PDF)", "Druckansicht (für PDF)";
    export_json: "Export as JSON", "Als JSON exportieren";
    history: "History", "Verlauf";
    invitation: "Invitation", "Einladung";
    invitation_help: "Send the invitation again if the candidate cannot find it; withdraw it if the candidate should no longer take the assessment. Withdrawing cannot be undone.", "Senden Sie die Einladung erneut, wenn die Person sie nicht findet; ziehen Sie sie zurück, wenn die Person die Befragung nicht mehr machen soll. Das Zurückziehen kann nicht rückgängig gemacht werden.";
    send_again: "Send invitation again", "Einladung erneut senden";
    withdraw: "Withdraw invitation", "Einladung zurückziehen";
    personal_data: "Personal data", "Personenbezogene Daten";
    erased_on: "The candidate's name, e-mail address and the reasons given with decisions were erased on {day}. The answers and scores remain, without a name.", "Name, E-Mail-Adresse und die Begründungen der Entscheidungen wurden am {day} gelöscht. Die Antworten und Werte bleiben, ohne Namen.";
    erase_help: "On the candidate's request (or when your organisation no longer needs it), erase their name, e-mail address, the e-mails sent to them and the reasons given with decisions. The invitation stops working. The answers and scores remain, without a name. This cannot be undone. Vigil erases it by itself at the end of the retention period.", "Auf Wunsch der Person (oder wenn Ihre Organisation sie nicht mehr braucht) löschen Sie Namen, E-Mail-Adresse, die an sie gesandten E-Mails und die Begründungen der Entscheidungen. Die Einladung funktioniert dann nicht mehr. Die Antworten und Werte bleiben, ohne Namen. Das kann nicht rückgängig gemacht werden. Vigil löscht die Daten am Ende der Aufbewahrungsfrist von selbst.";
    erase_confirm: " I understand that this cannot be undone.", " Mir ist bewusst, dass das nicht rückgängig gemacht werden kann.";
    erase: "Erase personal data", "Personenbezogene Daten löschen";
    erase_later: "Vigil erases the candidate's name and e-mail address at the end of the retention period. On the candidate's request, an administrator of your organisation can erase them sooner.", "Vigil löscht Namen und E-Mail-Adresse der Person am Ende der Aufbewahrungsfrist. Auf Wunsch der Person kann die Administration Ihrer Organisation sie früher löschen.";
    print_help: "This page is laid out for printing: use your browser's Print command (Ctrl+P or Cmd+P) and choose \"Save as PDF\". ", "Diese Seite ist für den Druck gestaltet: Nutzen Sie den Druckbefehl Ihres Browsers (Strg+P oder Cmd+P) und wählen Sie „Als PDF speichern“. ";
    back_to_profile: "Back to the profile", "Zurück zum Profil";
    print_header: "Vigil candidate profile · confidential: contains personal data", "Vigil-Profil · vertraulich: enthält personenbezogene Daten";
    decisions: "Decisions", "Entscheidungen";
    decisions_print: "Vigil does not make hiring decisions. Decisions recorded by the organisation:", "Vigil trifft keine Einstellungsentscheidungen. Von der Organisation festgehaltene Entscheidungen:";
    profile_of: "Profile of {name}", "Profil von {name}";
    compare_candidates: "Compare candidates", "Personen vergleichen";
    no_results: "No results", "Keine Ergebnisse";
    no_results_lower: "no results", "keine Ergebnisse";
    not_scored_colon: "Not scored: {why}", "Nicht ausgewertet: {why}";
    no_normed_score_cap: "No normed score", "Kein normierter Wert";
    band_pair: "{value} ({low} to {high})", "{value} ({low} bis {high})";
    candidate: "Candidate", "Person";
    scored_by_col: "Scored by", "Ausgewertet mit";
    t_band_col: "T score (90% band)", "T-Wert (90%-Band)";
    percentile_band_col: "Percentile (90% band)", "Prozentrang (90%-Band)";
    sten_band_col: "Sten (90% band)", "Sten (90%-Band)";
    range: "Range", "Bereich";
    scores_with_bands: "{scale}: scores with their 90% bands", "{scale}: Werte mit ihren 90%-Bändern";
    mixed_norms: "These candidates were scored against different norm groups. Their scores are not directly comparable; see each profile for its norm group.", "Diese Personen wurden an verschiedenen Normgruppen gemessen. Ihre Werte sind nicht direkt vergleichbar; die Normgruppe steht im jeweiligen Profil.";
    reasons: "Reasons", "Gründe";
    same_axis: "Candidates are shown on the same axis. Where their 90% bands overlap, do not treat them as different on that scale.", "Die Personen stehen auf derselben Achse. Wo sich ihre 90%-Bänder überschneiden, behandeln Sie sie auf dieser Skala nicht als verschieden.";
    not_scored_lower: "not scored", "nicht ausgewertet";
    overview_table: "T scores with their 90% bands (40 to 60 is the average range), and response validity", "T-Werte mit ihren 90%-Bändern (40 bis 60 ist der mittlere Bereich) und Antwortvalidität";
    scale: "Scale", "Skala";
    compare_how: "On the campaign's candidate list, tick between 2 and {n} completed candidates, then choose \"Compare selected\".", "Kreuzen Sie in der Bewerbendenliste der Kampagne 2 bis {n} Personen an, die fertig sind, und wählen Sie dann „Ausgewählte vergleichen“.";
    back_to_list: "Back to the candidate list", "Zurück zur Bewerbendenliste";
    chart_lower: "Lower", "Unten";
    chart_average: "Average", "Mitte";
    chart_higher: "Higher", "Oben";
    chart_scale_title: "{scale} on the T-score scale (20 to 80; 40 to 60 is the average range)", "{scale} auf der T-Wert-Skala (20 bis 80; 40 bis 60 ist der mittlere Bereich)";
    chart_compare_title: "{scale}: candidates on the same T-score scale (20 to 80)", "{scale}: Personen auf derselben T-Wert-Skala (20 bis 80)";
    chart_overview_title: "Every scale on the T-score scale (20 to 80; 40 to 60 is the average range)", "Jede Skala auf der T-Wert-Skala (20 bis 80; 40 bis 60 ist der mittlere Bereich)";
    no_normed_score: "no normed score", "kein normierter Wert";
    describe_t: "T {t} (90% band {low} to {high})", "T {t} (90%-Band {low} bis {high})";
    describe_percentile: "percentile {p} ({low} to {high})", "Prozentrang {p} ({low} bis {high})";
    describe_sten: "sten {s} ({low} to {high})", "Sten {s} ({low} bis {high})";

    // How a scale was scored (the server's profile).
    method_ctt: "CTT (raw score)", "KTT (Rohwert)";
    method_irt_fixed: "IRT (fixed form)", "IRT (feste Form)";
    method_irt_adaptive: "IRT (adaptive)", "IRT (adaptiv)";
    stop_precision: "precision reached", "Genauigkeit erreicht";
    stop_item_limit: "item limit reached", "Höchstzahl an Items erreicht";
    stop_pool: "no suitable item left", "kein passendes Item mehr übrig";
    stop_session: "time ran out first", "die Zeit lief vorher ab";
    not_scored_ctt: "{answered} of {items} items answered; a classical score needs at least 80% of them.", "{answered} von {items} Items beantwortet; ein klassischer Wert braucht mindestens 80 % davon.";
    not_scored_irt: "{answered} item(s) answered; an IRT score needs at least {needed}.", "{answered} Item(s) beantwortet; ein IRT-Wert braucht mindestens {needed}.";
    csv_columns: "name,email,language,status,invited_at,completed_at,validity,decision,decision_reason,decided_by,decided_at,norms", "Name,E-Mail,Sprache,Status,Eingeladen am,Abgeschlossen am,Validität,Entscheidung,Begründung,Entschieden von,Entschieden am,Normen";
    csv_scale_columns: "method,t,t_90_low,t_90_high,percentile,sten,band,estimate,se,answered,stop,lz_star", "Methode,T,T 90% unten,T 90% oben,Prozentrang,Sten,Bereich,Schätzwert,SE,Beantwortet,Abbruch,lz*";
    csv_demonstration_norms: "{id} (demonstration norms - not for decisions)", "{id} (Demonstrationsnormen – nicht für Entscheidungen)";
    validity_fast: "Answers were given very quickly (median {median} s per item, below {limit} s); they may not have been read carefully.", "Die Antworten kamen sehr schnell (Median {median} s pro Item, unter {limit} s); sie wurden womöglich nicht sorgfältig gelesen.";
    validity_same_answer: "The same answer was given {run} times in a row ({percent}% of the rating items), which suggests the items were not answered one by one.", "Dieselbe Antwort wurde {run}-mal hintereinander gegeben ({percent} % der Bewertungsitems); das deutet darauf hin, dass die Items nicht einzeln beantwortet wurden.";
    validity_low_variability: "The answers vary very little (SD {sd}, below {limit}).", "Die Antworten streuen sehr wenig (SD {sd}, unter {limit}).";
    validity_attention_invalid: "{fails} attention-check items were answered in an unlikely way; the answers may not reflect careful reading.", "{fails} Aufmerksamkeitskontrollen wurden auf unwahrscheinliche Weise beantwortet; die Antworten spiegeln womöglich kein sorgfältiges Lesen wider.";
    validity_attention_caution: "{fails} attention-check item was answered in an unlikely way.", "{fails} Aufmerksamkeitskontrolle wurde auf unwahrscheinliche Weise beantwortet.";
    validity_inconsistent: "Items with nearly the same meaning were answered differently (mean difference {difference} points, above {limit}).", "Items mit fast gleicher Bedeutung wurden unterschiedlich beantwortet (mittlere Differenz {difference} Punkte, über {limit}).";
    validity_impression: "The impression-management score is high (T = {t}, above {limit}); the profile may be more favourable than usual and should be interpreted with caution.", "Der Wert für Eindruckssteuerung ist hoch (T = {t}, über {limit}); das Profil ist womöglich günstiger als üblich und sollte mit Vorsicht gedeutet werden.";
    person_fit_reason: "Unusual answer pattern on {scale}: person fit lz* = {lz}, below {below} (about 1 in 20 people who answer consistently are also below it). The score stands; talk the answers through with the candidate.", "Ungewöhnliches Antwortmuster bei {scale}: Personenfit lz* = {lz}, unter {below} (etwa 1 von 20 Personen, die stimmig antworten, liegt ebenfalls darunter). Der Wert gilt; besprechen Sie die Antworten mit der Person.";
}

/// Texts that read the same in both languages (checked: nothing else may).
#[cfg(test)]
pub(crate) const SAME_IN_BOTH: &[&str] = &["organisation", "name", "status", "list_caption_all", "instrument", "version", "version_n", "sten"];

/// `text` with each `{name}` replaced by its value, in one pass (a value
/// that itself holds `{...}` is left as it is); unknown names stay.
pub fn fill(text: &str, values: &[(&str, &str)]) -> String {
    fill_with(text, |name| values.iter().find(|(k, _)| *k == name).map(|(_, v)| v.to_string()))
}

/// The same with the values from a function (`None`: leave `{name}` as it is).
/// The one placeholder rule of Vigil's texts and e-mail templates.
pub fn fill_with(text: &str, value: impl Fn(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        match after.find('}').and_then(|end| value(&after[..end]).map(|v| (end, v))) {
            Some((end, v)) => {
                out.push_str(&v);
                rest = &after[end + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fill_replaces_named_placeholders_once() {
        assert_eq!(fill("Users of {organisation}", &[("organisation", "Acme")]), "Users of Acme");
        assert_eq!(fill("{a} and {b}", &[("a", "{b}"), ("b", "2")]), "{b} and 2", "a value is not filled again");
        assert_eq!(fill("{unknown} stays", &[("a", "1")]), "{unknown} stays");
        assert_eq!(fill("open { brace", &[]), "open { brace");
    }

    #[test]
    fn the_languages_are_picked_by_tag() {
        assert_eq!(staff_text("de").sign_out, "Abmelden");
        assert_eq!(staff_text("en").sign_out, "Sign out");
        assert_eq!(staff_text("fr").sign_out, "Sign out");
    }
}
