//! Campaigns: the list, the form that creates one, and a campaign's page
//! with its candidate list (filter, sortable table).

use leptos::prelude::*;

use crate::i18n::{fill, staff_text, StaffText};
use crate::recruit::chart;
use crate::recruit::model::{BankOption, CampaignDetail, CampaignPage, CAMPAIGN_PAGE, CandidateQuery, CandidateRow, CandidateStatus, ListPage, NormInfo, SortKey, StatusCounts, Validity, LIST_PAGE, MAX_COMPARE};
use super::{query::{display_name, list_query_string, profile_href, query_escape, sort_link_query}, report::{decision_text, norm_quality_label, norm_sentence, validity_text, yes_no}};

pub(super) fn counts_text(t: &StaffText, c: &StatusCounts) -> String {
    let n = |x: u32| x.to_string();
    fill(t.campaign_counts, &[("invited", &n(c.invited)), ("started", &n(c.started)), ("completed", &n(c.completed)), ("expired", &n(c.expired)), ("revoked", &n(c.revoked))])
}

/// The organisation's campaigns, a page at a time (`paged`: not the first page).
#[component]
pub fn CampaignListView(page: CampaignPage, paged: bool, #[prop(into)] lang: String) -> impl IntoView {
    let t = staff_text(&lang);
    let CampaignPage { campaigns, listed } = page;
    let shown = campaigns.len();
    let pager = (paged || listed.next_after.is_some()).then(|| view! {
        <nav class="pager" aria-label=t.campaigns_pages>
            {paged.then(|| view! { <a href="/campaigns" id="first-page">{t.first_page}</a> })}
            {listed.next_after.clone().map(|after| view! { <a href=format!("/campaigns?after={}", query_escape(&after)) id="next-page">{fill(t.next_page, &[("n", &CAMPAIGN_PAGE.to_string())])}</a> })}
        </nav>
    });
    let table = if campaigns.is_empty() {
        view! { <p>{t.campaigns_none}</p> }.into_any()
    } else {
        view! {
            <table class="data" id="campaigns">
                <caption>{caption(t, t.nav_campaigns, &listed, shown)}{t.newest_first}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t.campaign}</th>
                        <th scope="col">{t.role_family}</th>
                        <th scope="col">{t.instruments}</th>
                        <th scope="col">{t.candidates}</th>
                        <th scope="col">{t.created}</th>
                    </tr>
                </thead>
                <tbody>
                    {campaigns.into_iter().map(|c| view! {
                        <tr>
                            <td><a href=format!("/campaigns/{}", c.id)>{c.name.clone()}</a></td>
                            <td>{c.role_family.clone()}</td>
                            <td><ul class="plain">{c.instruments.iter().map(|i| view! { <li>{i.clone()}</li> }).collect_view()}</ul></td>
                            <td>{counts_text(t, &c.counts)}</td>
                            <td>{c.created_on.clone()}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        }
        .into_any()
    };
    view! {
        <section class="staff">
            <h1>{t.nav_campaigns}</h1>
            <p><a class="button" href="/campaigns/new" id="new-campaign">{t.new_campaign}</a></p>
            {table}
            {pager}
        </section>
    }
}

/// A norm table as the campaign form offers it: group, N, when collected,
/// and either its quality or, for demonstration norms, only that they are
/// not for decisions (a quality word beside that would read as a
/// recommendation).
pub(super) fn norm_option_label(t: &StaffText, n: &NormInfo) -> String {
    let standing = if n.demonstration { t.norm_demonstration.to_string() } else { fill(t.norm_quality_is, &[("quality", &norm_quality_label(t, &n.quality))]) };
    let theta = if n.theta_norms { t.norms_for_irt } else { "" };
    fill(t.norm_option, &[("group", &n.group), ("n", &n.n.to_string()), ("from", &n.collected_from), ("to", &n.collected_to), ("theta", theta), ("standing", &standing)])
}

/// "Measures security motivation, ... 36 questions, about 5 minutes when asked in full."
pub(super) fn bank_option_facts(t: &StaffText, o: &BankOption) -> String {
    let measures = if o.measures.is_empty() { String::new() } else { fill(t.measures, &[("what", &o.measures.join(", "))]) };
    let questions = if o.questions == 1 { t.one_question.to_string() } else { fill(t.questions_n, &[("n", &o.questions.to_string())]) };
    let length = if o.adaptive_capable { t.about_minutes_adaptive } else { t.about_minutes };
    format!("{measures}{}", fill(length, &[("questions", &questions), ("minutes", &o.minutes.to_string())]))
}

/// "1.10.0" as [1, 10, 0], so versions sort by number (1.10.0 after 1.9.0).
fn version_key(version: &str) -> Vec<u64> {
    version.split('.').map(|part| part.parse().unwrap_or(0)).collect()
}

/// The versions of each instrument, instruments in the order they come,
/// each instrument's newest version first.
pub fn by_instrument(options: Vec<BankOption>) -> Vec<Vec<BankOption>> {
    let mut groups: Vec<Vec<BankOption>> = Vec::new();
    for o in options {
        match groups.iter_mut().find(|g| g[0].instrument == o.instrument) {
            Some(group) => group.push(o),
            None => groups.push(vec![o]),
        }
    }
    for group in &mut groups {
        // The newest (no newer version) first, then by version, newest first.
        group.sort_by(|a, b| a.newer_version.is_some().cmp(&b.newer_version.is_some()).then_with(|| version_key(&b.version).cmp(&version_key(&a.version))));
    }
    groups
}

/// One version of an instrument on the form: its radio button (the newest
/// is chosen to begin with), what it is, and its norm and scoring choices.
fn version_choice(t: &'static StaffText, o: BankOption, newest: bool) -> impl IntoView {
    let key = format!("{}@{}", o.instrument, o.version);
    let id = chart::dom_id(&["bank", &key]);
    let norm_id = format!("{id}-norm");
    let scoring_id = format!("{id}-scoring");
    let scoring_select = o.adaptive_capable.then(|| view! {
        <label for=scoring_id.clone()>{fill(t.scores_when_full, &[("title", &o.title), ("version", &o.version)])}</label>
        <select id=scoring_id name=format!("scoring:{key}")>
            <option value="ctt">{t.scoring_ctt}</option>
            <option value="irt">{t.scoring_irt}</option>
        </select>
    });
    let norm_select = if o.norms.is_empty() {
        view! { <p class="small">{t.no_norm_table}</p> }.into_any()
    } else {
        view! {
            <label for=norm_id.clone()>{fill(t.norm_group_for, &[("title", &o.title), ("version", &o.version)])}</label>
            <select id=norm_id name=format!("norm:{key}")>
                {o.norms.iter().map(|n| view! { <option value=n.id.clone()>{norm_option_label(t, n)}</option> }).collect_view()}
            </select>
        }
        .into_any()
    };
    view! {
        <div class="bank-version">
            <label class="choice" for=id.clone()>
                <input type="radio" id=id.clone() name=format!("version:{}", o.instrument) value=o.version.clone() checked=newest />
                " " {fill(t.version_n, &[("version", &o.version)])}
                {o.adaptive_capable.then(|| view! { <span class="small">{t.can_run_adaptively}</span> })}
                {o.demonstration_parameters.then(|| view! { <span class="small">{t.demonstration_parameters}</span> })}
                {match o.newer_version.clone() {
                    None => view! { <span class="small newest">{t.newest_version}</span> }.into_any(),
                    Some(v) => view! { <span class="small older">{fill(t.older_version, &[("newer", &v)])}</span> }.into_any(),
                }}
            </label>
            <p class="small bank-facts" id=format!("{id}-facts")>{bank_option_facts(t, &o)}</p>
            {norm_select}
            {scoring_select}
        </div>
    }
}

/// The form that creates a campaign (posts to `/campaigns`): per instrument,
/// whether to use it and which version (the newest chosen to begin with).
#[component]
pub fn NewCampaignView(options: Vec<BankOption>, #[prop(into)] lang: String) -> impl IntoView {
    let t = staff_text(&lang);
    let banks = if options.is_empty() {
        view! { <p class="notice">{t.no_bank}</p> }.into_any()
    } else {
        by_instrument(options)
            .into_iter()
            .map(|versions| {
                let (instrument, title) = (versions[0].instrument.clone(), versions[0].title.clone());
                let use_id = chart::dom_id(&["use", &instrument]);
                let legend = if versions.len() > 1 { fill(t.version_of, &[("title", &title)]) } else { fill(t.its_version, &[("title", &title)]) };
                view! {
                    <div class="bank-option">
                        <label class="choice" for=use_id.clone()>
                            <input type="checkbox" id=use_id.clone() name="use" value=instrument.clone() />
                            " " <strong>{fill(t.use_the, &[("title", &title)])}</strong>
                        </label>
                        <fieldset class="versions">
                            <legend>{legend}</legend>
                            {versions.into_iter().enumerate().map(|(i, o)| version_choice(t, o, i == 0)).collect_view()}
                        </fieldset>
                    </div>
                }
            })
            .collect_view()
            .into_any()
    };
    view! {
        <section class="staff">
            <p class="breadcrumb"><a href="/campaigns">{t.nav_campaigns}</a></p>
            <h1>{t.new_campaign}</h1>
            <form method="post" action="/campaigns" class="stacked campaign-form">
                <label for="campaign-name">{t.name}</label>
                <input id="campaign-name" name="name" required maxlength="200" autocomplete="off" />
                <label for="role-family">{t.role_family}</label>
                <input id="role-family" name="role_family" required maxlength="200" autocomplete="off" />
                <p class="small">{t.role_family_help}</p>
                <fieldset>
                    <legend>{t.instruments_and_norms}</legend>
                    <p class="small">{t.instruments_help}</p>
                    {banks}
                </fieldset>
                <label for="time-limit">{t.time_limit}</label>
                <input id="time-limit" name="time_limit_minutes" type="number" min="1" max="600" inputmode="numeric" />
                <label class="choice" for="adaptive">
                    <input type="checkbox" id="adaptive" name="adaptive" value="on" />
                    {t.adaptive_testing}
                </label>
                <p class="small">{t.adaptive_help}</p>
                <label class="choice" for="confirm-demonstration">
                    <input type="checkbox" id="confirm-demonstration" name="confirm_demonstration" value="on" />
                    {t.confirm_demonstration}
                </label>
                <label class="choice" for="candidate-feedback">
                    <input type="checkbox" id="candidate-feedback" name="candidate_feedback" value="on" />
                    {t.candidate_feedback}
                </label>
                <label for="invitation-days">{t.invitation_days}</label>
                <input id="invitation-days" name="invitation_days" type="number" min="1" max="90" value="14" required inputmode="numeric" />
                <label for="reminder-days">{t.reminder_days}</label>
                <input id="reminder-days" name="reminder_days" type="number" min="1" max="30" value="3" inputmode="numeric" aria-describedby="reminder-days-help" />
                <p class="small" id="reminder-days-help">{t.reminder_help}</p>
                <div class="actions">
                    <button type="submit" class="button" id="create-campaign">{t.create_campaign}</button>
                </div>
            </form>
        </section>
    }
}

/// The filter and order form of the candidate list (GET).
#[component]
pub fn CandidateFilter(campaign_id: String, query: CandidateQuery, #[prop(into)] lang: String) -> impl IntoView {
    let t = staff_text(&lang);
    let action = format!("/campaigns/{campaign_id}");
    view! {
        <form method="get" action=action class="filters" role="search" aria-label=t.filter_candidates>
            <div>
                <label for="filter-status">{t.status}</label>
                <select id="filter-status" name="status">
                    <option value="" selected=query.status.is_none()>{t.any}</option>
                    {CandidateStatus::ALL.into_iter().map(|s| view! {
                        <option value=s.as_str() selected={query.status == Some(s)}>{s.label_in(t)}</option>
                    }).collect_view()}
                </select>
            </div>
            <div>
                <label for="filter-validity">{t.validity}</label>
                <select id="filter-validity" name="validity">
                    <option value="" selected=query.validity.is_none()>{t.any}</option>
                    {[Validity::Ok, Validity::Caution, Validity::Invalid].into_iter().map(|v| view! {
                        <option value=v.as_str() selected={query.validity == Some(v)}>{v.label_in(t)}</option>
                    }).collect_view()}
                </select>
            </div>
            <div>
                <label for="filter-q">{t.name_or_email}</label>
                <input id="filter-q" name="q" type="search" maxlength="200" value=query.search.clone().unwrap_or_default() />
            </div>
            <div>
                <label for="filter-sort">{t.sort_by}</label>
                <select id="filter-sort" name="sort">
                    {SortKey::ALL.into_iter().map(|k| view! {
                        <option value=k.as_str() selected={query.sort == k}>{sort_label(t, k)}</option>
                    }).collect_view()}
                </select>
            </div>
            <div>
                <label class="choice" for="filter-desc">
                    <input type="checkbox" id="filter-desc" name="desc" value="1" checked=query.descending />
                    {t.descending}
                </label>
            </div>
            <div><button type="submit" class="button secondary">{t.apply}</button></div>
        </form>
    }
}

pub(super) fn sort_label(t: &StaffText, k: SortKey) -> &'static str {
    match k {
        SortKey::Name => t.name,
        SortKey::Status => t.status,
        SortKey::Invited => t.sort_invited,
        SortKey::Completed => t.sort_completed,
        SortKey::Validity => t.validity,
        SortKey::Decision => t.decision,
    }
}

/// "Candidates (10004; 101 to 200 shown)", or "Candidates (12)" when one page holds them all.
pub fn caption(t: &StaffText, what: &str, listed: &ListPage, shown: usize) -> String {
    let total = listed.total.to_string();
    if shown as u32 >= listed.total && listed.from <= 1 {
        fill(t.list_caption_all, &[("what", what), ("total", &total)])
    } else {
        let to = (listed.from as usize + shown.saturating_sub(1)).to_string();
        fill(t.list_caption_part, &[("what", what), ("total", &total), ("from", &listed.from.to_string()), ("to", &to)])
    }
}

/// The candidate list: a table whose headers sort, inside the compare form.
#[component]
pub fn CandidateTable(
    campaign_id: String,
    rows: Vec<CandidateRow>,
    query: CandidateQuery,
    /// Where this page stands (defaults: one page holding every row).
    #[prop(optional)]
    listed: Option<ListPage>,
    /// The reader's language (default English).
    #[prop(optional, into)]
    lang: String,
) -> impl IntoView {
    let t = staff_text(&lang);
    let base = format!("/campaigns/{campaign_id}");
    let listed = listed.unwrap_or(ListPage { total: rows.len() as u32, from: 1, next_after: None });
    let header = |key: SortKey| {
        let sorted = (query.sort == key).then_some(if query.descending { "descending" } else { "ascending" });
        let href = format!("{base}?{}", list_query_string(&sort_link_query(&query, key)));
        let hint = match sorted {
            Some("ascending") => t.sorted_ascending,
            Some(_) => t.sorted_descending,
            None => "",
        };
        view! {
            <th scope="col" aria-sort=sorted><a href=href>{sort_label(t, key)}</a><span class="visually-hidden">{hint}</span></th>
        }
    };
    if rows.is_empty() {
        let filtered = query.status.is_some() || query.validity.is_some() || query.search.is_some();
        return view! {
            <p id="no-candidates">{if filtered { t.no_candidate_matches } else { t.no_candidates_yet }}</p>
        }
        .into_any();
    }
    let count = rows.len();
    let body = rows
        .into_iter()
        .map(|r| {
            let name = display_name(&r.name, &r.email);
            let href = profile_href(&campaign_id, &r.invitation_id);
            let comparable = r.status == CandidateStatus::Completed;
            let select_label = fill(t.select_for_comparison_of, &[("name", &name)]);
            view! {
                <tr>
                    <td>
                        {comparable.then(|| view! { <input type="checkbox" name="c" value=r.invitation_id.clone() aria-label=select_label /> })}
                    </td>
                    <td><a href=href>{name}</a>{(!r.name.trim().is_empty()).then(|| view! { <br /><span class="small">{r.email.clone()}</span> })}</td>
                    <td>{r.status.label_in(t)}</td>
                    <td>{r.invited_at.clone()}</td>
                    <td>{r.completed_at.clone().unwrap_or_default()}</td>
                    <td>
                        {(!r.headline.is_empty()).then(|| view! {
                            <ul class="headline">
                                {r.headline.iter().map(|h| view! {
                                    <li>{fill(t.headline_line, &[("scale", &h.scale_name), ("band", h.band.label_in(t)), ("t", &h.t.to_string()), ("low", &h.t_band[0].to_string()), ("high", &h.t_band[1].to_string())])}</li>
                                }).collect_view()}
                            </ul>
                        })}
                    </td>
                    <td>{validity_text(t, r.validity)}</td>
                    <td>{decision_text(t, r.decision)}</td>
                </tr>
            }
        })
        .collect_view();
    let here = list_query_string(&query);
    let pager = (query.after.is_some() || listed.next_after.is_some()).then(|| view! {
        <nav class="pager" aria-label=t.candidates_pages>
            {query.after.is_some().then(|| view! { <a href=format!("{base}?{here}") id="first-page">{t.first_page}</a> })}
            {listed.next_after.clone().map(|after| view! { <a href=format!("{base}?{here}&after={}", query_escape(&after)) id="next-page">{fill(t.next_page, &[("n", &LIST_PAGE.to_string())])}</a> })}
        </nav>
    });
    view! {
        <form method="get" action=format!("{base}/compare") class="compare-form">
            <table class="data candidates" id="candidates">
                <caption>{caption(t, t.candidates, &listed, count)}</caption>
                <thead>
                    <tr>
                        <th scope="col"><span class="visually-hidden">{t.select_for_comparison}</span></th>
                        {header(SortKey::Name)}
                        {header(SortKey::Status)}
                        {header(SortKey::Invited)}
                        {header(SortKey::Completed)}
                        <th scope="col">{t.headline}</th>
                        {header(SortKey::Validity)}
                        {header(SortKey::Decision)}
                    </tr>
                </thead>
                <tbody>{body}</tbody>
            </table>
            {pager}
            <div class="actions">
                <button type="submit" class="button secondary" id="compare">{fill(t.compare_selected, &[("n", &MAX_COMPARE.to_string())])}</button>
            </div>
        </form>
    }
    .into_any()
}

/// Notices after a form on the campaign page redirected back.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CampaignNotices {
    pub created: bool,
    /// How many invitations were just created (0: none).
    pub invited: u32,
    /// How many reminders were just sent (`None`: no reminders were asked for).
    pub reminded: Option<u32>,
    /// The automatic reminder was just changed.
    pub reminder_changed: bool,
}

