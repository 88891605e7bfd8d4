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
    recruit::{field, fields, poster, recruit_error},
    staff::{caller, esc, page},
    AppState,
};
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

fn key_rows(keys: &[ApiKeyRow]) -> String {
    if keys.is_empty() {
        return "<p>No keys yet.</p>".into();
    }
    let mut html = String::from("<div class=\"table-scroll\"><table class=\"data\" id=\"api-keys\"><thead><tr><th>Name</th><th>Key starts</th><th>Scopes</th><th>Per minute</th><th>Created</th><th>Expires</th><th>Last used</th><th></th></tr></thead><tbody>");
    for k in keys {
        let state = match k.revoked_at {
            Some(at) => format!("revoked {}", esc(&minute_utc(at))),
            None => format!(
                "<form method=\"post\" action=\"/admin/api-keys/{}/revoke\" class=\"inline-form\"><button type=\"submit\" class=\"button secondary\">Revoke {}</button></form>",
                esc(&k.id),
                esc(&k.name)
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
            k.expires_at.map(minute_utc).map(|t| esc(&t)).unwrap_or_else(|| "never".into()),
            k.last_used_at.map(minute_utc).map(|t| esc(&t)).unwrap_or_else(|| "never".into())
        );
    }
    html.push_str("</tbody></table></div>");
    html
}

fn endpoint_rows(endpoints: &[WebhookEndpointRow]) -> String {
    if endpoints.is_empty() {
        return "<p>No endpoints yet.</p>".into();
    }
    let mut html = String::from("<ul id=\"webhooks\">");
    for e in endpoints {
        let state = match e.disabled_at {
            Some(at) => format!(", switched off {}", esc(&minute_utc(at))),
            None => String::new(),
        };
        let _ = write!(html, "<li><a href=\"/admin/webhooks/{}\">{}</a>: {}{state}</li>", esc(&e.id), esc(&e.url), esc(e.events.trim()));
    }
    html.push_str("</ul>");
    html
}

/// The page's body.
fn overview(keys: &[ApiKeyRow], endpoints: &[WebhookEndpointRow]) -> String {
    let mut html = String::from(
        "<p>Your applicant tracking or HR system can order assessments and fetch results through the <a href=\"/api/docs\">integration API</a>, and be told when something happens by webhooks. \
         Results through the API carry scores with their bands, validity and provenance, never a candidate's answers.</p><h2>API keys</h2>",
    );
    html.push_str(&key_rows(keys));
    html.push_str("<form method=\"post\" action=\"/admin/api-keys\" class=\"stacked-form\"><h3>New key</h3><label>Name (the system that will use it) <input name=\"name\" required maxlength=\"80\"></label><fieldset><legend>What it may do</legend>");
    for s in Scope::ALL {
        let _ = write!(html, "<label><input type=\"checkbox\" name=\"scope\" value=\"{0}\" checked> <code>{0}</code>: {1}</label>", s.as_str(), esc(s.describe()));
    }
    let _ = write!(
        html,
        "</fieldset><label>Requests per minute <input name=\"per_minute\" type=\"number\" min=\"1\" max=\"{MAX_PER_MINUTE}\" value=\"{DEFAULT_PER_MINUTE}\"></label><label>Expires after (optional) <input name=\"expires\" type=\"date\"></label><button type=\"submit\" class=\"button\">Create key</button></form>"
    );
    html.push_str("<h2>Webhooks</h2>");
    html.push_str(&endpoint_rows(endpoints));
    html.push_str("<form method=\"post\" action=\"/admin/webhooks\" class=\"stacked-form\"><h3>New endpoint</h3><label>Address (https://…) <input name=\"url\" type=\"url\" required maxlength=\"2000\"></label><fieldset><legend>Events</legend>");
    for (name, what) in EVENTS {
        let _ = write!(html, "<label><input type=\"checkbox\" name=\"event\" value=\"{0}\" checked> <code>{0}</code>: {1}</label>", name, esc(what));
    }
    html.push_str("</fieldset><button type=\"submit\" class=\"button\">Add endpoint</button></form>");
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
        Ok((k, e)) => page(StatusCode::OK, "Integrations", &overview(&k, &e)),
        Err(e) => recruit_error(e, "/staff"),
    }
}

