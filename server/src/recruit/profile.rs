//! A candidate's norm-referenced profile, built from the stored classical
//! scores (with their provenance) and the bank's scale texts. What a
//! recruiter reads: T, percentile and sten, each with its 90% band; the
//! norm group with its N, dates and quality; the validity panel; the
//! interpretation of the band and interview prompts for the lower band.

use std::collections::BTreeSet;

use app::recruit::model::{BandKind, CandidateStatus, Decision, DecisionLine, InstrumentProfile, NormInfo, NormedView, Profile, ScaleProfile, Validity, ValidityPanel, MAX_COMPARE};
use assessments::{
    bank::{ScaleKind, Text},
    scored_session::ScoredSession,
    norms::{norm_quality, NormQuality, NormTable},
    scoring::ScaleScore,
};

use super::access::{candidate_status, own_campaign, own_candidate, shown_name, RecruitResult};
use crate::{
    catalog::{Catalog, CatalogEntry},
    staff::Caller,
    store::{Actor, AuditEntry, Campaign, CandidateStateRow, Store},
    time::{date_utc, minute_utc, now_ms},
};
use crate::service_error::ServiceError;

/// The English text (staff pages are in English), else any.
pub fn english(t: &Text) -> String {
    t.get("en").or_else(|| t.values().next()).cloned().unwrap_or_default()
}

pub fn quality_name(q: NormQuality) -> &'static str {
    match q {
        NormQuality::Inadequate => "inadequate",
        NormQuality::Adequate => "adequate",
        NormQuality::Good => "good",
        NormQuality::Excellent => "excellent",
    }
}

/// A norm table as reports name it; N is the smallest over its scales.
pub fn norm_info(table: &NormTable) -> NormInfo {
    let n = table.scales.iter().map(|s| s.n).min().unwrap_or(0);
    NormInfo {
        id: table.id.clone(),
        group: english(&table.group),
        country: table.country.clone(),
        role_family: table.role_family.clone(),
        collected_from: table.collected_from.clone(),
        collected_to: table.collected_to.clone(),
        n,
        quality: quality_name(norm_quality(n)).to_string(),
        demonstration: table.demonstration,
    }
}

fn kind_name(kind: ScaleKind) -> &'static str {
    match kind {
        ScaleKind::Trait => "trait",
        ScaleKind::ImpressionManagement => "impression_management",
        ScaleKind::Judgement => "judgement",
        ScaleKind::Pulse => "pulse",
    }
}

fn normed_view(scale: &ScaleScore) -> Option<NormedView> {
    let n = scale.normed.as_ref()?;
    Some(NormedView {
        t: n.point.t,
        t_band: n.band90.t,
        percentile: n.point.percentile,
        percentile_band: n.band90.percentile,
        sten: n.point.sten,
        sten_band: n.band90.sten,
        band: n.label.into(),
        n: n.norm_n,
    })
}

/// One scale with its texts: the interpretation of its band, and interview
/// prompts when the score is in the lower band.
fn scale_profile(entry: &CatalogEntry, scale: &ScaleScore) -> ScaleProfile {
    let def = entry.bank.scale(&scale.scale);
    let normed = normed_view(scale);
    let interpretation = def.and_then(|d| d.interpretation.as_ref());
    let text = match (interpretation, normed.map(|n| n.band)) {
        (Some(i), Some(BandKind::Low)) => Some(english(&i.low)),
        (Some(i), Some(BandKind::Average)) => Some(english(&i.average)),
        (Some(i), Some(BandKind::High)) => Some(english(&i.high)),
        _ => None,
    };
    let prompts = match (interpretation, normed.map(|n| n.band)) {
        (Some(i), Some(BandKind::Low)) => i.interview_prompts.get("en").cloned().unwrap_or_default(),
        _ => Vec::new(),
    };
    ScaleProfile {
        scale: scale.scale.clone(),
        name: def.map(|d| english(&d.name)).unwrap_or_else(|| scale.scale.clone()),
        kind: kind_name(scale.kind).to_string(),
        description: def.and_then(|d| d.description.as_ref()).map(english),
        items: u32::try_from(scale.items).unwrap_or(u32::MAX),
        answered: u32::try_from(scale.answered).unwrap_or(u32::MAX),
        scorable: scale.scorable,
        normed,
        interpretation: text,
        interview_prompts: prompts,
    }
}

fn validity(scored: &ScoredSession) -> ValidityPanel {
    let status = match scored.validity.status {
        assessments::validity::Status::Ok => Validity::Ok,
        assessments::validity::Status::Caution => Validity::Caution,
        assessments::validity::Status::Invalid => Validity::Invalid,
    };
    ValidityPanel { status, reasons: scored.validity.reasons.clone() }
}

