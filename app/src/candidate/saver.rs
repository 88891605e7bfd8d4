//! Saving answers as they are given (the enhancement when the WASM runs).
//!
//! The item page is a plain form that works without JavaScript. When this
//! island runs, each answer is put into a queue kept in the browser's
//! storage and sent at once to `/api/save_answers`; the server confirms
//! after commit and confirmed answers leave the queue. A failed send is
//! retried with growing pauses, and the queue survives a reload or a crash
//! of the browser tab. "Save and continue" waits until the queue is empty.

use leptos::prelude::*;

/// The status line under the form, for everyone (aria-live).
#[island]
pub fn AnswerSaver(
    /// The sequence number the next answer carries (from the server).
    next_seq: i64,
    /// Language of the status messages.
    lang: String,
) -> impl IntoView {
    let status = RwSignal::new(String::new());
    #[cfg(feature = "hydrate")]
    browser::attach(next_seq, status, crate::i18n::strings(&lang));
    #[cfg(not(feature = "hydrate"))]
    let _ = (next_seq, lang);
    view! { <p class="save-status" role="status" aria-live="polite" id="save-status">{move || status.get()}</p> }
}

/// The time left, when the campaign has a time limit. The server renders the
/// minutes left (and enforces the limit); in the browser this counts down.
#[island]
pub fn Countdown(deadline_ms: i64, lang: String) -> impl IntoView {
    let text = crate::i18n::strings(&lang);
    let now = RwSignal::new(now_ms());
    #[cfg(feature = "hydrate")]
    {
        if let Ok(handle) = set_interval_with_handle(move || now.set(now_ms()), std::time::Duration::from_secs(1)) {
            on_cleanup(move || handle.clear());
        }
    }
    let left = move || {
        let seconds = ((deadline_ms - now.get()) / 1000).max(0);
        format!("{} {}:{:02}", text.time_left, seconds / 60, seconds % 60)
    };
    view! { <p class="countdown" id="countdown">{left}</p> }
}

/// Milliseconds since the Unix epoch, on either side.
fn now_ms() -> i64 {
    #[cfg(feature = "hydrate")]
    {
        js_sys::Date::now() as i64
    }
    #[cfg(not(feature = "hydrate"))]
    {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0)
    }
}

#[cfg(feature = "hydrate")]
mod browser {
    use std::{cell::RefCell, rc::Rc};

    use leptos::prelude::*;
    use wasm_bindgen::{closure::Closure, JsCast};

    use crate::candidate::{api::save_answers, model::AnswerDto};

    const QUEUE_KEY: &str = "vigil-answer-queue";

    struct State {
        seq: i64,
        queue: Vec<AnswerDto>,
        sending: bool,
        failures: u32,
        shown_at: f64,
        submit_when_empty: bool,
    }

    fn now() -> f64 {
        js_sys::Date::now()
    }

    fn storage() -> Option<web_sys::Storage> {
        web_sys::window()?.session_storage().ok().flatten()
    }

    fn load_queue() -> Vec<AnswerDto> {
        storage()
            .and_then(|s| s.get_item(QUEUE_KEY).ok().flatten())
            .and_then(|text| serde_json::from_str(&text).ok())
            .unwrap_or_default()
    }

    fn store_queue(queue: &[AnswerDto]) {
        if let (Some(s), Ok(text)) = (storage(), serde_json::to_string(queue)) {
            let _ = s.set_item(QUEUE_KEY, &text);
        }
    }

    fn form() -> Option<web_sys::HtmlFormElement> {
        web_sys::window()?.document()?.get_element_by_id("answers")?.dyn_into().ok()
    }

