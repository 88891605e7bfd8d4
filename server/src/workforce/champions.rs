//! Security champions who choose to step forward. An employee asks for a
//! link to their own page (by their work e-mail), takes the Security
//! Values Inventory for themselves (the same instrument and scoring as in
//! hiring), reads their own strengths report first, and may then choose to
//! be listed as a possible security champion with the strengths they choose
//! to share. The security role sees only those listed and what they
//! shared; withdrawing removes it at once. Nothing here restricts anyone's
//! access or feeds a decision about them.

use std::{collections::BTreeMap, sync::Arc};

use assessments::{
    bank::{ScaleKind, Text},
    norms::{derived::BandLabel, NormTable},
    scored_session::score_classical_one,
};
use serde::Serialize;

use super::{insight::require_workforce_reader, survey::checked};
use crate::{
    catalog::{semver_key, Catalog, CatalogEntry},
    secrets::{new_secret, secret_hash},
    service_error::ServiceError,
    staff::Caller,
    store::{ChampionRow, EmployeeAccess, OutboxDraft, Store},
    time::{date_utc, now_ms},
};

/// The instrument employees take for themselves.
pub const SELF_INSTRUMENT: &str = "svi";

/// Why the employee page cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum SelfError {
    #[error("This link is not known or has expired. Ask for a new one with your work e-mail address.")]
    Unknown,
    #[error("{0}")]
    Invalid(String),
    #[error("The inventory is not available in your organisation at the moment.")]
    Unavailable,
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
}

impl From<super::survey::SurveyError> for SelfError {
    fn from(e: super::survey::SurveyError) -> Self {
        match e {
            super::survey::SurveyError::Store(s) => SelfError::Store(s),
            other => SelfError::Invalid(other.to_string()),
        }
    }
}

/// The e-mail with an employee's link.
fn link_message(name: &str, organisation: &str, link: &str) -> (String, String) {
    (
        format!("{organisation}: your link to Vigil"),
        format!(
            "Hello {name},\n\nHere is your personal link to Vigil, where you can take the Security Values Inventory for yourself, read your own report, \
             choose whether to offer yourself as a security champion, and download what Vigil holds about you. It works for 7 days; do not pass it on.\n\n{link}\n\n\
             If you did not ask for it, you can ignore this e-mail.\n"
        ),
    )
}

/// Sends a link to each current employee with this e-mail (in any
/// organisation). The answer is the same whether or not anyone matched, so
/// the form tells nobody who works where.
pub async fn request_link(store: &Store, email: &str, base_url: &str) -> Result<(), SelfError> {
    let email = email.trim().to_lowercase();
    if email.is_empty() || email.len() > 254 || !email.contains('@') {
        return Err(SelfError::Invalid("Please give your work e-mail address.".into()));
    }
    let now = now_ms();
    for (org_id, employee_id, name) in store.current_employees_by_email(&email).await? {
        let organisation = store.organisation(&org_id).await?.map(|o| o.name).unwrap_or_default();
        let token = new_secret();
        let (subject, body) = link_message(&name, &organisation, &format!("{}/me/{token}", base_url.trim_end_matches('/')));
        store.create_employee_link(&org_id, &employee_id, &secret_hash(&token), &OutboxDraft { kind: "survey", to: email.clone(), subject, body }, now).await?;
    }
    Ok(())
}

/// The employee behind a link.
pub async fn access(store: &Store, token: &str) -> Result<EmployeeAccess, SelfError> {
    store.employee_access(&secret_hash(token), now_ms()).await?.ok_or(SelfError::Unknown)
}

/// The version of the inventory an employee takes: the newest fixed form
/// the organisation may use (an adaptive bank holds far more items than
/// anyone answers, and a self-report here has no adaptive engine behind it).
pub fn instrument_for(catalog: &Catalog, org_id: &str) -> Option<Arc<CatalogEntry>> {
    catalog
        .entries_for(org_id)
        .into_iter()
        .filter(|e| e.bank.file().instrument.id == SELF_INSTRUMENT && e.bank.file().cat.is_none())
        .filter(|e| e.bank.file().instrument.intended_use.iter().all(|u| u.reports_individuals()))
        .max_by_key(|e| semver_key(&e.bank.file().instrument.version))
}

