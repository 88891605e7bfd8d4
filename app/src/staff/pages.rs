//! The staff pages. Each asks the server who is signed in (which also
//! enforces the session timeouts), checks the role, and renders plain HTML;
//! the routes use `SsrMode::Async` so a redirect to `/login` or an error
//! status can still be set before the page is sent.

use leptos::prelude::*;
use leptos_meta::{Html, Title};
use leptos_router::hooks::{use_params_map, use_query_map};

use super::model::{AuditFilter, AuditPage, StaffMe, StaffRole, UserSummary};
use crate::i18n::{fill, staff_text};
use crate::AppError;

/// The signed-in staff member of this request, with `Cache-Control: no-store`
/// set on the response (staff pages hold personal data).
#[cfg(feature = "ssr")]
pub(crate) async fn current() -> Result<StaffMe, AppError> {
    let headers: http::HeaderMap = leptos_axum::extract().await.map_err(|e| AppError::BadRequest(e.to_string()))?;
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.insert_header(http::header::CACHE_CONTROL, http::HeaderValue::from_static("no-store"));
    }
    super::ports::staff_services()?.whoami(&headers).await
}

#[cfg(feature = "ssr")]
fn require_admin(me: &StaffMe) -> Result<(), AppError> {
    if me.role.may_administer() {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// Sets the response status for an error (401 for JSON callers; pages turn it into a redirect).
#[cfg(feature = "ssr")]
pub(crate) fn with_status<T>(result: Result<T, AppError>) -> Result<T, AppError> {
    if let Err(e) = &result {
        e.set_response_status();
    }
    result
}

/// Who is signed in.
#[server(prefix = "/api", endpoint = "staff_me")]
pub async fn load_me() -> Result<StaffMe, AppError> {
    with_status(current().await)
}

/// The caller and the users of their organisation (admins only).
#[server(prefix = "/api", endpoint = "staff_users")]
pub async fn load_users() -> Result<(StaffMe, Vec<UserSummary>), AppError> {
    with_status(
        async {
            let me = current().await?;
            require_admin(&me)?;
            let users = super::ports::staff_services()?.users(&me).await?;
            Ok((me, users))
        }
        .await,
    )
}

/// The caller and one page of their organisation's audit log (admins only).
#[server(prefix = "/api", endpoint = "staff_audit")]
pub async fn load_audit(who: Option<String>, action: Option<String>, from: Option<String>, to: Option<String>, before: Option<String>) -> Result<(StaffMe, AuditPage), AppError> {
    with_status(
        async {
            let me = current().await?;
            require_admin(&me)?;
            let filter = AuditFilter { who: who.unwrap_or_default(), action: action.unwrap_or_default(), from: from.unwrap_or_default(), to: to.unwrap_or_default(), before: before.unwrap_or_default() };
            let page = super::ports::staff_services()?.audit(&me, filter).await?;
            Ok((me, page))
        }
        .await,
    )
}

/// A page for an error; an anonymous caller is sent to `/login` (303).
pub(crate) fn problem_view(e: AppError) -> AnyView {
    match e {
        AppError::Unauthenticated => {
            #[cfg(feature = "ssr")]
            if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
                res.insert_header(http::header::LOCATION, http::HeaderValue::from_static("/login"));
                res.set_status(http::StatusCode::SEE_OTHER);
            }
            view! {
                <Html {..} lang="en" />
                <Title text="Please sign in" />
                <section class="prose">
                    <h1>"Please sign in"</h1>
                    <p><a href="/login">"Sign in to Vigil"</a></p>
                </section>
            }
            .into_any()
        }
        AppError::Forbidden => view! {
            <Html {..} lang="en" />
            <Title text="Not available" />
            <section class="prose">
                <h1>"Not available for your role"</h1>
                <p>"Your role in your organisation does not include this page. If you need it, ask an administrator of your organisation."</p>
                <p><a href="/staff">"Back to your start page"</a></p>
            </section>
        }
        .into_any(),
        other => view! {
            <Html {..} lang="en" />
            <Title text="Something went wrong" />
            <section class="prose">
                <h1>"Something went wrong"</h1>
                <p class="notice">{other.to_string()}</p>
            </section>
        }
        .into_any(),
    }
}

/// Who is signed in, where they can go, and the sign-out button.
#[component]
pub(crate) fn StaffNav(me: StaffMe) -> impl IntoView {
    let admin = me.role.may_administer();
    let recruit = me.role.may_recruit();
    let outbox = me.role.may_read_outbox();
    let t = staff_text(&me.language);
    view! {
        // Every staff page shows this frame: the page is in the reader's language.
        <Html {..} lang=me.language.clone() />
        <nav class="staff-nav" aria-label=t.nav_label>
            <p class="who">
                <span id="staff-name">{me.name.clone()}</span>
                " · " <span id="staff-role">{me.role.label_in(t)}</span>
                " · " <span id="staff-org">{me.organisation.clone()}</span>
            </p>
            <ul>
                <li><a href="/staff">{t.nav_start}</a></li>
                <li><a href="/account/security" id="nav-security" rel="external">{t.nav_security}</a></li>
                {recruit.then(|| view! { <li><a href="/campaigns">{t.nav_campaigns}</a></li> })}
                {outbox.then(|| view! { <li><a href="/outbox">{t.nav_outbox}</a></li> })}
                {admin.then(|| view! {
                    <li><a href="/admin/users">{t.nav_users}</a></li>
                    <li><a href="/admin/audit">{t.nav_audit}</a></li>
                    <li><a href="/admin/requests" rel="external" id="nav-requests">{t.nav_requests}</a></li>
                    <li><a href="/admin/integrations" rel="external">{t.nav_integrations}</a></li>
                })}
                <li>
                    <form method="post" action="/logout">
                        <button type="submit" class="link-button" id="sign-out">{t.sign_out}</button>
                    </form>
                </li>
            </ul>
        </nav>
    }
}

/// `/login`: e-mail and password, in the language the browser asks for
/// (nobody is known yet). Works without JavaScript.
#[component]
pub fn Login() -> impl IntoView {
    let lang = browser_language();
    let t = staff_text(lang);
    let query = use_query_map().read_untracked();
    let message = if query.get("failed").is_some() {
        Some(("notice error", t.sign_in_failed))
    } else if query.get("signed_out").is_some() {
        Some(("notice", t.signed_out))
    } else if query.get("password_set").is_some() {
        Some(("notice", t.password_set))
    } else {
        None
    };
    view! {
        <Html {..} lang=lang />
        <Title text=t.sign_in />
        <section class="prose narrow">
            <h1>{t.sign_in}</h1>
            {message.map(|(class, text)| view! { <p class=class role="alert" id="login-message">{text}</p> })}
            <form method="post" action="/login" class="stacked">
                <label for="email">{t.email_address}</label>
                <input id="email" name="email" type="email" autocomplete="username" required maxlength="254" />
                <label for="password">{t.password}</label>
                <input id="password" name="password" type="password" autocomplete="current-password" required maxlength="1024" />
                <div class="actions">
                    <button type="submit" class="button" id="sign-in">{t.sign_in}</button>
                </div>
            </form>
            <p class="small">{t.accounts_by_admin}</p>
        </section>
    }
}

/// The language the browser asks for (`Accept-Language`), on the server;
/// English where no request is at hand.
fn browser_language() -> &'static str {
    #[cfg(feature = "ssr")]
    if let Some(parts) = use_context::<http::request::Parts>() {
        return crate::i18n::preferred(parts.headers.get(http::header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).unwrap_or(""));
    }
    "en"
}

