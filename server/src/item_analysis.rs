//! Item analysis of a bank version on the organisation's collected data, for
//! psychologists (and administrators): asked for in the browser, computed
//! off the request path as a durable job ([`ItemAnalysisJob`]) by the same
//! code as `vigil analyze`, and kept with the data version it was computed
//! on, so a result is reused until sessions are added or leave the
//! selection. Pseudonymous sheets only: no names, addresses or session ids.

use assessments::commands::{analyze_sessions_on, AnalysisReport};
use serde::{Deserialize, Serialize};

use crate::{
    catalog::Catalog,
    recruit::export::Download,
    jobs::{kind, Handler, JobError},
    service_error::ServiceError,
    staff::Caller,
    store::{ClaimedJob, DataVersion, JobRow, NewJob, SheetFilter, Store},
    time::now_ms,
};

/// What to analyse: a bank version and which of its sessions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnalysisRequest {
    pub instrument: String,
    pub version: String,
    pub filter: SheetFilter,
}

/// A finished analysis and the data it was computed on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnalysisResult {
    pub data_version: DataVersion,
    pub report: AnalysisReport,
}

/// Where an analysis of one request stands.
#[derive(Debug, Clone, PartialEq)]
pub struct AnalysisView {
    pub request: AnalysisRequest,
    pub title: String,
    /// What the selection holds now.
    pub data_version: DataVersion,
    /// The newest run for this request, if any.
    pub job: Option<JobRow>,
    /// Its result, when it is done.
    pub result: Option<AnalysisResult>,
    /// The organisation's campaigns with this bank version, for the selection.
    pub campaigns: Vec<CampaignChoice>,
}

/// A campaign the selection may name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CampaignChoice {
    pub id: String,
    pub name: String,
    pub adaptive: bool,
}

impl AnalysisView {
    /// A run is queued or under way.
    pub fn in_progress(&self) -> bool {
        self.job.as_ref().is_some_and(|j| j.status == "queued" || j.status == "running")
    }

    /// The result describes the data as they are now.
    pub fn up_to_date(&self) -> bool {
        self.result.as_ref().is_some_and(|r| r.data_version == self.data_version)
    }
}

/// How many of an organisation's newest analysis jobs are looked through
/// for one request's newest run.
const RECENT_JOBS: i64 = 200;

fn check(catalog: &Catalog, caller: &Caller, request: &AnalysisRequest) -> Result<String, ServiceError> {
    if !caller.role.may_analyse() {
        return Err(ServiceError::Forbidden);
    }
    let entry = catalog.get_for(&caller.org_id, &request.instrument, &request.version).ok_or(ServiceError::NotFound)?;
    if !entry.bank.reports_individuals() {
        return Err(ServiceError::Invalid(format!(
            "{}@{} is reported only for groups of at least five people, so it is never analysed item by item from single sessions",
            request.instrument, request.version
        )));
    }
    Ok(entry.bank.file().instrument.title.get("en").cloned().unwrap_or_else(|| request.instrument.clone()))
}

/// The state of the analysis `request` asks for.
pub async fn view(store: &Store, catalog: &Catalog, caller: &Caller, request: AnalysisRequest) -> Result<AnalysisView, ServiceError> {
    let title = check(catalog, caller, &request)?;
    let data_version = store.sheets_version(&caller.org_id, &request.instrument, &request.version, &request.filter).await?;
    let job = store
        .jobs_of(&caller.org_id, kind::ITEM_ANALYSIS, RECENT_JOBS)
        .await?
        .into_iter()
        .find(|j| serde_json::from_str::<AnalysisRequest>(&j.payload).is_ok_and(|r| r == request));
    let result = job.as_ref().filter(|j| j.status == "done").and_then(|j| j.result.as_deref()).and_then(|r| serde_json::from_str(r).ok());
    let campaigns = store
        .campaigns_of(&caller.org_id)
        .await?
        .into_iter()
        .filter(|c| crate::battery::uses(c, &request.instrument, &request.version))
        .map(|c| CampaignChoice { adaptive: c.adaptive != 0, id: c.id, name: c.name })
        .collect();
    Ok(AnalysisView { request, title, data_version, job, result, campaigns })
}

