//! What the recruiter pages show: campaigns, their candidates, profiles,
//! decisions and the outbox. Never item-level answers, scoring keys or
//! tokens (a recruiter sees bands, percentiles, flags and interpretations).
//!
//! A candidate is addressed by their invitation's id (random UUID), scoped
//! to a campaign: `/campaigns/{campaign_id}/candidates/{invitation_id}`.

use serde::{Deserialize, Serialize};

/// Where a candidate stands in a campaign.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CandidateStatus {
    /// Invited; has not started (the link may not have been opened).
    Invited,
    /// Acknowledged the notice and started; not finished.
    Started,
    /// Finished and scored.
    Completed,
    /// The invitation or the time limit ran out before finishing.
    Expired,
    /// The organisation withdrew the invitation.
    Revoked,
}

impl CandidateStatus {
    pub const ALL: [CandidateStatus; 5] =
        [CandidateStatus::Invited, CandidateStatus::Started, CandidateStatus::Completed, CandidateStatus::Expired, CandidateStatus::Revoked];

    pub fn as_str(self) -> &'static str {
        match self {
            CandidateStatus::Invited => "invited",
            CandidateStatus::Started => "started",
            CandidateStatus::Completed => "completed",
            CandidateStatus::Expired => "expired",
            CandidateStatus::Revoked => "revoked",
        }
    }

    pub fn parse(s: &str) -> Option<CandidateStatus> {
        CandidateStatus::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// In English, as exports, the API and the audit read it (the staff texts' English).
    pub fn label(self) -> &'static str {
        self.label_in(crate::i18n::staff_text("en"))
    }

    /// The label in the reader's language.
    pub fn label_in(self, t: &crate::i18n::StaffText) -> &'static str {
        match self {
            CandidateStatus::Invited => t.status_invited_short,
            CandidateStatus::Started => t.status_started,
            CandidateStatus::Completed => t.status_completed,
            CandidateStatus::Expired => t.status_expired,
            CandidateStatus::Revoked => t.status_revoked,
        }
    }
}

/// The recruiter's decision. Vigil records it; it never makes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Decision {
    Advance,
    Hold,
    Decline,
}

impl Decision {
    pub const ALL: [Decision; 3] = [Decision::Advance, Decision::Hold, Decision::Decline];

    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Advance => "advance",
            Decision::Hold => "hold",
            Decision::Decline => "decline",
        }
    }

    pub fn parse(s: &str) -> Option<Decision> {
        Decision::ALL.into_iter().find(|d| d.as_str() == s)
    }

    /// In English, as exports, the API and the audit read it (the staff texts' English).
    pub fn label(self) -> &'static str {
        self.label_in(crate::i18n::staff_text("en"))
    }

    /// The label in the reader's language.
    pub fn label_in(self, t: &crate::i18n::StaffText) -> &'static str {
        match self {
            Decision::Advance => t.decision_advance,
            Decision::Hold => t.decision_hold,
            Decision::Decline => t.decision_decline,
        }
    }
}

/// Response-validity status of a session (PSYCHOMETRICS.md section 7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Validity {
    Ok,
    Caution,
    Invalid,
}

impl Validity {
    pub fn as_str(self) -> &'static str {
        match self {
            Validity::Ok => "ok",
            Validity::Caution => "caution",
            Validity::Invalid => "invalid",
        }
    }

    pub fn parse(s: &str) -> Option<Validity> {
        [Validity::Ok, Validity::Caution, Validity::Invalid].into_iter().find(|v| v.as_str() == s)
    }

    /// In English, as exports, the API and the audit read it (the staff texts' English).
    pub fn label(self) -> &'static str {
        self.label_in(crate::i18n::staff_text("en"))
    }

    /// The label in the reader's language.
    pub fn label_in(self, t: &crate::i18n::StaffText) -> &'static str {
        match self {
            Validity::Ok => t.validity_ok,
            Validity::Caution => t.validity_caution,
            Validity::Invalid => t.validity_invalid,
        }
    }
}

/// Interpretation band of a T score: T < 40 low, 40-60 average, T > 60 high.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BandKind {
    Low,
    Average,
    High,
}

