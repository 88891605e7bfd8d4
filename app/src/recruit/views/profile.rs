//! The profile page: the report, the decisions so far, the decision form
//! and the invitation's actions; and its print view.

use leptos::prelude::*;

use crate::i18n::{fill, staff_text, StaffText};
use crate::recruit::model::{CandidateStatus, Decision, DecisionLine, Profile};
use super::{query::profile_href, report::ProfileReport};

/// The decisions so far, newest first.
#[component]
pub fn DecisionHistory(decisions: Vec<DecisionLine>, t: &'static StaffText) -> impl IntoView {
    if decisions.is_empty() {
        return view! { <p>{t.no_decision_yet}</p> }.into_any();
    }
    view! {
        <table class="data" id="decision-history">
            <caption>{t.decision_history}</caption>
            <thead>
                <tr><th scope="col">{t.when}</th><th scope="col">{t.decision}</th><th scope="col">{t.reason}</th><th scope="col">{t.by}</th></tr>
            </thead>
            <tbody>
                {decisions.into_iter().map(|d| view! {
                    <tr><td>{d.at}</td><td>{d.decision.label_in(t)}</td><td class="reason">{d.reason}</td><td>{d.by}</td></tr>
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

/// The decision form: the recruiter decides and gives the reason.
#[component]
pub fn DecisionForm(campaign_id: String, invitation_id: String, t: &'static StaffText) -> impl IntoView {
    let action = format!("{}/decision", profile_href(&campaign_id, &invitation_id));
    view! {
        <p class="notice">
            {t.decision_notice_1}
            {t.decision_notice_2}
        </p>
        <form method="post" action=action class="stacked decision-form">
            <fieldset class="choices">
                <legend>{t.your_decision}</legend>
                {Decision::ALL.into_iter().enumerate().map(|(i, d)| {
                    let id = format!("decision-{}", d.as_str());
                    view! {
                        <label class="choice" for=id.clone()>
                            <input type="radio" id=id.clone() name="decision" value=d.as_str() required={i == 0} />
                            " " {d.label_in(t)}
                        </label>
                    }
                }).collect_view()}
            </fieldset>
            <label for="decision-reason">{t.reason_required}</label>
            <textarea id="decision-reason" name="reason" required maxlength="2000" rows="4"></textarea>
            <div class="actions">
                <button type="submit" class="button" id="record-decision">{t.record_decision}</button>
            </div>
        </form>
    }
}

/// Notices shown after a form on the profile page redirected back.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ProfileNotices {
    pub decided: bool,
    pub revoked: bool,
    pub resent: bool,
    pub erased: bool,
}

/// The profile page's content: the report, links, the decision, invitation actions.
#[component]
pub fn ProfileView(
    profile: Profile,
    notices: ProfileNotices,
    #[prop(optional)] may_erase: bool,
    /// The reader's language (default English).
    #[prop(optional, into)]
    lang: String,
) -> impl IntoView {
    let t = staff_text(&lang);
    let base = profile_href(&profile.campaign_id, &profile.invitation_id);
    let campaign_href = format!("/campaigns/{}", profile.campaign_id);
    let campaign_name = profile.campaign_name.clone();
    let decisions = profile.decisions.clone();
    let status = profile.status;
    let (campaign_id, invitation_id) = (profile.campaign_id.clone(), profile.invitation_id.clone());
    let open = !matches!(status, CandidateStatus::Completed | CandidateStatus::Revoked);
    let erased_on = profile.erased_on.clone();
    let mut messages = Vec::new();
    if notices.decided {
        messages.push(t.decision_recorded);
    }
    if notices.revoked {
        messages.push(t.invitation_withdrawn);
    }
    if notices.resent {
        messages.push(t.invitation_resent);
    }
    if notices.erased {
        messages.push(t.data_erased);
    }
    view! {
        <section class="staff profile">
            <p class="breadcrumb no-print"><a href=campaign_href>{campaign_name}</a></p>
            {messages.into_iter().map(|m| view! { <p class="notice" role="status">{m}</p> }).collect_view()}
            <ProfileReport profile id_prefix="p".to_string() t />
            <ul class="links no-print">
                <li><a href=format!("{base}/print")>{t.print_view}</a></li>
                <li><a href=format!("{base}/export.json")>{t.export_json}</a></li>
            </ul>
            <section class="decision no-print" aria-labelledby="decision-heading">
                <h2 id="decision-heading">{t.decision}</h2>
                <DecisionForm campaign_id=campaign_id.clone() invitation_id=invitation_id.clone() t />
                <h3>{t.history}</h3>
                <DecisionHistory decisions t />
            </section>
            {open.then(|| view! {
                <section class="invitation-actions no-print" aria-labelledby="invitation-heading">
                    <h2 id="invitation-heading">{t.invitation}</h2>
                    <p>{t.invitation_help}</p>
                    <div class="actions">
                        <form method="post" action=format!("{base}/resend")>
                            <button type="submit" class="button secondary" id="resend">{t.send_again}</button>
                        </form>
                        <form method="post" action=format!("{base}/revoke")>
                            <button type="submit" class="button secondary" id="revoke">{t.withdraw}</button>
                        </form>
                    </div>
                </section>
            })}
            <section class="personal-data no-print" aria-labelledby="personal-data-heading">
                <h2 id="personal-data-heading">{t.personal_data}</h2>
                {match erased_on {
                    Some(day) => view! {
                        <p id="erased-note">{fill(t.erased_on, &[("day", &day)])}</p>
                    }.into_any(),
                    None if may_erase => view! {
                        <p>{t.erase_help}</p>
                        <form method="post" action=format!("{base}/erase") class="stacked">
                            <label class="choice" for="erase-confirm">
                                <input type="checkbox" id="erase-confirm" name="confirm" value="yes" required />
                                {t.erase_confirm}
                            </label>
                            <div class="actions">
                                <button type="submit" class="button secondary" id="erase">{t.erase}</button>
                            </div>
                        </form>
                    }.into_any(),
                    None => view! {
                        <p>{t.erase_later}</p>
                    }.into_any(),
                }}
            </section>
        </section>
    }
}

/// The print-ready profile: the report without navigation or forms.
#[component]
pub fn PrintProfileView(
    profile: Profile,
    /// The reader's language (default English).
    #[prop(optional, into)]
    lang: String,
) -> impl IntoView {
    let t = staff_text(&lang);
    let back = profile_href(&profile.campaign_id, &profile.invitation_id);
    let decisions = profile.decisions.clone();
    view! {
        <article class="staff print-profile">
            <p class="no-print small">
                {t.print_help}
                <a href=back>{t.back_to_profile}</a>
            </p>
            <p class="print-header small">{t.print_header}</p>
            <ProfileReport profile id_prefix="print".to_string() t />
            <section class="instrument decision-print">
                <h2>{t.decisions}</h2>
                <p>{t.decisions_print}</p>
                <DecisionHistory decisions t />
            </section>
        </article>
    }
}
