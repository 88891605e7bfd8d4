//! Finishing a session: every instrument scored by the one scoring path
//! ([`crate::scoring`]), then completion, every score record and the audit
//! entry in one transaction, or nothing.

use assessments::{cat::CatStatus, scoring::Scorer};

use super::{
    access::Context,
    error::CandidateError,
    plan::{adaptive_pool, cat_status, plan},
};
use crate::{
    battery::{chosen_fixed_form, chosen_norms},
    scoring::{score_instrument, CatRecord, InstrumentInput},
    sheets::{responses_of, sheet, SheetSource},
    store::{Actor, AnswersSeen, AuditEntry, Finished, NewScore, NewSheet, SessionRow, Store, StoredAnswer},
};

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
        // Each adaptive run replayed once: for the check and for the scores.
        let runs = adaptive_runs(ctx, session, &answers)?;
        if let Some(page) = missing_answers(ctx, session, &answers, &runs) {
            return Err(CandidateError::AnswersMissing { page });
        }
        let scores = session_scores(ctx, session, &answers, &runs)?;
        let sheets = analysis_sheets(ctx, session, &answers, &scores);
        match store.finish_session(&ctx.invitation.org_id, &session.id, AnswersSeen::of(&answers), &scores, &sheets, &audit).await? {
            Finished::Now | Finished::Already => return Ok(()),
            Finished::AnswersChanged => continue,
        }
    }
    Err(CandidateError::Misconfigured("the answers kept changing while the session was being finished".into()))
}

/// Where answers are still needed before the session can be finished: the
/// first page (1-based) with an unanswered item of a scale that has fewer
/// than 80% of its items answered (the scoring rule: up to one in five may
/// be left out), or 0 while an adaptive run is still asking. `None` when
/// every scale can be scored, and always once the session's time is up
/// (what is there is finished then).
pub(super) fn missing_answers(ctx: &Context, session: &SessionRow, answers: &[StoredAnswer], runs: &[Option<CatStatus>]) -> Option<u32> {
    if session.deadline_at.is_some_and(|d| d <= crate::time::now_ms()) {
        return None;
    }
    let adaptive = ctx.campaign.adaptive != 0;
    if runs.iter().flatten().any(|run| run.next.is_some()) {
        return Some(0);
    }
    // The unanswered items of every scale that cannot be scored yet, per instrument.
    let mut open: Vec<Vec<usize>> = vec![Vec::new(); ctx.battery.len()];
    for (k, entry) in ctx.battery.iter().enumerate() {
        if adaptive_pool(entry, adaptive).is_some() {
            continue; // its scales rest on the adaptive run, checked above
        }
        let bank = &entry.bank;
        let responses = responses_of(bank, &session.id, answers);
        for (s, raw) in Scorer::raw_only(bank).raw_scores(&responses).iter().enumerate() {
            if raw.raw.is_none() && raw.items > 0 {
                open[k].extend(bank.scale_item_indices(s).iter().filter(|&&i| responses.answer(i).is_none()));
            }
        }
    }
    if open.iter().all(Vec::is_empty) {
        return None;
    }
    // The first page, in the candidate's order, with one of them.
    let pages = plan(&ctx.battery, session.seed, adaptive);
    let first = pages.iter().position(|p| p.items.iter().any(|i| open[p.instrument].contains(i)));
    Some(first.map_or(1, |p| p as u32 + 1))
}

/// Each instrument's adaptive run rebuilt from the answers (none where the
/// instrument runs as a full form), in the battery's order.
pub(super) fn adaptive_runs(ctx: &Context, session: &SessionRow, answers: &[StoredAnswer]) -> Result<Vec<Option<CatStatus>>, CandidateError> {
    ctx.battery
        .iter()
        .enumerate()
        .map(|(k, entry)| adaptive_pool(entry, ctx.campaign.adaptive != 0).map(|pool| cat_status(entry, pool, session.seed, k, answers)).transpose())
        .collect()
}

/// How often finishing scores again when answers keep arriving meanwhile.
pub(super) const FINISH_ATTEMPTS: usize = 3;

/// The score records of every instrument of the battery, from the stored
/// answers and the adaptive runs rebuilt from them ([`adaptive_runs`]).
pub(super) fn session_scores(ctx: &Context, session: &SessionRow, answers: &[StoredAnswer], runs: &[Option<CatStatus>]) -> Result<Vec<NewScore>, CandidateError> {
    let mut records = Vec::new();
    for (entry, run) in ctx.battery.iter().zip(runs) {
        let bank = &entry.bank;
        let responses = responses_of(bank, &session.id, answers);
        let pool = adaptive_pool(entry, ctx.campaign.adaptive != 0);
        let cat = pool.zip(run.as_ref()).map(|(pool, status)| CatRecord { status, config: &pool.config });
        let input = InstrumentInput { entry, norms: chosen_norms(&ctx.campaign, entry), responses: &responses, cat, fixed_form: chosen_fixed_form(&ctx.campaign, entry) };
        records.extend(score_instrument(input).map_err(|e| CandidateError::Misconfigured(e.to_string()))?);
    }
    Ok(records)
}

/// The analysis sheet of every instrument the session answered (see
/// [`crate::sheets`]), stored with its completion.
fn analysis_sheets(ctx: &Context, session: &SessionRow, answers: &[StoredAnswer], scores: &[NewScore]) -> Vec<NewSheet> {
    ctx.battery
        .iter()
        .filter_map(|entry| {
            let source = SheetSource {
                session_id: &session.id,
                campaign_id: &ctx.campaign.id,
                language: &session.language,
                adaptive: adaptive_pool(entry, ctx.campaign.adaptive != 0).is_some(),
                validity_status: crate::sheets::validity_of(scores, entry.bank.id()),
            };
            sheet(&entry.bank, source, answers)
        })
        .collect()
}