fn shown_once(title: &str, what: &str, secret: &str, after: &str) -> Response {
    page(
        StatusCode::OK,
        title,
        &format!(
            "<p role=\"status\">{}</p><p><strong>Copy it now: it is shown only this once.</strong> Vigil keeps only a fingerprint of it.</p><p><code id=\"secret\">{}</code></p>{after}<p><a href=\"{BACK}\">Back to integrations</a></p>",
            esc(what),
            esc(secret)
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
            Err(_) => return recruit_error(crate::service_error::ServiceError::Invalid("The rate limit must be a whole number of requests per minute.".into()), BACK),
        },
    };
    match keys::create(&state.store, &who, field(&form, "name"), &scopes, per_minute, field(&form, "expires")).await {
        Ok(created) => shown_once("API key created", &format!("The key {} may: {}.", created.row.name, created.row.scopes), &created.key, "<p>Send it as <code>Authorization: Bearer &lt;key&gt;</code>.</p>"),
        Err(e) => recruit_error(e, BACK),
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
        Err(e) => recruit_error(e, BACK),
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
        Ok((id, secret)) => shown_once(
            "Endpoint added",
            "Every delivery is signed with this secret (Standard Webhooks: webhook-id, webhook-timestamp, webhook-signature).",
            &secret,
            &format!("<p><a href=\"/admin/webhooks/{}\">Its delivery log</a></p>", esc(&id)),
        ),
        Err(e) => recruit_error(e, BACK),
    }
}

fn delivery_rows(deliveries: &[DeliveryRow]) -> String {
    if deliveries.is_empty() {
        return "<p>No deliveries yet.</p>".into();
    }
    let mut html = String::from("<div class=\"table-scroll\"><table class=\"data\" id=\"deliveries\"><thead><tr><th>Event</th><th>webhook-id</th><th>Status</th><th>Tries</th><th>Last answer</th><th>Made</th><th></th></tr></thead><tbody>");
    for d in deliveries {
        let status = match d.status.as_str() {
            "delivered" => format!("delivered {}", d.delivered_at.map(minute_utc).unwrap_or_default()),
            "pending" => format!("next try {}", minute_utc(d.next_attempt_at)),
            other => other.to_string(),
        };
        let answer = match (d.last_status, &d.last_error) {
            (_, Some(e)) => e.clone(),
            (Some(s), None) => s.to_string(),
            (None, None) => String::new(),
        };
        let _ = write!(
            html,
            "<tr><td>{}</td><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td><form method=\"post\" action=\"/admin/webhooks/deliveries/{}/redeliver\" class=\"inline-form\"><button type=\"submit\" class=\"button secondary\">Send again</button></form></td></tr>",
            esc(&d.event_type),
            esc(&d.event_id),
            esc(&status),
            d.attempts,
            esc(&answer),
            esc(&minute_utc(d.created_at)),
            esc(&d.id)
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
            let mut html = format!("<p>{} receives: <code>{}</code>.</p>", esc(&e.url), esc(e.events.trim()));
            if let Some(until) = e.previous_secret_until.filter(|u| *u > crate::time::now_ms()) {
                let _ = write!(html, "<p>The previous secret signs too until {}.</p>", esc(&minute_utc(until)));
            }
            if e.disabled_at.is_none() {
                let _ = write!(
                    html,
                    "<form method=\"post\" action=\"/admin/webhooks/{0}/rotate\" class=\"inline-form\"><button type=\"submit\" class=\"button secondary\">New signing secret</button></form> \
                     <form method=\"post\" action=\"/admin/webhooks/{0}/disable\" class=\"inline-form\"><button type=\"submit\" class=\"button secondary\">Switch off</button></form>",
                    esc(&e.id)
                );
            }
            html.push_str("<h2>Deliveries</h2>");
            html.push_str(&delivery_rows(&deliveries));
            let _ = write!(html, "<p><a href=\"{BACK}\">Back to integrations</a></p>");
            page(StatusCode::OK, "Webhook endpoint", &html)
        }
        Err(e) => recruit_error(e, BACK),
    }
}

/// `POST /admin/webhooks/{id}/rotate`: a new secret, shown once; the old one overlaps a day.
pub async fn rotate(State(state): State<AppState>, Path(id): Path<String>, headers: HeaderMap) -> Response {
    let who = match poster(&state, &headers).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    match endpoints::rotate(&state.store, &who, &id).await {
        Ok(secret) => shown_once("New signing secret", "Deliveries are signed with this secret and, for the next 24 hours, with the previous one as well.", &secret, ""),
        Err(e) => recruit_error(e, BACK),
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
        Err(e) => recruit_error(e, BACK),
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
        Err(e) => recruit_error(e, BACK),
    }
}
