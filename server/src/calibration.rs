//! Calibration in the browser: a psychologist asks for GRM parameters of a
//! bank version's scales (all, or one) estimated from the organisation's
//! completed sessions; a durable job runs the engine of `vigil calibrate`
//! (MML-EM) off the request path, reporting each EM cycle and stopping
//! when asked; the result sits beside the current parameters and can be
//! saved into a new draft of the bank. One calibration at a time per
//! organisation; a job outlives a restart (given back and run again,
//! never twice at once). No identity is read.

use std::{
    collections::BTreeMap,
    sync::{
        atomic::{AtomicBool, Ordering},
        Arc, Mutex,
    },
    time::Duration,
};

use assessments::{
    commands::{calibrate_sessions_observed, calibration_into_text, CalibrateOptions, CalibrationKind, ScaleCalibrationSummary, DEMONSTRATION_NOTE},
    irt::grm::GrmItem,
};
use serde::{Deserialize, Serialize};

use crate::{
    catalog::Catalog,
    jobs::{kind, Handler, JobError},
    service_error::ServiceError,
    staff::Caller,
    store::{ClaimedJob, JobRow, NewJob, SheetFilter, Store},
    time::now_ms,
    workbench::drafts::{self, Change},
};

/// Fewest sessions a calibration is run on: a graded model with a few
/// hundred parameters needs several hundred people.
pub const MIN_SESSIONS: i64 = 200;

/// What to calibrate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalibrationRequest {
    pub instrument: String,
    pub version: String,
    /// One scale, or every calibratable scale.
    pub scale: Option<String>,
    pub filter: SheetFilter,
}

/// What a run found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CalibrationResult {
    pub sessions: usize,
    pub kind: CalibrationKind,
    pub scales: Vec<ScaleCalibrationSummary>,
}

/// The calibration page of a bank version.
#[derive(Debug, Clone)]
pub struct CalibrationView {
    pub instrument: String,
    pub version: String,
    pub title: String,
    pub shipped: bool,
    /// `(id, name)` of the scales that can be calibrated.
    pub scales: Vec<(String, String)>,
    /// The organisation's newest calibration of this version.
    pub job: Option<JobRow>,
    pub request: Option<CalibrationRequest>,
    pub result: Option<CalibrationResult>,
    /// The version's current parameters by item id.
    pub current: BTreeMap<String, GrmItem>,
    /// `(id, name)` of the organisation's campaigns with this version.
    pub campaigns: Vec<(String, String)>,
}

impl CalibrationView {
    pub fn in_progress(&self) -> bool {
        self.job.as_ref().is_some_and(|j| j.status == "queued" || j.status == "running")
    }
}

fn check(catalog: &Catalog, caller: &Caller, instrument: &str, version: &str) -> Result<Arc<crate::catalog::CatalogEntry>, ServiceError> {
    if !caller.role.may_analyse() {
        return Err(ServiceError::Forbidden);
    }
    catalog.get_for(&caller.org_id, instrument, version).filter(|e| e.bank.reports_individuals()).ok_or(ServiceError::NotFound)
}

/// The newest calibration of the version in the organisation, with its result.
pub async fn view(store: &Store, catalog: &Catalog, caller: &Caller, instrument: &str, version: &str) -> Result<CalibrationView, ServiceError> {
    let entry = check(catalog, caller, instrument, version)?;
    let bank = &entry.bank;
    let scales = assessments::adaptive::irt_scales(bank)
        .map(|list| list.into_iter().map(|s| (s.scale_id.clone(), bank.scale(&s.scale_id).and_then(|d| d.name.get("en").cloned()).unwrap_or(s.scale_id))).collect())
        .unwrap_or_default();
    let job = store
        .jobs_of(&caller.org_id, kind::CALIBRATION, 50)
        .await?
        .into_iter()
        .find(|j| serde_json::from_str::<CalibrationRequest>(&j.payload).is_ok_and(|r| r.instrument == instrument && r.version == version));
    let request = job.as_ref().and_then(|j| serde_json::from_str(&j.payload).ok());
    let result = job.as_ref().filter(|j| j.status == "done").and_then(|j| j.result.as_deref()).and_then(|r| serde_json::from_str(r).ok());
    let current = bank.items().iter().filter_map(|i| i.grm.as_ref().map(|g| (i.id.clone(), GrmItem { a: g.a, b: g.b.clone() }))).collect();
    let campaigns = store.campaigns_of(&caller.org_id).await?.into_iter().filter(|c| crate::battery::uses(c, instrument, version)).map(|c| (c.id, c.name)).collect();
    Ok(CalibrationView {
        campaigns,
        instrument: instrument.to_string(),
        version: version.to_string(),
        title: bank.file().instrument.title.get("en").cloned().unwrap_or_else(|| instrument.to_string()),
        shipped: entry.owner.is_none(),
        scales,
        job,
        request,
        result,
        current,
    })
}

