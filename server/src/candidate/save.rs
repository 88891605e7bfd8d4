//! Saving answers: each checked against the battery (and, for an adaptive
//! item, against the one the engine asks now), then all stored together or
//! none. The save path of the browser's queue reuses a recently read context
//! and the adaptive runs it remembers (see [`super::cache`], [`super::runs`]),
//! which a page view leaves for it.

use std::sync::Arc;

use app::candidate::model::{CandidateView, LinkProblem};
use assessments::responses::Responses;

use super::{
    access::{context_of_access, still_open, active_session, Context},
    answer::{parse_answer, plain_answer_error, AnswerDto},
    cache::{ContextCache, Remembered},
    error::CandidateError,
    plan::{adaptive_pool, cat_session, category_of, resumed_cat_session},
    runs::{KnownRun, KnownRuns},
    views::view,
};
use crate::{
    catalog::Catalog,
    secrets::secret_hash,
    store::{AnswerInput, Store},
};

/// What a save did: how many answers it stored and, after an answer to an
/// adaptive question, the question the engine asks next (`instrument/item`;
/// none when that instrument's adaptive run has ended).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Saved {
    pub stored: usize,
    pub next: Option<String>,
}

/// Saves answers sent by the holder of an access secret (the browser's
/// save-as-you-go queue). Reuses the context of this access's last save
/// while it is still open (see [`crate::candidate_cache`]); when that stores
/// less than was sent, or fails, the context is read afresh and decides.
pub async fn save_for_access(store: &Store, catalog: &Catalog, contexts: &ContextCache, secret: Option<&str>, answers: &[AnswerDto]) -> Result<Saved, CandidateError> {
    let secret = secret.ok_or(CandidateError::Link(LinkProblem::Unknown))?;
    let access_hash = secret_hash(secret);
    let mut stored_already = 0;
    if let Some(known) = contexts.get(&access_hash) {
        if still_open(&known.context).is_ok() {
            match save_remembering(store, &known.context, &known.runs, answers).await {
                Ok(saved) if saved.stored == answers.len() => return Ok(saved),
                Ok(saved) => stored_already = saved.stored,
                // The battery decides what is a valid answer, and it does not change.
                Err(e @ CandidateError::BadAnswer(_)) => return Err(e),
                Err(_) => {}
            }
        }
        contexts.forget(&access_hash);
    }
    let fresh = Remembered::new(context_of_access(store, catalog, &access_hash).await?);
    let saved = save_remembering(store, &fresh.context, &fresh.runs, answers).await?;
    keep_while_open(contexts, access_hash, fresh);
    Ok(Saved { stored: stored_already + saved.stored, next: saved.next })
}

/// The page for the holder of an access secret, always from a context read
/// afresh (a page shows what is stored). That context, with the adaptive runs
/// the page replayed, then replaces the one kept for this access's saves, so
/// the save that follows a page reads and replays nothing.
pub async fn view_for_access(store: &Store, catalog: &Catalog, contexts: &ContextCache, secret: Option<&str>, page: Option<u32>) -> Result<CandidateView, CandidateError> {
    let secret = secret.ok_or(CandidateError::Link(LinkProblem::Unknown))?;
    let access_hash = secret_hash(secret);
    let fresh = Remembered::new(context_of_access(store, catalog, &access_hash).await?);
    let view = view(store, &fresh.context, &fresh.runs, page).await?;
    keep_while_open(contexts, access_hash, fresh);
    Ok(view)
}

/// Keeps a freshly read context for this access's next saves, if it still takes answers.
fn keep_while_open(contexts: &ContextCache, access_hash: String, fresh: Remembered) {
    if still_open(&fresh.context).is_ok() {
        contexts.insert(access_hash, Arc::new(fresh));
    }
}

/// Checks every answer against the battery, then saves them all together;
/// one bad answer stores nothing. After an answer to an adaptive question,
/// the engine chooses the next one from the answers now stored.
pub async fn save(store: &Store, ctx: &Context, answers: &[AnswerDto]) -> Result<Saved, CandidateError> {
    save_remembering(store, ctx, &KnownRuns::default(), answers).await
}

