//! Campaigns: the form and its checks against the catalog (published bank
//! versions meant for hiring, their own norm tables), creation, the
//! automatic reminder, the list of campaigns and a campaign's page.

use std::{collections::HashMap, sync::Arc};

use app::recruit::model::{BankOption, BatteryLine, CampaignDetail, CampaignPage, CampaignSummary, CandidateQuery, CandidateRow, CandidateStatus, ListPage, StatusCounts, CAMPAIGN_PAGE};
use assessments::{bank::IntendedUse, primary::{primary_method, FixedFormScoring}};

use crate::{
    battery::{battery, chosen_norms, individually_reported, BatteryEntry, BatteryFile},
    catalog::{Catalog, CatalogEntry},
    service_error::ServiceError,
    staff::Caller,
    store::{Campaign, NewCampaign, Store},
    time::{date_utc, now_ms},
};

use super::{
    access::{add, own_campaign, require_recruiter, RecruitResult},
    candidates::list_candidates,
    profile,
};

/// A new campaign as the form sends it.
#[derive(Debug, Clone, Default)]
pub struct CampaignForm {
    pub name: String,
    pub role_family: String,
    /// `"{instrument}@{version}"`, in the order given.
    pub instruments: Vec<String>,
    /// Norm table id per `"{instrument}@{version}"`; empty = no norms.
    pub norms: HashMap<String, String>,
    /// How a full form of a calibrated bank is scored, per
    /// `"{instrument}@{version}"`: "ctt" (the default) or "irt".
    pub scoring: HashMap<String, String>,
    pub time_limit_minutes: String,
    pub adaptive: bool,
    /// Ticked: run adaptively although the IRT parameters are demonstration values.
    pub confirm_demonstration: bool,
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
pub fn validate_campaign(catalog: &Catalog, org_id: &str, form: &CampaignForm) -> Result<ValidCampaign, ServiceError> {
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
        let Some(entry) = catalog.get_for(org_id, id, version) else {
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
            Some(norm_id) => match entry.norms_for(org_id).find(|n| n.id == norm_id) {
                Some(table) => Some(table),
                None => {
                    problems.push(format!("The norm table \"{}\" does not belong to {id}@{version}.", shorten(norm_id)));
                    continue;
                }
            },
        };
        let fixed_form = match form.scoring.get(key).map(|s| s.trim()).unwrap_or("") {
            "" | "ctt" => FixedFormScoring::Ctt,
            "irt" if entry.adaptive.is_some() => FixedFormScoring::Irt,
            "irt" => {
                problems.push(format!("{id}@{version} has no IRT parameters, so its scores can only be classical (CTT)."));
                continue;
            }
            other => {
                problems.push(format!("\"{}\" is not a way of scoring; choose CTT or IRT.", shorten(other)));
                continue;
            }
        };
        if form.adaptive && entry.adaptive.is_none() {
            problems.push(format!(
                "{id}@{version} has no IRT parameters for its scales, so it cannot run adaptively. Leave it out, or run the campaign without adaptive testing."
            ));
            continue;
        }
        let irt_reported = primary_method(form.adaptive, fixed_form, entry.adaptive.is_some()).is_irt();
        if let Some(table) = norm_table.filter(|t| irt_reported && t.theta_scales.is_empty()) {
            problems.push(format!(
                "{id}@{version} will report IRT scores, but the norm group \"{}\" has no norms for them (theta scale). Choose a norm group marked \"norms for IRT scores\", or none.",
                table.id
            ));
            continue;
        }
        instruments.push(BatteryEntry {
            instrument: id.to_string(),
            version: version.to_string(),
            bank_hash: Some(entry.bank.content_hash().to_string()),
            norm_table: Some(norm_table.map(|t| t.id.clone())),
            norm_table_hash: norm_table.and_then(|t| t.content_hash.clone()),
            fixed_form,
        });
    }
    // IRT scores on demonstration parameters (adaptive, or a full form scored by IRT) need a ticked confirmation.
    let demonstration: Vec<String> = instruments
        .iter()
        .filter(|i| primary_method(form.adaptive, i.fixed_form, true).is_irt())
        .filter(|i| catalog.get(&i.instrument, &i.version).is_some_and(|e| e.adaptive.is_some() && e.bank.demonstration_parameters()))
        .map(|i| format!("{}@{}", i.instrument, i.version))
        .collect();
    if !demonstration.is_empty() && !form.confirm_demonstration {
        problems.push(format!(
            "The IRT parameters of {} are demonstration values, estimated from simulated respondents, not a calibration on real people. To report IRT scores from them anyway (for trying Vigil, not for decisions), tick the confirmation below \"Adaptive testing\".",
            demonstration.join(" and ")
        ));
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
        Err(ServiceError::Invalid(problems.join(" ")))
    }
}

