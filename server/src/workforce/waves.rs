//! Survey waves: an administrator sends a workforce instrument (the pulse)
//! to the current employees of chosen units; each gets a personal link;
//! answers are kept as the store's rules say (no link to the person, see
//! `crate::store` waves); results are group figures, every cell under 5
//! respondents suppressed, and so is every cell that could be worked out
//! from the others (`assessments::workforce::suppression`).

use std::collections::{BTreeMap, HashMap, HashSet};

use assessments::workforce::suppression::{lineage, subtree_totals};

use crate::{
    catalog::Catalog,
    secrets::{new_secret, secret_hash},
    service_error::ServiceError,
    staff::{require_admin, Caller},
    store::{Actor, NewWave, NewWaveLink, OutboxDraft, ReissuedLink, Store, WaveRow},
    time::{now_ms, parse_date_utc},
};

/// What the form asks for.
#[derive(Debug, Clone, Default)]
pub struct WaveForm {
    pub name: String,
    /// `instrument@version`.
    pub bank: String,
    /// Unit names; each with everybody below it.
    pub units: Vec<String>,
    /// The last day answers are taken (YYYY-MM-DD, UTC).
    pub closes_on: String,
    /// The day to remind those who have not answered (YYYY-MM-DD, UTC; empty: no reminder).
    pub remind_on: String,
    /// The languages offered (the instrument's; the first is the e-mails'); empty: all of them, English first.
    pub languages: Vec<String>,
}

/// The languages of a wave as stored (JSON), English first when none were kept.
pub fn languages_of(stored: Option<&str>) -> Vec<String> {
    stored.and_then(|j| serde_json::from_str::<Vec<String>>(j).ok()).filter(|l| !l.is_empty()).unwrap_or_else(|| vec!["en".to_string()])
}

/// The link of a survey token.
fn survey_link(base_url: &str, token: &str) -> String {
    format!("{}/survey/{token}", base_url.trim_end_matches('/'))
}

/// The e-mail inviting an employee, in `lang`: what is collected, who sees what, and that they may skip anything.
fn invitation(lang: &str, name: &str, organisation: &str, link: &str, closes_on: &str) -> (String, String) {
    if lang == "de" {
        return (
            format!("{organisation}: eine kurze Befragung dazu, wie die Arbeit läuft"),
            format!(
                "Hallo {name},\n\n{organisation} stellt allen in Ihrem Teil der Organisation ein paar Fragen dazu, wie die Arbeit läuft: Zufriedenheit, Unterstützung, Sicherheit und ob Menschen an einen Wechsel denken.\n\n\
                 Ihre Antworten werden nicht mit Ihnen verknüpft. Sie werden nur für Gruppen von mindestens 5 Personen ausgewertet, und niemand (weder HR noch Ihre Führungskraft noch ein Administrator) kann sehen, was Sie geantwortet haben. \
                 Sie können jede Frage überspringen, unterbrechen und später weitermachen. Die Befragung dauert etwa 5 Minuten und ist bis {closes_on} geöffnet.\n\n{link}\n\nVielen Dank.\n"
            ),
        );
    }
    let subject = format!("{organisation}: a short survey about how work is going");
    let body = format!(
        "Hello {name},\n\n{organisation} asks everyone in your part of the organisation a few questions about how work is going: satisfaction, support, security, and whether people are thinking of moving on.\n\n\
         Your answers are not linked to you. They are reported only for groups of at least 5 people, and nobody (not HR, not your manager, not an administrator) can see what you answered. \
         You may skip any question, stop and come back. The survey takes about 5 minutes and is open until {closes_on}.\n\n{link}\n\nThank you.\n"
    );
    (subject, body)
}

