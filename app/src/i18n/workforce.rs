//! The texts of the workforce pages the server writes (survey waves, the
//! security view, security champions, the organisation's structure).
//! Written with `texts!` (see the module above). The instrument's scale
//! names kept with a wave's results and the playbook's suggestions are not
//! here: they are stored as written.

texts! {
    /// Every fixed text of the workforce pages, in one language.
    WorkforceText, workforce_text, ALL;

    // The frame.
    workforce: "Workforce", "Belegschaft";
    survey_waves: "Survey waves", "Befragungswellen";
    security_view: "Security view", "Sicherheitsansicht";
    security_champions: "Security champions", "Security Champions";
    start: "Start", "Startseite";

    // Waves.
    waves_intro: "Pulse surveys of your organisation's employees. Results are shown once a wave has closed, and only for groups of at least 5 people; a group that could be worked out from others is hidden too.", "Kurzbefragungen der Beschäftigten Ihrer Organisation. Ergebnisse werden gezeigt, sobald eine Welle geschlossen ist, und nur für Gruppen ab 5 Personen; eine Gruppe, die sich aus anderen erschließen ließe, bleibt ebenfalls verborgen.";
    no_waves: "No survey waves yet.", "Noch keine Befragungswellen.";
    wave: "Wave", "Welle";
    instrument: "Instrument", "Instrument";
    status: "Status", "Status";
    last_day: "Last day", "Letzter Tag";
    open: "open", "offen";
    closed: "closed", "geschlossen";
    closed_on: "closed {day}", "geschlossen {day}";
    start_wave: "Start a wave", "Eine Welle starten";
    start_wave_note: "Everyone currently in the chosen units (and the units below them) gets a personal link by e-mail. A wave where no unit reaches 5 people is refused, since it could show nothing.", "Alle, die jetzt in den gewählten Einheiten (und den Einheiten darunter) sind, bekommen einen persönlichen Link per E-Mail. Eine Welle, in der keine Einheit 5 Personen erreicht, wird abgelehnt, da sie nichts zeigen könnte.";
    name: "Name", "Name";
    name_placeholder: "Pulse, spring", "Puls, Frühjahr";
    units_choose: "Units (choose one or more)", "Einheiten (eine oder mehrere wählen)";
    last_day_format: "Last day (YYYY-MM-DD)", "Letzter Tag (JJJJ-MM-TT)";
    reminder_day: "Reminder day for those who have not answered (optional)", "Erinnerungstag für alle, die noch nicht geantwortet haben (freiwillig)";
    emails_in: "E-mails in", "E-Mails auf";
    offered_in: "The survey is offered in", "Die Befragung wird angeboten auf";
    start_the_wave: "Start the wave", "Welle starten";
    settings: "Settings", "Einstellungen";
    retention: "Keep a closed wave's answers for (days, 30–3650; the group results are kept)", "Antworten einer geschlossenen Welle aufbewahren für (Tage, 30–3650; die Gruppenergebnisse bleiben)";
    threshold: "Flag a unit in the security view when its intention to leave rises, or its security climate falls, by at least (points on the 1–5 scale)", "Eine Einheit in der Sicherheitsansicht markieren, wenn ihre Wechselabsicht steigt oder ihr Sicherheitsklima sinkt, um mindestens (Punkte auf der Skala 1–5)";
    save_settings: "Save settings", "Einstellungen speichern";
    settings_numbers: "Please give the days as a whole number and the threshold as a number such as 0.3.", "Bitte geben Sie die Tage als ganze Zahl und die Schwelle als Zahl wie 0.3 an.";
    change: "{arrow} {estimate} ({low} to {high})", "{arrow} {estimate} ({low} bis {high})";
    heat_caption: "Mean (90% interval), share agreeing on average (4 or more), and the change from the wave before", "Mittelwert (90%-Intervall), Anteil mit durchschnittlicher Zustimmung (4 oder mehr) und die Veränderung zur vorigen Welle";
    unit: "Unit", "Einheit";
    respondents_rate: "Respondents (rate)", "Antwortende (Quote)";
    hidden: "hidden", "verborgen";
    agree: "{share} agree", "{share} stimmen zu";
    hidden_note: "“hidden”: fewer than 5 people, or a group that could be worked out from the figures shown.", "„verborgen“: weniger als 5 Personen oder eine Gruppe, die sich aus den gezeigten Zahlen erschließen ließe.";
    breakdown_caption: "{scale} by {dimension}: mean (90% interval) and respondents", "{scale} nach {dimension}: Mittelwert (90%-Intervall) und Antwortende";
    location: "Location", "Standort";
    tenure_band: "Tenure band", "Betriebszugehörigkeit";
    breakdown: "Breakdown", "Aufschlüsselung";
    by: "By", "Nach";
    scale: "Scale", "Skala";
    show: "Show", "Anzeigen";
    download_breakdown: "Download this breakdown (CSV, every scale)", "Diese Aufschlüsselung herunterladen (CSV, jede Skala)";
    breakdown_note: "A category is hidden where it has fewer than 5 people, where its unit or the other categories would give it away, and where the two breakdowns together would single out a group under 5.", "Eine Kategorie bleibt verborgen, wo sie weniger als 5 Personen hat, wo ihre Einheit oder die anderen Kategorien sie verraten würden und wo die beiden Aufschlüsselungen zusammen eine Gruppe unter 5 herausgreifen würden.";
    wave_summary: "{instrument} {version}, {status}. Last day {day}.", "{instrument} {version}, {status}. Letzter Tag {day}.";
    participation: "{answered} of {invited} invited have answered so far.", "{answered} von {invited} Eingeladenen haben bisher geantwortet.";
    shown_when_closed: "Results are shown when the wave closes: were they shown while answers arrive, two looks a few answers apart would tell those answers.", "Ergebnisse werden gezeigt, wenn die Welle schließt: Würden sie gezeigt, während Antworten eintreffen, verrieten zwei Blicke im Abstand weniger Antworten genau diese Antworten.";
    reminder_went_out: "A reminder went out on {day}. ", "Am {day} ging eine Erinnerung hinaus. ";
    reminder_planned: "A reminder is planned for {day}. ", "Eine Erinnerung ist für {day} geplant. ";
    remind_not_answered: "Remind those who have not answered", "Alle erinnern, die noch nicht geantwortet haben";
    close_now: "Close the wave now", "Die Welle jetzt schließen";
    responses: "{n} responses.", "{n} Antworten.";
    fewer_than_5_responses: "Fewer than 5 responses in all: nothing can be shown.", "Insgesamt weniger als 5 Antworten: Es kann nichts gezeigt werden.";
    changes_from: "Changes are from “{wave}”.", "Veränderungen gegenüber „{wave}“.";
    download_table: "Download this table (CSV)", "Diese Tabelle herunterladen (CSV)";
    being_prepared: "The results are being prepared.", "Die Ergebnisse werden vorbereitet.";
    results_after_close: "Results are available once the wave has closed.", "Ergebnisse gibt es, sobald die Welle geschlossen ist.";
    reminder_sent: "Reminder sent", "Erinnerung gesendet";
    reminded: "{n} people who have not answered got a reminder with a new link.", "{n} Personen, die noch nicht geantwortet haben, bekamen eine Erinnerung mit einem neuen Link.";
    back_to_wave: "Back to the wave", "Zurück zur Welle";
    hidden_or_not_surveyed: "hidden or not surveyed", "verborgen oder nicht befragt";
    trend_title: "{unit}: trend", "{unit}: Verlauf";
    trend_intro: "The unit's mean on each scale in each closed wave, with its 90% interval. A wave where the unit was hidden (fewer than 5, or it could be worked out) shows no point.", "Der Mittelwert der Einheit auf jeder Skala in jeder geschlossenen Welle, mit seinem 90%-Intervall. Eine Welle, in der die Einheit verborgen war (weniger als 5 oder erschließbar), zeigt keinen Punkt.";

    // The security view and champions.
    security_intro: "Units (never people) whose intention to leave rose, or whose security climate fell, by at least {points} points between the last two waves in which each was shown, with what the joint HR and security playbook suggests. A flag is a reason to look and to talk with the team; it says nothing about any one person and restricts nobody's access.", "Einheiten (nie Personen), deren Wechselabsicht gestiegen oder deren Sicherheitsklima gesunken ist, um mindestens {points} Punkte zwischen den letzten beiden Wellen, in denen sie gezeigt wurden, mit dem, was das gemeinsame Handbuch von HR und Sicherheit vorschlägt. Eine Markierung ist ein Anlass, hinzusehen und mit dem Team zu sprechen; sie sagt nichts über eine einzelne Person und schränkt niemandes Zugang ein.";
    two_waves_needed: "Two closed waves of the pulse are needed to compare.", "Für einen Vergleich braucht es zwei geschlossene Wellen der Kurzbefragung.";
    no_unit_moved: "No unit moved beyond the threshold between its last two waves.", "Keine Einheit hat sich zwischen ihren letzten beiden Wellen über die Schwelle hinaus bewegt.";
    from_to: "From “{from}” to “{to}”.", "Von „{from}“ zu „{to}“.";
    unlikely_chance: "The 90% interval leaves out no change: this is unlikely to be chance.", "Das 90%-Intervall schließt „keine Veränderung“ aus: Zufall ist unwahrscheinlich.";
    may_be_chance: "The 90% interval includes no change: it may be chance; watch the next wave.", "Das 90%-Intervall schließt „keine Veränderung“ ein: Es kann Zufall sein; beobachten Sie die nächste Welle.";
    champions_intro: "Employees who took the Security Values Inventory for themselves and chose to be listed as a possible security champion, with the strengths they chose to share. Nobody else is listed, and an employee who withdraws disappears from this list at once. Employees reach their own page at <code>/me</code>.", "Beschäftigte, die das Inventar sicherheitsbezogener Werte für sich selbst ausgefüllt und sich entschieden haben, als mögliche Security Champions gelistet zu werden, mit den Stärken, die sie teilen möchten. Niemand sonst wird gelistet, und wer sich zurückzieht, verschwindet sofort von dieser Liste. Beschäftigte erreichen ihre eigene Seite unter <code>/me</code>.";
    nobody_yet: "Nobody has stepped forward yet.", "Noch hat sich niemand gemeldet.";
    team: "Team", "Team";
    strengths_shared: "Strengths they shared", "Geteilte Stärken";
    their_note: "Their note", "Ihre Notiz";
    since: "Since", "Seit";

    // The organisation's structure.
    structure_title: "Organisation structure", "Organisationsstruktur";
    structure_intro: "Your organisation's departments and teams, and who is in them, as your HR system lists them. Workforce surveys invite people by this structure and report results only for groups of at least 5. {employees} current employees; {left} have left.", "Die Abteilungen und Teams Ihrer Organisation und wer darin ist, so wie Ihr HR-System sie führt. Mitarbeiterbefragungen laden Menschen nach dieser Struktur ein und berichten Ergebnisse nur für Gruppen ab 5 Personen. {employees} aktuelle Beschäftigte; {left} sind ausgeschieden.";
    no_units: "No units yet: import them first.", "Noch keine Einheiten: Importieren Sie sie zuerst.";
    employees_in_it: "Employees in it", "Beschäftigte darin";
    with_units_below: "With the units below", "Mit den Einheiten darunter";
    edit: "Edit", "Bearbeiten";
    add_or_move_unit: "Add or move a unit", "Eine Einheit hinzufügen oder verschieben";
    inside: "Inside", "Innerhalb von";
    top_unit: "(a top unit)", "(eine oberste Einheit)";
    save_unit: "Save the unit", "Einheit speichern";
    move_employee: "Move an employee, or mark them as having left", "Eine beschäftigte Person verschieben oder als ausgeschieden markieren";
    email_address: "E-mail address", "E-Mail-Adresse";
    now_in: "Now in", "Jetzt in";
    has_left: "(has left)", "(ausgeschieden)";
    save: "Save", "Speichern";
    import: "Import", "Import";
    units_heading: "1. Units", "1. Einheiten";
    units_note: "A CSV file with the columns <code>unit,parent</code> (leave the parent empty for a top unit). New units are added and moved units move; a unit left out stays.", "Eine CSV-Datei mit den Spalten <code>unit,parent</code> (lassen Sie parent für eine oberste Einheit leer). Neue Einheiten werden hinzugefügt, verschobene verschoben; eine weggelassene Einheit bleibt.";
    units_file: "Units file (CSV, at most {mb} MB)", "Datei der Einheiten (CSV, höchstens {mb} MB)";
    import_units: "Import units", "Einheiten importieren";
    employees_heading: "2. Employees", "2. Beschäftigte";
    employees_note: "The whole current list, with the columns <code>email,name,unit</code> and optionally <code>location,tenure_band</code>. New people are added, people in another unit are moved, and people missing from the list are marked as having left.", "Die ganze aktuelle Liste, mit den Spalten <code>email,name,unit</code> und wahlweise <code>location,tenure_band</code>. Neue Personen werden hinzugefügt, Personen in einer anderen Einheit verschoben, und wer in der Liste fehlt, wird als ausgeschieden markiert.";
    employees_file: "Employees file (CSV, at most {mb} MB)", "Datei der Beschäftigten (CSV, höchstens {mb} MB)";
    import_employees: "Import employees", "Beschäftigte importieren";
    file_too_large: "The file is larger than {mb} MB.", "Die Datei ist größer als {mb} MB.";
    nothing_imported: "Nothing was imported: {n} row(s) of the file need changing.", "Nichts wurde importiert: {n} Zeile(n) der Datei müssen geändert werden.";
    row_problem: "Row {row}: {problem}", "Zeile {row}: {problem}";
    and_more: "… and {n} more.", "… und {n} weitere.";
    back_to_structure: "Back to the structure", "Zurück zur Struktur";
    correct_the_file: "Please correct the file", "Bitte korrigieren Sie die Datei";
    units_imported: "Units imported", "Einheiten importiert";
    units_imported_text: "{added} units added, {moved} moved.", "{added} Einheiten hinzugefügt, {moved} verschoben.";
    employees_imported: "Employees imported", "Beschäftigte importiert";
    employees_imported_text: "{added} added, {moved} moved, {updated} updated, {left} marked as having left, {back} back.", "{added} hinzugefügt, {moved} verschoben, {updated} aktualisiert, {left} als ausgeschieden markiert, {back} zurück.";
}

/// Texts that read the same in both languages (checked: nothing else may).
#[cfg(test)]
pub(crate) const SAME_IN_BOTH: &[&str] = &["security_champions", "instrument", "status", "name", "team", "import"];