/// The norms an employee's report uses: the organisation's workforce norms
/// where built, otherwise the first shipped (demonstration) table.
pub fn self_norms<'a>(entry: &'a CatalogEntry, org_id: &str) -> Option<&'a NormTable> {
    let workforce = |n: &&NormTable| [Some(n.role_family.as_str()), n.population.as_deref()].into_iter().flatten().any(|s| s.to_lowercase().contains("workforce") || s.to_lowercase().contains("employee"));
    entry.norms_for(org_id).find(|n| workforce(n) && n.theta_scales.is_empty()).or_else(|| entry.norms.first())
}

/// One scale of the employee's own report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OwnScale {
    pub id: String,
    pub name: String,
    pub description: String,
    pub t: i32,
    /// The 90% band in T.
    pub band: [i32; 2],
    pub percentile: f64,
    pub label: BandLabel,
    /// Where a high score means more of something good to offer (not risk-taking).
    pub strength: bool,
}

/// The employee's own report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OwnReport {
    pub scales: Vec<OwnScale>,
    pub norm_group: String,
    pub demonstration_norms: bool,
}

fn english(t: &Text) -> String {
    crate::recruit::profile::english(t)
}

/// Whether a high score on this scale is a strength to offer (risk-taking is not).
fn counts_as_strength(id: &str, kind: ScaleKind) -> bool {
    kind == ScaleKind::Trait && id != "risk_propensity"
}

/// Scores the answers with the same scoring as hiring, against [`self_norms`].
pub fn own_report(entry: &CatalogEntry, org_id: &str, answers: &BTreeMap<String, String>) -> Option<OwnReport> {
    let bank = &entry.bank;
    let norms = self_norms(entry, org_id)?;
    let mut person = assessments::responses::Responses::new(bank, "self");
    for (item, value) in answers {
        if let Ok(raw) = assessments::responses::RawAnswer::parse(bank, item, value) {
            let _ = person.set(bank, item, &raw);
        }
    }
    let scored = score_classical_one(bank, Some(norms), &person).ok()?;
    let scales = scored
        .scores
        .scales
        .iter()
        .filter_map(|s| {
            let def = bank.scale(&s.scale)?;
            if def.kind != ScaleKind::Trait {
                return None;
            }
            let n = s.normed.as_ref()?;
            Some(OwnScale {
                id: s.scale.clone(),
                name: english(&def.name),
                description: def.description.as_ref().map(english).unwrap_or_default(),
                t: n.point.t,
                band: n.band90.t,
                percentile: n.point.percentile,
                label: n.label,
                strength: counts_as_strength(&s.scale, def.kind),
            })
        })
        .collect();
    Some(OwnReport { scales, norm_group: english(&norms.group), demonstration_norms: norms.demonstration })
}

/// What the employee's page shows.
pub struct OwnPage {
    pub access: EmployeeAccess,
    pub entry: Arc<CatalogEntry>,
    pub saved: BTreeMap<String, String>,
    pub report: Option<OwnReport>,
    /// Listed as a champion: the shared strengths (scale id → band) and the note.
    pub listing: Option<(BTreeMap<String, String>, Option<String>)>,
}

/// The employee's page.
pub async fn page(store: &Store, catalog: &Catalog, token: &str) -> Result<OwnPage, SelfError> {
    let access = access(store, token).await?;
    let entry = instrument_for(catalog, &access.org_id).ok_or(SelfError::Unavailable)?;
    let (saved, completed) = match store.self_assessment(&access.employee_id).await? {
        Some(row) if row.instrument == entry.bank.file().instrument.id && row.version == entry.bank.file().instrument.version => {
            (serde_json::from_str(&row.answers).unwrap_or_default(), row.completed_at.is_some())
        }
        _ => (BTreeMap::new(), false),
    };
    let report = if completed { own_report(&entry, &access.org_id, &saved) } else { None };
    let listing = store.champion_listing(&access.employee_id).await?.map(|(shared, note, _)| (serde_json::from_str(&shared).unwrap_or_default(), note));
    Ok(OwnPage { access, entry, saved, report, listing })
}

