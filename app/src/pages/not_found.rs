use leptos::prelude::*;
use leptos_meta::{Html, Title};

/// Shown for any address Vigil does not know (HTTP 404).
#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <Html {..} lang="en" />
        <Title text="Page not found" />
        <section class="prose">
            <h1>"Page not found"</h1>
            <p>"There is nothing at this address. If you followed a link from an e-mail, please check that it was copied completely."</p>
            <p><a href="/">"Go to the start page"</a></p>
        </section>
    }
}
