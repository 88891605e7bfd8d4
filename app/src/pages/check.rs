//! A device check a candidate can run before an assessment. Its button works
//! only once the WASM bundle has hydrated the page and then asks the server,
//! so it also proves the browser can reach Vigil.

use leptos::prelude::*;
use leptos_meta::{Html, Title};

use crate::AppError;

/// What the device check reports back to the browser.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CheckResult {
    pub version: String,
    pub database_ok: bool,
}

#[server(prefix = "/api", endpoint = "device_check")]
pub async fn device_check() -> Result<CheckResult, AppError> {
    let status = crate::ports::services()?.status().await;
    Ok(CheckResult { version: status.version, database_ok: status.database_ok })
}

#[component]
pub fn DeviceCheck() -> impl IntoView {
    view! {
        <Html {..} lang="en" />
        <Title text="Check your browser" />
        <section class="prose">
            <h1>"Check your browser"</h1>
            <p>"This takes a second and sends nothing about you. Press the button; if you see a confirmation, your browser is ready for an assessment."</p>
            <noscript>
                <p class="notice">"JavaScript is turned off. That is fine: assessments work without it, only a little less smoothly."</p>
            </noscript>
            <CheckButton />
        </section>
    }
}

/// The interactive part: compiled into the WASM bundle and hydrated.
#[island]
fn CheckButton() -> impl IntoView {
    // Effects run only in the browser, so `ready` turns true once hydrated.
    let ready = RwSignal::new(false);
    Effect::new(move |_| ready.set(true));
    let check = Action::new(|_: &()| device_check());

    view! {
            <button
                type="button"
                class="button"
                id="run-check"
                disabled=move || !ready.get() || check.pending().get()
                on:click=move |_| { check.dispatch(()); }
            >
                {move || if ready.get() { "Run the check" } else { "Loading…" }}
            </button>
            <p role="status" aria-live="polite" id="check-result">
                {move || check.value().get().map(|result| match result {
                    Ok(r) if r.database_ok => format!("Your browser is ready. Connected to Vigil {}.", r.version),
                    Ok(r) => format!("Your browser works, but Vigil {} cannot reach its database right now. Please try again later.", r.version),
                    Err(e) => e.to_string(),
                })}
            </p>
    }
}
