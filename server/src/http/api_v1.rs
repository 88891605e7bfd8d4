//! `/api/v1`: the integration API's HTTP adapters. Each handler checks
//! the key (and its rate limit), parses what was sent, calls one function
//! of `crate::api::service` and maps its error to problem+json once
//! ([`problem`]). The OpenAPI 3.1 document is generated from these
//! handlers' annotations by the same router that serves them, so a route
//! cannot be served without being documented; it is at
//! `/api/v1/openapi.json`, readable at `/api/docs`.

use axum::{
    body::Bytes,
    extract::{rejection::BytesRejection, Path, RawQuery, State},
    http::{header, HeaderMap, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
};
use serde::Serialize;
use utoipa::{
    openapi::security::{Http, HttpAuthScheme, SecurityScheme},
    OpenApi,
};
use utoipa_axum::{router::OpenApiRouter, routes};

use super::AppState;
use crate::{
    api::{
        error::{ApiError, Problem},
        keys::{authenticate, ApiCaller},
        model,
        service::{self, MAX_BULK},
    },
    store::IdempotencyClaim,
    time::now_ms,
};

/// The largest request body (a bulk order of 1,000 invitations is about 200 kB).
pub const MAX_BODY: usize = 2 * 1024 * 1024;
/// After how long a claim of an idempotency key left under way (its
/// process died) may be taken over.
const IDEMPOTENCY_STALE_MS: i64 = 60_000;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Vigil integration API",
        version = "1",
        description = "Order assessments, follow candidates and fetch results from an applicant tracking or HR system. \
Authenticate with an organisation's API key as `Authorization: Bearer vgl_…`. Errors are RFC 9457 problem documents (`application/problem+json`) with a stable `type`. \
Results carry scores with their 90% bands, validity and provenance, never item-level answers. See docs/api.md for the whole flow with webhooks."
    ),
    modifiers(&BearerKey),
    tags(
        (name = "campaigns", description = "What candidates take"),
        (name = "invitations", description = "Ordering assessments and following candidates"),
        (name = "results", description = "Scores once an assessment is completed")
    )
)]
struct ApiDoc;

struct BearerKey;

impl utoipa::Modify for BearerKey {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme("api_key", SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)));
        components.schemas.insert("Problem".into(), <Problem as utoipa::PartialSchema>::schema());
    }
}

/// The routes of `/api/v1` with their OpenAPI document.
pub fn router() -> (axum::Router<AppState>, utoipa::openapi::OpenApi) {
    let v1 = OpenApiRouter::new()
        .routes(routes!(list_campaigns))
        .routes(routes!(read_campaign))
        .routes(routes!(create_invitation))
        .routes(routes!(create_invitations))
        .routes(routes!(read_invitation))
        .routes(routes!(revoke_invitation))
        .routes(routes!(resend_invitation))
        .routes(routes!(read_result))
        .routes(routes!(list_results));
    OpenApiRouter::with_openapi(ApiDoc::openapi()).nest("/api/v1", v1).split_for_parts()
}

/// The OpenAPI document as served (made once).
pub fn openapi_json() -> &'static str {
    static DOC: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DOC.get_or_init(|| router().1.to_pretty_json().unwrap_or_default())
}

/// `GET /api/v1/openapi.json`.
pub async fn openapi() -> Response {
    ([(header::CONTENT_TYPE, "application/json"), (header::CACHE_CONTROL, "no-cache")], openapi_json()).into_response()
}

/// Any other path under `/api/v1`.
pub async fn unknown() -> Response {
    problem(ApiError::NotFound)
}

/// The problem+json answer for an error (with `Retry-After` when rate-limited).
pub fn problem(e: ApiError) -> Response {
    let retry = match &e {
        ApiError::RateLimited { retry_after_secs } => Some(*retry_after_secs),
        _ => None,
    };
    let p = e.problem();
    let status = StatusCode::from_u16(p.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = (status, serde_json::to_string(&p).unwrap_or_default()).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/problem+json"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Some(secs) = retry {
        headers.insert(header::RETRY_AFTER, HeaderValue::from(secs));
    }
    if matches!(e, ApiError::Unauthenticated | ApiError::Revoked | ApiError::Expired) {
        headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
    }
    response
}

/// A JSON answer already serialised, never cached.
fn json_text(status: StatusCode, text: String) -> Response {
    (status, [(header::CONTENT_TYPE, "application/json"), (header::CACHE_CONTROL, "no-store")], text).into_response()
}

