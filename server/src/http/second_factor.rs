//! The staff's second factor over HTTP: the code page after the password,
//! the security page (set up an authenticator app, see how many recovery
//! codes are left, turn it off), and an admin's reset for a colleague who
//! lost theirs. Plain HTML forms, POST-redirect-GET where nothing must be
//! shown once; the recovery codes are shown once, on the answer to the
//! confirming post (never in a URL).

use std::fmt::Write as _;

use app::i18n::{admin_text, fill, AdminText};
use axum::{
    extract::{Path, Query, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Redirect, Response},
    Form,
};
use serde::Deserialize;

use super::{
    client::ClientAddr,
    from_this_site,
    staff::{caller, esc, internal_page, internal_page_in, page_in, refused, sign_in_paused, staff_error, to_login, with_cookie},
    AppState,
};
use crate::{
    auth::{AuthError, Enrolment, Identity},
    staff::{self, Caller},
    time::date_utc,
};

#[derive(Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    code: String,
}

#[derive(Deserialize)]
pub struct SecurityQuery {
    off: Option<String>,
    language: Option<String>,
}

#[derive(Deserialize)]
pub struct LanguageForm {
    #[serde(default)]
    language: String,
}

/// The language form: which language Vigil's staff pages are shown in, for this person.
fn language_form(current: &str, saved: bool) -> String {
    let option = |value: &str, label: &str| format!("<option value=\"{value}\"{}>{label}</option>", if value == current { " selected" } else { "" });
    format!(
        "<h2 id=\"language-heading\">Language · Sprache</h2>{}<form method=\"post\" action=\"/account/language\" class=\"stacked\" aria-labelledby=\"language-heading\"><label for=\"language\">The language of Vigil's pages for you · Die Sprache der Seiten von Vigil für Sie</label><select id=\"language\" name=\"language\">{}{}</select><div class=\"actions\"><button type=\"submit\" class=\"button secondary\" id=\"save-language\">Save · Speichern</button></div></form>",
        if saved { "<p class=\"notice\" role=\"status\" id=\"language-saved\">Saved · Gespeichert</p>" } else { "" },
        option("en", "English"),
        option("de", "Deutsch"),
    )
}

/// `POST /account/language` (field `language`: en or de): the signed-in person's choice.
pub async fn set_language(State(state): State<AppState>, headers: HeaderMap, Form(form): Form<LanguageForm>) -> Response {
    if !from_this_site(&headers) {
        return refused();
    }
    let identity = match caller(&state, &headers).await {
        Ok(i) => i,
        Err(r) => return r,
    };
    match staff::set_language(&state.store, &Caller::from(&identity), &form.language).await {
        Ok(()) => Redirect::to("/account/security?language=saved").into_response(),
        Err(e) => staff_error(&identity.user.language, e, "/account/security"),
    }
}

/// The code field, the same on every form.
fn code_field(label: &str) -> String {
    format!("<label for=\"code\">{label}</label><input id=\"code\" name=\"code\" required maxlength=\"20\" autocomplete=\"one-time-code\" autocapitalize=\"off\" spellcheck=\"false\">")
}

fn error_line(message: Option<&str>) -> String {
    message.map(|m| format!("<p role=\"alert\" id=\"form-error\">{}</p>", esc(m))).unwrap_or_default()
}

/// The second step of signing in, in the language of the person signing in.
fn code_page(lang: &str, status: StatusCode, error: Option<&str>) -> Response {
    let t = admin_text(lang);
    page_in(
        lang,
        status,
        t.enter_code,
        &format!(
            "<p>{}</p>{}<form method=\"post\" action=\"/login/code\" class=\"stacked\">{}<div class=\"actions\"><button type=\"submit\" class=\"button\" id=\"verify-code\">{}</button></div></form><form method=\"post\" action=\"/logout\"><button type=\"submit\" class=\"link-button\" id=\"cancel-sign-in\">{}</button></form><p>{}</p>",
            t.enter_code_text,
            error_line(error),
            code_field(t.code_or_recovery),
            t.continue_,
            t.cancel_sign_out,
            t.no_app
        ),
    )
}

/// `GET /login/code`: the second step of signing in.
pub async fn code_form(State(state): State<AppState>, headers: HeaderMap) -> Response {
    match state.auth.awaiting_code(state.auth.cookies.read(&headers).as_deref()).await {
        Ok(Some(pending)) => code_page(&pending.user.language, StatusCode::OK, None),
        Ok(None) => to_login(),
        Err(e) => internal_page(e),
    }
}