/// The newest result of the request as a file, `report.json` or
/// `report.csv`; not found before there is one.
pub async fn report_file(store: &Store, catalog: &Catalog, caller: &Caller, request: AnalysisRequest, file: &str) -> Result<Download, ServiceError> {
    if file != "report.json" && file != "report.csv" {
        return Err(ServiceError::NotFound);
    }
    let view = view(store, catalog, caller, request).await?;
    let result = view.result.ok_or(ServiceError::NotFound)?;
    let name = format!("{}-{}-item-analysis", view.request.instrument, view.request.version);
    Ok(if file == "report.json" {
        Download { file_name: format!("{name}.json"), content_type: "application/json", body: serde_json::to_string_pretty(&result).unwrap_or_default() }
    } else {
        Download { file_name: format!("{name}.csv"), content_type: "text/csv; charset=utf-8", body: report_csv(&result.report) }
    })
}

/// Asks for the analysis: a job, unless one for the same request is already
/// waiting or running, or its result is still up to date. Audited as
/// `analysis.requested` when a job is added. Returns the request, whose
/// page shows how it stands.
pub async fn request(store: &Store, catalog: &Catalog, caller: &Caller, request: AnalysisRequest) -> Result<AnalysisRequest, ServiceError> {
    let current = view(store, catalog, caller, request).await?;
    if current.in_progress() || current.up_to_date() {
        return Ok(current.request);
    }
    let payload = serde_json::to_string(&current.request).map_err(|e| ServiceError::Misconfigured(e.to_string()))?;
    let key = format!("{}:{}:{payload}", kind::ITEM_ANALYSIS, caller.org_id);
    let now = now_ms();
    let job = NewJob { org_id: Some(&caller.org_id), kind: kind::ITEM_ANALYSIS, dedupe_key: Some(&key), payload: &payload, run_after: now, every_ms: None, max_attempts: 3, created_by: Some(&caller.user_id) };
    let id = store.enqueue_job(&job, now).await?;
    let object = format!("{}@{}", current.request.instrument, current.request.version);
    caller.audit(store, "analysis.requested", "instrument", &object, serde_json::json!({ "job": id, "filter": current.request.filter })).await?;
    Ok(current.request)
}

/// The analysis as a job: writes missing sheets, reads the selection and
/// analyses it; the result keeps the data version it saw.
pub struct ItemAnalysisJob {
    pub store: Store,
    pub catalog: Catalog,
}

#[async_trait::async_trait]
impl Handler for ItemAnalysisJob {
    async fn run(&self, job: &ClaimedJob) -> Result<serde_json::Value, JobError> {
        let request: AnalysisRequest = serde_json::from_str(&job.payload).map_err(|e| JobError::permanent(format!("the request cannot be read: {e}")))?;
        let org_id = job.org_id.as_deref().ok_or_else(|| JobError::permanent("an analysis belongs to an organisation"))?;
        let entry = crate::catalog_sync::get_or_load(&self.store, &self.catalog, &request.instrument, &request.version)
            .await
            .ok_or_else(|| JobError::permanent(format!("this server has no bank version {}@{}", request.instrument, request.version)))?;
        crate::sheets::backfill(&self.store, &entry.bank, org_id, entry.adaptive.is_some()).await?;
        self.store.set_job_progress(&job.id, 0.3).await?;
        let rows = self.store.sheet_records(org_id, &request.instrument, &request.version, &request.filter).await?;
        // What these rows are, as `sheets_version` counts them.
        let data_version = DataVersion { sessions: rows.len() as i64, last_completed_at: rows.iter().map(|(at, _)| *at).max() };
        self.store.set_job_progress(&job.id, 0.6).await?;
        let records: Vec<String> = rows.into_iter().map(|(_, record)| record).collect();
        let threads = crate::jobs::cpu_threads();
        let report = crate::jobs::run_cpu_bound("item-analysis", move || crate::sheets::read_records(&entry.bank, &records, threads).map(|sessions| analyze_sessions_on(&entry.bank, &sessions, threads)))
            .await?
            .map_err(JobError::permanent)?;
        let result = AnalysisResult { data_version, report };
        serde_json::to_value(&result).map_err(|e| JobError::permanent(e.to_string()))
    }

    fn finish_on_stop(&self) -> bool {
        false
    }
}

/// The validity statuses a selection may name.
pub const VALIDITY_STATUSES: [&str; 3] = ["ok", "caution", "invalid"];

const DAY_MS: i64 = 86_400_000;