impl From<assessments::norms::BandLabel> for BandKind {
    fn from(label: assessments::norms::BandLabel) -> BandKind {
        match label {
            assessments::norms::BandLabel::Low => BandKind::Low,
            assessments::norms::BandLabel::Average => BandKind::Average,
            assessments::norms::BandLabel::High => BandKind::High,
        }
    }
}

impl BandKind {
    /// The range a T score falls in (the rule of [`assessments::norms::band_label`]).
    pub fn of_t(t: i32) -> BandKind {
        assessments::norms::band_label(t).into()
    }

    /// In English, as exports, the API and the audit read it (the staff texts' English).
    pub fn label(self) -> &'static str {
        self.label_in(crate::i18n::staff_text("en"))
    }

    /// The label in the reader's language.
    pub fn label_in(self, t: &crate::i18n::StaffText) -> &'static str {
        match self {
            BandKind::Low => t.band_low,
            BandKind::Average => t.band_average,
            BandKind::High => t.band_high,
        }
    }
}

/// How many candidates of a campaign are in each state.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusCounts {
    pub invited: u32,
    pub started: u32,
    pub completed: u32,
    pub expired: u32,
    pub revoked: u32,
}

/// One line of the campaign list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CampaignSummary {
    pub id: String,
    pub name: String,
    pub role_family: String,
    /// "2026-11-23"
    pub created_on: String,
    /// "Security Values Inventory 1.0.0", one per instrument.
    pub instruments: Vec<String>,
    pub adaptive: bool,
    pub candidate_feedback: bool,
    pub time_limit_minutes: Option<u32>,
    pub invitation_days: u32,
    /// Days before a link runs out when Vigil reminds a candidate once; `None`: never.
    pub reminder_days: Option<u32>,
    pub counts: StatusCounts,
}

/// A norm group as every report must name it (PSYCHOMETRICS.md section 3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NormInfo {
    pub id: String,
    /// The group's description, e.g. "Working adults, security roles (simulated)".
    pub group: String,
    pub country: String,
    pub role_family: String,
    /// Collection dates, "2026-01-01".
    pub collected_from: String,
    pub collected_to: String,
    /// The smallest N over the table's scales.
    pub n: u64,
    /// "inadequate" / "adequate" / "good" / "excellent" (EFPA).
    pub quality: String,
    /// Norms from simulated respondents.
    pub demonstration: bool,
    /// The table also norms IRT (theta) scores.
    pub theta_norms: bool,
}

/// One instrument of a campaign's battery.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatteryLine {
    pub instrument: String,
    pub title: String,
    pub version: String,
    pub norm: Option<NormInfo>,
    /// The campaign runs adaptively and this bank has IRT parameters.
    pub adaptive: bool,
}

/// A campaign with its battery.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CampaignDetail {
    pub summary: CampaignSummary,
    pub battery: Vec<BatteryLine>,
    /// Where the candidate list shown with it stands.
    #[serde(default)]
    pub listed: ListPage,
}

/// A published bank version a new campaign may use, with its norm tables.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BankOption {
    pub instrument: String,
    pub version: String,
    pub title: String,
    /// Has IRT parameters, so it can run adaptively.
    pub adaptive_capable: bool,
    /// Its IRT parameters are demonstration values (estimated from simulated
    /// respondents), not a calibration on real people.
    pub demonstration_parameters: bool,
    pub norms: Vec<NormInfo>,
    /// The instrument's newest version, when this one is older.
    #[serde(default)]
    pub newer_version: Option<String>,
    /// What it measures: the names of its scales, validity scales last.
    #[serde(default)]
    pub measures: Vec<String>,
    /// Its questions, and about how many minutes they take, when asked in full.
    #[serde(default)]
    pub questions: u32,
    #[serde(default)]
    pub minutes: u32,
}

/// The headline of one scale on the candidate list: band with its 90% range.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Headline {
    pub scale: String,
    pub scale_name: String,
    pub t: i32,
    pub t_band: [i32; 2],
    pub band: BandKind,
}