fn respond<T: Serialize>(status: StatusCode, outcome: Result<T, ApiError>) -> Response {
    finish(outcome.and_then(|body| to_text(status, &body)))
}

/// The caller behind the request's key, within its rate limit.
async fn caller(state: &AppState, headers: &HeaderMap) -> Result<ApiCaller, ApiError> {
    let authorization = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok());
    let caller = authenticate(&state.store, authorization).await?;
    state.api_limiter.admit(&caller, now_ms()).await?;
    Ok(caller)
}

/// A JSON body of type `T`; a malformed one names the field at fault.
fn parse<T: serde::de::DeserializeOwned>(body: Result<Bytes, BytesRejection>) -> Result<T, ApiError> {
    let bytes = body.map_err(|e| if e.status() == StatusCode::PAYLOAD_TOO_LARGE { ApiError::TooLarge(MAX_BODY) } else { ApiError::MalformedBody(e.body_text()) })?;
    let mut reader = serde_json::Deserializer::from_slice(&bytes);
    serde_path_to_error::deserialize(&mut reader).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let message = inner.to_string();
        if inner.classify() != serde_json::error::Category::Data {
            return ApiError::MalformedBody(message);
        }
        let unknown = message.strip_prefix("unknown field `").and_then(|m| m.split('`').next());
        let missing = message.strip_prefix("missing field `").and_then(|m| m.split('`').next());
        let join = |name: &str| if path == "." || path.is_empty() { name.to_string() } else { format!("{path}.{name}") };
        let at_root = path == "." || path.is_empty();
        match (unknown, missing) {
            // serde names an unknown field in the path already; a missing one is below it.
            (Some(name), _) => ApiError::Invalid { field: if at_root { name.to_string() } else { path.clone() }, detail: message.clone() },
            (_, Some(name)) => ApiError::Invalid { field: join(name), detail: message.clone() },
            _ if path != "." && !path.is_empty() => ApiError::Invalid { field: path, detail: message },
            _ => ApiError::MalformedBody(message),
        }
    })
}

fn base_url(state: &AppState, headers: &HeaderMap) -> String {
    state.public_url.clone().unwrap_or_else(|| super::staff::public_base(headers, false))
}

/// Runs `work` once per `Idempotency-Key` (when the request has one): a
/// retry of the same request gets the first answer again
/// (`Idempotent-Replayed: true`); the key with a different request is a 409.
async fn idempotent<F, Fut>(state: &AppState, caller: &ApiCaller, headers: &HeaderMap, what: &str, body: &[u8], work: F) -> Response
where
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = Result<(StatusCode, String), ApiError>>,
{
    let key = match headers.get("idempotency-key").map(|v| v.to_str().map(str::trim)) {
        None => return finish(work().await),
        Some(Ok(k)) if !k.is_empty() && k.len() <= 255 && k.bytes().all(|b| b.is_ascii_graphic()) => k.to_string(),
        Some(_) => return problem(ApiError::Invalid { field: "Idempotency-Key".into(), detail: "1 to 255 visible ASCII characters".into() }),
    };
    let request_hash = crate::secrets::secret_hash(&format!("{what}\n{}", String::from_utf8_lossy(body)));
    let now = now_ms();
    let store = &state.store;
    match store.claim_idempotent(&caller.org_id, &key, &request_hash, now, now - IDEMPOTENCY_STALE_MS).await {
        Err(e) => problem(e.into()),
        Ok(IdempotencyClaim::Mismatch) => problem(ApiError::IdempotencyMismatch),
        Ok(IdempotencyClaim::InProgress) => problem(ApiError::IdempotencyInProgress),
        Ok(IdempotencyClaim::Replay { status, response }) => {
            let status = StatusCode::from_u16(u16::try_from(status).unwrap_or(500)).unwrap_or(StatusCode::OK);
            let mut r = json_text(status, response);
            r.headers_mut().insert("idempotent-replayed", HeaderValue::from_static("true"));
            r
        }
        Ok(IdempotencyClaim::Claimed) => match work().await {
            Ok((status, text)) => {
                if let Err(e) = store.finish_idempotent(&caller.org_id, &key, i64::from(status.as_u16()), &text).await {
                    tracing::warn!(error = %e, "an idempotent answer could not be kept; a retry will be refused as under way until the claim runs out");
                }
                finish(Ok((status, text)))
            }
            Err(e) => {
                // Nothing was created: the same key may be used again.
                if let Err(release) = store.release_idempotent(&caller.org_id, &key).await {
                    tracing::warn!(error = %release, "an idempotency claim could not be given back");
                }
                problem(e)
            }
        },
    }
}

