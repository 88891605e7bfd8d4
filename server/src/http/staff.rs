//! The staff form posts: sign in, sign out, invite a colleague, deactivate
//! an account, set a password. Plain HTML forms (they work without
//! JavaScript): each checks the origin, checks who is signed in and their
//! role, does one thing and redirects (POST-redirect-GET). The one exception
//! is the invitation, whose answer shows the one-time link and so cannot be
//! a redirect (the link must never be in a URL the browser stores).

use axum::{
    extract::{Path, State},
    http::{header, HeaderMap, HeaderValue, StatusCode},
    response::{Html, IntoResponse, Redirect, Response},
    Form,
};
use serde::Deserialize;

use super::{client::ClientAddr, from_this_site, AppState};
use app::i18n::{admin_text, fill};

use crate::{
    recruit::export::Download,
    auth::{AuthError, Identity},
    internal::internal,
    service_error::ServiceError,
    staff::{self, Caller},
};

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
}

#[derive(Deserialize)]
pub struct InviteForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    role: String,
}

#[derive(Deserialize)]
pub struct SetPasswordForm {
    #[serde(default)]
    token: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    repeat: String,
}

/// Escapes text for HTML.
pub(super) fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// A short, complete page in English (the same frame as the Leptos pages),
/// for those not signed in. `body` is HTML the caller has escaped.
pub(super) fn page(status: StatusCode, title: &str, body: &str) -> Response {
    page_in("en", status, title, body)
}

/// The same page in `lang` (the reader's language: `<html lang>` and the frame's words).
pub(super) fn page_in(lang: &str, status: StatusCode, title: &str, body: &str) -> Response {
    let lang = app::i18n::supported(lang);
    let skip = app::i18n::shell_text(lang).skip_to_content;
    let html = format!(
        "<!DOCTYPE html><html lang=\"{lang}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{title} · Vigil</title><link rel=\"stylesheet\" href=\"/pkg/vigil.css\"><link rel=\"icon\" href=\"/favicon.svg\" type=\"image/svg+xml\"></head><body><a class=\"skip-link\" href=\"#main\">{skip}</a><header class=\"site-header\"><a class=\"brand\" href=\"/\">Vigil</a></header><main id=\"main\" tabindex=\"-1\"><section class=\"prose\"><h1>{title}</h1>{body}</section></main></body></html>"
    );
    (status, [(header::CACHE_CONTROL, "no-store")], Html(html)).into_response()
}

pub(super) fn refused() -> Response {
    page(StatusCode::FORBIDDEN, "Request refused", "<p>This form was sent from another site, so it was not accepted.</p>")
}

pub(super) fn to_login() -> Response {
    Redirect::to("/login").into_response()
}

/// The page for a staff form's error, in the reader's language: what went
/// wrong and the way back (`back`: a path this server wrote).
pub(super) fn staff_error(lang: &str, e: ServiceError, back: &str) -> Response {
    let t = admin_text(lang);
    let back = format!("<p><a href=\"{}\">{}</a></p>", esc(back), t.go_back);
    let alert = |text: &str| format!("<p role=\"alert\" id=\"form-error\">{}</p>", esc(text));
    match e {
        ServiceError::Forbidden => page_in(lang, StatusCode::FORBIDDEN, t.not_for_your_role, &format!("<p>{}</p>{back}", t.not_for_your_role_text)),
        ServiceError::NotFound => page_in(lang, StatusCode::NOT_FOUND, t.not_found, &format!("<p>{}</p>{back}", t.not_found_text)),
        ServiceError::Invalid(msg) => page_in(lang, StatusCode::UNPROCESSABLE_ENTITY, t.check_input, &format!("{}{back}", alert(&msg))),
        ServiceError::Store(crate::store::StoreError::Conflict(msg)) => page_in(lang, StatusCode::CONFLICT, t.not_saved, &format!("{}{back}", alert(&msg))),
        ServiceError::File(e) => page_in(lang, StatusCode::UNPROCESSABLE_ENTITY, t.file_not_used, &format!("{}<p>{}</p>{back}", alert(&e.to_string()), t.nothing_created)),
        other => internal_page_in(lang, other),
    }
}