/// `/staff`: the staff member's start page.
#[component]
pub fn StaffHome() -> impl IntoView {
    let me = Resource::new(|| (), |()| load_me());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match me.await {
                    Ok(me) => view! { <HomeView me /> }.into_any(),
                    Err(e) => problem_view(e),
                }
            })}
        </Suspense>
    }
}

#[component]
fn HomeView(me: StaffMe) -> impl IntoView {
    let role = me.role;
    let t = staff_text(&me.language);
    view! {
        <Title text=t.nav_start />
        <StaffNav me=me.clone() />
        <section class="prose">
            <h1>{fill(t.welcome, &[("name", &me.name)])}</h1>
            <dl class="facts">
                <dt>{t.role}</dt><dd>{role.label_in(t)}</dd>
                <dt>{t.organisation}</dt><dd>{me.organisation.clone()}</dd>
                <dt>{t.email}</dt><dd>{me.email.clone()}</dd>
            </dl>
            <p><a href="/account/security" rel="external" id="home-account">{t.link_language}</a></p>
            {match role {
                StaffRole::Admin => view! {
                    <h2>{t.administration}</h2>
                    <ul>
                        <li><a href="/admin/users">{t.link_users}</a></li>
                        <li><a href="/admin/audit">{t.link_audit}</a></li>
                        <li><a href="/admin/requests" rel="external">{t.link_requests}</a></li>
                        <li><a href="/admin/templates" rel="external" id="templates-link">{t.link_templates}</a></li>
                        <li><a href="/admin/fairness" rel="external" id="fairness-settings-link">{t.link_fairness_settings}</a></li>
                        <li><a href="/workforce/structure" rel="external">{t.link_structure}</a></li>
                        <li><a href="/admin/integrations" rel="external">{t.link_integrations}</a></li>
                    </ul>
                }.into_any(),
                StaffRole::Recruiter => ().into_any(),
                StaffRole::Psychologist | StaffRole::Security => ().into_any(),
            }}
            {role.may_read_workforce().then(|| view! {
                <h2>{t.workforce}</h2>
                <ul>
                    <li><a href="/workforce/waves" rel="external" id="home-waves">{t.link_waves}</a></li>
                    <li><a href="/workforce/champions" rel="external" id="home-champions">{t.link_champions}</a></li>
                </ul>
            })}
            {role.may_analyse().then(|| view! {
                <h2>{t.measurement}</h2>
                <ul>
                    <li><a href="/instruments">{t.link_instruments}</a></li>
                    <li><a href="/norms">{t.link_norms}</a></li>
                    <li><a href="/fairness" rel="external" id="fairness-link">{t.link_fairness}</a></li>
                </ul>
            })}
            {role.may_recruit().then(|| view! { <RecruitingLinks outbox=role.may_read_outbox() lang=me.language.clone() /> })}
        </section>
    }
}

