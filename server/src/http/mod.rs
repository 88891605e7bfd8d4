//! The HTTP server: Leptos pages and server functions, static assets,
//! health check, request ids, access logs, security headers, graceful shutdown.

mod analysis_html;
mod api_docs;
pub mod api_v1;
mod calibration;
mod calibration_html;
mod candidate;
mod client;
mod drafts;
mod fairness;
mod fairness_html;
mod feedback;
mod headers;
mod item_form;
mod me;
mod instruments;
mod integrations;
mod norms;
mod norms_html;
mod ratelimit;
mod report_html;
mod workbench_html;
mod workforce;
mod survey;
mod waves;
mod recruit;
mod rights;
mod second_factor;
mod staff;
mod templates;
mod observe;

use std::{net::SocketAddr, path::Path, sync::Arc, time::Duration};

use axum::{
    extract::{FromRef, State},
    http::{header, HeaderMap, StatusCode},
    response::IntoResponse,
    routing::get,
    Json, Router,
};
use leptos::prelude::*;
use leptos_axum::{generate_route_list, AxumRouteListing, LeptosRoutes};
use tokio::net::TcpListener;
use tower_http::{
    request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer},
    services::ServeDir,
    trace::TraceLayer,
};

use crate::{catalog::Catalog, services::AppServices, store::Store, Error};

/// The `Strict-Transport-Security` header sent behind TLS.
pub use headers::STRICT_TRANSPORT_SECURITY;
/// Failed invitation links one client address may open per window (see `ratelimit`).
pub use ratelimit::LIMIT as RATE_LIMITED_LINKS;

/// Shared by every request.
#[derive(Clone)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub store: Store,
    pub catalog: Catalog,
    pub services: Arc<dyn app::ports::Services>,
    /// Staff sign-in and sessions (see `crate::auth`).
    pub auth: crate::auth::Auth,
    /// Where candidates reach Vigil, for invitation links (else the request's Host).
    pub public_url: Option<String>,
    /// Requests per API key and minute (see `crate::api::limit`).
    pub api_limiter: crate::api::limit::KeyLimiter,
    /// Where webhook endpoints may point.
    pub webhooks: crate::webhooks::endpoints::UrlPolicy,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

/// Leptos options for a bundle under `site_root/pkg`.
pub fn leptos_options(site_root: &Path, listen: SocketAddr) -> LeptosOptions {
    LeptosOptions::builder()
        .output_name(app::OUTPUT_NAME)
        .site_root(site_root.to_string_lossy().to_string())
        .site_pkg_dir("pkg")
        .site_addr(listen)
        .env(leptos::config::Env::PROD)
        .build()
}

/// How the server sits in the network: set by `vigil serve`'s flags.
#[derive(Debug, Clone, Default)]
pub struct HttpOptions {
    /// Session cookie flags (`Secure` behind TLS).
    pub cookies: crate::auth::CookiePolicy,
    /// Reverse proxies whose `X-Forwarded-For` names the client (see `client`).
    pub trusted_proxies: crate::config::TrustedProxies,
    /// Where candidates reach Vigil, for invitation links (else the request's Host).
    pub public_url: Option<String>,
    /// Where webhook endpoints may point.
    pub webhooks: crate::webhooks::endpoints::UrlPolicy,
    /// The process's catalog sync, shared with its background refresh (else the router makes its own).
    pub catalog_sync: Option<crate::catalog_sync::CatalogSync>,
}

/// The whole application as an axum router (session cookies without `Secure`, no trusted proxy).
pub fn router(store: Store, catalog: Catalog, site_root: &Path, listen: SocketAddr) -> Router {
    router_with(store, catalog, site_root, listen, HttpOptions::default())
}

