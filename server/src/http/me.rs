//! `/me`: an employee's own page, reached by a link sent to their work
//! e-mail. They may take the Security Values Inventory for themselves, read
//! their own strengths report first, then choose to be listed as a possible
//! security champion with the strengths they choose to share, withdraw at
//! once, download what Vigil holds about them, or delete it. Plain forms;
//! the inventory goes a page at a time and saves as it goes.

use std::fmt::Write as _;

use axum::{
    extract::{Path, Query, State},
    http::{header, HeaderMap, StatusCode},
    response::{IntoResponse, Redirect, Response},
    Form,
};
use serde::Deserialize;

use super::{
    from_this_site,
    item_form::{answers_of, fieldsets, words},
    recruit::links_base,
    staff::{esc, internal_page, refused},
    survey::{autosave_refused, employee_page, plausible, MAX_FIELDS},
    AppState,
};
use crate::workforce::champions::{self, band_word, OwnPage, OwnReport, SelfError};

/// Statements per page of the inventory.
const PER_PAGE: usize = 12;

fn self_error(e: SelfError) -> Response {
    let (status, title) = match &e {
        SelfError::Unknown => (StatusCode::NOT_FOUND, "Link not known"),
        SelfError::Invalid(_) => (StatusCode::UNPROCESSABLE_ENTITY, "Please check"),
        SelfError::Unavailable => (StatusCode::CONFLICT, "Not available"),
        SelfError::Store(_) => return internal_page(e),
    };
    let more = if matches!(e, SelfError::Unknown) { "<p><a href=\"/me\">Ask for a new link</a></p>" } else { "" };
    employee_page(status, "en", title, &format!("<p role=\"alert\" id=\"me-message\">{}</p>{more}", esc(&e.to_string())))
}

/// `GET /me`: ask for a link.
pub async fn ask() -> Response {
    employee_page(
        StatusCode::OK,
        "en",
        "Your own page",
        "<p>Employees of organisations that use Vigil can take the Security Values Inventory for themselves, read their own report, and, if they wish, offer themselves as a security champion. \
         Give your work e-mail address and we will send you a personal link.</p>\
         <form method=\"post\" action=\"/me\" class=\"stacked narrow\"><label for=\"email\">Work e-mail address</label><input id=\"email\" name=\"email\" type=\"email\" required maxlength=\"254\" autocomplete=\"email\">\
         <div class=\"actions\"><button type=\"submit\" class=\"button\" id=\"ask\">Send me a link</button></div></form>",
    )
}

#[derive(Deserialize)]
pub struct AskForm {
    #[serde(default)]
    email: String,
}

/// `POST /me`: the same answer whether or not the address is known.
pub async fn send_link(State(state): State<AppState>, headers: HeaderMap, Form(form): Form<AskForm>) -> Response {
    if !from_this_site(&headers) {
        return refused();
    }
    match champions::request_link(&state.store, &form.email, &links_base(&state, &headers)).await {
        Ok(()) => employee_page(
            StatusCode::OK,
            "en",
            "Check your e-mail",
            "<p role=\"status\" id=\"link-sent\">If this address belongs to a current employee of an organisation that uses Vigil, a link is on its way. It works for 7 days.</p>",
        ),
        Err(e) => self_error(e),
    }
}

#[derive(Deserialize, Default)]
pub struct MeQuery {
    #[serde(default)]
    page: Option<usize>,
    #[serde(default)]
    done: Option<String>,
}