/// The selection from a form or query (`campaign`, `from` and `to` as
/// YYYY-MM-DD, both days included, `validity`); empty fields select all.
pub fn filter_from_fields(fields: &[(String, String)]) -> Result<SheetFilter, String> {
    let value = |name: &str| fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.trim()).filter(|v| !v.is_empty());
    let date = |name: &str, label: &str| -> Result<Option<i64>, String> {
        value(name).map(|d| crate::time::parse_date_utc(d).ok_or_else(|| format!("The {label} date {d:?} is not a date: write it as YYYY-MM-DD."))).transpose()
    };
    let from = date("from", "first")?;
    let to = date("to", "last")?.map(|d| d + DAY_MS);
    if let (Some(f), Some(t)) = (from, to) {
        if f >= t {
            return Err("The first date comes after the last one.".into());
        }
    }
    let validity = value("validity").map(str::to_string);
    if let Some(v) = validity.as_deref().filter(|v| !VALIDITY_STATUSES.contains(v)) {
        return Err(format!("Validity {v:?} is not one of: {}.", VALIDITY_STATUSES.join(", ")));
    }
    Ok(SheetFilter { campaign_id: value("campaign").map(str::to_string), from, to, validity, exclude_invalid: false })
}

/// The selection as query fields, the inverse of [`filter_from_fields`].
pub fn filter_fields(filter: &SheetFilter) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    if let Some(c) = &filter.campaign_id {
        out.push(("campaign", c.clone()));
    }
    if let Some(f) = filter.from {
        out.push(("from", crate::time::date_utc(f)));
    }
    if let Some(t) = filter.to {
        out.push(("to", crate::time::date_utc(t - DAY_MS)));
    }
    if let Some(v) = &filter.validity {
        out.push(("validity", v.clone()));
    }
    out
}

/// The report item by item as CSV, each row with its scale's reliability.
pub fn report_csv(report: &AnalysisReport) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record([
        "scale", "scale_items", "n_complete", "alpha", "alpha_ci95_lo", "alpha_ci95_hi", "omega", "item", "reverse", "n", "missing_share", "mean", "sd", "corrected_item_total", "alpha_if_deleted", "mean_latency_ms", "flags",
    ]);
    let num = |x: Option<f64>| x.map(|v| format!("{v:.4}")).unwrap_or_default();
    for scale in &report.scales {
        for item in &scale.item_stats {
            let flags: Vec<String> = item.flags.iter().map(|f| f.describe()).collect();
            let _ = w.write_record([
                scale.scale.clone(),
                scale.items.to_string(),
                scale.n_complete.to_string(),
                num(scale.alpha),
                num(scale.alpha_ci95.map(|c| c[0])),
                num(scale.alpha_ci95.map(|c| c[1])),
                num(scale.omega),
                item.item.clone(),
                item.reverse.to_string(),
                item.n.to_string(),
                num(item.missing_share),
                num(item.mean),
                num(item.sd),
                num(item.corrected_item_total),
                num(item.alpha_if_deleted),
                item.mean_latency_ms.map(|v| format!("{v:.0}")).unwrap_or_default(),
                flags.join("; "),
            ]);
        }
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn a_selection_reads_from_a_form_and_back() {
        let f = filter_from_fields(&fields(&[("campaign", "c1"), ("from", "2026-12-01"), ("to", "2026-12-06"), ("validity", "ok")])).expect("valid");
        assert_eq!(f.from, crate::time::parse_date_utc("2026-12-01"));
        assert_eq!(f.to, crate::time::parse_date_utc("2026-12-07"), "the last day is included");
        let back: Vec<(String, String)> = filter_fields(&f).into_iter().map(|(k, v)| (k.to_string(), v)).collect();
        assert_eq!(filter_from_fields(&back), Ok(f));
        assert_eq!(filter_from_fields(&fields(&[("campaign", " "), ("validity", "")])), Ok(SheetFilter::default()), "empty fields select all");
    }

    #[test]
    fn a_bad_selection_is_refused_with_what_is_wrong() {
        assert!(filter_from_fields(&fields(&[("from", "last week")])).unwrap_err().contains("YYYY-MM-DD"));
        assert!(filter_from_fields(&fields(&[("from", "2026-12-06"), ("to", "2026-12-01")])).unwrap_err().contains("after"));
        assert!(filter_from_fields(&fields(&[("validity", "great")])).unwrap_err().contains("ok, caution, invalid"));
    }
}
