//! `/survey/{token}`: the employee's pulse survey. The link is the
//! capability: no account, no cookie. The page says in plain words what is
//! collected and who sees what; every statement may be skipped; answers are
//! saved as they are chosen (with script) or with the Save button (without),
//! and sending hands them over without any link to the person.

use axum::{
    extract::{Path, Query, State},
    http::{header, HeaderMap, StatusCode},
    response::{Html, IntoResponse, Redirect, Response},
    Form,
};
use serde::Deserialize;

use super::{
    from_this_site,
    item_form::{answers_of, fieldsets, language, words},
    staff::{esc, internal_page, refused},
    AppState,
};
use crate::workforce::survey::{self, SurveyError};

/// Whether a path token could be one of ours (hex); anything else is unknown without a lookup.
pub(super) fn plausible(token: &str) -> bool {
    token.len() <= 128 && !token.is_empty() && token.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// Cap on fields in one post (the pulse has a few dozen statements).
pub(super) const MAX_FIELDS: usize = 400;

#[derive(Deserialize, Default)]
pub struct PageQuery {
    #[serde(default)]
    lang: Option<String>,
    #[serde(default)]
    saved: Option<String>,
}

/// A page of the employee side, in `lang`.
pub(super) fn employee_page(status: StatusCode, lang: &str, title: &str, body: &str) -> Response {
    let html = format!(
        "<!DOCTYPE html><html lang=\"{lang}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{title} · Vigil</title><link rel=\"stylesheet\" href=\"/pkg/vigil.css\"><link rel=\"icon\" href=\"/favicon.svg\" type=\"image/svg+xml\"></head><body><a class=\"skip-link\" href=\"#main\">{skip}</a><header class=\"site-header\"><span class=\"brand\">Vigil</span></header><main id=\"main\" tabindex=\"-1\"><h1>{title}</h1>{body}</main><script src=\"/survey/autosave.js\" defer></script></body></html>",
        title = esc(title),
        skip = app::i18n::shell_text(lang).skip_to_content
    );
    (status, [(header::CACHE_CONTROL, "no-store")], Html(html)).into_response()
}

fn survey_error(e: SurveyError, lang: &str) -> Response {
    let (status, title) = match &e {
        SurveyError::Unknown => (StatusCode::NOT_FOUND, "Link not known"),
        SurveyError::Sent => (StatusCode::GONE, "Thank you"),
        SurveyError::Closed => (StatusCode::GONE, "Survey closed"),
        SurveyError::Invalid(_) => (StatusCode::UNPROCESSABLE_ENTITY, "Please check your answers"),
        SurveyError::Store(_) => return internal_page(e),
    };
    employee_page(status, lang, title, &format!("<p role=\"alert\" id=\"survey-message\">{}</p>", esc(&e.to_string())))
}

/// The notice, in `lang`: what is collected, who sees what, how long it is kept.
fn notice(lang: &str, organisation: &str, closes_on: &str) -> String {
    let org = esc(organisation);
    if lang == "de" {
        return format!(
            "<div class=\"notice\" id=\"notice\"><h2>Bevor Sie beginnen</h2><ul>\
             <li><strong>Was erfasst wird:</strong> Ihre Antworten auf die Aussagen unten, Ihre Abteilung oder Ihr Team und der Tag, an dem Sie sie senden. Sonst nichts.</li>\
             <li><strong>Nicht mit Ihnen verknüpft:</strong> Beim Senden werden Ihre Antworten ohne Namen, E-Mail-Adresse oder Link gespeichert. Niemand bei {org}, auch niemand mit Zugriff auf die Datenbank, kann erkennen, welche Antworten Ihre sind.</li>\
             <li><strong>Wer was sieht:</strong> HR und das Sicherheitsteam sehen nur Gruppenergebnisse, und nur für Gruppen von mindestens 5 Personen; kleinere Gruppen und jede Gruppe, die sich aus anderen errechnen ließe, werden nie gezeigt.</li>\
             <li><strong>Ihre Wahl:</strong> Sie können jede Aussage überspringen, speichern und später weitermachen oder nicht teilnehmen. Die Befragung ist bis {closes_on} geöffnet.</li>\
             <li><strong>Wie lange:</strong> Die Antworten werden nach der Frist gelöscht, die Ihre Organisation festgelegt hat; die Gruppenergebnisse können bleiben.</li></ul></div>"
        );
    }
    format!(
        "<div class=\"notice\" id=\"notice\"><h2>Before you start</h2><ul>\
         <li><strong>What is collected:</strong> your answers to the statements below, your department or team, and the day you send them. Nothing else.</li>\
         <li><strong>Not linked to you:</strong> when you send, your answers are stored without your name, e-mail or link. Nobody at {org}, nor anyone with access to the database, can tell which answers are yours.</li>\
         <li><strong>Who sees what:</strong> HR and the security team see only group results, and only for groups of at least 5 people; smaller groups, and any group that could be worked out from others, are never shown.</li>\
         <li><strong>Your choice:</strong> you may skip any statement, save and come back, or not take part. The survey is open until {closes_on}.</li>\
         <li><strong>How long:</strong> answers are deleted after the period your organisation has set; the group results may be kept.</li></ul></div>"
    )
}

/// The survey page's own words, in English or German.
fn say(lang: &str, en: &'static str, de: &'static str) -> &'static str {
    if lang == "de" {
        de
    } else {
        en
    }
}

