//! The candidate pages. Each is a server-rendered HTML form that works with
//! JavaScript turned off; routes use `SsrMode::Async` so the whole page
//! arrives in one piece.

use leptos::prelude::*;
use leptos_meta::{Html, Title};
use leptos_router::hooks::{use_params_map, use_query_map};

use super::model::{CandidateView, CompletedView, ItemView, ItemsPage, LinkProblem, NoticeView, ReviewPage};
#[cfg(feature = "ssr")]
use crate::cookies::{candidate_cookie, CANDIDATE_COOKIE};
use crate::{i18n::strings, AppError};

#[cfg(feature = "ssr")]
fn set_status(code: u16) {
    if let (Some(res), Ok(status)) = (use_context::<leptos_axum::ResponseOptions>(), http::StatusCode::from_u16(code)) {
        res.set_status(status);
    }
}

/// Exchanges the link's token for a cookie and sends the browser to the
/// token-free `/assessment`; or says why the link does not work.
#[server(prefix = "/api", endpoint = "open_invitation")]
pub async fn open_invitation(token: String) -> Result<Option<LinkProblem>, AppError> {
    match crate::ports::services()?.open_link(token).await? {
        Ok((secret, max_age_seconds)) => {
            // A plain 303 to the token-free address, whatever the client accepts.
            if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
                let cookie = format!("{CANDIDATE_COOKIE}={secret}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_seconds}");
                if let Ok(value) = http::HeaderValue::from_str(&cookie) {
                    res.append_header(http::header::SET_COOKIE, value);
                }
                res.insert_header(http::header::LOCATION, http::HeaderValue::from_static("/assessment"));
                res.set_status(http::StatusCode::SEE_OTHER);
            }
            Ok(None)
        }
        Err(problem) => {
            set_status(if problem == LinkProblem::Unknown { 404 } else { 410 });
            Ok(Some(problem))
        }
    }
}

/// The current page of the candidate holding the cookie.
#[server(prefix = "/api", endpoint = "candidate_view")]
pub async fn load_candidate_view(page: Option<u32>) -> Result<Result<CandidateView, LinkProblem>, AppError> {
    let headers: http::HeaderMap = leptos_axum::extract().await.map_err(|e| AppError::BadRequest(e.to_string()))?;
    let result = crate::ports::services()?.candidate_view(candidate_cookie(&headers), page).await?;
    if let Err(problem) = &result {
        set_status(if *problem == LinkProblem::Unknown { 404 } else { 410 });
    }
    Ok(result)
}

