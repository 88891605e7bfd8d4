//! The candidate's form posts (plain HTML forms, so everything works with
//! JavaScript off). Each checks the origin, finds the session from the
//! cookie, does one thing and redirects (POST-redirect-GET).

use axum::{
    extract::State,
    http::{HeaderMap, StatusCode},
    response::{Html, IntoResponse, Redirect, Response},
    Form,
};

use app::cookies::candidate_cookie;

use super::{from_this_site, AppState};
use crate::candidate::{self, CandidateError, AnswerDto};

/// Cap on answers in one form post (a page has at most a few dozen).
const MAX_FIELDS: usize = 400;

/// A short page of its own (title, then `content`, HTML) with a status.
fn page(status: StatusCode, title: &str, content: &str) -> Response {
    candidate_page(status, "en", title, content)
}

/// A candidate's page in their language `lang` (title, then `content`, HTML) with a status.
pub(super) fn candidate_page(status: StatusCode, lang: &str, title: &str, content: &str) -> Response {
    let lang = if lang == "de" { "de" } else { "en" };
    let body = format!(
        "<!DOCTYPE html><html lang=\"{lang}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{title} · Vigil</title><link rel=\"icon\" href=\"/favicon.svg\" type=\"image/svg+xml\"><link rel=\"stylesheet\" href=\"/pkg/vigil.css\"></head><body><main id=\"main\"><section class=\"prose\"><h1>{title}</h1>{content}</section></main></body></html>"
    );
    (status, Html(body)).into_response()
}

/// A short page with a message and a 4xx status.
fn problem(status: StatusCode, title: &str, text: &str) -> Response {
    page(status, title, &format!("<p>{text}</p><p><a href=\"/assessment\">Back to the assessment</a></p>"))
}

pub(super) fn error_response(e: CandidateError) -> Response {
    let told = e.told();
    problem(StatusCode::from_u16(told.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR), told.title, &html_escape(&told.text))
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

pub(super) fn forbidden() -> Response {
    problem(StatusCode::FORBIDDEN, "Request refused", "This form was sent from another site, so it was not accepted.")
}

pub async fn start(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if !from_this_site(&headers) {
        return forbidden();
    }
    let result = async {
        let ctx = candidate::context(&state.store, &state.catalog, candidate_cookie(&headers).as_deref()).await?;
        candidate::acknowledge(&state.store, &ctx).await
    }
    .await;
    match result {
        Ok(()) => Redirect::to("/assessment").into_response(),
        Err(e) => error_response(e),
    }
}

pub async fn decline(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if !from_this_site(&headers) {
        return forbidden();
    }
    match candidate::context(&state.store, &state.catalog, candidate_cookie(&headers).as_deref()).await {
        Ok(ctx) => Redirect::to(&format!("/assessment/declined?lang={}", ctx.invitation.language)).into_response(),
        Err(e) => error_response(e),
    }
}

pub async fn answers(State(state): State<AppState>, headers: HeaderMap, Form(fields): Form<Vec<(String, String)>>) -> Response {
    if !from_this_site(&headers) {
        return forbidden();
    }
    if fields.len() > MAX_FIELDS {
        return problem(StatusCode::PAYLOAD_TOO_LARGE, "Too many answers at once", "Please go back and try again.");
    }
    let field = |name: &str| fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
    let page: u32 = field("page").and_then(|p| p.parse().ok()).unwrap_or(0);
    let Some(base_seq) = field("seq").and_then(|s| s.parse::<i64>().ok()).filter(|s| *s >= 1) else {
        return problem(StatusCode::BAD_REQUEST, "The form was incomplete", "Please reload the page and answer again.");
    };
    let submitted: Vec<AnswerDto> = fields
        .iter()
        .filter_map(|(k, v)| k.strip_prefix("a:").map(|key| (key, v)))
        .enumerate()
        .map(|(n, (key, value))| AnswerDto { key: key.to_string(), value: value.clone(), latency_ms: None, seq: base_seq + n as i64 })
        .collect();
    let result = async {
        let ctx = candidate::context(&state.store, &state.catalog, candidate_cookie(&headers).as_deref()).await?;
        candidate::save(&state.store, &ctx, &submitted).await
    }
    .await;
    match result {
        Ok(_) => {
            if page == 0 {
                // A question chosen by the adaptive engine: ask it for the next one.
                return Redirect::to("/assessment").into_response();
            }
            let next = if field("nav") == Some("back") { page.saturating_sub(1).max(1) } else { page + 1 };
            Redirect::to(&format!("/assessment?page={next}")).into_response()
        }
        Err(e) => error_response(e),
    }
}

pub async fn finish(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if !from_this_site(&headers) {
        return forbidden();
    }
    let result = async {
        let ctx = candidate::context(&state.store, &state.catalog, candidate_cookie(&headers).as_deref()).await?;
        candidate::finish(&state.store, &ctx).await
    }
    .await;
    match result {
        Ok(()) => Redirect::to("/assessment").into_response(),
        Err(e @ (CandidateError::Store(_) | CandidateError::Misconfigured(_))) => could_not_finish(e),
        Err(e @ CandidateError::AnswersMissing { page }) => answers_missing(e, page),
        Err(e) => error_response(e),
    }
}

/// Finishing needs more answers: what is missing, and a link straight to it.
fn answers_missing(e: CandidateError, at: u32) -> Response {
    let told = e.told();
    let href = if at == 0 { "/assessment".to_string() } else { format!("/assessment?page={at}") };
    page(StatusCode::UNPROCESSABLE_ENTITY, told.title, &format!("<p>{}</p><p><a class=\"button\" id=\"missing-answers\" href=\"{href}\">Go to the questions still open</a></p>", html_escape(&told.text)))
}

/// Finishing failed on our side and nothing was finished: the answers are
/// kept, and the same button tries again.
fn could_not_finish(e: CandidateError) -> Response {
    let reference = crate::internal::logged_reference(e);
    page(
        StatusCode::SERVICE_UNAVAILABLE,
        "We could not finish your assessment",
        &format!("<p>Something went wrong on our side while we were completing your assessment. Your answers are safe: every answer you gave is saved, and nothing has been sent to the organisation yet.</p><p>Please try again in a moment.</p><form method=\"post\" action=\"/assessment/finish\"><button type=\"submit\" class=\"button\" id=\"finish\">Try again to finish</button></form><p class=\"small\">If it keeps happening, please tell the organisation that invited you and quote reference {reference}.</p><p><a href=\"/assessment\">Back to your answers</a></p>"),
    )
}

/// Switches the candidate pages between English and German, then returns to
/// the page the candidate was on.
pub async fn language(State(state): State<AppState>, headers: HeaderMap, Form(fields): Form<Vec<(String, String)>>) -> Response {
    if !from_this_site(&headers) {
        return forbidden();
    }
    let field = |name: &str| fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
    let Some(lang) = field("lang").filter(|l| app::i18n::LANGUAGES.contains(l)) else {
        return problem(StatusCode::BAD_REQUEST, "Unknown language", "Please choose English or German.");
    };
    let back = field("page").and_then(|p| p.parse::<u32>().ok()).map_or("/assessment".to_string(), |p| format!("/assessment?page={p}"));
    let result = async {
        let ctx = candidate::context(&state.store, &state.catalog, candidate_cookie(&headers).as_deref()).await?;
        state.store.set_candidate_language(&ctx.invitation.org_id, &ctx.invitation.id, lang).await.map_err(CandidateError::from)
    }
    .await;
    match result {
        Ok(()) => Redirect::to(&back).into_response(),
        Err(e) => error_response(e),
    }
}
