//! The candidate's path: invitation link -> privacy notice -> pages of
//! items -> review -> finish (scored with provenance). Every page is derived
//! from what is stored, so reloads, other devices and server restarts resume
//! exactly where the candidate was.

use std::sync::Arc;

use assessments::cat::{next_step, CatStatus};

use app::candidate::model::{CandidateView, CompletedView, ItemView, ItemsPage, LinkProblem, NoticeView, OptionView, ReviewPage};
use assessments::{
    bank::{Bank, ItemType},
    scored_session::ScoredSession,
    responses::{RawAnswer, Responses},
};
use rand::{seq::SliceRandom, SeedableRng};
use sha2::{Digest, Sha256};

use crate::{
    candidate_cache::ContextCache,
    catalog::{Adaptive, Catalog, CatalogEntry},
    battery::chosen_norms,
    scoring::{score_instrument, CatRecord, InstrumentInput},
    secrets::{new_secret, secret_hash},
    store::{Actor, AnswerInput, AnswersSeen, AuditEntry, Campaign, Finished, InvitationRow, NewScore, NewSession, SessionRow, Store, StoreError, StoredAnswer},
    time::now_ms,
};

/// Likert items per page; scenario items per page.
const LIKERT_PER_PAGE: usize = 8;
const SCENARIOS_PER_PAGE: usize = 2;
/// How long a browser keeps access after opening its link (the invitation's expiry still applies).
const ACCESS_DAYS: i64 = 30;