/// `POST /login/code` (field `code`): signed in with a new session id, or the form again.
pub async fn verify_code(State(state): State<AppState>, ClientAddr(client): ClientAddr, headers: HeaderMap, Form(form): Form<CodeForm>) -> Response {
    if !from_this_site(&headers) {
        return refused();
    }
    let secret = state.auth.cookies.read(&headers);
    match state.auth.second_factor(secret.as_deref(), &form.code, &client.to_string()).await {
        Ok(new_secret) => with_cookie(Redirect::to("/staff").into_response(), &state.auth.cookies.set(&new_secret)),
        Err(AuthError::WrongCode) => {
            // The person still waits for their code: their language is known.
            let lang = state.auth.awaiting_code(secret.as_deref()).await.ok().flatten().map_or_else(|| "en".to_string(), |p| p.user.language);
            code_page(&lang, StatusCode::UNPROCESSABLE_ENTITY, Some(admin_text(&lang).code_wrong_changing))
        }
        Err(AuthError::InvalidCredentials) => to_login(),
        Err(AuthError::RateLimited) => sign_in_paused(),
        Err(e) => internal_page(e),
    }
}

/// `GET /account/security[?off=1]`: the signed-in person's second factor.
pub async fn security(State(state): State<AppState>, headers: HeaderMap, Query(query): Query<SecurityQuery>) -> Response {
    let identity = match caller(&state, &headers).await {
        Ok(i) => i,
        Err(r) => return r,
    };
    match security_page(&state, &identity, StatusCode::OK, None, query.off.is_some(), query.language.is_some()).await {
        Ok(r) => r,
        Err(e) => internal_page(e),
    }
}

async fn security_page(state: &AppState, identity: &Identity, status: StatusCode, error: Option<&str>, turned_off: bool, language_saved: bool) -> Result<Response, AuthError> {
    let lang = identity.user.language.as_str();
    let t = admin_text(lang);
    let mut body = format!("<p><a href=\"/staff\">{}</a></p>", t.back_to_start);
    if turned_off {
        let _ = write!(body, "<p class=\"notice\" role=\"status\" id=\"second-factor-off\">{}</p>", t.second_factor_now_off);
    }
    if let Some(since) = identity.user.second_factor_since {
        let left = state.store.recovery_codes_left(&identity.user.id).await?;
        let _ = write!(
            body,
            "<p id=\"second-factor-status\">{}</p>",
            fill(t.second_factor_on, &[("since", &date_utc(since)), ("left", &format!("<strong id=\"recovery-left\">{left}</strong>"))])
        );
        let _ = write!(
            body,
            "<h2 id=\"off-heading\">{}</h2><p>{}</p>{}<form method=\"post\" action=\"/account/second-factor/disable\" class=\"stacked\" aria-labelledby=\"off-heading\">{}<div class=\"actions\"><button type=\"submit\" class=\"button secondary\" id=\"turn-off\">{}</button></div></form>",
            t.turn_it_off,
            t.confirm_with_code,
            error_line(error),
            code_field(t.code),
            t.turn_off_second_factor
        );
    } else if let Some(enrolment) = state.auth.enrolment(identity).await? {
        body.push_str(&enrolment_html(t, &enrolment, error));
    } else {
        let _ = write!(
            body,
            "<p id=\"second-factor-status\">{}</p><form method=\"post\" action=\"/account/second-factor/start\"><div class=\"actions\"><button type=\"submit\" class=\"button\" id=\"start-second-factor\">{}</button></div></form>",
            t.second_factor_off,
            t.set_up_app
        );
    }
    body.push_str(&language_form(&identity.user.language, language_saved));
    Ok(page_in(lang, status, t.account_security, &body))
}

fn enrolment_html(t: &AdminText, e: &Enrolment, error: Option<&str>) -> String {
    // The QR code inline, without its XML prolog.
    let svg = e.qr_svg.find("<svg").map_or("", |at| &e.qr_svg[at..]);
    let grouped: Vec<String> = e.secret.as_bytes().chunks(4).map(|c| String::from_utf8_lossy(c).into_owned()).collect();
    format!(
        "<h2 id=\"setup-heading\">{}</h2><ol><li>{}<div class=\"qr\" role=\"img\" aria-label=\"{}\">{svg}</div>{}</li><li>{}</li></ol>{}<form method=\"post\" action=\"/account/second-factor/confirm\" class=\"stacked\" aria-labelledby=\"setup-heading\">{}<div class=\"actions\"><button type=\"submit\" class=\"button\" id=\"confirm-second-factor\">{}</button></div></form><form method=\"post\" action=\"/account/second-factor/start\"><button type=\"submit\" class=\"link-button\">{}</button></form>",
        t.set_up_heading,
        t.scan_this,
        t.qr_label,
        fill(t.or_type_key, &[("key", &format!("<code id=\"totp-secret\">{}</code>", esc(&grouped.join(" "))))]),
        t.type_code_to_confirm,
        error_line(error),
        code_field(t.code_from_app),
        t.turn_on,
        t.start_again
    )
}

