//! The recruiter's form posts and downloads: create a campaign, invite one
//! candidate or a CSV file of them, revoke, resend, remind everyone who has
//! not finished (after a preview page), record a decision, and export CSV /
//! JSON. Each post checks the origin (a form from another
//! site is refused), who is signed in and their role, does one thing and
//! redirects (POST-redirect-GET); the CSV upload answers with its report.

use axum::{
    extract::{Multipart, Path, RawForm, State},
    http::{header, HeaderMap, StatusCode},
    response::{IntoResponse, Redirect, Response},
};

use super::{
    from_this_site,
    staff::{caller, download, esc, page_in, public_base, refused, staff_error},
    AppState,
};
use app::i18n::{admin_text, fill, AdminText};

use crate::{
    recruit::{self, csv_import, reminders, CampaignForm, ImportReport},
    service_error::ServiceError,
    staff::Caller,
};

/// The fields of a url-encoded form body, repeated names kept in order.
pub(super) fn fields(body: &[u8]) -> Vec<(String, String)> {
    serde_urlencoded::from_bytes(body).unwrap_or_default()
}

pub(super) fn field<'a>(fields: &'a [(String, String)], name: &str) -> &'a str {
    fields.iter().find(|(k, _)| k == name).map_or("", |(_, v)| v.as_str())
}

/// The signed-in caller of a form post, or the response to give instead.
pub(super) async fn poster(state: &AppState, headers: &HeaderMap) -> Result<Caller, Response> {
    if !from_this_site(headers) {
        return Err(refused());
    }
    caller(state, headers).await.map(|identity| Caller::from(&identity))
}

/// The start of candidate links: the configured public address, else the one the recruiter used.
pub(super) fn links_base(state: &AppState, headers: &HeaderMap) -> String {
    state.public_url.clone().unwrap_or_else(|| public_base(headers, state.auth.cookies.secure))
}

fn profile_path(campaign_id: &str, invitation_id: &str) -> String {
    format!("/campaigns/{campaign_id}/candidates/{invitation_id}")
}

/// The instruments a campaign form chose, as "instrument@version": each
/// instrument ticked to `use`, at the version its radio buttons name, and
/// any named whole (`instrument=svi@1.0.0`, as other programs may post).
/// A used instrument without a version becomes "svi@", which the campaign
/// check refuses by name.
fn chosen_instruments(fields: &[(String, String)]) -> Vec<String> {
    let mut chosen: Vec<String> = fields.iter().filter(|(k, _)| k == "instrument").map(|(_, v)| v.clone()).collect();
    for (_, instrument) in fields.iter().filter(|(k, _)| k == "use") {
        let key = format!("{instrument}@{}", field(fields, &format!("version:{instrument}")));
        if !chosen.contains(&key) {
            chosen.push(key);
        }
    }
    chosen
}

/// `POST /campaigns`: creates a campaign and opens it.
pub async fn create_campaign(State(state): State<AppState>, headers: HeaderMap, RawForm(body): RawForm) -> Response {
    let who = match poster(&state, &headers).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let fields = fields(&body);
    let form = CampaignForm {
        name: field(&fields, "name").to_string(),
        role_family: field(&fields, "role_family").to_string(),
        instruments: chosen_instruments(&fields),
        norms: fields.iter().filter_map(|(k, v)| k.strip_prefix("norm:").map(|key| (key.to_string(), v.clone()))).collect(),
        scoring: fields.iter().filter_map(|(k, v)| k.strip_prefix("scoring:").map(|key| (key.to_string(), v.clone()))).collect(),
        time_limit_minutes: field(&fields, "time_limit_minutes").to_string(),
        adaptive: field(&fields, "adaptive") == "on",
        confirm_demonstration: field(&fields, "confirm_demonstration") == "on",
        candidate_feedback: field(&fields, "candidate_feedback") == "on",
        invitation_days: field(&fields, "invitation_days").to_string(),
        reminder_days: field(&fields, "reminder_days").to_string(),
    };
    match recruit::create_campaign(&state.store, &state.catalog, &who, &form, &links_base(&state, &headers)).await {
        Ok(c) => Redirect::to(&format!("/campaigns/{}?created=1", c.id)).into_response(),
        Err(e) => staff_error(&who.language, e, "/campaigns/new"),
    }
}

