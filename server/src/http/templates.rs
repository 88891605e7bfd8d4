//! `/admin/templates`: the organisation's e-mail templates, each occasion
//! in each language, with an editor that previews the letter for an
//! example candidate before saving. Short adapters over
//! `crate::recruit::templates`.

use std::fmt::Write as _;

use axum::{
    extract::{Path, Query, RawForm, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Redirect, Response},
};
use serde::Deserialize;

use super::{
    recruit::{field, fields, poster, recruit_error},
    staff::{caller, esc, page},
    AppState,
};
use crate::{
    recruit::{
        messages::{check, Message, Occasion, Template, MAX_BODY_CHARS, MAX_SUBJECT_CHARS, PLACEHOLDERS},
        templates::{self, named, EXAMPLE_NAME},
    },
    service_error::ServiceError,
    staff::Caller,
};

const BACK: &str = "/admin/templates";

fn language_name(language: &str) -> &'static str {
    if language == "de" {
        "German"
    } else {
        "English"
    }
}

#[derive(Deserialize)]
pub struct Saved {
    saved: Option<String>,
}

/// `GET /admin/templates`: every template, the organisation's own marked.
pub async fn list(State(state): State<AppState>, headers: HeaderMap, Query(q): Query<Saved>) -> Response {
    let who = match caller(&state, &headers).await {
        Ok(c) => Caller::from(&c),
        Err(r) => return r,
    };
    match templates::templates(&state.store, &who).await {
        Ok(list) => {
            let mut html = String::new();
            if q.saved.is_some() {
                html.push_str("<p class=\"notice\" role=\"status\" id=\"saved\">Saved. New invitations and reminders use it from now on.</p>");
            }
            html.push_str("<p>Candidates receive these e-mails in their language. Each one starts with Vigil's wording; write your organisation's own where you want to. Every letter keeps the candidate's personal link.</p>");
            html.push_str("<div class=\"table-scroll\"><table class=\"data\" id=\"templates\"><thead><tr><th scope=\"col\">E-mail</th><th scope=\"col\">Language</th><th scope=\"col\">Subject</th><th scope=\"col\">Whose</th><th scope=\"col\"></th></tr></thead><tbody>");
            for t in &list {
                let whose = t.own_since.as_ref().map_or_else(|| "Vigil's own".to_string(), |at| format!("Your own (saved {})", esc(at)));
                let _ = write!(
                    html,
                    "<tr><td>{}</td><td>{}</td><td>{}</td><td>{whose}</td><td><a href=\"/admin/templates/{}/{}\" id=\"edit-{3}-{4}\">Edit</a></td></tr>",
                    t.occasion.label(),
                    language_name(t.language),
                    esc(&t.template.subject),
                    t.occasion.as_str(),
                    t.language
                );
            }
            html.push_str("</tbody></table></div>");
            page(StatusCode::OK, "E-mail templates", &html)
        }
        Err(e) => recruit_error(e, "/staff"),
    }
}

