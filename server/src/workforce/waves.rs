//! Survey waves: an administrator sends a workforce instrument (the pulse)
//! to the current employees of chosen units; each gets a personal link;
//! answers are kept as the store's rules say (no link to the person, see
//! `crate::store` waves); results are group figures, every cell under 5
//! respondents suppressed, and so is every cell that could be worked out
//! from the others (`assessments::workforce::suppression`).

use std::collections::{BTreeMap, HashMap, HashSet};

use assessments::{
    responses::{RawAnswer, Responses},
    scored_session::score_classical_one,
    workforce::{
        groups::{mean_ci90, share_at_or_above, Interval},
        suppression::{lineage, subtree_totals, suppress_units},
    },
};

use crate::{
    catalog::Catalog,
    recruit::profile::english,
    secrets::{new_secret, secret_hash},
    service_error::ServiceError,
    staff::{require_admin, Caller},
    store::{NewWave, NewWaveLink, OutboxDraft, Store},
    time::{date_utc, now_ms, parse_date_utc},
};

/// A scale mean at or above this (on a 1–5 agreement scale: agreeing on
/// average) counts in the high band, e.g. "intends to leave".
pub const HIGH_BAND_FROM: f64 = 4.0;

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
}

/// The e-mail inviting an employee: what is collected, who sees what, and that they may skip anything.
fn invitation(name: &str, organisation: &str, link: &str, closes_on: &str) -> (String, String) {
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
    let closes_at = parse_date_utc(&form.closes_on).map(|d| d + 86_400_000).ok_or_else(|| ServiceError::Invalid("Please give the last day as YYYY-MM-DD.".into()))?;
    let now = now_ms();
    if closes_at <= now {
        return Err(ServiceError::Invalid("The last day has passed; choose a later one.".into()));
    }
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
            let link = format!("{}/survey/{token}", base_url.trim_end_matches('/'));
            let (subject, body) = invitation(&e.name, &organisation, &link, &form.closes_on);
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
    store
        .create_wave(&NewWave { id: &id, org_id: &caller.org_id, name, instrument, version, units: &units_json, invited: &invited_json, created_by: &caller.user_id, closes_at }, &links, now)
        .await?;
    Ok((id, links.len()))
}

/// Why a survey link cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum SurveyError {
    #[error("This link is not known. Please use the link from your e-mail.")]
    Unknown,
    #[error("Your answers have been sent. Thank you.")]
    Sent,
    #[error("This survey is closed.")]
    Closed,
    #[error("{0}")]
    Invalid(String),
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
}

/// The answers a link may keep: known items, values the item allows (an empty value: skipped).
fn checked(catalog: &Catalog, org_id: &str, instrument: &str, version: &str, answers: &[(String, String)]) -> Result<Vec<(String, String)>, SurveyError> {
    let entry = catalog.get_for(org_id, instrument, version).ok_or(SurveyError::Closed)?;
    let bank = &entry.bank;
    let mut probe = Responses::new(bank, "check");
    let mut out = Vec::new();
    for (item, value) in answers {
        let value = value.trim();
        if !value.is_empty() {
            let raw = RawAnswer::parse(bank, item, value).map_err(|_| SurveyError::Invalid(format!("{item}: not an answer this question takes.")))?;
            probe.set(bank, item, &raw).map_err(|_| SurveyError::Invalid(format!("{item}: not an answer this question takes.")))?;
        } else if bank.file().items.iter().all(|i| i.id != *item) {
            return Err(SurveyError::Invalid(format!("{item}: not a question of this survey.")));
        }
        out.push((item.clone(), value.to_string()));
    }
    Ok(out)
}

/// The link behind a token, open for answers.
async fn open_link(store: &Store, token: &str) -> Result<crate::store::WaveLinkRow, SurveyError> {
    let link = store.wave_link(&secret_hash(token)).await?.ok_or(SurveyError::Unknown)?;
    if link.answered != 0 {
        return Err(SurveyError::Sent);
    }
    if link.wave_status != "open" || link.closes_at <= now_ms() {
        return Err(SurveyError::Closed);
    }
    Ok(link)
}

/// Keeps answers in progress (resume later; an empty value skips).
pub async fn save(store: &Store, catalog: &Catalog, token: &str, answers: &[(String, String)]) -> Result<(), SurveyError> {
    let link = open_link(store, token).await?;
    let answers = checked(catalog, &link.org_id, &link.instrument, &link.version, answers)?;
    if store.save_wave_drafts(&link.token_hash, &answers, now_ms()).await? {
        Ok(())
    } else {
        Err(SurveyError::Closed)
    }
}

/// Keeps `answers`, then sends everything the link holds: from now on the
/// answers belong to nobody.
pub async fn send(store: &Store, catalog: &Catalog, token: &str, answers: &[(String, String)]) -> Result<(), SurveyError> {
    save(store, catalog, token, answers).await?;
    let hash = secret_hash(token);
    let kept: BTreeMap<String, String> = store.wave_drafts(&hash).await?.into_iter().collect();
    let now = now_ms();
    if store.send_wave_answers(&hash, &serde_json::json!(kept).to_string(), &date_utc(now), now).await? {
        Ok(())
    } else {
        Err(SurveyError::Sent)
    }
}