/// `POST /campaigns/{id}/invitations`: invites one candidate.
pub async fn invite(State(state): State<AppState>, Path(campaign_id): Path<String>, headers: HeaderMap, RawForm(body): RawForm) -> Response {
    let who = match poster(&state, &headers).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let f = fields(&body);
    let base = links_base(&state, &headers);
    match recruit::invite(&state.store, &who, &campaign_id, field(&f, "name"), field(&f, "email"), field(&f, "language"), &base).await {
        Ok((invitation_id, link)) => invited_page(&who.language, &campaign_id, &invitation_id, &link),
        Err(e) => staff_error(&who.language, e, &format!("/campaigns/{campaign_id}")),
    }
}

/// After a single invitation: its link, to copy and send another way when
/// e-mail is not the way to reach the candidate (shown once; the same link
/// is in the invitation e-mail).
fn invited_page(lang: &str, campaign_id: &str, invitation_id: &str, link: &str) -> Response {
    let t = admin_text(lang);
    page_in(
        lang,
        StatusCode::OK,
        t.invitation_created,
        &format!(
            "<p>{}</p><label for=\"invitation-link\">{}</label><input id=\"invitation-link\" type=\"text\" readonly value=\"{}\"><p><button type=\"button\" class=\"secondary\" id=\"copy-link\" data-copy=\"invitation-link\" hidden>{}</button> <span id=\"copy-status\" role=\"status\"></span></p><script src=\"/staff/copy.js\" defer></script><p><a href=\"/campaigns/{c}/candidates/{i}\">{}</a> · <a id=\"back-to-campaign\" href=\"/campaigns/{c}?invited=1\">{}</a></p>",
            t.invitation_created_text,
            t.personal_link,
            esc(link),
            t.copy_link,
            t.open_candidate,
            t.back_to_campaign,
            c = esc(campaign_id),
            i = esc(invitation_id)
        ),
    )
}

/// `POST /campaigns/{id}/invitations/upload` (multipart, field `file`):
/// invites everyone in a CSV file and reports row by row.
pub async fn upload(State(state): State<AppState>, Path(campaign_id): Path<String>, headers: HeaderMap, mut multipart: Multipart) -> Response {
    let who = match poster(&state, &headers).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let back = format!("/campaigns/{campaign_id}");
    let mut file = None;
    loop {
        match multipart.next_field().await {
            Ok(Some(f)) if f.name() == Some("file") => match f.bytes().await {
                Ok(bytes) => file = Some(bytes),
                Err(_) => return staff_error(&who.language, ServiceError::File(csv_import::FileError::TooLarge), &back),
            },
            Ok(Some(_)) => continue,
            Ok(None) => break,
            Err(e) => return staff_error(&who.language, ServiceError::Invalid(fill(admin_text(&who.language).upload_unreadable, &[("cause", &e.body_text())])), &back),
        }
    }
    let Some(file) = file else {
        return staff_error(&who.language, ServiceError::Invalid(admin_text(&who.language).choose_csv.into()), &back);
    };
    let base = links_base(&state, &headers);
    match recruit::import(&state.store, &who, &campaign_id, &file, &base).await {
        Ok(report) => import_page(&who.language, &campaign_id, &report),
        Err(e) => staff_error(&who.language, e, &back),
    }
}

