//! A candidate's rights, used by themselves (`/assessment/your-data`): the
//! copy of their data as a page and as JSON, and the forms to ask for
//! erasure or a human review; and the administrators' list of those
//! requests (`/admin/requests`), each with its due day and a form to record
//! how it was handled. Short adapters over `crate::rights`.

use std::fmt::Write as _;

use axum::{
    extract::{Path, Query, RawForm, State},
    http::{header, HeaderMap, StatusCode},
    response::{IntoResponse, Redirect, Response},
};
use serde::Deserialize;

use app::{
    cookies::candidate_cookie,
    i18n::{admin_text, fill, rights_text, AdminText, RightsText as Words},
};

use super::{
    candidate::{candidate_page, error_response, forbidden},
    from_this_site,
    recruit::{field, fields, poster},
    staff::{caller, esc, page_in, staff_error},
    AppState,
};
use crate::{
    rights::{self, AccessCopy, RequestKind, MAX_NOTE_CHARS},
    staff::Caller,
    store::SubjectRequestRow,
    time::{date_utc, minute_utc, now_ms},
};






/// The words of the candidate's page, in the candidate's language.
fn words(lang: &str) -> &'static Words {
    rights_text(lang)
}

#[derive(Deserialize)]
pub struct Asked {
    asked: Option<String>,
}

/// The readable copy, with the two request forms.
fn copy_html(copy: &AccessCopy, w: &Words, asked: Option<&str>) -> String {
    let mut html = String::new();
    if let Some(asked) = asked {
        let due = date_utc(rights::due_at(now_ms()));
        let text = if asked == "again" { w.asked_again } else { w.asked };
        let _ = write!(html, "<p class=\"notice\" role=\"status\" id=\"asked\">{} {due}.</p>", esc(text));
    }
    let _ = write!(html, "<p>{}</p><p><a class=\"button secondary\" id=\"download\" href=\"/assessment/your-data.json\" download>{}</a></p>", esc(w.intro), esc(w.download));
    let _ = write!(
        html,
        "<h2>{}</h2><dl class=\"facts\" id=\"about-you\"><dt>Name</dt><dd>{}</dd><dt>E-mail</dt><dd>{}</dd><dt>Organisation</dt><dd>{}</dd><dt>Campaign</dt><dd>{}</dd><dt>Invited</dt><dd>{}</dd>{}{}</dl>",
        esc(w.you),
        esc(copy.you.name.as_deref().unwrap_or("-")),
        esc(copy.you.email.as_deref().unwrap_or("-")),
        esc(&copy.organisation),
        esc(&copy.campaign),
        esc(&copy.invitation.invited_at),
        copy.notice.as_ref().map(|n| format!("<dt>Notice</dt><dd>{} ({})</dd>", esc(&n.version), esc(&n.read_and_accepted_at))).unwrap_or_default(),
        copy.session.as_ref().map(|s| format!("<dt>Assessment</dt><dd>{} {}</dd>", esc(&s.started_at), s.completed_at.as_deref().map(|c| format!("– {}", esc(c))).unwrap_or_default())).unwrap_or_default(),
    );
    if !copy.optional_group_answers.is_empty() {
        html.push_str("<ul id=\"group-answers\">");
        for g in &copy.optional_group_answers {
            let _ = write!(html, "<li>{} <strong>{}</strong></li>", esc(&g.question), esc(&g.answer));
        }
        html.push_str("</ul>");
    }
    let _ = write!(html, "<h2>{}</h2>", esc(w.results));
    if copy.results.is_empty() {
        let _ = write!(html, "<p>{}</p>", esc(w.none));
    }
    for r in &copy.results {
        let _ = write!(html, "<table class=\"data\"><caption>{} {} · {}</caption><tbody>", esc(&r.instrument), esc(&r.version), esc(&r.response_validity));
        for s in &r.scales {
            let _ = write!(html, "<tr><th scope=\"row\">{}</th><td>{}</td><td>{}</td></tr>", esc(&s.scale), esc(&s.score), esc(s.range.as_deref().unwrap_or("")));
        }
        html.push_str("</tbody></table>");
    }
    let _ = write!(html, "<p class=\"small\">{}</p>", esc(rights::CANNOT_TELL));
    let _ = write!(html, "<h2>{}</h2>", esc(w.decisions));
    if copy.decisions.is_empty() {
        let _ = write!(html, "<p>{}</p>", esc(w.none));
    }
    for d in &copy.decisions {
        let _ = write!(html, "<p>{}: <strong>{}</strong>. {}</p>", esc(&d.recorded_at), esc(&d.decision), esc(&d.reason));
    }
    let _ = write!(html, "<h2>{}</h2><ul id=\"requests\">", esc(w.requests));
    for r in &copy.requests {
        let state = match (&r.handled_at, &r.outcome) {
            (Some(at), outcome) => format!("{at}: {}", outcome.as_deref().unwrap_or("")),
            (None, _) => format!("{} {}", w.due, r.due_on),
        };
        let _ = write!(html, "<li>{} ({}): {}</li>", esc(&r.kind), esc(&r.made_at), esc(&state));
    }
    if copy.requests.is_empty() {
        let _ = write!(html, "<li>{}</li>", esc(w.none));
    }
    html.push_str("</ul>");
    for (kind, title, text, button) in [(RequestKind::Erasure, w.erasure_title, w.erasure_text, w.erasure_button), (RequestKind::Review, w.review_title, w.review_text, w.review_button)] {
        let k = kind.as_str();
        let _ = write!(
            html,
            "<h2>{}</h2><p>{}</p><form method=\"post\" action=\"/assessment/your-data/requests\" class=\"stacked\"><input type=\"hidden\" name=\"kind\" value=\"{k}\"><label for=\"note-{k}\">{}</label><textarea id=\"note-{k}\" name=\"note\" rows=\"3\" maxlength=\"{MAX_NOTE_CHARS}\"></textarea><div class=\"actions\"><button type=\"submit\" class=\"button secondary\" id=\"ask-{k}\">{}</button></div></form>",
            esc(title),
            esc(text),
            esc(w.note_label),
            esc(button)
        );
    }
    let _ = write!(html, "<h2>{}</h2><ol class=\"answers\" id=\"answers\">", esc(w.answers));
    for a in &copy.answers {
        let _ = write!(html, "<li><span class=\"small\">{}</span><br>{}<br><strong>{}</strong></li>", esc(&a.instrument), esc(&a.question), esc(&a.answer));
    }
    if copy.answers.is_empty() {
        let _ = write!(html, "<li>{}</li>", esc(w.none));
    }
    let _ = write!(html, "</ol><p><a href=\"/assessment\">{}</a></p>", esc(w.back));
    html
}

