//! The integration API's documents: what other systems send and receive.
//! They are a contract of their own (versioned by the `/api/v1` prefix),
//! mapped from the service layer's types here, so a change to a page never
//! changes what an applicant tracking system reads. Requests refuse
//! unknown fields. Times are RFC 3339 UTC.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// One instrument of a campaign's battery.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct InstrumentRef {
    /// The instrument's id, e.g. `svi`.
    pub id: String,
    /// The bank version the campaign uses.
    pub version: String,
    pub title: String,
}

/// A campaign: the battery candidates take and its settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Campaign {
    pub id: String,
    pub name: String,
    pub role_family: String,
    /// `open` or `closed`.
    pub status: String,
    /// Adaptive testing where the instruments allow it.
    pub adaptive: bool,
    pub time_limit_minutes: Option<i64>,
    /// How long an invitation link stays valid.
    pub invitation_days: i64,
    pub instruments: Vec<InstrumentRef>,
    pub created_at: String,
}

/// The organisation's campaigns.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct CampaignList {
    pub campaigns: Vec<Campaign>,
}

/// An invitation to order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewInvitation {
    /// The candidate's name as they will see it.
    pub name: String,
    pub email: String,
    /// `en` or `de`; English when left out.
    #[serde(default)]
    pub language: Option<String>,
    /// Your own id for this order (e.g. the application id), at most 200 characters; returned with every status, result and event.
    #[serde(default)]
    pub external_id: Option<String>,
    /// Whether Vigil e-mails the link (default); `false` when your system passes the link on itself.
    #[serde(default)]
    pub send_email: Option<bool>,
}

/// Up to 1,000 invitations to order at once.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewInvitations {
    pub invitations: Vec<NewInvitation>,
}

/// An invitation and where its candidate stands.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Invitation {
    pub id: String,
    pub campaign_id: String,
    pub external_id: Option<String>,
    /// The candidate's name; empty after their personal data were erased.
    pub name: String,
    pub email: String,
    pub language: String,
    /// `invited`, `started`, `completed`, `expired` or `revoked`.
    pub status: String,
    pub invited_at: String,
    pub expires_at: String,
    pub completed_at: Option<String>,
    /// Where the result is read, once completed.
    pub result_url: Option<String>,
}

/// An invitation just created, with the candidate's personal link (only
/// in this answer: Vigil keeps no copy of the link apart from its e-mail).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct CreatedInvitation {
    pub invitation: Invitation,
    pub link: String,
}

/// An address already invited to the campaign: nothing new was created.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct AlreadyInvited {
    /// Its position in the request (from 0).
    pub index: usize,
    pub email: String,
    pub invitation_id: String,
}

/// What a bulk order did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct BulkCreated {
    pub created: Vec<CreatedInvitation>,
    pub already_invited: Vec<AlreadyInvited>,
}

/// The norm group scores were compared with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Norm {
    pub id: String,
    pub group: String,
    pub country: String,
    pub role_family: String,
    /// The smallest N over its scales.
    pub n: u64,
    /// `inadequate`, `adequate`, `good` or `excellent` (by N).
    pub quality: String,
    /// A demonstration table, not a real norm group.
    pub demonstration: bool,
    pub collected_from: String,
    pub collected_to: String,
}

/// A norm-referenced score with its 90% band.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Normed {
    pub t: i32,
    pub t_band: [i32; 2],
    pub percentile: f64,
    pub percentile_band: [f64; 2],
    pub sten: u8,
    pub sten_band: [u8; 2],
    /// `low`, `average` or `high`.
    pub band: String,
}

/// One scale of a result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Scale {
    pub scale: String,
    pub name: String,
    /// `trait`, `impression_management`, `judgement` or `pulse`.
    pub kind: String,
    /// How it was scored, e.g. "classical sum score" or "IRT (EAP)".
    pub method: String,
    pub scorable: bool,
    pub items: u32,
    pub answered: u32,
    /// Absent when the scale could not be scored or has no norms.
    pub normed: Option<Normed>,
    /// What the band means, in words.
    pub interpretation: Option<String>,
}

/// Whether the answers can be read as a fair self-description.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Validity {
    /// `ok`, `caution` or `invalid`.
    pub status: String,
    pub reasons: Vec<String>,
}

/// One instrument's scores with their provenance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct InstrumentResult {
    pub instrument: String,
    pub title: String,
    pub version: String,
    /// The start of the bank's content hash.
    pub bank_hash: String,
    pub engine_version: String,
    pub adaptive: bool,
    /// IRT parameters are demonstration values, not a calibration.
    pub demonstration_parameters: bool,
    pub norm: Option<Norm>,
    pub validity: Validity,
    pub scales: Vec<Scale>,
}

/// A candidate's result: scores with bands, never item-level answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct AssessmentResult {
    pub invitation_id: String,
    pub campaign_id: String,
    pub external_id: Option<String>,
    /// Where the candidate stands; scores only once `completed`.
    pub status: String,
    pub completed_at: Option<String>,
    pub instruments: Vec<InstrumentResult>,
    /// The printable report, for a signed-in member of staff.
    pub report_url: String,
    /// What these scores can and cannot tell.
    pub note: String,
}

/// A result that became available, in the order of the feed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ResultChange {
    pub invitation_id: String,
    pub campaign_id: String,
    pub external_id: Option<String>,
    pub completed_at: String,
    pub result_url: String,
}

/// One page of the results feed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ResultsPage {
    pub results: Vec<ResultChange>,
    /// Pass as `cursor` for what follows; keep it when the page is empty and ask again later.
    pub next_cursor: String,
    /// More results are ready now.
    pub has_more: bool,
}

/// What every answer to an invitation change says.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Done {
    pub invitation: Invitation,
}
