//! What the candidate sees: the notice, a page of items (or the adaptive
//! engine's one question), the review before finishing, and the completion
//! page with the optional short feedback. No scoring material reaches these
//! views: answer options carry their values, never their keys.

use app::candidate::model::{CandidateView, CompletedView, ItemView, ItemsPage, NoticeLength, NoticeView, OptionView, ReviewPage};
use assessments::bank::{Bank, ItemType};

use super::{
    access::Context,
    error::CandidateError,
    plan::{adaptive_pool, cat_remaining_at_most, cat_session, plan, PagePlan},
    runs::{KnownRun, KnownRuns},
};
use crate::{
    store::{SessionRow, Store, StoredAnswer, StoredScore},
    time::now_ms,
};

/// The view for `/assessment?page=N`. The adaptive runs it replays are
/// kept in `runs` (see [`super::runs`]), for the saves that follow the page.
pub async fn view(store: &Store, ctx: &Context, runs: &KnownRuns, requested_page: Option<u32>) -> Result<CandidateView, CandidateError> {
    let lang = ctx.session.as_ref().map_or(ctx.invitation.language.clone(), |s| s.language.clone());
    let Some(session) = &ctx.session else {
        return Ok(CandidateView::Notice(NoticeView {
            lang: lang.clone(),
            organisation: ctx.organisation.clone(),
            campaign: ctx.campaign.name.clone(),
            notice_version: crate::NOTICE_VERSION.to_string(),
            instruments: ctx.battery.iter().map(|e| text(&e.bank.file().instrument.title, &lang)).collect(),
            length: {
                let length = crate::battery::length(&ctx.battery, ctx.campaign.adaptive != 0);
                NoticeLength { questions: length.questions, minutes: length.minutes }
            },
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
        // The optional group questions, offered once the assessment is finished.
        let group_questions = session.status == "completed" && store.group_settings(&ctx.invitation.org_id).await?.is_some_and(|g| !g.variables.is_empty());
        return Ok(CandidateView::Completed(CompletedView {
            lang,
            organisation: ctx.organisation.clone(),
            feedback,
            timed_out: session.status != "completed",
            group_questions,
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
        let mut run = cat_session(entry, a, session.seed, k, &answers)?;
        let status = run.status();
        let given = answers.iter().filter(|s| s.instrument == entry.bank.id()).count() as i64;
        runs.remember(entry.bank.id(), KnownRun { answers: given, progress: run.into_progress() });
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
            section: [k as u32 + 1, ctx.battery.len() as u32],
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
        section: [page.instrument as u32 + 1, ctx.battery.len() as u32],
        instructions: first_of_instrument.then(|| bank.file().instrument.instructions.as_ref().map(|t| text(t, &lang))).flatten(),
        answered: done as u32,
        total: total as u32,
        total_is_upper_bound: cat_left > 0,
        items,
        deadline_ms: session.deadline_at,
        next_seq: answers.iter().map(|a| a.client_seq).max().unwrap_or(0) + 1,
    }))
}

pub(super) fn review(pages: &[PagePlan], ctx: &Context, answers: &[StoredAnswer], lang: &str, session: &SessionRow) -> CandidateView {
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
pub(super) fn feedback(ctx: &Context, scores: &[StoredScore], lang: &str) -> Vec<String> {
    let german = lang == "de";
    let mut strengths: Vec<(f64, String)> = Vec::new();
    // Each scale's reported score (CTT or IRT, by the one rule); a record
    // that cannot be read gives no feedback rather than a wrong one.
    for scored in crate::scoring::read::read_session(&ctx.battery, scores).unwrap_or_default() {
        for scale in &scored.scales {
            let Some(def) = scored.entry.bank.scale(&scale.scale) else { continue };
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
pub(super) fn options(bank: &Bank, index: usize, lang: &str) -> Vec<OptionView> {
    item_options(bank.file(), &bank.items()[index], lang, |t| text(t, lang))
}

/// The answer options of an item of a bank's content, its texts in the
/// words `words` picks (the candidate's language; the preview marks a
/// missing translation).
pub fn item_options(file: &assessments::bank::BankFile, item: &assessments::bank::ItemDef, lang: &str, words: impl Fn(&assessments::bank::Text) -> String) -> Vec<OptionView> {
    if item.kind == ItemType::Sjt {
        return item.options.iter().map(|o| OptionView { value: o.id.clone(), label: words(&o.text) }).collect();
    }
    let Some(scale) = item.response_scale.as_deref().and_then(|id| file.response_scales.iter().find(|s| s.id == id)) else {
        return Vec::new();
    };
    let labels = scale.labels.get(lang).or_else(|| scale.labels.get("en"));
    (scale.min..=scale.max)
        .enumerate()
        .map(|(n, v)| OptionView { value: v.to_string(), label: labels.and_then(|l| l.get(n)).cloned().unwrap_or_else(|| v.to_string()) })
        .collect()
}

/// Text in the wanted language, else English, else any.
pub(crate) fn text(t: &assessments::bank::Text, lang: &str) -> String {
    t.get(lang).or_else(|| t.get("en")).or_else(|| t.values().next()).cloned().unwrap_or_default()
}
