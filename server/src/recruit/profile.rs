//! A candidate's norm-referenced profile, built from the stored score
//! records (read by [`crate::scoring::read`], which picks each scale's
//! reported score, CTT or IRT, by the one rule) and the bank's scale texts.
//! What a recruiter reads: per scale how it was scored, T, percentile and
//! sten, each with its 90% band; the norm group with its N, dates and
//! quality; the validity panel; the interpretation of the band and
//! interview prompts for the lower band.

use std::collections::BTreeSet;

use app::i18n::{fill, staff_text, StaffText};
use app::recruit::model::{BandKind, CandidateStatus, Decision, DecisionLine, InstrumentProfile, NormInfo, NormedView, Profile, ScaleProfile, Validity, ValidityPanel, MAX_COMPARE};
use assessments::{
    bank::{ScaleKind, Text},
    irt::person_fit::{flags_misfit, MISFIT_BELOW},
    norms::{norm_quality, NormQuality, NormTable},
    primary::{AdaptiveStop, IrtScaleScore, Method, NotScored, ReportedScale},
    scored_session::ScoredSession,
    scoring::Normed,
    validity::{Finding, Status},
};

use super::access::{candidate_status, own_campaign, own_candidate, shown_name, RecruitResult};
use crate::{
    catalog::{Catalog, CatalogEntry},
    scoring::read::{read_session, InstrumentScores},
    service_error::ServiceError,
    staff::Caller,
    store::{Actor, AuditEntry, Campaign, CandidateStateRow, Store},
    time::{date_utc, minute_utc, now_ms},
};

/// The English text, else any.
pub fn english(t: &Text) -> String {
    in_language(t, "en")
}

/// The text in `lang`, else English, else any.
pub fn in_language(t: &Text, lang: &str) -> String {
    t.get(lang).or_else(|| t.get("en")).or_else(|| t.values().next()).cloned().unwrap_or_default()
}

/// How a scale was scored, in the reader's language (the English is `Method::label`).
pub(super) fn method_label(t: &StaffText, m: Method) -> &'static str {
    match m {
        Method::Ctt => t.method_ctt,
        Method::IrtFixed => t.method_irt_fixed,
        Method::IrtAdaptive => t.method_irt_adaptive,
    }
}

/// Why an adaptive run stopped (the English is `AdaptiveStop::label`).
pub(super) fn stop_label(t: &StaffText, s: AdaptiveStop) -> &'static str {
    match s {
        AdaptiveStop::PrecisionReached => t.stop_precision,
        AdaptiveStop::ItemLimit => t.stop_item_limit,
        AdaptiveStop::PoolExhausted => t.stop_pool,
        AdaptiveStop::SessionEnded => t.stop_session,
    }
}

/// Why a scale has no score (the English is `NotScored::sentence`).
fn not_scored_sentence(t: &StaffText, n: NotScored) -> String {
    match n {
        NotScored::TooFewAnswered { answered, items } => fill(t.not_scored_ctt, &[("answered", &answered.to_string()), ("items", &items.to_string())]),
        NotScored::TooFewForIrt { answered, needed } => fill(t.not_scored_irt, &[("answered", &answered.to_string()), ("needed", &needed.to_string())]),
    }
}

pub fn quality_name(q: NormQuality) -> &'static str {
    match q {
        NormQuality::Inadequate => "inadequate",
        NormQuality::Adequate => "adequate",
        NormQuality::Good => "good",
        NormQuality::Excellent => "excellent",
    }
}

