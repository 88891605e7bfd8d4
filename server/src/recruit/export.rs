//! Exports: a campaign's results as CSV (one row per candidate) and one
//! candidate's data as JSON. Both are audited. Spreadsheet formulas are
//! neutralised: a cell that starts with `=`, `+`, `-`, `@`, a tab or a
//! carriage return gets a leading apostrophe, so a name like
//! `=HYPERLINK(...)` stays text when the file is opened in a spreadsheet.
//! A plain decimal number (`-0.4491`) is left as it is: it is no formula,
//! and a spreadsheet must read a negative theta as a number.

use std::collections::HashMap;

use app::i18n::{fill, staff_text, StaffText};
use app::recruit::model::{BandKind, Profile};
use assessments::primary::ReportedScale;

use super::{
    access::{candidate_status, own_campaign, own_candidate, RecruitResult},
    profile,
};
use crate::{
    catalog::Catalog,
    scoring::read::{read_session, InstrumentScores},
    service_error::ServiceError,
    staff::Caller,
    store::{Actor, AuditEntry, Store},
    time::{date_utc, minute_utc, now_ms},
};

/// A cell as a spreadsheet must see it: formulas turned into text.
pub fn neutralise(cell: &str) -> String {
    if is_plain_number(cell) {
        return cell.to_string();
    }
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}"),
        _ => cell.to_string(),
    }
}

/// `-?digits[.digits]`: a number as Vigil writes it, nothing a spreadsheet could evaluate.
fn is_plain_number(cell: &str) -> bool {
    let digits = cell.strip_prefix('-').unwrap_or(cell);
    let mut parts = digits.splitn(2, '.');
    let whole = parts.next().unwrap_or("");
    let fraction = parts.next();
    !whole.is_empty() && whole.chars().all(|c| c.is_ascii_digit()) && fraction.is_none_or(|f| !f.is_empty() && f.chars().all(|c| c.is_ascii_digit()))
}

/// A file to download.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Download {
    pub file_name: String,
    pub content_type: &'static str,
    pub body: String,
}

/// `campaign-name-2026-11-23.csv`: letters, digits and dashes only.
pub(super) fn file_name(name: &str, extension: &str) -> String {
    let slug: String = name.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' }).collect();
    let slug = slug.split('-').filter(|s| !s.is_empty()).collect::<Vec<_>>().join("-");
    let date = date_utc(now_ms());
    format!("{}-{date}.{extension}", if slug.is_empty() { "export" } else { &slug })
}

/// The fixed columns' headers in the reader's language (English: the
/// identifiers `name`, `email`, ... other systems read), comma-separated in
/// the staff texts.
fn fixed_columns(t: &StaffText) -> Vec<&'static str> {
    t.csv_columns.split(',').collect()
}

/// Per scale: how it was scored, T with its 90% band, percentile, sten, the
/// range, the estimate (raw mean or theta) and its standard error (SEM or
/// posterior SD), items answered, why an adaptive run stopped, and person
/// fit where the bank is calibrated; `{instrument}.{scale}.{what}`, `what`
/// in the reader's language.
fn scale_column_names(t: &StaffText) -> Vec<&'static str> {
    t.csv_scale_columns.split(',').collect()
}

/// The scale columns of one scale's reported score (empty cells where a value does not apply).
fn scale_cells(t: &StaffText, scored: &InstrumentScores, scale: &ReportedScale) -> Vec<String> {
    let normed = scale.normed.as_ref();
    let lz = scored.irt_scores().iter().find(|s| s.score.scale == scale.scale).and_then(|s| s.score.lz_star);
    vec![
        profile::method_label(t, scale.method).to_string(),
        normed.map(|n| n.point.t.to_string()).unwrap_or_default(),
        normed.map(|n| n.band90.t[0].to_string()).unwrap_or_default(),
        normed.map(|n| n.band90.t[1].to_string()).unwrap_or_default(),
        normed.map(|n| format!("{:.0}", n.point.percentile)).unwrap_or_default(),
        normed.map(|n| n.point.sten.to_string()).unwrap_or_default(),
        normed.map(|n| BandKind::from(n.label).label_in(t).to_string()).unwrap_or_default(),
        scale.estimate.map(|x| format!("{x:.4}")).unwrap_or_default(),
        scale.error.map(|x| format!("{x:.4}")).unwrap_or_default(),
        scale.answered.to_string(),
        scale.stop.map(|s| profile::stop_label(t, s).to_string()).unwrap_or_default(),
        lz.map(|x| format!("{x:.3}")).unwrap_or_default(),
    ]
}