pub(super) fn internal_page(e: impl std::fmt::Display) -> Response {
    internal_page_in("en", e)
}

/// 500 in `lang`, with the reference the log holds (the cause is logged, never shown).
pub(super) fn internal_page_in(lang: &str, e: impl std::fmt::Display) -> Response {
    let reference = match internal(e) {
        app::AppError::Internal { reference } => reference,
        _ => String::new(),
    };
    let t = admin_text(lang);
    page_in(lang, StatusCode::INTERNAL_SERVER_ERROR, t.went_wrong, &format!("<p>{}</p>", fill(t.went_wrong_text, &[("reference", &esc(&reference))])))
}

/// The signed-in caller, or the response to give instead (redirect to sign-in).
pub(super) async fn caller(state: &AppState, headers: &HeaderMap) -> Result<Identity, Response> {
    match state.auth.from_headers(headers).await {
        Ok(Some(identity)) => Ok(identity),
        Ok(None) => Err(to_login()),
        Err(e) => Err(internal_page(e)),
    }
}

pub(super) fn with_cookie(mut response: Response, cookie: &str) -> Response {
    if let Ok(value) = HeaderValue::from_str(cookie) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}

/// `POST /login`. A wrong password, an unknown address and a deactivated
/// account all get the same redirect to `/login?failed=1`.
pub async fn login(State(state): State<AppState>, ClientAddr(client): ClientAddr, headers: HeaderMap, Form(form): Form<LoginForm>) -> Response {
    if !from_this_site(&headers) {
        return refused();
    }
    let previous = state.auth.cookies.read(&headers);
    match state.auth.login(&form.email, &form.password, &client.to_string(), previous.as_deref()).await {
        Ok(signed_in) => {
            let next = if signed_in.needs_code { "/login/code" } else { "/staff" };
            with_cookie(Redirect::to(next).into_response(), &state.auth.cookies.set(&signed_in.secret))
        }
        Err(AuthError::InvalidCredentials) => Redirect::to("/login?failed=1").into_response(),
        Err(AuthError::RateLimited) => sign_in_paused(),
        Err(e) => internal_page(e),
    }
}

/// 429 after too many wrong passwords or codes for an account or from a network.
pub(super) fn sign_in_paused() -> Response {
    let mut response = page(
        StatusCode::TOO_MANY_REQUESTS,
        "Please wait a few minutes",
        "<p>There were too many unsuccessful sign-ins for this account or from your network. For your security, signing in is paused for up to 15 minutes. Please try again later, or ask an administrator of your organisation for help.</p><p><a href=\"/login\">Back to sign-in</a></p>",
    );
    response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("900"));
    response
}

/// `POST /logout`: ends the session on the server and in the browser.
pub async fn logout(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if !from_this_site(&headers) {
        return refused();
    }
    let secret = state.auth.cookies.read(&headers);
    match state.auth.logout(secret.as_deref()).await {
        Ok(()) => with_cookie(Redirect::to("/login?signed_out=1").into_response(), &state.auth.cookies.clear()),
        Err(e) => internal_page(e),
    }
}

