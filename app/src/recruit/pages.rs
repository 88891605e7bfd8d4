//! The recruiter pages: server functions that load the data, and the route
//! components that put the views of `views.rs` inside the staff frame.
//!
//! Each server function asks who is signed in (`current`, which also sets
//! `Cache-Control: no-store`), checks `StaffRole::may_recruit` (or
//! `may_read_outbox`), calls one `RecruitServices` method and sets the HTTP
//! status of an error (`with_status`). Routes use `SsrMode::Async`, so a
//! redirect to `/login` or an error status is set before the page is sent.

use leptos::prelude::*;
use leptos_meta::{Html, Title};
use leptos_router::hooks::{use_params_map, use_query_map};

use super::model::{BankOption, CampaignDetail, CampaignPage, CandidateQuery, CandidateRow, OutboxPage, OutboxQuery, Profile};
use super::views::{
    compare_ids, display_name, parse_candidate_query, CampaignListView, CampaignNotices, CampaignView, CompareChoiceView,
    CompareView, NewCampaignView, OutboxView, PrintProfileView, ProfileNotices, ProfileView,
};
use crate::i18n::{fill, staff_text};
use crate::staff::model::StaffMe;
use crate::staff::pages::{problem_view, StaffNav};
use crate::AppError;

#[cfg(feature = "ssr")]
use super::ports::recruit_services;
#[cfg(feature = "ssr")]
use crate::staff::pages::{current, with_status};

/// The signed-in caller, if their role may recruit.
#[cfg(feature = "ssr")]
async fn recruiter() -> Result<StaffMe, AppError> {
    let me = current().await?;
    if me.role.may_recruit() {
        Ok(me)
    } else {
        Err(AppError::Forbidden)
    }
}

/// The caller and their organisation's campaigns.
#[server(prefix = "/api", endpoint = "recruit_campaigns")]
pub async fn load_campaigns(after: Option<String>) -> Result<(StaffMe, CampaignPage), AppError> {
    with_status(
        async {
            let me = recruiter().await?;
            let after = after.filter(|a| !a.is_empty() && a.len() <= 64);
            let campaigns = recruit_services()?.campaigns(&me, after).await?;
            Ok((me, campaigns))
        }
        .await,
    )
}

/// The caller and the bank versions a new campaign may use.
#[server(prefix = "/api", endpoint = "recruit_bank_options")]
pub async fn load_bank_options() -> Result<(StaffMe, Vec<BankOption>), AppError> {
    with_status(
        async {
            let me = recruiter().await?;
            let options = recruit_services()?.bank_options(&me).await?;
            Ok((me, options))
        }
        .await,
    )
}

/// The caller, a campaign and its candidates (filtered and sorted).
#[server(prefix = "/api", endpoint = "recruit_campaign")]
pub async fn load_campaign(campaign_id: String, query: CandidateQuery) -> Result<(StaffMe, CampaignDetail, Vec<CandidateRow>), AppError> {
    with_status(
        async {
            let me = recruiter().await?;
            let (detail, rows) = recruit_services()?.campaign(&me, &campaign_id, &query).await?;
            Ok((me, detail, rows))
        }
        .await,
    )
}

/// The caller and a candidate's profile (the view is audited by the service).
#[server(prefix = "/api", endpoint = "recruit_profile")]
pub async fn load_profile(campaign_id: String, invitation_id: String) -> Result<(StaffMe, Profile), AppError> {
    with_status(
        async {
            let me = recruiter().await?;
            let profile = recruit_services()?.profile(&me, &campaign_id, &invitation_id).await?;
            Ok((me, profile))
        }
        .await,
    )
}

