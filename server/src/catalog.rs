//! The item banks this server offers: every bank version under the banks
//! folder (default `assessments/banks`), with its norm tables and its
//! population model, loaded and validated once at start-up.

use std::{
    collections::BTreeMap,
    path::{Path, PathBuf},
    sync::Arc,
};

use assessments::{
    bank::Bank,
    cat::{CatConfig, CatPool},
    commands::{load_bank, load_norms, read_limited, Limits},
    norms::NormTable,
    simulate::SimulationModel,
};

use crate::Error;

/// One published bank version with what ships beside it.
#[derive(Debug)]
pub struct CatalogEntry {
    pub bank: Bank,
    pub norms: Vec<NormTable>,
    /// Population model for simulated (demonstration) respondents.
    pub model: Option<SimulationModel>,
    /// The adaptive item pool (every calibrated scale) and the bank's CAT
    /// settings, when the bank has IRT parameters. Built once at start-up.
    pub adaptive: Option<Adaptive>,
}

#[derive(Debug)]
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

/// Bank versions by (instrument id, version).
/// Cloning is cheap (the server state holding it is cloned per request).
#[derive(Debug, Default, Clone)]
pub struct Catalog {
    entries: Arc<BTreeMap<(String, String), Arc<CatalogEntry>>>,
}

impl Catalog {
    /// Loads `<dir>/<instrument>/<version>.toml`, `<dir>/<instrument>/norms/*.toml`
    /// and the version's population model, `<dir>/<instrument>/simulation/<version>.toml`. Any invalid file is an error
    /// naming it: the server does not start with a broken bank.
    pub fn load(dir: &Path) -> Result<Catalog, Error> {
        let limits = Limits::default();
        let io = |p: &Path, e: std::io::Error| Error::Io { path: p.display().to_string(), reason: e.to_string() };
        let mut entries = BTreeMap::new();
        for instrument_dir in sorted_entries(dir).map_err(|e| io(dir, e))? {
            if !instrument_dir.is_dir() {
                continue;
            }
            let norm_files = sorted_entries(&instrument_dir.join("norms")).unwrap_or_default();
            for file in sorted_entries(&instrument_dir).map_err(|e| io(&instrument_dir, e))? {
                let is_version = file.is_file() && file.extension().is_some_and(|x| x == "toml");
                if !is_version {
                    continue;
                }
                let bank = load_bank(&file, &limits)?;
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
                let adaptive = assessments::adaptive::cat_pool(&bank, &[])
                    .ok()
                    .map(|pool| Adaptive { pool, config: assessments::adaptive::cat_config(&bank) });
                entries.insert((bank.id().to_string(), bank.version().to_string()), Arc::new(CatalogEntry { bank, norms, model, adaptive }));
            }
        }
        Ok(Catalog { entries: Arc::new(entries) })
    }

    /// The banks shipped in this repository (for tests and the default set-up).
    pub fn shipped_dir() -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../assessments/banks")
    }

    pub fn get(&self, instrument: &str, version: &str) -> Option<Arc<CatalogEntry>> {
        self.entries.get(&(instrument.to_string(), version.to_string())).cloned()
    }

    /// Every bank version, by instrument id then version.
    pub fn entries(&self) -> impl Iterator<Item = &Arc<CatalogEntry>> {
        self.entries.values()
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
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
