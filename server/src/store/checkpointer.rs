//! SQLite checkpoints, off the writer's path.
//!
//! In WAL mode every commit appends pages to the write-ahead log; a
//! checkpoint copies them into the database file and syncs both files. By
//! default the committing connection runs a checkpoint whenever the log
//! passes 1,000 pages, so every few hundred commits one save waits for page
//! copies and two `fsync`s: that was the tail of answer-save latency on a
//! real disk.
//!
//! Here a connection of its own runs a `PASSIVE` checkpoint every few
//! milliseconds. A passive checkpoint never blocks the writer, and run this
//! often it only has a few pages to copy.
//!
//! The log starts again from the beginning only when the writer begins a
//! transaction at a moment the whole log has been copied. Under light load
//! that happens after almost every checkpoint and the file stays small.
//! Under sustained load the writer is rarely idle at that moment (20,000
//! candidates at 2,000 answers/s: the log grew by about 5,000 pages a
//! second, starting again only every few seconds), so the writer's own
//! automatic checkpoint decides how often saves wait for two `fsync`s: at
//! 4,000 pages that was every second or so, and the 99th percentile of
//! answer saves was 6.75 ms; at 65,536 pages (256 MiB of log at most) it is
//! rare, and the 99th percentile was 4.33 ms (median of fifteen runs). Disabled altogether, the log
//! grew to 860 MB in a minute: the mark is also the bound on its size. The
//! log file keeps its largest size until the server stops; recovery after a
//! crash reads it once at start-up.

use std::{
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use sqlx::AnyPool;

use crate::periodic::Periodic;

/// How often the checkpointer looks at the log.
const INTERVAL: Duration = Duration::from_millis(10);
/// The writer checkpoints by itself only past this many log pages (256 MiB of
/// 4 KiB pages); SQLite's default is 1,000.
pub(super) const WRITER_AUTOCHECKPOINT_PAGES: u32 = 65_536;

/// The checkpointing connection and the task that uses it; the task stops
/// when this is dropped (with the last clone of the store).
#[derive(Debug)]
pub(super) struct Checkpointer {
    pool: AnyPool,
    _task: Periodic,
}

impl Checkpointer {
    /// Starts checkpointing on the current Tokio runtime.
    pub(super) fn start(pool: AnyPool) -> Checkpointer {
        let connection = pool.clone();
        let summary = Arc::new(Mutex::new(Summary::starting_now()));
        let task = Periodic::start("checkpointer", INTERVAL, move || {
            let pool = connection.clone();
            let summary = Arc::clone(&summary);
            async move {
                if pool.is_closed() {
                    return;
                }
                // A failure (say, a full disk) is logged and tried again next time.
                let started = Instant::now();
                match sqlx::query_as::<_, (i64, i64, i64)>("PRAGMA wal_checkpoint(PASSIVE)").fetch_one(&pool).await {
                    Ok((_busy, log_pages, _copied)) => {
                        if let Ok(mut summary) = summary.lock() {
                            summary.add(log_pages, started.elapsed());
                        }
                    }
                    Err(e) if !pool.is_closed() => tracing::warn!(error = %e, "background checkpoint failed"),
                    Err(_) => {}
                }
            }
        });
        Checkpointer { pool, _task: task }
    }

    /// Closes the connection; the task then skips its rounds until dropped.
    pub(super) async fn close(&self) {
        self.pool.close().await;
    }
}

/// What the checkpoints of the last second did, logged at debug level.
#[derive(Debug)]
struct Summary {
    since: Instant,
    rounds: u32,
    most_log_pages: i64,
    longest: Duration,
}

impl Summary {
    fn starting_now() -> Summary {
        Summary { since: Instant::now(), rounds: 0, most_log_pages: 0, longest: Duration::ZERO }
    }

    fn add(&mut self, log_pages: i64, took: Duration) {
        self.rounds += 1;
        self.most_log_pages = self.most_log_pages.max(log_pages);
        self.longest = self.longest.max(took);
        if self.since.elapsed() >= Duration::from_secs(1) {
            tracing::debug!(rounds = self.rounds, most_log_pages = self.most_log_pages, longest_us = self.longest.as_micros() as u64, "checkpoints");
            *self = Summary::starting_now();
        }
    }
}
