//! The browser entry point: hydrates the islands (`#[island]` components of
//! `app`) on the server-rendered page.

use wasm_bindgen::prelude::wasm_bindgen;

// Link the islands into this bundle.
#[allow(unused_imports)]
use app::*;

#[wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}
