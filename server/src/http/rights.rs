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

use app::cookies::candidate_cookie;

use super::{
    candidate::{by_language, candidate_page, error_response, forbidden},
    from_this_site,
    recruit::{field, fields, poster, recruit_error},
    staff::{caller, esc, page},
    AppState,
};
use crate::{
    rights::{self, AccessCopy, RequestKind, MAX_NOTE_CHARS},
    staff::Caller,
    store::SubjectRequestRow,
    time::{date_utc, minute_utc, now_ms},
};

/// The words of the candidate's page, in the candidate's language.
struct Words {
    title: &'static str,
    intro: &'static str,
    download: &'static str,
    asked: &'static str,
    asked_again: &'static str,
    you: &'static str,
    answers: &'static str,
    results: &'static str,
    decisions: &'static str,
    none: &'static str,
    requests: &'static str,
    erasure_title: &'static str,
    erasure_text: &'static str,
    erasure_button: &'static str,
    review_title: &'static str,
    review_text: &'static str,
    review_button: &'static str,
    note_label: &'static str,
    due: &'static str,
    back: &'static str,
}

const EN: Words = Words {
    title: "Your data and your rights",
    intro: "This is everything Vigil holds about you for this organisation. You can download it, ask for it to be erased, or ask for a person to review the decision the organisation made. The organisation answers each request within one month.",
    download: "Download this copy (JSON)",
    asked: "Your request was sent to the organisation. It will answer by",
    asked_again: "You had already asked for this; the organisation has your request. It will answer by",
    you: "About you",
    answers: "Your answers",
    results: "Your results",
    decisions: "Decisions recorded about you",
    none: "None.",
    requests: "Your requests",
    erasure_title: "Ask for your data to be erased",
    erasure_text: "The organisation erases your name, e-mail address and what could identify you; your answers and scores then stay only without your name. Your link stops working.",
    erasure_button: "Ask for erasure",
    review_title: "Ask for a person to review the decision",
    review_text: "Vigil never decides about anyone; people at the organisation do. You can ask for a person who was not involved to look at the decision again, with what you want them to consider.",
    review_button: "Ask for a review",
    note_label: "Anything you want the organisation to know (optional)",
    due: "answer due by",
    back: "Back",
};

const DE: Words = Words {
    title: "Ihre Daten und Ihre Rechte",
    intro: "Hier steht alles, was Vigil für diese Organisation über Sie speichert. Sie können es herunterladen, die Löschung verlangen oder verlangen, dass ein Mensch die Entscheidung der Organisation überprüft. Die Organisation beantwortet jede Anfrage innerhalb eines Monats.",
    download: "Diese Kopie herunterladen (JSON)",
    asked: "Ihre Anfrage wurde an die Organisation geschickt. Sie antwortet bis",
    asked_again: "Sie hatten dies bereits verlangt; die Organisation hat Ihre Anfrage. Sie antwortet bis",
    you: "Über Sie",
    answers: "Ihre Antworten",
    results: "Ihre Ergebnisse",
    decisions: "Über Sie festgehaltene Entscheidungen",
    none: "Keine.",
    requests: "Ihre Anfragen",
    erasure_title: "Löschung Ihrer Daten verlangen",
    erasure_text: "Die Organisation löscht Ihren Namen, Ihre E-Mail-Adresse und was Sie erkennbar macht; Ihre Antworten und Werte bleiben danach nur ohne Ihren Namen. Ihr Link funktioniert dann nicht mehr.",
    erasure_button: "Löschung verlangen",
    review_title: "Überprüfung der Entscheidung durch einen Menschen verlangen",
    review_text: "Vigil entscheidet nie über Menschen; das tun Menschen in der Organisation. Sie können verlangen, dass eine nicht beteiligte Person die Entscheidung noch einmal ansieht, mit dem, was sie berücksichtigen soll.",
    review_button: "Überprüfung verlangen",
    note_label: "Was die Organisation wissen soll (freiwillig)",
    due: "Antwort bis",
    back: "Zurück",
};

fn words(lang: &str) -> &'static Words {
    by_language(lang, &EN, &DE)
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

fn request_rows(requests: &[SubjectRequestRow]) -> String {
    if requests.is_empty() {
        return "<p id=\"no-requests\">No requests yet.</p>".into();
    }
    let now = now_ms();
    let mut html = String::from(
        "<div class=\"table-scroll\"><table class=\"data\" id=\"requests\"><thead><tr><th scope=\"col\">Request</th><th scope=\"col\">Candidate</th><th scope=\"col\">Made</th><th scope=\"col\">Due</th><th scope=\"col\">Their note</th><th scope=\"col\">Handled</th></tr></thead><tbody>",
    );
    for r in requests {
        let kind = RequestKind::parse(&r.kind).map_or_else(|| r.kind.clone(), |k| k.label().to_string());
        let who = match (&r.candidate_name, &r.candidate_email) {
            (None, None) => "(personal data erased)".to_string(),
            (name, email) => format!("{} {}", name.as_deref().unwrap_or(""), email.as_deref().map(|e| format!("&lt;{}&gt;", esc(e))).unwrap_or_default()),
        };
        let profile = format!("/campaigns/{}/candidates/{}", esc(&r.campaign_id), esc(&r.invitation_id));
        let due = match r.handled_at {
            None if r.due_at < now => format!("<strong class=\"overdue\">{} (overdue)</strong>", esc(&date_utc(r.due_at))),
            _ => esc(&date_utc(r.due_at)),
        };
        let handled = match (r.handled_at, &r.outcome) {
            (Some(at), outcome) => format!("{}: {}", esc(&minute_utc(at)), esc(outcome.as_deref().unwrap_or(""))),
            (None, _) => format!(
                "<form method=\"post\" action=\"/admin/requests/{}/handled\" class=\"stacked\"><label for=\"outcome-{0}\">How it was handled (the candidate sees this)</label><textarea id=\"outcome-{0}\" name=\"outcome\" rows=\"2\" required maxlength=\"{MAX_NOTE_CHARS}\"></textarea><button type=\"submit\" class=\"button secondary\">Mark as handled</button></form>",
                esc(&r.id)
            ),
        };
        let _ = write!(
            html,
            "<tr><td>{}</td><td><a href=\"{profile}\">{}</a><br><span class=\"small\">{}</span></td><td>{}</td><td>{due}</td><td class=\"reason\">{}</td><td>{handled}</td></tr>",
            esc(&kind),
            if who.trim().is_empty() { "(no name given)".to_string() } else { who },
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
            let open = requests.iter().filter(|r| r.handled_at.is_none()).count();
            let body = format!(
                "<p>Candidates ask here, from their completion page or the link in their e-mail, for their personal data to be erased or for a person to review a decision. Answer each within one month. \
                 To erase, use \"Erase personal data\" on the candidate's profile; then record here what you did.</p><p id=\"open-count\">{open} open.</p>{}",
                request_rows(&requests)
            );
            page(StatusCode::OK, "Candidates' requests", &body)
        }
        Err(e) => recruit_error(e, "/staff"),
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
        Err(e) => recruit_error(e, BACK),
    }
}
