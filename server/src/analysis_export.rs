//! Item-level data of one bank version for analysis, without identities:
//! what a psychologist takes to `vigil analyze`, R or SPSS.
//!
//! - `responses.csv`: one row per completed session, in the layout
//!   `vigil analyze` reads (`respondent`, then every item and its `__ms`
//!   latency column). The respondent is a pseudonym, `p-` and 16 hex digits
//!   of the SHA-256 of the session id: the same session always has the same
//!   pseudonym, and nothing in the files leads to a name or an address.
//! - `sessions.csv`: per pseudonym the campaign, the completion date (a day,
//!   not a time), the language, whether it ran adaptively and the validity
//!   status.
//! - `codebook.csv` and `codebook.json`: per item its instrument, version,
//!   type, scale, facet, reverse keying, text in every language, and the
//!   value labels (Likert) or options with their keys (SJT).
//! - `analysis.json`: item analysis and reliability of every scale on the
//!   same sessions, by the same code as `vigil analyze` (so it equals
//!   `vigil analyze` on `responses.csv`).
//!
//! Banks whose results are reported only for groups (the workforce pulse)
//! are never exported item by item.

use std::{collections::HashMap, fmt::Write as _};

use assessments::bank::{Bank, ItemType};

use crate::{
    battery::BatteryFile,
    catalog::Catalog,
    recruit::export::Download,
    service_error::ServiceError,
    staff::Caller,
    store::{SheetFilter, Store, StoreError},
    time::date_utc,
};

/// The files a psychologist may download, by name.
pub const FILES: [&str; 5] = ["responses.csv", "sessions.csv", "codebook.csv", "codebook.json", "analysis.json"];

/// One file of an export, for a psychologist or administrator of the
/// caller's organisation; audited as `responses.exported`.
pub async fn download(store: &Store, catalog: &Catalog, caller: &Caller, instrument: &str, version: &str, file: &str) -> Result<Download, ServiceError> {
    if !caller.role.may_analyse() {
        return Err(ServiceError::Forbidden);
    }
    if !FILES.contains(&file) || catalog.get_for(&caller.org_id, instrument, version).is_none() {
        return Err(ServiceError::NotFound);
    }
    let export = export(store, catalog, &caller.org_id, instrument, version).await.map_err(|e| match e {
        ExportError::Store(e) => ServiceError::from(e),
        ExportError::UnknownBank(_) => ServiceError::NotFound,
        other @ ExportError::GroupOnly(_) => ServiceError::Invalid(other.to_string()),
        other @ ExportError::Unreadable(_) => ServiceError::Misconfigured(other.to_string()),
    })?;
    let (body, content_type) = match file {
        "responses.csv" => (export.responses_csv, "text/csv; charset=utf-8"),
        "sessions.csv" => (export.sessions_csv, "text/csv; charset=utf-8"),
        "codebook.csv" => (export.codebook_csv, "text/csv; charset=utf-8"),
        "codebook.json" => (export.codebook_json, "application/json"),
        _ => (export.analysis_json, "application/json"),
    };
    caller.audit(store, "responses.exported", "instrument", &format!("{instrument}@{version}"), serde_json::json!({ "file": file, "sessions": export.sessions })).await?;
    Ok(Download { file_name: format!("{instrument}-{version}-{file}"), content_type, body })
}

