//! The psychologist's fairness check (psychologists and administrators): for
//! a bank version (one campaign or all) and one group variable, each
//! group's size, every group against a reference group (adverse impact at a
//! cut on a scale's reported T, standardised mean differences of T per
//! scale) and Mantel-Haenszel DIF of every item. The scores are those
//! recruiters read (CTT or IRT by the one rule); invalid sessions never
//! count; no figure stands for fewer than 5 people (`assessments::fairness`).
//! No identity is read.

use std::collections::BTreeMap;

use assessments::{
    bank::ScaleKind,
    fairness::{compare_groups, item_dif, Cut, GroupComparison, ItemDif, Person},
};

use super::variables::{variable, Variable, VARIABLES};
use crate::{
    catalog::Catalog,
    scoring::read::read_session,
    service_error::ServiceError,
    staff::Caller,
    store::{CampaignScoreRow, Store},
    workbench::{person_level_versions, require_author},
};

/// Score records are read this many sessions at a time.
const SESSIONS_PER_READ: usize = 500;

/// What to compare.
#[derive(Debug, Clone, PartialEq)]
pub struct FairnessQuery {
    pub instrument: String,
    pub version: String,
    pub campaign_id: Option<String>,
    pub variable: &'static Variable,
    /// The reference group asked for (else the largest).
    pub reference: Option<String>,
    pub cut: Option<Cut>,
}

fn field<'a>(fields: &'a [(String, String)], name: &str) -> &'a str {
    fields.iter().find(|(k, _)| k == name).map_or("", |(_, v)| v.trim())
}

impl FairnessQuery {
    /// From the page's query (`bank` = instrument@version, `campaign`,
    /// `variable`, `reference`, `cut_scale`, `cut`); `None` until a bank is chosen.
    pub fn from_fields(fields: &[(String, String)]) -> Result<Option<FairnessQuery>, ServiceError> {
        let bank = field(fields, "bank");
        if bank.is_empty() {
            return Ok(None);
        }
        let (instrument, version) = bank.split_once('@').ok_or_else(|| ServiceError::Invalid("Choose a bank version.".into()))?;
        let variable = variable(field(fields, "variable")).ok_or_else(|| ServiceError::Invalid("Choose one of the group questions.".into()))?;
        let reference = Some(field(fields, "reference")).filter(|r| !r.is_empty()).map(str::to_string);
        if reference.as_deref().is_some_and(|r| variable.choice(r).is_none()) {
            return Err(ServiceError::Invalid(format!("The reference group is not one of the answers to \"{}\".", variable.name)));
        }
        let cut = match (field(fields, "cut_scale"), field(fields, "cut")) {
            ("", _) | (_, "") => None,
            (scale, at) => {
                let at: f64 = at.parse().ok().filter(|t: &f64| (20.0..=80.0).contains(t)).ok_or_else(|| ServiceError::Invalid("A cut score is a T score from 20 to 80.".into()))?;
                Some(Cut { scale: scale.to_string(), at })
            }
        };
        let campaign_id = Some(field(fields, "campaign")).filter(|c| !c.is_empty()).map(str::to_string);
        Ok(Some(FairnessQuery { instrument: instrument.into(), version: version.into(), campaign_id, variable, reference, cut }))
    }
}

/// The comparison of one query.
#[derive(Debug, Clone, PartialEq)]
pub struct FairnessResult {
    pub query: FairnessQuery,
    pub title: String,
    /// `(scale id, name)` of the scales with a reported T, in the bank's order.
    pub scales: Vec<(String, String)>,
    pub comparison: GroupComparison,
    /// Per focal group (in the comparison's order), every item's DIF against the reference.
    pub items: Vec<Vec<ItemDif>>,
}

/// The page: what may be chosen, and the result of a query.
#[derive(Debug, Clone, PartialEq)]
pub struct FairnessPage {
    /// `(instrument@version, title)` of the versions with per-person results.
    pub banks: Vec<(String, String)>,
    pub campaigns: Vec<(String, String)>,
    pub variables: &'static [Variable],
    pub result: Option<FairnessResult>,
}