/// Creates a wave (administrators): refused unless the instrument is meant
/// for workforce surveys, and unless some unit reaches 5 invitees (no
/// result could be shown otherwise). Returns the wave's id and how many were invited.
pub async fn create(store: &Store, catalog: &Catalog, caller: &Caller, form: &WaveForm, base_url: &str) -> Result<(String, usize), ServiceError> {
    require_admin(caller)?;
    let name = form.name.trim();
    if name.is_empty() || name.chars().count() > 120 {
        return Err(ServiceError::Invalid("Please name the wave (up to 120 characters), e.g. \"Pulse, spring\".".into()));
    }
    let (instrument, version) = form.bank.split_once('@').ok_or_else(|| ServiceError::Invalid("Please choose an instrument.".into()))?;
    let entry = catalog.get_for(&caller.org_id, instrument, version).ok_or(ServiceError::NotFound)?;
    if !entry.bank.file().instrument.intended_use.contains(&assessments::bank::format::IntendedUse::Workforce) {
        return Err(ServiceError::Invalid(format!("{instrument} {version} is not meant for workforce surveys.")));
    }
    let offered = &entry.bank.file().instrument.languages;
    let languages: Vec<String> = if form.languages.is_empty() {
        let mut all = offered.clone();
        all.sort_by_key(|l| l != "en");
        all
    } else {
        form.languages.clone()
    };
    if let Some(unknown) = languages.iter().find(|l| !offered.contains(l)) {
        return Err(ServiceError::Invalid(format!("{instrument} {version} is not available in the language \"{unknown}\".")));
    }
    let closes_at = parse_date_utc(&form.closes_on).map(|d| d + 86_400_000).ok_or_else(|| ServiceError::Invalid("Please give the last day as YYYY-MM-DD.".into()))?;
    let now = now_ms();
    if closes_at <= now {
        return Err(ServiceError::Invalid("The last day has passed; choose a later one.".into()));
    }
    let remind_at = match form.remind_on.trim() {
        "" => None,
        day => {
            let at = parse_date_utc(day).ok_or_else(|| ServiceError::Invalid("Please give the reminder day as YYYY-MM-DD, or leave it empty.".into()))?;
            if at >= closes_at - 86_400_000 || at + 86_400_000 <= now {
                return Err(ServiceError::Invalid("The reminder day must be from today and before the last day.".into()));
            }
            Some(at.max(now))
        }
    };
    let units = store.org_units(&caller.org_id).await?;
    let tree = super::UnitTree::of(&units);
    let by_name: HashMap<&str, usize> = units.iter().enumerate().map(|(i, u)| (u.name.as_str(), i)).collect();
    let parents = &tree.parents;
    let mut chosen = HashSet::new();
    for n in &form.units {
        chosen.insert(*by_name.get(n.as_str()).ok_or_else(|| ServiceError::Invalid(format!("There is no unit \"{n}\" in your structure.")))?);
    }
    if chosen.is_empty() {
        return Err(ServiceError::Invalid("Please choose the units the wave covers.".into()));
    }
    // A unit is covered when it or one of its ancestors was chosen.
    let covered = |u: usize| lineage(parents, u).iter().any(|a| chosen.contains(a));
    let employees: Vec<_> = store.employees(&caller.org_id).await?.into_iter().filter(|e| e.left_at.is_none()).filter(|e| tree.position(&e.unit_id).is_some_and(covered)).collect();
    let mut direct = vec![0_u32; units.len()];
    for e in &employees {
        if let Some(u) = tree.position(&e.unit_id) {
            direct[u] += 1;
        }
    }
    let largest = subtree_totals(parents, &direct).into_iter().max().unwrap_or(0);
    if largest < assessments::workforce::suppression::MIN_GROUP {
        return Err(ServiceError::Invalid(format!(
            "These units have {} employees in all and no unit reaches 5: results are shown only for groups of at least 5, so this wave could show nothing. Choose larger units.",
            employees.len()
        )));
    }
    let organisation = store.organisation(&caller.org_id).await?.map(|o| o.name).unwrap_or_default();
    let links: Vec<NewWaveLink> = employees
        .iter()
        .map(|e| {
            let token = new_secret();
            let link = survey_link(base_url, &token);
            let (subject, body) = invitation(&languages[0], &e.name, &organisation, &link, &form.closes_on);
            NewWaveLink {
                token_hash: secret_hash(&token),
                employee_id: e.id.clone(),
                unit_id: e.unit_id.clone(),
                location: e.location.clone(),
                tenure_band: e.tenure_band.clone(),
                message: OutboxDraft { kind: "survey", to: e.email.clone(), subject, body },
            }
        })
        .collect();
    let invited: BTreeMap<&str, u32> = units.iter().enumerate().filter(|(i, _)| direct[*i] > 0).map(|(i, u)| (u.id.as_str(), direct[i])).collect();
    let covered_ids: Vec<&str> = chosen.iter().map(|i| units[*i].id.as_str()).collect();
    let id = crate::store::new_id();
    let (units_json, invited_json) = (serde_json::json!(covered_ids).to_string(), serde_json::json!(invited).to_string());
    let base = base_url.trim_end_matches('/');
    store
        .create_wave(
            &NewWave { id: &id, org_id: &caller.org_id, name, instrument, version, units: &units_json, invited: &invited_json, created_by: &caller.user_id, closes_at, remind_at, link_base: base, languages: &serde_json::json!(languages).to_string() },
            &links,
            now,
        )
        .await?;
    Ok((id, links.len()))
}