/// The automatic reminder's days before a `link_days`-day link runs out:
/// empty is none; otherwise 1 to 30 and fewer than the link's days.
pub(super) fn reminder_days(typed: &str, link_days: i64) -> Result<Option<i64>, String> {
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
    let days = reminder_days(typed, campaign.invitation_ttl_days).map_err(ServiceError::Invalid)?;
    store.set_campaign_reminder_days(&caller.org_id, &campaign.id, days).await?;
    caller.audit(store, "campaign.reminders_changed", "campaign", &campaign.id, serde_json::json!({ "reminder_days": days })).await?;
    Ok(days)
}

pub(super) fn shorten(s: &str) -> String {
    s.chars().take(60).collect()
}

/// Creates a campaign (audited); `link_base` is where the creator reaches
/// Vigil (for links the automatic reminders write).
pub async fn create_campaign(store: &Store, catalog: &Catalog, caller: &Caller, form: &CampaignForm, link_base: &str) -> RecruitResult<Campaign> {
    require_recruiter(caller)?;
    let ValidCampaign { battery, time_limit, invitation_days: days, reminder_days } = validate_campaign(catalog, &caller.org_id, form)?;
    let retired = store.retired_versions_of(&caller.org_id).await?;
    if let Some(entry) = battery.instruments.iter().find(|b| retired.iter().any(|(i, v, _, _)| *i == b.instrument && *v == b.version)) {
        return Err(ServiceError::Invalid(format!("{}@{} is retired in your organisation; choose a current version.", entry.instrument, entry.version)));
    }
    let battery_json = serde_json::to_string(&battery).map_err(|e| ServiceError::Misconfigured(e.to_string()))?;
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

/// The versions offered on the organisation's campaign form: those of
/// [`bank_options`] that it has not retired.
pub async fn offered_banks(store: &Store, catalog: &Catalog, caller: &Caller) -> RecruitResult<Vec<BankOption>> {
    let options = bank_options(catalog, caller)?;
    let retired = store.retired_versions_of(&caller.org_id).await?;
    let offered: Vec<BankOption> = options.into_iter().filter(|o| !retired.iter().any(|(i, v, _, _)| *i == o.instrument && *v == o.version)).collect();
    // Newest first per instrument: the newest still offered is the one to name.
    let newest = |id: &str| offered.iter().find(|o| o.instrument == id).map(|o| o.version.clone());
    Ok(offered.iter().cloned().map(|mut o| {
        o.newer_version = newest(&o.instrument).filter(|v| *v != o.version);
        o
    }).collect())
}

/// The published bank versions a campaign may use, each instrument's
/// newest first, older ones naming the newest.
pub fn bank_options(catalog: &Catalog, caller: &Caller) -> RecruitResult<Vec<BankOption>> {
    require_recruiter(caller)?;
    let mut usable: Vec<_> = catalog
        .entries_for(&caller.org_id)
        .into_iter()
        .filter(|e| e.bank.file().instrument.status == assessments::bank::Status::Published && e.bank.meant_for(IntendedUse::Hiring))
        .collect();
    usable.sort_by(|a, b| a.bank.id().cmp(b.bank.id()).then_with(|| crate::catalog::semver_key(b.bank.version()).cmp(&crate::catalog::semver_key(a.bank.version()))));
    let newest = |id: &str| usable.iter().find(|e| e.bank.id() == id).map(|e| e.bank.version().to_string());
    Ok(usable
        .iter()
        .map(|e| BankOption {
            newer_version: newest(e.bank.id()).filter(|v| v != e.bank.version()),
            instrument: e.bank.id().to_string(),
            version: e.bank.version().to_string(),
            title: profile::in_language(&e.bank.file().instrument.title, &caller.language),
            adaptive_capable: e.adaptive.is_some(),
            demonstration_parameters: e.adaptive.is_some() && e.bank.demonstration_parameters(),
            // Tables that also norm IRT scores first: the form's default then
            // suits adaptive and IRT scoring as well as classical scores.
            norms: {
                let mut norms: Vec<_> = e.norms_for(&caller.org_id).map(|t| profile::norm_info(t, &caller.language)).collect();
                norms.sort_by_key(|n| !n.theta_norms);
                norms
            },
            measures: {
                let mut scales: Vec<_> = e.bank.scales().iter().collect();
                scales.sort_by_key(|s| s.kind == assessments::bank::ScaleKind::ImpressionManagement);
                scales.iter().map(|s| profile::in_language(&s.name, &caller.language)).collect()
            },
            questions: e.bank.items().len() as u32,
            minutes: crate::battery::estimated_minutes(std::slice::from_ref(e)),
        })
        .collect())
}

pub(super) fn summary(campaign: &Campaign, battery: &[Arc<CatalogEntry>], counts: StatusCounts, lang: &str) -> CampaignSummary {
    CampaignSummary {
        id: campaign.id.clone(),
        name: campaign.name.clone(),
        role_family: campaign.role_family.clone(),
        created_on: date_utc(campaign.created_at),
        instruments: battery.iter().map(|e| format!("{} {}", profile::in_language(&e.bank.file().instrument.title, lang), e.bank.version())).collect(),
        adaptive: campaign.adaptive != 0,
        candidate_feedback: campaign.candidate_feedback != 0,
        time_limit_minutes: campaign.time_limit_minutes.and_then(|m| u32::try_from(m).ok()),
        invitation_days: u32::try_from(campaign.invitation_ttl_days).unwrap_or(0),
        reminder_days: campaign.reminder_days.and_then(|d| u32::try_from(d).ok()),
        counts,
    }
}

/// A page of the caller's organisation's campaigns with their counts,
/// newest first, after the campaign `after`.
pub async fn campaigns(store: &Store, catalog: &Catalog, caller: &Caller, after: Option<&str>) -> RecruitResult<CampaignPage> {
    require_recruiter(caller)?;
    let now = now_ms();
    let (rows, total, remaining) = store.campaign_page(&caller.org_id, after, CAMPAIGN_PAGE as i64).await?;
    let mut by_campaign: HashMap<String, Vec<(String, i64)>> = HashMap::new();
    for (campaign, status, n) in store.organisation_status_counts(&caller.org_id, now).await? {
        by_campaign.entry(campaign).or_default().push((status, n));
    }
    let next_after = (remaining > CAMPAIGN_PAGE as i64).then(|| rows.last().map(|c| c.id.clone())).flatten();
    let mut campaigns = Vec::new();
    for campaign in rows {
        // A campaign whose bank is no longer installed still lists (without its instruments).
        let battery = battery(catalog, &campaign).unwrap_or_default();
        let counts = status_counts(by_campaign.remove(&campaign.id).unwrap_or_default().into_iter());
        campaigns.push(summary(&campaign, &battery, counts, &caller.language));
    }
    Ok(CampaignPage { campaigns, listed: ListPage { total: total as u32, from: (total - remaining + 1) as u32, next_after } })
}

/// The campaign page: a campaign with its battery, norm groups and status
/// counts, and its candidates filtered and sorted, from one read of the
/// candidate list.
pub async fn campaign_page(store: &Store, catalog: &Catalog, caller: &Caller, campaign_id: &str, query: &CandidateQuery) -> RecruitResult<(CampaignDetail, Vec<CandidateRow>)> {
    let campaign = own_campaign(store, caller, campaign_id).await?;
    let battery = battery(catalog, &campaign)?;
    let now = now_ms();
    let counts = status_counts(store.campaign_status_counts(&caller.org_id, &campaign.id, now).await?.into_iter());
    let mut detail = campaign_detail(&campaign, &battery, counts, &caller.language);
    let reported = individually_reported(battery.clone());
    let (list, listed) = list_candidates(store, caller, &campaign, &reported, query, &detail.summary.counts, now).await?;
    detail.listed = listed;
    Ok((detail, list))
}

/// Status counts from (status, how many) pairs the store counted.
fn status_counts(counted: impl Iterator<Item = (String, i64)>) -> StatusCounts {
    let mut counts = StatusCounts::default();
    for (status, n) in counted {
        if let Some(status) = CandidateStatus::parse(&status) {
            add(&mut counts, status, u32::try_from(n).unwrap_or(u32::MAX));
        }
    }
    counts
}

/// A campaign with its battery, norm groups and how many candidates are in each state.
pub(super) fn campaign_detail(campaign: &Campaign, battery: &[Arc<CatalogEntry>], counts: StatusCounts, lang: &str) -> CampaignDetail {
    let lines = battery
        .iter()
        .map(|e| BatteryLine {
            instrument: e.bank.id().to_string(),
            title: profile::in_language(&e.bank.file().instrument.title, lang),
            version: e.bank.version().to_string(),
            norm: chosen_norms(campaign, e).map(|t| profile::norm_info(t, lang)),
            adaptive: campaign.adaptive != 0 && e.adaptive.is_some(),
        })
        .collect();
    CampaignDetail { summary: summary(campaign, battery, counts, lang), battery: lines, listed: Default::default() }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let ValidCampaign { battery, time_limit: limit, invitation_days: days, reminder_days } = validate_campaign(&catalog, "org", &f).expect("valid");
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
        let Err(ServiceError::Invalid(message)) = validate_campaign(&catalog, "org", &f) else { panic!("accepted") };
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
            validate_campaign(&catalog, "org", &f).map(|v| v.reminder_days)
        };
        assert_eq!(with("3", "14").ok(), Some(Some(3)));
        assert_eq!(with(" ", "14").ok(), Some(None));
        for (reminder, link) in [("0", "14"), ("31", "60"), ("14", "14"), ("3.5", "14"), ("soon", "14")] {
            assert!(matches!(with(reminder, link), Err(ServiceError::Invalid(m)) if m.contains("automatic reminder")), "{reminder} days before a {link}-day link");
        }
    }

    #[test]
    fn the_workforce_pulse_is_refused_in_a_hiring_campaign_and_not_offered() {
        let catalog = Catalog::load(&Catalog::shipped_dir()).expect("shipped banks load");
        let Err(ServiceError::Invalid(message)) = validate_campaign(&catalog, "org", &form(&["svi@1.0.0", "pulse@1.0.0"])) else { panic!("accepted") };
        assert!(message.contains("pulse@1.0.0 is not meant for hiring"), "{message}");
        let recruiter = Caller { user_id: "u".into(), org_id: "org".into(), role: app::staff::model::StaffRole::Recruiter, language: "en".into() };
        let offered = bank_options(&catalog, &recruiter).expect("options");
        assert!(offered.iter().any(|o| o.instrument == "svi"));
        assert!(!offered.iter().any(|o| o.instrument == "pulse"), "the pulse is not offered for hiring");
    }

    #[test]
    fn running_demonstration_parameters_adaptively_needs_a_ticked_confirmation() {
        let catalog = Catalog::load(&Catalog::shipped_dir()).expect("shipped banks load");
        let svi = catalog.get("svi", "1.1.0").expect("svi 1.1.0");
        assert!(svi.bank.demonstration_parameters(), "the shipped parameters come from simulated respondents");
        let mut f = form(&["svi@1.1.0"]);
        f.adaptive = true;
        let Err(ServiceError::Invalid(message)) = validate_campaign(&catalog, "org", &f) else { panic!("accepted without the confirmation") };
        assert!(message.contains("svi@1.1.0") && message.contains("demonstration values") && message.contains("not for decisions"), "{message}");
        f.confirm_demonstration = true;
        assert!(validate_campaign(&catalog, "org", &f).is_ok());
        // A fixed-form campaign needs no confirmation: its scores are classical.
        let fixed = form(&["svi@1.1.0"]);
        assert!(validate_campaign(&catalog, "org", &fixed).is_ok());
        // The form says which banks have demonstration parameters.
        let recruiter = Caller { user_id: "u".into(), org_id: "org".into(), role: app::staff::model::StaffRole::Recruiter, language: "en".into() };
        let offered = bank_options(&catalog, &recruiter).expect("options");
        assert!(offered.iter().any(|o| o.instrument == "svi" && o.version == "1.1.0" && o.demonstration_parameters));
    }

    /// A catalog of the shipped banks plus a published hiring bank without IRT parameters.
    fn catalog_with_an_uncalibrated_bank() -> (tempfile::TempDir, Catalog) {
        let dir = tempfile::tempdir().expect("temp dir");
        let shipped = Catalog::shipped_dir();
        for inst in ["svi", "sjs"] {
            let copy = |from: &std::path::Path, to: &std::path::Path| {
                std::fs::create_dir_all(to).expect("dir");
                for f in std::fs::read_dir(from).expect("read").flatten().filter(|f| f.path().is_file()) {
                    std::fs::copy(f.path(), to.join(f.file_name())).expect("copy");
                }
            };
            copy(&shipped.join(inst), &dir.path().join(inst));
            copy(&shipped.join(inst).join("norms"), &dir.path().join(inst).join("norms"));
        }
        let plain = dir.path().join("svi-like");
        std::fs::create_dir_all(&plain).expect("dir");
        let bank = plain.join("0.1.0.toml");
        std::fs::copy(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../assessments/tests/fixtures/svi_like.toml"), &bank).expect("fixture");
        assessments::commands::publish_bank(&bank, &assessments::commands::Limits::default()).expect("published");
        let catalog = Catalog::load(dir.path()).expect("loads");
        (dir, catalog)
    }

    #[test]
    fn adaptive_needs_every_bank_calibrated() {
        let (_dir, catalog) = catalog_with_an_uncalibrated_bank();
        let mut f = form(&["svi-like@0.1.0", "svi@1.1.0"]);
        f.adaptive = true;
        f.confirm_demonstration = true;
        let Err(ServiceError::Invalid(message)) = validate_campaign(&catalog, "org", &f) else { panic!("accepted") };
        assert!(message.contains("svi-like@0.1.0 has no IRT parameters") && message.contains("cannot run adaptively"), "{message}");
        assert!(!message.contains("svi@1.1.0 has"), "the calibrated bank is fine: {message}");
        let mut f = form(&["svi@1.1.0"]);
        f.adaptive = true;
        f.confirm_demonstration = true;
        assert!(validate_campaign(&catalog, "org", &f).is_ok());
    }

    #[test]
    fn irt_scoring_of_a_full_form_needs_parameters_and_norms_for_irt_scores() {
        let (_dir, catalog) = catalog_with_an_uncalibrated_bank();
        let svi = catalog.get("svi", "1.1.0").expect("svi");
        let raw_only = svi.norms.iter().find(|n| n.theta_scales.is_empty()).expect("a raw-score table").id.clone();
        let theta = svi.norms.iter().find(|n| !n.theta_scales.is_empty()).expect("a table with theta norms").id.clone();
        let mut f = form(&["svi@1.1.0", "svi-like@0.1.0"]);
        f.scoring.insert("svi@1.1.0".into(), "irt".into());
        f.scoring.insert("svi-like@0.1.0".into(), "irt".into());
        f.confirm_demonstration = true;
        f.norms.insert("svi@1.1.0".into(), raw_only.clone());
        let Err(ServiceError::Invalid(message)) = validate_campaign(&catalog, "org", &f) else { panic!("accepted") };
        assert!(message.contains("svi-like@0.1.0 has no IRT parameters, so its scores can only be classical"), "{message}");
        assert!(message.contains(&format!("\"{raw_only}\" has no norms for them")), "{message}");
        f.scoring.remove("svi-like@0.1.0");
        f.norms.insert("svi@1.1.0".into(), theta);
        let valid = validate_campaign(&catalog, "org", &f).expect("valid");
        assert_eq!(valid.battery.instruments[0].fixed_form, FixedFormScoring::Irt);
        assert_eq!(valid.battery.instruments[1].fixed_form, FixedFormScoring::Ctt, "the default");
        f.confirm_demonstration = false;
        assert!(matches!(validate_campaign(&catalog, "org", &f), Err(ServiceError::Invalid(m)) if m.contains("demonstration values")), "IRT scores on demonstration parameters need the confirmation");
        f.confirm_demonstration = true;
        f.scoring.insert("svi@1.1.0".into(), "both".into());
        assert!(matches!(validate_campaign(&catalog, "org", &f), Err(ServiceError::Invalid(m)) if m.contains("not a way of scoring")));
        // The form offers the table with theta norms first.
        let recruiter = Caller { user_id: "u".into(), org_id: "org".into(), role: app::staff::model::StaffRole::Recruiter, language: "en".into() };
        let offered = bank_options(&catalog, &recruiter).expect("options");
        let svi_option = offered.iter().find(|o| o.instrument == "svi" && o.version == "1.1.0").expect("offered");
        assert!(svi_option.norms.first().is_some_and(|n| n.theta_norms));
    }
}
