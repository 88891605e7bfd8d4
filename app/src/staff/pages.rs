//! The staff pages. Each asks the server who is signed in (which also
//! enforces the session timeouts), checks the role, and renders plain HTML;
//! the routes use `SsrMode::Async` so a redirect to `/login` or an error
//! status can still be set before the page is sent.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::model::{AuditFilter, AuditPage, StaffMe, StaffRole, UserSummary};
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
                <Title text="Please sign in" />
                <section class="prose">
                    <h1>"Please sign in"</h1>
                    <p><a href="/login">"Sign in to Vigil"</a></p>
                </section>
            }
            .into_any()
        }
        AppError::Forbidden => view! {
            <Title text="Not available" />
            <section class="prose">
                <h1>"Not available for your role"</h1>
                <p>"Your role in your organisation does not include this page. If you need it, ask an administrator of your organisation."</p>
                <p><a href="/staff">"Back to your start page"</a></p>
            </section>
        }
        .into_any(),
        other => view! {
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
    view! {
        <nav class="staff-nav" aria-label="Staff">
            <p class="who">
                <span id="staff-name">{me.name.clone()}</span>
                " · " <span id="staff-role">{me.role.label()}</span>
                " · " <span id="staff-org">{me.organisation.clone()}</span>
            </p>
            <ul>
                <li><a href="/staff">"Start"</a></li>
                <li><a href="/account/security" id="nav-security">"Security"</a></li>
                {recruit.then(|| view! { <li><a href="/campaigns">"Campaigns"</a></li> })}
                {outbox.then(|| view! { <li><a href="/outbox">"Outbox"</a></li> })}
                {admin.then(|| view! {
                    <li><a href="/admin/users">"Users"</a></li>
                    <li><a href="/admin/audit">"Audit log"</a></li>
                    <li><a href="/admin/requests" rel="external" id="nav-requests">"Requests"</a></li>
                    <li><a href="/admin/integrations" rel="external">"Integrations"</a></li>
                })}
                <li>
                    <form method="post" action="/logout">
                        <button type="submit" class="link-button" id="sign-out">"Sign out"</button>
                    </form>
                </li>
            </ul>
        </nav>
    }
}

/// `/login`: e-mail and password. Works without JavaScript.
#[component]
pub fn Login() -> impl IntoView {
    let query = use_query_map().read_untracked();
    let message = if query.get("failed").is_some() {
        Some(("notice error", "The e-mail address or the password is not right. Please try again."))
    } else if query.get("signed_out").is_some() {
        Some(("notice", "You have signed out."))
    } else if query.get("password_set").is_some() {
        Some(("notice", "Your password is set. You can sign in now."))
    } else {
        None
    };
    view! {
        <Title text="Sign in" />
        <section class="prose narrow">
            <h1>"Sign in"</h1>
            {message.map(|(class, text)| view! { <p class=class role="alert" id="login-message">{text}</p> })}
            <form method="post" action="/login" class="stacked">
                <label for="email">"E-mail address"</label>
                <input id="email" name="email" type="email" autocomplete="username" required maxlength="254" />
                <label for="password">"Password"</label>
                <input id="password" name="password" type="password" autocomplete="current-password" required maxlength="1024" />
                <div class="actions">
                    <button type="submit" class="button" id="sign-in">"Sign in"</button>
                </div>
            </form>
            <p class="small">"Staff accounts are created by an administrator of your organisation."</p>
        </section>
    }
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
    view! {
        <Title text="Start" />
        <StaffNav me=me.clone() />
        <section class="prose">
            <h1>"Welcome, " {me.name.clone()}</h1>
            <dl class="facts">
                <dt>"Role"</dt><dd>{role.label()}</dd>
                <dt>"Organisation"</dt><dd>{me.organisation.clone()}</dd>
                <dt>"E-mail"</dt><dd>{me.email.clone()}</dd>
            </dl>
            {match role {
                StaffRole::Admin => view! {
                    <h2>"Administration"</h2>
                    <ul>
                        <li><a href="/admin/users">"Users: invite colleagues, deactivate accounts"</a></li>
                        <li><a href="/admin/audit">"Audit log: who did what, and when"</a></li>
                        <li><a href="/admin/requests" rel="external">"Candidates' requests: erasure and human review, each with the day it is due"</a></li>
                        <li><a href="/admin/templates" rel="external" id="templates-link">"E-mail templates: the invitation and reminders, in English and German"</a></li>
                        <li><a href="/admin/fairness" rel="external" id="fairness-settings-link">"Group questions: optional questions candidates may answer after finishing, for fairness checks"</a></li>
                        <li><a href="/workforce/structure" rel="external">"Organisation structure: departments, teams and employees for workforce surveys"</a></li>
                        <li><a href="/admin/integrations" rel="external">"Integrations: API keys for your applicant tracking or HR system, and webhooks"</a></li>
                    </ul>
                }.into_any(),
                StaffRole::Recruiter => ().into_any(),
                StaffRole::Psychologist | StaffRole::Security => ().into_any(),
            }}
            {role.may_read_workforce().then(|| view! {
                <h2>"Workforce"</h2>
                <ul>
                    <li><a href="/workforce/waves" rel="external" id="home-waves">"Survey waves: group results by unit (groups of at least 5), the heat map and the security view"</a></li>
                    <li><a href="/workforce/champions" rel="external" id="home-champions">"Security champions: employees who chose to step forward, with the strengths they chose to share"</a></li>
                </ul>
            })}
            {role.may_analyse().then(|| view! {
                <h2>"Measurement"</h2>
                <ul>
                    <li><a href="/instruments">"Instruments: versions, drafts and the editor, item analysis and the collected answers (without identities)"</a></li>
                    <li><a href="/norms">"Norm builder: norm tables from your organisation's completed sessions"</a></li>
                    <li><a href="/fairness" rel="external" id="fairness-link">"Fairness check: adverse impact, group differences and item bias (DIF), for groups of at least 5"</a></li>
                </ul>
            })}
            {role.may_recruit().then(|| view! { <RecruitingLinks outbox=role.may_read_outbox() /> })}
        </section>
    }
}

