//! The norm builder's handlers (`/norms`): short adapters over
//! `crate::workbench::norms`, the page in `norms_html`.

use app::i18n::{analysis_text, fill};
use axum::{
    extract::{RawForm, RawQuery, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Redirect, Response},
};

use super::{
    norms_html,
    recruit::{field, fields, poster},
    staff::{caller, page_in, staff_error},
    AppState,
};
use crate::{
    service_error::ServiceError,
    staff::Caller,
    workbench::norms::{self, GroupDescription, NormSelection},
};

/// `GET /norms` (query: bank, campaign, from, to, validity; `created`).
pub async fn builder(State(state): State<AppState>, RawQuery(query): RawQuery, headers: HeaderMap) -> Response {
    let who = match caller(&state, &headers).await {
        Ok(i) => Caller::from(&i),
        Err(r) => return r,
    };
    let q = fields(query.unwrap_or_default().as_bytes());
    let selection = match NormSelection::from_fields(&q) {
        Ok(s) => s,
        Err(e) => return staff_error(&who.language, e, "/norms"),
    };
    let languages = selection.as_ref().and_then(|s| state.catalog.get_for(&who.org_id, &s.instrument, &s.version)).map(|e| e.bank.file().instrument.languages.clone()).unwrap_or_default();
    let t = analysis_text(&who.language);
    let notice = match field(&q, "created") {
        "" => None,
        id => Some(fill(t.norm_table_published, &[("id", id)])),
    };
    match norms::page(&state.store, &state.catalog, &who, selection).await {
        Ok(p) => page_in(&who.language, StatusCode::OK, t.norm_builder, &norms_html::page_body(t, &p, &languages, notice.as_deref())),
        Err(e) => staff_error(&who.language, e, "/norms"),
    }
}

/// `POST /norms`: freezes the selected group, described, as a norm table.
pub async fn publish(State(state): State<AppState>, headers: HeaderMap, RawForm(body): RawForm) -> Response {
    let who = match poster(&state, &headers).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let f = fields(&body);
    let selection = match NormSelection::from_fields(&f) {
        Ok(Some(s)) => s,
        Ok(None) => return staff_error(&who.language, ServiceError::Invalid("Choose a bank version.".into()), "/norms"),
        Err(e) => return staff_error(&who.language, e, "/norms"),
    };
    let description = GroupDescription {
        id: field(&f, "id").to_string(),
        group: f.iter().filter_map(|(k, v)| k.strip_prefix("group.").map(|l| (l.to_string(), v.clone()))).collect(),
        population: field(&f, "population").to_string(),
        country: field(&f, "country").to_string(),
        role_family: field(&f, "role_family").to_string(),
        sampling: field(&f, "sampling").to_string(),
    };
    match norms::publish(&state.store, &state.catalog, &who, selection, &description).await {
        Ok(id) => Redirect::to(&format!("/norms?created={id}")).into_response(),
        Err(e) => staff_error(&who.language, e, "/norms"),
    }
}