/// Keeps the employee's answers; `send`: scores them (every scale needs enough answers).
pub async fn save_answers(store: &Store, catalog: &Catalog, token: &str, answers: &[(String, String)], send: bool) -> Result<(), SelfError> {
    let own = page(store, catalog, token).await?;
    let file = own.entry.bank.file();
    let answers = checked(&own.entry.bank, answers)?;
    let mut all = own.saved.clone();
    for (item, value) in answers {
        if value.is_empty() {
            all.remove(&item);
        } else {
            all.insert(item, value);
        }
    }
    if send {
        let report = own_report(&own.entry, &own.access.org_id, &all).ok_or(SelfError::Unavailable)?;
        let traits = file.scales.iter().filter(|s| s.kind == ScaleKind::Trait).count();
        if report.scales.len() < traits {
            return Err(SelfError::Invalid("Some parts have too few answers to describe. Please answer a few more statements, then send again.".into()));
        }
    }
    let json = serde_json::to_string(&all).map_err(|e| SelfError::Invalid(e.to_string()))?;
    store.save_self_assessment(&own.access.org_id, &own.access.employee_id, &file.instrument.id, &file.instrument.version, &json, send, now_ms()).await?;
    Ok(())
}

/// Lists the employee as a possible champion with the strengths they chose
/// (only scales of their report that count as strengths), and a note.
pub async fn opt_in(store: &Store, catalog: &Catalog, token: &str, share: &[String], note: &str) -> Result<(), SelfError> {
    let own = page(store, catalog, token).await?;
    let report = own.report.ok_or_else(|| SelfError::Invalid("Please take the inventory and read your report first.".into()))?;
    let mut shared = BTreeMap::new();
    for id in share {
        let scale = report.scales.iter().find(|s| &s.id == id && s.strength).ok_or_else(|| SelfError::Invalid("Please choose among the strengths of your report.".into()))?;
        shared.insert(scale.id.clone(), band_word(scale.label).to_string());
    }
    let note = note.trim();
    if note.chars().count() > 500 {
        return Err(SelfError::Invalid("Please keep the note to 500 characters.".into()));
    }
    let json = serde_json::to_string(&shared).map_err(|e| SelfError::Invalid(e.to_string()))?;
    store.list_champion(&own.access.org_id, &own.access.employee_id, &json, (!note.is_empty()).then_some(note), now_ms()).await?;
    Ok(())
}

/// Removes the employee's listing at once.
pub async fn withdraw(store: &Store, token: &str) -> Result<(), SelfError> {
    let a = access(store, token).await?;
    store.withdraw_champion(&a.org_id, &a.employee_id, now_ms()).await?;
    Ok(())
}

/// Deletes the employee's inventory and listing.
pub async fn delete_own(store: &Store, token: &str) -> Result<(), SelfError> {
    let a = access(store, token).await?;
    store.delete_self_assessment(&a.org_id, &a.employee_id, now_ms()).await?;
    Ok(())
}

/// How a band reads, in plain words.
pub fn band_word(label: BandLabel) -> &'static str {
    match label {
        BandLabel::Low => "less pronounced than in most of the reference group",
        BandLabel::Average => "about as pronounced as in most of the reference group",
        BandLabel::High => "more pronounced than in most of the reference group",
    }
}

/// Everything Vigil holds about the employee, as JSON.
pub async fn own_data(store: &Store, token: &str) -> Result<serde_json::Value, SelfError> {
    let a = access(store, token).await?;
    let own = store.self_assessment(&a.employee_id).await?;
    let listing = store.champion_listing(&a.employee_id).await?;
    let participation = store.participation_of(&a.org_id, &a.employee_id).await?;
    Ok(serde_json::json!({
        "exported_on": date_utc(now_ms()),
        "organisation": a.organisation,
        "employee": { "name": a.name, "email": a.email, "unit": a.unit, "location": a.location, "tenure_band": a.tenure_band },
        "survey_participation": participation.iter().map(|(wave, answered)| serde_json::json!({ "wave": wave, "answered": *answered != 0 })).collect::<Vec<_>>(),
        "survey_answers": "Survey answers are stored without any link to you, so they cannot be found or exported as yours.",
        "security_values_inventory": own.map(|o| serde_json::json!({
            "instrument": format!("{}@{}", o.instrument, o.version),
            "answers": serde_json::from_str::<serde_json::Value>(&o.answers).unwrap_or_default(),
            "sent_on": o.completed_at.map(date_utc),
        })),
        "champion_listing": listing.map(|(shared, note, at)| serde_json::json!({ "shared": serde_json::from_str::<serde_json::Value>(&shared).unwrap_or_default(), "note": note, "listed_on": date_utc(at) })),
    }))
}

/// The champions list (security and administrators): only who opted in and what they shared.
pub async fn champions(store: &Store, caller: &Caller) -> Result<Vec<ChampionRow>, ServiceError> {
    require_workforce_reader(caller)?;
    Ok(store.champions_of(&caller.org_id).await?)
}
