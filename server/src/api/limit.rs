//! The per-key rate limit: at most the key's `per_minute` requests in each
//! fixed minute (windows aligned to the clock minute). With SQLite one
//! process serves and counts in memory. On PostgreSQL several processes
//! may serve: each counts in memory and adds its count to the key's row of
//! `rate_windows` at most every [`SYNC_EVERY_MS`], reading back every
//! process's total, so the limit holds across processes to within what the
//! others admitted in the last quarter second (one write per key and
//! process every 250 ms instead of one per request: a row written by every
//! request became the bottleneck, p99 144 ms at 1,000 requests a second).
//! A refused request is told when the window ends (`Retry-After`).

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
};

use super::{error::ApiError, keys::ApiCaller};
use crate::{config::DatabaseKind, store::Store};

/// The length of a window.
pub const WINDOW_MS: i64 = 60_000;

/// The start of the window holding `now`.
fn window_start(now: i64) -> i64 {
    now - now.rem_euclid(WINDOW_MS)
}

/// Seconds from `now` to the end of its window, at least 1.
pub fn retry_after_secs(now: i64) -> u64 {
    let left = window_start(now) + WINDOW_MS - now;
    u64::try_from((left + 999) / 1000).unwrap_or(1).max(1)
}

/// How often a process adds its count to the shared row (PostgreSQL).
pub const SYNC_EVERY_MS: i64 = 250;

/// One key's count in this process for the current window (shared mode).
#[derive(Debug, Clone, Copy, Default)]
pub struct SharedCount {
    window: i64,
    /// Every process's total when last read.
    seen: i64,
    /// Admitted here since then.
    unsynced: i64,
    synced_at: i64,
}

/// Counters per key: in this process, or shared through the database.
#[derive(Clone)]
pub enum KeyLimiter {
    Memory(Arc<Mutex<HashMap<String, (i64, i64)>>>),
    Shared(Store, Arc<Mutex<HashMap<String, SharedCount>>>),
}

impl KeyLimiter {
    pub fn for_store(store: &Store) -> KeyLimiter {
        match store.kind() {
            DatabaseKind::Postgres => KeyLimiter::Shared(store.clone(), Arc::default()),
            DatabaseKind::Sqlite => KeyLimiter::Memory(Arc::default()),
        }
    }

    /// Counts one request of the key at `now`; `RateLimited` when it is one
    /// too many. A database that does not answer lets the request through
    /// (logged): the request itself then meets the same database.
    pub async fn admit(&self, caller: &ApiCaller, now: i64) -> Result<(), ApiError> {
        let start = window_start(now);
        let count = match self {
            KeyLimiter::Memory(windows) => {
                let mut windows = windows.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
                if windows.len() > 10_000 {
                    windows.retain(|_, (s, _)| *s == start);
                }
                let slot = windows.entry(caller.key_id.clone()).or_insert((start, 0));
                if slot.0 != start {
                    *slot = (start, 0);
                }
                slot.1 += 1;
                slot.1
            }
            KeyLimiter::Shared(store, counts) => {
                let (estimate, flush) = {
                    let mut counts = counts.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
                    let c = counts.entry(caller.key_id.clone()).or_default();
                    if c.window != start {
                        *c = SharedCount { window: start, ..SharedCount::default() };
                    }
                    if c.seen + c.unsynced + 1 > caller.per_minute {
                        return Err(ApiError::RateLimited { retry_after_secs: retry_after_secs(now) });
                    }
                    c.unsynced += 1;
                    let due = now - c.synced_at >= SYNC_EVERY_MS;
                    let flush = due.then(|| std::mem::take(&mut c.unsynced));
                    if due {
                        c.synced_at = now;
                    }
                    (c.seen + c.unsynced, flush)
                };
                if let Some(n) = flush {
                    match store.add_rate_events(&format!("api-key:{}", caller.key_id), start, n).await {
                        Ok(total) => {
                            let mut counts = counts.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
                            if let Some(c) = counts.get_mut(&caller.key_id).filter(|c| c.window == start) {
                                c.seen = c.seen.max(total);
                            }
                        }
                        Err(e) => tracing::warn!(error = %e, "the shared API rate limit could not be counted"),
                    }
                }
                estimate
            }
        };
        if count > caller.per_minute {
            Err(ApiError::RateLimited { retry_after_secs: retry_after_secs(now) })
        } else {
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(per_minute: i64) -> ApiCaller {
        ApiCaller { key_id: "k".into(), org_id: "o".into(), name: "ATS".into(), scopes: vec![], per_minute }
    }

    #[tokio::test]
    async fn a_key_gets_its_allowance_per_minute_then_waits_for_the_next() {
        let limiter = KeyLimiter::Memory(Arc::default());
        let minute = 1_800_000_000_000 - 1_800_000_000_000_i64.rem_euclid(WINDOW_MS);
        for n in 0..3 {
            assert!(limiter.admit(&key(3), minute + n).await.is_ok(), "request {n}");
        }
        match limiter.admit(&key(3), minute + 45_000).await {
            Err(ApiError::RateLimited { retry_after_secs }) => assert_eq!(retry_after_secs, 15),
            other => panic!("{other:?}"),
        }
        assert!(limiter.admit(&key(3), minute + WINDOW_MS).await.is_ok(), "a new minute");
    }

    #[test]
    fn retry_after_is_never_zero() {
        assert_eq!(retry_after_secs(WINDOW_MS * 5 - 1), 1);
        assert_eq!(retry_after_secs(WINDOW_MS * 5), 60);
    }
}
