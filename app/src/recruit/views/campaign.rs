//! Campaigns: the list, the form that creates one, and a campaign's page
//! with its candidate list (filter, sortable table).

use leptos::prelude::*;

use crate::recruit::chart;
use crate::recruit::model::{BankOption, CampaignDetail, CampaignPage, CAMPAIGN_PAGE, CandidateQuery, CandidateRow, CandidateStatus, ListPage, NormInfo, SortKey, StatusCounts, Validity, LIST_PAGE, MAX_COMPARE};
use super::{query::{display_name, list_query_string, profile_href, query_escape, sort_link_query}, report::{DEMONSTRATION_BANNER, decision_text, norm_quality_label, norm_sentence, validity_text, yes_no}};

pub(super) fn counts_text(c: &StatusCounts) -> String {
    format!("{} invited, {} started, {} completed, {} expired, {} withdrawn", c.invited, c.started, c.completed, c.expired, c.revoked)
}

/// The organisation's campaigns, a page at a time (`paged`: not the first page).
#[component]
pub fn CampaignListView(page: CampaignPage, paged: bool) -> impl IntoView {
    let CampaignPage { campaigns, listed } = page;
    let shown = campaigns.len();
    let pager = (paged || listed.next_after.is_some()).then(|| view! {
        <nav class="pager" aria-label="Pages of the campaign list">
            {paged.then(|| view! { <a href="/campaigns" id="first-page">"First page"</a> })}
            {listed.next_after.clone().map(|after| view! { <a href=format!("/campaigns?after={}", query_escape(&after)) id="next-page">{format!("Next {CAMPAIGN_PAGE}")}</a> })}
        </nav>
    });
    let table = if campaigns.is_empty() {
        view! { <p>"No campaigns yet. Create one to invite candidates."</p> }.into_any()
    } else {
        view! {
            <table class="data" id="campaigns">
                <caption>{caption("Campaigns", &listed, shown)}", newest first"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Campaign"</th>
                        <th scope="col">"Role family"</th>
                        <th scope="col">"Instruments"</th>
                        <th scope="col">"Candidates"</th>
                        <th scope="col">"Created"</th>
                    </tr>
                </thead>
                <tbody>
                    {campaigns.into_iter().map(|c| view! {
                        <tr>
                            <td><a href=format!("/campaigns/{}", c.id)>{c.name.clone()}</a></td>
                            <td>{c.role_family.clone()}</td>
                            <td><ul class="plain">{c.instruments.iter().map(|i| view! { <li>{i.clone()}</li> }).collect_view()}</ul></td>
                            <td>{counts_text(&c.counts)}</td>
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
            <h1>"Campaigns"</h1>
            <p><a class="button" href="/campaigns/new" id="new-campaign">"New campaign"</a></p>
            {table}
            {pager}
        </section>
    }
}

/// A norm table as the campaign form offers it: group, N, when collected,
/// and either its quality or, for demonstration norms, only that they are
/// not for decisions (a quality word beside that would read as a
/// recommendation).
pub(super) fn norm_option_label(n: &NormInfo) -> String {
    let standing = if n.demonstration { "demonstration norms (simulated respondents), not for decisions".to_string() } else { format!("norm quality: {}", norm_quality_label(&n.quality)) };
    let theta = if n.theta_norms { " · norms for IRT scores" } else { "" };
    format!("{} · N = {} · collected {} to {}{} · {}", n.group, n.n, n.collected_from, n.collected_to, theta, standing)
}

/// "Measures security motivation, ... 36 questions, about 5 minutes when asked in full."
pub(super) fn bank_option_facts(o: &BankOption) -> String {
    let measures = if o.measures.is_empty() { String::new() } else { format!("Measures {}. ", o.measures.join(", ")) };
    let length = if o.adaptive_capable { "when asked in full; fewer when run adaptively" } else { "" };
    let questions = if o.questions == 1 { "1 question".to_string() } else { format!("{} questions", o.questions) };
    format!("{measures}{questions}, about {} minutes{}{}.", o.minutes, if length.is_empty() { "" } else { " " }, length)
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
fn version_choice(o: BankOption, newest: bool) -> impl IntoView {
    let key = format!("{}@{}", o.instrument, o.version);
    let id = chart::dom_id(&["bank", &key]);
    let norm_id = format!("{id}-norm");
    let scoring_id = format!("{id}-scoring");
    let scoring_select = o.adaptive_capable.then(|| view! {
        <label for=scoring_id.clone()>{format!("Scores of {} {} when it runs in full (not adaptively)", o.title, o.version)}</label>
        <select id=scoring_id name=format!("scoring:{key}")>
            <option value="ctt">"Classical (CTT): the mean of the answers"</option>
            <option value="irt">"IRT (EAP): from the item parameters, also scores incomplete answers"</option>
        </select>
    });
    let norm_select = if o.norms.is_empty() {
        view! { <p class="small">"No norm table is published for this version: its scales will not be compared with a norm group."</p> }.into_any()
    } else {
        view! {
            <label for=norm_id.clone()>{format!("Norm group for {} {}", o.title, o.version)}</label>
            <select id=norm_id name=format!("norm:{key}")>
                {o.norms.iter().map(|n| view! { <option value=n.id.clone()>{norm_option_label(n)}</option> }).collect_view()}
            </select>
        }
        .into_any()
    };
    view! {
        <div class="bank-version">
            <label class="choice" for=id.clone()>
                <input type="radio" id=id.clone() name=format!("version:{}", o.instrument) value=o.version.clone() checked=newest />
                " " {format!("Version {}", o.version)}
                {o.adaptive_capable.then(|| view! { <span class="small">" (can run adaptively)"</span> })}
                {o.demonstration_parameters.then(|| view! { <span class="small">" (demonstration IRT parameters - not for decisions)"</span> })}
                {match o.newer_version.clone() {
                    None => view! { <span class="small newest">" (newest version)"</span> }.into_any(),
                    Some(v) => view! { <span class="small older">{format!(" (older version: {v} is newer)")}</span> }.into_any(),
                }}
            </label>
            <p class="small bank-facts" id=format!("{id}-facts")>{bank_option_facts(&o)}</p>
            {norm_select}
            {scoring_select}
        </div>
    }
}

/// The form that creates a campaign (posts to `/campaigns`): per instrument,
/// whether to use it and which version (the newest chosen to begin with).
#[component]
pub fn NewCampaignView(options: Vec<BankOption>) -> impl IntoView {
    let banks = if options.is_empty() {
        view! { <p class="notice">"No published item bank is available yet, so a campaign cannot be created."</p> }.into_any()
    } else {
        by_instrument(options)
            .into_iter()
            .map(|versions| {
                let (instrument, title) = (versions[0].instrument.clone(), versions[0].title.clone());
                let use_id = chart::dom_id(&["use", &instrument]);
                let legend = if versions.len() > 1 { format!("Version of {title}") } else { format!("{title}: its version") };
                view! {
                    <div class="bank-option">
                        <label class="choice" for=use_id.clone()>
                            <input type="checkbox" id=use_id.clone() name="use" value=instrument.clone() />
                            " " <strong>{format!("Use the {title}")}</strong>
                        </label>
                        <fieldset class="versions">
                            <legend>{legend}</legend>
                            {versions.into_iter().enumerate().map(|(i, o)| version_choice(o, i == 0)).collect_view()}
                        </fieldset>
                    </div>
                }
            })
            .collect_view()
            .into_any()
    };
    view! {
        <section class="staff">
            <p class="breadcrumb"><a href="/campaigns">"Campaigns"</a></p>
            <h1>"New campaign"</h1>
            <form method="post" action="/campaigns" class="stacked campaign-form">
                <label for="campaign-name">"Name"</label>
                <input id="campaign-name" name="name" required maxlength="200" autocomplete="off" />
                <label for="role-family">"Role family"</label>
                <input id="role-family" name="role_family" required maxlength="200" autocomplete="off" />
                <p class="small">"For example \"Security operations\". It helps you choose a norm group of comparable people."</p>
                <fieldset>
                    <legend>"Instruments and norm groups"</legend>
                    <p class="small">"Tick each instrument the candidates should take, choose its version (the newest is chosen to begin with) and the group their scores are compared with. Norm groups marked as demonstration norms come from simulated respondents and are not for decisions."</p>
                    {banks}
                </fieldset>
                <label for="time-limit">"Time limit in minutes (leave empty for none)"</label>
                <input id="time-limit" name="time_limit_minutes" type="number" min="1" max="600" inputmode="numeric" />
                <label class="choice" for="adaptive">
                    <input type="checkbox" id="adaptive" name="adaptive" value="on" />
                    " Adaptive testing"
                </label>
                <p class="small">"Applies only to banks with IRT parameters (marked \"can run adaptively\"): each candidate gets the items that tell most about them, so the assessment is shorter. Other banks run in full."</p>
                <label class="choice" for="confirm-demonstration">
                    <input type="checkbox" id="confirm-demonstration" name="confirm_demonstration" value="on" />
                    " I understand that banks marked \"demonstration IRT parameters\" were calibrated on simulated respondents: adaptive or IRT scores from them are for trying Vigil, not for decisions"
                </label>
                <label class="choice" for="candidate-feedback">
                    <input type="checkbox" id="candidate-feedback" name="candidate_feedback" value="on" />
                    " Show candidates a short summary of their own results when they finish"
                </label>
                <label for="invitation-days">"Invitation links work for (days)"</label>
                <input id="invitation-days" name="invitation_days" type="number" min="1" max="90" value="14" required inputmode="numeric" />
                <label for="reminder-days">"Remind candidates who have not finished, this many days before their link runs out (leave empty for no automatic reminder)"</label>
                <input id="reminder-days" name="reminder_days" type="number" min="1" max="30" value="3" inputmode="numeric" aria-describedby="reminder-days-help" />
                <p class="small" id="reminder-days-help">"Each candidate gets at most one automatic reminder, with a new link that works until the same day, and none within a day of another e-mail from Vigil."</p>
                <div class="actions">
                    <button type="submit" class="button" id="create-campaign">"Create campaign"</button>
                </div>
            </form>
        </section>
    }
}

/// The filter and order form of the candidate list (GET).
#[component]
pub fn CandidateFilter(campaign_id: String, query: CandidateQuery) -> impl IntoView {
    let action = format!("/campaigns/{campaign_id}");
    view! {
        <form method="get" action=action class="filters" role="search" aria-label="Filter candidates">
            <div>
                <label for="filter-status">"Status"</label>
                <select id="filter-status" name="status">
                    <option value="" selected=query.status.is_none()>"Any"</option>
                    {CandidateStatus::ALL.into_iter().map(|s| view! {
                        <option value=s.as_str() selected={query.status == Some(s)}>{s.label()}</option>
                    }).collect_view()}
                </select>
            </div>
            <div>
                <label for="filter-validity">"Validity"</label>
                <select id="filter-validity" name="validity">
                    <option value="" selected=query.validity.is_none()>"Any"</option>
                    {[Validity::Ok, Validity::Caution, Validity::Invalid].into_iter().map(|v| view! {
                        <option value=v.as_str() selected={query.validity == Some(v)}>{v.label()}</option>
                    }).collect_view()}
                </select>
            </div>
            <div>
                <label for="filter-q">"Name or e-mail"</label>
                <input id="filter-q" name="q" type="search" maxlength="200" value=query.search.clone().unwrap_or_default() />
            </div>
            <div>
                <label for="filter-sort">"Sort by"</label>
                <select id="filter-sort" name="sort">
                    {SortKey::ALL.into_iter().map(|k| view! {
                        <option value=k.as_str() selected={query.sort == k}>{sort_label(k)}</option>
                    }).collect_view()}
                </select>
            </div>
            <div>
                <label class="choice" for="filter-desc">
                    <input type="checkbox" id="filter-desc" name="desc" value="1" checked=query.descending />
                    " Descending"
                </label>
            </div>
            <div><button type="submit" class="button secondary">"Apply"</button></div>
        </form>
    }
}

pub(super) fn sort_label(k: SortKey) -> &'static str {
    match k {
        SortKey::Name => "Name",
        SortKey::Status => "Status",
        SortKey::Invited => "Invited",
        SortKey::Completed => "Completed",
        SortKey::Validity => "Validity",
        SortKey::Decision => "Decision",
    }
}

/// "Candidates (10004; 101 to 200 shown)", or "Candidates (12)" when one page holds them all.
pub fn caption(what: &str, listed: &ListPage, shown: usize) -> String {
    if shown as u32 >= listed.total && listed.from <= 1 {
        format!("{what} ({})", listed.total)
    } else {
        format!("{what} ({}; {} to {} shown)", listed.total, listed.from, listed.from as usize + shown.saturating_sub(1))
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
) -> impl IntoView {
    let base = format!("/campaigns/{campaign_id}");
    let listed = listed.unwrap_or(ListPage { total: rows.len() as u32, from: 1, next_after: None });
    let header = |key: SortKey| {
        let sorted = (query.sort == key).then_some(if query.descending { "descending" } else { "ascending" });
        let href = format!("{base}?{}", list_query_string(&sort_link_query(&query, key)));
        let hint = match sorted {
            Some("ascending") => " (sorted ascending)",
            Some(_) => " (sorted descending)",
            None => "",
        };
        view! {
            <th scope="col" aria-sort=sorted><a href=href>{sort_label(key)}</a><span class="visually-hidden">{hint}</span></th>
        }
    };
    if rows.is_empty() {
        let filtered = query.status.is_some() || query.validity.is_some() || query.search.is_some();
        return view! {
            <p id="no-candidates">{if filtered { "No candidate matches this filter." } else { "No candidates yet. Invite the first one below." }}</p>
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
            let select_label = format!("Select {name} for comparison");
            view! {
                <tr>
                    <td>
                        {comparable.then(|| view! { <input type="checkbox" name="c" value=r.invitation_id.clone() aria-label=select_label /> })}
                    </td>
                    <td><a href=href>{name}</a>{(!r.name.trim().is_empty()).then(|| view! { <br /><span class="small">{r.email.clone()}</span> })}</td>
                    <td>{r.status.label()}</td>
                    <td>{r.invited_at.clone()}</td>
                    <td>{r.completed_at.clone().unwrap_or_default()}</td>
                    <td>
                        {(!r.headline.is_empty()).then(|| view! {
                            <ul class="headline">
                                {r.headline.iter().map(|h| view! {
                                    <li>{format!("{}: {}, T {} ({} to {})", h.scale_name, h.band.label(), h.t, h.t_band[0], h.t_band[1])}</li>
                                }).collect_view()}
                            </ul>
                        })}
                    </td>
                    <td>{validity_text(r.validity)}</td>
                    <td>{decision_text(r.decision)}</td>
                </tr>
            }
        })
        .collect_view();
    let here = list_query_string(&query);
    let pager = (query.after.is_some() || listed.next_after.is_some()).then(|| view! {
        <nav class="pager" aria-label="Pages of the candidate list">
            {query.after.is_some().then(|| view! { <a href=format!("{base}?{here}") id="first-page">"First page"</a> })}
            {listed.next_after.clone().map(|after| view! { <a href=format!("{base}?{here}&after={}", query_escape(&after)) id="next-page">{format!("Next {LIST_PAGE}")}</a> })}
        </nav>
    });
    view! {
        <form method="get" action=format!("{base}/compare") class="compare-form">
            <table class="data candidates" id="candidates">
                <caption>{caption("Candidates", &listed, count)}</caption>
                <thead>
                    <tr>
                        <th scope="col"><span class="visually-hidden">"Select for comparison"</span></th>
                        {header(SortKey::Name)}
                        {header(SortKey::Status)}
                        {header(SortKey::Invited)}
                        {header(SortKey::Completed)}
                        <th scope="col">"Headline (T, 90% band)"</th>
                        {header(SortKey::Validity)}
                        {header(SortKey::Decision)}
                    </tr>
                </thead>
                <tbody>{body}</tbody>
            </table>
            {pager}
            <div class="actions">
                <button type="submit" class="button secondary" id="compare">{format!("Compare selected (up to {MAX_COMPARE})")}</button>
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
pub fn CampaignView(detail: CampaignDetail, rows: Vec<CandidateRow>, query: CandidateQuery, notices: CampaignNotices) -> impl IntoView {
    let CampaignDetail { summary, battery, listed } = detail;
    let id = summary.id.clone();
    let invited_message = match notices.invited {
        0 => None,
        1 => Some("The invitation was created. The e-mail was sent, or placed in the outbox if no mail server is configured.".to_string()),
        n => Some(format!("{n} invitations were created. The e-mails were sent, or placed in the outbox if no mail server is configured.")),
    };
    let reminded_message = notices.reminded.map(|n| match n {
        0 => "No reminder was sent: nobody was due one.".to_string(),
        1 => "1 reminder with a new link was sent, or placed in the outbox if no mail server is configured.".to_string(),
        n => format!("{n} reminders with new links were sent, or placed in the outbox if no mail server is configured."),
    });
    let unfinished = summary.counts.invited + summary.counts.started;
    let battery_rows = battery
        .into_iter()
        .map(|b| {
            let norm = match &b.norm {
                Some(n) => view! {
                    {n.demonstration.then(|| view! { <strong class="demo-tag">{DEMONSTRATION_BANNER}</strong><br /> })}
                    {norm_sentence(n)}
                }
                .into_any(),
                None => view! { "No norm group" }.into_any(),
            };
            view! {
                <tr>
                    <td>{b.title.clone()}</td>
                    <td>{b.version.clone()}</td>
                    <td>{norm}</td>
                    <td>{if b.adaptive { "Adaptive" } else { "Full length" }}</td>
                </tr>
            }
        })
        .collect_view();
    let time_limit = summary.time_limit_minutes.map(|m| format!("{m} minutes")).unwrap_or_else(|| "None".to_string());
    view! {
        <section class="staff campaign">
            <p class="breadcrumb"><a href="/campaigns">"Campaigns"</a></p>
            <h1>{summary.name.clone()}</h1>
            {notices.created.then(|| view! { <p class="notice" role="status">"The campaign was created. Invite candidates below."</p> })}
            {invited_message.map(|m| view! { <p class="notice" role="status">{m}</p> })}
            {reminded_message.map(|m| view! { <p class="notice" role="status" id="reminded">{m}</p> })}
            {notices.reminder_changed.then(|| view! { <p class="notice" role="status">"The automatic reminder was changed."</p> })}
            <dl class="facts">
                <dt>"Role family"</dt><dd>{summary.role_family.clone()}</dd>
                <dt>"Created"</dt><dd>{summary.created_on.clone()}</dd>
                <dt>"Time limit"</dt><dd>{time_limit}</dd>
                <dt>"Adaptive testing"</dt><dd>{yes_no(summary.adaptive)}</dd>
                <dt>"Feedback to candidates"</dt><dd>{yes_no(summary.candidate_feedback)}</dd>
                <dt>"Invitation links work for"</dt><dd>{format!("{} days", summary.invitation_days)}</dd>
                <dt>"Automatic reminder"</dt><dd id="automatic-reminder">{summary.reminder_days.map_or_else(|| "None".to_string(), |d| format!("{d} day(s) before the link runs out"))}</dd>
                <dt>"Candidates"</dt><dd>{counts_text(&summary.counts)}</dd>
            </dl>
            <form method="post" action=format!("/campaigns/{id}/automatic-reminder") class="stacked" aria-label="Automatic reminder">
                <label for="change-reminder-days">"Automatic reminder: days before the link runs out (empty: none)"</label>
                <input id="change-reminder-days" name="reminder_days" type="number" min="1" max="30" inputmode="numeric" value=summary.reminder_days.map(|d| d.to_string()).unwrap_or_default() />
                <div class="actions">
                    <button type="submit" class="button secondary" id="change-reminder">"Change the automatic reminder"</button>
                </div>
            </form>
            <table class="data" id="battery">
                <caption>"Battery"</caption>
                <thead>
                    <tr><th scope="col">"Instrument"</th><th scope="col">"Version"</th><th scope="col">"Norm group"</th><th scope="col">"Mode"</th></tr>
                </thead>
                <tbody>{battery_rows}</tbody>
            </table>

            <h2>"Candidates"</h2>
            <CandidateFilter campaign_id=id.clone() query=query.clone() />
            <CandidateTable campaign_id=id.clone() rows query listed />
            <p><a href=format!("/campaigns/{id}/export.csv") id="export-csv">"Export the candidate list (CSV)"</a></p>
            {(unfinished > 0).then(|| view! {
                <p><a href=format!("/campaigns/{id}/reminders") id="remind-unfinished">{format!("Remind candidates who have not finished ({unfinished})")}</a>" (you see who gets one before anything is sent)"</p>
            })}

            <h2 id="invite-heading">"Invite a candidate"</h2>
            <form method="post" action=format!("/campaigns/{id}/invitations") class="stacked" aria-labelledby="invite-heading">
                <label for="invite-name">"Name"</label>
                <input id="invite-name" name="name" maxlength="200" autocomplete="off" />
                <label for="invite-email">"E-mail address"</label>
                <input id="invite-email" name="email" type="email" required maxlength="254" autocomplete="off" />
                <label for="invite-language">"Language of the assessment"</label>
                <select id="invite-language" name="language">
                    <option value="en">"English"</option>
                    <option value="de">"German (Deutsch)"</option>
                </select>
                <div class="actions">
                    <button type="submit" class="button" id="invite">"Send invitation"</button>
                </div>
            </form>

            <h2 id="upload-heading">"Invite several candidates from a file"</h2>
            <p>"A CSV file in UTF-8 with the header line " <code>"name,email,language"</code> ", then one candidate per line. Fields may be separated by commas or semicolons; the language is " <code>"en"</code> " or " <code>"de"</code> "."</p>
            <form method="post" action=format!("/campaigns/{id}/invitations/upload") enctype="multipart/form-data" class="stacked" aria-labelledby="upload-heading">
                <label for="upload-file">"CSV file"</label>
                <input id="upload-file" name="file" type="file" accept=".csv,text/csv" required />
                <div class="actions">
                    <button type="submit" class="button secondary" id="upload">"Upload and invite"</button>
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
        let label = norm_option_label(&norm(true, "excellent"));
        assert_eq!(label, "Working adults · N = 1200 · collected 2026-01-01 to 2026-03-31 · demonstration norms (simulated respondents), not for decisions");
        let real = norm_option_label(&norm(false, "good"));
        assert!(real.ends_with("collected 2026-01-01 to 2026-03-31 · norm quality: good"), "{real}");
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
        assert_eq!(bank_option_facts(&option), "Measures Security motivation, Rule orientation. 36 questions, about 5 minutes when asked in full; fewer when run adaptively.");
        let fixed = BankOption { adaptive_capable: false, measures: vec![], questions: 1, ..option };
        assert_eq!(bank_option_facts(&fixed), "1 question, about 5 minutes.");
    }
}
