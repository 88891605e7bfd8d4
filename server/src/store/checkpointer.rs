//! SQLite checkpoints, off the writer's path.
//!
//! In WAL mode every commit appends pages to the write-ahead log; a
//! checkpoint copies them into the database file and syncs it. By default
//! the committing connection runs a checkpoint whenever the log passes 1,000
//! pages, so every few hundred commits one save waits for page copies and two
//! `fsync`s: that was the tail of answer-save latency on a real disk.
//!
//! Here a connection of its own runs a `PASSIVE` checkpoint every few
//! milliseconds. A passive checkpoint never blocks the writer, and run this
//! often it only has a few pages to copy, so it catches up with the log
//! between two commits; the writer's next commit then starts the log from the
//! beginning again and the file stays small. The writer's own automatic
//! checkpoint stays on, at a higher mark, as a backstop should this task
//! fall behind (a slow disk) or stop.

use std::{sync::Weak, time::Duration};

use sqlx::AnyPool;

/// How often the checkpointer looks at the log.
const INTERVAL: Duration = Duration::from_millis(10);
/// The writer checkpoints by itself only past this many log pages (16 MiB of
/// 4 KiB pages); SQLite's default is 1,000.
pub(super) const WRITER_AUTOCHECKPOINT_PAGES: u32 = 4_000;

/// Starts the checkpointer on the current Tokio runtime; it stops when
/// `alive` can no longer be upgraded (the store is gone) or its pool is closed.
pub(super) fn start(pool: AnyPool, alive: Weak<()>) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(INTERVAL);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            if alive.upgrade().is_none() || pool.is_closed() {
                return;
            }
            // (busy, pages in the log, pages copied); a failure (say, a full
            // disk) is left to the writer's own checkpoint and tried again.
            if let Err(e) = sqlx::query("PRAGMA wal_checkpoint(PASSIVE)").execute(&pool).await {
                if pool.is_closed() {
                    return;
                }
                tracing::warn!(error = %e, "background checkpoint failed");
            }
        }
    });
}
