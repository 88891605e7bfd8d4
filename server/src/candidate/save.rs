//! Saving answers: each checked against the battery (and, for an adaptive
//! item, against the one the engine asks now), then all stored together or
//! none. The save path of the browser's queue reuses a recently read context
//! (see [`super::cache`]).

use std::sync::Arc;

use app::candidate::model::LinkProblem;
use assessments::responses::Responses;

use super::{
    access::{context_of_access, still_open, active_session, Context},
    answer::{parse_answer, plain_answer_error, AnswerDto},
    cache::ContextCache,
    error::CandidateError,
    plan::{adaptive_pool, cat_session, category_of},
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
    if let Some(ctx) = contexts.get(&access_hash) {
        if still_open(&ctx).is_ok() {
            match save(store, &ctx, answers).await {
                Ok(saved) if saved.stored == answers.len() => return Ok(saved),
                Ok(saved) => stored_already = saved.stored,
                // The battery decides what is a valid answer, and it does not change.
                Err(e @ CandidateError::BadAnswer(_)) => return Err(e),
                Err(_) => {}
            }
        }
        contexts.forget(&access_hash);
    }
    let ctx = context_of_access(store, catalog, &access_hash).await?;
    let saved = save(store, &ctx, answers).await?;
    if still_open(&ctx).is_ok() {
        contexts.insert(access_hash, Arc::new(ctx));
    }
    Ok(Saved { stored: stored_already + saved.stored, next: saved.next })
}

/// Checks every answer against the battery, then saves them all together;
/// one bad answer stores nothing. After an answer to an adaptive question,
/// the engine chooses the next one from the answers now stored.
pub async fn save(store: &Store, ctx: &Context, answers: &[AnswerDto]) -> Result<Saved, CandidateError> {
    let session = active_session(ctx)?;
    let adaptive = ctx.campaign.adaptive != 0;
    let mut inputs = Vec::with_capacity(answers.len());
    // The adaptive run answered now (replayed once), its pool item and the answer's category.
    let mut adaptive_answered = None;
    for a in answers {
        let (instrument, item_id) = a.key.split_once('/').ok_or_else(|| CandidateError::BadAnswer(format!("unknown question {:?}", a.key)))?;
        let entry = ctx
            .battery
            .iter()
            .find(|e| e.bank.id() == instrument)
            .ok_or_else(|| CandidateError::BadAnswer(format!("unknown question {:?}", a.key)))?;
        let raw = parse_answer(&entry.bank, item_id, &a.value)?;
        if let Some(pool) = adaptive_pool(entry, adaptive).filter(|p| p.pool.index_of(item_id).is_some()) {
            // An adaptive question is answered alone (one at a time, as asked).
            if answers.len() != 1 {
                return Err(CandidateError::BadAnswer(format!("question {item_id} is not the one being asked now")));
            }
            // The answers given so far to this instrument, to replay its run.
            let stored = store.answers_for_replay(&session.id, entry.bank.id()).await?;
            // The same answer sent again (a retried request) is simply already stored.
            if stored.iter().any(|s| s.instrument == entry.bank.id() && s.item_id == item_id && s.value == a.value) {
                continue;
            }
            // An adaptive item can be answered once, and only when it is the one asked.
            let k = ctx.battery.iter().position(|e| e.bank.id() == entry.bank.id()).unwrap_or(0);
            let mut run = cat_session(entry, pool, session.seed, k, &stored)?;
            let asked = run.next_item();
            let item = pool.pool.index_of(item_id);
            if asked.is_none() || asked != item {
                return Err(CandidateError::BadAnswer(format!("question {item_id} is not the one being asked now")));
            }
            let index = entry.bank.item_index(item_id).ok_or_else(|| CandidateError::BadAnswer(format!("unknown question {:?}", a.key)))?;
            let category = category_of(&entry.bank, index, item_id, &a.value)?;
            adaptive_answered = Some((entry.clone(), run, asked, category));
        }
        // Responses::set checks the value against the item's response scale or options.
        let mut probe = Responses::new(&entry.bank, "check");
        probe.set(&entry.bank, item_id, &raw).map_err(|e| CandidateError::BadAnswer(plain_answer_error(&e.to_string(), item_id)))?;
        if a.seq < 1 {
            return Err(CandidateError::BadAnswer("the answer has no sequence number".into()));
        }
        let latency_ms = a.latency_ms.filter(|ms| (0..=86_400_000).contains(ms));
        inputs.push(AnswerInput { session_id: &session.id, instrument, item_id, value: &a.value, latency_ms, client_seq: a.seq });
    }
    let stored_now = store.save_answers(&inputs).await?;
    // The engine takes the answer and chooses the next question.
    let next = match adaptive_answered {
        Some((entry, mut run, Some(item), category)) => {
            run.answer(item, category).map_err(|e| CandidateError::Misconfigured(e.to_string()))?;
            let pool = adaptive_pool(&entry, true).map(|a| &a.pool);
            run.next_item().and_then(|i| pool.and_then(|p| p.items().get(i))).map(|next| format!("{}/{}", entry.bank.id(), next.id))
        }
        _ => None,
    };
    Ok(Saved { stored: stored_now, next })
}