/// The report of an upload: how many were invited, who was invited before, and each row with a problem.
fn import_page(lang: &str, campaign_id: &str, r: &ImportReport) -> Response {
    let t = admin_text(lang);
    let count = |id: &str, n: usize| format!("<strong id=\"{id}\">{n}</strong>");
    let mut body = format!(
        "<p role=\"status\" id=\"import-summary\">{}</p>",
        fill(t.import_summary, &[("created", &count("import-created", r.created)), ("already", &count("import-already", r.already_invited.len())), ("errors", &count("import-errors", r.errors.len()))])
    );
    if r.created > 0 {
        body.push_str(&format!("<p>{}</p>", t.import_outbox));
    }
    if !r.errors.is_empty() {
        body.push_str(&format!(
            "<table class=\"data\" id=\"import-problems\"><caption>{}</caption><thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead><tbody>",
            t.rows_not_used, t.row, t.problem
        ));
        for e in &r.errors {
            body.push_str(&format!("<tr><td>{}</td><td>{}</td></tr>", e.row, esc(&e.message)));
        }
        body.push_str(&format!("</tbody></table><p>{}</p>", t.correct_rows));
    }
    if !r.already_invited.is_empty() {
        body.push_str(&format!("<details><summary>{}</summary><ul>", t.already_invited));
        for (row, email) in &r.already_invited {
            body.push_str(&format!("<li>{}</li>", fill(t.row_email, &[("row", &row.to_string()), ("email", &esc(email))])));
        }
        body.push_str("</ul></details>");
    }
    body.push_str(&format!("<p><a href=\"/campaigns/{}\" id=\"back-to-campaign\">{}</a></p>", esc(campaign_id), t.back_to_campaign));
    let status = if r.created == 0 && r.already_invited.is_empty() && !r.errors.is_empty() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    page_in(lang, status, t.import_title, &body)
}

/// `POST /campaigns/{id}/candidates/{inv}/revoke`.
pub async fn revoke(State(state): State<AppState>, Path((campaign_id, invitation_id)): Path<(String, String)>, headers: HeaderMap) -> Response {
    let who = match poster(&state, &headers).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let back = profile_path(&campaign_id, &invitation_id);
    match recruit::revoke(&state.store, &who, &campaign_id, &invitation_id).await {
        Ok(()) => Redirect::to(&format!("{back}?revoked=1")).into_response(),
        Err(e) => staff_error(&who.language, e, &back),
    }
}

/// `POST /campaigns/{id}/candidates/{inv}/resend`.
pub async fn resend(State(state): State<AppState>, Path((campaign_id, invitation_id)): Path<(String, String)>, headers: HeaderMap) -> Response {
    let who = match poster(&state, &headers).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let back = profile_path(&campaign_id, &invitation_id);
    let base = links_base(&state, &headers);
    match recruit::resend(&state.store, &who, &campaign_id, &invitation_id, &base).await {
        Ok(()) => Redirect::to(&format!("{back}?resent=1")).into_response(),
        Err(e) => staff_error(&who.language, e, &back),
    }
}

/// `POST /campaigns/{id}/automatic-reminder` (field `reminder_days`, empty: off).
pub async fn set_automatic_reminder(State(state): State<AppState>, Path(campaign_id): Path<String>, headers: HeaderMap, RawForm(body): RawForm) -> Response {
    let who = match poster(&state, &headers).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let back = format!("/campaigns/{campaign_id}");
    match recruit::set_automatic_reminder(&state.store, &who, &campaign_id, field(&fields(&body), "reminder_days")).await {
        Ok(_) => Redirect::to(&format!("{back}?reminder_changed=1")).into_response(),
        Err(e) => staff_error(&who.language, e, &back),
    }
}

/// `GET /campaigns/{id}/reminders`: who would get a reminder now, who would
/// not and why, and the button that sends them.
pub async fn reminders_preview(State(state): State<AppState>, Path(campaign_id): Path<String>, headers: HeaderMap) -> Response {
    let who = match caller(&state, &headers).await {
        Ok(i) => Caller::from(&i),
        Err(r) => return r,
    };
    match reminders::preview(&state.store, &who, &campaign_id).await {
        Ok(p) => reminders_page(&who.language, &p),
        Err(e) => staff_error(&who.language, e, "/campaigns"),
    }
}

