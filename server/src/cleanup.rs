//! The background clean-up `vigil serve` runs: every few minutes it deletes
//! rows that no longer mean anything, so tables of secrets and addresses do
//! not grow without end and nothing is kept longer than it is needed:
//!
//! - staff sessions that ended (idle or absolute timeout, see `crate::auth`);
//! - candidate access secrets a day after they expired;
//! - failed sign-ins older than the rate limit's window, and shared
//!   rate-limit windows an hour old;
//! - jobs 30 days after they ended, and webhook events 30 days after they
//!   were made (once delivered or given up);
//! - answers kept for idempotent API requests after a day (they may hold
//!   candidate links);
//! - set-password links a day after they were used or expired;
//! - candidates' names and e-mail addresses at the end of the retention
//!   period: `retention` after their recruitment ended (the link ran out,
//!   and no completion, withdrawal or decision came later), as the privacy
//!   notice promises (see `Store::erase_candidate`; answers and scores stay
//!   without a name).
//!
//! The day's grace lets a person who comes back with an old cookie or link
//! still be told "expired" rather than "unknown", and keeps a link's row
//! while a request that just used it is still reading it.

use std::time::Duration;

use crate::{
    auth::{FAILURE_WINDOW_MS, IDLE_TIMEOUT_MS},
    jobs::{Handler, JobError},
    store::{Actor, ClaimedJob, Store, StoreError},
};

/// How often the clean-up runs.
pub const EVERY: Duration = Duration::from_secs(5 * 60);

/// How long a job that ended (done or given up) stays to be looked at.
pub const JOBS_KEPT_MS: i64 = 30 * 24 * 60 * 60 * 1000;

/// How long an expired candidate access or a spent set-password link is kept.
pub const GRACE_MS: i64 = 24 * 60 * 60 * 1000;

/// Days a candidate's identity is kept after their recruitment ended, unless
/// configured otherwise (the privacy notice says "normally 6 months").
pub const DEFAULT_RETENTION_DAYS: u32 = 183;
/// Candidates erased per pass at most (the next pass goes on).
const ERASE_PER_PASS: i64 = 500;

/// The times (Unix ms) before which each kind of row goes, for a pass at `now`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cutoffs {
    pub now: i64,
    /// Staff sessions last seen at or before this are idle.
    pub idle_before: i64,
    pub access_expired_before: i64,
    pub failures_before: i64,
    pub setups_spent_before: i64,
    /// Candidates whose recruitment ended before this are erased.
    pub recruitment_ended_before: i64,
    /// Jobs that ended before this go.
    pub jobs_ended_before: i64,
    /// Rate-limit windows that started before this go (an hour: far past any limit's window).
    pub rate_windows_before: i64,
}

impl Cutoffs {
    pub fn at(now: i64, retention_days: u32) -> Cutoffs {
        Cutoffs {
            now,
            idle_before: now - IDLE_TIMEOUT_MS,
            access_expired_before: now - GRACE_MS,
            failures_before: now - FAILURE_WINDOW_MS,
            setups_spent_before: now - GRACE_MS,
            recruitment_ended_before: now - i64::from(retention_days) * 24 * 60 * 60 * 1000,
            jobs_ended_before: now - JOBS_KEPT_MS,
            rate_windows_before: now - 60 * 60 * 1000,
        }
    }
}

/// How many rows one pass deleted.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Removed {
    pub staff_sessions: u64,
    pub candidate_access: u64,
    pub login_failures: u64,
    pub password_setups: u64,
    /// Candidates whose name and address were erased.
    pub candidates_erased: u64,
    /// Jobs that had ended long ago.
    pub jobs: u64,
    /// Rate-limit windows long past.
    pub rate_windows: u64,
    /// Answers kept for idempotent API requests, a day old.
    pub idempotency: u64,
    /// Webhook events (with their deliveries) 30 days old, delivered or given up.
    pub webhook_events: u64,
}

/// One pass at time `now` (Unix ms).
pub async fn sweep(store: &Store, now: i64, retention_days: u32) -> Result<Removed, StoreError> {
    let cut = Cutoffs::at(now, retention_days);
    let mut candidates_erased = 0;
    for (org_id, invitation_id) in store.retention_due(cut.recruitment_ended_before, ERASE_PER_PASS).await? {
        if store.erase_candidate(&org_id, &invitation_id, Actor::System, "retention", now).await? {
            candidates_erased += 1;
        }
    }
    Ok(Removed {
        staff_sessions: store.delete_ended_staff_sessions(cut.now, cut.idle_before).await?,
        candidate_access: store.delete_expired_candidate_access(cut.access_expired_before).await?,
        login_failures: store.delete_login_failures_before(cut.failures_before).await?,
        password_setups: store.delete_spent_password_setups(cut.setups_spent_before).await?,
        candidates_erased,
        jobs: store.delete_finished_jobs(cut.jobs_ended_before).await?,
        rate_windows: store.delete_rate_windows_before(cut.rate_windows_before).await?,
        idempotency: store.delete_idempotency_before(cut.now - crate::api::service::IDEMPOTENCY_KEEP_MS).await?,
        webhook_events: store.delete_webhook_events_before(cut.jobs_ended_before).await?,
    })
}

/// The clean-up as a recurring job (see `crate::jobs`): one pass per run,
/// whichever process runs it. A failed pass is tried again at its next turn.
pub struct CleanupJob {
    pub store: Store,
    pub retention_days: u32,
}

#[async_trait::async_trait]
impl Handler for CleanupJob {
    async fn run(&self, _job: &ClaimedJob) -> Result<serde_json::Value, JobError> {
        let r = sweep(&self.store, crate::time::now_ms(), self.retention_days).await?;
        if r.candidates_erased > 0 {
            tracing::info!(candidates = r.candidates_erased, retention_days = self.retention_days, "clean-up: erased the personal data of candidates past the retention period");
        }
        Ok(serde_json::json!({
            "staff_sessions": r.staff_sessions,
            "candidate_access": r.candidate_access,
            "login_failures": r.login_failures,
            "password_setups": r.password_setups,
            "candidates_erased": r.candidates_erased,
            "jobs": r.jobs,
            "rate_windows": r.rate_windows,
            "idempotency": r.idempotency,
            "webhook_events": r.webhook_events,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_of_row_has_its_own_cutoff() {
        let now = 10_000_000_000;
        let cut = Cutoffs::at(now, 183);
        assert_eq!(cut.now, now, "a session past its absolute end goes at once");
        assert_eq!(cut.idle_before, now - IDLE_TIMEOUT_MS, "as idle as auth says");
        assert_eq!(cut.failures_before, now - FAILURE_WINDOW_MS, "the rate limit still counts what is kept");
        assert_eq!(cut.access_expired_before, now - GRACE_MS);
        assert_eq!(cut.setups_spent_before, now - GRACE_MS);
        assert_eq!(cut.recruitment_ended_before, now - 183 * 86_400_000, "183 days of retention");
        assert_eq!(cut.jobs_ended_before, now - 30 * 86_400_000, "ended jobs are kept 30 days");
        assert_eq!(cut.rate_windows_before, now - 3_600_000, "rate-limit windows an hour");
    }
}
