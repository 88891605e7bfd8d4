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
    recruit::{field, fields, poster},
    staff::{caller, esc, page_in, staff_error},
    AppState,
};
use app::i18n::{admin_text, fill, AdminText};

use crate::{
    recruit::{
        messages::{check, Message, Occasion, Template, MAX_BODY_CHARS, MAX_SUBJECT_CHARS, PLACEHOLDERS},
        templates::{self, named, EXAMPLE_NAME},
    },
    service_error::ServiceError,
    staff::Caller,
};

const BACK: &str = "/admin/templates";

/// The name of a letter's language, in the reader's language.
fn language_name(t: &AdminText, language: &str) -> &'static str {
    if language == "de" {
        t.german
    } else {
        t.english
    }
}

/// What staff call an occasion, in the reader's language.
fn occasion_name(t: &AdminText, occasion: Occasion) -> &'static str {
    match occasion {
        Occasion::Invitation => t.occasion_invitation,
        Occasion::StartReminder => t.occasion_start_reminder,
        Occasion::FinishReminder => t.occasion_finish_reminder,
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
    let t = admin_text(&who.language);
    match templates::templates(&state.store, &who).await {
        Ok(list) => {
            let mut html = String::new();
            if q.saved.is_some() {
                let _ = write!(html, "<p class=\"notice\" role=\"status\" id=\"saved\">{}</p>", t.template_saved);
            }
            let _ = write!(
                html,
                "<p>{}</p><div class=\"table-scroll\"><table class=\"data\" id=\"templates\"><thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\"></th></tr></thead><tbody>",
                t.templates_explained, t.letter, t.language, t.subject, t.whose
            );
            for template in &list {
                let whose = template.own_since.as_ref().map_or_else(|| t.vigils_own.to_string(), |at| fill(t.your_own_saved, &[("at", &esc(at))]));
                let _ = write!(
                    html,
                    "<tr><td>{}</td><td>{}</td><td>{}</td><td>{whose}</td><td><a href=\"/admin/templates/{}/{}\" id=\"edit-{3}-{4}\">{}</a></td></tr>",
                    occasion_name(t, template.occasion),
                    language_name(t, template.language),
                    esc(&template.template.subject),
                    template.occasion.as_str(),
                    template.language,
                    t.edit
                );
            }
            html.push_str("</tbody></table></div>");
            page_in(&who.language, StatusCode::OK, t.templates_title, &html)
        }
        Err(e) => staff_error(&who.language, e, "/staff"),
    }
}

/// The editor with the letter it writes for the example candidate;
/// `whose` says whose template is shown, `problems` why it cannot be saved.
fn editor(t: &AdminText, occasion: Occasion, language: &str, template: &Template, preview: &Message, whose: Option<&str>, problems: Option<&str>) -> String {
    let mut html = String::new();
    if let Some(whose) = whose {
        let _ = write!(html, "<p id=\"whose\">{}</p>", esc(whose));
    }
    if let Some(problems) = problems {
        let _ = write!(html, "<p role=\"alert\" id=\"form-error\">{}</p>", esc(&fill(t.please_check_problems, &[("problems", problems)])));
    }
    let action = format!("/admin/templates/{}/{language}", occasion.as_str());
    let placeholders = PLACEHOLDERS.map(|p| format!("<code>{{{p}}}</code>")).join(", ");
    let _ = write!(
        html,
        "<p>{}</p>\
         <form method=\"post\" action=\"{action}\" class=\"stacked\">\
         <label for=\"subject\">{}</label><input id=\"subject\" name=\"subject\" required maxlength=\"{MAX_SUBJECT_CHARS}\" value=\"{}\">\
         <label for=\"body\">{}</label><textarea id=\"body\" name=\"body\" rows=\"16\" required maxlength=\"{MAX_BODY_CHARS}\">{}</textarea>\
         <div class=\"actions\"><button type=\"submit\" name=\"action\" value=\"preview\" class=\"button secondary\" id=\"preview\">{}</button> \
         <button type=\"submit\" name=\"action\" value=\"save\" class=\"button\" id=\"save\">{}</button> \
         <button type=\"submit\" name=\"action\" value=\"reset\" class=\"button secondary\" id=\"reset\" formnovalidate>{}</button></div></form>",
        fill(t.placeholders_explained, &[("placeholders", &placeholders), ("link", "<code>{link}</code>")]),
        t.subject,
        esc(&template.subject),
        t.text,
        esc(&template.body),
        t.preview,
        t.save,
        t.use_vigils_own
    );
    let _ = write!(
        html,
        "<h2>{}</h2><p class=\"small\">{}</p><dl class=\"facts\" id=\"preview-letter\"><dt>{}</dt><dd id=\"preview-subject\">{}</dd><dt>{}</dt><dd><pre class=\"mail\" id=\"preview-body\">{}</pre></dd></dl><p><a href=\"{BACK}\">{}</a></p>",
        t.preview,
        fill(t.preview_for_example, &[("name", EXAMPLE_NAME)]),
        t.subject,
        esc(&preview.subject),
        t.text,
        esc(&preview.body),
        t.back_to_templates
    );
    html
}

fn title(t: &AdminText, occasion: Occasion, language: &str) -> String {
    format!("{} ({})", occasion_name(t, occasion), language_name(t, language))
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
        let t = admin_text(&who.language);
        let whose = current.own_since.map_or_else(|| t.vigils_own_template.to_string(), |at| fill(t.organisations_own_saved, &[("at", &at)]));
        Ok::<_, ServiceError>(page_in(&who.language, StatusCode::OK, &title(t, occasion, language), &editor(t, occasion, language, &current.template, &preview, Some(&whose), None)))
    }
    .await;
    result.unwrap_or_else(|e| staff_error(&who.language, e, BACK))
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
        Err(e) => return staff_error(&who.language, e, BACK),
    };
    let form = fields(&body);
    let template = Template { subject: field(&form, "subject").to_string(), body: field(&form, "body").replace("\r\n", "\n") };
    let (status, problems) = match field(&form, "action") {
        "reset" => match templates::reset(&state.store, &who, occasion, language).await {
            Ok(()) => return Redirect::to(&format!("{BACK}?saved=1")).into_response(),
            Err(e) => return staff_error(&who.language, e, BACK),
        },
        "save" => match templates::save(&state.store, &who, occasion, language, &template).await {
            Ok(()) => return Redirect::to(&format!("{BACK}?saved=1")).into_response(),
            Err(ServiceError::Invalid(problems)) => (StatusCode::UNPROCESSABLE_ENTITY, Some(problems)),
            Err(e) => return staff_error(&who.language, e, BACK),
        },
        _ => (StatusCode::OK, check(&template).err().map(|p| p.join(" "))),
    };
    match templates::preview(&state.store, &who, occasion, language, &template).await {
        Ok(preview) => {
            let t = admin_text(&who.language);
            page_in(&who.language, status, &title(t, occasion, language), &editor(t, occasion, language, &template, &preview, None, problems.as_deref()))
        }
        Err(e) => staff_error(&who.language, e, BACK),
    }
}