/// The norm group a stored score was normed against: the table itself when
/// this server still has it, else what the score's provenance recorded.
fn norm_of(entry: &CatalogEntry, scored: &ScoredSession) -> Option<NormInfo> {
    let p = &scored.scores.provenance;
    let id = p.norm_table_id.as_deref()?;
    if let Some(table) = entry.norms.iter().find(|t| t.id == id) {
        return Some(norm_info(table));
    }
    let n = scored.scores.scales.iter().filter_map(|s| s.normed.as_ref().map(|x| x.norm_n)).min().unwrap_or(0);
    Some(NormInfo {
        id: id.to_string(),
        group: p.norm_group.as_ref().map(english).unwrap_or_default(),
        country: String::new(),
        role_family: String::new(),
        collected_from: p.norm_collected.as_ref().map(|c| c[0].clone()).unwrap_or_default(),
        collected_to: p.norm_collected.as_ref().map(|c| c[1].clone()).unwrap_or_default(),
        n,
        quality: quality_name(norm_quality(n)).to_string(),
        demonstration: p.demonstration,
    })
}

/// Builds the profile of one candidate (no audit entry: callers write it).
pub(super) async fn build(store: &Store, catalog: &Catalog, caller: &Caller, campaign: &Campaign, row: &CandidateStateRow) -> RecruitResult<Profile> {
    let battery = crate::battery::battery(catalog, campaign).map(crate::battery::individually_reported)?;
    let status = candidate_status(row, now_ms());
    let mut instruments = Vec::new();
    if let (CandidateStatus::Completed, Some(session_id)) = (status, row.session_id.as_deref()) {
        for stored in store.scores_of(&caller.org_id, session_id).await?.into_iter().filter(|s| s.method == "ctt") {
            let Some(entry) = battery.iter().find(|e| e.bank.id() == stored.instrument) else { continue };
            let scored: ScoredSession = serde_json::from_str(&stored.report).map_err(|e| ServiceError::Misconfigured(format!("stored score {}: {e}", stored.id)))?;
            instruments.push(InstrumentProfile {
                instrument: stored.instrument.clone(),
                title: english(&entry.bank.file().instrument.title),
                version: stored.bank_version.clone(),
                bank_hash: stored.bank_hash.chars().take(12).collect(),
                engine_version: stored.engine_version.clone(),
                norm: norm_of(entry, &scored),
                validity: validity(&scored),
                scales: scored.scores.scales.iter().map(|s| scale_profile(entry, s)).collect(),
            });
        }
    }
    // In the order of the campaign's battery, whatever order they were stored in.
    instruments.sort_by_key(|i| battery.iter().position(|e| e.bank.id() == i.instrument));
    let decisions = store
        .candidate_decisions(&caller.org_id, &row.invitation_id)
        .await?
        .into_iter()
        .filter_map(|d| Some(DecisionLine { decision: Decision::parse(&d.decision)?, reason: d.reason, by: d.decided_by_name, at: minute_utc(d.decided_at) }))
        .collect();
    Ok(Profile {
        campaign_id: campaign.id.clone(),
        campaign_name: campaign.name.clone(),
        invitation_id: row.invitation_id.clone(),
        name: shown_name(row),
        email: row.email.clone().unwrap_or_default(),
        status,
        completed_at: row.completed_at.filter(|_| status == CandidateStatus::Completed).map(minute_utc),
        instruments,
        decisions,
        erased_on: row.erased_at.map(date_utc),
    })
}

/// A candidate's profile; the view is audited as `action` ("profile.viewed", "profile.printed").
pub async fn profile(store: &Store, catalog: &Catalog, caller: &Caller, campaign_id: &str, invitation_id: &str, action: &'static str) -> RecruitResult<Profile> {
    let (campaign, row) = own_candidate(store, caller, campaign_id, invitation_id).await?;
    let profile = build(store, catalog, caller, &campaign, &row).await?;
    store
        .audit(&AuditEntry {
            org_id: Some(&caller.org_id),
            actor: Actor::User(&caller.user_id),
            action,
            object_type: "invitation",
            object_id: Some(&row.invitation_id),
            detail: Some(serde_json::json!({ "campaign": campaign.id }).to_string()),
        })
        .await?;
    Ok(profile)
}

/// Profiles of 2 to [`MAX_COMPARE`] candidates of one campaign, in the order
/// asked (duplicates dropped); one audit entry names them all.
pub async fn compare(store: &Store, catalog: &Catalog, caller: &Caller, campaign_id: &str, invitation_ids: &[String]) -> RecruitResult<Vec<Profile>> {
    let campaign = own_campaign(store, caller, campaign_id).await?;
    let mut seen = BTreeSet::new();
    let ids: Vec<&String> = invitation_ids.iter().filter(|id| seen.insert(id.as_str())).collect();
    if ids.len() < 2 || ids.len() > MAX_COMPARE {
        return Err(ServiceError::Invalid(format!("Please choose from 2 to {MAX_COMPARE} candidates to compare.")));
    }
    let mut profiles = Vec::with_capacity(ids.len());
    for id in &ids {
        let row = store.campaign_candidate(&caller.org_id, &campaign.id, id).await?.ok_or(ServiceError::NotFound)?;
        profiles.push(build(store, catalog, caller, &campaign, &row).await?);
    }
    store
        .audit(&AuditEntry {
            org_id: Some(&caller.org_id),
            actor: Actor::User(&caller.user_id),
            action: "profiles.compared",
            object_type: "campaign",
            object_id: Some(&campaign.id),
            detail: Some(serde_json::json!({ "candidates": ids }).to_string()),
        })
        .await?;
    Ok(profiles)
}