/// The signed-in caller of a post, or the response to give instead.
async fn poster(state: &AppState, headers: &HeaderMap) -> Result<Identity, Response> {
    if !from_this_site(headers) {
        return Err(refused());
    }
    caller(state, headers).await
}

fn problem(lang: &str, e: AuthError) -> Response {
    let t = admin_text(lang);
    match e {
        AuthError::SecondFactor(message) => page_in(lang, StatusCode::CONFLICT, t.please_check, &format!("<p role=\"alert\" id=\"form-error\">{}</p><p><a href=\"/account/security\">{}</a></p>", esc(message), t.back_to_security)),
        e => internal_page_in(lang, e),
    }
}

/// `POST /account/second-factor/start`: a new key, shown on the security page.
pub async fn start(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let identity = match poster(&state, &headers).await {
        Ok(i) => i,
        Err(r) => return r,
    };
    match state.auth.begin_enrolment(&identity).await {
        Ok(_) => Redirect::to("/account/security").into_response(),
        Err(e) => problem(&identity.user.language, e),
    }
}

/// `POST /account/second-factor/confirm` (field `code`): on, with the recovery codes shown once.
pub async fn confirm(State(state): State<AppState>, headers: HeaderMap, Form(form): Form<CodeForm>) -> Response {
    let identity = match poster(&state, &headers).await {
        Ok(i) => i,
        Err(r) => return r,
    };
    match state.auth.confirm_enrolment(&identity, &form.code).await {
        Ok((new_secret, codes)) => {
            let list: String = codes.iter().map(|c| format!("<li><code>{}</code></li>", esc(c))).collect();
            let lang = identity.user.language.as_str();
            let t = admin_text(lang);
            let response = page_in(
                lang,
                StatusCode::OK,
                t.second_factor_is_on,
                &format!(
                    "<p role=\"status\">{}</p><h2>{}</h2><p>{}</p><ul id=\"recovery-codes\" class=\"codes\">{list}</ul><p><a href=\"/account/security\" id=\"back-to-security\">{}</a></p>",
                    t.from_now_on_code,
                    t.your_recovery_codes,
                    t.recovery_codes_explained,
                    t.done
                ),
            );
            with_cookie(response, &state.auth.cookies.set(&new_secret))
        }
        Err(AuthError::WrongCode) => security_page(&state, &identity, StatusCode::UNPROCESSABLE_ENTITY, Some(admin_text(&identity.user.language).code_not_right_clock), false, false)
            .await
            .unwrap_or_else(internal_page),
        Err(e) => problem(&identity.user.language, e),
    }
}

/// `POST /account/second-factor/disable` (field `code`).
pub async fn disable(State(state): State<AppState>, ClientAddr(client): ClientAddr, headers: HeaderMap, Form(form): Form<CodeForm>) -> Response {
    let identity = match poster(&state, &headers).await {
        Ok(i) => i,
        Err(r) => return r,
    };
    match state.auth.turn_off(&identity, &form.code, &client.to_string()).await {
        Ok(()) => Redirect::to("/account/security?off=1").into_response(),
        Err(AuthError::WrongCode) => security_page(&state, &identity, StatusCode::UNPROCESSABLE_ENTITY, Some(admin_text(&identity.user.language).code_not_right_used), false, false)
            .await
            .unwrap_or_else(internal_page),
        Err(AuthError::RateLimited) => sign_in_paused(),
        Err(e) => problem(&identity.user.language, e),
    }
}

/// `POST /admin/users/{id}/reset-second-factor`: an admin turns off a colleague's second factor.
pub async fn reset(State(state): State<AppState>, Path(user_id): Path<String>, headers: HeaderMap) -> Response {
    let identity = match poster(&state, &headers).await {
        Ok(i) => i,
        Err(r) => return r,
    };
    match staff::reset_second_factor(&state.store, &Caller::from(&identity), &user_id).await {
        Ok(_) => Redirect::to("/admin/users?reset=1").into_response(),
        Err(e) => staff_error(&identity.user.language, e, "/admin/users"),
    }
}