/// The page, with the result of `query` when one is asked.
pub async fn page(store: &Store, catalog: &Catalog, caller: &Caller, query: Option<FairnessQuery>) -> Result<FairnessPage, ServiceError> {
    require_author(caller)?;
    let banks = person_level_versions(catalog, &caller.org_id);
    let campaigns: Vec<(String, String)> = store.campaigns_of(&caller.org_id).await?.into_iter().map(|c| (c.id, c.name)).collect();
    if let Some(c) = query.as_ref().and_then(|q| q.campaign_id.as_ref()) {
        if !campaigns.iter().any(|(id, _)| id == c) {
            return Err(ServiceError::NotFound);
        }
    }
    let result = match query {
        Some(q) => Some(compute(store, catalog, caller, q).await?),
        None => None,
    };
    Ok(FairnessPage { banks, campaigns, variables: &VARIABLES, result })
}

/// Reads the groups' sheets and reported scores, and compares them off the async threads.
async fn compute(store: &Store, catalog: &Catalog, caller: &Caller, query: FairnessQuery) -> Result<FairnessResult, ServiceError> {
    let entry = catalog.get_for(&caller.org_id, &query.instrument, &query.version).filter(|e| e.bank.reports_individuals()).ok_or(ServiceError::NotFound)?;
    let bank = &entry.bank;
    let scales: Vec<(String, String)> = bank
        .scales()
        .iter()
        .filter(|s| matches!(s.kind, ScaleKind::Trait | ScaleKind::Judgement))
        .map(|s| (s.id.clone(), s.name.get("en").cloned().unwrap_or_else(|| s.id.clone())))
        .collect();
    if let Some(cut) = &query.cut {
        if !scales.iter().any(|(id, _)| *id == cut.scale) {
            return Err(ServiceError::Invalid(format!("The bank has no scale \"{}\" with a T score.", cut.scale)));
        }
    }
    let sheets = store.group_sheets(&caller.org_id, &query.instrument, &query.version, query.campaign_id.as_deref(), query.variable.id).await?;
    let mut records: BTreeMap<String, Vec<CampaignScoreRow>> = BTreeMap::new();
    for chunk in sheets.chunks(SESSIONS_PER_READ) {
        let ids: Vec<&str> = chunk.iter().map(|(s, _, _)| s.as_str()).collect();
        for row in store.sessions_scores(&caller.org_id, &ids).await? {
            if row.instrument == query.instrument {
                records.entry(row.session_id.clone()).or_default().push(row);
            }
        }
    }
    let threads = crate::jobs::cpu_threads();
    let title = format!("{} {}", bank.file().instrument.title.get("en").cloned().unwrap_or_else(|| query.instrument.clone()), query.version);
    let (q, scale_ids) = (query.clone(), scales.iter().map(|(id, _)| id.clone()).collect::<Vec<_>>());
    let entry_for_job = entry.clone();
    let computed = crate::jobs::run_cpu_bound("fairness check", move || -> Result<(GroupComparison, Vec<Vec<ItemDif>>), String> {
        let bank = &entry_for_job.bank;
        let texts: Vec<&str> = sheets.iter().map(|(_, _, r)| r.as_str()).collect();
        let responses = crate::sheets::read_records(bank, &texts, threads)?;
        let people: Vec<Person> = sheets
            .iter()
            .map(|(session, group, _)| {
                let mut scores = BTreeMap::new();
                if let Some(rows) = records.get(session) {
                    if let Ok(read) = read_session(std::slice::from_ref(&entry_for_job), rows) {
                        for s in read.iter().flat_map(|i| &i.scales) {
                            if let Some(n) = &s.normed {
                                scores.insert(s.scale.clone(), f64::from(n.point.t));
                            }
                        }
                    }
                }
                Person { group: group.clone(), scores }
            })
            .collect();
        let comparison = compare_groups(&people, &q.variable.values(), &scale_ids, q.reference.as_deref(), q.cut.as_ref());
        let items = match &comparison.reference {
            Some(reference) => comparison
                .comparisons
                .iter()
                .map(|c| {
                    let pair: Vec<(bool, &assessments::responses::Responses)> =
                        people.iter().zip(&responses).filter(|(p, _)| p.group == *reference || p.group == c.focal).map(|(p, r)| (p.group == c.focal, r)).collect();
                    item_dif(bank, &pair)
                })
                .collect(),
            None => Vec::new(),
        };
        Ok((comparison, items))
    })
    .await
    .map_err(|e| ServiceError::Misconfigured(e.message))?
    .map_err(|e| ServiceError::Misconfigured(format!("the answer sheets cannot be read: {e}")))?;
    Ok(FairnessResult { query, title, scales, comparison: computed.0, items: computed.1 })
}