/// A norm table as reports name it (its group in `lang`); N is the smallest over its scales.
pub fn norm_info(table: &NormTable, lang: &str) -> NormInfo {
    let n = table.scales.iter().map(|s| s.n).min().unwrap_or(0);
    NormInfo {
        id: table.id.clone(),
        group: in_language(&table.group, lang),
        country: table.country.clone(),
        role_family: table.role_family.clone(),
        collected_from: table.collected_from.clone(),
        collected_to: table.collected_to.clone(),
        n,
        quality: quality_name(norm_quality(n)).to_string(),
        demonstration: table.demonstration,
        theta_norms: !table.theta_scales.is_empty(),
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

fn normed_view(normed: Option<&Normed>) -> Option<NormedView> {
    let n = normed?;
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

/// One scale with its texts: how it was scored, the interpretation of its
/// band, and interview prompts when the score is in the lower band.
fn scale_profile(entry: &CatalogEntry, scale: &ReportedScale, lang: &str) -> ScaleProfile {
    let t = staff_text(lang);
    let def = entry.bank.scale(&scale.scale);
    let normed = normed_view(scale.normed.as_ref());
    let interpretation = def.and_then(|d| d.interpretation.as_ref());
    let text = match (interpretation, normed.map(|n| n.band)) {
        (Some(i), Some(BandKind::Low)) => Some(in_language(&i.low, lang)),
        (Some(i), Some(BandKind::Average)) => Some(in_language(&i.average, lang)),
        (Some(i), Some(BandKind::High)) => Some(in_language(&i.high, lang)),
        _ => None,
    };
    let prompts = match (interpretation, normed.map(|n| n.band)) {
        (Some(i), Some(BandKind::Low)) => i.interview_prompts.get(lang).or_else(|| i.interview_prompts.get("en")).cloned().unwrap_or_default(),
        _ => Vec::new(),
    };
    ScaleProfile {
        scale: scale.scale.clone(),
        name: def.map(|d| in_language(&d.name, lang)).unwrap_or_else(|| scale.scale.clone()),
        kind: kind_name(scale.kind).to_string(),
        description: def.and_then(|d| d.description.as_ref()).map(|d| in_language(d, lang)),
        items: u32::try_from(scale.items).unwrap_or(u32::MAX),
        answered: u32::try_from(scale.answered).unwrap_or(u32::MAX),
        scorable: scale.estimate.is_some(),
        method: method_label(t, scale.method).to_string(),
        irt: scale.method.is_irt(),
        stop: scale.stop.map(|s| stop_label(t, s).to_string()),
        not_scored: scale.not_scored.map(|n| not_scored_sentence(t, n)),
        normed,
        interpretation: text,
        interview_prompts: prompts,
    }
}

/// The validity panel: the classical indices, then person fit from the IRT
/// record where the bank is calibrated. A misfitting pattern is a caution
/// (a reason to talk it through), never a change of any score.
fn validity(entry: &CatalogEntry, scored: &ScoredSession, irt: &[IrtScaleScore], lang: &str) -> ValidityPanel {
    let status = match crate::scoring::with_person_fit(scored.validity.status, irt.iter().map(|s| s.score.lz_star)) {
        assessments::validity::Status::Ok => Validity::Ok,
        assessments::validity::Status::Caution => Validity::Caution,
        assessments::validity::Status::Invalid => Validity::Invalid,
    };
    let t = staff_text(lang);
    let mut reasons: Vec<String> = scored.validity.findings().iter().map(|f| validity_reason(t, f)).collect();
    reasons.extend(person_fit_reasons(entry, irt, lang));
    ValidityPanel { status, reasons }
}

/// One validity finding in the reader's language (the English is the one
/// the report stores, word for word: a test holds them together).
pub(crate) fn validity_reason(t: &StaffText, f: &Finding) -> String {
    match f {
        Finding::Fast { median_s, limit_s } => fill(t.validity_fast, &[("median", &format!("{median_s:.1}")), ("limit", &format!("{limit_s:.1}"))]),
        Finding::SameAnswer { run, percent, .. } => fill(t.validity_same_answer, &[("run", &run.to_string()), ("percent", &format!("{percent:.0}"))]),
        Finding::LowVariability { sd, limit } => fill(t.validity_low_variability, &[("sd", &format!("{sd:.2}")), ("limit", &format!("{limit:.2}"))]),
        Finding::AttentionChecks { fails, status: Status::Invalid } => fill(t.validity_attention_invalid, &[("fails", &fails.to_string())]),
        Finding::AttentionChecks { fails, .. } => fill(t.validity_attention_caution, &[("fails", &fails.to_string())]),
        Finding::Inconsistent { difference, limit } => fill(t.validity_inconsistent, &[("difference", &format!("{difference:.2}")), ("limit", &format!("{limit:.2}"))]),
        Finding::ImpressionManagement { t: score, limit } => fill(t.validity_impression, &[("t", &score.to_string()), ("limit", &limit.to_string())]),
    }
}

/// One sentence per scale whose answer pattern fits the model unusually
/// badly (person fit lz* below -1.645; computed from 10 answered items on).
fn person_fit_reasons(entry: &CatalogEntry, irt: &[IrtScaleScore], lang: &str) -> Vec<String> {
    let t = staff_text(lang);
    irt.iter()
        .map(|s| &s.score)
        .filter_map(|s| {
            let lz = s.lz_star.filter(|lz| flags_misfit(*lz))?;
            let name = entry.bank.scale(&s.scale).map_or_else(|| s.scale.clone(), |d| in_language(&d.name, lang));
            Some(fill(t.person_fit_reason, &[("scale", &name), ("lz", &format!("{lz:.2}")), ("below", &MISFIT_BELOW.to_string())]))
        })
        .collect()
}

/// The norm group a stored score was normed against: the table itself when
/// this server still has it, else what the score's provenance recorded.
fn norm_of(entry: &CatalogEntry, org_id: &str, scored: &ScoredSession, lang: &str) -> Option<NormInfo> {
    let p = &scored.scores.provenance;
    let id = p.norm_table_id.as_deref()?;
    if let Some(table) = entry.norms_for(org_id).find(|t| t.id == id) {
        return Some(norm_info(table, lang));
    }
    let n = scored.scores.scales.iter().filter_map(|s| s.normed.as_ref().map(|x| x.norm_n)).min().unwrap_or(0);
    Some(NormInfo {
        id: id.to_string(),
        group: p.norm_group.as_ref().map(|g| in_language(g, lang)).unwrap_or_default(),
        country: String::new(),
        role_family: String::new(),
        collected_from: p.norm_collected.as_ref().map(|c| c[0].clone()).unwrap_or_default(),
        collected_to: p.norm_collected.as_ref().map(|c| c[1].clone()).unwrap_or_default(),
        n,
        quality: quality_name(norm_quality(n)).to_string(),
        demonstration: p.demonstration,
        theta_norms: false,
    })
}

/// One instrument of a profile, from its stored scores.
fn instrument_profile(scored: &InstrumentScores, org_id: &str, lang: &str) -> InstrumentProfile {
    let entry = &scored.entry;
    let p = &scored.classical.scores.provenance;
    let irt_reported = scored.scales.iter().any(|s| s.method.is_irt());
    InstrumentProfile {
        instrument: scored.instrument().to_string(),
        title: in_language(&entry.bank.file().instrument.title, lang),
        version: p.bank_version.clone(),
        bank_hash: p.bank_hash.chars().take(12).collect(),
        engine_version: p.engine_version.clone(),
        norm: norm_of(entry, org_id, &scored.classical, lang),
        validity: validity(entry, &scored.classical, scored.irt_scores(), lang),
        adaptive: scored.adaptive(),
        demonstration_parameters: irt_reported && entry.bank.demonstration_parameters(),
        scales: scored.scales.iter().map(|s| scale_profile(entry, s, lang)).collect(),
    }
}

/// Builds the profile of one candidate of the organisation `org_id`, its
/// texts in `lang` (no audit entry: callers write it).
pub async fn build(store: &Store, catalog: &Catalog, org_id: &str, campaign: &Campaign, row: &CandidateStateRow, lang: &str) -> RecruitResult<Profile> {
    let battery = crate::battery::battery(catalog, campaign).map(crate::battery::individually_reported)?;
    let status = candidate_status(row, now_ms());
    let mut instruments = Vec::new();
    if let (CandidateStatus::Completed, Some(session_id)) = (status, row.session_id.as_deref()) {
        let stored = store.scores_of(org_id, session_id).await?;
        // In the order of the campaign's battery, whatever order they were stored in.
        for scored in read_session(&battery, &stored).map_err(|e| ServiceError::Misconfigured(e.to_string()))? {
            instruments.push(instrument_profile(&scored, org_id, lang));
        }
    }
    let decisions = store
        .candidate_decisions(org_id, &row.invitation_id)
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
    let profile = build(store, catalog, &caller.org_id, &campaign, &row, &caller.language).await?;
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
        profiles.push(build(store, catalog, &caller.org_id, &campaign, &row, &caller.language).await?);
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

#[cfg(test)]
mod tests {
    use super::*;
    use assessments::scored_session::score_classical_one;

    fn irt(scale: &str, lz_star: Option<f64>) -> IrtScaleScore {
        let score = assessments::adaptive::IrtScore { scale: scale.into(), theta: 0.2, se: 0.3, t: 52.0, answered: 20, lz_star };
        IrtScaleScore { score, normed: None, stop: None }
    }

    /// Person fit joins the validity panel as a caution with the scale's
    /// name and the threshold; it never touches a score, and a pattern below
    /// 10 answered items (no lz*) or above the threshold adds nothing.
    #[test]
    fn an_unusual_answer_pattern_is_a_caution_beside_the_scores() {
        let catalog = Catalog::load(&Catalog::shipped_dir()).expect("shipped banks");
        let entry = catalog.get("svi", "1.0.0").expect("svi");
        let responses = assessments::responses::Responses::new(&entry.bank, "p");
        let scored = score_classical_one(&entry.bank, None, &responses).expect("scored");
        let before = validity(&entry, &scored, &[], "en");
        let fitting = validity(&entry, &scored, &[irt("security_motivation", Some(-1.2)), irt("vigilance", None)], "en");
        assert_eq!(fitting, before, "nothing to add");
        let flagged = validity(&entry, &scored, &[irt("security_motivation", Some(-2.31))], "en");
        let reason = flagged.reasons.last().expect("a reason");
        let name = entry.bank.scale("security_motivation").map(|d| english(&d.name)).expect("name");
        assert!(reason.contains(&name) && reason.contains("-2.31") && reason.contains("-1.645") && reason.contains("The score stands"), "{reason}");
        assert_eq!(flagged.reasons.len(), before.reasons.len() + 1);
        assert_ne!(flagged.status, Validity::Ok, "an unusual pattern is at least a caution");
        assert!(before.status != Validity::Invalid || flagged.status == Validity::Invalid, "never lowers a stronger flag");
        // In German, for a German reader, with the scale's German name.
        let german = validity(&entry, &scored, &[irt("security_motivation", Some(-2.31))], "de");
        let reason = german.reasons.last().expect("a reason");
        let name = entry.bank.scale("security_motivation").map(|d| in_language(&d.name, "de")).expect("name");
        assert!(reason.starts_with("Ungewöhnliches Antwortmuster") && reason.contains(&name), "{reason}");
    }

    /// Every validity finding reads in English as the report stores it, and in German for a German reader.
    #[test]
    fn validity_reasons_read_in_english_as_the_report_stores_them() {
        let findings = [
            Finding::Fast { median_s: 0.93, limit_s: 1.5 },
            Finding::SameAnswer { run: 41, percent: 62.0, status: Status::Caution },
            Finding::LowVariability { sd: 0.31, limit: 0.5 },
            Finding::AttentionChecks { fails: 2, status: Status::Invalid },
            Finding::AttentionChecks { fails: 1, status: Status::Caution },
            Finding::Inconsistent { difference: 2.25, limit: 1.5 },
            Finding::ImpressionManagement { t: 71, limit: 65.0 },
        ];
        for f in &findings {
            assert_eq!(validity_reason(staff_text("en"), f), f.describe());
            let german = validity_reason(staff_text("de"), f);
            assert!(!german.contains('{') && german != f.describe(), "{german}");
        }
    }

    /// The English of each translated label is the label `assessments` gives.
    #[test]
    fn scoring_labels_read_in_english_as_the_engine_names_them() {
        let en = staff_text("en");
        for m in [Method::Ctt, Method::IrtFixed, Method::IrtAdaptive] {
            assert_eq!(method_label(en, m), m.label());
        }
        for stop in [AdaptiveStop::PrecisionReached, AdaptiveStop::ItemLimit, AdaptiveStop::PoolExhausted, AdaptiveStop::SessionEnded] {
            assert_eq!(stop_label(en, stop), stop.label());
        }
        for n in [NotScored::TooFewAnswered { answered: 3, items: 10 }, NotScored::TooFewForIrt { answered: 2, needed: 5 }] {
            assert_eq!(not_scored_sentence(en, n), n.sentence());
            assert_ne!(not_scored_sentence(staff_text("de"), n), n.sentence());
        }
    }
}