/// Asks for a calibration: a job, refused (with the reason) while another
/// of the organisation waits or runs, under 200 sessions, or for a scale
/// the version does not have. Audited as `calibration.requested`.
pub async fn start(store: &Store, catalog: &Catalog, caller: &Caller, request: CalibrationRequest) -> Result<String, ServiceError> {
    let entry = check(catalog, caller, &request.instrument, &request.version)?;
    if let Some(scale) = &request.scale {
        let calibratable = assessments::adaptive::irt_scales(&entry.bank).is_ok_and(|list| list.iter().any(|s| s.scale_id == *scale));
        if !calibratable {
            return Err(ServiceError::Invalid(format!("{} {} has no scale \"{scale}\" that can be calibrated.", request.instrument, request.version)));
        }
    }
    let sessions = store.sheets_version(&caller.org_id, &request.instrument, &request.version, &request.filter).await?.sessions;
    if sessions < MIN_SESSIONS {
        return Err(ServiceError::Invalid(format!("{sessions} completed session(s) match; a calibration needs at least {MIN_SESSIONS} (the graded model estimates several parameters per item).")));
    }
    let payload = serde_json::to_string(&request).map_err(|e| ServiceError::Misconfigured(e.to_string()))?;
    let key = format!("{}:{}", kind::CALIBRATION, caller.org_id);
    let now = now_ms();
    let job = NewJob { org_id: Some(&caller.org_id), kind: kind::CALIBRATION, dedupe_key: Some(&key), payload: &payload, run_after: now, every_ms: None, max_attempts: 3, created_by: Some(&caller.user_id) };
    let id = store.enqueue_job(&job, now).await?;
    let queued = store.job(&caller.org_id, &id).await?;
    if queued.is_some_and(|j| j.payload != payload) {
        return Err(ServiceError::Invalid("Another calibration of your organisation is waiting or running; one runs at a time. Wait for it, or cancel it on its page.".into()));
    }
    caller.audit(store, "calibration.requested", "instrument", &format!("{}@{}", request.instrument, request.version), serde_json::json!({ "job": id, "scale": request.scale, "sessions": sessions })).await?;
    Ok(id)
}

/// Asks the organisation's calibration `job_id` to stop.
pub async fn cancel(store: &Store, caller: &Caller, job_id: &str) -> Result<(), ServiceError> {
    if !caller.role.may_analyse() {
        return Err(ServiceError::Forbidden);
    }
    let job = store.job(&caller.org_id, job_id).await?.filter(|j| j.kind == kind::CALIBRATION).ok_or(ServiceError::NotFound)?;
    if !store.cancel_job(&caller.org_id, &job.id, "cancelled", now_ms()).await? {
        return Err(ServiceError::Invalid("This calibration has already ended.".into()));
    }
    caller.audit(store, "calibration.cancelled", "job", &job.id, serde_json::json!({})).await?;
    Ok(())
}

/// Saves the parameters of the organisation's finished calibration `job_id`
/// into a new draft of the version (a shipped bank's draft under the
/// organisation's id `new_id`); gives the draft's id.
pub async fn save_as_draft(store: &Store, catalog: &Catalog, caller: &Caller, job_id: &str, new_id: &str) -> Result<String, ServiceError> {
    if !caller.role.may_analyse() {
        return Err(ServiceError::Forbidden);
    }
    let job = store.job(&caller.org_id, job_id).await?.filter(|j| j.kind == kind::CALIBRATION).ok_or(ServiceError::NotFound)?;
    let request: CalibrationRequest = serde_json::from_str(&job.payload).map_err(|e| ServiceError::Misconfigured(e.to_string()))?;
    let result: CalibrationResult = job
        .result
        .as_deref()
        .filter(|_| job.status == "done")
        .and_then(|r| serde_json::from_str(r).ok())
        .ok_or_else(|| ServiceError::Invalid("This calibration has no result to save.".into()))?;
    let params: BTreeMap<String, GrmItem> = result.scales.iter().flat_map(|s| s.items.iter().map(|i| (i.id.clone(), GrmItem { a: i.a, b: i.b.clone() }))).collect();
    let draft_id = drafts::start_from(store, catalog, caller, &request.instrument, &request.version, new_id).await?;
    let draft = drafts::view(store, catalog, caller, &draft_id).await?;
    let note = match result.kind {
        CalibrationKind::Demonstration => DEMONSTRATION_NOTE.to_string(),
        CalibrationKind::Empirical => format!("GRM parameters estimated in Vigil by MML-EM from {} completed sessions of {} {}.", result.sessions, request.instrument, request.version),
    };
    let text = calibration_into_text(&draft.draft.source, &params, result.kind, &note).map_err(|e| ServiceError::Invalid(e.to_string()))?;
    drafts::change(store, catalog, caller, &draft_id, Some(draft.draft.revision), Change::Source { source: text }).await?;
    caller.audit(store, "calibration.saved", "bank_draft", &draft_id, serde_json::json!({ "job": job.id })).await?;
    Ok(draft_id)
}