/// One candidate on a campaign's list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CandidateRow {
    pub invitation_id: String,
    /// Empty when the candidate was invited without a name, or was erased.
    pub name: String,
    pub email: String,
    pub language: String,
    pub status: CandidateStatus,
    /// "2026-11-23 14:05 UTC"
    pub invited_at: String,
    pub completed_at: Option<String>,
    /// Trait scales of the first instrument with norms (empty until completed).
    pub headline: Vec<Headline>,
    pub validity: Option<Validity>,
    pub decision: Option<Decision>,
}

/// How the candidate list is sorted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SortKey {
    Name,
    Status,
    #[default]
    Invited,
    Completed,
    Validity,
    Decision,
}

impl SortKey {
    pub const ALL: [SortKey; 6] = [SortKey::Name, SortKey::Status, SortKey::Invited, SortKey::Completed, SortKey::Validity, SortKey::Decision];

    pub fn as_str(self) -> &'static str {
        match self {
            SortKey::Name => "name",
            SortKey::Status => "status",
            SortKey::Invited => "invited",
            SortKey::Completed => "completed",
            SortKey::Validity => "validity",
            SortKey::Decision => "decision",
        }
    }

    pub fn parse(s: &str) -> Option<SortKey> {
        SortKey::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// Filter and order of the candidate list (from the page's query string).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CandidateQuery {
    pub status: Option<CandidateStatus>,
    pub validity: Option<Validity>,
    /// Case-insensitive part of the name or e-mail address.
    pub search: Option<String>,
    pub sort: SortKey,
    pub descending: bool,
    /// The page after this candidate (the list's cursor); none: the first page.
    #[serde(default)]
    pub after: Option<String>,
}

/// Candidates on one page of the list.
pub const LIST_PAGE: usize = 100;
/// Campaigns on one page of the campaign list.
pub const CAMPAIGN_PAGE: usize = 50;

/// A page of the organisation's campaigns, newest first, and where it stands.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CampaignPage {
    pub campaigns: Vec<CampaignSummary>,
    pub listed: ListPage,
}

/// Where one page of the candidate list stands: how many candidates match
/// the filter, the place of the page's first row (from 1), and the cursor
/// of the next page when there is one.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListPage {
    pub total: u32,
    pub from: u32,
    pub next_after: Option<String>,
}

/// Normed scores of one scale, each with its 90% band.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct NormedView {
    pub t: i32,
    pub t_band: [i32; 2],
    pub percentile: f64,
    pub percentile_band: [f64; 2],
    pub sten: u8,
    pub sten_band: [u8; 2],
    pub band: BandKind,
    /// N of this scale in the norm group.
    pub n: u64,
}

/// One scale of a profile.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScaleProfile {
    pub scale: String,
    pub name: String,
    /// "trait", "judgement", "impression_management" or "pulse".
    pub kind: String,
    pub description: Option<String>,
    pub items: u32,
    /// Items answered (after an adaptive run: asked and answered).
    pub answered: u32,
    /// The scale has a score (enough items answered for its method).
    pub scorable: bool,
    /// How the score was made: "CTT (raw score)", "IRT (fixed form)" or "IRT (adaptive)".
    pub method: String,
    /// An IRT score: its 90% band comes from the estimate's own standard
    /// error (posterior SD); a CTT band comes from the scale's SEM.
    pub irt: bool,
    /// Why the adaptive run of this scale stopped, e.g. "precision reached".
    pub stop: Option<String>,
    /// Why the scale has no score, when it has none.
    pub not_scored: Option<String>,
    pub normed: Option<NormedView>,
    /// The interpretation text of the scale's band.
    pub interpretation: Option<String>,
    /// Questions for the interview, given for the lower band.
    pub interview_prompts: Vec<String>,
}

/// The validity panel of one instrument.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValidityPanel {
    pub status: Validity,
    /// Plain-language reasons for every index that is not ok.
    pub reasons: Vec<String>,
}

