//! A campaign's battery: the bank versions it was built on, each with the
//! norm table it chose, as stored (`campaigns.battery`, JSON), and the
//! catalog entries behind them, checked against their recorded hashes.

use std::sync::Arc;

use assessments::{norms::NormTable, primary::FixedFormScoring};

use crate::{
    catalog::{Catalog, CatalogEntry},
    store::Campaign,
};

/// How long answering the whole of these bank versions takes: about 8
/// seconds per statement and 40 per scenario, rounded up to 5 minutes
/// (what the candidate's notice and the campaign form both say).
pub fn estimated_minutes(battery: &[Arc<CatalogEntry>]) -> u32 {
    let seconds: usize = battery
        .iter()
        .flat_map(|e| e.bank.items().iter())
        .map(|i| if i.kind == assessments::bank::ItemType::Sjt { 40 } else { 8 })
        .sum();
    (seconds.div_ceil(60) as u32).div_ceil(5) * 5
}

/// Why a campaign's battery cannot be used (a configuration problem).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct BatteryError(pub String);

/// One instrument of a stored battery: which bank version and which norm table.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct BatteryEntry {
    pub instrument: String,
    pub version: String,
    #[serde(default)]
    pub bank_hash: Option<String>,
    /// `Some(None)`: scored without norms (raw scores only). `None`: the
    /// battery predates the choice (the version's first table is used).
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "present")]
    pub norm_table: Option<Option<String>>,
    #[serde(default)]
    pub norm_table_hash: Option<String>,
    /// For a fixed form of a calibrated bank: report CTT (the default) or
    /// IRT scores. Adaptive delivery always reports IRT.
    #[serde(default)]
    pub fixed_form: FixedFormScoring,
}

/// A field that is there, even as `null`, is `Some` (so `null` and missing differ).
fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Option<String>>, D::Error> {
    <Option<String> as serde::Deserialize>::deserialize(d).map(Some)
}

/// A campaign's battery as stored (`campaigns.battery`, JSON): the one
/// definition of the format, for writing and reading it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct BatteryFile {
    pub instruments: Vec<BatteryEntry>,
}

impl BatteryFile {
    pub fn of(campaign: &Campaign) -> Result<BatteryFile, String> {
        serde_json::from_str(&campaign.battery).map_err(|e| format!("the campaign's battery cannot be read: {e}"))
    }

    /// The battery has this bank version.
    pub fn has(&self, instrument: &str, version: &str) -> bool {
        self.instruments.iter().any(|i| i.instrument == instrument && i.version == version)
    }
}

/// The campaign's battery has this bank version (false when it cannot be read).
pub fn uses(campaign: &Campaign, instrument: &str, version: &str) -> bool {
    BatteryFile::of(campaign).is_ok_and(|b| b.has(instrument, version))
}

/// The norm table a campaign chose for a bank version: the one its battery
/// names, none when it names `null` (raw scores only), and the version's
/// first table for batteries written before the choice was stored.
pub fn chosen_norms<'a>(campaign: &Campaign, entry: &'a CatalogEntry) -> Option<&'a NormTable> {
    let battery = BatteryFile::of(campaign).ok()?;
    let chosen = battery.instruments.into_iter().find(|i| i.instrument == entry.bank.id() && i.version == entry.bank.version());
    match chosen.and_then(|i| i.norm_table) {
        Some(Some(id)) => entry.norms_for(&campaign.org_id).find(|n| n.id == id),
        Some(None) => None,
        None => entry.norms.first(),
    }
}

/// How a campaign reports a fixed form of this bank version (CTT unless it chose IRT).
pub fn chosen_fixed_form(campaign: &Campaign, entry: &CatalogEntry) -> FixedFormScoring {
    BatteryFile::of(campaign)
        .ok()
        .and_then(|b| b.instruments.into_iter().find(|i| i.instrument == entry.bank.id() && i.version == entry.bank.version()))
        .map(|i| i.fixed_form)
        .unwrap_or_default()
}

/// The bank versions of a campaign's battery, in its order, checked against
/// their recorded hashes.
pub fn battery(catalog: &Catalog, campaign: &Campaign) -> Result<Vec<Arc<CatalogEntry>>, BatteryError> {
    let battery = BatteryFile::of(campaign).map_err(BatteryError)?;
    if battery.instruments.is_empty() {
        return Err(BatteryError("the battery lists no instruments".into()));
    }
    battery
        .instruments
        .iter()
        .map(|entry| {
            let (id, version) = (&entry.instrument, &entry.version);
            let found = catalog.get(id, version).ok_or_else(|| BatteryError(format!("bank {id}@{version} is not available")))?;
            match entry.bank_hash.as_deref() {
                Some(hash) if hash != found.bank.content_hash() => Err(BatteryError(format!("bank {id}@{version} differs from the version the campaign was built on"))),
                _ => Ok(found),
            }
        })
        .collect()
}

/// The instruments of a battery that may be reported about one person (a
/// campaign made before banks declared their use may hold the workforce
/// pulse: it is asked and stored, never shown per person).
pub fn individually_reported(battery: Vec<Arc<CatalogEntry>>) -> Vec<Arc<CatalogEntry>> {
    battery.into_iter().filter(|e| e.bank.reports_individuals()).collect()
}