    /// Keeps the form's `seq` above every answer sent, so the form post (if
    /// it happens) never loses to an older queued answer.
    fn bump_form_seq(seq: i64) {
        if let Some(input) = form()
            .and_then(|f| f.query_selector("input[name=seq]").ok().flatten())
            .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok())
        {
            input.set_value(&seq.to_string());
        }
    }

    /// Marks the question `key` as counted in the progress bar (the server
    /// marks those answered before the page was shown); true when it was not yet.
    fn mark_counted(form: &web_sys::HtmlFormElement, key: &str) -> bool {
        let fieldset = form
            .query_selector(&format!("input[name=\"a:{key}\"]"))
            .ok()
            .flatten()
            .and_then(|input| input.closest("fieldset").ok().flatten());
        match fieldset {
            Some(f) if !f.has_attribute("data-counted") => f.set_attribute("data-counted", "true").is_ok(),
            _ => false,
        }
    }

    /// Moves the progress bar and its words on by `newly` saved answers.
    fn advance_progress(newly: u32, text: &'static crate::i18n::Strings) {
        let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
        let Some(bar) = document.get_element_by_id("progress") else { return };
        let number = |name: &str| bar.get_attribute(name).and_then(|v| v.parse::<u32>().ok()).unwrap_or(0);
        let total = number("max");
        let answered = (number("value") + newly).min(total);
        let upper_bound = bar.get_attribute("data-upper-bound").as_deref() == Some("true");
        let words = text.progress(answered, total, upper_bound);
        let _ = bar.set_attribute("value", &answered.to_string());
        bar.set_text_content(Some(&words));
        if let Some(label) = document.get_element_by_id("progress-label") {
            label.set_text_content(Some(&words));
        }
    }

    pub fn attach(next_seq: i64, status: RwSignal<String>, text: &'static crate::i18n::Strings) {
        let Some(form) = form() else { return };
        let queue = load_queue();
        let seq = queue.iter().map(|a| a.seq + 1).max().unwrap_or(next_seq).max(next_seq);
        let state = Rc::new(RefCell::new(State { seq, queue, sending: false, failures: 0, shown_at: now(), submit_when_empty: false }));
        bump_form_seq(seq);

        let on_change = {
            let state = state.clone();
            Closure::<dyn Fn(web_sys::Event)>::new(move |ev: web_sys::Event| {
                let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else { return };
                let Some(key) = input.name().strip_prefix("a:").map(str::to_string) else { return };
                {
                    let mut s = state.borrow_mut();
                    let t = now();
                    let latency = (t - s.shown_at).max(0.0) as i64;
                    s.shown_at = t;
                    let seq = s.seq;
                    s.seq += 1;
                    s.queue.retain(|a| a.key != key);
                    s.queue.push(AnswerDto { key, value: input.value(), latency_ms: Some(latency), seq });
                    store_queue(&s.queue);
                    bump_form_seq(s.seq);
                }
                flush(state.clone(), status, text);
            })
        };
        let _ = form.add_event_listener_with_callback("change", on_change.as_ref().unchecked_ref());
        on_change.forget();

        // "Save and continue" waits for the queue; the form post then carries everything anyway.
        let on_submit = {
            let state = state.clone();
            Closure::<dyn Fn(web_sys::SubmitEvent)>::new(move |ev: web_sys::SubmitEvent| {
                let mut s = state.borrow_mut();
                if !s.queue.is_empty() && s.failures < 3 {
                    ev.prevent_default();
                    s.submit_when_empty = true;
                    if let Some(button) = ev.submitter().and_then(|b| b.dyn_into::<web_sys::HtmlButtonElement>().ok()) {
                        let _ = button.set_attribute("data-pressed", "true");
                    }
                }
            })
        };
        let _ = form.add_event_listener_with_callback("submit", on_submit.as_ref().unchecked_ref());
        on_submit.forget();

        // Answers left over from before a reload or crash go out first.
        flush(state, status, text);
    }

    fn flush(state: Rc<RefCell<State>>, status: RwSignal<String>, text: &'static crate::i18n::Strings) {
        let batch = {
            let mut s = state.borrow_mut();
            if s.sending || s.queue.is_empty() {
                return;
            }
            s.sending = true;
            s.queue.clone()
        };
        let sent: Vec<(String, i64)> = batch.iter().map(|a| (a.key.clone(), a.seq)).collect();
        status.set(text.saving.into());
        leptos::task::spawn_local(async move {
            let result = save_answers(batch).await;
            let mut s = state.borrow_mut();
            s.sending = false;
            match result {
                Ok(ack) => {
                    s.failures = 0;
                    s.queue.retain(|a| a.seq > ack.acked_seq);
                    // A question answered for the first time moves the progress once it is saved.
                    let newly = match form() {
                        Some(form) => sent.iter().filter(|(key, seq)| *seq <= ack.acked_seq && mark_counted(&form, key)).count() as u32,
                        None => 0,
                    };
                    if newly > 0 {
                        advance_progress(newly, text);
                    }
                    store_queue(&s.queue);
                    status.set(if s.queue.is_empty() { text.all_saved.into() } else { text.saving.into() });
                    let more = !s.queue.is_empty();
                    let submit = !more && s.submit_when_empty;
                    drop(s);
                    if more {
                        flush(state, status, text);
                    } else if submit {
                        submit_form();
                    }
                }
                Err(_) => {
                    s.failures += 1;
                    let wait = 500u64 * 2u64.pow(s.failures.min(5));
                    status.set(text.not_saved_yet.into());
                    let submit_anyway = s.submit_when_empty && s.failures >= 3;
                    drop(s);
                    if submit_anyway {
                        submit_form();
                    } else {
                        let state = state.clone();
                        set_timeout(move || flush(state, status, text), std::time::Duration::from_millis(wait));
                    }
                }
            }
        });
    }

    /// Submits the form as if "Save and continue" had been pressed.
    fn submit_form() {
        let Some(form) = form() else { return };
        let button = form
            .query_selector("button[data-pressed=true]")
            .ok()
            .flatten()
            .or_else(|| form.query_selector("#next").ok().flatten())
            .and_then(|b| b.dyn_into::<web_sys::HtmlElement>().ok());
        match button {
            Some(b) => {
                let _ = b.remove_attribute("data-pressed");
                let _ = form.request_submit_with_submitter(Some(&b));
            }
            None => {
                let _ = form.submit();
            }
        }
    }
}