/// `POST /admin/users`: creates an account and shows its one-time link.
pub async fn invite(State(state): State<AppState>, headers: HeaderMap, Form(form): Form<InviteForm>) -> Response {
    if !from_this_site(&headers) {
        return refused();
    }
    let identity = match caller(&state, &headers).await {
        Ok(i) => i,
        Err(response) => return response,
    };
    let who = Caller::from(&identity);
    match staff::invite(&state.store, &who, &form.name, &form.email, &form.role).await {
        Ok(invited) => {
            let t = admin_text(&who.language);
            let link = format!("{}{}", public_base(&headers, state.auth.cookies.secure), invited.link_path);
            let person = format!("<strong id=\"invited-name\">{}</strong> ({})", esc(&invited.user.display_name), esc(&invited.user.email));
            page_in(
                &who.language,
                StatusCode::OK,
                t.account_created,
                &format!(
                    "<p role=\"status\">{}</p><p><label for=\"setup-link\">{}</label><br><input id=\"setup-link\" type=\"text\" readonly size=\"60\" value=\"{}\"></p><p><a href=\"/admin/users\" id=\"back-to-users\">{}</a></p>",
                    fill(t.account_created_text, &[("person", &person), ("days", &staff::SETUP_LINK_DAYS.to_string())]),
                    t.one_time_link,
                    esc(&link),
                    t.back_to_users,
                ),
            )
        }
        Err(e) => staff_error(&who.language, e, "/admin/users"),
    }
}

/// `POST /admin/users/{id}/deactivate`.
pub async fn deactivate(State(state): State<AppState>, Path(user_id): Path<String>, headers: HeaderMap) -> Response {
    if !from_this_site(&headers) {
        return refused();
    }
    let identity = match caller(&state, &headers).await {
        Ok(i) => i,
        Err(response) => return response,
    };
    match staff::deactivate(&state.store, &Caller::from(&identity), &user_id).await {
        Ok(_) => Redirect::to("/admin/users?deactivated=1").into_response(),
        Err(e) => staff_error(&identity.user.language, e, "/admin/users"),
    }
}

/// `POST /set-password`: the invited person's one-time link, used.
pub async fn set_password(State(state): State<AppState>, headers: HeaderMap, Form(form): Form<SetPasswordForm>) -> Response {
    if !from_this_site(&headers) {
        return refused();
    }
    match staff::set_password(&state.store, &form.token, &form.password, &form.repeat).await {
        Ok(()) => Redirect::to("/login?password_set=1").into_response(),
        Err(ServiceError::NotFound) => page(StatusCode::NOT_FOUND, "This link does not work", "<p>The link is unknown, already used or expired. Please ask an administrator of your organisation for a new one.</p>"),
        Err(e) => {
            let back = format!("/set-password/{}", form.token);
            staff_error("en", e, &back)
        }
    }
}

/// Where people reach this server, for the printed link (from the Host header).
pub(super) fn public_base(headers: &HeaderMap, secure: bool) -> String {
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok()).filter(|h| h.bytes().all(|b| b.is_ascii_graphic())).unwrap_or("localhost");
    format!("{}://{host}", if secure { "https" } else { "http" })
}

/// `GET /admin/audit.csv` (query: who, action, from, to): the audit log
/// entries the filter selects, as CSV (administrators; audited).
pub async fn audit_csv(State(state): State<AppState>, axum::extract::RawQuery(query): axum::extract::RawQuery, headers: HeaderMap) -> Response {
    let who = match caller(&state, &headers).await {
        Ok(i) => Caller::from(&i),
        Err(r) => return r,
    };
    let filter: app::staff::model::AuditFilter = serde_urlencoded::from_str::<Vec<(String, String)>>(&query.unwrap_or_default())
        .map(|fields| {
            let field = |name: &str| fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()).unwrap_or_default();
            app::staff::model::AuditFilter { who: field("who"), action: field("action"), from: field("from"), to: field("to"), before: String::new() }
        })
        .unwrap_or_default();
    match staff::audit_csv(&state.store, &who, filter).await {
        Ok(body) => download(Download { file_name: "audit-log.csv".into(), content_type: "text/csv; charset=utf-8", body }),
        Err(e) => staff_error(&who.language, e, "/admin/audit"),
    }
}

/// A file to save (not to show), never cached.
pub(super) fn download(d: Download) -> Response {
    let disposition = format!("attachment; filename=\"{}\"", d.file_name);
    let mut response = (StatusCode::OK, d.body).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(d.content_type));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    response
}
