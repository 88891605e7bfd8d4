//! The norm builder: a psychologist chooses completed sessions of a bank
//! version (campaign, dates, validity; invalid sessions never count), sees
//! per scale N, mean, SD, skewness, reliability and the distribution of raw
//! and theta scores, and freezes them, described, as a new norm table that
//! the organisation's campaigns can then choose. The numbers are those of
//! `vigil norms build` (`assessments::norms`); the publication rule is
//! `assessments::norms::describe::norm_findings`. No identity is read.

use assessments::norms::{
    build_norm_table_from,
    describe::{histogram, norm_findings, skewness, Bin, NormFindings},
    norm_quality, norm_scores, NormMeta, NormQuality, NormScale, NormTable,
};

use super::{require_author, ServiceError};
use crate::{
    catalog::Catalog,
    item_analysis::filter_from_fields,
    staff::Caller,
    store::{NewNormTable, NormTableRow, SheetFilter, Store},
    time::{date_utc, now_ms},
};

/// Bins of each histogram.
const BINS: usize = 20;

/// Which sessions: a bank version and a selection (never invalid ones).
#[derive(Debug, Clone, PartialEq)]
pub struct NormSelection {
    pub instrument: String,
    pub version: String,
    pub filter: SheetFilter,
}

impl NormSelection {
    /// From the form's or query's fields (`bank` = instrument@version,
    /// `campaign`, `from`, `to`, `validity` = ok, caution or empty for both).
    pub fn from_fields(fields: &[(String, String)]) -> Result<Option<NormSelection>, ServiceError> {
        let bank = fields.iter().find(|(k, _)| k == "bank").map(|(_, v)| v.trim()).unwrap_or("");
        if bank.is_empty() {
            return Ok(None);
        }
        let (instrument, version) = bank.split_once('@').ok_or_else(|| ServiceError::Invalid("Choose a bank version.".into()))?;
        let mut filter = filter_from_fields(fields).map_err(ServiceError::Invalid)?;
        if filter.validity.as_deref() == Some("invalid") {
            return Err(ServiceError::Invalid("A norm group never includes sessions with invalid answers.".into()));
        }
        filter.exclude_invalid = true;
        Ok(Some(NormSelection { instrument: instrument.to_string(), version: version.to_string(), filter }))
    }
}

/// One score's distribution in the group.
#[derive(Debug, Clone, PartialEq)]
pub struct Distribution {
    pub n: u64,
    pub mean: f64,
    pub sd: f64,
    pub skew: Option<f64>,
    pub reliability: f64,
    pub histogram: Vec<Bin>,
}

/// One scale of the group: raw scores, and theta when calibrated.
#[derive(Debug, Clone, PartialEq)]
pub struct ScaleSummary {
    pub scale: String,
    pub name: String,
    pub quality: NormQuality,
    pub raw: Distribution,
    pub theta: Option<Distribution>,
}

/// What the group would give, and whether it may be published.
#[derive(Debug, Clone, PartialEq)]
pub struct NormPreview {
    pub selection: NormSelection,
    pub title: String,
    pub sessions: usize,
    pub first_day: Option<String>,
    pub last_day: Option<String>,
    pub scales: Vec<ScaleSummary>,
    pub findings: NormFindings,
    /// The table as it would be frozen (with a placeholder description).
    table: Option<NormTable>,
}

/// The builder's page: what may be chosen, the organisation's tables, and
/// the preview of a selection.
#[derive(Debug, Clone, PartialEq)]
pub struct NormPage {
    /// `(instrument@version, title)` of the versions with per-person results.
    pub banks: Vec<(String, String)>,
    /// `(id, name)` of the organisation's campaigns.
    pub campaigns: Vec<(String, String)>,
    pub tables: Vec<NormTableRow>,
    pub preview: Option<NormPreview>,
}

fn distribution(scale: &NormScale, scores: &[f64]) -> Distribution {
    Distribution { n: scale.n, mean: scale.mean, sd: scale.sd, skew: skewness(scores), reliability: scale.reliability, histogram: histogram(scores, BINS) }
}

const PREVIEW_ID: &str = "preview";

