//! The item banks this server offers: every bank version under the banks
//! folder (default `assessments/banks`), with its norm tables and its
//! population model, loaded and validated once at start-up; and the
//! versions organisations publish in the browser, added as they are
//! published (see `crate::catalog_sync`). Shipped
//! versions are everyone's; a published organisation version is its
//! organisation's only ([`Catalog::get_for`], [`Catalog::entries_for`]).

use std::{
    collections::BTreeMap,
    path::{Path, PathBuf},
    sync::{Arc, RwLock},
};

use assessments::{
    adaptive::IrtScoring,
    bank::Bank,
    feedback::Feedback,
    cat::{CatConfig, CatPool},
    commands::{load_bank, load_norms, read_limited, Limits},
    norms::NormTable,
    simulate::SimulationModel,
};

use crate::Error;

/// One published bank version with what ships beside it.
#[derive(Debug, Clone)]
pub struct CatalogEntry {
    pub bank: Bank,
    pub norms: Vec<NormTable>,
    /// Population model for simulated (demonstration) respondents.
    pub model: Option<SimulationModel>,
    /// The adaptive item pool (every calibrated scale) and the bank's CAT
    /// settings, when the bank has IRT parameters. Built once at start-up.
    pub adaptive: Option<Adaptive>,
    /// The calibrated scales with their EAP tables, built once at start-up
    /// (none when the bank has no parameters or only some): scoring a
    /// session looks its answers up instead of computing each probability.
    pub irt: Option<IrtScoring>,
    /// The version's TOML text, as published (for downloads and new drafts).
    pub source: Arc<str>,
    /// The organisation whose version this is; `None` for shipped banks.
    pub owner: Option<String>,
    /// Norm tables organisations built from their own sessions: `(organisation, table)`.
    pub org_norms: Vec<(String, NormTable)>,
}

impl CatalogEntry {
    /// A version published by an organisation (no norm tables or population
    /// model yet: those are built from its data later).
    pub fn published_by(owner: &str, source: &str, name: &str) -> Result<CatalogEntry, Error> {
        let bank = assessments::bank::Bank::parse(source, name).map_err(assessments::commands::CommandError::from)?;
        let (adaptive, irt) = (adaptive_of(&bank), irt_of(&bank));
        Ok(CatalogEntry { bank, norms: Vec::new(), model: None, adaptive, irt, source: Arc::from(source), owner: Some(owner.to_string()), org_norms: Vec::new() })
    }

    /// The norm tables people of `org_id` may choose: the shipped ones, then their own.
    pub fn norms_for(&self, org_id: &str) -> impl Iterator<Item = &NormTable> + '_ {
        let org = org_id.to_string();
        self.norms.iter().chain(self.org_norms.iter().filter(move |(o, _)| *o == org).map(|(_, t)| t))
    }

    /// Whether people of `org_id` may use and see this version.
    pub fn visible_to(&self, org_id: &str) -> bool {
        self.owner.as_deref().is_none_or(|o| o == org_id)
    }
}

fn adaptive_of(bank: &Bank) -> Option<Adaptive> {
    assessments::adaptive::cat_pool(bank, &[]).ok().map(|pool| Adaptive { pool, config: assessments::adaptive::cat_config(bank) })
}

fn irt_of(bank: &Bank) -> Option<IrtScoring> {
    IrtScoring::of(bank).ok().filter(|scoring| scoring.scales().next().is_some())
}

#[derive(Debug, Clone)]
pub struct Adaptive {
    pub pool: CatPool,
    pub config: CatConfig,
}

impl Adaptive {
    /// The adaptive seed of instrument number `instrument_index` in a
    /// session: the same session always gets the same items.
    pub fn seed(session_seed: i64, instrument_index: usize) -> u64 {
        (session_seed as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15).wrapping_add(instrument_index as u64)
    }
}

type Entries = BTreeMap<(String, String), Arc<CatalogEntry>>;

/// Bank versions by (instrument id, version).
/// Cloning is cheap and clones share the versions added later (the server
/// state holding it is cloned per request). Readers take a snapshot; an
/// addition swaps in a new map.
#[derive(Debug, Default, Clone)]
pub struct Catalog {
    entries: Arc<RwLock<Arc<Entries>>>,
    /// Feedback texts for the people who took an instrument, by instrument id.
    feedback: Arc<BTreeMap<String, Arc<Feedback>>>,
}

