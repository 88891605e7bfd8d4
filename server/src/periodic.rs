//! A background task that does one pass now and then at a fixed interval
//! until it is stopped, in this process only: the SQLite checkpointer. Work
//! that must run once however many processes serve is a durable job
//! (`crate::jobs`) instead. A pass under way finishes before the task stops; a
//! late pass is not made up for (no bursts after a stall).

use std::{future::Future, time::Duration};

use tokio::{sync::watch, task::JoinHandle};

#[derive(Debug)]
pub struct Periodic {
    name: &'static str,
    stop: watch::Sender<bool>,
    task: JoinHandle<()>,
}

impl Periodic {
    /// Runs `pass` now and then every `every`; `name` is for the logs.
    pub fn start<F, Fut>(name: &'static str, every: Duration, mut pass: F) -> Periodic
    where
        F: FnMut() -> Fut + Send + 'static,
        Fut: Future<Output = ()> + Send,
    {
        let (stop, mut stopped) = watch::channel(false);
        let task = tokio::spawn(async move {
            let mut ticks = tokio::time::interval(every);
            ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tokio::select! {
                    biased;
                    // A stop signal, or the `Periodic` dropped without one.
                    _ = stopped.changed() => break,
                    _ = ticks.tick() => pass().await,
                }
            }
            tracing::debug!(task = name, "stopped");
        });
        Periodic { name, stop, task }
    }

    /// Stops the task (a pass under way finishes first) and waits for it.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        if let Err(e) = self.task.await {
            tracing::warn!(task = self.name, error = %e, "background task ended abnormally");
        }
    }
}