/// Reads the selected sessions and computes the table they would give,
/// off the async threads (a low-priority thread, as item analysis).
async fn compute(store: &Store, catalog: &Catalog, caller: &Caller, selection: NormSelection) -> Result<NormPreview, ServiceError> {
    let entry = catalog.get_for(&caller.org_id, &selection.instrument, &selection.version).filter(|e| e.bank.reports_individuals()).ok_or(ServiceError::NotFound)?;
    let rows = store.sheet_records(&caller.org_id, &selection.instrument, &selection.version, &selection.filter).await?;
    let first_day = rows.first().map(|(at, _)| date_utc(*at));
    let last_day = rows.last().map(|(at, _)| date_utc(*at));
    let title = entry.bank.file().instrument.title.get("en").cloned().unwrap_or_else(|| selection.instrument.clone());
    let sessions = rows.len();
    let threads = crate::jobs::cpu_threads();
    let computed = crate::jobs::run_cpu_bound("norm builder", move || -> Result<(Vec<ScaleSummary>, Option<NormTable>), String> {
        let bank = &entry.bank;
        let records: Vec<&str> = rows.iter().map(|(_, r)| r.as_str()).collect();
        let responses = crate::sheets::read_records(bank, &records, threads)?;
        if responses.len() < 2 {
            return Ok((Vec::new(), None));
        }
        let scores = norm_scores(bank, &responses).map_err(|e| e.to_string())?;
        let meta = NormMeta { id: PREVIEW_ID.into(), demonstration: false, group: Default::default(), country: String::new(), role_family: String::new(), collected_from: String::new(), collected_to: String::new() };
        let table = match build_norm_table_from(bank, &responses, &scores, &meta) {
            Ok(t) => t,
            Err(e) => return Err(e.to_string()),
        };
        let scales = table
            .scales
            .iter()
            .enumerate()
            .map(|(i, s)| ScaleSummary {
                scale: s.scale.clone(),
                name: bank.scale(&s.scale).and_then(|d| d.name.get("en").cloned()).unwrap_or_else(|| s.scale.clone()),
                quality: norm_quality(s.n),
                raw: distribution(s, scores.raw.get(i).map_or(&[][..], Vec::as_slice)),
                theta: table.theta_scale(&s.scale).and_then(|t| scores.theta.iter().find(|(id, _, _)| *id == s.scale).map(|(_, xs, _)| distribution(t, xs))),
            })
            .collect();
        Ok((scales, Some(table)))
    })
    .await
    .map_err(|e| ServiceError::Misconfigured(e.message))?;
    let (scales, table, problem) = match computed {
        Ok((scales, table)) => (scales, table, None),
        Err(problem) => (Vec::new(), None, Some(problem)),
    };
    let mut findings = table.as_ref().map(norm_findings).unwrap_or_default();
    if table.is_none() {
        findings.refusals.push(match problem {
            Some(p) => format!("These sessions cannot be normed: {p}."),
            None => format!("{sessions} session(s) match; a norm table needs at least 200."),
        });
    }
    Ok(NormPreview { selection, title, sessions, first_day, last_day, scales, findings, table })
}

/// The builder's page, with the preview of `selection` when one is chosen.
pub async fn page(store: &Store, catalog: &Catalog, caller: &Caller, selection: Option<NormSelection>) -> Result<NormPage, ServiceError> {
    require_author(caller)?;
    let banks = super::person_level_versions(catalog, &caller.org_id);
    let campaigns = store.campaigns_of(&caller.org_id).await?.into_iter().map(|c| (c.id, c.name)).collect();
    let tables = store.norm_tables_of(&caller.org_id).await?;
    let preview = match selection {
        Some(s) => Some(compute(store, catalog, caller, s).await?),
        None => None,
    };
    Ok(NormPage { banks, campaigns, tables, preview })
}

/// How the psychologist describes the group (every field required).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct GroupDescription {
    pub id: String,
    /// The group's name per language of the bank.
    pub group: std::collections::BTreeMap<String, String>,
    pub population: String,
    pub country: String,
    pub role_family: String,
    pub sampling: String,
}

