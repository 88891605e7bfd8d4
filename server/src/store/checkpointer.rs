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

use std::time::Duration;

use sqlx::AnyPool;

use crate::periodic::Periodic;

/// How often the checkpointer looks at the log.
const INTERVAL: Duration = Duration::from_millis(10);
/// The writer checkpoints by itself only past this many log pages (16 MiB of
/// 4 KiB pages); SQLite's default is 1,000.
pub(super) const WRITER_AUTOCHECKPOINT_PAGES: u32 = 4_000;

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
        let task = Periodic::start("checkpointer", INTERVAL, move || {
            let pool = connection.clone();
            async move {
                if pool.is_closed() {
                    return;
                }
                // A failure (say, a full disk) is left to the writer's own
                // checkpoint and tried again next time.
                if let Err(e) = sqlx::query("PRAGMA wal_checkpoint(PASSIVE)").execute(&pool).await {
                    if !pool.is_closed() {
                        tracing::warn!(error = %e, "background checkpoint failed");
                    }
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