fn finish(outcome: Result<(StatusCode, String), ApiError>) -> Response {
    match outcome {
        Ok((status, text)) => json_text(status, text),
        Err(e) => problem(e),
    }
}

fn to_text<T: Serialize>(status: StatusCode, body: &T) -> Result<(StatusCode, String), ApiError> {
    serde_json::to_string(body).map(|t| (status, t)).map_err(|e| ApiError::Internal(crate::api::error::InternalCause(e.to_string())))
}

/// List the organisation's campaigns.
#[utoipa::path(get, path = "/campaigns", tag = "campaigns", operation_id = "listCampaigns",
    security(("api_key" = ["campaigns:read"])),
    responses(
        (status = 200, description = "The campaigns", body = model::CampaignList),
        (status = 401, description = "No key, or not a valid one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The key lacks campaigns:read", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Rate limit reached; see Retry-After", body = Problem, content_type = "application/problem+json"),
    ))]
async fn list_campaigns(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let outcome = async {
        let caller = caller(&state, &headers).await?;
        service::campaigns(&state.store, &state.catalog, &caller).await
    };
    respond(StatusCode::OK, outcome.await)
}

/// Read one campaign with its instruments.
#[utoipa::path(get, path = "/campaigns/{id}", tag = "campaigns", operation_id = "getCampaign",
    security(("api_key" = ["campaigns:read"])),
    params(("id" = String, Path, description = "The campaign's id")),
    responses(
        (status = 200, description = "The campaign", body = model::Campaign),
        (status = 401, description = "No key, or not a valid one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The key lacks campaigns:read", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such campaign in this organisation", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Rate limit reached", body = Problem, content_type = "application/problem+json"),
    ))]
async fn read_campaign(State(state): State<AppState>, Path(id): Path<String>, headers: HeaderMap) -> Response {
    let outcome = async {
        let caller = caller(&state, &headers).await?;
        service::campaign(&state.store, &state.catalog, &caller, &id).await
    };
    respond(StatusCode::OK, outcome.await)
}

/// Invite one candidate: Vigil e-mails the personal link (unless `send_email` is false) and returns it.
#[utoipa::path(post, path = "/campaigns/{id}/invitations", tag = "invitations", operation_id = "createInvitation",
    security(("api_key" = ["invitations:write"])),
    params(
        ("id" = String, Path, description = "The campaign's id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Any unique string (up to 255 characters): a retried request with the same key and body creates nothing twice and gets the first answer"),
    ),
    request_body = model::NewInvitation,
    responses(
        (status = 201, description = "Invited", body = model::CreatedInvitation),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No key, or not a valid one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The key lacks invitations:write", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such campaign in this organisation", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already invited, campaign closed, or Idempotency-Key reused for another request", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body over 2 MB", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field is not valid (named in `field`)", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Rate limit reached", body = Problem, content_type = "application/problem+json"),
    ))]
async fn create_invitation(State(state): State<AppState>, Path(id): Path<String>, headers: HeaderMap, body: Result<Bytes, BytesRejection>) -> Response {
    let caller = match caller(&state, &headers).await {
        Ok(c) => c,
        Err(e) => return problem(e),
    };
    let raw = body.as_ref().map(|b| b.to_vec()).unwrap_or_default();
    let order: model::NewInvitation = match parse(body) {
        Ok(o) => o,
        Err(e) => return problem(e),
    };
    let base = base_url(&state, &headers);
    idempotent(&state, &caller, &headers, &format!("invite {id}"), &raw, || async {
        let mut done = service::invite(&state.store, &caller, &id, std::slice::from_ref(&order), false, &base).await?;
        match done.created.pop() {
            Some(created) => to_text(StatusCode::CREATED, &created),
            None => Err(ApiError::Conflict(format!(
                "{} is already invited to this campaign (invitation {}); resend it to give a new link.",
                order.email.trim(),
                done.already_invited.first().map(|a| a.invitation_id.as_str()).unwrap_or("")
            ))),
        }
    })
    .await
}