/// The campaign's results, one row per candidate, with every scale's
/// reported score (see [`scale_column_names`]), the validity status and the
/// current decision; headers and labels in the caller's language (the
/// status, validity and decision stay codes). Audited as `results.exported`.
pub async fn campaign_csv(store: &Store, catalog: &Catalog, caller: &Caller, campaign_id: &str) -> RecruitResult<Download> {
    let campaign = own_campaign(store, caller, campaign_id).await?;
    let battery = crate::battery::battery(catalog, &campaign).map(crate::battery::individually_reported)?;
    let now = now_ms();
    // Columns: the fixed ones, then per instrument and scale.
    let scale_columns: Vec<(String, String)> = battery.iter().flat_map(|e| e.bank.scales().iter().map(move |s| (e.bank.id().to_string(), s.id.clone()))).collect();
    let t = staff_text(&caller.language);
    let per_scale = scale_column_names(t);
    let mut header: Vec<String> = fixed_columns(t).iter().map(|s| s.to_string()).collect();
    for (instrument, scale) in &scale_columns {
        for what in &per_scale {
            header.push(format!("{instrument}.{scale}.{what}"));
        }
    }
    let mut records: HashMap<String, Vec<crate::store::CampaignScoreRow>> = HashMap::new();
    for s in store.campaign_scores(&caller.org_id, &campaign.id).await? {
        records.entry(s.session_id.clone()).or_default().push(s);
    }
    let mut scores: HashMap<String, Vec<InstrumentScores>> = HashMap::new();
    for (session, list) in records {
        let read = read_session(&battery, &list).map_err(|e| ServiceError::Misconfigured(format!("session {session}: {e}")))?;
        scores.insert(session, read);
    }
    let mut decisions = HashMap::new();
    for d in store.campaign_decisions(&caller.org_id, &campaign.id).await? {
        decisions.insert(d.invitation_id.clone(), d); // oldest first: the newest wins
    }
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(&header).map_err(csv_error)?;
    let mut rows = 0usize;
    for row in store.campaign_candidates(&caller.org_id, &campaign.id).await? {
        let status = candidate_status(&row, now);
        let sessions = row.session_id.as_ref().and_then(|s| scores.get(s)).map(Vec::as_slice).unwrap_or_default();
        let validity = sessions.iter().map(InstrumentScores::validity_status).max().map(crate::scoring::validity_status_name).unwrap_or_default();
        let decision = decisions.get(&row.invitation_id);
        let norms: Vec<String> = sessions
            .iter()
            .filter_map(|s| {
                let p = &s.classical.scores.provenance;
                p.norm_table_id.as_ref().map(|id| if p.demonstration { fill(t.csv_demonstration_norms, &[("id", id)]) } else { id.clone() })
            })
            .collect();
        let mut record: Vec<String> = vec![
            row.name.clone().unwrap_or_default(),
            row.email.clone().unwrap_or_default(),
            row.language.clone(),
            status.as_str().to_string(),
            minute_utc(row.invited_at),
            row.completed_at.filter(|_| status == app::recruit::model::CandidateStatus::Completed).map(minute_utc).unwrap_or_default(),
            validity.to_string(),
            decision.map(|d| d.decision.clone()).unwrap_or_default(),
            decision.map(|d| d.reason.clone()).unwrap_or_default(),
            decision.map(|d| d.decided_by_name.clone()).unwrap_or_default(),
            decision.map(|d| minute_utc(d.decided_at)).unwrap_or_default(),
            norms.join("; "),
        ];
        for (instrument, scale) in &scale_columns {
            let found = sessions.iter().filter(|s| s.instrument() == instrument).find_map(|s| Some((s, s.scale(scale)?)));
            match found {
                Some((scored, reported)) => record.extend(scale_cells(t, scored, reported)),
                None => record.extend(std::iter::repeat_n(String::new(), per_scale.len())),
            }
        }
        writer.write_record(record.iter().map(|c| neutralise(c))).map_err(csv_error)?;
        rows += 1;
    }
    let bytes = writer.into_inner().map_err(|e| ServiceError::Misconfigured(e.to_string()))?;
    let body = String::from_utf8(bytes).map_err(|e| ServiceError::Misconfigured(e.to_string()))?;
    audit_export(store, caller, "results.exported", "campaign", &campaign.id, serde_json::json!({ "format": "csv", "rows": rows })).await?;
    // A byte-order mark, so spreadsheet programs read the names as UTF-8.
    Ok(Download { file_name: file_name(&campaign.name, "csv"), content_type: "text/csv; charset=utf-8", body: format!("\u{feff}{body}") })
}