fn report_html(report: &OwnReport) -> String {
    let mut html = String::from("<h2 id=\"report\">Your strengths report</h2>");
    let strengths: Vec<&str> = report.scales.iter().filter(|s| s.strength && s.t >= 50).map(|s| s.name.as_str()).collect();
    if !strengths.is_empty() {
        let _ = write!(html, "<p class=\"feedback\" id=\"strengths\">Your answers describe particular strengths in: {}.</p>", esc(&strengths.join(", ")));
    }
    html.push_str("<div class=\"table-scroll\"><table class=\"data\" id=\"own-scales\"><thead><tr><th>What it describes</th><th>Your T score (90% band)</th><th>Percentile</th><th>In words</th></tr></thead><tbody>");
    for s in &report.scales {
        let _ = write!(
            html,
            "<tr><td><strong>{}</strong><br>{}</td><td>{} ({}–{})</td><td>{:.0}</td><td>{}</td></tr>",
            esc(&s.name),
            esc(&s.description),
            s.t,
            s.band[0],
            s.band[1],
            s.percentile,
            band_word(s.label)
        );
    }
    html.push_str("</tbody></table></div>");
    let _ = write!(
        html,
        "<div class=\"notice\" id=\"cannot-tell\"><h3>What this can and cannot tell</h3><p>The report compares how you described yourself today with a reference group ({group}). \
         A T score of 50 is the group's average; most people score between 40 and 60, and the band shows where your score would likely fall if you answered again. \
         It describes your own view of how you think and act, not your knowledge, your skill or how you act under pressure, and it is not a judgement of you. \
         Every profile has areas that are less pronounced; they are a topic for conversation, not a verdict.</p>{demo}</div>",
        group = esc(&report.norm_group),
        demo = if report.demonstration_norms { "<p id=\"demonstration-norms\"><strong>Note:</strong> the reference group is a demonstration norm built from simulated data, so the comparison is only illustrative until your organisation builds its own norms.</p>" } else { "" }
    );
    html
}

fn champion_html(token: &str, own: &OwnPage, report: &OwnReport) -> String {
    let mut html = String::from("<h2 id=\"champion\">Security champion</h2>");
    match &own.listing {
        Some((shared, note)) => {
            html.push_str("<p id=\"listed\">You are listed as a possible security champion. The security team sees your name, e-mail, team and what you chose to share:</p><ul id=\"shared\">");
            for (id, band) in shared {
                let name = report.scales.iter().find(|s| &s.id == id).map(|s| s.name.clone()).unwrap_or_else(|| id.clone());
                let _ = write!(html, "<li>{}: {}</li>", esc(&name), esc(band));
            }
            html.push_str("</ul>");
            if let Some(note) = note {
                let _ = write!(html, "<p>Your note: {}</p>", esc(note));
            }
            let _ = write!(html, "<form method=\"post\" action=\"/me/{t}/withdraw\"><button type=\"submit\" class=\"button\" id=\"withdraw\">Withdraw: remove my listing now</button></form>", t = esc(token));
        }
        None => {
            let _ = write!(
                html,
                "<p>Security champions help colleagues with everyday security questions and pass on what teams need. Being listed is your choice; it changes nothing about your access or your job, \
                 and you can withdraw at any time, at once. Choose which strengths, if any, the security team may see (never your answers, scores or the rest of your report).</p>\
                 <form method=\"post\" action=\"/me/{t}/champion\" class=\"stacked\" id=\"opt-in\"><fieldset><legend>Strengths to share</legend>",
                t = esc(token)
            );
            for s in report.scales.iter().filter(|s| s.strength) {
                let _ = write!(html, "<label><input type=\"checkbox\" name=\"share\" value=\"{id}\"> {name} ({word})</label>", id = esc(&s.id), name = esc(&s.name), word = band_word(s.label));
            }
            html.push_str(
                "</fieldset><label for=\"note\">A note for the security team (optional)</label><textarea id=\"note\" name=\"note\" maxlength=\"500\" rows=\"3\"></textarea>\
                 <div class=\"actions\"><button type=\"submit\" class=\"button\" id=\"list-me\">List me as a possible security champion</button></div></form>",
            );
        }
    }
    html
}

