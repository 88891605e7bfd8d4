//! `/admin/integrations`: an administrator's page for the integration API
//! (keys: create with scopes and a rate limit, shown once; revoke) and for
//! webhooks (endpoints: add, see the delivery log, send again, rotate the
//! secret, switch off). Short adapters over `crate::api::keys` and
//! `crate::webhooks::endpoints`; every form works without script.

use std::fmt::Write as _;

use axum::{
    extract::{Path, RawForm, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Redirect, Response},
};

use super::{
    recruit::{field, fields, poster},
    staff::{caller, esc, page_in, staff_error},
    AppState,
};
use app::i18n::{admin_text, fill, AdminText};

use crate::{
    api::keys::{self, Scope, DEFAULT_PER_MINUTE, MAX_PER_MINUTE},
    staff::Caller,
    store::{ApiKeyRow, DeliveryRow, WebhookEndpointRow},
    time::minute_utc,
    webhooks::{endpoints, EVENTS},
};

const BACK: &str = "/admin/integrations";

async fn signed_in(state: &AppState, headers: &HeaderMap) -> Result<Caller, Response> {
    caller(state, headers).await.map(|i| Caller::from(&i))
}

/// What a scope allows, for the key form.
fn scope_text(t: &AdminText, scope: Scope) -> &'static str {
    match scope {
        Scope::CampaignsRead => t.scope_campaigns_read,
        Scope::InvitationsRead => t.scope_invitations_read,
        Scope::InvitationsWrite => t.scope_invitations_write,
        Scope::ResultsRead => t.scope_results_read,
    }
}

/// What an event means, for the endpoint form.
fn event_text(t: &AdminText, event: &str) -> &'static str {
    match event {
        "invitation.started" => t.event_invitation_started,
        "assessment.completed" => t.event_assessment_completed,
        "invitation.expired" => t.event_invitation_expired,
        _ => t.event_decision_recorded,
    }
}

/// A time, or "never".
fn when(t: &AdminText, at: Option<i64>) -> String {
    at.map(minute_utc).map(|m| esc(&m)).unwrap_or_else(|| t.never.to_string())
}

fn key_rows(t: &AdminText, keys: &[ApiKeyRow]) -> String {
    if keys.is_empty() {
        return format!("<p>{}</p>", t.no_keys);
    }
    let mut html = format!(
        "<div class=\"table-scroll\"><table class=\"data\" id=\"api-keys\"><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th></th></tr></thead><tbody>",
        t.name, t.key_starts, t.scopes, t.per_minute, t.created, t.expires, t.last_used
    );
    for k in keys {
        let state = match k.revoked_at {
            Some(at) => fill(t.revoked_at, &[("at", &esc(&minute_utc(at)))]),
            None => format!(
                "<form method=\"post\" action=\"/admin/api-keys/{}/revoke\" class=\"inline-form\"><button type=\"submit\" class=\"button secondary\">{}</button></form>",
                esc(&k.id),
                fill(t.revoke_key, &[("name", &esc(&k.name))])
            ),
        };
        let _ = write!(
            html,
            "<tr><td>{}</td><td><code>vgl_{}_…</code></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{state}</td></tr>",
            esc(&k.name),
            esc(&k.prefix),
            esc(&k.scopes),
            k.per_minute,
            esc(&minute_utc(k.created_at)),
            when(t, k.expires_at),
            when(t, k.last_used_at)
        );
    }
    html.push_str("</tbody></table></div>");
    html
}

fn endpoint_rows(t: &AdminText, endpoints: &[WebhookEndpointRow]) -> String {
    if endpoints.is_empty() {
        return format!("<p>{}</p>", t.no_endpoints);
    }
    let mut html = String::from("<ul id=\"webhooks\">");
    for e in endpoints {
        let state = match e.disabled_at {
            Some(at) => fill(t.switched_off_at, &[("at", &esc(&minute_utc(at)))]),
            None => String::new(),
        };
        let _ = write!(html, "<li><a href=\"/admin/webhooks/{}\">{}</a>: {}{state}</li>", esc(&e.id), esc(&e.url), esc(e.events.trim()));
    }
    html.push_str("</ul>");
    html
}