/// The copy for the candidate whose cookie came with the request.
async fn copy_of_caller(state: &AppState, headers: &HeaderMap) -> Result<AccessCopy, crate::candidate::CandidateError> {
    let ctx = crate::candidate::context(&state.store, &state.catalog, candidate_cookie(headers).as_deref()).await?;
    rights::access_copy(&state.store, &state.catalog, &ctx).await
}

/// `GET /assessment/your-data`: the readable copy, with the request forms.
pub async fn your_data(State(state): State<AppState>, headers: HeaderMap, Query(q): Query<Asked>) -> Response {
    match copy_of_caller(&state, &headers).await {
        Ok(copy) => {
            let lang = copy.you.language.clone();
            let w = words(&lang);
            candidate_page(StatusCode::OK, &lang, w.title, &copy_html(&copy, w, q.asked.as_deref()))
        }
        Err(e) => error_response(e),
    }
}

/// `GET /assessment/your-data.json`: the same copy as a file.
pub async fn your_data_json(State(state): State<AppState>, headers: HeaderMap) -> Response {
    match copy_of_caller(&state, &headers).await {
        Ok(copy) => (
            [
                (header::CONTENT_TYPE, "application/json"),
                (header::CONTENT_DISPOSITION, "attachment; filename=\"vigil-your-data.json\""),
                (header::CACHE_CONTROL, "no-store"),
            ],
            serde_json::to_string_pretty(&copy).unwrap_or_default(),
        )
            .into_response(),
        Err(e) => error_response(e),
    }
}

/// `POST /assessment/your-data/requests`: the candidate asks for erasure or a review.
pub async fn ask(State(state): State<AppState>, headers: HeaderMap, RawForm(body): RawForm) -> Response {
    if !from_this_site(&headers) {
        return forbidden();
    }
    let form = fields(&body);
    let result = async {
        let ctx = crate::candidate::context(&state.store, &state.catalog, candidate_cookie(&headers).as_deref()).await?;
        rights::ask(&state.store, &ctx, field(&form, "kind"), field(&form, "note")).await
    };
    match result.await {
        Ok(new) => Redirect::to(if new { "/assessment/your-data?asked=1" } else { "/assessment/your-data?asked=again" }).into_response(),
        Err(e) => error_response(e),
    }
}