/// [`save`], judging an adaptive answer on the run remembered in `runs` when
/// there is one (the database then stores it only if no answer came in
/// since), and remembering the run it leads to.
async fn save_remembering(store: &Store, ctx: &Context, runs: &KnownRuns, answers: &[AnswerDto]) -> Result<Saved, CandidateError> {
    let session = active_session(ctx)?;
    let adaptive = ctx.campaign.adaptive != 0;
    let mut inputs = Vec::with_capacity(answers.len());
    // The adaptive run answered now (replayed or resumed), its pool item, the answer's category and the answers it was judged on.
    let mut adaptive_answered = None;
    for a in answers {
        let (instrument, item_id) = a.key.split_once('/').ok_or_else(|| CandidateError::BadAnswer(format!("unknown question {:?}", a.key)))?;
        let entry = ctx
            .battery
            .iter()
            .find(|e| e.bank.id() == instrument)
            .ok_or_else(|| CandidateError::BadAnswer(format!("unknown question {:?}", a.key)))?;
        let raw = parse_answer(&entry.bank, item_id, &a.value)?;
        let mut answers_before = None;
        if let Some(pool) = adaptive_pool(entry, adaptive).filter(|p| p.pool.index_of(item_id).is_some()) {
            // An adaptive question is answered alone (one at a time, as asked).
            if answers.len() != 1 {
                return Err(CandidateError::BadAnswer(format!("question {item_id} is not the one being asked now")));
            }
            let index = entry.bank.item_index(item_id).ok_or_else(|| CandidateError::BadAnswer(format!("unknown question {:?}", a.key)))?;
            let category = category_of(&entry.bank, index, item_id, &a.value)?;
            // The run so far: remembered (then judged on that many answers), or replayed from the stored answers.
            let (mut run, answered) = match runs.get(instrument) {
                Some(known) => {
                    answers_before = Some(known.answers);
                    (resumed_cat_session(pool, known.progress.clone())?, known.answers)
                }
                None => {
                    let stored = store.answers_for_replay(&session.id, instrument).await?;
                    let k = ctx.battery.iter().position(|e| e.bank.id() == instrument).unwrap_or(0);
                    (cat_session(entry, pool, session.seed, k, &stored)?, stored.len() as i64)
                }
            };
            // The same answer sent again (a retried request) is simply already stored.
            if run.trace().iter().any(|step| step.item_id == item_id && step.answer == category) {
                continue;
            }
            // An adaptive item can be answered once, and only when it is the one asked.
            let asked = run.next_item();
            let item = pool.pool.index_of(item_id);
            if asked.is_none() || asked != item {
                return Err(CandidateError::BadAnswer(format!("question {item_id} is not the one being asked now")));
            }
            adaptive_answered = Some((entry.clone(), run, asked, category, answered));
        }
        // Responses::set checks the value against the item's response scale or options.
        let mut probe = Responses::new(&entry.bank, "check");
        probe.set(&entry.bank, item_id, &raw).map_err(|e| CandidateError::BadAnswer(plain_answer_error(&e.to_string(), item_id)))?;
        if a.seq < 1 {
            return Err(CandidateError::BadAnswer("the answer has no sequence number".into()));
        }
        let latency_ms = a.latency_ms.filter(|ms| (0..=86_400_000).contains(ms));
        inputs.push(AnswerInput { session_id: &session.id, instrument, item_id, value: &a.value, latency_ms, client_seq: a.seq, answers_before });
    }
    let stored_now = store.save_answers(&inputs).await?;
    // Other answers to an instrument change its count: its remembered run is read afresh next time.
    for input in &inputs {
        runs.forget(input.instrument);
    }
    // The engine takes the answer and chooses the next question.
    let next = match adaptive_answered {
        Some((entry, mut run, Some(item), category, answered)) if stored_now == 1 => {
            run.answer(item, category).map_err(|e| CandidateError::Misconfigured(e.to_string()))?;
            let pool = adaptive_pool(&entry, true).map(|a| &a.pool);
            let next = run.next_item().and_then(|i| pool.and_then(|p| p.items().get(i))).map(|next| format!("{}/{}", entry.bank.id(), next.id));
            runs.remember(entry.bank.id(), KnownRun { answers: answered + 1, progress: run.into_progress() });
            next
        }
        _ => None,
    };
    Ok(Saved { stored: stored_now, next })
}