/// The whole application as an axum router, with the given options.
pub fn router_with(store: Store, catalog: Catalog, site_root: &Path, listen: SocketAddr, options: HttpOptions) -> Router {
    let HttpOptions { cookies, trusted_proxies, public_url, webhooks, catalog_sync } = options;
    let catalog_sync = catalog_sync.unwrap_or_else(|| crate::catalog_sync::CatalogSync::new(&store, &catalog));
    let secure = cookies.secure;
    let leptos_options = leptos_options(site_root, listen);
    let services: Arc<dyn app::ports::Services> = Arc::new(AppServices { store: store.clone(), catalog: catalog.clone(), contexts: Default::default() });
    let auth = crate::auth::Auth::new(store.clone(), cookies);
    let staff_services: Arc<dyn app::staff::ports::StaffServices> = Arc::new(crate::staff::StaffPort { auth: auth.clone() });
    let recruit_services: Arc<dyn app::recruit::ports::RecruitServices> = Arc::new(crate::recruit::RecruitPort { store: store.clone(), catalog: catalog.clone() });
    let api_limiter = crate::api::limit::KeyLimiter::for_store(&store);
    let state = AppState { leptos_options: leptos_options.clone(), store, catalog, services, auth, public_url, api_limiter, webhooks };
    let (api, _) = api_v1::router();
    let routes = route_list();

    let context = {
        let services = state.services.clone();
        let staff_services = staff_services.clone();
        let recruit_services = recruit_services.clone();
        move || {
            provide_context(services.clone());
            provide_context(staff_services.clone());
            provide_context(recruit_services.clone());
            headers::provide_csp_nonce();
        }
    };
    let server_fn_context = context.clone();
    let fallback_context = context.clone();

    Router::new()
        .route("/healthz", get(healthz))
        .route("/assessment/start", axum::routing::post(candidate::start))
        .route("/assessment/decline", axum::routing::post(candidate::decline))
        .route("/assessment/answers", axum::routing::post(candidate::answers))
        .route("/assessment/finish", axum::routing::post(candidate::finish))
        .route("/assessment/language", axum::routing::post(candidate::language))
        .route("/assessment/feedback", get(feedback::feedback))
        .route("/assessment/about-you", get(fairness::questions))
        .route("/assessment/about-you", axum::routing::post(fairness::answer))
        .route("/admin/fairness", get(fairness::settings))
        .route("/admin/fairness", axum::routing::post(fairness::save_settings))
        .route("/fairness", get(fairness::check))
        .route("/assessment/your-data", get(rights::your_data))
        .route("/assessment/your-data.json", get(rights::your_data_json))
        .route("/assessment/your-data/requests", axum::routing::post(rights::ask))
        .route("/admin/requests", get(rights::list))
        .route("/admin/templates", get(templates::list))
        .route("/admin/templates/{occasion}/{language}", get(templates::edit))
        .route("/admin/templates/{occasion}/{language}", axum::routing::post(templates::change))
        .route("/admin/requests/{id}/handled", axum::routing::post(rights::handled))
        .route("/login", axum::routing::post(staff::login))
        .route("/logout", axum::routing::post(staff::logout))
        .route("/admin/users", axum::routing::post(staff::invite))
        .route("/admin/audit.csv", get(staff::audit_csv))
        .route("/workforce/structure", get(workforce::structure))
        .route("/workforce/structure/unit", axum::routing::post(workforce::save_unit))
        .route("/workforce/structure/employee", axum::routing::post(workforce::update_employee))
        .route("/workforce/structure/units", axum::routing::post(workforce::import_units).layer(axum::extract::DefaultBodyLimit::max(crate::workforce::structure::MAX_BYTES + 64 * 1024)))
        .route("/workforce/structure/employees", axum::routing::post(workforce::import_employees).layer(axum::extract::DefaultBodyLimit::max(crate::workforce::structure::MAX_BYTES + 64 * 1024)))
        .route("/workforce/waves", get(waves::list))
        .route("/workforce/waves", axum::routing::post(waves::create))
        .route("/workforce/settings", axum::routing::post(waves::settings))
        .route("/workforce/waves/{id}", get(waves::report))
        .route("/workforce/waves/{id}/results.csv", get(waves::results_csv))
        .route("/workforce/waves/{id}/close", axum::routing::post(waves::close))
        .route("/workforce/waves/{id}/remind", axum::routing::post(waves::remind))
        .route("/workforce/waves/{id}/units/{unit}", get(waves::unit_trend))
        .route("/workforce/security", get(waves::security))
        .route("/workforce/champions", get(waves::champions_list))
        .route("/survey/autosave.js", get(survey::autosave_script))
        .route("/survey/{token}", get(survey::survey_page))
        .route("/survey/{token}", axum::routing::post(survey::survey_post))
        .route("/survey/{token}/autosave", axum::routing::post(survey::survey_autosave))
        .route("/me", get(me::ask))
        .route("/me", axum::routing::post(me::send_link))
        .route("/me/{token}", get(me::own_page))
        .route("/me/{token}/answers", axum::routing::post(me::post_answers))
        .route("/me/{token}/autosave", axum::routing::post(me::autosave))
        .route("/me/{token}/champion", axum::routing::post(me::opt_in))
        .route("/me/{token}/withdraw", axum::routing::post(me::withdraw))
        .route("/me/{token}/delete", axum::routing::post(me::delete))
        .route("/me/{token}/data.json", get(me::data))
        .route("/admin/integrations", get(integrations::integrations))
        .route("/admin/api-keys", axum::routing::post(integrations::create_key))
        .route("/admin/api-keys/{id}/revoke", axum::routing::post(integrations::revoke_key))
        .route("/admin/webhooks", axum::routing::post(integrations::create_endpoint))
        .route("/admin/webhooks/{id}", get(integrations::endpoint))
        .route("/admin/webhooks/{id}/rotate", axum::routing::post(integrations::rotate))
        .route("/admin/webhooks/{id}/disable", axum::routing::post(integrations::disable))
        .route("/admin/webhooks/deliveries/{id}/redeliver", axum::routing::post(integrations::redeliver))
        .route("/admin/users/{id}/deactivate", axum::routing::post(staff::deactivate))
        .route("/set-password", axum::routing::post(staff::set_password))
        .route("/login/code", get(second_factor::code_form))
        .route("/login/code", axum::routing::post(second_factor::verify_code))
        .route("/account/security", get(second_factor::security))
        .route("/account/language", axum::routing::post(second_factor::set_language))
        .route("/account/second-factor/start", axum::routing::post(second_factor::start))
        .route("/account/second-factor/confirm", axum::routing::post(second_factor::confirm))
        .route("/account/second-factor/disable", axum::routing::post(second_factor::disable))
        .route("/admin/users/{id}/reset-second-factor", axum::routing::post(second_factor::reset))
        .route("/campaigns", axum::routing::post(recruit::create_campaign))
        .route("/campaigns/{id}/invitations", axum::routing::post(recruit::invite))
        .route(
            "/campaigns/{id}/invitations/upload",
            axum::routing::post(recruit::upload).layer(axum::extract::DefaultBodyLimit::max(crate::recruit::csv_import::MAX_BYTES + 64 * 1024)),
        )
        .route("/campaigns/{id}/export.csv", get(recruit::export_csv))
        .route("/outbox/waiting.csv", get(recruit::waiting_csv))
        .route("/staff/copy.js", get(recruit::copy_script))
        .route("/outbox/{id}/sent", axum::routing::post(recruit::mark_sent))
        .route("/instruments", get(drafts::instruments))
        .route("/instruments/{instrument}/{version}/bank.toml", get(drafts::bank_file))
        .route("/instruments/{instrument}/{version}/translations.csv", get(drafts::version_translations))
        .route("/drafts", axum::routing::post(drafts::start))
        .route("/drafts/upload", axum::routing::post(drafts::upload).layer(axum::extract::DefaultBodyLimit::max(4 * 1024 * 1024)))
        .route("/drafts/{id}", get(drafts::draft))
        .route("/drafts/{id}/source", axum::routing::post(drafts::save_source).layer(axum::extract::DefaultBodyLimit::max(4 * 1024 * 1024)))
        .route("/drafts/{id}/check", axum::routing::post(drafts::check).layer(axum::extract::DefaultBodyLimit::max(4 * 1024 * 1024)))
        .route("/drafts/{id}/items/{item}", get(drafts::item))
        .route("/drafts/{id}/items/{item}", axum::routing::post(drafts::save_item))
        .route("/drafts/{id}/items/{item}/move", axum::routing::post(drafts::move_item))
        .route("/drafts/{id}/items/{item}/retire", axum::routing::post(drafts::retire_item))
        .route("/drafts/{id}/copy", axum::routing::post(drafts::copy_item))
        .route("/drafts/{id}/scales/{scale}", get(drafts::scale))
        .route("/drafts/{id}/scales/{scale}", axum::routing::post(drafts::save_scale))
        .route("/drafts/{id}/cat", get(drafts::cat))
        .route("/drafts/{id}/cat", axum::routing::post(drafts::save_cat))
        .route("/drafts/{id}/validity", get(drafts::validity))
        .route("/drafts/{id}/validity", axum::routing::post(drafts::save_validity))
        .route("/drafts/{id}/restore", axum::routing::post(drafts::restore))
        .route("/drafts/{id}/translations", axum::routing::post(drafts::import_translations).layer(axum::extract::DefaultBodyLimit::max(4 * 1024 * 1024)))
        .route("/drafts/{id}/translations.csv", get(drafts::draft_translations))
        .route("/drafts/{id}/revisions/{n}", get(drafts::revision))
        .route("/drafts/{id}/preview", get(drafts::preview))
        .route("/drafts/{id}/diff", get(drafts::diff))
        .route("/drafts/{id}/publish", axum::routing::post(drafts::publish))
        .route("/drafts/{id}/discard", axum::routing::post(drafts::discard))
        .route("/workbench/editor.js", get(drafts::editor_script))
        .route("/instruments/{instrument}/{version}/calibration", get(calibration::calibration))
        .route("/instruments/{instrument}/{version}/calibration", axum::routing::post(calibration::start))
        .route("/instruments/{instrument}/{version}/calibration/cancel", axum::routing::post(calibration::cancel))
        .route("/instruments/{instrument}/{version}/calibration/draft", axum::routing::post(calibration::save_draft))
        .route("/instruments/{instrument}/{version}/report", get(instruments::technical_report))
        .route("/instruments/{instrument}/{version}/retirement", axum::routing::post(instruments::retire))
        .route("/norms", get(norms::builder))
        .route("/norms", axum::routing::post(norms::publish))
        .route("/instruments/{instrument}/{version}/{file}", get(instruments::instrument_file))
        .route("/instruments/{instrument}/{version}/sessions/{respondent}", get(instruments::instrument_session))
        .route("/instruments/{instrument}/{version}/analysis", get(instruments::analysis))
        .route("/instruments/{instrument}/{version}/analysis", axum::routing::post(instruments::run_analysis))
        .route("/instruments/{instrument}/{version}/analysis/{file}", get(instruments::analysis_report))
        .route("/campaigns/{id}/reminders", get(recruit::reminders_preview))
        .route("/campaigns/{id}/reminders", axum::routing::post(recruit::send_reminders))
        .route("/campaigns/{id}/automatic-reminder", axum::routing::post(recruit::set_automatic_reminder))
        .route("/campaigns/{id}/candidates/{inv}/revoke", axum::routing::post(recruit::revoke))
        .route("/campaigns/{id}/candidates/{inv}/resend", axum::routing::post(recruit::resend))
        .route("/campaigns/{id}/candidates/{inv}/decision", axum::routing::post(recruit::decide))
        .route("/campaigns/{id}/candidates/{inv}/erase", axum::routing::post(recruit::erase))
        .route("/campaigns/{id}/candidates/{inv}/export.json", get(recruit::export_json))
        .merge(api.layer(axum::extract::DefaultBodyLimit::max(api_v1::MAX_BODY)))
        .route("/api/v1/openapi.json", get(api_v1::openapi))
        .route("/api/v1/{*rest}", axum::routing::any(api_v1::unknown))
        .route("/api/docs", get(api_docs::reference))
        .route(
            "/api/{*fn_name}",
            axum::routing::post(move |req: axum::extract::Request| {
                let provide = server_fn_context.clone();
                async move { leptos_axum::handle_server_fns_with_context(provide, req).await }
            }),
        )
        .leptos_routes_with_context(&state, routes, context, {
            let options = leptos_options.clone();
            move || app::shell(options.clone())
        })
        .nest_service("/pkg", ServeDir::new(site_root.join("pkg")).precompressed_br())
        .route_service("/favicon.svg", tower_http::services::ServeFile::new(site_root.join("favicon.svg")))
        .fallback(leptos_axum::file_and_error_handler_with_context::<AppState, _>(fallback_context, app::shell))
        .layer(axum::middleware::from_fn(server_functions_from_this_site))
        .layer(axum::middleware::from_fn(move |req, next| catalog_caught_up(catalog_sync.clone(), req, next)))
        .layer(axum::middleware::from_fn({
            let limiter = ratelimit::LinkLimiter::for_store(&state.store);
            move |req, next| ratelimit::limit_links(limiter.clone(), req, next)
        }))
        .layer(axum::middleware::from_fn({
            let trusted = Arc::new(trusted_proxies);
            move |req, next| client::remember_client_address(trusted.clone(), req, next)
        }))
        // Outside the rate limit, so that its 429 page has the headers too.
        .layer(axum::middleware::from_fn(move |req, next| headers::security_headers(secure, req, next)))
        // Each request in its own organisation scope (the second wall, store/wall.rs).
        .layer(axum::middleware::from_fn(|req: axum::extract::Request, next: axum::middleware::Next| crate::store::request_scope(next.run(req))))
        .layer(
            tower::ServiceBuilder::new()
                .layer(SetRequestIdLayer::new(observe::REQUEST_ID, MakeRequestUuid))
                .layer(TraceLayer::new_for_http().make_span_with(observe::make_span).on_response(observe::on_response))
                .layer(PropagateRequestIdLayer::new(observe::REQUEST_ID)),
        )
        .with_state(state)
}