/// `/take/{token}`: the invitation link.
#[component]
pub fn TakeLink() -> impl IntoView {
    let token = use_params_map().read_untracked().get("token").unwrap_or_default();
    let opened = Resource::new(move || token.clone(), open_invitation);
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match opened.await {
                    Ok(None) => view! { <Html {..} lang="en" /><p><a href="/assessment">"Continue"</a></p> }.into_any(),
                    Ok(Some(problem)) => view! { <LinkProblemPage problem lang="en".to_string() /> }.into_any(),
                    Err(e) => view! { <Html {..} lang="en" /><p class="notice">{e.to_string()}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// `/assessment`: notice, items, review or completion, as the session stands.
#[component]
pub fn Assessment() -> impl IntoView {
    let page = use_query_map().read_untracked().get("page").and_then(|p| p.parse::<u32>().ok());
    let current = Resource::new(move || page, load_candidate_view);
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match current.await {
                    Ok(Ok(CandidateView::Notice(n))) => view! { <Notice n /> }.into_any(),
                    Ok(Ok(CandidateView::Items(p))) => view! { <Items p /> }.into_any(),
                    Ok(Ok(CandidateView::Review(r))) => view! { <Review r /> }.into_any(),
                    Ok(Ok(CandidateView::Completed(c))) => view! { <Completed c /> }.into_any(),
                    Ok(Err(problem)) => view! { <LinkProblemPage problem lang="en".to_string() /> }.into_any(),
                    Err(e) => view! { <Html {..} lang="en" /><p class="notice">{e.to_string()}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// `/assessment/declined`.
#[component]
pub fn Declined() -> impl IntoView {
    let lang = crate::i18n::supported(&use_query_map().read_untracked().get("lang").unwrap_or_default()).to_string();
    let s = strings(&lang);
    view! {
        <Html {..} lang=lang.clone() />
        <Title text=s.declined_title />
        <section class="prose" lang=lang>
            <h1>{s.declined_title}</h1>
            <p>{s.declined_text}</p>
        </section>
    }
}

/// A one-button form that switches the candidate pages to the other language.
#[component]
fn LanguageSwitch(lang: String, #[prop(optional)] page: Option<u32>) -> impl IntoView {
    let other = if lang == "de" { "en" } else { "de" };
    let s = strings(&lang);
    view! {
        <form method="post" action="/assessment/language" class="language-switch">
            <input type="hidden" name="lang" value=other />
            {page.map(|p| view! { <input type="hidden" name="page" value=p /> })}
            <button type="submit" class="link-button" lang=other id="switch-language">{s.switch_language}</button>
        </form>
    }
}

#[component]
fn LinkProblemPage(problem: LinkProblem, lang: String) -> impl IntoView {
    let s = strings(&lang);
    let (title, text) = match problem {
        LinkProblem::Unknown => (s.link_unknown_title, s.link_unknown_text),
        LinkProblem::Expired => (s.link_expired_title, s.link_expired_text),
        LinkProblem::Revoked => (s.link_expired_title, s.link_revoked_text),
    };
    view! {
        <Html {..} lang=lang.clone() />
        <Title text=title />
        <section class="prose" lang=lang>
            <h1>{title}</h1>
            <p>{text}</p>
        </section>
    }
}

#[component]
fn Notice(n: NoticeView) -> impl IntoView {
    let s = strings(&n.lang);
    view! {
        <Html {..} lang=n.lang.clone() />
        <Title text=s.notice_title />
        <section class="prose" lang=n.lang.clone()>
            <LanguageSwitch lang=n.lang.clone() />
            <p class="eyebrow">{n.organisation.clone()} " · " {n.campaign.clone()}</p>
            <h1>{s.notice_title}</h1>
            <p class="lead">{s.notice_intro}</p>
            <dl class="facts">
                <dt>{s.instruments_label}</dt>
                <dd id="notice-sections">{if n.instruments.len() == 1 { n.instruments[0].clone() } else { format!("{} {}: {}", n.instruments.len(), s.sections_word, n.instruments.join(", ")) }}</dd>
                <dt>{s.questions_label}</dt>
                <dd id="notice-questions">{s.range(n.length.questions)}</dd>
                <dt>{s.minutes_label}</dt>
                <dd id="notice-minutes">{s.range(n.length.minutes)}</dd>
                {n.time_limit_minutes.map(|m| view! { <dt>{s.time_limit_label}</dt><dd>{m}</dd> })}
            </dl>
            {s.notice_sections.iter().map(|(h, t)| view! { <h2>{*h}</h2><p>{*t}</p> }).collect_view()}
            <p class="small">"Notice version " {n.notice_version.clone()}</p>
            <div class="actions">
                <form method="post" action="/assessment/start">
                    <button type="submit" class="button" id="continue">{s.continue_button}</button>
                </form>
                <form method="post" action="/assessment/decline">
                    <button type="submit" class="button secondary" id="decline">{s.decline_button}</button>
                </form>
            </div>
        </section>
    }
}

#[component]
fn Items(p: ItemsPage) -> impl IntoView {
    let s = strings(&p.lang);
    let title = if p.page == 0 { format!("{} {}", s.question_label, p.answered + 1) } else { format!("{} {} / {}", s.page_label, p.page, p.pages) };
    let progress_text = s.progress(p.answered, p.total, p.total_is_upper_bound);
    let section = if p.section[1] > 1 { format!("{} {} {} {} · ", s.section_label, p.section[0], s.of_label, p.section[1]) } else { String::new() };
    let seq = p.next_seq;
    view! {
        <Html {..} lang=p.lang.clone() />
        <Title text=title.clone() />
        <section class="assessment" lang=p.lang.clone()>
            <LanguageSwitch lang=p.lang.clone() page=p.page />
            <p class="eyebrow" id="section">{format!("{section}{}", p.instrument_title)}</p>
            // The saver moves this as each answer on the page is saved.
            <div class="progress">
                <label for="progress" id="progress-label">{progress_text.clone()}</label>
                <progress id="progress" max=p.total value=p.answered data-upper-bound=p.total_is_upper_bound.to_string()>{progress_text.clone()}</progress>
            </div>
            {p.deadline_ms.map(|deadline| view! { <super::saver::Countdown deadline_ms=deadline lang=p.lang.clone() /> })}
            {p.instructions.clone().map(|t| view! { <p class="instructions">{t}</p> })}
            <form method="post" action="/assessment/answers" id="answers">
                <input type="hidden" name="page" value=p.page />
                <input type="hidden" name="seq" value=seq />
                {p.items.iter().map(|item| view! { <Item item=item.clone() label=s.question_label /> }).collect_view()}
                <p class="small">{s.saved_note}</p>
                // A question chosen by the adaptive engine is sent with the form: the
                // next question depends on it, so it is not saved ahead.
                {(p.page > 0).then(|| view! { <super::saver::AnswerSaver next_seq=seq lang=p.lang.clone() /> })}
                <div class="actions">
                    {(p.page > 1 && !p.total_is_upper_bound).then(|| view! { <button type="submit" name="nav" value="back" class="button secondary">{s.back_button}</button> })}
                    <button type="submit" name="nav" value="next" class="button" id="next">{s.next_button}</button>
                </div>
            </form>
        </section>
    }
}

/// Questions as the candidate sees them, as HTML: the psychologist's
/// preview shows exactly this component.
#[cfg(feature = "ssr")]
pub fn items_html(items: Vec<ItemView>, lang: &str) -> String {
    let label = strings(lang).question_label;
    let owner = Owner::new();
    owner.with(|| items.into_iter().map(|item| view! { <Item item=item label=label /> }.to_html()).collect())
}

#[component]
fn Item(item: ItemView, label: &'static str) -> impl IntoView {
    let legend_id = format!("q-{}", item.number);
    let labelled_by = legend_id.clone();
    let class = if item.scenario { "item scenario" } else { "item" };
    let count = item.options.len();
    view! {
        // `data-counted`: already in the progress bar (the saver marks the ones it adds).
        <fieldset class=class aria-labelledby=labelled_by data-counted=item.answer.is_some().then_some("true")>
            <legend id=legend_id>
                <span class="number">{label} " " {item.number}</span>
                <span class="text">{item.text.clone()}</span>
            </legend>
            // `data-count`: how many choices, which decides when the scale fits in one row.
            <div class="options" role="radiogroup" aria-labelledby=format!("q-{}", item.number) data-count=count.to_string()>
                {item.options.iter().enumerate().map(|(n, o)| {
                    let id = format!("q{}-{}", item.number, n);
                    let for_id = id.clone();
                    let name = format!("a:{}", item.key);
                    let checked = item.answer.as_deref() == Some(o.value.as_str());
                    view! {
                        <label class="option" for=for_id>
                            // The position ("3 of 5") for assistive technology, whatever the layout.
                            <input type="radio" id=id name=name value=o.value.clone() checked=checked
                                aria-posinset=(n + 1).to_string() aria-setsize=count.to_string() />
                            <span>{o.label.clone()}</span>
                        </label>
                    }
                }).collect_view()}
            </div>
        </fieldset>
    }
}

#[component]
fn Review(r: ReviewPage) -> impl IntoView {
    let s = strings(&r.lang);
    let complete = r.incomplete_pages.is_empty();
    view! {
        <Html {..} lang=r.lang.clone() />
        <Title text=s.review_title />
        <section class="prose" lang=r.lang.clone()>
            <LanguageSwitch lang=r.lang.clone() page=r.pages + 1 />
            <h1>{s.review_title}</h1>
            <p class="lead">{if complete { s.review_all_done } else { s.review_missing }}</p>
            <p>{r.answered} " " {s.of_label} " " {r.total} " " {s.questions_answered_label}</p>
            {(!complete).then(|| view! {
                <ul class="pages">
                    {r.incomplete_pages.iter().map(|n| view! {
                        <li><a href=format!("/assessment?page={n}")>{s.review_go_to_page} " " {*n}</a></li>
                    }).collect_view()}
                </ul>
            })}
            <form method="post" action="/assessment/finish">
                <p class="small">{s.finish_note}</p>
                <div class="actions">
                    <a class="button secondary" href=format!("/assessment?page={}", r.pages)>{s.back_button}</a>
                    <button type="submit" class="button" id="finish">{s.finish_button}</button>
                </div>
            </form>
        </section>
    }
}

#[component]
fn Completed(c: CompletedView) -> impl IntoView {
    let s = strings(&c.lang);
    view! {
        <Html {..} lang=c.lang.clone() />
        <Title text=s.done_title />
        <section class="prose" lang=c.lang.clone()>
            <h1 id="done">{s.done_title}</h1>
            <p class="lead">{if c.timed_out { s.timed_out_text } else { s.done_text }}</p>
            {(!c.feedback.is_empty()).then(|| view! {
                <h2>{s.feedback_title}</h2>
                <div class="feedback" id="feedback">{c.feedback.iter().map(|f| view! { <p>{f.clone()}</p> }).collect_view()}</div>
                <p><a href="/assessment/feedback" rel="external" id="feedback-report">{s.feedback_report_link}</a></p>
            })}
            {c.group_questions.then(|| view! {
                <p><a href="/assessment/about-you" rel="external" id="group-questions">{s.group_questions_link}</a></p>
            })}
            <p><a href="/assessment/your-data" rel="external" id="your-data">{s.your_data_link}</a></p>
        </section>
    }
}