/// The recruiter's way in: campaigns and the outbox.
#[component]
fn RecruitingLinks(outbox: bool, lang: String) -> impl IntoView {
    let t = staff_text(&lang);
    view! {
        <h2>{t.recruiting}</h2>
        <ul>
            <li><a href="/campaigns" id="home-campaigns">{t.link_campaigns}</a></li>
            {outbox.then(|| view! { <li><a href="/outbox">{t.link_outbox}</a></li> })}
        </ul>
    }
}

/// `/admin/users`: the organisation's users, the invitation form, deactivation.
#[component]
pub fn AdminUsers() -> impl IntoView {
    let (deactivated, reset) = {
        let q = use_query_map().read_untracked();
        (q.get("deactivated").is_some(), q.get("reset").is_some())
    };
    let data = Resource::new(|| (), |()| load_users());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Ok((me, users)) => view! { <UsersView me users deactivated reset /> }.into_any(),
                    Err(e) => problem_view(e),
                }
            })}
        </Suspense>
    }
}

#[component]
fn UsersView(me: StaffMe, users: Vec<UserSummary>, deactivated: bool, reset: bool) -> impl IntoView {
    let my_id = me.user_id.clone();
    let organisation = me.organisation.clone();
    let t = staff_text(&me.language);
    view! {
        <Title text=t.nav_users />
        <StaffNav me=me />
        <section class="staff">
            <h1>{fill(t.users_of, &[("organisation", &organisation)])}</h1>
            {deactivated.then(|| view! { <p class="notice" role="status">{t.deactivated_notice}</p> })}
            {reset.then(|| view! { <p class="notice" role="status">{t.reset_notice}</p> })}
            <table class="data" id="users">
                <caption>{t.staff_accounts}</caption>
                <thead>
                    <tr><th scope="col">{t.name}</th><th scope="col">{t.email}</th><th scope="col">{t.role}</th><th scope="col">{t.status}</th><th scope="col">{t.second_factor}</th><th scope="col">{t.action}</th></tr>
                </thead>
                <tbody>
                    {users.into_iter().map(|u| {
                        let status = if !u.active { t.status_deactivated } else if u.has_password { t.status_active } else { t.status_invited };
                        let can_deactivate = u.active && u.id != my_id;
                        let action = format!("/admin/users/{}/deactivate", u.id);
                        let label = fill(t.deactivate_label, &[("name", &u.name)]);
                        let can_reset = u.active && u.second_factor && u.id != my_id;
                        let reset_action = format!("/admin/users/{}/reset-second-factor", u.id);
                        let reset_label = fill(t.reset_label, &[("name", &u.name)]);
                        view! {
                            <tr>
                                <td>{u.name.clone()}</td>
                                <td>{u.email.clone()}</td>
                                <td>{u.role.label_in(t)}</td>
                                <td>{status}</td>
                                <td>{if u.second_factor { t.on } else { t.off }}</td>
                                <td>
                                    {can_deactivate.then(|| view! {
                                        <form method="post" action=action>
                                            <button type="submit" class="link-button" aria-label=label>{t.deactivate}</button>
                                        </form>
                                    })}
                                    {can_reset.then(|| view! {
                                        <form method="post" action=reset_action>
                                            <button type="submit" class="link-button" aria-label=reset_label>{t.reset_second_factor}</button>
                                        </form>
                                    })}
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            <h2 id="invite-heading">{t.invite_heading}</h2>
            <p>{t.invite_text}</p>
            <form method="post" action="/admin/users" class="stacked" aria-labelledby="invite-heading">
                <label for="invite-name">{t.name}</label>
                <input id="invite-name" name="name" required maxlength="200" autocomplete="off" />
                <label for="invite-email">{t.email_address}</label>
                <input id="invite-email" name="email" type="email" required maxlength="254" autocomplete="off" />
                <label for="invite-role">{t.role}</label>
                <select id="invite-role" name="role">
                    <option value="recruiter">{t.role_recruiter}</option>
                    <option value="psychologist">{t.role_psychologist}</option>
                    <option value="security">{t.role_security_option}</option>
                    <option value="admin">{t.role_admin}</option>
                </select>
                <div class="actions">
                    <button type="submit" class="button" id="invite">{t.create_account}</button>
                </div>
            </form>
        </section>
    }
}

/// `/admin/audit`: the organisation's audit log, newest first, filtered
/// by who, what and when, a page at a time, and as CSV.
#[component]
pub fn AdminAudit() -> impl IntoView {
    let filter = {
        let q = use_query_map().read_untracked();
        let field = |name: &str| q.get(name).unwrap_or_default();
        AuditFilter { who: field("who"), action: field("action"), from: field("from"), to: field("to"), before: field("before") }
    };
    let data = Resource::new(
        move || filter.clone(),
        |f| load_audit(Some(f.who), Some(f.action), Some(f.from), Some(f.to), Some(f.before)),
    );
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Ok((me, page)) => view! { <AuditView me page /> }.into_any(),
                    Err(e) => problem_view(e),
                }
            })}
        </Suspense>
    }
}