/// The recruiter's way in: campaigns and the outbox.
#[component]
fn RecruitingLinks(outbox: bool) -> impl IntoView {
    view! {
        <h2>"Recruiting"</h2>
        <ul>
            <li><a href="/campaigns" id="home-campaigns">"Campaigns: invite candidates, read their profiles, record decisions"</a></li>
            {outbox.then(|| view! { <li><a href="/outbox">"Outbox: invitation e-mails waiting to be sent by hand"</a></li> })}
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
    view! {
        <Title text="Users" />
        <StaffNav me=me />
        <section class="staff">
            <h1>"Users of " {organisation}</h1>
            {deactivated.then(|| view! { <p class="notice" role="status">"The account was deactivated and signed out everywhere."</p> })}
            {reset.then(|| view! { <p class="notice" role="status">"The second factor was turned off and the person signed out everywhere. They sign in with their password and can set up an authenticator again."</p> })}
            <table class="data" id="users">
                <caption>"Staff accounts"</caption>
                <thead>
                    <tr><th scope="col">"Name"</th><th scope="col">"E-mail"</th><th scope="col">"Role"</th><th scope="col">"Status"</th><th scope="col">"Second factor"</th><th scope="col">"Action"</th></tr>
                </thead>
                <tbody>
                    {users.into_iter().map(|u| {
                        let status = if !u.active { "Deactivated" } else if u.has_password { "Active" } else { "Invited (no password yet)" };
                        let can_deactivate = u.active && u.id != my_id;
                        let action = format!("/admin/users/{}/deactivate", u.id);
                        let label = format!("Deactivate {}", u.name);
                        let can_reset = u.active && u.second_factor && u.id != my_id;
                        let reset_action = format!("/admin/users/{}/reset-second-factor", u.id);
                        let reset_label = format!("Reset the second factor of {}", u.name);
                        view! {
                            <tr>
                                <td>{u.name.clone()}</td>
                                <td>{u.email.clone()}</td>
                                <td>{u.role.label()}</td>
                                <td>{status}</td>
                                <td>{if u.second_factor { "On" } else { "Off" }}</td>
                                <td>
                                    {can_deactivate.then(|| view! {
                                        <form method="post" action=action>
                                            <button type="submit" class="link-button" aria-label=label>"Deactivate"</button>
                                        </form>
                                    })}
                                    {can_reset.then(|| view! {
                                        <form method="post" action=reset_action>
                                            <button type="submit" class="link-button" aria-label=reset_label>"Reset second factor"</button>
                                        </form>
                                    })}
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            <h2 id="invite-heading">"Invite a colleague"</h2>
            <p>"This creates the account and shows a one-time link with which the person sets their own password. Send it to them yourself; it works for 7 days."</p>
            <form method="post" action="/admin/users" class="stacked" aria-labelledby="invite-heading">
                <label for="invite-name">"Name"</label>
                <input id="invite-name" name="name" required maxlength="200" autocomplete="off" />
                <label for="invite-email">"E-mail address"</label>
                <input id="invite-email" name="email" type="email" required maxlength="254" autocomplete="off" />
                <label for="invite-role">"Role"</label>
                <select id="invite-role" name="role">
                    <option value="recruiter">"Recruiter"</option>
                    <option value="psychologist">"Psychologist"</option>
                    <option value="security">"Security lead (workforce results and champions only)"</option>
                    <option value="admin">"Administrator"</option>
                </select>
                <div class="actions">
                    <button type="submit" class="button" id="invite">"Create account"</button>
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
    view! {
        <Title text="Audit log" />
        <StaffNav me=me />
        <section class="staff">
            <h1>"Audit log"</h1>
            <p>"Who did what, and when; the newest entries first. Passwords, tokens and links are never recorded."</p>
            <form method="get" action="/admin/audit" class="filters" aria-label="Filter the audit log">
                <label>"Who" <select name="who"><option value="">"Anyone"</option>{who_options}</select></label>
                <label>"Action" <select name="action"><option value="">"Any"</option>{action_options}</select></label>
                <label>"From" <input type="date" name="from" value=filter.from.clone() /></label>
                <label>"To" <input type="date" name="to" value=filter.to.clone() /></label>
                <button type="submit" class="button">"Show"</button>
            </form>
            <p id="audit-total">{format!("{total} entries match; {shown} shown here.")}</p>
            <table class="data" id="audit">
                <caption>"Audit entries"</caption>
                <thead>
                    <tr><th scope="col">"Time (UTC)"</th><th scope="col">"Who"</th><th scope="col">"Action"</th><th scope="col">"Object"</th></tr>
                </thead>
                <tbody>
                    {lines.into_iter().map(|l| view! {
                        <tr><td>{l.at}</td><td>{l.actor}</td><td>{l.action}</td><td>{l.object}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
            <p class="pager">
                {newest.map(|href| view! { <a href=href id="audit-newest">"Newest entries"</a> " " })}
                {older.map(|href| view! { <a href=href id="audit-older">"Older entries"</a> " " })}
                <a href=csv id="audit-csv" download>"Download these entries (CSV)"</a>
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
