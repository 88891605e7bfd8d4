//! The psychologist's pages about instruments: the bank versions with their
//! collected answers (downloads for analysis elsewhere), one session by its
//! pseudonym, and item analysis in the browser (asked for with a post,
//! computed as a job, its page refreshing until the result is there).
//! Psychologists and administrators only; pseudonymous throughout.

use app::i18n::{analysis_text, fill};
use axum::{
    extract::{Path, RawForm, RawQuery, State},
    http::{header, HeaderMap, HeaderValue, StatusCode},
    response::{IntoResponse, Redirect, Response},
};

use super::{
    analysis_html,
    recruit::{fields, poster},
    staff::{caller, download, esc, page_in, staff_error},
    AppState,
};
use crate::{
    item_analysis::{self, filter_fields, filter_from_fields, AnalysisRequest},
    service_error::ServiceError,
    staff::Caller,
};

/// `GET /instruments/{instrument}/{version}/{file}`: one file of the export.
pub async fn instrument_file(State(state): State<AppState>, Path((instrument, version, file)): Path<(String, String, String)>, headers: HeaderMap) -> Response {
    let who = match caller(&state, &headers).await {
        Ok(i) => Caller::from(&i),
        Err(r) => return r,
    };
    match crate::analysis_export::download(&state.store, &state.catalog, &who, &instrument, &version, &file).await {
        Ok(d) => download(d),
        Err(e) => staff_error(&who.language, e, "/instruments"),
    }
}

/// `GET /instruments/{instrument}/{version}/sessions/{respondent}`: one
/// completed session, pseudonymous, for the psychologist (JSON).
pub async fn instrument_session(State(state): State<AppState>, Path((instrument, version, respondent)): Path<(String, String, String)>, headers: HeaderMap) -> Response {
    let who = match caller(&state, &headers).await {
        Ok(i) => Caller::from(&i),
        Err(r) => return r,
    };
    match crate::analysis_export::session_view(&state.store, &state.catalog, &who, &instrument, &version, &respondent).await {
        Ok(d) => download(d),
        Err(e) => staff_error(&who.language, e, "/instruments"),
    }
}

/// The request a page or post names: the bank version from the path, the
/// selection from the query or form.
fn analysis_request(instrument: String, version: String, body: &[u8]) -> Result<AnalysisRequest, ServiceError> {
    let filter = filter_from_fields(&fields(body)).map_err(ServiceError::Invalid)?;
    Ok(AnalysisRequest { instrument, version, filter })
}

fn analysis_path(request: &AnalysisRequest, tail: &str) -> String {
    let query = serde_urlencoded::to_string(filter_fields(&request.filter)).unwrap_or_default();
    let base = format!("/instruments/{}/{}/analysis{tail}", request.instrument, request.version);
    if query.is_empty() { base } else { format!("{base}?{query}") }
}

/// `GET /instruments/{instrument}/{version}/analysis`: the newest item
/// analysis of the selection (query: campaign, from, to, validity), or
/// how far its run has come (the page reloads itself meanwhile).
pub async fn analysis(State(state): State<AppState>, Path((instrument, version)): Path<(String, String)>, RawQuery(query): RawQuery, headers: HeaderMap) -> Response {
    let who = match caller(&state, &headers).await {
        Ok(i) => Caller::from(&i),
        Err(r) => return r,
    };
    let back = "/instruments";
    let request = match analysis_request(instrument, version, query.unwrap_or_default().as_bytes()) {
        Ok(r) => r,
        Err(e) => return staff_error(&who.language, e, back),
    };
    let view = match item_analysis::view(&state.store, &state.catalog, &who, request).await {
        Ok(v) => v,
        Err(e) => return staff_error(&who.language, e, back),
    };
    let entry = state.catalog.get(&view.request.instrument, &view.request.version);
    let t = analysis_text(&who.language);
    let body = analysis_html::page_body(t, &view, entry.as_ref().map(|e| &e.bank), &analysis_path(&view.request, ""), &analysis_path(&view.request, "/report"));
    let title = fill(t.analysis_title, &[("title", &esc(&view.title)), ("version", &esc(&view.request.version))]);
    let mut response = page_in(&who.language, StatusCode::OK, &title, &body);
    if view.in_progress() {
        // Reload until the result is there (no script needed).
        response.headers_mut().insert(header::REFRESH, HeaderValue::from_static("2"));
    }
    response
}

/// `POST /instruments/{instrument}/{version}/analysis`: run the analysis of
/// the selection (unless its result is up to date or a run is under way),
/// then back to its page.
pub async fn run_analysis(State(state): State<AppState>, Path((instrument, version)): Path<(String, String)>, headers: HeaderMap, RawForm(body): RawForm) -> Response {
    let who = match poster(&state, &headers).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let request = match analysis_request(instrument, version, &body) {
        Ok(r) => r,
        Err(e) => return staff_error(&who.language, e, "/instruments"),
    };
    match item_analysis::request(&state.store, &state.catalog, &who, request).await {
        Ok(request) => Redirect::to(&analysis_path(&request, "")).into_response(),
        Err(e) => staff_error(&who.language, e, "/instruments"),
    }
}

/// `GET /instruments/{instrument}/{version}/analysis/report.{json,csv}`:
/// the newest result of the selection; 404 before there is one.
pub async fn analysis_report(State(state): State<AppState>, Path((instrument, version, file)): Path<(String, String, String)>, RawQuery(query): RawQuery, headers: HeaderMap) -> Response {
    let who = match caller(&state, &headers).await {
        Ok(i) => Caller::from(&i),
        Err(r) => return r,
    };
    let request = match analysis_request(instrument, version, query.unwrap_or_default().as_bytes()) {
        Ok(r) => r,
        Err(e) => return staff_error(&who.language, e, "/instruments"),
    };
    match item_analysis::report_file(&state.store, &state.catalog, &who, request, &file).await {
        Ok(d) => download(d),
        Err(e) => staff_error(&who.language, e, "/instruments"),
    }
}

/// `GET /instruments/{instrument}/{version}/report`: the version's
/// technical report (printable).
pub async fn technical_report(State(state): State<AppState>, Path((instrument, version)): Path<(String, String)>, headers: HeaderMap) -> Response {
    let who = match caller(&state, &headers).await {
        Ok(i) => Caller::from(&i),
        Err(r) => return r,
    };
    match crate::technical_report::report(&state.store, &state.catalog, &who, &instrument, &version).await {
        Ok(r) => {
            let t = analysis_text(&who.language);
            let title = fill(t.report_title, &[("title", &esc(&r.title)), ("version", &esc(&r.version))]);
            page_in(&who.language, StatusCode::OK, &title, &super::report_html::page_body(t, &r))
        }
        Err(e) => staff_error(&who.language, e, "/instruments"),
    }
}

/// `POST /instruments/{instrument}/{version}/retirement` (`retire` = 1 or
/// 0): the version off the organisation's campaign form, or back on it.
pub async fn retire(State(state): State<AppState>, Path((instrument, version)): Path<(String, String)>, headers: HeaderMap, RawForm(body): RawForm) -> Response {
    let who = match poster(&state, &headers).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let retire = fields(&body).iter().any(|(k, v)| k == "retire" && v == "1");
    match crate::workbench::library::set_retired(&state.store, &state.catalog, &who, &instrument, &version, retire).await {
        Ok(()) => Redirect::to(&format!("/instruments#instrument-{instrument}")).into_response(),
        Err(e) => staff_error(&who.language, e, "/instruments"),
    }
}
