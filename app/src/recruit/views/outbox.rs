//! The outbox: every e-mail Vigil wrote for the organisation.

use leptos::prelude::*;

use crate::recruit::model::OutboxMessage;

/// The organisation's outbox: messages queued for candidates.
#[component]
pub fn OutboxView(messages: Vec<OutboxMessage>) -> impl IntoView {
    let table = if messages.is_empty() {
        view! { <p>"The outbox is empty."</p> }.into_any()
    } else {
        view! {
            <table class="data" id="outbox">
                <caption>"Messages (newest first)"</caption>
                <thead>
                    <tr><th scope="col">"To"</th><th scope="col">"Subject"</th><th scope="col">"Kind"</th><th scope="col">"Status"</th><th scope="col">"Created"</th><th scope="col">"Message"</th></tr>
                </thead>
                <tbody>
                    {messages.into_iter().map(|m| {
                        let status = match m.sent_at.as_deref() {
                            Some(at) => format!("{} ({at})", m.status),
                            None => m.status.clone(),
                        };
                        let body = if m.body.is_empty() {
                            view! { <span class="small">"Removed (sent, or the link no longer works)"</span> }.into_any()
                        } else {
                            view! { <details><summary>"Show message"</summary><pre class="mail">{m.body}</pre></details> }.into_any()
                        };
                        view! {
                            <tr><td>{m.to}</td><td>{m.subject}</td><td>{m.kind}</td><td>{status}</td><td>{m.created_at}</td><td>{body}</td></tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        }
        .into_any()
    };
    view! {
        <section class="staff">
            <h1>"Outbox"</h1>
            <p>"When no mail server is configured, the invitations and reminders for candidates wait here. Copy a message and send it to the candidate yourself. The links in them are personal: send each only to its addressee."</p>
            {table}
        </section>
    }
}
