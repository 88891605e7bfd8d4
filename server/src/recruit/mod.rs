//! The recruiter's work: campaigns, invitations (one at a time or from a
//! CSV file, with their e-mails in the outbox), revoking and resending,
//! the candidate list, profiles, comparison, decisions and exports.
//!
//! Every function takes the caller, checks the role here
//! (`StaffRole::may_recruit`) and scopes every query to the caller's
//! organisation, so another organisation's campaign or candidate is "not
//! found". Recruiters see bands, percentiles, flags and interpretations,
//! never item-level answers or scoring keys. Vigil records decisions; it
//! never makes them.

pub mod csv_import;
pub mod export;
pub mod messages;
mod port;
mod profile;
pub mod reminders;

use std::{collections::HashMap, sync::Arc};

use app::{
    recruit::model::{BankOption, BatteryLine, CampaignDetail, CampaignSummary, CandidateQuery, CandidateRow, CandidateStatus, Decision, Headline, OutboxMessage, SortKey, StatusCounts, Validity},
    AppError,
};
use assessments::{bank::{IntendedUse, ScaleKind}, scored_session::ScoredSession};

pub use port::RecruitPort;
pub use profile::{compare, profile};

use crate::{
    battery::{battery, chosen_norms, individually_reported, BatteryEntry, BatteryError, BatteryFile},
    secrets::{new_secret, secret_hash},
    catalog::{Catalog, CatalogEntry},
    services::internal,
    staff::Caller,
    store::{Actor, AuditEntry, Campaign, CandidateStateRow, InviteItem, Invited, NewCampaign, Reissue, Store, StoreError},
    time::{date_utc, minute_utc, now_ms},
};

/// Most candidates shown on one list (the filter narrows a larger campaign).
pub const LIST_LIMIT: usize = 1000;
/// Outbox messages shown.
pub const OUTBOX_LIMIT: i64 = 500;
/// Longest decision reason.
pub const MAX_REASON_CHARS: usize = 2000;