fn inventory_html(token: &str, own: &OwnPage, page: usize) -> String {
    let bank = &own.entry.bank;
    let items = bank.file().items.len();
    let pages = items.div_ceil(PER_PAGE).max(1);
    let page = page.clamp(1, pages);
    let start = (page - 1) * PER_PAGE;
    let mut html = format!(
        "<h2 id=\"inventory\">{title}</h2><p>This inventory is for you: only you see your answers and your report. It takes about 15 minutes; you may skip any statement and come back later.</p>",
        title = esc(&words(&bank.file().instrument.title, "en"))
    );
    if page == 1 {
        if let Some(text) = &bank.file().instrument.instructions {
            let _ = write!(html, "<p class=\"instructions\">{}</p>", esc(&words(text, "en")));
        }
    }
    let last = page == pages;
    let _ = write!(
        html,
        "<p class=\"progress\" id=\"page-of\">Page {page} of {pages}</p><form method=\"post\" action=\"/me/{t}/answers\" data-autosave=\"/me/{t}/autosave\" id=\"inventory-form\"><input type=\"hidden\" name=\"page\" value=\"{page}\">{fields}\
         <p class=\"save-status\" role=\"status\" id=\"save-status\"></p><div class=\"actions\">{back}<button type=\"submit\" name=\"action\" value=\"{next}\" class=\"button\" id=\"next\">{label}</button></div></form>",
        t = esc(token),
        fields = fieldsets(bank, "en", &own.saved, start..(start + PER_PAGE).min(items)),
        back = if page > 1 { "<button type=\"submit\" name=\"action\" value=\"back\" class=\"link-button\" id=\"back\">Back</button> " } else { "" },
        next = if last { "send" } else { "next" },
        label = if last { "Send and see my report" } else { "Save and continue" }
    );
    html
}

/// `GET /me/{token}`.
pub async fn own_page(State(state): State<AppState>, Path(token): Path<String>, Query(q): Query<MeQuery>) -> Response {
    if !plausible(&token) {
        return self_error(SelfError::Unknown);
    }
    let own = match champions::page(&state.store, &state.catalog, &token).await {
        Ok(o) => o,
        Err(e) => return self_error(e),
    };
    let mut body = format!("<p>Hello {}, of {} ({}).</p>", esc(&own.access.name), esc(&own.access.organisation), esc(&own.access.unit));
    if let Some(done) = q.done.as_deref() {
        let said = match done {
            "listed" => "You are now listed as a possible security champion.",
            "withdrawn" => "Your listing has been removed.",
            "deleted" => "Your inventory and any listing have been deleted.",
            _ => "Saved.",
        };
        let _ = write!(body, "<p role=\"status\" id=\"done\">{said}</p>");
    }
    match &own.report {
        Some(report) => {
            body.push_str(&report_html(report));
            body.push_str(&champion_html(&token, &own, report));
        }
        None => body.push_str(&inventory_html(&token, &own, q.page.unwrap_or(1))),
    }
    let _ = write!(
        body,
        "<h2 id=\"your-data\">Your data</h2><p>Vigil holds your name, e-mail and team as your HR system lists them, your inventory if you took it, your champion listing if you chose one, and, while a survey is open, whether you have answered it (never what). \
         Survey answers are stored without any link to you.</p><p><a href=\"/me/{t}/data.json\" id=\"download\">Download what Vigil holds about you (JSON)</a></p>\
         <form method=\"post\" action=\"/me/{t}/delete\"><button type=\"submit\" class=\"link-button\" id=\"delete\">Delete my inventory and any listing</button></form>",
        t = esc(&token)
    );
    employee_page(StatusCode::OK, "en", "Your own page", &body)
}

