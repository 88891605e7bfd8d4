//! Reminders to a campaign's candidates who have not finished.
//!
//! The recruiter first sees who would get one and who would not, and why;
//! sending then gives each of them a new personal link (tokens are stored
//! only as hashes, so the old link cannot be sent again) in an e-mail in
//! their language: a reminder to start, or to carry on where they left off.
//! Nobody gets two e-mails from Vigil within a day, so a second click, or a
//! reminder just after an invitation, sends nothing twice.
//!
//! A campaign may also remind by itself ([`send_automatic`], run every few
//! minutes by `vigil serve`): once per invitation, the set number of days
//! before its link runs out. That reminder's link works until the same day
//! (the recruiter's reminder renews the invitation period; Vigil's own does
//! not extend it).

use std::collections::HashMap;

use app::recruit::{model::CandidateStatus, views::display_name};

use super::{
    access::{candidate_status, own_campaign, RecruitResult},
    invitations::{new_link_for, renewed_expiry},
    messages::Occasion,
};
use crate::{
    staff::Caller,
    store::{Actor, CandidateStateRow, Reissue, Store, StoreError},
    time::now_ms,
};

/// Nobody gets a second e-mail within this time (24 hours).
pub const QUIET_PERIOD_MS: i64 = 24 * 3_600_000;
/// Invitations given new links per transaction: a large campaign does not
/// hold the database's writer for long, and a failure part-way leaves the
/// rest to a second try (the quiet period keeps those already reminded out).
const BATCH: usize = 100;

/// Why a candidate who has not finished gets no reminder now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Skip {
    NoEmail,
    /// Vigil wrote to them at this time (ms), within the quiet period.
    RecentlyWritten { at: i64 },
}

/// Who gets a reminder and who does not; candidates who completed, whose
/// invitation was withdrawn, or whose link or time ran out are in neither.
#[derive(Debug, Default)]
pub struct Plan<'a> {
    pub remind: Vec<(&'a CandidateStateRow, Occasion)>,
    pub skip: Vec<(&'a CandidateStateRow, Skip)>,
}

/// Splits a campaign's candidates at `now`: invited or started (link and
/// time still running), with an e-mail address and no e-mail from Vigil in
/// the quiet period, get a reminder; `last_message` maps an invitation to
/// the time of its newest message.
pub fn plan<'a>(rows: &'a [CandidateStateRow], last_message: &HashMap<String, i64>, now: i64) -> Plan<'a> {
    let mut plan = Plan::default();
    for row in rows {
        let occasion = match candidate_status(row, now) {
            CandidateStatus::Invited => Occasion::StartReminder,
            CandidateStatus::Started => Occasion::FinishReminder,
            CandidateStatus::Completed | CandidateStatus::Expired | CandidateStatus::Revoked => continue,
        };
        if row.email.as_deref().is_none_or(|e| e.trim().is_empty()) {
            plan.skip.push((row, Skip::NoEmail));
        } else if let Some(&at) = last_message.get(&row.invitation_id).filter(|&&at| now - at < QUIET_PERIOD_MS) {
            plan.skip.push((row, Skip::RecentlyWritten { at }));
        } else {
            plan.remind.push((row, occasion));
        }
    }
    plan
}

/// One line of the preview.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreviewLine {
    pub name: String,
    pub email: String,
    /// Started, not finished (else invited, not started).
    pub started: bool,
    /// Why no reminder goes to them (skipped lines only).
    pub skip: Option<Skip>,
}

/// What sending reminders would do now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Preview {
    pub campaign_id: String,
    pub campaign_name: String,
    pub invitation_days: i64,
    pub remind: Vec<PreviewLine>,
    pub skip: Vec<PreviewLine>,
}

