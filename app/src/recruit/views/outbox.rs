//! The outbox: every e-mail Vigil wrote for the organisation's candidates,
//! a page at a time, with what a person needs to send them by hand.

use leptos::prelude::*;

use super::{caption, query_escape};
use crate::recruit::model::{OutboxPage, OutboxQuery, OUTBOX_PAGE, OUTBOX_STATUSES};

/// The query string of a filter (without the cursor).
fn filter_string(status: Option<&str>) -> String {
    status.map(|s| format!("status={}", query_escape(s))).unwrap_or_default()
}

/// What the filter's choices read.
fn status_words(status: &str) -> &'static str {
    match status {
        "queued" => "Waiting",
        "sent" => "Sent",
        _ => "Could not be sent",
    }
}

/// The organisation's outbox: a filter by status, one page of messages
/// (newest first) with a way to mark each waiting one sent, and the pager.
#[component]
pub fn OutboxView(page: OutboxPage, query: OutboxQuery, marked: bool) -> impl IntoView {
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
            <nav aria-label="Show messages" class="filters">
                <ul class="inline" id="outbox-filter">
                    {choice(None, format!("All ({all})"))}
                    {OUTBOX_STATUSES.iter().zip(counts).map(|(s, n)| choice(Some(*s), format!("{} ({n})", status_words(s)))).collect_view()}
                </ul>
            </nav>
        }
    };
    let table = if messages.is_empty() {
        view! { <p id="outbox-empty">"No messages here."</p> }.into_any()
    } else {
        let shown = messages.len();
        view! {
            <table class="data" id="outbox">
                <caption>{caption("Messages", &listed, shown)}", newest first"</caption>
                <thead>
                    <tr><th scope="col">"To"</th><th scope="col">"Subject"</th><th scope="col">"Kind"</th><th scope="col">"Status"</th><th scope="col">"Created"</th><th scope="col">"Message"</th></tr>
                </thead>
                <tbody>
                    {messages.into_iter().map(|m| {
                        let status = match m.sent_at.as_deref() {
                            Some(at) => format!("{} ({at})", m.status),
                            None => m.status.clone(),
                        };
                        let waiting = m.waiting();
                        let body = if m.body.is_empty() {
                            view! { <span class="small">"Removed (sent, or the link no longer works)"</span> }.into_any()
                        } else {
                            view! { <details><summary>"Show message"</summary><pre class="mail">{m.body.clone()}</pre></details> }.into_any()
                        };
                        let mark = waiting.then(|| view! {
                            <form method="post" action=format!("/outbox/{}/sent", m.id) class="inline">
                                <button type="submit" class="secondary" aria-label=format!("I sent it myself: the message to {}", m.to)>"I sent it myself"</button>
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
        <nav class="pager" aria-label="Pages of the outbox">
            {query.after.is_some().then(|| view! { <a href=format!("/outbox?{here}") id="first-page">"First page"</a> })}
            {listed.next_after.clone().map(|after| view! { <a href=format!("/outbox?{here}&after={}", query_escape(&after)) id="next-page">{format!("Next {OUTBOX_PAGE}")}</a> })}
        </nav>
    });
    view! {
        <section class="staff">
            <h1>"Outbox"</h1>
            <p>"When no mail server is configured, the invitations and reminders for candidates wait here. Send each one to its addressee yourself, then mark it sent: Vigil then no longer keeps its text. The links in them are personal: send each only to its addressee."</p>
            {marked.then(|| view! { <p class="notice" role="status" id="marked">"Marked as sent. Its text, with the personal link, is no longer kept."</p> })}
            {(waiting > 0).then(|| view! {
                <p><a href="/outbox/waiting.csv" id="waiting-csv" download>"Download the waiting messages (CSV, for a mail merge)"</a>" The file holds personal links: keep it safe and delete it once the messages are sent."</p>
            })}
            {filter}
            {table}
            {pager}
        </section>
    }
}