impl Catalog {
    /// Loads `<dir>/<instrument>/<version>.toml`, `<dir>/<instrument>/norms/*.toml`
    /// and the version's population model, `<dir>/<instrument>/simulation/<version>.toml`,
    /// and the instrument's feedback texts, `<dir>/<instrument>/feedback/texts.toml`, checked
    /// against each of its versions. Any invalid file is an error naming it:
    /// the server does not start with a broken bank.
    pub fn load(dir: &Path) -> Result<Catalog, Error> {
        let limits = Limits::default();
        let io = |p: &Path, e: std::io::Error| Error::Io { path: p.display().to_string(), reason: e.to_string() };
        let mut entries = BTreeMap::new();
        let mut feedback = BTreeMap::new();
        for instrument_dir in sorted_entries(dir).map_err(|e| io(dir, e))? {
            if !instrument_dir.is_dir() {
                continue;
            }
            let texts = load_feedback(&instrument_dir, &limits)?;
            let norm_files = sorted_entries(&instrument_dir.join("norms")).unwrap_or_default();
            for file in sorted_entries(&instrument_dir).map_err(|e| io(&instrument_dir, e))? {
                let is_version = file.is_file() && file.extension().is_some_and(|x| x == "toml");
                if !is_version {
                    continue;
                }
                let bank = load_bank(&file, &limits)?;
                let source = read_limited(&file, limits.max_toml_bytes)?;
                let mut norms = Vec::new();
                for norm_file in norm_files.iter().filter(|f| f.extension().is_some_and(|x| x == "toml")) {
                    // A norms folder may hold tables for several versions: keep this version's.
                    if let Ok(table) = load_norms(norm_file, &bank, &limits) {
                        norms.push(table);
                    }
                }
                // By id, so the oldest edition of a table (`...-demo-2026`) comes
                // before its successors (`...-demo-2026-theta`): batteries that
                // predate the choice of a table keep the one they always had.
                norms.sort_by(|a, b| a.id.cmp(&b.id));
                let model = load_model(&instrument_dir, &bank, &limits)?;
                let (adaptive, irt) = (adaptive_of(&bank), irt_of(&bank));
                if let Some(texts) = &texts {
                    let problems = texts.problems_with(&bank);
                    if !problems.is_empty() {
                        return Err(Error::Usage(format!("{}: {}", instrument_dir.join(FEEDBACK_FILE).display(), problems.join("; "))));
                    }
                    feedback.insert(bank.id().to_string(), texts.clone());
                }
                entries.insert((bank.id().to_string(), bank.version().to_string()), Arc::new(CatalogEntry { bank, norms, model, adaptive, irt, source: Arc::from(source), owner: None, org_norms: Vec::new() }));
            }
        }
        Ok(Catalog { entries: Arc::new(RwLock::new(Arc::new(entries))), feedback: Arc::new(feedback) })
    }

    /// The banks shipped in this repository (for tests and the default set-up).
    pub fn shipped_dir() -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../assessments/banks")
    }

    /// The feedback texts for an instrument's takers, when it ships them.
    pub fn feedback(&self, instrument: &str) -> Option<Arc<Feedback>> {
        self.feedback.get(instrument).cloned()
    }

    fn snapshot(&self) -> Arc<Entries> {
        self.entries.read().unwrap_or_else(std::sync::PoisonError::into_inner).clone()
    }

    /// A version by id and version, whoever owns it: for paths that reach
    /// it through a campaign, whose battery was checked with
    /// [`Catalog::get_for`] when it was made.
    pub fn get(&self, instrument: &str, version: &str) -> Option<Arc<CatalogEntry>> {
        self.snapshot().get(&(instrument.to_string(), version.to_string())).cloned()
    }

    /// A version the organisation may use: shipped, or its own.
    pub fn get_for(&self, org_id: &str, instrument: &str, version: &str) -> Option<Arc<CatalogEntry>> {
        self.get(instrument, version).filter(|e| e.visible_to(org_id))
    }

    /// The versions the organisation may use, by instrument id then version.
    pub fn entries_for(&self, org_id: &str) -> Vec<Arc<CatalogEntry>> {
        self.snapshot().values().filter(|e| e.visible_to(org_id)).cloned().collect()
    }

    /// Whether an instrument id is one of the shipped banks'.
    pub fn is_shipped(&self, instrument: &str) -> bool {
        self.snapshot().values().any(|e| e.owner.is_none() && e.bank.id() == instrument)
    }

    /// Adds a published organisation version (one already there is kept:
    /// published versions never change).
    pub fn add(&self, entry: CatalogEntry) {
        let mut guard = self.entries.write().unwrap_or_else(std::sync::PoisonError::into_inner);
        let key = (entry.bank.id().to_string(), entry.bank.version().to_string());
        if guard.contains_key(&key) {
            return;
        }
        let mut next = (**guard).clone();
        next.insert(key, Arc::new(entry));
        *guard = Arc::new(next);
    }

    /// Adds a norm table an organisation built for a version it may use
    /// (the entry is replaced by one with the table; readers holding the
    /// old entry keep it). False when the version is not there or the
    /// organisation has a table of that id already.
    pub fn add_norm_table(&self, org_id: &str, table: NormTable) -> bool {
        let mut guard = self.entries.write().unwrap_or_else(std::sync::PoisonError::into_inner);
        let key = (table.bank.clone(), table.bank_version.clone());
        let Some(entry) = guard.get(&key).filter(|e| e.visible_to(org_id)) else { return false };
        if entry.norms_for(org_id).any(|t| t.id == table.id) {
            return false;
        }
        let mut updated = (**entry).clone();
        updated.org_norms.push((org_id.to_string(), table));
        let mut next = (**guard).clone();
        next.insert(key, Arc::new(updated));
        *guard = Arc::new(next);
        true
    }

    pub fn len(&self) -> usize {
        self.snapshot().len()
    }

    pub fn is_empty(&self) -> bool {
        self.snapshot().is_empty()
    }
}