/// The editor with the letter it writes for the example candidate;
/// `whose` says whose template is shown, `problems` why it cannot be saved.
fn editor(occasion: Occasion, language: &str, template: &Template, preview: &Message, whose: Option<&str>, problems: Option<&str>) -> String {
    let mut html = String::new();
    if let Some(whose) = whose {
        let _ = write!(html, "<p id=\"whose\">{}</p>", esc(whose));
    }
    if let Some(problems) = problems {
        let _ = write!(html, "<p role=\"alert\" id=\"form-error\">Please check: {}</p>", esc(problems));
    }
    let action = format!("/admin/templates/{}/{language}", occasion.as_str());
    let _ = write!(
        html,
        "<p>Placeholders: {}. <code>{{link}}</code>, the candidate's personal link, must be in the text exactly once.</p>\
         <form method=\"post\" action=\"{action}\" class=\"stacked\">\
         <label for=\"subject\">Subject</label><input id=\"subject\" name=\"subject\" required maxlength=\"{MAX_SUBJECT_CHARS}\" value=\"{}\">\
         <label for=\"body\">Text</label><textarea id=\"body\" name=\"body\" rows=\"16\" required maxlength=\"{MAX_BODY_CHARS}\">{}</textarea>\
         <div class=\"actions\"><button type=\"submit\" name=\"action\" value=\"preview\" class=\"button secondary\" id=\"preview\">Preview</button> \
         <button type=\"submit\" name=\"action\" value=\"save\" class=\"button\" id=\"save\">Save</button> \
         <button type=\"submit\" name=\"action\" value=\"reset\" class=\"button secondary\" id=\"reset\" formnovalidate>Use Vigil's own again</button></div></form>",
        PLACEHOLDERS.map(|p| format!("<code>{{{p}}}</code>")).join(", "),
        esc(&template.subject),
        esc(&template.body)
    );
    let _ = write!(
        html,
        "<h2>Preview</h2><p class=\"small\">For an example candidate, {EXAMPLE_NAME}, with an example link.</p><dl class=\"facts\" id=\"preview-letter\"><dt>Subject</dt><dd id=\"preview-subject\">{}</dd><dt>Text</dt><dd><pre class=\"mail\" id=\"preview-body\">{}</pre></dd></dl><p><a href=\"{BACK}\">Back to the templates</a></p>",
        esc(&preview.subject),
        esc(&preview.body)
    );
    html
}

fn title(occasion: Occasion, language: &str) -> String {
    format!("{} ({})", occasion.label(), language_name(language))
}

/// `GET /admin/templates/{occasion}/{language}`: the editor with the template in use.
pub async fn edit(State(state): State<AppState>, Path((occasion, language)): Path<(String, String)>, headers: HeaderMap) -> Response {
    let who = match caller(&state, &headers).await {
        Ok(c) => Caller::from(&c),
        Err(r) => return r,
    };
    let result = async {
        let (occasion, language) = named(&occasion, &language)?;
        let current = templates::templates(&state.store, &who).await?.into_iter().find(|t| t.occasion == occasion && t.language == language).ok_or(ServiceError::NotFound)?;
        let preview = templates::preview(&state.store, &who, occasion, language, &current.template).await?;
        let whose = current.own_since.map_or_else(|| "Vigil's own template.".to_string(), |at| format!("Your organisation's own, saved {at}."));
        Ok::<_, ServiceError>(page(StatusCode::OK, &title(occasion, language), &editor(occasion, language, &current.template, &preview, Some(&whose), None)))
    }
    .await;
    result.unwrap_or_else(|e| recruit_error(e, BACK))
}

/// `POST /admin/templates/{occasion}/{language}`: `action` preview (nothing
/// saved), save (checked first) or reset (back to Vigil's own).
pub async fn change(State(state): State<AppState>, Path((occasion, language)): Path<(String, String)>, headers: HeaderMap, RawForm(body): RawForm) -> Response {
    let who = match poster(&state, &headers).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let (occasion, language) = match named(&occasion, &language) {
        Ok(n) => n,
        Err(e) => return recruit_error(e, BACK),
    };
    let form = fields(&body);
    let template = Template { subject: field(&form, "subject").to_string(), body: field(&form, "body").replace("\r\n", "\n") };
    let (status, problems) = match field(&form, "action") {
        "reset" => match templates::reset(&state.store, &who, occasion, language).await {
            Ok(()) => return Redirect::to(&format!("{BACK}?saved=1")).into_response(),
            Err(e) => return recruit_error(e, BACK),
        },
        "save" => match templates::save(&state.store, &who, occasion, language, &template).await {
            Ok(()) => return Redirect::to(&format!("{BACK}?saved=1")).into_response(),
            Err(ServiceError::Invalid(problems)) => (StatusCode::UNPROCESSABLE_ENTITY, Some(problems)),
            Err(e) => return recruit_error(e, BACK),
        },
        _ => (StatusCode::OK, check(&template).err().map(|p| p.join(" "))),
    };
    match templates::preview(&state.store, &who, occasion, language, &template).await {
        Ok(preview) => page(status, &title(occasion, language), &editor(occasion, language, &template, &preview, None, problems.as_deref())),
        Err(e) => recruit_error(e, BACK),
    }
}