/// Who would get a reminder now, and who would not (with the reason).
pub async fn preview(store: &Store, caller: &Caller, campaign_id: &str) -> RecruitResult<Preview> {
    let campaign = own_campaign(store, caller, campaign_id).await?;
    let rows = store.campaign_candidates(&caller.org_id, &campaign.id).await?;
    let last = last_messages(store, &caller.org_id, &campaign.id).await?;
    let plan = plan(&rows, &last, now_ms());
    Ok(Preview {
        campaign_id: campaign.id,
        campaign_name: campaign.name,
        invitation_days: campaign.invitation_ttl_days,
        remind: plan.remind.iter().map(|&(row, occasion)| line(row, occasion == Occasion::FinishReminder, None)).collect(),
        skip: plan.skip.iter().map(|&(row, skip)| line(row, row.session_id.is_some(), Some(skip))).collect(),
    })
}

/// Sends a reminder with a new link to everyone the plan names now; the
/// number sent (candidates who completed or were withdrawn meanwhile get none).
pub async fn send(store: &Store, caller: &Caller, campaign_id: &str, base_url: &str) -> RecruitResult<usize> {
    let campaign = own_campaign(store, caller, campaign_id).await?;
    let rows = store.campaign_candidates(&caller.org_id, &campaign.id).await?;
    let last = last_messages(store, &caller.org_id, &campaign.id).await?;
    let now = now_ms();
    let sender = super::messages::sender(store, &caller.org_id).await?;
    let expires_at = renewed_expiry(&campaign, now);
    let reissues: Vec<_> = plan(&rows, &last, now).remind.into_iter().filter_map(|(row, occasion)| new_link_for(row, &sender, occasion, base_url, expires_at)).collect();
    let mut sent = 0;
    for batch in reissues.chunks(BATCH) {
        sent += store.reissue_invitations(&caller.org_id, batch, Actor::User(&caller.user_id), now).await?;
    }
    Ok(sent)
}

/// When each invitation of a campaign last had an e-mail.
async fn last_messages(store: &Store, org_id: &str, campaign_id: &str) -> Result<HashMap<String, i64>, StoreError> {
    Ok(store.last_messages(org_id, campaign_id).await?.into_iter().collect())
}

/// How often `vigil serve` looks for automatic reminders that are due.
pub const AUTOMATIC_EVERY: std::time::Duration = std::time::Duration::from_secs(5 * 60);

/// Sends every automatic reminder due at `now`: to candidates the plan
/// names whose link runs out within their campaign's reminder days and who
/// had none yet. Links start with `public_url`, else the address the
/// campaign's creator used (a campaign with neither is skipped, and logged).
/// Returns how many were sent.
pub async fn send_automatic(store: &Store, public_url: Option<&str>, now: i64) -> Result<usize, StoreError> {
    let mut sent = 0;
    for (org_id, campaign_id) in store.campaigns_with_reminders_due(now).await? {
        let Some(campaign) = store.campaign(&org_id, &campaign_id).await? else { continue };
        let Some(days) = campaign.reminder_days else { continue };
        let Some(base) = public_url.or(campaign.link_base.as_deref()) else {
            tracing::warn!(campaign = %campaign.id, "automatic reminders skipped: no public address (--public-url) and none recorded for the campaign");
            continue;
        };
        let rows = store.campaign_candidates(&org_id, &campaign.id).await?;
        let last = last_messages(store, &org_id, &campaign.id).await?;
        let sender = super::messages::sender(store, &org_id).await?;
        let due = plan(&rows, &last, now).remind.into_iter().filter(|(row, _)| row.auto_reminded_at.is_none() && row.expires_at <= now + days * 86_400_000);
        // The link keeps its end: Vigil's own reminder does not extend the invitation.
        let reissues: Vec<_> = due
            .filter_map(|(row, occasion)| new_link_for(row, &sender, occasion, base, row.expires_at))
            .map(|r| Reissue { automatic: true, ..r })
            .collect();
        for batch in reissues.chunks(BATCH) {
            sent += store.reissue_invitations(&org_id, batch, Actor::System, now).await?;
        }
    }
    Ok(sent)
}