/// The page's body.
fn overview(t: &AdminText, keys: &[ApiKeyRow], endpoints: &[WebhookEndpointRow]) -> String {
    let mut html = format!("<p>{}</p><h2>{}</h2>", t.integrations_explained, t.api_keys);
    html.push_str(&key_rows(t, keys));
    let _ = write!(
        html,
        "<form method=\"post\" action=\"/admin/api-keys\" class=\"stacked-form\"><h3>{}</h3><label>{} <input name=\"name\" required maxlength=\"80\"></label><fieldset><legend>{}</legend>",
        t.new_key, t.key_name, t.what_it_may_do
    );
    for s in Scope::ALL {
        let _ = write!(html, "<label><input type=\"checkbox\" name=\"scope\" value=\"{0}\" checked> <code>{0}</code>: {1}</label>", s.as_str(), scope_text(t, s));
    }
    let _ = write!(
        html,
        "</fieldset><label>{} <input name=\"per_minute\" type=\"number\" min=\"1\" max=\"{MAX_PER_MINUTE}\" value=\"{DEFAULT_PER_MINUTE}\"></label><label>{} <input name=\"expires\" type=\"date\"></label><button type=\"submit\" class=\"button\">{}</button></form>",
        t.requests_per_minute, t.expires_after, t.create_key
    );
    let _ = write!(html, "<h2>{}</h2>", t.webhooks);
    html.push_str(&endpoint_rows(t, endpoints));
    let _ = write!(
        html,
        "<form method=\"post\" action=\"/admin/webhooks\" class=\"stacked-form\"><h3>{}</h3><label>{} <input name=\"url\" type=\"url\" required maxlength=\"2000\"></label><fieldset><legend>{}</legend>",
        t.new_endpoint, t.address, t.events
    );
    for name in EVENTS {
        let _ = write!(html, "<label><input type=\"checkbox\" name=\"event\" value=\"{0}\" checked> <code>{0}</code>: {1}</label>", name, event_text(t, name));
    }
    let _ = write!(html, "</fieldset><button type=\"submit\" class=\"button\">{}</button></form>", t.add_endpoint);
    html
}

/// `GET /admin/integrations`.
pub async fn integrations(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let who = match signed_in(&state, &headers).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let loaded = async { Ok::<_, crate::service_error::ServiceError>((keys::list(&state.store, &who).await?, endpoints::list(&state.store, &who).await?)) };
    match loaded.await {
        Ok((k, e)) => {
            let t = admin_text(&who.language);
            page_in(&who.language, StatusCode::OK, t.integrations_title, &overview(t, &k, &e))
        }
        Err(e) => staff_error(&who.language, e, "/staff"),
    }
}

/// A secret shown once (`what`: HTML this module wrote), with `after` below it.
fn shown_once(lang: &str, title: &str, what: &str, secret: &str, after: &str) -> Response {
    let t = admin_text(lang);
    page_in(
        lang,
        StatusCode::OK,
        title,
        &format!(
            "<p role=\"status\">{what}</p><p>{}</p><p><code id=\"secret\">{}</code></p>{after}<p><a href=\"{BACK}\">{}</a></p>",
            t.copy_it_now,
            esc(secret),
            t.back_to_integrations
        ),
    )
}

/// `POST /admin/api-keys`: creates a key and shows it once.
pub async fn create_key(State(state): State<AppState>, headers: HeaderMap, RawForm(body): RawForm) -> Response {
    let who = match poster(&state, &headers).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let form = fields(&body);
    let scopes: Vec<String> = form.iter().filter(|(k, _)| k == "scope").map(|(_, v)| v.clone()).collect();
    let per_minute = match field(&form, "per_minute").trim() {
        "" => None,
        n => match n.parse::<i64>() {
            Ok(n) => Some(n),
            Err(_) => return staff_error(&who.language, crate::service_error::ServiceError::Invalid("The rate limit must be a whole number of requests per minute.".into()), BACK),
        },
    };
    match keys::create(&state.store, &who, field(&form, "name"), &scopes, per_minute, field(&form, "expires")).await {
        Ok(created) => {
            let t = admin_text(&who.language);
            let what = fill(t.key_may, &[("name", &esc(&created.row.name)), ("scopes", &esc(&created.row.scopes))]);
            shown_once(&who.language, t.key_created, &what, &created.key, &format!("<p>{}</p>", t.send_key_as))
        }
        Err(e) => staff_error(&who.language, e, BACK),
    }
}

/// `POST /admin/api-keys/{id}/revoke`: refused from the next request on.
pub async fn revoke_key(State(state): State<AppState>, Path(id): Path<String>, headers: HeaderMap) -> Response {
    let who = match poster(&state, &headers).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    match keys::revoke(&state.store, &who, &id).await {
        Ok(()) => Redirect::to(BACK).into_response(),
        Err(e) => staff_error(&who.language, e, BACK),
    }
}

/// `POST /admin/webhooks`: adds an endpoint and shows its signing secret once.
pub async fn create_endpoint(State(state): State<AppState>, headers: HeaderMap, RawForm(body): RawForm) -> Response {
    let who = match poster(&state, &headers).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let form = fields(&body);
    let events: Vec<String> = form.iter().filter(|(k, _)| k == "event").map(|(_, v)| v.clone()).collect();
    match endpoints::create(&state.store, &who, state.webhooks, field(&form, "url"), &events).await {
        Ok((id, secret)) => {
            let t = admin_text(&who.language);
            shown_once(&who.language, t.endpoint_added, t.endpoint_signed, &secret, &format!("<p><a href=\"/admin/webhooks/{}\">{}</a></p>", esc(&id), t.its_delivery_log))
        }
        Err(e) => staff_error(&who.language, e, BACK),
    }
}