/// The caller and 2 to `MAX_COMPARE` profiles of one campaign.
#[server(prefix = "/api", endpoint = "recruit_compare")]
pub async fn load_compare(campaign_id: String, invitation_ids: Vec<String>) -> Result<(StaffMe, Vec<Profile>), AppError> {
    with_status(
        async {
            let me = recruiter().await?;
            let ids = compare_ids(invitation_ids);
            if let Some(problem) = super::views::compare_count_problem(ids.len()) {
                return Err(AppError::BadRequest(problem));
            }
            let profiles = recruit_services()?.compare(&me, &campaign_id, &ids).await?;
            Ok((me, profiles))
        }
        .await,
    )
}

/// The caller and a page of their organisation's outbox.
#[server(prefix = "/api", endpoint = "recruit_outbox")]
pub async fn load_outbox(query: OutboxQuery) -> Result<(StaffMe, OutboxPage), AppError> {
    with_status(
        async {
            let me = current().await?;
            if !me.role.may_read_outbox() {
                return Err(AppError::Forbidden);
            }
            let page = recruit_services()?.outbox(&me, query).await?;
            Ok((me, page))
        }
        .await,
    )
}

/// A route parameter (empty when missing: the service then answers "not found").
fn param(name: &str) -> String {
    use_params_map().read_untracked().get(name).unwrap_or_default()
}

/// `/campaigns`: the organisation's campaigns.
#[component]
pub fn Campaigns() -> impl IntoView {
    let after = use_query_map().read_untracked().get_str("after").map(str::to_string);
    let paged = after.is_some();
    let data = Resource::new(move || after.clone(), load_campaigns);
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Ok((me, page)) => {
                        let lang = me.language.clone();
                        view! {
                            <Title text=staff_text(&lang).nav_campaigns />
                            <StaffNav me />
                            <CampaignListView page paged lang />
                        }.into_any()
                    }
                    Err(e) => problem_view(e),
                }
            })}
        </Suspense>
    }
}

/// `/campaigns/new`: the form that creates a campaign.
#[component]
pub fn NewCampaign() -> impl IntoView {
    let data = Resource::new(|| (), |()| load_bank_options());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Ok((me, options)) => {
                        let lang = me.language.clone();
                        view! {
                            <Title text=staff_text(&lang).new_campaign />
                            <StaffNav me />
                            <NewCampaignView options lang />
                        }.into_any()
                    }
                    Err(e) => problem_view(e),
                }
            })}
        </Suspense>
    }
}

/// `/campaigns/:id?status=&validity=&q=&sort=&desc=1[&created=1][&invited=N]`: a campaign and its candidates.
#[component]
pub fn Campaign() -> impl IntoView {
    let id = param("id");
    let (query, notices) = {
        let q = use_query_map().read_untracked();
        let query = parse_candidate_query(
            q.get_str("status"),
            q.get_str("validity"),
            q.get_str("q"),
            q.get_str("sort"),
            q.get_str("desc"),
            q.get_str("after"),
        );
        let notices = CampaignNotices {
            created: q.get_str("created").is_some(),
            invited: q.get_str("invited").map(|v| v.parse::<u32>().unwrap_or(1)).unwrap_or(0),
            reminded: q.get_str("reminded").map(|v| v.parse::<u32>().unwrap_or(0)),
            reminder_changed: q.get_str("reminder_changed").is_some(),
        };
        (query, notices)
    };
    let view_query = query.clone();
    let data = Resource::new(move || (id.clone(), query.clone()), |(id, query)| load_campaign(id, query));
    view! {
        <Suspense fallback=|| ()>
            {move || {
                let query = view_query.clone();
                Suspend::new(async move {
                    match data.await {
                        Ok((me, detail, rows)) => {
                            let lang = me.language.clone();
                            view! {
                                <Title text=detail.summary.name.clone() />
                                <StaffNav me />
                                <CampaignView detail rows query notices lang />
                            }.into_any()
                        }
                        Err(e) => problem_view(e),
                    }
                })
            }}
        </Suspense>
    }
}