/// `GET /survey/{token}`.
pub async fn survey_page(State(state): State<AppState>, Path(token): Path<String>, Query(q): Query<PageQuery>) -> Response {
    if !plausible(&token) {
        return survey_error(SurveyError::Unknown, "en");
    }
    let view = match survey::view(&state.store, &state.catalog, &token).await {
        Ok(v) => v,
        Err(e) => return survey_error(e, "en"),
    };
    let bank = &view.entry.bank;
    let asked = q.lang.as_deref().filter(|l| view.languages.iter().any(|w| w == l)).or(view.languages.first().map(String::as_str));
    let lang = language(bank, asked);
    let file = bank.file();
    let mut body = String::new();
    for other in view.languages.iter().filter(|l| **l != lang) {
        body.push_str(&format!("<p class=\"language-switch\"><a href=\"/survey/{t}?lang={o}\" lang=\"{o}\">{label}</a></p>", t = esc(&token), o = esc(other), label = if other == "de" { "Deutsch" } else { "English" }));
    }
    body.push_str(&notice(&lang, &view.organisation, &view.closes_on));
    if let Some(text) = &file.instrument.instructions {
        body.push_str(&format!("<p class=\"instructions\">{}</p>", esc(&words(text, &lang))));
    }
    if q.saved.is_some() {
        body.push_str(&format!("<p role=\"status\" id=\"saved\">{}</p>", say(&lang, "Your answers are saved. You can come back to this link until the survey closes.", "Ihre Antworten sind gespeichert. Sie können über diesen Link zurückkommen, bis die Befragung schließt.")));
    }
    body.push_str(&format!(
        "<form method=\"post\" action=\"/survey/{t}\" data-autosave=\"/survey/{t}/autosave\" id=\"survey-form\"><input type=\"hidden\" name=\"lang\" value=\"{lang}\">{fields}\
         <p class=\"save-status\" role=\"status\" id=\"save-status\"></p>\
         <div class=\"actions\"><button type=\"submit\" name=\"action\" value=\"send\" class=\"button\" id=\"send\">{send}</button> \
         <button type=\"submit\" name=\"action\" value=\"save\" class=\"link-button\" id=\"save\">{save}</button></div></form>",
        t = esc(&token),
        send = say(&lang, "Send my answers", "Antworten senden"),
        save = say(&lang, "Save and finish later", "Speichern und später weitermachen"),
        fields = fieldsets(bank, &lang, &view.saved, 0..file.items.len())
    ));
    employee_page(StatusCode::OK, &lang, &words(&file.instrument.title, &lang), &body)
}

/// `POST /survey/{token}`: save, or send.
pub async fn survey_post(State(state): State<AppState>, Path(token): Path<String>, headers: HeaderMap, Form(fields): Form<Vec<(String, String)>>) -> Response {
    if !from_this_site(&headers) {
        return refused();
    }
    if !plausible(&token) {
        return survey_error(SurveyError::Unknown, "en");
    }
    let lang = fields.iter().find(|(k, _)| k == "lang").map(|(_, v)| if v == "de" { "de" } else { "en" }).unwrap_or("en");
    if fields.len() > MAX_FIELDS {
        return survey_error(SurveyError::Invalid("Too many answers at once.".into()), lang);
    }
    let answers = answers_of(&fields);
    let send = fields.iter().any(|(k, v)| k == "action" && v == "send");
    let done = if send { survey::send(&state.store, &state.catalog, &token, &answers).await } else { survey::save(&state.store, &state.catalog, &token, &answers).await };
    match done {
        Ok(()) if send => employee_page(
            StatusCode::OK,
            lang,
            say(lang, "Thank you", "Vielen Dank"),
            say(
                lang,
                "<p role=\"status\" id=\"sent\">Your answers have been sent. They are now stored without any link to you, and count only in results for groups of at least 5 people.</p><p>You can close this page.</p>",
                "<p role=\"status\" id=\"sent\">Ihre Antworten wurden gesendet. Sie sind jetzt ohne jede Verbindung zu Ihnen gespeichert und zählen nur in Ergebnissen für Gruppen von mindestens 5 Personen.</p><p>Sie können diese Seite schließen.</p>",
            ),
        ),
        Ok(()) => Redirect::to(&format!("/survey/{token}?saved=1&lang={lang}")).into_response(),
        Err(e) => survey_error(e, lang),
    }
}

/// Why an autosave post (of the employee pages' script) is refused before anything is read: another site, a token that is none of ours, too many fields.
pub(super) fn autosave_refused(headers: &HeaderMap, token: &str, fields: &[(String, String)]) -> Option<Response> {
    if !from_this_site(headers) {
        Some(StatusCode::FORBIDDEN.into_response())
    } else if !plausible(token) {
        Some(StatusCode::NOT_FOUND.into_response())
    } else if fields.len() > MAX_FIELDS {
        Some(StatusCode::PAYLOAD_TOO_LARGE.into_response())
    } else {
        None
    }
}

/// `POST /survey/{token}/autosave`: keeps the answers posted (the page's script), 204.
pub async fn survey_autosave(State(state): State<AppState>, Path(token): Path<String>, headers: HeaderMap, Form(fields): Form<Vec<(String, String)>>) -> Response {
    if let Some(refused) = autosave_refused(&headers, &token, &fields) {
        return refused;
    }
    match survey::save(&state.store, &state.catalog, &token, &answers_of(&fields)).await {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(SurveyError::Store(e)) => internal_page(e),
        Err(e @ SurveyError::Invalid(_)) => (StatusCode::UNPROCESSABLE_ENTITY, e.to_string()).into_response(),
        Err(SurveyError::Unknown) => StatusCode::NOT_FOUND.into_response(),
        Err(e) => (StatusCode::GONE, e.to_string()).into_response(),
    }
}

/// `GET /survey/autosave.js`.
pub async fn autosave_script() -> Response {
    ([(header::CONTENT_TYPE, "text/javascript; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=300")], include_str!("autosave.js")).into_response()
}