/// Invite up to 1,000 candidates at once; addresses already invited are listed, not invited again.
#[utoipa::path(post, path = "/campaigns/{id}/invitations/bulk", tag = "invitations", operation_id = "createInvitations",
    security(("api_key" = ["invitations:write"])),
    params(
        ("id" = String, Path, description = "The campaign's id"),
        ("Idempotency-Key" = Option<String>, Header, description = "A retried request with the same key and body creates nothing twice"),
    ),
    request_body = model::NewInvitations,
    responses(
        (status = 200, description = "What was created and what was already there", body = model::BulkCreated),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No key, or not a valid one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The key lacks invitations:write", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such campaign in this organisation", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Campaign closed, or Idempotency-Key reused for another request", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body over 2 MB", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field is not valid: nothing was created", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Rate limit reached", body = Problem, content_type = "application/problem+json"),
    ))]
async fn create_invitations(State(state): State<AppState>, Path(id): Path<String>, headers: HeaderMap, body: Result<Bytes, BytesRejection>) -> Response {
    let caller = match caller(&state, &headers).await {
        Ok(c) => c,
        Err(e) => return problem(e),
    };
    let raw = body.as_ref().map(|b| b.to_vec()).unwrap_or_default();
    let orders: model::NewInvitations = match parse(body) {
        Ok(o) => o,
        Err(e) => return problem(e),
    };
    if orders.invitations.len() > MAX_BULK {
        return problem(ApiError::Invalid { field: "invitations".into(), detail: format!("at most {MAX_BULK} per request") });
    }
    let base = base_url(&state, &headers);
    idempotent(&state, &caller, &headers, &format!("bulk {id}"), &raw, || async {
        let done = service::invite(&state.store, &caller, &id, &orders.invitations, true, &base).await?;
        to_text(StatusCode::OK, &done)
    })
    .await
}

/// Read an invitation and where its candidate stands.
#[utoipa::path(get, path = "/invitations/{id}", tag = "invitations", operation_id = "getInvitation",
    security(("api_key" = ["invitations:read"])),
    params(("id" = String, Path, description = "The invitation's id")),
    responses(
        (status = 200, description = "The invitation", body = model::Invitation),
        (status = 401, description = "No key, or not a valid one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The key lacks invitations:read", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such invitation in this organisation", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Rate limit reached", body = Problem, content_type = "application/problem+json"),
    ))]
async fn read_invitation(State(state): State<AppState>, Path(id): Path<String>, headers: HeaderMap) -> Response {
    let outcome = async {
        let caller = caller(&state, &headers).await?;
        service::invitation(&state.store, &caller, &id).await
    };
    respond(StatusCode::OK, outcome.await)
}

/// Withdraw an invitation that is not completed: its link stops working at once.
#[utoipa::path(post, path = "/invitations/{id}/revoke", tag = "invitations", operation_id = "revokeInvitation",
    security(("api_key" = ["invitations:write"])),
    params(("id" = String, Path, description = "The invitation's id")),
    responses(
        (status = 200, description = "Withdrawn", body = model::Invitation),
        (status = 401, description = "No key, or not a valid one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The key lacks invitations:write", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such invitation in this organisation", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Completed or withdrawn already", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Rate limit reached", body = Problem, content_type = "application/problem+json"),
    ))]
async fn revoke_invitation(State(state): State<AppState>, Path(id): Path<String>, headers: HeaderMap) -> Response {
    let outcome = async {
        let caller = caller(&state, &headers).await?;
        service::revoke(&state.store, &caller, &id).await
    };
    respond(StatusCode::OK, outcome.await)
}

/// E-mail the candidate a new link (the old one stops working), valid for the campaign's invitation period from now.
#[utoipa::path(post, path = "/invitations/{id}/resend", tag = "invitations", operation_id = "resendInvitation",
    security(("api_key" = ["invitations:write"])),
    params(("id" = String, Path, description = "The invitation's id")),
    responses(
        (status = 200, description = "Sent", body = model::Invitation),
        (status = 401, description = "No key, or not a valid one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The key lacks invitations:write", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such invitation in this organisation", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Completed or withdrawn", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Rate limit reached", body = Problem, content_type = "application/problem+json"),
    ))]
async fn resend_invitation(State(state): State<AppState>, Path(id): Path<String>, headers: HeaderMap) -> Response {
    let outcome = async {
        let caller = caller(&state, &headers).await?;
        service::resend(&state.store, &caller, &id, &base_url(&state, &headers)).await
    };
    respond(StatusCode::OK, outcome.await)
}