fn reminders_page(lang: &str, p: &reminders::Preview) -> Response {
    let t = admin_text(lang);
    let id = esc(&p.campaign_id);
    let mut body = format!("<p>{}</p>", fill(t.campaign_named, &[("name", &format!("<strong>{}</strong>", esc(&p.campaign_name)))]));
    if p.remind.is_empty() {
        body.push_str(&format!("<p id=\"nobody-to-remind\">{}</p>", t.nobody_to_remind));
    } else {
        let n = p.remind.len().to_string();
        body.push_str(&format!("<p>{}</p>", fill(t.reminders_explained, &[("n", &n), ("days", &p.invitation_days.to_string())])));
        body.push_str(&reminder_table(t, "reminder-recipients", t.will_be_reminded, &p.remind, false));
        body.push_str(&format!(
            "<form method=\"post\" action=\"/campaigns/{id}/reminders\"><div class=\"actions\"><button type=\"submit\" class=\"button\" id=\"send-reminders\">{}</button></div></form>",
            fill(t.send_reminders, &[("n", &n)])
        ));
    }
    if !p.skip.is_empty() {
        body.push_str(&reminder_table(t, "reminder-skipped", t.not_reminded, &p.skip, true));
    }
    body.push_str(&format!("<p>{}</p>", t.reminders_not_included));
    body.push_str(&format!("<p><a href=\"/campaigns/{id}\" id=\"back-to-campaign\">{}</a></p>", t.back_to_campaign));
    page_in(lang, StatusCode::OK, t.reminders_title, &body)
}

/// A table of candidates on the reminder page, with the reason where one was not reminded.
fn reminder_table(t: &AdminText, id: &str, caption: &str, lines: &[reminders::PreviewLine], with_reason: bool) -> String {
    let mut html = format!(
        "<table class=\"data\" id=\"{id}\"><caption>{caption}</caption><thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th>",
        t.name, t.email, t.where_they_are
    );
    if with_reason {
        html.push_str(&format!("<th scope=\"col\">{}</th>", t.why_not));
    }
    html.push_str("</tr></thead><tbody>");
    for l in lines {
        let stage = if l.started { t.started_not_finished } else { t.invited_not_started };
        html.push_str(&format!("<tr><td>{}</td><td>{}</td><td>{stage}</td>", esc(&l.name), esc(&l.email)));
        if with_reason {
            let reason = match l.skip {
                Some(reminders::Skip::NoEmail) => t.skip_no_email.to_string(),
                Some(reminders::Skip::RecentlyWritten { at }) => fill(t.skip_recently_written, &[("at", &crate::time::minute_utc(at))]),
                None => String::new(),
            };
            html.push_str(&format!("<td>{}</td>", esc(&reason)));
        }
        html.push_str("</tr>");
    }
    html.push_str("</tbody></table>");
    html
}

/// `POST /campaigns/{id}/reminders`: sends them, then back to the campaign with the count.
pub async fn send_reminders(State(state): State<AppState>, Path(campaign_id): Path<String>, headers: HeaderMap) -> Response {
    let who = match poster(&state, &headers).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let base = links_base(&state, &headers);
    match reminders::send(&state.store, &who, &campaign_id, &base).await {
        Ok(sent) => Redirect::to(&format!("/campaigns/{campaign_id}?reminded={sent}")).into_response(),
        Err(e) => staff_error(&who.language, e, &format!("/campaigns/{campaign_id}/reminders")),
    }
}

/// `POST /campaigns/{id}/candidates/{inv}/erase` (field `confirm=yes`): administrators only.
pub async fn erase(State(state): State<AppState>, Path((campaign_id, invitation_id)): Path<(String, String)>, headers: HeaderMap, RawForm(body): RawForm) -> Response {
    let who = match poster(&state, &headers).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let confirmed = field(&fields(&body), "confirm") == "yes";
    let back = profile_path(&campaign_id, &invitation_id);
    match recruit::erase(&state.store, &who, &campaign_id, &invitation_id, confirmed).await {
        Ok(()) => Redirect::to(&format!("{back}?erased=1")).into_response(),
        Err(e) => staff_error(&who.language, e, &back),
    }
}

