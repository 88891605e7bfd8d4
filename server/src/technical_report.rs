//! The technical report of an instrument version, for psychologists and
//! administrators (ITC and EFPA ask for one): purpose and intended use,
//! what scores can and cannot tell, the item and scale statistics, their
//! reliability and structure, the adaptive test's efficiency, the norm
//! groups, and where every number comes from. Collected sessions of the
//! organisation when there are at least 100; otherwise simulated
//! respondents of the bank's population model, each number labelled so.
//! Computed off the async threads and kept while the data stay the same.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex, OnceLock},
};

use assessments::{
    simulate::{SimulationOptions, Simulator},
    technical::{technical_numbers, TechnicalNumbers},
};

use crate::{catalog::Catalog, service_error::ServiceError, staff::Caller, store::{SheetFilter, Store}, time::date_utc};

/// Collected sessions needed before the report uses them instead of a simulation.
pub const MIN_COLLECTED: i64 = 100;
/// Simulated respondents, and simulated candidates of the adaptive study.
pub const SIMULATED: usize = 1000;
pub const CAT_STUDY: usize = 300;
pub const SEED: u64 = 20_261_206;

/// Where the numbers come from.
#[derive(Debug, Clone, PartialEq)]
pub enum DataSource {
    Collected { sessions: usize, first_day: String, last_day: String },
    Simulated { respondents: usize, seed: u64 },
    /// Neither collected sessions nor a population model.
    Nothing { sessions: i64 },
}

/// One norm group as the report describes it.
#[derive(Debug, Clone, PartialEq)]
pub struct NormGroup {
    pub id: String,
    pub group: String,
    pub population: Option<String>,
    pub country: String,
    pub role_family: String,
    pub collected: String,
    pub n: u64,
    pub demonstration: bool,
}

#[derive(Debug, Clone)]
pub struct TechnicalReport {
    pub instrument: String,
    pub version: String,
    pub title: String,
    pub content_hash: String,
    pub intended_use: Vec<String>,
    pub languages: Vec<String>,
    pub items: usize,
    pub calibration: Option<String>,
    /// `(id, name, kind)` per scale, in the bank's order.
    pub scales: Vec<(String, String, String)>,
    pub source: DataSource,
    pub numbers: Option<TechnicalNumbers>,
    pub norms: Vec<NormGroup>,
}

type Key = (String, String, String, i64, Option<i64>);

fn cache() -> &'static Mutex<HashMap<Key, Arc<TechnicalReport>>> {
    static CACHE: OnceLock<Mutex<HashMap<Key, Arc<TechnicalReport>>>> = OnceLock::new();
    CACHE.get_or_init(|| Mutex::new(HashMap::new()))
}

/// The report of a version the organisation may use.
pub async fn report(store: &Store, catalog: &Catalog, caller: &Caller, instrument: &str, version: &str) -> Result<Arc<TechnicalReport>, ServiceError> {
    if !caller.role.may_analyse() {
        return Err(ServiceError::Forbidden);
    }
    let entry = catalog.get_for(&caller.org_id, instrument, version).ok_or(ServiceError::NotFound)?;
    let collected = store.sheets_version(&caller.org_id, instrument, version, &SheetFilter::default()).await?;
    let key: Key = (caller.org_id.clone(), instrument.to_string(), version.to_string(), collected.sessions, collected.last_completed_at);
    if let Some(found) = cache().lock().ok().and_then(|c| c.get(&key).cloned()) {
        return Ok(found);
    }
    let bank = &entry.bank;
    let file = bank.file();
    let rows = if collected.sessions >= MIN_COLLECTED && entry.bank.reports_individuals() { store.sheet_records(&caller.org_id, instrument, version, &SheetFilter::default()).await? } else { Vec::new() };
    let source = match (&rows[..], &entry.model) {
        ([first, .., last], _) => DataSource::Collected { sessions: rows.len(), first_day: date_utc(first.0), last_day: date_utc(last.0) },
        (_, Some(_)) => DataSource::Simulated { respondents: SIMULATED, seed: SEED },
        _ => DataSource::Nothing { sessions: collected.sessions },
    };
    let worked_on = entry.clone();
    let threads = crate::jobs::cpu_threads();
    let numbers = match source {
        DataSource::Nothing { .. } => None,
        _ => crate::jobs::run_cpu_bound("technical report", move || -> Result<TechnicalNumbers, String> {
            let bank = &worked_on.bank;
            let sessions = match &worked_on.model {
                Some(model) if rows.is_empty() => Simulator::new(bank, model).map_err(|e| e.to_string())?.simulate(&SimulationOptions { n: SIMULATED, seed: SEED, ..SimulationOptions::default() }).into_iter().map(|p| p.responses).collect(),
                _ => crate::sheets::read_records(bank, &rows.iter().map(|(_, r)| r.as_str()).collect::<Vec<_>>(), threads)?,
            };
            let cat = worked_on.adaptive.as_ref().map(|a| (&a.pool, &a.config, CAT_STUDY, SEED));
            Ok(technical_numbers(bank, &sessions, threads, cat))
        })
        .await
        .map_err(|e| ServiceError::Misconfigured(e.message))?
        .map(Some)
        .map_err(ServiceError::Misconfigured)?,
    };
    let english = |t: &assessments::bank::Text| t.get("en").or_else(|| t.values().next()).cloned().unwrap_or_default();
    let report = Arc::new(TechnicalReport {
        instrument: instrument.to_string(),
        version: version.to_string(),
        title: english(&file.instrument.title),
        content_hash: bank.content_hash().to_string(),
        intended_use: file.instrument.intended_use.iter().map(|u| format!("{u:?}").to_lowercase()).collect(),
        languages: file.instrument.languages.clone(),
        items: bank.items().len(),
        calibration: file.instrument.calibration.as_ref().map(|c| format!("{}{}", c.kind, c.note.as_ref().map(|n| format!(": {n}")).unwrap_or_default())),
        scales: bank.scales().iter().map(|s| (s.id.clone(), english(&s.name), format!("{:?}", s.kind).to_lowercase())).collect(),
        source,
        numbers,
        norms: entry
            .norms_for(&caller.org_id)
            .map(|t| NormGroup {
                id: t.id.clone(),
                group: english(&t.group),
                population: t.population.clone(),
                country: t.country.clone(),
                role_family: t.role_family.clone(),
                collected: format!("{} to {}", t.collected_from, t.collected_to),
                n: t.scales.iter().map(|s| s.n).min().unwrap_or(0),
                demonstration: t.demonstration,
            })
            .collect(),
    });
    if let Ok(mut c) = cache().lock() {
        if c.len() > 64 {
            c.clear();
        }
        c.insert(key, report.clone());
    }
    Ok(report)
}
