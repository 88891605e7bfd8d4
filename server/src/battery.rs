//! A campaign's battery: the bank versions it was built on, each with the
//! norm table it chose, as stored (`campaigns.battery`, JSON), and the
//! catalog entries behind them, checked against their recorded hashes.

use std::sync::Arc;

use assessments::{norms::NormTable, primary::FixedFormScoring};

use crate::{
    catalog::{Catalog, CatalogEntry},
    store::Campaign,
};

/// About how long one question takes: 8 seconds for a statement, 40 for a
/// scenario.
fn seconds_for(kind: assessments::bank::ItemType) -> usize {
    if kind == assessments::bank::ItemType::Sjt { 40 } else { 8 }
}

/// Seconds to minutes as people are told them: rounded up to 5.
fn minutes_told(seconds: usize) -> u32 {
    (seconds.div_ceil(60) as u32).div_ceil(5) * 5
}

/// How long answering the whole of these bank versions takes, in minutes
/// (the campaign form's figure for each instrument).
pub fn estimated_minutes(battery: &[Arc<CatalogEntry>]) -> u32 {
    length(battery, false).minutes[1]
}

/// How much a candidate will answer: questions and minutes, at least and
/// at most (the same when nothing runs adaptively).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Length {
    pub questions: [u32; 2],
    pub minutes: [u32; 2],
}

/// The length of a battery, as the candidate's notice states it. A fixed
/// form asks every item. An adaptive one asks the items outside its pool
/// in full and, for each calibrated scale, between its `min_items` and
/// `max_items` (never more than the scale's pool holds).
pub fn length(battery: &[Arc<CatalogEntry>], adaptive: bool) -> Length {
    let (mut questions, mut seconds) = ([0usize; 2], [0usize; 2]);
    for entry in battery {
        let items = entry.bank.items();
        let pool = entry.adaptive.as_ref().filter(|_| adaptive);
        for item in items.iter().filter(|i| pool.is_none_or(|a| a.pool.index_of(&i.id).is_none())) {
            for bound in 0..2 {
                questions[bound] += 1;
                seconds[bound] += seconds_for(item.kind);
            }
        }
        let Some(a) = pool else { continue };
        for scale in 0..a.pool.scales().len() {
            let in_scale = a.pool.scale_items(scale);
            let kind = in_scale.first().and_then(|&i| entry.bank.item_index(&a.pool.items()[i].id)).map_or(assessments::bank::ItemType::Likert, |i| items[i].kind);
            for (bound, asked) in [a.config.min_items, a.config.max_items].into_iter().enumerate() {
                let asked = asked.min(in_scale.len());
                questions[bound] += asked;
                seconds[bound] += asked * seconds_for(kind);
            }
        }
    }
    Length { questions: questions.map(|q| q as u32), minutes: seconds.map(minutes_told) }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn shipped(instrument: &str, version: &str) -> Arc<CatalogEntry> {
        Catalog::load(&Catalog::shipped_dir()).expect("banks").get(instrument, version).expect("shipped")
    }

    #[test]
    fn a_fixed_form_asks_every_item_and_its_minutes_are_rounded_up_to_five() {
        let (svi, sjs) = (shipped("svi", "1.0.0"), shipped("sjs", "1.0.0"));
        let items = svi.bank.items().len() + sjs.bank.items().len();
        let length = length(&[svi.clone(), sjs.clone()], false);
        assert_eq!(length.questions, [items as u32; 2]);
        // Worked by hand: 8 s per statement, 40 s per scenario.
        let count = |e: &CatalogEntry, kind| e.bank.items().iter().filter(|i| i.kind == kind).count();
        let sjt = assessments::bank::ItemType::Sjt;
        let seconds = 8 * (items - count(&svi, sjt) - count(&sjs, sjt)) + 40 * (count(&svi, sjt) + count(&sjs, sjt));
        let minutes = ((seconds as f64 / 60.0).ceil() / 5.0).ceil() as u32 * 5;
        assert_eq!(length.minutes, [minutes; 2]);
        assert_eq!(estimated_minutes(&[svi, sjs]), minutes);
    }

    #[test]
    fn an_adaptive_run_is_a_range_within_the_full_form() {
        let svi = shipped("svi", "1.1.0");
        let a = svi.adaptive.as_ref().expect("calibrated");
        let full = length(std::slice::from_ref(&svi), false);
        let adaptive = length(std::slice::from_ref(&svi), true);
        let outside = svi.bank.items().len() - a.pool.items().len();
        let scales = a.pool.scales().len();
        assert!(scales > 1);
        // At least min_items of each scale, at most max_items (or all the scale has), plus every item outside the pool.
        let at_least: usize = (0..scales).map(|s| a.config.min_items.min(a.pool.scale_items(s).len())).sum();
        let at_most: usize = (0..scales).map(|s| a.config.max_items.min(a.pool.scale_items(s).len())).sum();
        assert_eq!(adaptive.questions, [(outside + at_least) as u32, (outside + at_most) as u32]);
        assert!(adaptive.questions[0] < adaptive.questions[1] && adaptive.questions[1] <= full.questions[1]);
        assert!(adaptive.minutes[0] <= adaptive.minutes[1] && adaptive.minutes[1] <= full.minutes[1]);
        // A campaign that is not adaptive asks the calibrated bank in full.
        assert_eq!(length(std::slice::from_ref(&svi), false), full);
    }
}