/// Closes a wave (administrators; audited).
pub async fn close(store: &Store, caller: &Caller, wave_id: &str) -> Result<(), ServiceError> {
    require_admin(caller)?;
    if store.close_wave(&caller.org_id, wave_id, crate::store::Actor::User(&caller.user_id), now_ms()).await? {
        Ok(())
    } else {
        Err(ServiceError::NotFound)
    }
}

/// One scale of one unit: the mean and the share in the high band, with their 90% intervals.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    pub mean: Interval,
    pub high: Interval,
}

/// One unit of the results; `None` where suppressed.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitResult {
    pub name: String,
    pub depth: usize,
    pub respondents: Option<u32>,
    /// Respondents per invited, only where the respondents may be shown.
    pub response_rate: Option<f64>,
    pub cells: Vec<Option<Cell>>,
}

/// A wave's results: scales (id, name) and units in tree order.
#[derive(Debug, Clone, PartialEq)]
pub struct WaveResults {
    pub scales: Vec<(String, String)>,
    pub units: Vec<UnitResult>,
    /// Responses in the results, when at least 5 (else nothing is shown, this total included).
    pub released: Option<usize>,
}

/// The heat map of a wave (administrators): units x scales, suppressed.
pub async fn results(store: &Store, catalog: &Catalog, caller: &Caller, wave_id: &str) -> Result<WaveResults, ServiceError> {
    require_admin(caller)?;
    let wave = store.wave(&caller.org_id, wave_id).await?.ok_or(ServiceError::NotFound)?;
    let entry = catalog.get_for(&caller.org_id, &wave.instrument, &wave.version).ok_or(ServiceError::NotFound)?;
    let bank = &entry.bank;
    let scales: Vec<(String, String)> = bank.file().scales.iter().map(|s| (s.id.clone(), english(&s.name))).collect();
    let units = store.org_units(&caller.org_id).await?;
    let tree = super::UnitTree::of(&units);
    let parents = &tree.parents;
    // Each response's scale means, by its unit.
    let mut by_unit: Vec<Vec<Vec<Option<f64>>>> = vec![Vec::new(); units.len()];
    let responses = store.wave_responses(&caller.org_id, wave_id).await?;
    for r in &responses {
        let Some(u) = tree.position(&r.unit_id) else { continue };
        let answers: BTreeMap<String, String> = serde_json::from_str(&r.answers).unwrap_or_default();
        let mut person = Responses::new(bank, "respondent");
        for (item, value) in &answers {
            if let Ok(raw) = RawAnswer::parse(bank, item, value) {
                let _ = person.set(bank, item, &raw);
            }
        }
        let scored = score_classical_one(bank, None, &person).map_err(|e| ServiceError::Misconfigured(e.to_string()))?;
        by_unit[u].push(scales.iter().map(|(id, _)| scored.scores.scales.iter().find(|s| &s.scale == id).and_then(|s| s.raw)).collect());
    }
    let direct: Vec<u32> = by_unit.iter().map(|v| v.len() as u32).collect();
    let total = subtree_totals(parents, &direct);
    let shown = suppress_units(parents, &direct);
    let invited: BTreeMap<String, u32> = serde_json::from_str(&wave.invited).unwrap_or_default();
    let invited_direct: Vec<u32> = units.iter().map(|u| invited.get(&u.id).copied().unwrap_or(0)).collect();
    let invited_total = subtree_totals(parents, &invited_direct);
    // Each unit's responses with everybody below it.
    let mut members: Vec<Vec<&Vec<Option<f64>>>> = vec![Vec::new(); units.len()];
    for (d, responses) in by_unit.iter().enumerate() {
        for a in lineage(parents, d) {
            members[a].extend(responses.iter());
        }
    }
    let mut out = Vec::new();
    for (i, depth) in tree.in_order() {
        if invited_total[i] == 0 {
            continue; // not in this wave
        }
        let cells = if shown[i] {
            (0..scales.len())
                .map(|s| {
                    let values: Vec<f64> = members[i].iter().filter_map(|m| m[s]).collect();
                    Some(Cell { mean: mean_ci90(&values)?, high: share_at_or_above(&values, HIGH_BAND_FROM)? })
                })
                .collect()
        } else {
            vec![None; scales.len()]
        };
        out.push(UnitResult {
            name: units[i].name.clone(),
            depth,
            respondents: shown[i].then_some(total[i]),
            response_rate: shown[i].then(|| f64::from(total[i]) / f64::from(invited_total[i].max(1))),
            cells,
        });
    }
    let released = (responses.len() >= assessments::workforce::suppression::MIN_GROUP as usize).then_some(responses.len());
    Ok(WaveResults { scales, units: out, released })
}
