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
    staff::{caller, download, esc, internal_page, page, public_base, refused},
    AppState,
};
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

pub(super) fn recruit_error(e: ServiceError, back: &str) -> Response {
    let back = format!("<p><a href=\"{}\">Go back</a></p>", esc(back));
    match e {
        ServiceError::Forbidden => page(StatusCode::FORBIDDEN, "Not available for your role", &format!("<p>Your role does not include this. Ask an administrator of your organisation if you need it.</p>{back}")),
        ServiceError::NotFound => page(StatusCode::NOT_FOUND, "Not found", &format!("<p>We could not find that page or record.</p>{back}")),
        ServiceError::Invalid(msg) => page(StatusCode::UNPROCESSABLE_ENTITY, "Please check your input", &format!("<p role=\"alert\" id=\"form-error\">{}</p>{back}", esc(&msg))),
        ServiceError::Store(crate::store::StoreError::Conflict(msg)) => page(StatusCode::CONFLICT, "Not saved", &format!("<p role=\"alert\" id=\"form-error\">{}</p>{back}", esc(&msg))),
        ServiceError::File(e) => page(StatusCode::UNPROCESSABLE_ENTITY, "The file could not be used", &format!("<p role=\"alert\" id=\"form-error\">{}</p><p>Nothing from this file was created.</p>{back}", esc(&e.to_string()))),
        other => internal_page(other),
    }
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
        Err(e) => recruit_error(e, "/campaigns/new"),
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
        Ok((invitation_id, link)) => invited_page(&campaign_id, &invitation_id, &link),
        Err(e) => recruit_error(e, &format!("/campaigns/{campaign_id}")),
    }
}

/// After a single invitation: its link, to copy and send another way when
/// e-mail is not the way to reach the candidate (shown once; the same link
/// is in the invitation e-mail).
fn invited_page(campaign_id: &str, invitation_id: &str, link: &str) -> Response {
    page(
        StatusCode::OK,
        "Invitation created",
        &format!(
            "<p>The invitation e-mail is on its way (see the outbox). If you reach this candidate another way, copy their personal link:</p><label for=\"invitation-link\">Personal link (works only for this candidate; do not share it with anyone else)</label><input id=\"invitation-link\" type=\"text\" readonly value=\"{}\"><p><button type=\"button\" class=\"secondary\" id=\"copy-link\" data-copy=\"invitation-link\" hidden>Copy link</button> <span id=\"copy-status\" role=\"status\"></span></p><script src=\"/staff/copy.js\" defer></script><p><a href=\"/campaigns/{c}/candidates/{i}\">Open the candidate</a> · <a id=\"back-to-campaign\" href=\"/campaigns/{c}?invited=1\">Back to the campaign</a></p>",
            esc(link),
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
                Err(_) => return recruit_error(ServiceError::File(csv_import::FileError::TooLarge), &back),
            },
            Ok(Some(_)) => continue,
            Ok(None) => break,
            Err(e) => return recruit_error(ServiceError::Invalid(format!("The upload could not be read ({}). Please choose the file again.", e.body_text())), &back),
        }
    }
    let Some(file) = file else {
        return recruit_error(ServiceError::Invalid("Please choose a CSV file to upload.".into()), &back);
    };
    let base = links_base(&state, &headers);
    match recruit::import(&state.store, &who, &campaign_id, &file, &base).await {
        Ok(report) => import_page(&campaign_id, &report),
        Err(e) => recruit_error(e, &back),
    }
}