fn described(d: &GroupDescription, languages: &[String]) -> Result<(), ServiceError> {
    let mut missing = Vec::new();
    for (field, value) in [("a short name (id)", &d.id), ("the population", &d.population), ("the country", &d.country), ("the role family", &d.role_family), ("how the sessions were sampled", &d.sampling)] {
        if value.trim().is_empty() {
            missing.push(field.to_string());
        }
    }
    for lang in languages {
        if d.group.get(lang).is_none_or(|g| g.trim().is_empty()) {
            missing.push(format!("the group's name in {lang}"));
        }
    }
    if !missing.is_empty() {
        return Err(ServiceError::Invalid(format!("Please describe the norm group: {} missing.", missing.join(", "))));
    }
    if !assessments::norms::is_valid_norm_id(d.id.trim()) {
        return Err(ServiceError::Invalid(format!("\"{}\" cannot be a norm table's short name: use lowercase letters, digits and dashes.", d.id.trim())));
    }
    if [&d.population, &d.country, &d.role_family, &d.sampling].iter().any(|v| v.chars().count() > 500) {
        return Err(ServiceError::Invalid("Each description may have at most 500 characters.".into()));
    }
    Ok(())
}

/// Freezes the selected group as a new norm table of the organisation;
/// refused (nothing stored) when the rule refuses it or the description is
/// incomplete. Demonstration organisations' tables are marked as such.
pub async fn publish(store: &Store, catalog: &Catalog, caller: &Caller, selection: NormSelection, description: &GroupDescription) -> Result<String, ServiceError> {
    require_author(caller)?;
    let entry = catalog.get_for(&caller.org_id, &selection.instrument, &selection.version).ok_or(ServiceError::NotFound)?;
    described(description, &entry.bank.file().instrument.languages)?;
    let id = description.id.trim().to_string();
    if entry.norms_for(&caller.org_id).any(|t| t.id == id) {
        return Err(ServiceError::Invalid(format!("{} {} already has a norm table called {id}; choose another name.", selection.instrument, selection.version)));
    }
    let preview = compute(store, catalog, caller, selection.clone()).await?;
    if !preview.findings.refusals.is_empty() {
        return Err(ServiceError::Invalid(format!("This group cannot be published as a norm table: {}", preview.findings.refusals.join(" "))));
    }
    let mut table = preview.table.ok_or_else(|| ServiceError::Invalid("These sessions cannot be normed.".into()))?;
    let demo = store.organisation_is_demo(&caller.org_id).await?;
    table.id = id.clone();
    table.demonstration = demo;
    table.group = description.group.iter().map(|(l, g)| (l.clone(), g.trim().to_string())).collect();
    table.country = description.country.trim().to_string();
    table.role_family = description.role_family.trim().to_string();
    table.population = Some(description.population.trim().to_string());
    table.sampling = Some(description.sampling.trim().to_string());
    table.collected_from = preview.first_day.clone().unwrap_or_default();
    table.collected_to = preview.last_day.clone().unwrap_or_default();
    table.content_hash = None;
    table.content_hash = Some(table.computed_hash().map_err(|e| ServiceError::Misconfigured(e.to_string()))?);
    let source = table.to_toml().map_err(|e| ServiceError::Misconfigured(e.to_string()))?;
    // What is stored must read back as a valid table of this bank version.
    let parsed = NormTable::parse(&source, &id, &entry.bank).map_err(|e| ServiceError::Misconfigured(e.to_string()))?;
    let hash = parsed.content_hash.clone().unwrap_or_default();
    let selection_json = serde_json::to_string(&selection.filter).unwrap_or_default();
    store
        .insert_norm_table(NewNormTable {
            org_id: &caller.org_id,
            instrument: &selection.instrument,
            version: &selection.version,
            id: &id,
            source: &source,
            content_hash: &hash,
            sessions: preview.sessions as i64,
            selection: &selection_json,
            user_id: &caller.user_id,
            now: now_ms(),
        })
        .await?;
    catalog.add_norm_table(&caller.org_id, parsed);
    caller.audit(store, "norms.published", "norm_table", &id, serde_json::json!({ "bank": format!("{}@{}", selection.instrument, selection.version), "sessions": preview.sessions, "content_hash": hash })).await?;
    Ok(id)
}
