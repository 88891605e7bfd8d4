//! The outbox: every e-mail Vigil wrote for the organisation's candidates,
//! a page at a time, with what a person needs to send them by hand.

use leptos::prelude::*;

use super::{caption, query_escape};
use crate::i18n::{fill, staff_text, StaffText};
use crate::recruit::model::{OutboxPage, OutboxQuery, OUTBOX_PAGE, OUTBOX_STATUSES};

/// The query string of a filter (without the cursor).
fn filter_string(status: Option<&str>) -> String {
    status.map(|s| format!("status={}", query_escape(s))).unwrap_or_default()
}

/// What the filter's choices read.
fn status_words(t: &StaffText, status: &str) -> &'static str {
    match status {
        "queued" => t.outbox_waiting,
        "sent" => t.outbox_sent,
        _ => t.outbox_failed,
    }
}

/// The organisation's outbox: a filter by status, one page of messages
/// (newest first) with a way to mark each waiting one sent, and the pager.
#[component]
pub fn OutboxView(page: OutboxPage, query: OutboxQuery, marked: bool, #[prop(into)] lang: String) -> impl IntoView {
    let t = staff_text(&lang);
    let OutboxPage { messages, listed, counts } = page;
    let all: u32 = counts.iter().sum();
    let waiting = counts[0] + counts[2];
    let current = query.status.clone();
    let filter = {
        let current = current.clone();
        let choice = move |status: Option<&'static str>, label: String| {
            let href = format!("/outbox?{}", filter_string(status));
            let here = current.as_deref() == status;
            view! { <li><a href=href aria-current=here.then_some("page")>{label}</a></li> }
        };
        view! {
            <nav aria-label=t.outbox_show class="filters">
                <ul class="inline" id="outbox-filter">
                    {choice(None, fill(t.outbox_all, &[("n", &all.to_string())]))}
                    {OUTBOX_STATUSES.iter().zip(counts).map(|(s, n)| choice(Some(*s), format!("{} ({n})", status_words(t, s)))).collect_view()}
                </ul>
            </nav>
        }
    };
    let table = if messages.is_empty() {
        view! { <p id="outbox-empty">{t.outbox_empty}</p> }.into_any()
    } else {
        let shown = messages.len();
        view! {
            <table class="data" id="outbox">
                <caption>{caption(t, t.outbox_messages, &listed, shown)}{t.newest_first}</caption>
                <thead>
                    <tr><th scope="col">{t.outbox_to}</th><th scope="col">{t.outbox_subject}</th><th scope="col">{t.outbox_kind}</th><th scope="col">{t.status}</th><th scope="col">{t.created}</th><th scope="col">{t.outbox_message}</th></tr>
                </thead>
                <tbody>
                    {messages.into_iter().map(|m| {
                        let status = match m.sent_at.as_deref() {
                            Some(at) => format!("{} ({at})", m.status),
                            None => m.status.clone(),
                        };
                        let waiting = m.waiting();
                        let body = if m.body.is_empty() {
                            view! { <span class="small">{t.outbox_removed}</span> }.into_any()
                        } else {
                            view! { <details><summary>{t.outbox_show_message}</summary><pre class="mail">{m.body.clone()}</pre></details> }.into_any()
                        };
                        let mark = waiting.then(|| view! {
                            <form method="post" action=format!("/outbox/{}/sent", m.id) class="inline">
                                <button type="submit" class="secondary" aria-label=fill(t.outbox_sent_myself_label, &[("to", &m.to)])>{t.outbox_sent_myself}</button>
                            </form>
                        });
                        view! {
                            <tr data-message=m.id.clone()><td>{m.to}</td><td>{m.subject}</td><td>{m.kind}</td><td>{status}{mark}</td><td>{m.created_at}</td><td>{body}</td></tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        }
        .into_any()
    };
    let here = filter_string(current.as_deref());
    let pager = (query.after.is_some() || listed.next_after.is_some()).then(|| view! {
        <nav class="pager" aria-label=t.outbox_pages>
            {query.after.is_some().then(|| view! { <a href=format!("/outbox?{here}") id="first-page">{t.first_page}</a> })}
            {listed.next_after.clone().map(|after| view! { <a href=format!("/outbox?{here}&after={}", query_escape(&after)) id="next-page">{fill(t.next_page, &[("n", &OUTBOX_PAGE.to_string())])}</a> })}
        </nav>
    });
    view! {
        <section class="staff">
            <h1>{t.nav_outbox}</h1>
            <p>{t.outbox_intro}</p>
            {marked.then(|| view! { <p class="notice" role="status" id="marked">{t.outbox_marked}</p> })}
            {(waiting > 0).then(|| view! {
                <p><a href="/outbox/waiting.csv" id="waiting-csv" download>{t.outbox_csv}</a>{t.outbox_csv_note}</p>
            })}
            {filter}
            {table}
            {pager}
        </section>
    }
}
