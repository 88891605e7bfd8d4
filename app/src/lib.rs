//! Vigil's Leptos application, shared by the server (feature `ssr`) and the
//! browser (feature `hydrate`).
//!
//! Leptos runs in islands mode: every page is rendered on the server as
//! plain HTML (forms work without JavaScript), and only the components
//! marked `#[island]` are compiled into the WASM bundle and hydrated. That
//! keeps the bundle a candidate downloads small. Server functions
//! are thin adapters: they fetch the [`ports::Services`] from context, check
//! the caller, call one service function and map its error to [`AppError`].

pub mod candidate;
#[cfg(feature = "ssr")]
pub mod cookies;
pub mod error;
pub mod i18n;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod ports;
pub mod recruit;
pub mod staff;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Link, Meta, MetaTags, Stylesheet, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    path, SsrMode,
};

pub use error::AppError;

/// Name of the compiled front-end bundle (`/pkg/vigil.js`, `/pkg/vigil_bg.wasm`, `/pkg/vigil.css`).
pub const OUTPUT_NAME: &str = "vigil";

/// The HTML document around every page (server only).
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        // Each page names its language (leptos_meta's `Html`): the staff frame
        // the reader's, the candidate's pages the invitation's.
        <html>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <HydrationScripts options islands=true />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// The application: routes and the frame around every page.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Stylesheet id="vigil-css" href="/pkg/vigil.css" />
        <Link rel="icon" href="/favicon.svg" type_="image/svg+xml" />
        <Meta name="color-scheme" content="light" />
        <Title formatter=|text: String| if text.is_empty() { "Vigil".to_string() } else { format!("{text} · Vigil") } />
        // Every language at once: the page's <html lang> shows one (i18n::shell).
        <a class="skip-link" href="#main">
            {i18n::shell::every_language().map(|(lang, t)| view! { <span lang=lang class="in-language">{t.skip_to_content}</span> })}
        </a>
        <header class="site-header">
            <a class="brand" href="/">"Vigil"</a>
        </header>
        <Router>
            <main id="main" tabindex="-1">
                <Routes fallback=pages::NotFound>
                    <Route path=path!("") view=pages::Home />
                    <Route path=path!("/check") view=pages::DeviceCheck />
                    <Route path=path!("/take/:token") view=candidate::pages::TakeLink ssr=SsrMode::Async />
                    <Route path=path!("/assessment") view=candidate::pages::Assessment ssr=SsrMode::Async />
                    <Route path=path!("/assessment/declined") view=candidate::pages::Declined />
                    <Route path=path!("/login") view=staff::pages::Login />
                    <Route path=path!("/set-password/:token") view=staff::pages::SetPassword />
                    <Route path=path!("/staff") view=staff::pages::StaffHome ssr=SsrMode::Async />
                    <Route path=path!("/admin/users") view=staff::pages::AdminUsers ssr=SsrMode::Async />
                    <Route path=path!("/admin/audit") view=staff::pages::AdminAudit ssr=SsrMode::Async />
                    <Route path=path!("/campaigns") view=recruit::pages::Campaigns ssr=SsrMode::Async />
                    <Route path=path!("/campaigns/new") view=recruit::pages::NewCampaign ssr=SsrMode::Async />
                    <Route path=path!("/campaigns/:id") view=recruit::pages::Campaign ssr=SsrMode::Async />
                    <Route path=path!("/campaigns/:id/compare") view=recruit::pages::Compare ssr=SsrMode::Async />
                    <Route path=path!("/campaigns/:id/candidates/:inv") view=recruit::pages::CandidateProfile ssr=SsrMode::Async />
                    <Route path=path!("/campaigns/:id/candidates/:inv/print") view=recruit::pages::PrintProfile ssr=SsrMode::Async />
                    <Route path=path!("/outbox") view=recruit::pages::Outbox ssr=SsrMode::Async />
                </Routes>
            </main>
        </Router>
        <footer class="site-footer">
            {i18n::shell::every_language().map(|(lang, t)| view! { <p lang=lang class="in-language">{t.footer}</p> })}
        </footer>
    }
}