/// Orders versions by number: `1.10.0` after `1.9.0`.
pub fn semver_key(version: &str) -> Vec<u64> {
    version.split('.').map(|p| p.parse().unwrap_or(0)).collect()
}

/// The population model of a bank version, if one ships.
fn load_model(instrument_dir: &Path, bank: &Bank, limits: &Limits) -> Result<Option<SimulationModel>, Error> {
    let per_version = instrument_dir.join("simulation").join(format!("{}.toml", bank.version()));
    if per_version.is_file() {
        let src = read_limited(&per_version, limits.max_toml_bytes)?;
        let model = SimulationModel::parse(&src, &per_version.display().to_string(), bank).map_err(assessments::commands::CommandError::from)?;
        return Ok(Some(model));
    }
    Ok(None)
}

fn sorted_entries(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)?.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    Ok(paths)
}

/// Where an instrument's feedback texts live, in its folder.
const FEEDBACK_FILE: &str = "feedback/texts.toml";

/// The instrument's feedback texts, when its folder has them.
fn load_feedback(instrument_dir: &Path, limits: &Limits) -> Result<Option<Arc<Feedback>>, Error> {
    let path = instrument_dir.join(FEEDBACK_FILE);
    if !path.is_file() {
        return Ok(None);
    }
    let source = read_limited(&path, limits.max_toml_bytes)?;
    Feedback::parse(&source, &path.display().to_string()).map(|f| Some(Arc::new(f))).map_err(Error::Usage)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The shipped SJS folder copied to a temporary banks folder, its feedback texts changed by `edit`.
    fn with_feedback(edit: impl Fn(String) -> String) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().expect("dir");
        let from = Catalog::shipped_dir().join("sjs");
        let to = dir.path().join("sjs");
        for sub in ["", "norms", "feedback"] {
            std::fs::create_dir_all(to.join(sub)).expect("mkdir");
            for file in sorted_entries(&from.join(sub)).expect("list").into_iter().filter(|f| f.is_file()) {
                std::fs::copy(&file, to.join(sub).join(file.file_name().expect("name"))).expect("copy");
            }
        }
        let texts = to.join(FEEDBACK_FILE);
        std::fs::write(&texts, edit(std::fs::read_to_string(&texts).expect("read"))).expect("write");
        (dir, texts)
    }

    #[test]
    fn an_instruments_feedback_texts_load_with_it_and_a_broken_file_stops_the_start() {
        let (dir, _) = with_feedback(|t| t);
        let catalog = Catalog::load(dir.path()).expect("loads");
        assert!(catalog.feedback("sjs").is_some_and(|f| f.scales.contains_key("security_judgement")));
        assert!(catalog.feedback("svi").is_none());

        let (dir, texts) = with_feedback(|t| t.replace("[scales.security_judgement]", "[scales.no_such_scale]"));
        let err = Catalog::load(dir.path()).expect_err("refused").to_string();
        assert!(err.contains(&texts.display().to_string()) && err.contains("no_such_scale"), "{err}");
    }
}
