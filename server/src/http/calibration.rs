//! Calibration's handlers (`/instruments/{i}/{v}/calibration`): short
//! adapters over `crate::calibration`; the page reloads itself while a run
//! is under way.

use app::i18n::{analysis_text, fill};
use axum::{
    extract::{Path, RawForm, RawQuery, State},
    http::{header, HeaderMap, HeaderValue, StatusCode},
    response::{IntoResponse, Redirect, Response},
};

use super::{
    calibration_html,
    recruit::{field, fields, poster},
    staff::{caller, esc, page_in, staff_error},
    AppState,
};
use crate::{
    calibration::{self, CalibrationRequest},
    item_analysis::filter_from_fields,
    service_error::ServiceError,
    staff::Caller,
};

fn page_path(instrument: &str, version: &str) -> String {
    format!("/instruments/{instrument}/{version}/calibration")
}

/// `GET /instruments/{instrument}/{version}/calibration`.
pub async fn calibration(State(state): State<AppState>, Path((instrument, version)): Path<(String, String)>, RawQuery(query): RawQuery, headers: HeaderMap) -> Response {
    let who = match caller(&state, &headers).await {
        Ok(i) => Caller::from(&i),
        Err(r) => return r,
    };
    let q = fields(query.unwrap_or_default().as_bytes());
    let t = analysis_text(&who.language);
    let notice = match field(&q, "notice") {
        "started" => Some(t.calibration_started),
        "cancelled" => Some(t.calibration_stopping),
        _ => None,
    };
    match calibration::view(&state.store, &state.catalog, &who, &instrument, &version).await {
        Ok(v) => {
            let title = fill(t.calibration_title, &[("title", &esc(&v.title)), ("version", &esc(&v.version))]);
            let mut response = page_in(&who.language, StatusCode::OK, &title, &calibration_html::page_body(t, &v, notice));
            if v.in_progress() {
                response.headers_mut().insert(header::REFRESH, HeaderValue::from_static("2"));
            }
            response
        }
        Err(e) => staff_error(&who.language, e, "/instruments"),
    }
}

/// `POST /instruments/{instrument}/{version}/calibration` (scale, selection).
pub async fn start(State(state): State<AppState>, Path((instrument, version)): Path<(String, String)>, headers: HeaderMap, RawForm(body): RawForm) -> Response {
    let who = match poster(&state, &headers).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let back = page_path(&instrument, &version);
    let f = fields(&body);
    let filter = match filter_from_fields(&f) {
        Ok(filter) => filter,
        Err(e) => return staff_error(&who.language, ServiceError::Invalid(e), &back),
    };
    let scale = Some(field(&f, "scale").trim().to_string()).filter(|s| !s.is_empty());
    match calibration::start(&state.store, &state.catalog, &who, CalibrationRequest { instrument, version, scale, filter }).await {
        Ok(_) => Redirect::to(&format!("{back}?notice=started")).into_response(),
        Err(e) => staff_error(&who.language, e, &back),
    }
}

/// `POST /instruments/{instrument}/{version}/calibration/cancel` (job).
pub async fn cancel(State(state): State<AppState>, Path((instrument, version)): Path<(String, String)>, headers: HeaderMap, RawForm(body): RawForm) -> Response {
    let who = match poster(&state, &headers).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let back = page_path(&instrument, &version);
    match calibration::cancel(&state.store, &who, field(&fields(&body), "job")).await {
        Ok(()) => Redirect::to(&format!("{back}?notice=cancelled")).into_response(),
        Err(e) => staff_error(&who.language, e, &back),
    }
}

/// `POST /instruments/{instrument}/{version}/calibration/draft` (job, new_id).
pub async fn save_draft(State(state): State<AppState>, Path((instrument, version)): Path<(String, String)>, headers: HeaderMap, RawForm(body): RawForm) -> Response {
    let who = match poster(&state, &headers).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let f = fields(&body);
    match calibration::save_as_draft(&state.store, &state.catalog, &who, field(&f, "job"), field(&f, "new_id")).await {
        Ok(draft) => Redirect::to(&format!("/drafts/{draft}")).into_response(),
        Err(e) => staff_error(&who.language, e, &page_path(&instrument, &version)),
    }
}