/// `POST /campaigns/{id}/candidates/{inv}/decision` (fields `decision`, `reason`).
pub async fn decide(State(state): State<AppState>, Path((campaign_id, invitation_id)): Path<(String, String)>, headers: HeaderMap, RawForm(body): RawForm) -> Response {
    let who = match poster(&state, &headers).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let f = fields(&body);
    let back = profile_path(&campaign_id, &invitation_id);
    match recruit::decide(&state.store, &who, &campaign_id, &invitation_id, field(&f, "decision"), field(&f, "reason")).await {
        Ok(()) => Redirect::to(&format!("{back}?decided=1")).into_response(),
        Err(e) => staff_error(&who.language, e, &back),
    }
}

/// `GET /campaigns/{id}/export.csv`.
pub async fn export_csv(State(state): State<AppState>, Path(campaign_id): Path<String>, headers: HeaderMap) -> Response {
    let who = match caller(&state, &headers).await {
        Ok(i) => Caller::from(&i),
        Err(r) => return r,
    };
    match recruit::export::campaign_csv(&state.store, &state.catalog, &who, &campaign_id).await {
        Ok(d) => download(d),
        Err(e) => staff_error(&who.language, e, "/campaigns"),
    }
}

/// `GET /staff/copy.js`: the copy buttons of staff pages.
pub async fn copy_script() -> Response {
    ([(header::CONTENT_TYPE, "text/javascript; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=300")], include_str!("copy.js")).into_response()
}

/// `POST /outbox/{id}/sent`: a person sent the message themselves.
pub async fn mark_sent(State(state): State<AppState>, Path(message_id): Path<String>, headers: HeaderMap) -> Response {
    let who = match poster(&state, &headers).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    match recruit::mark_sent_by_hand(&state.store, &who, &message_id).await {
        Ok(()) => Redirect::to("/outbox?marked=1").into_response(),
        Err(e) => staff_error(&who.language, e, "/outbox"),
    }
}

/// `GET /outbox/waiting.csv`: the messages still to be sent.
pub async fn waiting_csv(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let who = match caller(&state, &headers).await {
        Ok(i) => Caller::from(&i),
        Err(r) => return r,
    };
    match recruit::waiting_csv(&state.store, &who).await {
        Ok(d) => download(d),
        Err(e) => staff_error(&who.language, e, "/outbox"),
    }
}

/// `GET /campaigns/{id}/candidates/{inv}/export.json`.
pub async fn export_json(State(state): State<AppState>, Path((campaign_id, invitation_id)): Path<(String, String)>, headers: HeaderMap) -> Response {
    let who = match caller(&state, &headers).await {
        Ok(i) => Caller::from(&i),
        Err(r) => return r,
    };
    match recruit::export::candidate_json(&state.store, &state.catalog, &who, &campaign_id, &invitation_id).await {
        Ok(d) => download(d),
        Err(e) => staff_error(&who.language, e, "/campaigns"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn a_used_instrument_is_taken_at_the_version_its_radio_names() {
        let form = pairs(&[("use", "svi"), ("version:svi", "1.0.0"), ("version:sjs", "1.0.0"), ("use", "sjs")]);
        assert_eq!(chosen_instruments(&form), vec!["svi@1.0.0", "sjs@1.0.0"]);
        // A version chosen for an instrument that is not used adds nothing.
        assert_eq!(chosen_instruments(&pairs(&[("version:svi", "1.1.0")])), Vec::<String>::new());
    }

    #[test]
    fn whole_names_still_count_once_and_a_missing_version_stays_visible() {
        let form = pairs(&[("instrument", "svi@1.1.0"), ("use", "svi"), ("version:svi", "1.1.0"), ("use", "sjs")]);
        assert_eq!(chosen_instruments(&form), vec!["svi@1.1.0", "sjs@"]);
    }
}