#[derive(Debug, thiserror::Error)]
pub enum RecruitError {
    #[error("not available for this role")]
    Forbidden,
    #[error("not found")]
    NotFound,
    #[error("{0}")]
    Invalid(String),
    #[error(transparent)]
    File(#[from] csv_import::FileError),
    #[error("the campaign cannot be used: {0}")]
    Misconfigured(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl RecruitError {
    /// The client-safe error; internal causes are logged with a reference.
    pub fn into_app(self) -> AppError {
        match self {
            RecruitError::Forbidden => AppError::Forbidden,
            RecruitError::NotFound => AppError::NotFound,
            RecruitError::Invalid(msg) => AppError::BadRequest(msg),
            RecruitError::File(e) => AppError::BadRequest(e.to_string()),
            e @ (RecruitError::Misconfigured(_) | RecruitError::Store(_)) => internal(e),
        }
    }
}

impl From<BatteryError> for RecruitError {
    fn from(e: BatteryError) -> Self {
        RecruitError::Misconfigured(e.to_string())
    }
}

pub type RecruitResult<T> = Result<T, RecruitError>;

fn require_recruiter(caller: &Caller) -> RecruitResult<()> {
    if caller.role.may_recruit() {
        Ok(())
    } else {
        Err(RecruitError::Forbidden)
    }
}

/// A campaign of the caller's organisation, or `NotFound`.
async fn own_campaign(store: &Store, caller: &Caller, campaign_id: &str) -> RecruitResult<Campaign> {
    require_recruiter(caller)?;
    store.campaign(&caller.org_id, campaign_id).await?.ok_or(RecruitError::NotFound)
}

/// A candidate of one of the caller's campaigns, or `NotFound`.
async fn own_candidate(store: &Store, caller: &Caller, campaign_id: &str, invitation_id: &str) -> RecruitResult<(Campaign, CandidateStateRow)> {
    let campaign = own_campaign(store, caller, campaign_id).await?;
    let row = store.campaign_candidate(&caller.org_id, &campaign.id, invitation_id).await?.ok_or(RecruitError::NotFound)?;
    Ok((campaign, row))
}

// ---------------------------------------------------------------------------
// Status
// ---------------------------------------------------------------------------

/// Where a candidate stands: completed beats everything; a withdrawn
/// invitation is revoked; a link or time limit that ran out before the end
/// is expired; a session begun is started; otherwise invited.
pub fn candidate_status(row: &CandidateStateRow, now: i64) -> CandidateStatus {
    let session = row.session_status.as_deref();
    if session == Some("completed") {
        return CandidateStatus::Completed;
    }
    if row.invitation_status == "revoked" {
        return CandidateStatus::Revoked;
    }
    let link_ran_out = row.expires_at <= now;
    let time_ran_out = row.deadline_at.is_some_and(|d| d <= now);
    match session {
        Some("expired") => CandidateStatus::Expired,
        Some(_) if link_ran_out || time_ran_out => CandidateStatus::Expired,
        Some(_) => CandidateStatus::Started,
        None if link_ran_out => CandidateStatus::Expired,
        None => CandidateStatus::Invited,
    }
}

fn count(counts: &mut StatusCounts, status: CandidateStatus) {
    let slot = match status {
        CandidateStatus::Invited => &mut counts.invited,
        CandidateStatus::Started => &mut counts.started,
        CandidateStatus::Completed => &mut counts.completed,
        CandidateStatus::Expired => &mut counts.expired,
        CandidateStatus::Revoked => &mut counts.revoked,
    };
    *slot += 1;
}

// ---------------------------------------------------------------------------
// Campaigns
// ---------------------------------------------------------------------------

/// A new campaign as the form sends it.
#[derive(Debug, Clone, Default)]
pub struct CampaignForm {
    pub name: String,
    pub role_family: String,
    /// `"{instrument}@{version}"`, in the order given.
    pub instruments: Vec<String>,
    /// Norm table id per `"{instrument}@{version}"`; empty = no norms.
    pub norms: HashMap<String, String>,
    pub time_limit_minutes: String,
    pub adaptive: bool,
    pub candidate_feedback: bool,
    pub invitation_days: String,
    /// Days before the link runs out for the automatic reminder; empty: none.
    pub reminder_days: String,
}

pub const MAX_TIME_LIMIT_MINUTES: i64 = 240;
pub const MAX_INVITATION_DAYS: i64 = 90;
pub const MAX_REMINDER_DAYS: i64 = 30;

/// A campaign form that passed every check.
#[derive(Debug)]
pub struct ValidCampaign {
    pub battery: BatteryFile,
    pub time_limit: Option<i64>,
    pub invitation_days: i64,
    pub reminder_days: Option<i64>,
}

/// Checks a campaign form against the catalog: every problem in one message,
/// and nothing is created unless all is well.
pub fn validate_campaign(catalog: &Catalog, form: &CampaignForm) -> Result<ValidCampaign, RecruitError> {
    let mut problems = Vec::new();
    let name = form.name.trim();
    if name.is_empty() || name.chars().count() > 200 || name.chars().any(char::is_control) {
        problems.push("Please give the campaign a name of at most 200 characters.".to_string());
    }
    if form.role_family.trim().chars().count() > 100 || form.role_family.chars().any(char::is_control) {
        problems.push("The role family may have at most 100 characters.".to_string());
    }
    let mut instruments = Vec::new();
    if form.instruments.is_empty() {
        problems.push("Please choose at least one instrument.".to_string());
    }
    for key in &form.instruments {
        let Some((id, version)) = key.split_once('@') else {
            problems.push(format!("\"{}\" is not an instrument version.", shorten(key)));
            continue;
        };
        let Some(entry) = catalog.get(id, version) else {
            problems.push(format!("The bank version {}@{} does not exist on this server.", shorten(id), shorten(version)));
            continue;
        };
        if entry.bank.file().instrument.status != assessments::bank::Status::Published {
            problems.push(format!("{id}@{version} is a draft; only published bank versions can be used."));
            continue;
        }
        if !entry.bank.meant_for(IntendedUse::Hiring) {
            problems.push(format!(
                "{id}@{version} is not meant for hiring: its results are reported only for groups of at least five people, never about one candidate."
            ));
            continue;
        }
        if instruments.iter().any(|i: &BatteryEntry| i.instrument == id) {
            problems.push(format!("{id} is chosen twice; choose one version of each instrument."));
            continue;
        }
        let norm_table = match form.norms.get(key).map(|s| s.trim()).filter(|s| !s.is_empty()) {
            None => None,
            Some(norm_id) => match entry.norms.iter().find(|n| n.id == norm_id) {
                Some(table) => Some(table),
                None => {
                    problems.push(format!("The norm table \"{}\" does not belong to {id}@{version}.", shorten(norm_id)));
                    continue;
                }
            },
        };
        instruments.push(BatteryEntry {
            instrument: id.to_string(),
            version: version.to_string(),
            bank_hash: Some(entry.bank.content_hash().to_string()),
            norm_table: Some(norm_table.map(|t| t.id.clone())),
            norm_table_hash: norm_table.and_then(|t| t.content_hash.clone()),
        });
    }
    if form.adaptive && !instruments.iter().any(|i| catalog.get(&i.instrument, &i.version).is_some_and(|e| e.adaptive.is_some())) {
        problems.push("Adaptive testing needs a bank version with IRT parameters; none of the chosen ones has them.".to_string());
    }
    let time_limit = match form.time_limit_minutes.trim() {
        "" => None,
        t => match t.parse::<i64>() {
            Ok(m) if (1..=MAX_TIME_LIMIT_MINUTES).contains(&m) => Some(m),
            _ => {
                problems.push(format!("The time limit must be a whole number of minutes from 1 to {MAX_TIME_LIMIT_MINUTES}, or empty for none."));
                None
            }
        },
    };
    let days = match form.invitation_days.trim() {
        "" => 14,
        d => match d.parse::<i64>() {
            Ok(d) if (1..=MAX_INVITATION_DAYS).contains(&d) => d,
            _ => {
                problems.push(format!("Invitations must be valid for 1 to {MAX_INVITATION_DAYS} days."));
                14
            }
        },
    };
    let reminder_days = reminder_days(&form.reminder_days, days).unwrap_or_else(|problem| {
        problems.push(problem);
        None
    });
    if problems.is_empty() {
        Ok(ValidCampaign { battery: BatteryFile { instruments }, time_limit, invitation_days: days, reminder_days })
    } else {
        Err(RecruitError::Invalid(problems.join(" ")))
    }
}

/// The automatic reminder's days before a `link_days`-day link runs out:
/// empty is none; otherwise 1 to 30 and fewer than the link's days.
fn reminder_days(typed: &str, link_days: i64) -> Result<Option<i64>, String> {
    match typed.trim() {
        "" => Ok(None),
        r => match r.parse::<i64>() {
            Ok(r) if (1..=MAX_REMINDER_DAYS).contains(&r) && r < link_days => Ok(Some(r)),
            _ => Err(format!("The automatic reminder must come 1 to {MAX_REMINDER_DAYS} days before the link runs out, and fewer days than the link works; or leave it empty for none.")),
        },
    }
}

/// Changes (or turns off, with an empty `typed`) a campaign's automatic
/// reminder; reminders already sent stay sent (audited).
pub async fn set_automatic_reminder(store: &Store, caller: &Caller, campaign_id: &str, typed: &str) -> RecruitResult<Option<i64>> {
    let campaign = own_campaign(store, caller, campaign_id).await?;
    let days = reminder_days(typed, campaign.invitation_ttl_days).map_err(RecruitError::Invalid)?;
    store.set_campaign_reminder_days(&caller.org_id, &campaign.id, days).await?;
    caller.audit(store, "campaign.reminders_changed", "campaign", &campaign.id, serde_json::json!({ "reminder_days": days })).await?;
    Ok(days)
}

fn shorten(s: &str) -> String {
    s.chars().take(60).collect()
}

/// Creates a campaign (audited); `link_base` is where the creator reaches
/// Vigil (for links the automatic reminders write).
pub async fn create_campaign(store: &Store, catalog: &Catalog, caller: &Caller, form: &CampaignForm, link_base: &str) -> RecruitResult<Campaign> {
    require_recruiter(caller)?;
    let ValidCampaign { battery, time_limit, invitation_days: days, reminder_days } = validate_campaign(catalog, form)?;
    let battery_json = serde_json::to_string(&battery).map_err(|e| RecruitError::Misconfigured(e.to_string()))?;
    let campaign = store
        .create_campaign(&NewCampaign {
            org_id: &caller.org_id,
            name: form.name.trim(),
            role_family: form.role_family.trim(),
            battery: &battery_json,
            time_limit_minutes: time_limit,
            adaptive: form.adaptive,
            candidate_feedback: form.candidate_feedback,
            invitation_ttl_days: days,
            created_by: Some(&caller.user_id),
            reminder_days,
            link_base: Some(link_base),
        })
        .await?;
    let instruments: Vec<String> = battery.instruments.iter().map(|i| format!("{}@{}", i.instrument, i.version)).collect();
    caller.audit(store, "campaign.created", "campaign", &campaign.id, serde_json::json!({ "name": campaign.name, "battery": instruments })).await?;
    Ok(campaign)
}

/// The published bank versions a campaign may use.
pub fn bank_options(catalog: &Catalog, caller: &Caller) -> RecruitResult<Vec<BankOption>> {
    require_recruiter(caller)?;
    Ok(catalog
        .entries()
        .filter(|e| e.bank.file().instrument.status == assessments::bank::Status::Published && e.bank.meant_for(IntendedUse::Hiring))
        .map(|e| BankOption {
            instrument: e.bank.id().to_string(),
            version: e.bank.version().to_string(),
            title: profile::english(&e.bank.file().instrument.title),
            adaptive_capable: e.adaptive.is_some(),
            norms: e.norms.iter().map(profile::norm_info).collect(),
        })
        .collect())
}

fn summary(campaign: &Campaign, battery: &[Arc<CatalogEntry>], counts: StatusCounts) -> CampaignSummary {
    CampaignSummary {
        id: campaign.id.clone(),
        name: campaign.name.clone(),
        role_family: campaign.role_family.clone(),
        created_on: date_utc(campaign.created_at),
        instruments: battery.iter().map(|e| format!("{} {}", profile::english(&e.bank.file().instrument.title), e.bank.version())).collect(),
        adaptive: campaign.adaptive != 0,
        candidate_feedback: campaign.candidate_feedback != 0,
        time_limit_minutes: campaign.time_limit_minutes.and_then(|m| u32::try_from(m).ok()),
        invitation_days: u32::try_from(campaign.invitation_ttl_days).unwrap_or(0),
        reminder_days: campaign.reminder_days.and_then(|d| u32::try_from(d).ok()),
        counts,
    }
}

/// The campaigns of the caller's organisation with their counts, newest first.
pub async fn campaigns(store: &Store, catalog: &Catalog, caller: &Caller) -> RecruitResult<Vec<CampaignSummary>> {
    require_recruiter(caller)?;
    let now = now_ms();
    let mut counts: HashMap<String, StatusCounts> = HashMap::new();
    for row in store.organisation_candidates(&caller.org_id).await? {
        count(counts.entry(row.campaign_id.clone()).or_default(), candidate_status(&row, now));
    }
    let mut out = Vec::new();
    for campaign in store.campaigns_of(&caller.org_id).await? {
        // A campaign whose bank is no longer installed still lists (without its instruments).
        let battery = battery(catalog, &campaign).unwrap_or_default();
        out.push(summary(&campaign, &battery, counts.remove(&campaign.id).unwrap_or_default()));
    }
    Ok(out)
}

/// The campaign page: a campaign with its battery, norm groups and status
/// counts, and its candidates filtered and sorted, from one read of the
/// candidate list.
pub async fn campaign_page(store: &Store, catalog: &Catalog, caller: &Caller, campaign_id: &str, query: &CandidateQuery) -> RecruitResult<(CampaignDetail, Vec<CandidateRow>)> {
    let campaign = own_campaign(store, caller, campaign_id).await?;
    let battery = battery(catalog, &campaign)?;
    let now = now_ms();
    let rows = store.campaign_candidates(&caller.org_id, &campaign.id).await?;
    let detail = campaign_detail(&campaign, &battery, &rows, now);
    let reported = individually_reported(battery.clone());
    let list = list_candidates(store, &caller.org_id, &campaign, &reported, rows, query, now).await?;
    Ok((detail, list))
}

/// A campaign with its battery, norm groups and how many candidates are in each state.
fn campaign_detail(campaign: &Campaign, battery: &[Arc<CatalogEntry>], rows: &[CandidateStateRow], now: i64) -> CampaignDetail {
    let mut counts = StatusCounts::default();
    for row in rows {
        count(&mut counts, candidate_status(row, now));
    }
    let lines = battery
        .iter()
        .map(|e| BatteryLine {
            instrument: e.bank.id().to_string(),
            title: profile::english(&e.bank.file().instrument.title),
            version: e.bank.version().to_string(),
            norm: chosen_norms(campaign, e).map(profile::norm_info),
            adaptive: campaign.adaptive != 0 && e.adaptive.is_some(),
        })
        .collect();
    CampaignDetail { summary: summary(campaign, battery, counts), battery: lines }
}

// ---------------------------------------------------------------------------
// The candidate list
// ---------------------------------------------------------------------------

/// A row before its headline is filled in (parsing reports is the costly part).
struct ListedCandidate {
    row: CandidateRow,
    invited_ms: i64,
    completed_ms: Option<i64>,
    session_id: Option<String>,
}

/// The campaign's candidates from their rows: status, validity, decision
/// and headline bands, filtered, sorted and cut to [`LIST_LIMIT`].
async fn list_candidates(store: &Store, org_id: &str, campaign: &Campaign, battery: &[Arc<CatalogEntry>], rows: Vec<CandidateStateRow>, query: &CandidateQuery, now: i64) -> RecruitResult<Vec<CandidateRow>> {
    let scores = scores_by_session(store, org_id, &campaign.id).await?;
    let decisions: HashMap<String, Decision> = store
        .campaign_decisions(org_id, &campaign.id)
        .await?
        .into_iter()
        .filter_map(|d| Decision::parse(&d.decision).map(|x| (d.invitation_id, x)))
        .collect(); // oldest first, so the newest wins
    let search = query.search.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_lowercase);
    let mut listed: Vec<ListedCandidate> = rows
        .into_iter()
        .map(|r| {
            let status = candidate_status(&r, now);
            let validity = r.session_id.as_ref().and_then(|s| scores.get(s)).and_then(|list| list.iter().filter_map(|(_, v, _)| Validity::parse(v)).max());
            ListedCandidate {
                row: CandidateRow {
                    invitation_id: r.invitation_id.clone(),
                    name: shown_name(&r),
                    email: r.email.clone().unwrap_or_default(),
                    language: r.language.clone(),
                    status,
                    invited_at: minute_utc(r.invited_at),
                    completed_at: r.completed_at.filter(|_| status == CandidateStatus::Completed).map(minute_utc),
                    headline: Vec::new(),
                    validity,
                    decision: decisions.get(&r.invitation_id).copied(),
                },
                invited_ms: r.invited_at,
                completed_ms: r.completed_at.filter(|_| status == CandidateStatus::Completed),
                session_id: r.session_id,
            }
        })
        .filter(|c| query.status.is_none_or(|s| c.row.status == s))
        .filter(|c| query.validity.is_none_or(|v| c.row.validity == Some(v)))
        .filter(|c| search.as_ref().is_none_or(|q| c.row.name.to_lowercase().contains(q) || c.row.email.contains(q)))
        .collect();
    sort_candidates(&mut listed, query.sort, query.descending);
    listed.truncate(LIST_LIMIT);
    Ok(listed
        .into_iter()
        .map(|mut c| {
            if let Some(list) = c.session_id.as_ref().and_then(|s| scores.get(s)) {
                c.row.headline = headline(battery, list);
            }
            c.row
        })
        .collect())
}

/// (instrument, validity status, report JSON) per session.
type SessionScores = HashMap<String, Vec<(String, String, String)>>;

async fn scores_by_session(store: &Store, org_id: &str, campaign_id: &str) -> RecruitResult<SessionScores> {
    let mut map: SessionScores = HashMap::new();
    for s in store.campaign_scores(org_id, campaign_id).await? {
        map.entry(s.session_id).or_default().push((s.instrument, s.validity_status, s.report));
    }
    Ok(map)
}

/// Sorts by the key; ties by invitation time, so the order is stable. Missing
/// values (no completion yet, no decision) come last either way.
fn sort_candidates(list: &mut [ListedCandidate], key: SortKey, descending: bool) {
    use std::cmp::Ordering;
    fn missing_last<T: Ord>(a: Option<T>, b: Option<T>, descending: bool) -> Ordering {
        match (a, b) {
            (Some(a), Some(b)) => if descending { b.cmp(&a) } else { a.cmp(&b) },
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        }
    }
    list.sort_by(|a, b| {
        let primary = match key {
            SortKey::Name => missing_last(Some(a.row.name.to_lowercase()), Some(b.row.name.to_lowercase()), descending),
            SortKey::Status => missing_last(Some(a.row.status), Some(b.row.status), descending),
            SortKey::Invited => missing_last(Some(a.invited_ms), Some(b.invited_ms), descending),
            SortKey::Completed => missing_last(a.completed_ms, b.completed_ms, descending),
            SortKey::Validity => missing_last(a.row.validity, b.row.validity, descending),
            SortKey::Decision => missing_last(a.row.decision, b.row.decision, descending),
        };
        primary.then(a.invited_ms.cmp(&b.invited_ms)).then_with(|| a.row.invitation_id.cmp(&b.row.invitation_id))
    });
}

/// The trait scales of the first normed instrument, as bands.
fn headline(battery: &[Arc<CatalogEntry>], scores: &[(String, String, String)]) -> Vec<Headline> {
    for entry in battery {
        let Some((_, _, report)) = scores.iter().find(|(i, _, _)| i == entry.bank.id()) else { continue };
        let Ok(scored) = serde_json::from_str::<ScoredSession>(report) else { continue };
        let lines: Vec<Headline> = scored
            .scores
            .scales
            .iter()
            .filter(|s| s.kind == ScaleKind::Trait)
            .filter_map(|s| {
                let n = s.normed.as_ref()?;
                Some(Headline {
                    scale: s.scale.clone(),
                    scale_name: entry.bank.scale(&s.scale).map(|d| profile::english(&d.name)).unwrap_or_else(|| s.scale.clone()),
                    t: n.point.t,
                    t_band: n.band90.t,
                    band: profile::band_kind(n.label),
                })
            })
            .collect();
        if !lines.is_empty() {
            return lines;
        }
    }
    Vec::new()
}

// ---------------------------------------------------------------------------
// Invitations
// ---------------------------------------------------------------------------

/// SHA-256 of the normalised address: the key that keeps one invitation per address and campaign.
pub fn email_key(normalised_email: &str) -> String {
    secret_hash(normalised_email)
}

/// What an upload did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    pub created: usize,
    /// (row, address) already invited to this campaign earlier: nothing new was created.
    pub already_invited: Vec<(usize, String)>,
    pub errors: Vec<csv_import::RowError>,
}

/// A fresh invitation token and the candidate's link with it (the only place the token exists).
fn new_link(base_url: &str) -> (String, String) {
    let token = new_secret();
    let link = format!("{}/take/{token}", base_url.trim_end_matches('/'));
    (token, link)
}

struct Invitation<'a> {
    name: &'a str,
    email: &'a str,
    language: &'a str,
}