fn delivery_rows(t: &AdminText, deliveries: &[DeliveryRow]) -> String {
    if deliveries.is_empty() {
        return format!("<p>{}</p>", t.no_deliveries);
    }
    let mut html = format!(
        "<div class=\"table-scroll\"><table class=\"data\" id=\"deliveries\"><thead><tr><th>{}</th><th>webhook-id</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th></th></tr></thead><tbody>",
        t.event, t.status, t.tries, t.last_answer, t.made
    );
    for d in deliveries {
        let status = match d.status.as_str() {
            "delivered" => fill(t.delivered_at, &[("at", &d.delivered_at.map(minute_utc).unwrap_or_default())]),
            "pending" => fill(t.next_try_at, &[("at", &minute_utc(d.next_attempt_at))]),
            "failed" => t.failed.to_string(),
            other => other.to_string(),
        };
        let answer = match (d.last_status, &d.last_error) {
            (_, Some(e)) => e.clone(),
            (Some(s), None) => s.to_string(),
            (None, None) => String::new(),
        };
        let _ = write!(
            html,
            "<tr><td>{}</td><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td><form method=\"post\" action=\"/admin/webhooks/deliveries/{}/redeliver\" class=\"inline-form\"><button type=\"submit\" class=\"button secondary\">{}</button></form></td></tr>",
            esc(&d.event_type),
            esc(&d.event_id),
            esc(&status),
            d.attempts,
            esc(&answer),
            esc(&minute_utc(d.created_at)),
            esc(&d.id),
            t.send_again
        );
    }
    html.push_str("</tbody></table></div>");
    html
}

/// `GET /admin/webhooks/{id}`: the endpoint and its latest 200 deliveries.
pub async fn endpoint(State(state): State<AppState>, Path(id): Path<String>, headers: HeaderMap) -> Response {
    let who = match signed_in(&state, &headers).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    match endpoints::log(&state.store, &who, &id, 200).await {
        Ok((e, deliveries)) => {
            let t = admin_text(&who.language);
            let mut html = format!("<p>{}</p>", fill(t.endpoint_receives, &[("url", &esc(&e.url)), ("events", &format!("<code>{}</code>", esc(e.events.trim())))]));
            if let Some(until) = e.previous_secret_until.filter(|u| *u > crate::time::now_ms()) {
                let _ = write!(html, "<p>{}</p>", fill(t.previous_secret_until, &[("at", &esc(&minute_utc(until)))]));
            }
            if e.disabled_at.is_none() {
                let _ = write!(
                    html,
                    "<form method=\"post\" action=\"/admin/webhooks/{0}/rotate\" class=\"inline-form\"><button type=\"submit\" class=\"button secondary\">{1}</button></form> \
                     <form method=\"post\" action=\"/admin/webhooks/{0}/disable\" class=\"inline-form\"><button type=\"submit\" class=\"button secondary\">{2}</button></form>",
                    esc(&e.id),
                    t.new_signing_secret,
                    t.switch_off
                );
            }
            let _ = write!(html, "<h2>{}</h2>", t.deliveries);
            html.push_str(&delivery_rows(t, &deliveries));
            let _ = write!(html, "<p><a href=\"{BACK}\">{}</a></p>", t.back_to_integrations);
            page_in(&who.language, StatusCode::OK, t.webhook_endpoint, &html)
        }
        Err(e) => staff_error(&who.language, e, BACK),
    }
}

/// `POST /admin/webhooks/{id}/rotate`: a new secret, shown once; the old one overlaps a day.
pub async fn rotate(State(state): State<AppState>, Path(id): Path<String>, headers: HeaderMap) -> Response {
    let who = match poster(&state, &headers).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    match endpoints::rotate(&state.store, &who, &id).await {
        Ok(secret) => {
            let t = admin_text(&who.language);
            shown_once(&who.language, t.new_signing_secret, t.rotated_explained, &secret, "")
        }
        Err(e) => staff_error(&who.language, e, BACK),
    }
}

/// `POST /admin/webhooks/{id}/disable`.
pub async fn disable(State(state): State<AppState>, Path(id): Path<String>, headers: HeaderMap) -> Response {
    let who = match poster(&state, &headers).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    match endpoints::disable(&state.store, &who, &id).await {
        Ok(()) => Redirect::to(&format!("/admin/webhooks/{id}")).into_response(),
        Err(e) => staff_error(&who.language, e, BACK),
    }
}

/// `POST /admin/webhooks/deliveries/{id}/redeliver`: the same event again, now.
pub async fn redeliver(State(state): State<AppState>, Path(id): Path<String>, headers: HeaderMap) -> Response {
    let who = match poster(&state, &headers).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    match endpoints::redeliver(&state.store, &who, &id).await {
        Ok(()) => Redirect::to(BACK).into_response(),
        Err(e) => staff_error(&who.language, e, BACK),
    }
}
