//! The profile page: the report, the decisions so far, the decision form
//! and the invitation's actions; and its print view.

use leptos::prelude::*;

use crate::recruit::model::{CandidateStatus, Decision, DecisionLine, Profile};
use super::{query::profile_href, report::ProfileReport};

/// The decisions so far, newest first.
#[component]
pub fn DecisionHistory(decisions: Vec<DecisionLine>) -> impl IntoView {
    if decisions.is_empty() {
        return view! { <p>"No decision recorded yet."</p> }.into_any();
    }
    view! {
        <table class="data" id="decision-history">
            <caption>"Decision history (newest first)"</caption>
            <thead>
                <tr><th scope="col">"When"</th><th scope="col">"Decision"</th><th scope="col">"Reason"</th><th scope="col">"By"</th></tr>
            </thead>
            <tbody>
                {decisions.into_iter().map(|d| view! {
                    <tr><td>{d.at}</td><td>{d.decision.label()}</td><td class="reason">{d.reason}</td><td>{d.by}</td></tr>
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

/// The decision form: the recruiter decides and gives the reason.
#[component]
pub fn DecisionForm(campaign_id: String, invitation_id: String) -> impl IntoView {
    let action = format!("{}/decision", profile_href(&campaign_id, &invitation_id));
    view! {
        <p class="notice">
            "Vigil does not make hiring decisions and never recommends one. You decide, weighing this profile with the interview and your other evidence. "
            "Record the decision and the reason for it; both are kept in the history below and in the audit log."
        </p>
        <form method="post" action=action class="stacked decision-form">
            <fieldset class="choices">
                <legend>"Your decision"</legend>
                {Decision::ALL.into_iter().enumerate().map(|(i, d)| {
                    let id = format!("decision-{}", d.as_str());
                    view! {
                        <label class="choice" for=id.clone()>
                            <input type="radio" id=id.clone() name="decision" value=d.as_str() required={i == 0} />
                            " " {d.label()}
                        </label>
                    }
                }).collect_view()}
            </fieldset>
            <label for="decision-reason">"Reason (required)"</label>
            <textarea id="decision-reason" name="reason" required maxlength="2000" rows="4"></textarea>
            <div class="actions">
                <button type="submit" class="button" id="record-decision">"Record decision"</button>
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
pub fn ProfileView(profile: Profile, notices: ProfileNotices, #[prop(optional)] may_erase: bool) -> impl IntoView {
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
        messages.push("Your decision was recorded.");
    }
    if notices.revoked {
        messages.push("The invitation was withdrawn. The link no longer works.");
    }
    if notices.resent {
        messages.push("The invitation was sent again (or placed in the outbox).");
    }
    if notices.erased {
        messages.push("The candidate's personal data was erased.");
    }
    view! {
        <section class="staff profile">
            <p class="breadcrumb no-print"><a href=campaign_href>{campaign_name}</a></p>
            {messages.into_iter().map(|m| view! { <p class="notice" role="status">{m}</p> }).collect_view()}
            <ProfileReport profile id_prefix="p".to_string() />
            <ul class="links no-print">
                <li><a href=format!("{base}/print")>"Print view (for PDF)"</a></li>
                <li><a href=format!("{base}/export.json")>"Export as JSON"</a></li>
            </ul>
            <section class="decision no-print" aria-labelledby="decision-heading">
                <h2 id="decision-heading">"Decision"</h2>
                <DecisionForm campaign_id=campaign_id.clone() invitation_id=invitation_id.clone() />
                <h3>"History"</h3>
                <DecisionHistory decisions />
            </section>
            {open.then(|| view! {
                <section class="invitation-actions no-print" aria-labelledby="invitation-heading">
                    <h2 id="invitation-heading">"Invitation"</h2>
                    <p>"Send the invitation again if the candidate cannot find it; withdraw it if the candidate should no longer take the assessment. Withdrawing cannot be undone."</p>
                    <div class="actions">
                        <form method="post" action=format!("{base}/resend")>
                            <button type="submit" class="button secondary" id="resend">"Send invitation again"</button>
                        </form>
                        <form method="post" action=format!("{base}/revoke")>
                            <button type="submit" class="button secondary" id="revoke">"Withdraw invitation"</button>
                        </form>
                    </div>
                </section>
            })}
            <section class="personal-data no-print" aria-labelledby="personal-data-heading">
                <h2 id="personal-data-heading">"Personal data"</h2>
                {match erased_on {
                    Some(day) => view! {
                        <p id="erased-note">{format!("The candidate's name, e-mail address and the reasons given with decisions were erased on {day}. The answers and scores remain, without a name.")}</p>
                    }.into_any(),
                    None if may_erase => view! {
                        <p>"On the candidate's request (or when your organisation no longer needs it), erase their name, e-mail address, the e-mails sent to them and the reasons given with decisions. The invitation stops working. The answers and scores remain, without a name. This cannot be undone. Vigil erases it by itself at the end of the retention period."</p>
                        <form method="post" action=format!("{base}/erase") class="stacked">
                            <label class="choice" for="erase-confirm">
                                <input type="checkbox" id="erase-confirm" name="confirm" value="yes" required />
                                " I understand that this cannot be undone."
                            </label>
                            <div class="actions">
                                <button type="submit" class="button secondary" id="erase">"Erase personal data"</button>
                            </div>
                        </form>
                    }.into_any(),
                    None => view! {
                        <p>"Vigil erases the candidate's name and e-mail address at the end of the retention period. On the candidate's request, an administrator of your organisation can erase them sooner."</p>
                    }.into_any(),
                }}
            </section>
        </section>
    }
}

/// The print-ready profile: the report without navigation or forms.
#[component]
pub fn PrintProfileView(profile: Profile) -> impl IntoView {
    let back = profile_href(&profile.campaign_id, &profile.invitation_id);
    let decisions = profile.decisions.clone();
    view! {
        <article class="staff print-profile">
            <p class="no-print small">
                "This page is laid out for printing: use your browser's Print command (Ctrl+P or Cmd+P) and choose \"Save as PDF\". "
                <a href=back>"Back to the profile"</a>
            </p>
            <p class="print-header small">"Vigil candidate profile · confidential: contains personal data"</p>
            <ProfileReport profile id_prefix="print".to_string() />
            <section class="instrument decision-print">
                <h2>"Decisions"</h2>
                <p>"Vigil does not make hiring decisions. Decisions recorded by the organisation:"</p>
                <DecisionHistory decisions />
            </section>
        </article>
    }
}