/// Builds the store items (token, its hash, the e-mail with the link) for invitees.
async fn invite_items(store: &Store, campaign: &Campaign, base_url: &str, people: &[Invitation<'_>], now: i64) -> RecruitResult<Vec<InviteItem>> {
    let organisation = store.organisation(&campaign.org_id).await?.map(|o| o.name).unwrap_or_default();
    let expires_at = now + campaign.invitation_ttl_days * 86_400_000;
    Ok(people
        .iter()
        .map(|p| {
            let (token, link) = new_link(base_url);
            let message = messages::invitation(&messages::Letter { name: p.name, organisation: &organisation, link: &link, expires_at, language: p.language, occasion: messages::Occasion::Invitation });
            InviteItem {
                name: p.name.to_string(),
                email: p.email.to_string(),
                email_key: email_key(p.email),
                language: p.language.to_string(),
                token_hash: secret_hash(&token),
                expires_at,
                message: crate::store::OutboxDraft { kind: "invitation", to: p.email.to_string(), subject: message.subject, body: message.body },
            }
        })
        .collect())
}

/// Invites one candidate; an address already invited to the campaign is refused.
pub async fn invite(store: &Store, caller: &Caller, campaign_id: &str, name: &str, email: &str, language: &str, base_url: &str) -> RecruitResult<String> {
    let campaign = own_campaign(store, caller, campaign_id).await?;
    let name = csv_import::valid_name(name).map_err(RecruitError::Invalid)?;
    let email = csv_import::valid_email(email).map_err(RecruitError::Invalid)?;
    if !csv_import::LANGUAGES.contains(&language) {
        return Err(RecruitError::Invalid("Please choose English (en) or German (de).".into()));
    }
    let now = now_ms();
    let items = invite_items(store, &campaign, base_url, &[Invitation { name: &name, email: &email, language }], now).await?;
    match store.invite_batch(&caller.org_id, &campaign.id, &caller.user_id, &items, now).await?.pop() {
        Some(Invited::Created { invitation_id }) => {
            audit_invitations(store, caller, &campaign.id, Some(&invitation_id), serde_json::json!({ "via": "form" })).await?;
            Ok(invitation_id)
        }
        _ => Err(RecruitError::Invalid(format!("{email} is already invited to this campaign. Use \"Resend\" on their profile to send a new link."))),
    }
}

/// Invites everyone in a CSV file: valid rows are created, the others listed
/// by row; re-uploading the same file creates nothing twice.
pub async fn import(store: &Store, caller: &Caller, campaign_id: &str, file: &[u8], base_url: &str) -> RecruitResult<ImportReport> {
    let campaign = own_campaign(store, caller, campaign_id).await?;
    let parsed = csv_import::parse(file, "en")?;
    let now = now_ms();
    let people: Vec<Invitation<'_>> = parsed.invitees.iter().map(|i| Invitation { name: &i.name, email: &i.email, language: &i.language }).collect();
    let items = invite_items(store, &campaign, base_url, &people, now).await?;
    let outcomes = store.invite_batch(&caller.org_id, &campaign.id, &caller.user_id, &items, now).await?;
    let mut report = ImportReport { errors: parsed.errors, ..ImportReport::default() };
    for (invitee, outcome) in parsed.invitees.iter().zip(outcomes) {
        match outcome {
            Invited::Created { .. } => report.created += 1,
            Invited::AlreadyInvited => report.already_invited.push((invitee.row, invitee.email.clone())),
        }
    }
    let detail = serde_json::json!({ "via": "csv", "created": report.created, "already_invited": report.already_invited.len(), "rows_with_errors": report.errors.len() });
    audit_invitations(store, caller, &campaign.id, None, detail).await?;
    Ok(report)
}

async fn audit_invitations(store: &Store, caller: &Caller, campaign_id: &str, invitation_id: Option<&str>, mut detail: serde_json::Value) -> RecruitResult<()> {
    detail["campaign"] = serde_json::Value::String(campaign_id.to_string());
    store
        .audit(&AuditEntry {
            org_id: Some(&caller.org_id),
            actor: Actor::User(&caller.user_id),
            action: if invitation_id.is_some() { "invitation.created" } else { "invitations.uploaded" },
            object_type: if invitation_id.is_some() { "invitation" } else { "campaign" },
            object_id: Some(invitation_id.unwrap_or(campaign_id)),
            detail: Some(detail.to_string()),
        })
        .await?;
    Ok(())
}

/// Withdraws an invitation that is not completed: its link stops working at once.
pub async fn revoke(store: &Store, caller: &Caller, campaign_id: &str, invitation_id: &str) -> RecruitResult<()> {
    let (_, row) = own_candidate(store, caller, campaign_id, invitation_id).await?;
    match candidate_status(&row, now_ms()) {
        CandidateStatus::Completed => Err(RecruitError::Invalid("This candidate has completed the assessment; the invitation can no longer be withdrawn.".into())),
        CandidateStatus::Revoked => Err(RecruitError::Invalid("This invitation was already withdrawn.".into())),
        _ => {
            store.revoke_invitation(&caller.org_id, &row.invitation_id, &caller.user_id, now_ms()).await?;
            Ok(())
        }
    }
}

/// Sends a new link (the old one stops working) valid for the campaign's
/// invitation period from now: an invitation again, or a reminder once started.
pub async fn resend(store: &Store, caller: &Caller, campaign_id: &str, invitation_id: &str, base_url: &str) -> RecruitResult<()> {
    let (campaign, row) = own_candidate(store, caller, campaign_id, invitation_id).await?;
    let now = now_ms();
    match candidate_status(&row, now) {
        CandidateStatus::Completed => return Err(RecruitError::Invalid("This candidate has completed the assessment; there is nothing to resend.".into())),
        CandidateStatus::Revoked => return Err(RecruitError::Invalid("This invitation was withdrawn; invite the candidate again if you want them to take part.".into())),
        _ => {}
    }
    let organisation = store.organisation(&caller.org_id).await?.map(|o| o.name).unwrap_or_default();
    let occasion = if row.session_id.is_some() { messages::Occasion::FinishReminder } else { messages::Occasion::Invitation };
    let Some(reissue) = new_link_for(&row, &organisation, occasion, base_url, renewed_expiry(&campaign, now)) else {
        return Err(RecruitError::Invalid("This candidate has no e-mail address on record.".into()));
    };
    if store.reissue_invitation(&caller.org_id, &reissue, &caller.user_id, now).await? {
        Ok(())
    } else {
        Err(RecruitError::Invalid("This invitation was withdrawn, or the assessment completed, meanwhile.".into()))
    }
}

/// A new link for a candidate, valid until `expires_at`, in the e-mail for
/// the occasion. `None` for a candidate without an e-mail address.
fn new_link_for(row: &CandidateStateRow, organisation: &str, occasion: messages::Occasion, base_url: &str, expires_at: i64) -> Option<Reissue> {
    let email = row.email.as_deref().filter(|e| !e.is_empty())?;
    let (token, link) = new_link(base_url);
    let name = row.name.clone().unwrap_or_default();
    let letter = messages::invitation(&messages::Letter { name: &name, organisation, link: &link, expires_at, language: &row.language, occasion });
    let message = crate::store::OutboxDraft { kind: occasion.kind(), to: email.to_string(), subject: letter.subject, body: letter.body };
    Some(Reissue { invitation_id: row.invitation_id.clone(), token_hash: secret_hash(&token), expires_at, message, automatic: false })
}

/// When a link given at `now` runs out: the campaign's invitation period from now.
fn renewed_expiry(campaign: &Campaign, now: i64) -> i64 {
    now + campaign.invitation_ttl_days * 86_400_000
}

/// What lists and profiles call a candidate: their name, or that it was erased.
fn shown_name(row: &CandidateStateRow) -> String {
    if row.erased_at.is_some() {
        ERASED_NAME.to_string()
    } else {
        row.name.clone().unwrap_or_default()
    }
}

/// The name shown for a candidate whose personal data was erased.
pub const ERASED_NAME: &str = "Personal data erased";

/// Erases a candidate's personal data on their request (administrators
/// only; `confirmed`: the box saying it cannot be undone was ticked).
pub async fn erase(store: &Store, caller: &Caller, campaign_id: &str, invitation_id: &str, confirmed: bool) -> RecruitResult<()> {
    if !caller.role.may_erase_candidates() {
        return Err(RecruitError::Forbidden);
    }
    let (_, row) = own_candidate(store, caller, campaign_id, invitation_id).await?;
    if row.erased_at.is_some() {
        return Err(RecruitError::Invalid("This candidate's personal data was erased already.".into()));
    }
    if !confirmed {
        return Err(RecruitError::Invalid("Please tick the box to confirm: erasing cannot be undone.".into()));
    }
    store.erase_candidate(&caller.org_id, &row.invitation_id, Actor::User(&caller.user_id), "request", now_ms()).await?;
    Ok(())
}

// ---------------------------------------------------------------------------
// Decisions
// ---------------------------------------------------------------------------

/// Records the recruiter's decision with its reason (audited). Vigil never decides.
pub async fn decide(store: &Store, caller: &Caller, campaign_id: &str, invitation_id: &str, decision: &str, reason: &str) -> RecruitResult<()> {
    let (campaign, row) = own_candidate(store, caller, campaign_id, invitation_id).await?;
    let decision = Decision::parse(decision).ok_or_else(|| RecruitError::Invalid("Please choose advance, hold or decline.".into()))?;
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(RecruitError::Invalid("Please give a reason for the decision; it helps the candidate and your colleagues understand it.".into()));
    }
    if reason.chars().count() > MAX_REASON_CHARS {
        return Err(RecruitError::Invalid(format!("Please keep the reason under {MAX_REASON_CHARS} characters.")));
    }
    store.record_decision(&caller.org_id, &campaign.id, &row.invitation_id, decision.as_str(), reason, &caller.user_id, now_ms()).await?;
    Ok(())
}