/// The files of an export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnalysisExport {
    pub responses_csv: String,
    pub sessions_csv: String,
    pub codebook_csv: String,
    pub codebook_json: String,
    pub analysis_json: String,
    /// Completed sessions exported.
    pub sessions: usize,
}

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("this server has no bank version {0}")]
    UnknownBank(String),
    #[error("{0} is reported only for groups of at least five people, so its answers are never exported one person at a time")]
    GroupOnly(String),
    #[error("a stored analysis sheet could not be read: {0}")]
    Unreadable(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

pub use crate::sheets::pseudonym;

/// Every completed session of the organisation's campaigns that include the
/// bank version, as the five files (read from the analysis sheets, written
/// first for sessions finished before sheets were kept).
pub async fn export(store: &Store, catalog: &Catalog, org_id: &str, instrument: &str, version: &str) -> Result<AnalysisExport, ExportError> {
    let entry = catalog.get_for(org_id, instrument, version).ok_or_else(|| ExportError::UnknownBank(format!("{instrument}@{version}")))?;
    let bank = &entry.bank;
    if !bank.reports_individuals() {
        return Err(ExportError::GroupOnly(format!("{instrument}@{version}")));
    }
    crate::sheets::backfill(store, bank, org_id, entry.adaptive.is_some()).await?;
    let rows = store.sheets(org_id, instrument, version, &SheetFilter::default()).await?;
    let sheets = crate::sheets::read(bank, &rows).map_err(ExportError::Unreadable)?;
    let campaigns: HashMap<String, String> = store.campaigns_of(org_id).await?.into_iter().map(|c| (c.id, c.name)).collect();
    let mut sessions_csv = csv::Writer::from_writer(Vec::new());
    let _ = sessions_csv.write_record(["respondent", "campaign", "completed_on", "language", "adaptive", "validity"]);
    for (row, responses) in rows.iter().zip(&sheets) {
        let _ = sessions_csv.write_record([
            responses.respondent.as_str(),
            campaigns.get(&row.campaign_id).map_or("", String::as_str),
            &date_utc(row.completed_at),
            &row.language,
            if row.adaptive != 0 { "true" } else { "false" },
            &row.validity_status,
        ]);
    }
    let sessions_csv = String::from_utf8(sessions_csv.into_inner().unwrap_or_default()).unwrap_or_default();
    Ok(AnalysisExport {
        responses_csv: assessments::responses::write_csv(bank, &sheets, true),
        sessions_csv,
        codebook_csv: codebook_csv(bank),
        codebook_json: codebook_json(bank),
        analysis_json: serde_json::to_string_pretty(&assessments::commands::analyze_sessions(bank, &sheets)).unwrap_or_default(),
        sessions: sheets.len(),
    })
}

/// The psychologist's view of one completed session, found by its
/// pseudonym (as in `sessions.csv`): its answers in the order given with
/// latencies, the validity indices, each scale's reported score and, for an
/// adaptive session, the engine's trace (each item with theta and SE after
/// it) and why each scale's run stopped. No name, address or session id.
pub async fn session_view(store: &Store, catalog: &Catalog, caller: &Caller, instrument: &str, version: &str, respondent: &str) -> Result<Download, ServiceError> {
    if !caller.role.may_analyse() {
        return Err(ServiceError::Forbidden);
    }
    let entry = catalog.get_for(&caller.org_id, instrument, version).ok_or(ServiceError::NotFound)?;
    if !entry.bank.reports_individuals() {
        return Err(ServiceError::NotFound);
    }
    for campaign in store.campaigns_of(&caller.org_id).await? {
        let Ok(battery) = BatteryFile::of(&campaign) else { continue };
        if !battery.has(instrument, version) {
            continue;
        }
        let Some(session_id) = store.completed_sessions(&caller.org_id, &campaign.id).await?.into_iter().find(|id| pseudonym(id) == respondent) else { continue };
        let session = store.session(&caller.org_id, &session_id).await?;
        let mut answers: Vec<_> = store.answers_of(&session_id).await?.into_iter().filter(|a| a.instrument == instrument).collect();
        answers.sort_by_key(|a| a.client_seq);
        let records = store.scores_of(&caller.org_id, &session_id).await?;
        let mine: Vec<_> = records.into_iter().filter(|r| r.instrument == instrument).collect();
        let scored = crate::scoring::read::read_session(std::slice::from_ref(&entry), &mine).map_err(|e| ServiceError::Misconfigured(e.to_string()))?;
        let cat = mine.iter().find(|r| r.method == "cat").and_then(|r| serde_json::from_str::<serde_json::Value>(&r.report).ok());
        let document = serde_json::json!({
            "format": "vigil.session/1",
            "respondent": respondent,
            "instrument": instrument,
            "version": version,
            "campaign": campaign.name,
            "completed_on": session.as_ref().and_then(|s| s.completed_at).map(date_utc),
            "language": session.as_ref().map(|s| s.language.clone()),
            "answers": answers.iter().enumerate().map(|(n, a)| serde_json::json!({ "order": n + 1, "item": a.item_id, "value": a.value, "latency_ms": a.latency_ms, "changed": a.revisions > 1 })).collect::<Vec<_>>(),
            "validity": scored.first().map(|s| serde_json::json!({ "status": crate::scoring::validity_status_name(s.validity_status()), "indices": s.classical.validity })),
            "scales": scored.first().map(|s| &s.scales),
            "adaptive": cat.as_ref().map(|c| serde_json::json!({ "trace": c["trace"], "scales": c["scales"] })),
        });
        caller.audit(store, "session.viewed", "instrument", &format!("{instrument}@{version}"), serde_json::json!({ "respondent": respondent })).await?;
        return Ok(Download {
            file_name: format!("{instrument}-{version}-{respondent}.json"),
            content_type: "application/json",
            body: serde_json::to_string_pretty(&document).map_err(|e| ServiceError::Misconfigured(e.to_string()))?,
        });
    }
    Err(ServiceError::NotFound)
}

/// One codebook line per item.
fn codebook_items(bank: &Bank) -> Vec<serde_json::Value> {
    let scales = &bank.file().response_scales;
    bank.items()
        .iter()
        .map(|item| {
            let kind = match item.kind {
                ItemType::Likert => "likert",
                ItemType::Sjt => "sjt",
                ItemType::Check => "check",
            };
            let values: Vec<serde_json::Value> = match item.kind {
                ItemType::Sjt => item.options.iter().map(|o| serde_json::json!({ "value": o.id, "key": o.key, "label": o.text })).collect(),
                _ => item
                    .response_scale
                    .as_deref()
                    .and_then(|id| scales.iter().find(|s| s.id == id))
                    .map(|s| (s.min..=s.max).enumerate().map(|(n, v)| serde_json::json!({ "value": v, "label": s.labels.iter().map(|(lang, l)| (lang.clone(), l.get(n).cloned().unwrap_or_default())).collect::<std::collections::BTreeMap<_, _>>() })).collect())
                    .unwrap_or_default(),
            };
            serde_json::json!({
                "item": item.id,
                "instrument": bank.id(),
                "version": bank.version(),
                "type": kind,
                "scale": item.scale,
                "facet": item.facet,
                "reverse": item.reverse.unwrap_or(false),
                "attentive": item.attentive,
                "text": item.text,
                "values": values,
            })
        })
        .collect()
}

/// The codebook as JSON: the bank version and its items.
pub fn codebook_json(bank: &Bank) -> String {
    let doc = serde_json::json!({
        "format": "vigil.codebook/1",
        "instrument": bank.id(),
        "version": bank.version(),
        "bank_hash": bank.content_hash(),
        "respondent": "p- and 16 hex digits: a pseudonym of the session (the same session always has the same one)",
        "latency_columns": "<item>__ms: milliseconds from showing the item to the answer, where the browser measured it",
        "items": codebook_items(bank),
    });
    serde_json::to_string_pretty(&doc).unwrap_or_default()
}

/// The codebook as CSV: one row per item, English text, values as `value=label` joined by `; `.
pub fn codebook_csv(bank: &Bank) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(["item", "instrument", "version", "type", "scale", "facet", "reverse", "text_en", "values"]);
    for item in codebook_items(bank) {
        let text = |v: &serde_json::Value| v.as_str().map(str::to_string).unwrap_or_default();
        let values = item["values"]
            .as_array()
            .map(|vs| {
                vs.iter()
                    .map(|v| {
                        let label = v["label"]["en"].as_str().map(str::to_string).unwrap_or_default();
                        let mut cell = format!("{}={label}", v["value"].as_str().map_or_else(|| v["value"].to_string(), str::to_string));
                        if let Some(key) = v["key"].as_i64() {
                            let _ = write!(cell, " (key {key})");
                        }
                        cell
                    })
                    .collect::<Vec<_>>()
                    .join("; ")
            })
            .unwrap_or_default();
        let _ = w.write_record([
            text(&item["item"]),
            text(&item["instrument"]),
            text(&item["version"]),
            text(&item["type"]),
            text(&item["scale"]),
            text(&item["facet"]),
            item["reverse"].as_bool().unwrap_or(false).to_string(),
            text(&item["text"]["en"]),
            values,
        ]);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}
