//! What a session reports: each step (the trace), each scale's outcome and
//! the rule that stopped it, an answer as the engine takes it, and the
//! status of the pure state-machine step.

/// Why a scale's adaptive run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum StopReason {
    /// SE reached the target after at least the minimum number of items.
    SeTarget,
    /// The maximum number of items was reached.
    MaxItems,
    /// No eligible item was left (pool used up or blocked by exposure control).
    PoolExhausted,
}

/// One administered item, as shown to the psychologist.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct TraceStep {
    /// Position in the candidate's sequence (0-based).
    pub step: usize,
    /// Scale of the item.
    pub scale: String,
    /// Pool index of the item.
    pub item: usize,
    /// Bank id of the item.
    pub item_id: String,
    /// The answer category (`None` = skipped).
    pub answer: Option<usize>,
    /// EAP theta of the scale after this answer.
    pub theta: f64,
    /// Its SE (posterior SD) after this answer.
    pub se: f64,
}

/// Where a scale stands.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ScaleOutcome {
    /// Scale id.
    pub scale: String,
    /// Current EAP theta (0 before any answer).
    pub theta: f64,
    /// Current SE.
    pub se: f64,
    /// Items administered (answered or skipped).
    pub items: usize,
    /// The rule that ended the run, once it has ended.
    pub stop: Option<StopReason>,
}

/// An item answer fed back into the engine (`category: None` = skipped).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Answer {
    /// Pool index of the item.
    pub item: usize,
    /// Answer category `0..K`, or `None` if skipped.
    pub category: Option<usize>,
}

/// The state of a session after some answers: the next item, the trace and
/// each scale's standing.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct CatStatus {
    /// Next item to show (pool index), or `None` when the test is over.
    pub next: Option<usize>,
    /// Bank id of the next item.
    pub next_id: Option<String>,
    /// Every administered item with theta and SE after it.
    pub trace: Vec<TraceStep>,
    /// Per scale: theta, SE, items, stopping rule.
    pub scales: Vec<ScaleOutcome>,
}