/// Where an observed run stands: scale (position), EM cycle, log-likelihood.
type Standing = Arc<Mutex<(usize, usize, f64)>>;

/// How often a running calibration reports where it stands (and looks
/// whether it was asked to stop).
const REPORT_EVERY: Duration = Duration::from_millis(500);

/// The calibration as a job.
pub struct CalibrationJob {
    pub store: Store,
    pub catalog: Catalog,
}

#[async_trait::async_trait]
impl Handler for CalibrationJob {
    async fn run(&self, job: &ClaimedJob) -> Result<serde_json::Value, JobError> {
        let request: CalibrationRequest = serde_json::from_str(&job.payload).map_err(|e| JobError::permanent(format!("the request cannot be read: {e}")))?;
        let org_id = job.org_id.as_deref().ok_or_else(|| JobError::permanent("a calibration belongs to an organisation"))?;
        let entry = crate::catalog_sync::get_or_load(&self.store, &self.catalog, &request.instrument, &request.version)
            .await
            .filter(|e| e.visible_to(org_id))
            .ok_or_else(|| JobError::permanent(format!("this server has no bank version {}@{}", request.instrument, request.version)))?;
        let rows = self.store.sheet_records(org_id, &request.instrument, &request.version, &request.filter).await?;
        let sessions = rows.len();
        let scale_count = match &request.scale {
            Some(_) => 1,
            None => assessments::adaptive::irt_scales(&entry.bank).map(|l| l.len()).unwrap_or(1).max(1),
        };
        if self.store.report_job_progress(&job.id, 0.02, &format!("reading {sessions} sessions")).await? {
            return Err(JobError::permanent("cancelled"));
        }
        let kind = if self.store.organisation_is_demo(org_id).await? { CalibrationKind::Demonstration } else { CalibrationKind::Empirical };
        let options = CalibrateOptions { scale: request.scale.clone(), kind, require_convergence: false, ..CalibrateOptions::default() };
        let standing: Standing = Arc::new(Mutex::new((0, 0, f64::NAN)));
        let stop = Arc::new(AtomicBool::new(false));
        let (seen, stopped) = (standing.clone(), stop.clone());
        let threads = crate::jobs::cpu_threads();
        let work = crate::jobs::run_cpu_bound("calibration", move || -> Result<Vec<ScaleCalibrationSummary>, String> {
            let records: Vec<&str> = rows.iter().map(|(_, r)| r.as_str()).collect();
            let responses = crate::sheets::read_records(&entry.bank, &records, threads)?;
            calibrate_sessions_observed(&entry.bank, &responses, &options, &mut |scale, cycle, ll| {
                if let Ok(mut s) = seen.lock() {
                    *s = (scale, cycle, ll);
                }
                !stopped.load(Ordering::Relaxed)
            })
            .map_err(|e| e.to_string())
        });
        tokio::pin!(work);
        let scales = loop {
            tokio::select! {
                done = &mut work => break done?,
                _ = tokio::time::sleep(REPORT_EVERY) => {
                    let (scale, cycle, ll) = standing.lock().map(|s| *s).unwrap_or((0, 0, f64::NAN));
                    let note = format!("scale {} of {scale_count}, EM cycle {cycle}, log-likelihood {ll:.1}", scale + 1);
                    // EM cycles run until convergence (usually well under 100): the bar moves by scales.
                    let progress = 0.05 + 0.9 * (scale as f64 + (cycle as f64 / 100.0).min(0.95)) / scale_count as f64;
                    if self.store.report_job_progress(&job.id, progress, &note).await.unwrap_or(false) {
                        stop.store(true, Ordering::Relaxed);
                    }
                }
            }
        };
        let scales = match scales {
            Ok(s) => s,
            Err(_) if stop.load(Ordering::Relaxed) => return Err(JobError::permanent("cancelled")),
            Err(e) => return Err(JobError::permanent(e)),
        };
        serde_json::to_value(CalibrationResult { sessions, kind, scales }).map_err(|e| JobError::permanent(e.to_string()))
    }

    fn finish_on_stop(&self) -> bool {
        false
    }
}