/// Closes a wave (administrators; audited) and keeps its results.
pub async fn close(store: &Store, catalog: &Catalog, caller: &Caller, wave_id: &str) -> Result<(), ServiceError> {
    require_admin(caller)?;
    if !store.close_wave(&caller.org_id, wave_id, Actor::User(&caller.user_id), now_ms()).await? {
        return Err(ServiceError::NotFound);
    }
    keep_results(store, catalog, &caller.org_id, wave_id).await
}

/// Computes a closed wave's results from its answers and keeps them (once).
pub async fn keep_results(store: &Store, catalog: &Catalog, org_id: &str, wave_id: &str) -> Result<(), ServiceError> {
    let wave = store.wave(org_id, wave_id).await?.ok_or(ServiceError::NotFound)?;
    let entry = catalog.get_for(org_id, &wave.instrument, &wave.version).ok_or_else(|| ServiceError::Misconfigured(format!("{}@{} is not in the catalog", wave.instrument, wave.version)))?;
    let units = store.org_units(org_id).await?;
    let invited: BTreeMap<String, u32> = serde_json::from_str(&wave.invited).unwrap_or_default();
    let responses = store.wave_responses(org_id, wave_id).await?;
    let results = super::results::compute(&entry.bank, &units, &invited, &responses).map_err(ServiceError::Misconfigured)?;
    let json = serde_json::to_string(&results).map_err(|e| ServiceError::Misconfigured(e.to_string()))?;
    store.keep_wave_results(org_id, wave_id, &json).await?;
    Ok(())
}

/// The reminder e-mail, in `lang`: the same promises, and the new link.
fn reminder(lang: &str, name: &str, organisation: &str, link: &str, closes_on: &str) -> (String, String) {
    if lang == "de" {
        return (
            format!("{organisation}: eine Erinnerung an die kurze Befragung"),
            format!(
                "Hallo {name},\n\nEine Erinnerung, falls Sie noch teilnehmen möchten: Die Befragung dazu, wie die Arbeit läuft, ist bis {closes_on} geöffnet. Die Teilnahme ist freiwillig.\n\n\
                 Ihre Antworten werden nicht mit Ihnen verknüpft und nur für Gruppen von mindestens 5 Personen ausgewertet. Was Sie schon gespeichert haben, bleibt erhalten. \
                 Bitte verwenden Sie diesen Link; er ersetzt den aus der ersten E-Mail:\n\n{link}\n\nVielen Dank.\n"
            ),
        );
    }
    let subject = format!("{organisation}: a reminder about the short survey");
    let body = format!(
        "Hello {name},\n\nA reminder, in case you would still like to take part: the survey about how work is going is open until {closes_on}. Taking part is your choice.\n\n\
         Your answers are not linked to you and are reported only for groups of at least 5 people. Anything you saved before is kept. \
         Please use this link; it replaces the one in the first e-mail:\n\n{link}\n\nThank you.\n"
    );
    (subject, body)
}

/// Reminds those who have not answered a wave, with new links (the clean-up
/// calls this on the wave's reminder day; administrators may call it any
/// time). Returns how many were reminded.
pub async fn remind(store: &Store, wave: &WaveRow, by: Actor<'_>, base_url: &str) -> Result<usize, ServiceError> {
    let organisation = store.organisation(&wave.org_id).await?.map(|o| o.name).unwrap_or_default();
    let closes_on = crate::time::date_utc(wave.closes_at - 86_400_000);
    let lang = languages_of(wave.languages.as_deref()).remove(0);
    let links: Vec<ReissuedLink> = store
        .unanswered_links(&wave.org_id, &wave.id)
        .await?
        .into_iter()
        .map(|l| {
            let token = new_secret();
            let (subject, body) = reminder(&lang, &l.name, &organisation, &survey_link(base_url, &token), &closes_on);
            ReissuedLink { old_hash: l.token_hash, new_hash: secret_hash(&token), message: OutboxDraft { kind: "survey", to: l.email, subject, body } }
        })
        .collect();
    if store.remind_wave(&wave.org_id, &wave.id, &links, by, now_ms()).await? {
        Ok(links.len())
    } else {
        Err(ServiceError::Invalid("This wave is closed: nobody can be reminded.".into()))
    }
}

/// [`remind`] for an administrator, now.
pub async fn remind_now(store: &Store, caller: &Caller, wave_id: &str, base_url: &str) -> Result<usize, ServiceError> {
    require_admin(caller)?;
    let wave = store.wave(&caller.org_id, wave_id).await?.ok_or(ServiceError::NotFound)?;
    remind(store, &wave, Actor::User(&caller.user_id), base_url).await
}
