//! The staff pages' texts. Each line names a text, then its English, then
//! its German: the macro makes `StaffText` (one field per text) and its two
//! values, so a text missing in either language does not compile.
//! Placeholders are `{name}`, filled by [`fill`].

macro_rules! staff_texts {
    ($($key:ident: $en:literal, $de:literal;)*) => {
        /// Every fixed text of the staff pages, in one language.
        #[derive(Debug)]
        pub struct StaffText {
            $(pub $key: &'static str,)*
        }

        pub static STAFF_EN: StaffText = StaffText { $($key: $en,)* };
        pub static STAFF_DE: StaffText = StaffText { $($key: $de,)* };

        /// `(name, English, German)` of every text, for the checks below.
        pub const ALL: &[(&str, &str, &str)] = &[$((stringify!($key), $en, $de),)*];
    };
}

staff_texts! {
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
    person_fit_reason: "Unusual answer pattern on {scale}: person fit lz* = {lz}, below {below} (about 1 in 20 people who answer consistently are also below it). The score stands; talk the answers through with the candidate.", "Ungewöhnliches Antwortmuster bei {scale}: Personenfit lz* = {lz}, unter {below} (etwa 1 von 20 Personen, die stimmig antworten, liegt ebenfalls darunter). Der Wert gilt; besprechen Sie die Antworten mit der Person.";
}

/// Texts that read the same in both languages (checked: nothing else may).
#[cfg(test)]
const SAME_IN_BOTH: &[&str] = &["organisation", "name", "status", "list_caption_all", "instrument", "version", "version_n"];

/// The texts of a language ("de", else English).
pub fn staff_text(lang: &str) -> &'static StaffText {
    if lang == "de" { &STAFF_DE } else { &STAFF_EN }
}

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

/// The `{name}` placeholders of a text, sorted.
#[cfg(test)]
fn placeholders(text: &str) -> Vec<&str> {
    let mut names: Vec<&str> = text.split('{').skip(1).filter_map(|p| p.split_once('}').map(|(n, _)| n)).collect();
    names.sort_unstable();
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_text_is_written_in_both_languages_with_the_same_placeholders() {
        let mut problems = Vec::new();
        for (key, en, de) in ALL {
            if en.trim().is_empty() || de.trim().is_empty() {
                problems.push(format!("{key}: empty"));
            }
            if en == de && !SAME_IN_BOTH.contains(key) {
                problems.push(format!("{key}: the German is the English ({en:?}); translate it, or list it in SAME_IN_BOTH"));
            }
            if placeholders(en) != placeholders(de) {
                problems.push(format!("{key}: placeholders {:?} in English but {:?} in German", placeholders(en), placeholders(de)));
            }
        }
        for key in SAME_IN_BOTH {
            assert!(ALL.iter().any(|(k, _, _)| k == key), "SAME_IN_BOTH names {key}, which is no text");
        }
        assert!(problems.is_empty(), "{problems:#?}");
    }

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