#[component]
fn AuditView(me: StaffMe, page: AuditPage) -> impl IntoView {
    let AuditPage { filter, lines, total, next, people, actions } = page;
    let base = filter.query(false);
    let csv = if base.is_empty() { "/admin/audit.csv".to_string() } else { format!("/admin/audit.csv?{base}") };
    let older = next.map(|cursor| {
        let query = AuditFilter { before: cursor, ..filter.clone() }.query(true);
        format!("/admin/audit?{query}")
    });
    let newest = (!filter.before.is_empty()).then(|| if base.is_empty() { "/admin/audit".to_string() } else { format!("/admin/audit?{base}") });
    let option = |value: String, label: String, chosen: &str| {
        let selected = value == chosen;
        view! { <option value=value selected=selected>{label}</option> }
    };
    let who_options = people.into_iter().map(|(v, l)| option(v, l, &filter.who)).collect_view();
    let action_options = actions.into_iter().map(|(v, l)| option(v, l, &filter.action)).collect_view();
    let shown = lines.len();
    let t = staff_text(&me.language);
    view! {
        <Title text=t.nav_audit />
        <StaffNav me=me />
        <section class="staff">
            <h1>{t.nav_audit}</h1>
            <p>{t.audit_intro}</p>
            <form method="get" action="/admin/audit" class="filters" aria-label=t.audit_filter_label>
                <label>{t.who} " " <select name="who"><option value="">{t.anyone}</option>{who_options}</select></label>
                <label>{t.action} " " <select name="action"><option value="">{t.any}</option>{action_options}</select></label>
                <label>{t.from} " " <input type="date" name="from" value=filter.from.clone() /></label>
                <label>{t.to} " " <input type="date" name="to" value=filter.to.clone() /></label>
                <button type="submit" class="button">{t.show}</button>
            </form>
            <p id="audit-total">{fill(t.audit_total, &[("total", &total.to_string()), ("shown", &shown.to_string())])}</p>
            <table class="data" id="audit">
                <caption>{t.audit_entries}</caption>
                <thead>
                    <tr><th scope="col">{t.time_utc}</th><th scope="col">{t.who}</th><th scope="col">{t.action}</th><th scope="col">{t.object}</th></tr>
                </thead>
                <tbody>
                    {lines.into_iter().map(|l| view! {
                        <tr><td>{l.at}</td><td>{l.actor}</td><td>{l.action}</td><td>{l.object}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
            <p class="pager">
                {newest.map(|href| view! { <a href=href id="audit-newest">{t.newest_entries}</a> " " })}
                {older.map(|href| view! { <a href=href id="audit-older">{t.older_entries}</a> " " })}
                <a href=csv id="audit-csv" download>{t.audit_csv}</a>
            </p>
        </section>
    }
}

/// `/set-password/:token`: an invited colleague chooses their password.
/// The token goes back in the form body; the server checks it on submit.
#[component]
pub fn SetPassword() -> impl IntoView {
    let token = use_params_map().read_untracked().get("token").unwrap_or_default();
    view! {
        <Html {..} lang="en" />
        <Title text="Choose your password" />
        <section class="prose narrow">
            <h1>"Choose your password"</h1>
            <p>"At least 12 characters. A few unrelated words make a good one."</p>
            <form method="post" action="/set-password" class="stacked">
                <input type="hidden" name="token" value=token />
                <label for="new-password">"New password"</label>
                <input id="new-password" name="password" type="password" autocomplete="new-password" required minlength="12" maxlength="1024" />
                <label for="repeat-password">"The same password again"</label>
                <input id="repeat-password" name="repeat" type="password" autocomplete="new-password" required minlength="12" maxlength="1024" />
                <div class="actions">
                    <button type="submit" class="button" id="set-password">"Set password"</button>
                </div>
            </form>
        </section>
    }
}