const BACK: &str = "/admin/requests";

fn request_rows(t: &AdminText, requests: &[SubjectRequestRow]) -> String {
    if requests.is_empty() {
        return format!("<p id=\"no-requests\">{}</p>", t.no_requests);
    }
    let now = now_ms();
    let mut html = format!(
        "<div class=\"table-scroll\"><table class=\"data\" id=\"requests\"><thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead><tbody>",
        t.request, t.candidate, t.made, t.due, t.their_note, t.handled
    );
    for r in requests {
        let kind = match RequestKind::parse(&r.kind) {
            Some(RequestKind::Erasure) => t.kind_erasure.to_string(),
            Some(RequestKind::Review) => t.kind_review.to_string(),
            None => r.kind.clone(),
        };
        let who = match (&r.candidate_name, &r.candidate_email) {
            (None, None) => t.data_erased.to_string(),
            (name, email) => format!("{} {}", esc(name.as_deref().unwrap_or("")), email.as_deref().map(|e| format!("&lt;{}&gt;", esc(e))).unwrap_or_default()),
        };
        let profile = format!("/campaigns/{}/candidates/{}", esc(&r.campaign_id), esc(&r.invitation_id));
        let due = match r.handled_at {
            None if r.due_at < now => format!("<strong class=\"overdue\">{}</strong>", fill(t.overdue, &[("date", &esc(&date_utc(r.due_at)))])),
            _ => esc(&date_utc(r.due_at)),
        };
        let handled = match (r.handled_at, &r.outcome) {
            (Some(at), outcome) => format!("{}: {}", esc(&minute_utc(at)), esc(outcome.as_deref().unwrap_or(""))),
            (None, _) => format!(
                "<form method=\"post\" action=\"/admin/requests/{}/handled\" class=\"stacked\"><label for=\"outcome-{0}\">{}</label><textarea id=\"outcome-{0}\" name=\"outcome\" rows=\"2\" required maxlength=\"{MAX_NOTE_CHARS}\"></textarea><button type=\"submit\" class=\"button secondary\">{}</button></form>",
                esc(&r.id),
                t.how_handled,
                t.mark_handled
            ),
        };
        let _ = write!(
            html,
            "<tr><td>{}</td><td><a href=\"{profile}\">{}</a><br><span class=\"small\">{}</span></td><td>{}</td><td>{due}</td><td class=\"reason\">{}</td><td>{handled}</td></tr>",
            esc(&kind),
            if who.trim().is_empty() { t.no_name_given.to_string() } else { who },
            esc(&r.campaign_name),
            esc(&minute_utc(r.created_at)),
            esc(&r.note)
        );
    }
    html.push_str("</tbody></table></div>");
    html
}

/// `GET /admin/requests`: every request, open ones first with the day each is due.
pub async fn list(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let who = match caller(&state, &headers).await {
        Ok(c) => Caller::from(&c),
        Err(r) => return r,
    };
    match rights::requests(&state.store, &who).await {
        Ok(requests) => {
            let t = admin_text(&who.language);
            let open = requests.iter().filter(|r| r.handled_at.is_none()).count();
            let body = format!(
                "<p>{}</p><p id=\"open-count\">{}</p>{}",
                t.requests_explained,
                fill(t.open_count, &[("n", &open.to_string())]),
                request_rows(t, &requests)
            );
            page_in(&who.language, StatusCode::OK, t.requests_title, &body)
        }
        Err(e) => staff_error(&who.language, e, "/staff"),
    }
}

/// `POST /admin/requests/{id}/handled`: records how a request was handled.
pub async fn handled(State(state): State<AppState>, Path(id): Path<String>, headers: HeaderMap, RawForm(body): RawForm) -> Response {
    let who = match poster(&state, &headers).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let form = fields(&body);
    match rights::handle(&state.store, &who, &id, field(&form, "outcome")).await {
        Ok(()) => Redirect::to(BACK).into_response(),
        Err(e) => staff_error(&who.language, e, BACK),
    }
}