#[derive(Debug, thiserror::Error)]
pub enum CandidateError {
    #[error("link problem: {0:?}")]
    Link(LinkProblem),
    #[error("{0}")]
    BadAnswer(String),
    #[error("this assessment is already finished")]
    Finished,
    #[error("the time for this assessment is over")]
    TimeUp,
    #[error("please read the notice and choose whether to continue first")]
    NotStarted,
    #[error("this assessment cannot be shown: {0}")]
    Misconfigured(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Everything the candidate pages need about one invitation.
pub struct Context {
    pub invitation: InvitationRow,
    pub campaign: Campaign,
    pub organisation: String,
    pub session: Option<SessionRow>,
    pub battery: Vec<Arc<CatalogEntry>>,
    /// When this browser's access (its cookie) runs out.
    pub access_expires_at: i64,
}

/// Exchanges an invitation token for a fresh access secret (for the cookie).
pub async fn open_link(store: &Store, token: &str) -> Result<(String, i64), CandidateError> {
    if token.len() < 16 || token.len() > 128 || !token.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(CandidateError::Link(LinkProblem::Unknown));
    }
    let invitation = store.invitation_by_token_hash(&secret_hash(token)).await?.ok_or(CandidateError::Link(LinkProblem::Unknown))?;
    check_invitation(&invitation)?;
    let secret = new_secret();
    let now = now_ms();
    let expires_at = (now + ACCESS_DAYS * 86_400_000).min(invitation.expires_at.max(now));
    store.create_candidate_access(&secret_hash(&secret), &invitation.org_id, &invitation.id, now, expires_at).await?;
    Ok((secret, expires_at))
}

fn check_invitation(invitation: &InvitationRow) -> Result<(), CandidateError> {
    if invitation.status == "revoked" {
        return Err(CandidateError::Link(LinkProblem::Revoked));
    }
    if invitation.expires_at <= now_ms() {
        return Err(CandidateError::Link(LinkProblem::Expired));
    }
    Ok(())
}

/// Looks up the invitation behind an access secret.
pub async fn context(store: &Store, catalog: &Catalog, secret: Option<&str>) -> Result<Context, CandidateError> {
    let secret = secret.ok_or(CandidateError::Link(LinkProblem::Unknown))?;
    context_of_access(store, catalog, &secret_hash(secret)).await
}

/// [`context`] by the hash of the access secret.
async fn context_of_access(store: &Store, catalog: &Catalog, access_hash: &str) -> Result<Context, CandidateError> {
    // One statement reads the access, invitation, session, campaign and organisation.
    let row = store.candidate_context(access_hash).await?.ok_or(CandidateError::Link(LinkProblem::Unknown))?;
    if row.access_expires_at <= now_ms() {
        return Err(CandidateError::Link(LinkProblem::Expired));
    }
    let invitation = row.invitation.ok_or(CandidateError::Link(LinkProblem::Unknown))?;
    let session = row.session;
    // A finished candidate may still see their completion page after expiry.
    if session.as_ref().is_none_or(|s| s.status != "completed") {
        check_invitation(&invitation)?;
    }
    let campaign = row.campaign.ok_or(CandidateError::Link(LinkProblem::Unknown))?;
    let organisation = row.organisation_name.unwrap_or_default();
    let battery = battery(catalog, &campaign)?;
    Ok(Context { invitation, campaign, organisation, session, battery, access_expires_at: row.access_expires_at })
}

/// Whether a context read earlier still takes answers by the clock: access,
/// invitation and session deadline not run out, session started and not
/// finished (as far as this context knows; the database checks again).
pub fn still_open(ctx: &Context) -> Result<(), CandidateError> {
    if ctx.access_expires_at <= now_ms() {
        return Err(CandidateError::Link(LinkProblem::Expired));
    }
    check_invitation(&ctx.invitation)?;
    active_session(ctx).map(|_| ())
}

/// Saves answers sent by the holder of an access secret (the browser's
/// save-as-you-go queue). Reuses the context of this access's last save
/// while it is still open (see [`crate::candidate_cache`]); when that stores
/// less than was sent, or fails, the context is read afresh and decides.
pub async fn save_for_access(store: &Store, catalog: &Catalog, contexts: &ContextCache, secret: Option<&str>, answers: &[SubmittedAnswer]) -> Result<usize, CandidateError> {
    let secret = secret.ok_or(CandidateError::Link(LinkProblem::Unknown))?;
    let access_hash = secret_hash(secret);
    let mut stored_already = 0;
    if let Some(ctx) = contexts.get(&access_hash) {
        if still_open(&ctx).is_ok() {
            match save(store, &ctx, answers).await {
                Ok(stored) if stored == answers.len() => return Ok(stored),
                Ok(stored) => stored_already = stored,
                // The battery decides what is a valid answer, and it does not change.
                Err(e @ CandidateError::BadAnswer(_)) => return Err(e),
                Err(_) => {}
            }
        }
        contexts.forget(&access_hash);
    }
    let ctx = context_of_access(store, catalog, &access_hash).await?;
    let stored = save(store, &ctx, answers).await?;
    if still_open(&ctx).is_ok() {
        contexts.insert(access_hash, Arc::new(ctx));
    }
    Ok(stored_already + stored)
}

/// The bank versions of a campaign's battery.
pub fn battery(catalog: &Catalog, campaign: &Campaign) -> Result<Vec<Arc<CatalogEntry>>, CandidateError> {
    crate::battery::battery(catalog, campaign).map_err(|e| CandidateError::Misconfigured(e.0))
}

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
fn adaptive_pool(entry: &CatalogEntry, campaign_adaptive: bool) -> Option<&Adaptive> {
    if campaign_adaptive { entry.adaptive.as_ref() } else { None }
}

/// The adaptive engine's state for one instrument, rebuilt from the stored
/// answers in the order they were given (their sequence numbers) and the
/// session's seed: the same answers always lead to the same next item.
fn cat_status(entry: &CatalogEntry, adaptive: &Adaptive, seed: i64, instrument_index: usize, answers: &[StoredAnswer]) -> Result<CatStatus, CandidateError> {
    let bank = &entry.bank;
    let mut given: Vec<&StoredAnswer> = answers.iter().filter(|a| a.instrument == bank.id() && adaptive.pool.index_of(&a.item_id).is_some()).collect();
    given.sort_by_key(|a| a.client_seq);
    let mut responses = Responses::new(bank, "cat");
    let mut cat_answers = Vec::with_capacity(given.len());
    for a in given {
        let (Some(item), Some(index)) = (adaptive.pool.index_of(&a.item_id), bank.item_index(&a.item_id)) else { continue };
        let raw = parse_answer(bank, &a.item_id, &a.value)?;
        responses.set(bank, &a.item_id, &raw).map_err(|e| CandidateError::Misconfigured(e.to_string()))?;
        let category = responses.answer(index).and_then(|answer| assessments::adaptive::answer_category(bank, index, answer));
        cat_answers.push(assessments::cat::Answer { item, category });
    }
    next_step(&adaptive.pool, &adaptive.config, cat_seed(seed, instrument_index), &cat_answers).map_err(|e| CandidateError::Misconfigured(e.to_string()))
}

/// The adaptive seed of one instrument in a session.
fn cat_seed(session_seed: i64, instrument_index: usize) -> u64 {
    (session_seed as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15).wrapping_add(instrument_index as u64)
}

/// Most items an unfinished adaptive run may still ask: an honest upper bound for the progress bar.
fn cat_remaining_at_most(adaptive: &Adaptive, status: &CatStatus) -> usize {
    status.scales.iter().filter(|s| s.stop.is_none()).map(|s| adaptive.config.max_items.saturating_sub(s.items)).sum()
}

/// The view for `/assessment?page=N`.
pub async fn view(store: &Store, ctx: &Context, requested_page: Option<u32>) -> Result<CandidateView, CandidateError> {
    let lang = ctx.session.as_ref().map_or(ctx.invitation.language.clone(), |s| s.language.clone());
    let Some(session) = &ctx.session else {
        return Ok(CandidateView::Notice(NoticeView {
            lang: lang.clone(),
            organisation: ctx.organisation.clone(),
            campaign: ctx.campaign.name.clone(),
            notice_version: crate::NOTICE_VERSION.to_string(),
            instruments: ctx.battery.iter().map(|e| text(&e.bank.file().instrument.title, &lang)).collect(),
            minutes: estimated_minutes(&ctx.battery),
            time_limit_minutes: ctx.campaign.time_limit_minutes.and_then(|m| u32::try_from(m).ok()),
        }));
    };
    if session.status == "completed" || session.deadline_at.is_some_and(|d| d <= now_ms()) {
        let feedback = if ctx.campaign.candidate_feedback != 0 && session.status == "completed" {
            let scores = store.scores_of(&ctx.invitation.org_id, &session.id).await?;
            feedback(ctx, &scores, &lang)
        } else {
            Vec::new()
        };
        return Ok(CandidateView::Completed(CompletedView {
            lang,
            organisation: ctx.organisation.clone(),
            feedback,
            timed_out: session.status != "completed",
        }));
    }
    let answers = store.answers_of(&session.id).await?;
    let answered = |instrument: &str, item: &str| answers.iter().find(|a| a.instrument == instrument && a.item_id == item).map(|a| a.value.clone());
    let adaptive = ctx.campaign.adaptive != 0;
    let pages = plan(&ctx.battery, session.seed, adaptive);
    let done = answers.len();
    // Adaptive instruments: the next item the engine asks for, and an honest upper bound of what is left.
    let mut cat_next = None;
    let mut cat_left = 0;
    for (k, entry) in ctx.battery.iter().enumerate() {
        let Some(a) = adaptive_pool(entry, adaptive) else { continue };
        let status = cat_status(entry, a, session.seed, k, &answers)?;
        cat_left += cat_remaining_at_most(a, &status);
        if cat_next.is_none() {
            if let Some(id) = status.next_id {
                cat_next = entry.bank.item_index(&id).map(|i| (k, i));
            }
        }
    }
    let fixed_total: usize = pages.iter().map(|p| p.items.len()).sum();
    let fixed_answered = pages
        .iter()
        .flat_map(|p| p.items.iter().map(move |&i| (p.instrument, i)))
        .filter(|&(k, i)| answered(ctx.battery[k].bank.id(), &ctx.battery[k].bank.items()[i].id).is_some())
        .count();
    let total = done + (fixed_total - fixed_answered) + cat_left;
    if let (Some((k, i)), None) = (cat_next, requested_page) {
        let bank = &ctx.battery[k].bank;
        let item = &bank.items()[i];
        return Ok(CandidateView::Items(ItemsPage {
            lang: lang.clone(),
            page: 0,
            pages: pages.len() as u32,
            instrument_title: text(&bank.file().instrument.title, &lang),
            instructions: (!answers.iter().any(|a| a.instrument == bank.id())).then(|| bank.file().instrument.instructions.as_ref().map(|t| text(t, &lang))).flatten(),
            answered: done as u32,
            total: total as u32,
            total_is_upper_bound: cat_left > 0,
            items: vec![ItemView {
                key: format!("{}/{}", bank.id(), item.id),
                number: done as u32 + 1,
                text: text(&item.text, &lang),
                options: options(bank, i, &lang),
                answer: None,
                scenario: item.kind == ItemType::Sjt,
            }],
            deadline_ms: session.deadline_at,
            next_seq: answers.iter().map(|a| a.client_seq).max().unwrap_or(0) + 1,
        }));
    }
    let first_incomplete = pages.iter().position(|p| {
        let bank = &ctx.battery[p.instrument].bank;
        p.items.iter().any(|&i| answered(bank.id(), &bank.items()[i].id).is_none())
    });
    let page_index = match requested_page {
        Some(n) if n >= 1 && (n as usize) <= pages.len() => n as usize - 1,
        Some(n) if n as usize == pages.len() + 1 => return Ok(review(&pages, ctx, &answers, &lang, session)),
        _ => match first_incomplete {
            Some(i) => i,
            None => return Ok(review(&pages, ctx, &answers, &lang, session)),
        },
    };
    let Some(page) = pages.get(page_index) else {
        return Ok(review(&pages, ctx, &answers, &lang, session));
    };
    let entry = &ctx.battery[page.instrument];
    let bank = &entry.bank;
    let first_of_instrument = pages.iter().position(|p| p.instrument == page.instrument) == Some(page_index);
    let number_before: usize = pages[..page_index].iter().map(|p| p.items.len()).sum();
    let items = page
        .items
        .iter()
        .enumerate()
        .map(|(n, &i)| {
            let item = &bank.items()[i];
            ItemView {
                key: format!("{}/{}", bank.id(), item.id),
                number: (number_before + n + 1) as u32,
                text: text(&item.text, &lang),
                options: options(bank, i, &lang),
                answer: answered(bank.id(), &item.id),
                scenario: item.kind == ItemType::Sjt,
            }
        })
        .collect();
    Ok(CandidateView::Items(ItemsPage {
        lang: lang.clone(),
        page: page_index as u32 + 1,
        pages: pages.len() as u32,
        instrument_title: text(&bank.file().instrument.title, &lang),
        instructions: first_of_instrument.then(|| bank.file().instrument.instructions.as_ref().map(|t| text(t, &lang))).flatten(),
        answered: done as u32,
        total: total as u32,
        total_is_upper_bound: cat_left > 0,
        items,
        deadline_ms: session.deadline_at,
        next_seq: answers.iter().map(|a| a.client_seq).max().unwrap_or(0) + 1,
    }))
}

fn review(pages: &[PagePlan], ctx: &Context, answers: &[crate::store::StoredAnswer], lang: &str, session: &SessionRow) -> CandidateView {
    let incomplete_pages = pages
        .iter()
        .enumerate()
        .filter(|(_, p)| {
            let bank = &ctx.battery[p.instrument].bank;
            p.items.iter().any(|&i| !answers.iter().any(|a| a.instrument == bank.id() && a.item_id == bank.items()[i].id))
        })
        .map(|(n, _)| n as u32 + 1)
        .collect::<Vec<u32>>();
    let unanswered: usize = pages
        .iter()
        .flat_map(|p| p.items.iter().map(move |&i| (p.instrument, i)))
        .filter(|&(k, i)| {
            let bank = &ctx.battery[k].bank;
            !answers.iter().any(|a| a.instrument == bank.id() && a.item_id == bank.items()[i].id)
        })
        .count();
    CandidateView::Review(ReviewPage {
        lang: lang.to_string(),
        answered: answers.len() as u32,
        total: (answers.len() + unanswered) as u32,
        incomplete_pages,
        pages: pages.len() as u32,
        deadline_ms: session.deadline_at,
    })
}

/// A short, strengths-first summary for the candidate: the (at most two)
/// trait scales where their answers stand out most, in plain words, and
/// what such a summary cannot tell. Scales where a high score means more
/// risk-taking, and validity scales, are left out.
fn feedback(ctx: &Context, scores: &[crate::store::StoredScore], lang: &str) -> Vec<String> {
    let german = lang == "de";
    let mut strengths: Vec<(f64, String)> = Vec::new();
    for score in scores.iter().filter(|s| s.method == "ctt") {
        let Some(entry) = ctx.battery.iter().find(|e| e.bank.id() == score.instrument) else { continue };
        let Ok(report) = serde_json::from_str::<ScoredSession>(&score.report) else { continue };
        for scale in &report.scores.scales {
            let Some(def) = entry.bank.scale(&scale.scale) else { continue };
            let counts = def.kind == assessments::bank::ScaleKind::Trait && scale.scale != "risk_propensity";
            if let (true, Some(normed)) = (counts, scale.normed.as_ref()) {
                if normed.point.t >= 50 {
                    strengths.push((f64::from(normed.point.t), text(&def.name, lang)));
                }
            }
        }
    }
    strengths.sort_by(|a, b| b.0.total_cmp(&a.0));
    let names: Vec<String> = strengths.into_iter().take(2).map(|(_, n)| n).collect();
    let mut out = Vec::new();
    if !names.is_empty() {
        out.push(if german {
            format!("Ihre Antworten beschreiben besondere Stärken in: {}.", names.join(" und "))
        } else {
            format!("Your answers describe particular strengths in: {}.", names.join(" and "))
        });
    }
    out.push(if german {
        "Jedes Profil hat Bereiche, die weniger ausgeprägt sind; sie sind ein Gesprächsthema, kein Urteil.".to_string()
    } else {
        "Every profile has areas that are less pronounced; they are a topic for conversation, not a verdict.".to_string()
    });
    out.push(if german {
        "Diese Rückmeldung beschreibt, wie Sie sich heute selbst beschrieben haben, im Vergleich mit einer Bezugsgruppe. Sie ist keine Beurteilung Ihrer Person, und jede Entscheidung trifft ein Mensch.".to_string()
    } else {
        "This summary reflects how you described yourself today, compared with a reference group. It is not a judgement of you as a person, and every decision is made by a person.".to_string()
    });
    out
}

/// The answer options of an item, in the candidate's language. Values are
/// what the form sends back: the Likert value, or the SJT option id. No keys.
fn options(bank: &Bank, index: usize, lang: &str) -> Vec<OptionView> {
    let item = &bank.items()[index];
    if item.kind == ItemType::Sjt {
        return item.options.iter().map(|o| OptionView { value: o.id.clone(), label: text(&o.text, lang) }).collect();
    }
    let Some(scale) = item.response_scale.as_deref().and_then(|id| bank.file().response_scales.iter().find(|s| s.id == id)) else {
        return Vec::new();
    };
    let labels = scale.labels.get(lang).or_else(|| scale.labels.get("en"));
    (scale.min..=scale.max)
        .enumerate()
        .map(|(n, v)| OptionView { value: v.to_string(), label: labels.and_then(|l| l.get(n)).cloned().unwrap_or_else(|| v.to_string()) })
        .collect()
}

/// Text in the wanted language, else English, else any.
fn text(t: &assessments::bank::Text, lang: &str) -> String {
    t.get(lang).or_else(|| t.get("en")).or_else(|| t.values().next()).cloned().unwrap_or_default()
}

/// About 8 seconds per statement and 40 per scenario, rounded up to 5 minutes.
fn estimated_minutes(battery: &[Arc<CatalogEntry>]) -> u32 {
    let seconds: usize = battery
        .iter()
        .flat_map(|e| e.bank.items().iter())
        .map(|i| if i.kind == ItemType::Sjt { 40 } else { 8 })
        .sum();
    (seconds.div_ceil(60) as u32).div_ceil(5) * 5
}

/// The candidate read the notice and chose to continue: the session starts.
pub async fn acknowledge(store: &Store, ctx: &Context) -> Result<(), CandidateError> {
    if ctx.session.is_some() {
        return Ok(());
    }
    let now = now_ms();
    let seed = i64::from_le_bytes(Sha256::digest(new_secret().as_bytes())[..8].try_into().unwrap_or([0; 8])) & i64::MAX;
    let session_id = store
        .start_session(&NewSession {
            org_id: &ctx.invitation.org_id,
            campaign_id: &ctx.campaign.id,
            invitation_id: &ctx.invitation.id,
            notice_version: crate::NOTICE_VERSION,
            language: &ctx.invitation.language,
            seed,
            deadline_at: ctx.campaign.time_limit_minutes.map(|m| now + m * 60_000),
        })
        .await?;
    store
        .audit(&AuditEntry {
            org_id: Some(&ctx.invitation.org_id),
            actor: Actor::Candidate,
            action: "candidate.acknowledged_notice",
            object_type: "session",
            object_id: Some(&session_id),
            detail: Some(serde_json::json!({ "notice_version": crate::NOTICE_VERSION }).to_string()),
        })
        .await?;
    Ok(())
}

/// One answer from a form or the browser's queue: `key` is "instrument/item".
#[derive(Debug, Clone)]
pub struct SubmittedAnswer {
    pub key: String,
    pub value: String,
    pub latency_ms: Option<i64>,
    pub seq: i64,
}

/// Checks every answer against the battery, then saves them all together;
/// one bad answer stores nothing.
pub async fn save(store: &Store, ctx: &Context, answers: &[SubmittedAnswer]) -> Result<usize, CandidateError> {
    let session = active_session(ctx)?;
    let adaptive = ctx.campaign.adaptive != 0;
    // Stored answers, needed only to check adaptive items against the engine.
    let stored = if adaptive && ctx.battery.iter().any(|e| e.adaptive.is_some()) { store.answers_of(&session.id).await? } else { Vec::new() };
    let mut inputs = Vec::with_capacity(answers.len());
    for a in answers {
        let (instrument, item_id) = a.key.split_once('/').ok_or_else(|| CandidateError::BadAnswer(format!("unknown question {:?}", a.key)))?;
        let entry = ctx
            .battery
            .iter()
            .find(|e| e.bank.id() == instrument)
            .ok_or_else(|| CandidateError::BadAnswer(format!("unknown question {:?}", a.key)))?;
        let raw = parse_answer(&entry.bank, item_id, &a.value)?;
        if let Some(pool) = adaptive_pool(entry, adaptive).filter(|p| p.pool.index_of(item_id).is_some()) {
            // The same answer sent again (a retried request) is simply already stored.
            if stored.iter().any(|s| s.instrument == entry.bank.id() && s.item_id == item_id && s.value == a.value) {
                continue;
            }
            // An adaptive item can be answered once, and only when it is the one asked.
            let k = ctx.battery.iter().position(|e| e.bank.id() == entry.bank.id()).unwrap_or(0);
            let asked = cat_status(entry, pool, session.seed, k, &stored)?.next_id;
            if asked.as_deref() != Some(item_id) || answers.len() != 1 {
                return Err(CandidateError::BadAnswer(format!("question {item_id} is not the one being asked now")));
            }
        }
        // Responses::set checks the value against the item's response scale or options.
        let mut probe = Responses::new(&entry.bank, "check");
        probe.set(&entry.bank, item_id, &raw).map_err(|e| CandidateError::BadAnswer(plain_answer_error(&e.to_string(), item_id)))?;
        if a.seq < 1 {
            return Err(CandidateError::BadAnswer("the answer has no sequence number".into()));
        }
        let latency = a.latency_ms.filter(|ms| (0..=86_400_000).contains(ms));
        inputs.push((entry.bank.id().to_string(), item_id.to_string(), a.value.clone(), latency, a.seq));
    }
    let rows: Vec<AnswerInput<'_>> = inputs
        .iter()
        .map(|(instrument, item, value, latency, seq)| AnswerInput { session_id: &session.id, instrument, item_id: item, value, latency_ms: *latency, client_seq: *seq })
        .collect();
    Ok(store.save_answers(&rows).await?)
}

fn plain_answer_error(detail: &str, item: &str) -> String {
    format!("The answer to question {item} is not one of its choices ({detail}).")
}

fn parse_answer(bank: &Bank, item_id: &str, value: &str) -> Result<RawAnswer, CandidateError> {
    let item = bank.item(item_id).ok_or_else(|| CandidateError::BadAnswer(format!("unknown question {item_id:?}")))?;
    if item.kind == ItemType::Sjt {
        Ok(RawAnswer::Option(value.to_string()))
    } else {
        value.trim().parse::<i64>().map(RawAnswer::Value).map_err(|_| CandidateError::BadAnswer(format!("the answer to {item_id} must be a number")))
    }
}

fn active_session(ctx: &Context) -> Result<&SessionRow, CandidateError> {
    let session = ctx.session.as_ref().ok_or(CandidateError::NotStarted)?;
    if session.status == "completed" {
        return Err(CandidateError::Finished);
    }
    if session.deadline_at.is_some_and(|d| d <= now_ms()) {
        return Err(CandidateError::TimeUp);
    }
    Ok(session)
}

/// Finishes the session as one unit: scores every instrument of the
/// battery (see [`crate::scoring`]), then marks the session completed, stores
/// every score record and the audit entry in one transaction. When anything
/// fails nothing is stored and the candidate may try again; a finished
/// session is left as it is.
pub async fn finish(store: &Store, ctx: &Context) -> Result<(), CandidateError> {
    let session = ctx.session.as_ref().ok_or(CandidateError::NotStarted)?;
    if session.status == "completed" {
        return Ok(());
    }
    let audit = AuditEntry {
        org_id: Some(&ctx.invitation.org_id),
        actor: Actor::Candidate,
        action: "candidate.finished",
        object_type: "session",
        object_id: Some(&session.id),
        detail: None,
    };
    // An answer that arrives while scoring (another tab) means: score again.
    for _ in 0..FINISH_ATTEMPTS {
        let answers = store.answers_of(&session.id).await?;
        let scores = session_scores(ctx, session, &answers)?;
        match store.finish_session(&ctx.invitation.org_id, &session.id, AnswersSeen::of(&answers), &scores, &audit).await? {
            Finished::Now | Finished::Already => return Ok(()),
            Finished::AnswersChanged => continue,
        }
    }
    Err(CandidateError::Misconfigured("the answers kept changing while the session was being finished".into()))
}

/// How often finishing scores again when answers keep arriving meanwhile.
const FINISH_ATTEMPTS: usize = 3;

/// The score records of every instrument of the battery, from the stored answers.
fn session_scores(ctx: &Context, session: &SessionRow, answers: &[StoredAnswer]) -> Result<Vec<NewScore>, CandidateError> {
    let mut records = Vec::new();
    for (k, entry) in ctx.battery.iter().enumerate() {
        let bank = &entry.bank;
        let responses = responses_of(bank, &session.id, answers);
        let pool = adaptive_pool(entry, ctx.campaign.adaptive != 0);
        let status = pool.map(|pool| cat_status(entry, pool, session.seed, k, answers)).transpose()?;
        let cat = pool.zip(status.as_ref()).map(|(pool, status)| CatRecord { status, config: &pool.config });
        let input = InstrumentInput { bank, norms: chosen_norms(&ctx.campaign, entry), responses: &responses, cat };
        records.extend(score_instrument(input).map_err(|e| CandidateError::Misconfigured(e.to_string()))?);
    }
    Ok(records)
}

/// A session's stored answers to one bank, as the scorers read them.
/// Stored answers were checked on the way in; any that no longer fit are left out.
fn responses_of(bank: &Bank, session_id: &str, answers: &[StoredAnswer]) -> Responses {
    let mut responses = Responses::new(bank, session_id);
    for a in answers.iter().filter(|a| a.instrument == bank.id()) {
        if let Ok(raw) = parse_answer(bank, &a.item_id, &a.value) {
            if responses.set(bank, &a.item_id, &raw).is_ok() {
                if let Some(ms) = a.latency_ms.and_then(|ms| u32::try_from(ms).ok()) {
                    let _ = responses.set_latency(bank, &a.item_id, ms);
                }
            }
        }
    }
    responses
}
