//! The waves' background work, a recurring job of `vigil serve`: waves past
//! their last day are closed (participation deleted, every answer
//! released) and their results kept; reminders go out on their day; the
//! answers of closed waves are deleted when the organisation's retention
//! has passed (the kept results stay).

use std::time::Duration;

use crate::{
    catalog::Catalog,
    jobs::{Handler, JobError},
    store::{Actor, ClaimedJob, Store},
};

/// How often the job runs.
pub const EVERY: Duration = Duration::from_secs(5 * 60);

/// What one pass did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Upkept {
    pub closed: u64,
    pub results_kept: u64,
    pub reminded: u64,
    pub answers_deleted: u64,
}

/// One pass at `now`; links in reminders start with `public_url`, else the address the wave was made at.
pub async fn upkeep(store: &Store, catalog: &Catalog, public_url: Option<&str>, now: i64) -> Result<Upkept, crate::service_error::ServiceError> {
    let mut done = Upkept::default();
    for (org_id, wave_id) in store.waves_past_closing(now).await? {
        if store.close_wave(&org_id, &wave_id, Actor::System, now).await? {
            done.closed += 1;
        }
    }
    for (org_id, wave_id) in store.waves_without_results().await? {
        super::waves::keep_results(store, catalog, &org_id, &wave_id).await?;
        done.results_kept += 1;
    }
    for (org_id, wave_id) in store.waves_due_reminder(now).await? {
        let Some(wave) = store.wave(&org_id, &wave_id).await? else { continue };
        let Some(base) = public_url.map(str::to_string).or(wave.link_base.clone()) else { continue };
        done.reminded += super::waves::remind(store, &wave, Actor::System, &base).await? as u64;
    }
    done.answers_deleted = store.delete_wave_answers_past_retention(now).await?;
    Ok(done)
}

/// [`upkeep`] as a recurring job.
pub struct WaveUpkeep {
    pub store: Store,
    pub catalog: Catalog,
    pub public_url: Option<String>,
}

#[async_trait::async_trait]
impl Handler for WaveUpkeep {
    async fn run(&self, _job: &ClaimedJob) -> Result<serde_json::Value, JobError> {
        let d = upkeep(&self.store, &self.catalog, self.public_url.as_deref(), crate::time::now_ms()).await.map_err(|e| JobError { message: e.to_string(), retry: true })?;
        Ok(serde_json::json!({ "closed": d.closed, "results_kept": d.results_kept, "reminded": d.reminded, "answers_deleted": d.answers_deleted }))
    }
}