/// A state-changing request must come from this site's own pages (the rule
/// for every form post and server function, staff and candidate alike).
/// Browsers say where a request comes from in `Sec-Fetch-Site`, or failing
/// that in `Origin`, which must then name this host. A request with neither
/// is refused too: every browser sends at least `Origin` on a post, and a
/// program calling Vigil can send it as well. (Under
/// `Referrer-Policy: no-referrer` browsers send `Origin: null` on form
/// posts, so `Sec-Fetch-Site` is asked first.)
pub fn from_this_site(headers: &HeaderMap) -> bool {
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return site == "same-origin" || site == "none";
    }
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or_default();
    origin.split_once("://").is_some_and(|(_, rest)| rest == host)
}

/// A staff member's or another system's request sees every version and
/// norm table published before it began, whichever process published it
/// (see `crate::catalog_sync`); candidates' requests never wait for that.
async fn catalog_caught_up(sync: crate::catalog_sync::CatalogSync, req: axum::extract::Request, next: axum::middleware::Next) -> axum::response::Response {
    let headers = req.headers();
    let signed_in = headers.get_all(header::COOKIE).iter().any(|v| v.to_str().is_ok_and(|c| c.contains(crate::auth::SESSION_COOKIE)));
    if signed_in || headers.contains_key(header::AUTHORIZATION) {
        sync.catch_up_or_log().await;
    }
    next.run(req).await
}