/// `/campaigns/:id/candidates/:inv[?decided=1|revoked=1|resent=1]`: a candidate's profile.
#[component]
pub fn CandidateProfile() -> impl IntoView {
    let (campaign_id, invitation_id) = (param("id"), param("inv"));
    let notices = {
        let q = use_query_map().read_untracked();
        ProfileNotices { decided: q.get_str("decided").is_some(), revoked: q.get_str("revoked").is_some(), resent: q.get_str("resent").is_some(), erased: q.get_str("erased").is_some() }
    };
    let data = Resource::new(move || (campaign_id.clone(), invitation_id.clone()), |(c, i)| load_profile(c, i));
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Ok((me, profile)) => view! {
                        <Title text=display_name(&profile.name, &profile.email) />
                        <StaffNav me=me.clone() />
                        <ProfileView profile notices may_erase=me.role.may_erase_candidates() lang=me.language.clone() />
                    }.into_any(),
                    Err(e) => problem_view(e),
                }
            })}
        </Suspense>
    }
}

/// `/campaigns/:id/candidates/:inv/print`: the profile laid out for printing (no navigation, no forms).
#[component]
pub fn PrintProfile() -> impl IntoView {
    let (campaign_id, invitation_id) = (param("id"), param("inv"));
    let data = Resource::new(move || (campaign_id.clone(), invitation_id.clone()), |(c, i)| load_profile(c, i));
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Ok((me, profile)) => view! {
                        // No staff frame on the print view: it names the reader's language itself.
                        <Html {..} lang=me.language.clone() />
                        <Title text=fill(staff_text(&me.language).profile_of, &[("name", &display_name(&profile.name, &profile.email))]) />
                        <PrintProfileView profile lang=me.language.clone() />
                    }.into_any(),
                    Err(e) => problem_view(e),
                }
            })}
        </Suspense>
    }
}

/// `/campaigns/:id/compare?c=..&c=..`: 2 to `MAX_COMPARE` candidates side by side.
#[component]
pub fn Compare() -> impl IntoView {
    let campaign_id = param("id");
    let ids = compare_ids(use_query_map().read_untracked().get_all("c").unwrap_or_default());
    let back_id = campaign_id.clone();
    let data = Resource::new(move || (campaign_id.clone(), ids.clone()), |(c, ids)| load_compare(c, ids));
    view! {
        <Suspense fallback=|| ()>
            {move || {
                let back_id = back_id.clone();
                Suspend::new(async move {
                    match data.await {
                        Ok((me, profiles)) => {
                            let lang = me.language.clone();
                            view! {
                                <Title text=staff_text(&lang).compare_candidates />
                                <StaffNav me />
                                <CompareView campaign_id=back_id profiles lang />
                            }.into_any()
                        }
                        Err(AppError::BadRequest(message)) => view! {
                            <Html {..} lang="en" />
                            <Title text="Compare candidates" />
                            <CompareChoiceView campaign_id=back_id message />
                        }.into_any(),
                        Err(e) => problem_view(e),
                    }
                })
            }}
        </Suspense>
    }
}

/// `/outbox?status=&after=[&marked=1]`: messages for candidates, a page at a time.
#[component]
pub fn Outbox() -> impl IntoView {
    let (query, marked) = {
        let q = use_query_map().read_untracked();
        (OutboxQuery::parse(q.get_str("status"), q.get_str("after")), q.get_str("marked").is_some())
    };
    let view_query = query.clone();
    let data = Resource::new(move || query.clone(), load_outbox);
    view! {
        <Suspense fallback=|| ()>
            {move || {
                let query = view_query.clone();
                Suspend::new(async move {
                    match data.await {
                        Ok((me, page)) => {
                            let lang = me.language.clone();
                            view! {
                                <Title text=staff_text(&lang).nav_outbox />
                                <StaffNav me />
                                <OutboxView page query marked lang />
                            }.into_any()
                        }
                        Err(e) => problem_view(e),
                    }
                })
            }}
        </Suspense>
    }
}