/// One instrument of a candidate's profile.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InstrumentProfile {
    pub instrument: String,
    pub title: String,
    pub version: String,
    /// First 12 hex digits of the bank version's content hash (provenance).
    pub bank_hash: String,
    pub engine_version: String,
    pub norm: Option<NormInfo>,
    pub validity: ValidityPanel,
    /// The instrument ran adaptively (the computer chose the items).
    pub adaptive: bool,
    /// Some scale is reported on the bank's IRT parameters, and those are
    /// demonstration values (estimated from simulated respondents).
    pub demonstration_parameters: bool,
    pub scales: Vec<ScaleProfile>,
}

/// One recorded decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecisionLine {
    pub decision: Decision,
    pub reason: String,
    pub by: String,
    /// "2026-11-23 14:05 UTC"
    pub at: String,
}

/// A candidate's norm-referenced profile.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Profile {
    pub campaign_id: String,
    pub campaign_name: String,
    pub invitation_id: String,
    pub name: String,
    pub email: String,
    pub status: CandidateStatus,
    pub completed_at: Option<String>,
    /// Empty until the session is completed and scored.
    pub instruments: Vec<InstrumentProfile>,
    /// Newest first; the first is the current decision.
    pub decisions: Vec<DecisionLine>,
    /// The day the candidate's personal data was erased ("2026-11-23").
    pub erased_on: Option<String>,
}

/// Most candidates compared side by side.
pub const MAX_COMPARE: usize = 5;

/// A message in the organisation's outbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxMessage {
    pub id: String,
    /// "invitation" or "reminder".
    pub kind: String,
    pub to: String,
    pub subject: String,
    /// Empty once sent by SMTP or once the link in it stopped working.
    pub body: String,
    /// "queued", "sent" or "failed".
    pub status: String,
    pub created_at: String,
    pub sent_at: Option<String>,
}

impl OutboxMessage {
    /// Still to be sent, with its text: a person may send it and say so.
    pub fn waiting(&self) -> bool {
        OUTBOX_WAITING.contains(&self.status.as_str()) && !self.body.is_empty()
    }
}

/// The outbox's statuses, for its filter.
pub const OUTBOX_STATUSES: [&str; 3] = ["queued", "sent", "failed"];
/// The statuses of messages still to be sent.
pub const OUTBOX_WAITING: [&str; 2] = ["queued", "failed"];
/// Messages on one page of the outbox.
pub const OUTBOX_PAGE: usize = 100;

/// Filter and cursor of the outbox (from the page's query string).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxQuery {
    /// One of [`OUTBOX_STATUSES`], or every message.
    pub status: Option<String>,
    /// The page after this message; none: the first page.
    pub after: Option<String>,
}

impl OutboxQuery {
    /// From the query string: an unknown status means every message.
    pub fn parse(status: Option<&str>, after: Option<&str>) -> OutboxQuery {
        OutboxQuery {
            status: status.filter(|s| OUTBOX_STATUSES.contains(s)).map(str::to_string),
            after: after.map(str::trim).filter(|a| !a.is_empty() && a.len() <= 64).map(str::to_string),
        }
    }
}

/// A page of the outbox: its messages, where it stands, and how many
/// messages are in each status (queued, sent, failed).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxPage {
    pub messages: Vec<OutboxMessage>,
    pub listed: ListPage,
    pub counts: [u32; 3],
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::staff_text;

    /// The English of every translated label is the label the rest of Vigil (CSV, API) uses.
    #[test]
    fn english_labels_read_as_before_and_german_ones_differ() {
        let (en, de) = (staff_text("en"), staff_text("de"));
        for s in CandidateStatus::ALL {
            assert_eq!(s.label_in(en), s.label());
            assert_ne!(s.label_in(de), s.label());
        }
        for d in Decision::ALL {
            assert_eq!(d.label_in(en), d.label());
            assert_ne!(d.label_in(de), d.label());
        }
        for v in [Validity::Ok, Validity::Caution, Validity::Invalid] {
            assert_eq!(v.label_in(en), v.label());
        }
        for b in [BandKind::Low, BandKind::Average, BandKind::High] {
            assert_eq!(b.label_in(en), b.label());
        }
    }
}