/// Read a candidate's result: scores with their 90% bands, norm group, validity and provenance; never item-level answers.
#[utoipa::path(get, path = "/invitations/{id}/result", tag = "results", operation_id = "getResult",
    security(("api_key" = ["results:read"])),
    params(("id" = String, Path, description = "The invitation's id")),
    responses(
        (status = 200, description = "The result (`instruments` is empty until the status is completed)", body = model::AssessmentResult),
        (status = 401, description = "No key, or not a valid one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The key lacks results:read", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such invitation in this organisation", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Rate limit reached", body = Problem, content_type = "application/problem+json"),
    ))]
async fn read_result(State(state): State<AppState>, Path(id): Path<String>, headers: HeaderMap) -> Response {
    let outcome = async {
        let caller = caller(&state, &headers).await?;
        service::result(&state.store, &state.catalog, &caller, &id).await
    };
    respond(StatusCode::OK, outcome.await)
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct FeedQuery {
    cursor: Option<String>,
    limit: Option<i64>,
}

/// Results completed since a cursor, oldest first: poll with the `next_cursor` of the last page.
#[utoipa::path(get, path = "/results", tag = "results", operation_id = "listResults",
    security(("api_key" = ["results:read"])),
    params(
        ("cursor" = Option<String>, Query, description = "The `next_cursor` of the previous page; leave out to start from the beginning"),
        ("limit" = Option<i64>, Query, description = "Results per page, 1 to 500 (default 100)"),
    ),
    responses(
        (status = 200, description = "One page of the feed", body = model::ResultsPage),
        (status = 401, description = "No key, or not a valid one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The key lacks results:read", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A bad cursor or limit", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Rate limit reached", body = Problem, content_type = "application/problem+json"),
    ))]
async fn list_results(State(state): State<AppState>, RawQuery(query): RawQuery, headers: HeaderMap) -> Response {
    let outcome = async {
        let caller = caller(&state, &headers).await?;
        let q: FeedQuery = serde_urlencoded::from_str(query.as_deref().unwrap_or_default())
            .map_err(|e| ApiError::Invalid { field: "query".into(), detail: format!("{e}; the parameters are cursor and limit (a number)") })?;
        service::results_since(&state.store, &caller, q.cursor.as_deref(), q.limit).await
    };
    respond(StatusCode::OK, outcome.await)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_malformed_body_names_the_field_at_fault() {
        let field = |body: &str| match parse::<model::NewInvitations>(Ok(Bytes::from(body.to_string()))) {
            Err(ApiError::Invalid { field, .. }) => field,
            other => panic!("{body}: {other:?}"),
        };
        assert_eq!(field(r#"{"invitations":[{"name":"A","email":"a@example.org","colour":"red"}]}"#), "invitations[0].colour");
        assert_eq!(field(r#"{"invitations":[{"name":"A"}]}"#), "invitations[0].email");
        assert_eq!(field(r#"{"invitations":[{"name":"A","email":5}]}"#), "invitations[0].email");
        assert!(matches!(parse::<model::NewInvitations>(Ok(Bytes::from_static(b"{not json"))), Err(ApiError::MalformedBody(_))));
    }

    #[test]
    fn the_document_is_openapi_3_1_and_lists_every_operation_with_its_scope() {
        let doc: serde_json::Value = serde_json::from_str(openapi_json()).expect("JSON");
        assert_eq!(doc["openapi"], "3.1.0");
        let operations: Vec<(String, String)> = doc["paths"]
            .as_object()
            .expect("paths")
            .iter()
            .flat_map(|(path, item)| item.as_object().into_iter().flatten().map(move |(method, _)| (method.clone(), path.clone())))
            .collect();
        assert_eq!(operations.len(), 9, "{operations:?}");
        for (method, path) in &operations {
            let op = &doc["paths"][path][method];
            assert!(path.starts_with("/api/v1/"), "{path}");
            assert!(op["security"][0]["api_key"].as_array().is_some_and(|s| !s.is_empty()), "{method} {path} names its scope");
            assert!(op["responses"]["401"].is_object(), "{method} {path} documents 401");
        }
        assert!(doc["components"]["securitySchemes"]["api_key"]["scheme"] == "bearer");
    }
}
