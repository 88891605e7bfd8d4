//! The page plan of a session: the fixed items in pages (shuffled by the
//! session's seed), and the adaptive engine's state rebuilt from the stored
//! answers. Deterministic: the same session always gets the same pages and
//! the same next item.

use std::sync::Arc;

use assessments::{
    bank::ItemType,
    cat::{next_step, replay, Answer, CatProgress, CatSession, CatStatus},
    responses::resolve_answer,
};
use rand::{seq::SliceRandom, SeedableRng};

use super::{
    answer::{parse_answer, plain_answer_error},
    error::CandidateError,
};
use crate::{
    catalog::{Adaptive, CatalogEntry},
    store::StoredAnswer,
};

/// Likert items per page; scenario items per page.
pub(crate) const LIKERT_PER_PAGE: usize = 8;

pub(crate) const SCENARIOS_PER_PAGE: usize = 2;

/// One page of the session: which instrument, which items (bank indices).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PagePlan {
    pub instrument: usize,
    pub items: Vec<usize>,
}

/// The pages of a session: each instrument's items (check items included),
/// shuffled by the session's seed so scales mix, in pages of 8 statements or
/// 2 scenarios. Deterministic: the same session always gets the same pages.
pub fn plan(battery: &[Arc<CatalogEntry>], seed: i64, adaptive: bool) -> Vec<PagePlan> {
    let mut pages = Vec::new();
    for (k, entry) in battery.iter().enumerate() {
        // In adaptive mode the engine chooses the pool's items one at a time;
        // the pages hold only what is not in the pool (e.g. check items).
        let in_pool = |i: usize| adaptive_pool(entry, adaptive).is_some_and(|a| a.pool.index_of(&entry.bank.items()[i].id).is_some());
        let mut items: Vec<usize> = (0..entry.bank.items().len()).filter(|&i| !in_pool(i)).collect();
        if items.is_empty() {
            continue;
        }
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64((seed as u64).wrapping_mul(31).wrapping_add(k as u64));
        items.shuffle(&mut rng);
        let per_page = if entry.bank.items().iter().all(|i| i.kind == ItemType::Sjt) { SCENARIOS_PER_PAGE } else { LIKERT_PER_PAGE };
        for chunk in items.chunks(per_page) {
            pages.push(PagePlan { instrument: k, items: chunk.to_vec() });
        }
    }
    pages
}

/// The adaptive pool of an instrument when the campaign runs adaptively and the bank is calibrated.
pub(super) fn adaptive_pool(entry: &CatalogEntry, campaign_adaptive: bool) -> Option<&Adaptive> {
    if campaign_adaptive { entry.adaptive.as_ref() } else { None }
}

/// The adaptive engine's state for one instrument, rebuilt from the stored
/// answers in the order they were given (their sequence numbers) and the
/// session's seed: the same answers always lead to the same next item.
pub(super) fn cat_status(entry: &CatalogEntry, adaptive: &Adaptive, seed: i64, instrument_index: usize, answers: &[StoredAnswer]) -> Result<CatStatus, CandidateError> {
    next_step(&adaptive.pool, &adaptive.config, Adaptive::seed(seed, instrument_index), &cat_answers(entry, adaptive, answers)?).map_err(|e| CandidateError::Misconfigured(e.to_string()))
}

/// The adaptive session itself, replayed from the stored answers like
/// [`cat_status`], to be taken further (the save path answers the question
/// asked and asks the engine for the next one without replaying again).
pub(super) fn cat_session<'a>(entry: &CatalogEntry, adaptive: &'a Adaptive, seed: i64, instrument_index: usize, answers: &[StoredAnswer]) -> Result<CatSession<'a>, CandidateError> {
    replay(&adaptive.pool, &adaptive.config, Adaptive::seed(seed, instrument_index), &cat_answers(entry, adaptive, answers)?).map_err(|e| CandidateError::Misconfigured(e.to_string()))
}

/// The adaptive session taken up where a remembered run left it (see
/// [`super::runs`]), instead of replayed from the stored answers.
pub(super) fn resumed_cat_session(adaptive: &Adaptive, progress: CatProgress) -> Result<CatSession<'_>, CandidateError> {
    CatSession::resume(&adaptive.pool, &adaptive.config, progress).map_err(|e| CandidateError::Misconfigured(e.to_string()))
}

/// The stored answers to the instrument's pool items as the engine takes
/// them, in the order given.
fn cat_answers(entry: &CatalogEntry, adaptive: &Adaptive, answers: &[StoredAnswer]) -> Result<Vec<Answer>, CandidateError> {
    let bank = &entry.bank;
    let mut given: Vec<&StoredAnswer> = answers.iter().filter(|a| a.instrument == bank.id() && adaptive.pool.index_of(&a.item_id).is_some()).collect();
    given.sort_by_key(|a| a.client_seq);
    let mut cat_answers = Vec::with_capacity(given.len());
    for a in given {
        let (Some(item), Some(index)) = (adaptive.pool.index_of(&a.item_id), bank.item_index(&a.item_id)) else { continue };
        cat_answers.push(Answer { item, category: category_of(bank, index, &a.item_id, &a.value)? });
    }
    Ok(cat_answers)
}

/// The engine's answer category of a stored or sent answer value; a value
/// that is none of the item's choices is a bad answer.
pub(super) fn category_of(bank: &assessments::bank::Bank, index: usize, item_id: &str, value: &str) -> Result<Option<usize>, CandidateError> {
    let raw = parse_answer(bank, item_id, value)?;
    let answer = resolve_answer(bank, index, &raw).map_err(|e| CandidateError::BadAnswer(plain_answer_error(&e, item_id)))?;
    Ok(assessments::adaptive::answer_category(bank, index, answer))
}

/// Most items an unfinished adaptive run may still ask: an honest upper bound for the progress bar.
pub(super) fn cat_remaining_at_most(adaptive: &Adaptive, status: &CatStatus) -> usize {
    status.scales.iter().filter(|s| s.stop.is_none()).map(|s| adaptive.config.max_items.saturating_sub(s.items)).sum()
}
