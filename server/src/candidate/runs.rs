//! The adaptive runs a server process has seen a candidate take, kept with
//! the cached context (see [`super::cache`]) so that the next answer is
//! judged without reading the instrument's answers and replaying its run.
//!
//! A remembered run may be out of date: another server process, or another
//! tab reading the context afresh, may have stored an answer since. So an
//! answer judged on a remembered run carries the number of answers the run
//! was made from, and the database stores it only if the instrument still
//! holds exactly that many (`AnswerInput::answers_before`). Adaptive answers
//! are never changed once stored (only the question being asked can be
//! answered), so the same number means the same run. An answer refused that
//! way makes the save path read the context afresh and decide on that.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex, MutexGuard},
};

use assessments::cat::CatProgress;

/// One instrument's adaptive run, as it stood after the last answer this
/// process stored.
#[derive(Debug, Clone)]
pub struct KnownRun {
    /// Answers to the instrument stored then (pool items and any others).
    pub answers: i64,
    /// The engine's state after them.
    pub progress: CatProgress,
}

/// The runs of one candidate, by instrument.
#[derive(Debug, Default)]
pub struct KnownRuns {
    runs: Mutex<HashMap<String, Arc<KnownRun>>>,
}

impl KnownRuns {
    pub fn get(&self, instrument: &str) -> Option<Arc<KnownRun>> {
        self.runs().get(instrument).cloned()
    }

    pub fn remember(&self, instrument: &str, run: KnownRun) {
        self.runs().insert(instrument.to_string(), Arc::new(run));
    }

    pub fn forget(&self, instrument: &str) {
        self.runs().remove(instrument);
    }

    fn runs(&self) -> MutexGuard<'_, HashMap<String, Arc<KnownRun>>> {
        // No code panics while holding the lock; the map stays valid if one did.
        self.runs.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}