/// Automatic reminders as a recurring job (see `crate::jobs`): each run
/// sends what is due, whichever process runs it.
pub struct AutomaticReminders {
    pub store: Store,
    pub public_url: Option<String>,
}

#[async_trait::async_trait]
impl crate::jobs::Handler for AutomaticReminders {
    async fn run(&self, _job: &crate::store::ClaimedJob) -> Result<serde_json::Value, crate::jobs::JobError> {
        let sent = send_automatic(&self.store, self.public_url.as_deref(), crate::time::now_ms()).await?;
        if sent > 0 {
            tracing::info!(sent, "automatic reminders sent");
        }
        Ok(serde_json::json!({ "sent": sent }))
    }
}

fn line(row: &CandidateStateRow, started: bool, skip: Option<Skip>) -> PreviewLine {
    let email = row.email.clone().unwrap_or_default();
    PreviewLine { name: display_name(row.name.as_deref().unwrap_or_default(), &email), email, started, skip }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_800_000_000_000;
    const DAY: i64 = 86_400_000;

    fn row(id: &str, email: Option<&str>, session: Option<&str>) -> CandidateStateRow {
        CandidateStateRow {
            invitation_id: id.into(),
            campaign_id: "c".into(),
            invitation_status: "active".into(),
            expires_at: NOW + DAY,
            language: "en".into(),
            invited_at: NOW - 3 * DAY,
            name: Some(format!("Candidate {id}")),
            email: email.map(Into::into),
            session_id: session.map(|_| format!("s-{id}")),
            session_status: session.map(Into::into),
            deadline_at: None,
            completed_at: None,
            erased_at: None,
            auto_reminded_at: None,
            external_id: None,
        }
    }

    fn ids<T>(lines: &[(&CandidateStateRow, T)]) -> Vec<String> {
        lines.iter().map(|(r, _)| r.invitation_id.clone()).collect()
    }

    #[test]
    fn only_candidates_who_can_still_finish_are_reminded_and_each_in_their_words() {
        let mut expired = row("expired", Some("e@x.org"), None);
        expired.expires_at = NOW - 1;
        let mut out_of_time = row("out-of-time", Some("t@x.org"), Some("active"));
        out_of_time.deadline_at = Some(NOW - 1);
        let mut withdrawn = row("withdrawn", Some("w@x.org"), None);
        withdrawn.invitation_status = "revoked".into();
        let rows = vec![row("invited", Some("i@x.org"), None), row("started", Some("s@x.org"), Some("active")), row("done", Some("d@x.org"), Some("completed")), expired, out_of_time, withdrawn];
        let plan = plan(&rows, &HashMap::new(), NOW);
        assert_eq!(ids(&plan.remind), ["invited", "started"]);
        assert_eq!(plan.remind.iter().map(|&(_, o)| o).collect::<Vec<_>>(), [Occasion::StartReminder, Occasion::FinishReminder]);
        assert!(plan.skip.is_empty());
    }

    #[test]
    fn nobody_gets_two_emails_within_a_day_and_nobody_without_an_address_is_counted_as_reminded() {
        let rows = vec![row("yesterday", Some("y@x.org"), None), row("an-hour-ago", Some("h@x.org"), None), row("no-address", None, None), row("blank", Some("  "), None)];
        let last = HashMap::from([("yesterday".to_string(), NOW - QUIET_PERIOD_MS), ("an-hour-ago".to_string(), NOW - 3_600_000)]);
        let plan = plan(&rows, &last, NOW);
        assert_eq!(ids(&plan.remind), ["yesterday"]);
        assert_eq!(ids(&plan.skip), ["an-hour-ago", "no-address", "blank"]);
        assert_eq!(plan.skip.iter().map(|&(_, s)| s).collect::<Vec<_>>(), [Skip::RecentlyWritten { at: NOW - 3_600_000 }, Skip::NoEmail, Skip::NoEmail]);
    }
}
