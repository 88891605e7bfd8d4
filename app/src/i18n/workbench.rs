//! The texts of the psychologist's instrument workbench (the library, a
//! draft's editor, its forms, the preview and the comparison), which the
//! server writes itself. Written with `texts!` (see the module above). The
//! bank's own texts and the bank check's messages are not here: the bank
//! brings its languages, and the check speaks as `vigil bank validate`.

texts! {
    /// Every fixed text of the workbench pages, in one language.
    WorkbenchText, workbench_text, ALL;

    // Titles and notices.
    instruments: "Instruments", "Instrumente";
    draft_title: "Draft: {instrument}", "Entwurf: {instrument}";
    item_title: "Item {id}", "Item {id}";
    scale_title: "Scale {id}", "Skala {id}";
    preview_title: "Preview: {title}", "Vorschau: {title}";
    diff_title: "What the draft changes", "Was der Entwurf ändert";
    published_notice: "Published {version}. New campaigns are offered it; existing campaigns keep their version.", "{version} veröffentlicht. Neuen Kampagnen wird sie angeboten; bestehende Kampagnen behalten ihre Version.";
    saved_notice: "Saved as revision {revision}.", "Als Revision {revision} gespeichert.";

    // The library.
    library_intro: "Every instrument your organisation can use: the banks that ship with Vigil and your own, each version with who published it, its content hash (published versions never change), the campaigns using it and its completed sessions. A retired version is no longer offered for new campaigns; campaigns made with it keep it. Start a draft from any version, or upload a bank file (the format of <code>docs/bank-format.md</code>, at most 2 MB).", "Jedes Instrument, das Ihre Organisation verwenden kann: die mit Vigil ausgelieferten Banken und Ihre eigenen, jede Version mit der Person, die sie veröffentlicht hat, ihrem Inhalts-Hash (veröffentlichte Versionen ändern sich nie), den Kampagnen, die sie verwenden, und ihren abgeschlossenen Sitzungen. Eine zurückgezogene Version wird neuen Kampagnen nicht mehr angeboten; Kampagnen, die damit angelegt wurden, behalten sie. Beginnen Sie einen Entwurf aus jeder Version oder laden Sie eine Bank-Datei hoch (das Format von <code>docs/bank-format.md</code>, höchstens 2 MB).";
    open_drafts: "Open drafts", "Offene Entwürfe";
    uploaded: "uploaded", "hochgeladen";
    from_version: "from {version}", "aus {version}";
    draft_line: "{from}, revision {revision}, saved {at}", "{from}, Revision {revision}, gespeichert {at}";
    shipped: "shipped with Vigil", "mit Vigil ausgeliefert";
    your_organisations: "your organisation's", "Ihrer Organisation";
    version: "Version", "Version";
    published: "Published", "Veröffentlicht";
    content_hash: "Content hash", "Inhalts-Hash";
    campaigns: "Campaigns", "Kampagnen";
    completed_sessions: "Completed sessions", "Abgeschlossene Sitzungen";
    files: "Files", "Dateien";
    new_draft: "New draft", "Neuer Entwurf";
    with_vigil: "with Vigil", "mit Vigil";
    none: "none", "keine";
    technical_report: "technical report", "technischer Bericht";
    item_analysis: "item analysis", "Itemanalyse";
    calibration: "calibration", "Kalibrierung";
    your_instrument_id: "Your instrument's id", "Die ID Ihres Instruments";
    start_draft: "Start a draft", "Entwurf beginnen";
    retired_by: "retired {at} by {by}: not offered for new campaigns", "zurückgezogen {at} von {by}: wird neuen Kampagnen nicht angeboten";
    offer_again: "Offer again", "Wieder anbieten";
    retire: "Retire", "Zurückziehen";
    at_by: "{at} by {by}", "{at} von {by}";
    upload_heading: "Upload a bank file", "Bank-Datei hochladen";
    bank_file: "Bank file (TOML, at most 2 MB)", "Bank-Datei (TOML, höchstens 2 MB)";
    upload_as_draft: "Upload as a draft", "Als Entwurf hochladen";
    library_footer: "One completed session in detail (its answers in order with latencies, validity indices, scores and, when adaptive, the engine's trace): {path} with a respondent from {file}. Norm tables from your sessions: {norms}.", "Eine abgeschlossene Sitzung im Einzelnen (ihre Antworten der Reihe nach mit Antwortzeiten, Validitätsindizes, Werten und, wenn adaptiv, dem Protokoll der Item-Auswahl): {path} mit einer Person aus {file}. Normtabellen aus Ihren Sitzungen: {norms}.";
    norm_builder: "the norm builder", "die Normenbildung";
    back_to_start: "Back to the start", "Zurück zur Startseite";

    // A draft.
    problems_to_fix: "Problems to fix ({n})", "Zu behebende Probleme ({n})";
    problems_note: "The same checks and messages as <code>vigil bank validate</code>; lines are those of the text below.", "Dieselben Prüfungen und Meldungen wie <code>vigil bank validate</code>; die Zeilen sind die des Textes unten.";
    missing_translations: "Missing translations ({n})", "Fehlende Übersetzungen ({n})";
    kind_statement: "statement", "Aussage";
    kind_scenario: "scenario", "Szenario";
    kind_check: "check", "Kontrollitem";
    reversed: ", reversed", ", umgepolt";
    preview: "Preview", "Vorschau";
    up: "Up", "Nach oben";
    down: "Down", "Nach unten";
    made_from: "made from {version}", "erstellt aus {version}";
    draft_of: "Draft of {instrument}, {from}, revision {revision} (saved {at}).", "Entwurf von {instrument}, {from}, Revision {revision} (gespeichert {at}).";
    closed_published: "This draft was published as version {version}; it can no longer be changed.", "Dieser Entwurf wurde als Version {version} veröffentlicht; er kann nicht mehr geändert werden.";
    closed_discarded: "This draft was discarded; it can no longer be changed.", "Dieser Entwurf wurde verworfen; er kann nicht mehr geändert werden.";
    ready_as: "Ready to publish as version {version}{level}.", "Bereit zur Veröffentlichung als Version {version}{level}.";
    once_empty: "Once the lists below are empty it will be published as version {version}.", "Sobald die Listen unten leer sind, wird er als Version {version} veröffentlicht.";
    not_ready: "Not ready to publish yet.", "Noch nicht bereit zur Veröffentlichung.";
    not_ready_unchanged: "Not ready to publish yet: nothing has changed since the version it was made from.", "Noch nicht bereit zur Veröffentlichung: Seit der Version, aus der er erstellt wurde, hat sich nichts geändert.";
    level_none: "no change", "keine Änderung";
    level_patch: "patch (wording)", "Patch (Wortlaut)";
    level_minor: "minor (items or settings)", "Minor (Items oder Einstellungen)";
    level_major: "major (scales or keys)", "Major (Skalen oder Schlüssel)";
    version_rule: "How the version number is chosen: {rule}", "Wie die Versionsnummer gewählt wird: {rule}";
    version_rule_text: "Wording only (texts, labels, interpretations, order) is a patch version; items added or removed, languages, adaptive or validity settings make a minor version; scales, response scales, keys, reverse keying or IRT parameters make a major version.", "Nur Wortlaut (Texte, Beschriftungen, Deutungen, Reihenfolge) ergibt eine Patch-Version; hinzugefügte oder entfernte Items, Sprachen, Einstellungen für adaptives Testen oder Validität ergeben eine Minor-Version; Skalen, Antwortskalen, Schlüssel, Umpolung oder IRT-Parameter ergeben eine Major-Version.";
    look_before: "Look before publishing", "Vor dem Veröffentlichen ansehen";
    preview_in: "Preview in {lang}", "Vorschau auf {lang}";
    at_phone_width: "at phone width", "in Telefonbreite";
    side_by_side: "Side by side with the version it came from", "Neben der Version, aus der er stammt";
    items_heading: "Items ({n})", "Items ({n})";
    items_note: "In the order of the file (each session shuffles). Open an item to edit its texts, scale and keys.", "In der Reihenfolge der Datei (jede Sitzung mischt). Öffnen Sie ein Item, um Texte, Skala und Schlüssel zu bearbeiten.";
    item: "Item", "Item";
    scale: "Scale", "Skala";
    type_: "Type", "Typ";
    text_in: "Text ({lang})", "Text ({lang})";
    change: "Change", "Ändern";
    scales_and_settings: "Scales and settings", "Skalen und Einstellungen";
    cat_settings: "Adaptive-testing settings", "Einstellungen für adaptives Testen";
    validity_rules: "Response-validity rules", "Regeln zur Antwortvalidität";
    copy_heading: "Copy an item from another instrument", "Ein Item aus einem anderen Instrument kopieren";
    copy_from: "From", "Aus";
    item_id: "Item id", "Item-ID";
    copy_item: "Copy the item", "Item kopieren";
    whole_text: "The whole text", "Der ganze Text";
    whole_text_note: "Scales, interpretation texts, validity and adaptive settings are edited here (format: <code>docs/bank-format.md</code>). Problems are checked as you type; saving keeps every revision.", "Skalen, Deutungstexte, Einstellungen für Validität und adaptives Testen werden hier bearbeitet (Format: <code>docs/bank-format.md</code>). Probleme werden beim Tippen geprüft; beim Speichern bleibt jede Revision erhalten.";
    bank_text: "Bank text (TOML)", "Bank-Text (TOML)";
    save: "Save", "Speichern";
    translations: "Translations", "Übersetzungen";
    download_table: "Download the texts as a translation table (CSV)", "Die Texte als Übersetzungstabelle herunterladen (CSV)";
    translations_note: "one row per text, one column per language. Add a column to add a language. Importing it back changes only the texts that differ.", "eine Zeile pro Text, eine Spalte pro Sprache. Fügen Sie eine Spalte hinzu, um eine Sprache hinzuzufügen. Beim Zurückimportieren ändern sich nur die Texte, die abweichen.";
    translation_table: "Translation table (CSV)", "Übersetzungstabelle (CSV)";
    import: "Import", "Importieren";
    publish: "Publish", "Veröffentlichen";
    publish_note: "Publishing makes this draft a new version that never changes (its content hash is recorded). Campaigns keep the version they were made with; new campaigns are offered the new one.", "Beim Veröffentlichen wird dieser Entwurf zu einer neuen Version, die sich nie mehr ändert (ihr Inhalts-Hash wird festgehalten). Kampagnen behalten die Version, mit der sie angelegt wurden; neuen Kampagnen wird die neue angeboten.";
    change_note: "Change note (what changed and why)", "Änderungsnotiz (was sich geändert hat und warum)";
    revisions: "Revisions", "Revisionen";
    revision: "Revision", "Revision";
    saved: "Saved", "Gespeichert";
    by: "By", "Von";
    what: "What", "Was";
    current: "current", "aktuell";
    restore: "Restore", "Wiederherstellen";
    discard: "Discard this draft", "Diesen Entwurf verwerfen";
    back_to_instruments: "Back to the instruments", "Zurück zu den Instrumenten";

    // The forms of one part.
    part_of_draft: "{part} {id} of the draft of {instrument} (revision {revision}).", "{part} {id} des Entwurfs von {instrument} (Revision {revision}).";
    item_intro: "Saving makes a new revision; a change that would break the instrument is refused with the reason, and nothing is saved.", "Speichern ergibt eine neue Revision; eine Änderung, die das Instrument beschädigen würde, wird mit Begründung abgelehnt, und nichts wird gespeichert.";
    kind_likert_long: "Statement (agreement scale)", "Aussage (Zustimmungsskala)";
    kind_sjt_long: "Scenario (options with keys)", "Szenario (Optionen mit Schlüsseln)";
    kind_check_long: "Check item (attention, no scale)", "Kontrollitem (Aufmerksamkeit, keine Skala)";
    type_change_note: "Changing the type changes what the other fields mean: set them together, in one save.", "Ein anderer Typ ändert, was die übrigen Felder bedeuten: Setzen Sie sie zusammen, in einem Speichervorgang.";
    response_scale: "Response scale", "Antwortskala";
    reverse_keyed: "Reverse keyed (agreeing means less of the trait)", "Umgepolt (Zustimmung bedeutet weniger des Merkmals)";
    facet: "Facet (optional)", "Facette (freiwillig)";
    attentive: "Answers that show attention (comma-separated values)", "Antworten, die Aufmerksamkeit zeigen (Werte durch Kommas getrennt)";
    option: "Option {id}", "Option {id}";
    option_key: "Key (expert effectiveness, 0 = worst)", "Schlüssel (Wirksamkeit nach Expertenurteil, 0 = am schlechtesten)";
    save_item: "Save the item", "Item speichern";
    back_to_draft: "Back to the draft", "Zurück zum Entwurf";
    scale_intro: "Its name, description and the interpretation texts recruiters read; keys and items are changed on the items.", "Ihr Name, ihre Beschreibung und die Deutungstexte, die das Recruiting liest; Schlüssel und Items werden bei den Items geändert.";
    name: "Name", "Name";
    description: "Description", "Beschreibung";
    interpretation_low: "Interpretation of a low score", "Deutung eines niedrigen Werts";
    interpretation_average: "Interpretation of an average score", "Deutung eines mittleren Werts";
    interpretation_high: "Interpretation of a high score", "Deutung eines hohen Werts";
    prompts: "Interview prompts for a low score ({lang}), one per line", "Interviewfragen bei einem niedrigen Wert ({lang}), eine pro Zeile";
    save_scale: "Save the scale", "Skala speichern";
    cat_intro: "How an adaptive session of this instrument stops and chooses (empty: the default of <code>docs/psychometrics.md</code> section 6). A change here makes a minor version.", "Wie eine adaptive Sitzung dieses Instruments endet und auswählt (leer: der Standard aus <code>docs/psychometrics.md</code>, Abschnitt 6). Eine Änderung hier ergibt eine Minor-Version.";
    se_target: "Stop a scale at this standard error or below (0 to 1; default 0.30)", "Eine Skala bei diesem Standardfehler oder darunter beenden (0 bis 1; Standard 0,30)";
    min_items: "Never stop before this many items (default 3)", "Nie vor so vielen Items beenden (Standard 3)";
    max_items: "Always stop at this many items (default 20)", "Immer bei so vielen Items beenden (Standard 20)";
    randomesque: "Choose among the k most informative items (1 to 10; default 1)", "Unter den k informativsten Items wählen (1 bis 10; Standard 1)";
    save_settings: "Save the settings", "Einstellungen speichern";
    validity_intro: "When a session's answers are flagged as needing caution or as not interpretable (<code>docs/psychometrics.md</code> section 7). Empty fields keep the default. A flag never changes a score; recruiters see it beside the profile. A change here makes a minor version.", "Wann die Antworten einer Sitzung als vorsichtig zu lesen oder als nicht interpretierbar markiert werden (<code>docs/psychometrics.md</code>, Abschnitt 7). Leere Felder behalten den Standard. Eine Markierung ändert nie einen Wert; das Recruiting sieht sie neben dem Profil. Eine Änderung hier ergibt eine Minor-Version.";
    min_median: "Invalid when the median answer takes less than this many seconds (default {default})", "Ungültig, wenn die mittlere Antwort (Median) weniger als so viele Sekunden dauert (Standard {default})";
    longstring_caution: "Caution when one answer runs unchanged through this share of a page's questions, 0 to 1 (default {default})", "Vorsicht, wenn eine Antwort unverändert durch diesen Anteil der Fragen einer Seite läuft, 0 bis 1 (Standard {default})";
    longstring_invalid: "Invalid from this share (default {default})", "Ungültig ab diesem Anteil (Standard {default})";
    infrequency_caution: "Caution when this many attention checks are missed (default {default})", "Vorsicht, wenn so viele Aufmerksamkeitskontrollen verfehlt werden (Standard {default})";
    infrequency_invalid: "Invalid from this many (default {default})", "Ungültig ab so vielen (Standard {default})";
    inconsistency_caution: "Caution when the pairs below differ by this much on average, in scale points (default {default})", "Vorsicht, wenn die Paare unten im Mittel um so viel abweichen, in Skalenpunkten (Standard {default})";
    im_caution: "Caution when the impression-management scale reaches this T score (default {default})", "Vorsicht, wenn die Skala für Eindruckssteuerung diesen T-Wert erreicht (Standard {default})";
    irv_caution: "Caution when the spread of a person's answers (SD) is below this (no default: empty reports it only)", "Vorsicht, wenn die Streuung der Antworten einer Person (SD) darunter liegt (kein Standard: leer wird sie nur berichtet)";
    pairs: "Pairs of near-synonymous items of one scale, keyed the same way: one pair a line, such as <code>svi-mot-01 svi-mot-02</code>", "Paare fast gleichbedeutender Items einer Skala, gleich gepolt: ein Paar pro Zeile, etwa <code>svi-mot-01 svi-mot-02</code>";
    save_rules: "Save the rules", "Regeln speichern";

    // The preview and the comparison.
    preview_language: "Preview language", "Sprache der Vorschau";
    as_candidate: "Exactly as a candidate sees it (without saving answers).", "Genau so, wie eine Person es sieht (ohne Antworten zu speichern).";
    texts_missing: "{n} text(s) in {lang} are still missing and are marked.", "{n} Text(e) auf {lang} fehlen noch und sind markiert.";
    texts_all_there: "Every text is there in {lang}.", "Jeder Text ist auf {lang} vorhanden.";
    full_width: "Full width", "Volle Breite";
    phone_width: "Phone width", "Telefonbreite";
    pages: "Pages:", "Seiten:";
    all: "all", "alle";
    draft_next_to: "The draft of {instrument} next to {parent}{change}.", "Der Entwurf von {instrument} neben {parent}{change}.";
    change_published_as: ": a {level} change, published as {version}", ": eine Änderung der Stufe {level}, veröffentlicht als {version}";
    diff_summary: "{changed} changed, {added} added, {retired} retired, {same} the same.", "{changed} geändert, {added} hinzugefügt, {retired} zurückgezogen, {same} gleich.";
    what_changed: "What changed", "Was sich geändert hat";
    in_version: "In the version", "In der Version";
    in_draft: "In the draft", "Im Entwurf";
}

/// Texts that read the same in both languages (checked: nothing else may).
#[cfg(test)]
pub(crate) const SAME_IN_BOTH: &[&str] = &["item_title", "version", "items_heading", "item", "text_in", "revision", "name", "option"];

#[cfg(test)]
mod tests {
    #[test]
    fn the_version_rule_reads_as_the_bank_rules_say() {
        assert_eq!(super::workbench_text("en").version_rule_text, assessments::bank::changes::VERSION_RULE);
    }
}