/// Server functions are called by this site's own pages, never from another
/// site: the same rule as the form posts, here because
/// `leptos_routes_with_context` registers every server function on a route
/// of its own (`save_answers` changes data).
async fn server_functions_from_this_site(req: axum::extract::Request, next: axum::middleware::Next) -> axum::response::Response {
    let path = req.uri().path();
    // The integration API is called by other systems with a key, never with a session cookie.
    let integration = path.starts_with("/api/v1/") || path == "/api/docs";
    if path.starts_with("/api/") && !integration && !from_this_site(req.headers()) {
        return staff::refused();
    }
    next.run(req).await
}

/// The application's routes, listed once per process. Listing them runs the
/// app with resource loading switched off process-wide (leptos issue 4773):
/// a page that starts loading meanwhile in another server of the same
/// process (the integration tests run many) would wait forever. Once the
/// list exists, building further routers never switches loading off again.
fn route_list() -> Vec<AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<AxumRouteListing>> = std::sync::OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(app::App)).clone()
}

/// `GET /healthz`: 200 when the database answers, 503 otherwise.
async fn healthz(State(state): State<AppState>) -> impl IntoResponse {
    let database_ok = tokio::time::timeout(Duration::from_secs(2), state.store.ping()).await.unwrap_or(false);
    let status = if database_ok { StatusCode::OK } else { StatusCode::SERVICE_UNAVAILABLE };
    let body = serde_json::json!({
        "status": if database_ok { "ok" } else { "unavailable" },
        "database": if database_ok { "ok" } else { "unreachable" },
        "version": crate::VERSION,
    });
    (status, Json(body))
}

/// Binds the listening socket, with a clear error when it cannot.
pub async fn bind(addr: SocketAddr) -> Result<TcpListener, Error> {
    TcpListener::bind(addr).await.map_err(|e| {
        let hint = match e.kind() {
            std::io::ErrorKind::AddrInUse => "Another program is using this port: stop it, or choose another address with --listen or VIGIL_LISTEN",
            std::io::ErrorKind::PermissionDenied => "Ports below 1024 need privileges: choose a port above 1024 with --listen or VIGIL_LISTEN",
            _ => "Check the address given with --listen or VIGIL_LISTEN",
        };
        Error::Listen { addr: addr.to_string(), reason: e.to_string(), hint }
    })
}

/// Serves until SIGTERM or Ctrl-C, then stops accepting connections and lets
/// requests in flight finish.
pub async fn serve(listener: TcpListener, router: Router) -> Result<(), Error> {
    serve_until(listener, router, shutdown_signal()).await
}

/// Serves until `shutdown` completes, then drains requests in flight.
pub async fn serve_until(
    listener: TcpListener,
    router: Router,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<(), Error> {
    axum::serve(listener, router.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(shutdown)
        .await
        .map_err(|e| Error::Serve(e.to_string()))
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}
