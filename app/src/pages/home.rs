use leptos::prelude::*;
use leptos_meta::{Html, Title};

/// The landing page: what Vigil is and where to go.
#[component]
pub fn Home() -> impl IntoView {
    view! {
        <Html {..} lang="en" />
        <Title text="" />
        <section class="prose">
            <h1>"Vigil"</h1>
            <p class="lead">
                "Psychometric screening for security values: how strongly a person values security, "
                "how motivated and committed they are, measured with care and reported with its uncertainty."
            </p>
            <h2>"Taking an assessment?"</h2>
            <p>
                "Open the personal link from your invitation e-mail. Before you start, you can "
                <a href="/check">"check that your browser is ready"</a> "."
            </p>
        </section>
    }
}