/// A campaign: battery, settings, candidates, invitations and exports.
#[component]
pub fn CampaignView(detail: CampaignDetail, rows: Vec<CandidateRow>, query: CandidateQuery, notices: CampaignNotices, #[prop(into)] lang: String) -> impl IntoView {
    let t = staff_text(&lang);
    let CampaignDetail { summary, battery, listed } = detail;
    let id = summary.id.clone();
    let invited_message = match notices.invited {
        0 => None,
        1 => Some(t.invitation_created.to_string()),
        n => Some(fill(t.invitations_created, &[("n", &n.to_string())])),
    };
    let reminded_message = notices.reminded.map(|n| match n {
        0 => t.no_reminder_due.to_string(),
        1 => t.one_reminder.to_string(),
        n => fill(t.reminders_sent, &[("n", &n.to_string())]),
    });
    let unfinished = summary.counts.invited + summary.counts.started;
    let battery_rows = battery
        .into_iter()
        .map(|b| {
            let norm = match &b.norm {
                Some(n) => view! {
                    {n.demonstration.then(|| view! { <strong class="demo-tag">{t.demonstration_banner}</strong><br /> })}
                    {norm_sentence(t, n)}
                }
                .into_any(),
                None => view! { {t.no_norm_group} }.into_any(),
            };
            view! {
                <tr>
                    <td>{b.title.clone()}</td>
                    <td>{b.version.clone()}</td>
                    <td>{norm}</td>
                    <td>{if b.adaptive { t.mode_adaptive } else { t.mode_full }}</td>
                </tr>
            }
        })
        .collect_view();
    let time_limit = summary.time_limit_minutes.map_or_else(|| t.none.to_string(), |m| fill(t.minutes_n, &[("n", &m.to_string())]));
    view! {
        <section class="staff campaign">
            <p class="breadcrumb"><a href="/campaigns">{t.nav_campaigns}</a></p>
            <h1>{summary.name.clone()}</h1>
            {notices.created.then(|| view! { <p class="notice" role="status">{t.campaign_created}</p> })}
            {invited_message.map(|m| view! { <p class="notice" role="status">{m}</p> })}
            {reminded_message.map(|m| view! { <p class="notice" role="status" id="reminded">{m}</p> })}
            {notices.reminder_changed.then(|| view! { <p class="notice" role="status">{t.reminder_changed}</p> })}
            <dl class="facts">
                <dt>{t.role_family}</dt><dd>{summary.role_family.clone()}</dd>
                <dt>{t.created}</dt><dd>{summary.created_on.clone()}</dd>
                <dt>{t.time_limit_short}</dt><dd>{time_limit}</dd>
                <dt>{t.adaptive_short}</dt><dd>{yes_no(t, summary.adaptive)}</dd>
                <dt>{t.feedback_to_candidates}</dt><dd>{yes_no(t, summary.candidate_feedback)}</dd>
                <dt>{t.links_work_for}</dt><dd>{fill(t.days_n, &[("n", &summary.invitation_days.to_string())])}</dd>
                <dt>{t.automatic_reminder}</dt><dd id="automatic-reminder">{summary.reminder_days.map_or_else(|| t.none.to_string(), |d| fill(t.reminder_days_before, &[("n", &d.to_string())]))}</dd>
                <dt>{t.candidates}</dt><dd>{counts_text(t, &summary.counts)}</dd>
            </dl>
            <form method="post" action=format!("/campaigns/{id}/automatic-reminder") class="stacked" aria-label=t.automatic_reminder>
                <label for="change-reminder-days">{t.change_reminder_label}</label>
                <input id="change-reminder-days" name="reminder_days" type="number" min="1" max="30" inputmode="numeric" value=summary.reminder_days.map(|d| d.to_string()).unwrap_or_default() />
                <div class="actions">
                    <button type="submit" class="button secondary" id="change-reminder">{t.change_reminder}</button>
                </div>
            </form>
            <table class="data" id="battery">
                <caption>{t.battery}</caption>
                <thead>
                    <tr><th scope="col">{t.instrument}</th><th scope="col">{t.version}</th><th scope="col">{t.norm_group}</th><th scope="col">{t.mode}</th></tr>
                </thead>
                <tbody>{battery_rows}</tbody>
            </table>

            <h2>{t.candidates}</h2>
            <CandidateFilter campaign_id=id.clone() query=query.clone() lang=lang.clone() />
            <CandidateTable campaign_id=id.clone() rows query listed lang=lang.clone() />
            <p><a href=format!("/campaigns/{id}/export.csv") id="export-csv">{t.export_csv}</a></p>
            {(unfinished > 0).then(|| view! {
                <p><a href=format!("/campaigns/{id}/reminders") id="remind-unfinished">{fill(t.remind_unfinished, &[("n", &unfinished.to_string())])}</a>{t.remind_note}</p>
            })}

            <h2 id="invite-heading">{t.invite_candidate}</h2>
            <form method="post" action=format!("/campaigns/{id}/invitations") class="stacked" aria-labelledby="invite-heading">
                <label for="invite-name">{t.name}</label>
                <input id="invite-name" name="name" maxlength="200" autocomplete="off" />
                <label for="invite-email">{t.email_address}</label>
                <input id="invite-email" name="email" type="email" required maxlength="254" autocomplete="off" />
                <label for="invite-language">{t.assessment_language}</label>
                <select id="invite-language" name="language">
                    <option value="en">{t.english}</option>
                    <option value="de">{t.german}</option>
                </select>
                <div class="actions">
                    <button type="submit" class="button" id="invite">{t.send_invitation}</button>
                </div>
            </form>

            <h2 id="upload-heading">{t.invite_from_file}</h2>
            <p>{t.file_help_1} <code>"name,email,language"</code> {t.file_help_2} <code>"en"</code> {t.file_help_or} <code>"de"</code> "."</p>
            <form method="post" action=format!("/campaigns/{id}/invitations/upload") enctype="multipart/form-data" class="stacked" aria-labelledby="upload-heading">
                <label for="upload-file">{t.csv_file}</label>
                <input id="upload-file" name="file" type="file" accept=".csv,text/csv" required />
                <div class="actions">
                    <button type="submit" class="button secondary" id="upload">{t.upload_and_invite}</button>
                </div>
            </form>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norm(demonstration: bool, quality: &str) -> NormInfo {
        NormInfo {
            id: "t".into(),
            group: "Working adults".into(),
            country: "DE".into(),
            role_family: "security".into(),
            collected_from: "2026-01-01".into(),
            collected_to: "2026-03-31".into(),
            n: 1200,
            quality: quality.into(),
            demonstration,
            theta_norms: false,
        }
    }

    #[test]
    fn a_demonstration_norm_table_is_offered_without_a_quality_word() {
        let en = staff_text("en");
        let label = norm_option_label(en, &norm(true, "excellent"));
        assert_eq!(label, "Working adults · N = 1200 · collected 2026-01-01 to 2026-03-31 · demonstration norms (simulated respondents), not for decisions");
        let real = norm_option_label(en, &norm(false, "good"));
        assert!(real.ends_with("collected 2026-01-01 to 2026-03-31 · norm quality: good"), "{real}");
        let german = norm_option_label(staff_text("de"), &norm(true, "excellent"));
        assert_eq!(german, "Working adults · N = 1200 · erhoben 2026-01-01 bis 2026-03-31 · Demonstrationsnormen (simulierte Teilnehmende), nicht für Entscheidungen");
    }

    fn option(version: &str, newer: Option<&str>) -> BankOption {
        BankOption {
            instrument: "svi".into(), version: version.into(), title: "SVI".into(), adaptive_capable: false, demonstration_parameters: false,
            norms: Vec::new(), newer_version: newer.map(str::to_string), measures: Vec::new(), questions: 1, minutes: 1,
        }
    }

    #[test]
    fn each_instrument_lists_its_newest_version_first() {
        let mut sjs = option("1.0.0", None);
        sjs.instrument = "sjs".into();
        let groups = by_instrument(vec![option("1.0.0", Some("1.10.0")), sjs, option("1.10.0", None), option("1.9.0", Some("1.10.0"))]);
        let versions: Vec<Vec<&str>> = groups.iter().map(|g| g.iter().map(|o| o.version.as_str()).collect()).collect();
        assert_eq!(versions, vec![vec!["1.10.0", "1.9.0", "1.0.0"], vec!["1.0.0"]]);
    }

    #[test]
    fn an_instrument_says_what_it_measures_and_how_long_it_takes() {
        let option = BankOption {
            instrument: "svi".into(),
            version: "1.1.0".into(),
            title: "Security Values Inventory".into(),
            adaptive_capable: true,
            demonstration_parameters: true,
            norms: vec![],
            newer_version: None,
            measures: vec!["Security motivation".into(), "Rule orientation".into()],
            questions: 36,
            minutes: 5,
        };
        let en = staff_text("en");
        assert_eq!(bank_option_facts(en, &option), "Measures Security motivation, Rule orientation. 36 questions, about 5 minutes when asked in full; fewer when run adaptively.");
        let fixed = BankOption { adaptive_capable: false, measures: vec![], questions: 1, ..option };
        assert_eq!(bank_option_facts(en, &fixed), "1 question, about 5 minutes.");
        assert_eq!(bank_option_facts(staff_text("de"), &fixed), "1 Frage, etwa 5 Minuten.");
    }
}