/// The report of an upload: how many were invited, who was invited before, and each row with a problem.
fn import_page(campaign_id: &str, r: &ImportReport) -> Response {
    let mut body = format!(
        "<p role=\"status\" id=\"import-summary\"><strong id=\"import-created\">{}</strong> invitation(s) created; <strong id=\"import-already\">{}</strong> already invited earlier (nothing new created); <strong id=\"import-errors\">{}</strong> row(s) with problems.</p>",
        r.created,
        r.already_invited.len(),
        r.errors.len()
    );
    if r.created > 0 {
        body.push_str("<p>The invitation e-mails are in the <a href=\"/outbox\">outbox</a> (or on their way, when e-mail sending is set up).</p>");
    }
    if !r.errors.is_empty() {
        body.push_str("<table class=\"data\" id=\"import-problems\"><caption>Rows that were not used</caption><thead><tr><th scope=\"col\">Row</th><th scope=\"col\">Problem</th></tr></thead><tbody>");
        for e in &r.errors {
            body.push_str(&format!("<tr><td>{}</td><td>{}</td></tr>", e.row, esc(&e.message)));
        }
        body.push_str("</tbody></table><p>Correct these rows and upload the file again: rows already invited are skipped, so nobody is invited twice.</p>");
    }
    if !r.already_invited.is_empty() {
        body.push_str("<details><summary>Already invited earlier</summary><ul>");
        for (row, email) in &r.already_invited {
            body.push_str(&format!("<li>Row {row}: {}</li>", esc(email)));
        }
        body.push_str("</ul></details>");
    }
    body.push_str(&format!("<p><a href=\"/campaigns/{}\" id=\"back-to-campaign\">Back to the campaign</a></p>", esc(campaign_id)));
    let status = if r.created == 0 && r.already_invited.is_empty() && !r.errors.is_empty() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    page(status, "Invitations from your file", &body)
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
        Err(e) => recruit_error(e, &back),
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
        Err(e) => recruit_error(e, &back),
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
        Err(e) => recruit_error(e, &back),
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
        Ok(p) => reminders_page(&p),
        Err(e) => recruit_error(e, "/campaigns"),
    }
}

fn reminders_page(p: &reminders::Preview) -> Response {
    let id = esc(&p.campaign_id);
    let table = |id: &str, caption: &str, lines: &[reminders::PreviewLine], with_reason: bool| {
        let mut t = format!("<table class=\"data\" id=\"{id}\"><caption>{caption}</caption><thead><tr><th scope=\"col\">Name</th><th scope=\"col\">E-mail</th><th scope=\"col\">Where they are</th>");
        if with_reason {
            t.push_str("<th scope=\"col\">Why not</th>");
        }
        t.push_str("</tr></thead><tbody>");
        for l in lines {
            t.push_str(&format!("<tr><td>{}</td><td>{}</td><td>{}</td>", esc(&l.name), esc(&l.email), l.stage));
            if with_reason {
                t.push_str(&format!("<td>{}</td>", esc(l.reason.as_deref().unwrap_or_default())));
            }
            t.push_str("</tr>");
        }
        t.push_str("</tbody></table>");
        t
    };
    let mut body = format!("<p>Campaign: <strong>{}</strong></p>", esc(&p.campaign_name));
    if p.remind.is_empty() {
        body.push_str("<p id=\"nobody-to-remind\">Nobody to remind right now: everyone who can still finish has either no e-mail address on record or had an e-mail from Vigil in the last day.</p>");
    } else {
        body.push_str(&format!(
            "<p>Each of the {n} candidate(s) below gets an e-mail in their language with a new personal link, valid for {days} days from now; the earlier link stops working. Those who started carry on exactly where they left off; those who have not started are told they may also decline.</p>",
            n = p.remind.len(),
            days = p.invitation_days
        ));
        body.push_str(&table("reminder-recipients", "Will get a reminder", &p.remind, false));
        body.push_str(&format!(
            "<form method=\"post\" action=\"/campaigns/{id}/reminders\"><div class=\"actions\"><button type=\"submit\" class=\"button\" id=\"send-reminders\">Send {n} reminder(s)</button></div></form>",
            n = p.remind.len()
        ));
    }
    if !p.skip.is_empty() {
        body.push_str(&table("reminder-skipped", "Not reminded now", &p.skip, true));
    }
    body.push_str("<p>Candidates who completed, whose invitation was withdrawn, or whose link or time ran out are not included; you can send one of them a new link from their page.</p>");
    body.push_str(&format!("<p><a href=\"/campaigns/{id}\" id=\"back-to-campaign\">Back to the campaign</a></p>"));
    page(StatusCode::OK, "Remind candidates who have not finished", &body)
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
        Err(e) => recruit_error(e, &format!("/campaigns/{campaign_id}/reminders")),
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
        Err(e) => recruit_error(e, &back),
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
        Err(e) => recruit_error(e, &back),
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
        Err(e) => recruit_error(e, "/campaigns"),
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
        Err(e) => recruit_error(e, "/outbox"),
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
        Err(e) => recruit_error(e, "/outbox"),
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
        Err(e) => recruit_error(e, "/campaigns"),
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