// ---------------------------------------------------------------------------
// Outbox
// ---------------------------------------------------------------------------

/// The organisation's outbox, newest first.
pub async fn outbox(store: &Store, caller: &Caller) -> RecruitResult<Vec<OutboxMessage>> {
    if !caller.role.may_read_outbox() {
        return Err(RecruitError::Forbidden);
    }
    Ok(store
        .outbox_of(&caller.org_id, OUTBOX_LIMIT)
        .await?
        .into_iter()
        .map(|m| OutboxMessage { id: m.id, kind: m.kind, to: m.to_address, subject: m.subject, body: m.body, status: m.status, created_at: minute_utc(m.created_at), sent_at: m.sent_at.map(minute_utc) })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(invitation_status: &str, expires_at: i64, session_status: Option<&str>, deadline_at: Option<i64>) -> CandidateStateRow {
        CandidateStateRow {
            invitation_id: "i".into(),
            campaign_id: "c".into(),
            invitation_status: invitation_status.into(),
            expires_at,
            language: "en".into(),
            invited_at: 0,
            name: None,
            email: None,
            session_id: session_status.map(|_| "s".into()),
            session_status: session_status.map(str::to_string),
            deadline_at,
            completed_at: None,
            erased_at: None,
            auto_reminded_at: None,
        }
    }

    #[test]
    fn status_follows_the_invitation_and_the_session() {
        let now = 1_000;
        assert_eq!(candidate_status(&row("active", 2_000, None, None), now), CandidateStatus::Invited);
        assert_eq!(candidate_status(&row("active", 500, None, None), now), CandidateStatus::Expired);
        assert_eq!(candidate_status(&row("active", 2_000, Some("in_progress"), None), now), CandidateStatus::Started);
        assert_eq!(candidate_status(&row("active", 2_000, Some("in_progress"), Some(900)), now), CandidateStatus::Expired);
        assert_eq!(candidate_status(&row("active", 500, Some("in_progress"), None), now), CandidateStatus::Expired);
        assert_eq!(candidate_status(&row("revoked", 2_000, Some("in_progress"), None), now), CandidateStatus::Revoked);
        // Completion stands, whatever happened to the link afterwards.
        assert_eq!(candidate_status(&row("revoked", 500, Some("completed"), Some(1)), now), CandidateStatus::Completed);
    }

    #[test]
    fn the_same_address_always_has_the_same_key() {
        assert_eq!(email_key("ada@example.org"), email_key("ada@example.org"));
        assert_ne!(email_key("ada@example.org"), email_key("bob@example.org"));
        assert_eq!(email_key("ada@example.org").len(), 64);
    }

    fn form(instruments: &[&str]) -> CampaignForm {
        CampaignForm { name: "Analysts".into(), instruments: instruments.iter().map(|s| s.to_string()).collect(), ..CampaignForm::default() }
    }

    #[test]
    fn a_campaign_names_existing_published_bank_versions_and_their_own_norms() {
        let catalog = Catalog::load(&Catalog::shipped_dir()).expect("shipped banks load");
        let svi = catalog.get("svi", "1.0.0").expect("svi 1.0.0 ships");
        let norm = svi.norms.first().expect("svi has norms").id.clone();
        let mut f = form(&["svi@1.0.0", "sjs@1.0.0"]);
        f.norms.insert("svi@1.0.0".into(), norm.clone());
        let ValidCampaign { battery, time_limit: limit, invitation_days: days, reminder_days } = validate_campaign(&catalog, &f).expect("valid");
        assert_eq!(battery.instruments.len(), 2);
        assert_eq!(reminder_days, None, "no automatic reminder unless asked for");
        assert_eq!(battery.instruments[0].norm_table, Some(Some(norm.clone())));
        assert_eq!(battery.instruments[0].bank_hash.as_deref(), Some(svi.bank.content_hash()));
        assert_eq!(battery.instruments[1].norm_table, Some(None));
        assert_eq!((limit, days), (None, 14));
    }

    #[test]
    fn a_campaign_with_a_missing_bank_version_or_foreign_norms_is_refused_with_every_reason() {
        let catalog = Catalog::load(&Catalog::shipped_dir()).expect("shipped banks load");
        let sjs_norm = catalog.get("sjs", "1.0.0").and_then(|e| e.norms.first().map(|n| n.id.clone())).expect("sjs norms");
        let mut f = form(&["svi@9.9.9", "svi@1.0.0", "nonsense"]);
        f.norms.insert("svi@1.0.0".into(), sjs_norm);
        f.time_limit_minutes = "0".into();
        f.invitation_days = "400".into();
        let Err(RecruitError::Invalid(message)) = validate_campaign(&catalog, &f) else { panic!("accepted") };
        for part in ["svi@9.9.9 does not exist", "does not belong to svi@1.0.0", "\"nonsense\" is not an instrument version", "time limit", "1 to 90 days"] {
            assert!(message.contains(part), "{part:?} missing from {message:?}");
        }
    }

    #[test]
    fn the_automatic_reminder_comes_before_the_link_runs_out() {
        let catalog = Catalog::load(&Catalog::shipped_dir()).expect("shipped banks load");
        let with = |reminder: &str, link: &str| {
            let mut f = form(&["svi@1.0.0"]);
            f.reminder_days = reminder.into();
            f.invitation_days = link.into();
            validate_campaign(&catalog, &f).map(|v| v.reminder_days)
        };
        assert_eq!(with("3", "14").ok(), Some(Some(3)));
        assert_eq!(with(" ", "14").ok(), Some(None));
        for (reminder, link) in [("0", "14"), ("31", "60"), ("14", "14"), ("3.5", "14"), ("soon", "14")] {
            assert!(matches!(with(reminder, link), Err(RecruitError::Invalid(m)) if m.contains("automatic reminder")), "{reminder} days before a {link}-day link");
        }
    }

    #[test]
    fn the_workforce_pulse_is_refused_in_a_hiring_campaign_and_not_offered() {
        let catalog = Catalog::load(&Catalog::shipped_dir()).expect("shipped banks load");
        let Err(RecruitError::Invalid(message)) = validate_campaign(&catalog, &form(&["svi@1.0.0", "pulse@1.0.0"])) else { panic!("accepted") };
        assert!(message.contains("pulse@1.0.0 is not meant for hiring"), "{message}");
        let recruiter = Caller { user_id: "u".into(), org_id: "org".into(), role: app::staff::model::StaffRole::Recruiter };
        let offered = bank_options(&catalog, &recruiter).expect("options");
        assert!(offered.iter().any(|o| o.instrument == "svi"));
        assert!(!offered.iter().any(|o| o.instrument == "pulse"), "the pulse is not offered for hiring");
    }

    #[test]
    fn adaptive_needs_a_calibrated_bank() {
        let catalog = Catalog::load(&Catalog::shipped_dir()).expect("shipped banks load");
        let mut f = form(&["pulse@1.0.0"]);
        f.adaptive = true;
        assert!(matches!(validate_campaign(&catalog, &f), Err(RecruitError::Invalid(m)) if m.contains("IRT")), "the pulse bank has no IRT parameters");
        let mut f = form(&["svi@1.1.0"]);
        f.adaptive = true;
        assert!(validate_campaign(&catalog, &f).is_ok());
    }
}
