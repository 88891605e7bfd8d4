//! The instrument library: every version the organisation may use (the
//! shipped banks and its own), who published each and when, its content
//! hash, the campaigns using it and its completed sessions; its open
//! drafts; downloads of a version as its TOML file or translation table.
//! (Versions other processes publish reach this one's catalog through
//! `crate::catalog_sync`.)

use std::collections::BTreeMap;

use super::{require_author, ServiceError};
use crate::{
    catalog::{Catalog, CatalogEntry},
    recruit::export::Download,
    staff::Caller,
    store::{DraftRow, Store},
};

/// One version as the library lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct LibraryVersion {
    pub version: String,
    pub content_hash: String,
    /// "Vigil" for shipped versions.
    pub published_by: String,
    pub published_at: Option<i64>,
    pub note: String,
    pub parent: Option<String>,
    /// Names of the organisation's campaigns using it.
    pub campaigns: Vec<String>,
    pub completed_sessions: i64,
    /// Whether its answers may be analysed per item (not workforce pulses).
    pub analysable: bool,
    /// Retired in the organisation: `(by whom, when)`; not offered for new campaigns.
    pub retired: Option<(String, i64)>,
}

/// One instrument with its versions, oldest first.
#[derive(Debug, Clone, PartialEq)]
pub struct LibraryInstrument {
    pub id: String,
    pub title: String,
    pub shipped: bool,
    pub versions: Vec<LibraryVersion>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Library {
    pub instruments: Vec<LibraryInstrument>,
    pub drafts: Vec<DraftRow>,
}

/// The library of the caller's organisation.
pub async fn library(store: &Store, catalog: &Catalog, caller: &Caller) -> Result<Library, ServiceError> {
    require_author(caller)?;
    let org = &caller.org_id;
    let published: BTreeMap<(String, String), _> = store.bank_versions_of(org).await?.into_iter().map(|m| ((m.instrument.clone(), m.version.clone()), m)).collect();
    let completed: BTreeMap<(String, String), i64> = store.completed_per_version(org).await?.into_iter().map(|(i, v, n)| ((i, v), n)).collect();
    // Each campaign's battery read once, not once per version.
    let campaigns: Vec<(String, Option<crate::battery::BatteryFile>)> = store.campaigns_of(org).await?.into_iter().map(|c| { let battery = crate::battery::BatteryFile::of(&c).ok(); (c.name, battery) }).collect();
    let retired: BTreeMap<(String, String), (String, i64)> = store.retired_versions_of(org).await?.into_iter().map(|(i, v, by, at)| ((i, v), (by, at))).collect();
    let mut instruments: Vec<LibraryInstrument> = Vec::new();
    for entry in catalog.entries_for(org) {
        let (id, version) = (entry.bank.id().to_string(), entry.bank.version().to_string());
        let meta = published.get(&(id.clone(), version.clone()));
        let row = LibraryVersion {
            content_hash: entry.bank.content_hash().to_string(),
            published_by: meta.map_or_else(|| "Vigil".to_string(), |m| m.published_by.clone()),
            published_at: meta.map(|m| m.published_at),
            note: meta.map(|m| m.note.clone()).unwrap_or_default(),
            parent: meta.and_then(|m| m.parent.clone()),
            campaigns: campaigns.iter().filter(|(_, b)| b.as_ref().is_some_and(|b| b.has(&id, &version))).map(|(name, _)| name.clone()).collect(),
            completed_sessions: completed.get(&(id.clone(), version.clone())).copied().unwrap_or(0),
            analysable: entry.bank.reports_individuals(),
            retired: retired.get(&(id.clone(), version.clone())).cloned(),
            version,
        };
        match instruments.iter_mut().find(|i| i.id == id) {
            Some(i) => i.versions.push(row),
            None => instruments.push(LibraryInstrument {
                title: entry.bank.file().instrument.title.get("en").cloned().unwrap_or_else(|| id.clone()),
                shipped: entry.owner.is_none(),
                id,
                versions: vec![row],
            }),
        }
    }
    for i in &mut instruments {
        i.versions.sort_by(|a, b| crate::catalog::semver_key(&a.version).cmp(&crate::catalog::semver_key(&b.version)));
    }
    Ok(Library { instruments, drafts: store.open_drafts(org).await? })
}

fn entry_for(catalog: &Catalog, caller: &Caller, instrument: &str, version: &str) -> Result<std::sync::Arc<CatalogEntry>, ServiceError> {
    require_author(caller)?;
    catalog.get_for(&caller.org_id, instrument, version).ok_or(ServiceError::NotFound)
}

/// Takes a version the organisation may use off its campaign form
/// (`retire`), or offers it again; campaigns made with it keep it.
/// Audited as `instrument.retired` / `instrument.unretired`.
pub async fn set_retired(store: &Store, catalog: &Catalog, caller: &Caller, instrument: &str, version: &str, retire: bool) -> Result<(), ServiceError> {
    entry_for(catalog, caller, instrument, version)?;
    let object = format!("{instrument}@{version}");
    if retire {
        store.retire_version(&caller.org_id, instrument, version, &caller.user_id, crate::time::now_ms()).await?;
        caller.audit(store, "instrument.retired", "bank_version", &object, serde_json::json!({})).await?;
    } else if store.unretire_version(&caller.org_id, instrument, version).await? {
        caller.audit(store, "instrument.unretired", "bank_version", &object, serde_json::json!({})).await?;
    }
    Ok(())
}

/// A version as its TOML file, exactly as published.
pub fn bank_file(catalog: &Catalog, caller: &Caller, instrument: &str, version: &str) -> Result<Download, ServiceError> {
    let entry = entry_for(catalog, caller, instrument, version)?;
    Ok(Download { file_name: format!("{instrument}-{version}.toml"), content_type: "application/toml; charset=utf-8", body: entry.source.to_string() })
}

/// A version's texts as a translation table (`key` and one column per language).
pub fn translations_file(catalog: &Catalog, caller: &Caller, instrument: &str, version: &str) -> Result<Download, ServiceError> {
    let entry = entry_for(catalog, caller, instrument, version)?;
    let body = assessments::bank::translations::export_csv(&entry.source).map_err(|e| ServiceError::Misconfigured(e.0))?;
    Ok(Download { file_name: format!("{instrument}-{version}-translations.csv"), content_type: "text/csv; charset=utf-8", body })
}