pub(super) fn csv_error(e: csv::Error) -> ServiceError {
    ServiceError::Misconfigured(format!("writing CSV: {e}"))
}

pub(super) async fn audit_export(store: &Store, caller: &Caller, action: &'static str, object_type: &'static str, object_id: &str, detail: serde_json::Value) -> RecruitResult<()> {
    store
        .audit(&AuditEntry { org_id: Some(&caller.org_id), actor: Actor::User(&caller.user_id), action, object_type, object_id: Some(object_id), detail: Some(detail.to_string()) })
        .await?;
    Ok(())
}

/// One candidate's data: identity, invitation, session dates, the profile,
/// the stored classical and IRT scores with their provenance, and the
/// decisions. Never item-level answers or scoring keys. Audited as `candidate.exported`.
pub async fn candidate_json(store: &Store, catalog: &Catalog, caller: &Caller, campaign_id: &str, invitation_id: &str) -> RecruitResult<Download> {
    let (campaign, row) = own_candidate(store, caller, campaign_id, invitation_id).await?;
    let profile: Profile = profile::build(store, catalog, &caller.org_id, &campaign, &row, "en").await?;
    let session = store.session_by_invitation(&caller.org_id, &row.invitation_id).await?;
    let stored = match &session {
        Some(s) => store.scores_of(&caller.org_id, &s.id).await?,
        None => Vec::new(),
    };
    let scores: Vec<serde_json::Value> = stored
        .iter()
        .filter(|s| s.method == "ctt" || s.method == "irt")
        .map(|s| {
            serde_json::json!({
                "instrument": s.instrument,
                "method": s.method,
                "bank_version": s.bank_version,
                "bank_hash": s.bank_hash,
                "norm_table_id": s.norm_table_id,
                "norm_table_hash": s.norm_table_hash,
                "engine_version": s.engine_version,
                "validity_status": s.validity_status,
                "scored_at": minute_utc(s.created_at),
                "report": serde_json::from_str::<serde_json::Value>(&s.report).unwrap_or(serde_json::Value::Null),
            })
        })
        .collect();
    let document = serde_json::json!({
        "format": "vigil.candidate/1",
        "exported_at": minute_utc(now_ms()),
        "campaign": { "id": campaign.id, "name": campaign.name },
        "candidate": { "name": row.name, "email": row.email, "language": row.language },
        "invitation": { "id": row.invitation_id, "status": profile.status.as_str(), "invited_at": minute_utc(row.invited_at), "expires_at": minute_utc(row.expires_at) },
        "session": session.as_ref().map(|s| serde_json::json!({ "status": s.status, "language": s.language, "started_at": minute_utc(s.started_at), "completed_at": s.completed_at.map(minute_utc) })),
        "profile": profile,
        "scores": scores,
        "note": "Scores compare self-descriptions with a norm group; each comes with its 90% band. They inform a human decision and never make it.",
    });
    let body = serde_json::to_string_pretty(&document).map_err(|e| ServiceError::Misconfigured(e.to_string()))?;
    audit_export(store, caller, "candidate.exported", "invitation", &row.invitation_id, serde_json::json!({ "format": "json", "campaign": campaign.id })).await?;
    let who = if profile.name.is_empty() { "candidate".to_string() } else { profile.name.clone() };
    Ok(Download { file_name: file_name(&who, "json"), content_type: "application/json", body })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_become_text() {
        assert_eq!(neutralise("=HYPERLINK(\"http://x\")"), "'=HYPERLINK(\"http://x\")");
        assert_eq!(neutralise("+1"), "'+1");
        assert_eq!(neutralise("-2+3"), "'-2+3");
        assert_eq!(neutralise("-A1"), "'-A1");
        assert_eq!(neutralise("-1.5.2"), "'-1.5.2");
        assert_eq!(neutralise("-"), "'-");
        // Numbers as Vigil writes them stay numbers (a negative theta too).
        assert_eq!(neutralise("-2"), "-2");
        assert_eq!(neutralise("-0.4491"), "-0.4491");
        assert_eq!(neutralise("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(neutralise("\tx"), "'\tx");
        assert_eq!(neutralise("Ada Lovelace"), "Ada Lovelace");
        assert_eq!(neutralise(""), "");
        assert_eq!(neutralise("47"), "47");
    }

    #[test]
    fn file_names_are_safe() {
        let name = file_name("Demo: Security Analyst hiring / 2026", "csv");
        assert!(name.starts_with("demo-security-analyst-hiring-2026-"), "{name}");
        assert!(name.ends_with(".csv"));
        assert!(file_name("../../", "json").starts_with("export-"));
    }
}