/// `POST /me/{token}/answers`: save the page and move on, or send.
pub async fn post_answers(State(state): State<AppState>, Path(token): Path<String>, headers: HeaderMap, Form(fields): Form<Vec<(String, String)>>) -> Response {
    if !from_this_site(&headers) {
        return refused();
    }
    if !plausible(&token) {
        return self_error(SelfError::Unknown);
    }
    if fields.len() > MAX_FIELDS {
        return self_error(SelfError::Invalid("Too many answers at once.".into()));
    }
    let field = |name: &str| fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
    let page: usize = field("page").and_then(|p| p.parse().ok()).unwrap_or(1).clamp(1, 1000);
    let action = field("action").unwrap_or("next");
    match champions::save_answers(&state.store, &state.catalog, &token, &answers_of(&fields), action == "send").await {
        Ok(()) if action == "send" => Redirect::to(&format!("/me/{token}#report")).into_response(),
        Ok(()) => {
            let to = if action == "back" { page.saturating_sub(1).max(1) } else { page + 1 };
            Redirect::to(&format!("/me/{token}?page={to}")).into_response()
        }
        Err(e) => self_error(e),
    }
}

/// `POST /me/{token}/autosave`: keeps the answers posted (the page's script), 204.
pub async fn autosave(State(state): State<AppState>, Path(token): Path<String>, headers: HeaderMap, Form(fields): Form<Vec<(String, String)>>) -> Response {
    if let Some(refused) = autosave_refused(&headers, &token, &fields) {
        return refused;
    }
    match champions::save_answers(&state.store, &state.catalog, &token, &answers_of(&fields), false).await {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(SelfError::Unknown) => StatusCode::NOT_FOUND.into_response(),
        Err(e @ SelfError::Store(_)) => internal_page(e),
        Err(e) => (StatusCode::UNPROCESSABLE_ENTITY, e.to_string()).into_response(),
    }
}

/// `POST /me/{token}/champion`.
pub async fn opt_in(State(state): State<AppState>, Path(token): Path<String>, headers: HeaderMap, Form(fields): Form<Vec<(String, String)>>) -> Response {
    if !from_this_site(&headers) {
        return refused();
    }
    if !plausible(&token) || fields.len() > 50 {
        return self_error(SelfError::Unknown);
    }
    let share: Vec<String> = fields.iter().filter(|(k, _)| k == "share").map(|(_, v)| v.clone()).collect();
    let note = fields.iter().find(|(k, _)| k == "note").map(|(_, v)| v.as_str()).unwrap_or("");
    match champions::opt_in(&state.store, &state.catalog, &token, &share, note).await {
        Ok(()) => Redirect::to(&format!("/me/{token}?done=listed#champion")).into_response(),
        Err(e) => self_error(e),
    }
}

/// `POST /me/{token}/withdraw`.
pub async fn withdraw(State(state): State<AppState>, Path(token): Path<String>, headers: HeaderMap) -> Response {
    if !from_this_site(&headers) {
        return refused();
    }
    if !plausible(&token) {
        return self_error(SelfError::Unknown);
    }
    match champions::withdraw(&state.store, &token).await {
        Ok(()) => Redirect::to(&format!("/me/{token}?done=withdrawn#champion")).into_response(),
        Err(e) => self_error(e),
    }
}

/// `POST /me/{token}/delete`.
pub async fn delete(State(state): State<AppState>, Path(token): Path<String>, headers: HeaderMap) -> Response {
    if !from_this_site(&headers) {
        return refused();
    }
    if !plausible(&token) {
        return self_error(SelfError::Unknown);
    }
    match champions::delete_own(&state.store, &token).await {
        Ok(()) => Redirect::to(&format!("/me/{token}?done=deleted")).into_response(),
        Err(e) => self_error(e),
    }
}

/// `GET /me/{token}/data.json`.
pub async fn data(State(state): State<AppState>, Path(token): Path<String>) -> Response {
    if !plausible(&token) {
        return self_error(SelfError::Unknown);
    }
    match champions::own_data(&state.store, &token).await {
        Ok(v) => (
            [(header::CONTENT_TYPE, "application/json"), (header::CONTENT_DISPOSITION, "attachment; filename=\"my-vigil-data.json\""), (header::CACHE_CONTROL, "no-store")],
            serde_json::to_string_pretty(&v).unwrap_or_default(),
        )
            .into_response(),
        Err(e) => self_error(e),
    }
}
