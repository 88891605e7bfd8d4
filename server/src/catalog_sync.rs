//! Each process's catalog kept up with what every process on the database
//! published. The catalog lives in memory, one per process; a version or a
//! norm table published through one process reaches the others here:
//!
//! * before each staff or API request, and before each long job, one small
//!   look ([`Store::catalog_stamp`]: how many versions and norm tables
//!   there are, and the newest of each); when that changed since the last
//!   look, whatever this catalog lacks is loaded. So a psychologist who
//!   publishes through one process and is shown the library by another
//!   sees the new version, and a calibration queued through one process
//!   and claimed by another finds its bank;
//! * every [`REFRESH_EVERY`] in the background, for candidates' requests,
//!   which never wait for that look. A candidate reaches a version only
//!   through a campaign a recruiter built with it (after it was loaded in
//!   the recruiter's process) and an invitation sent after that, so in
//!   practice their process has long loaded it too.
//!
//! Nothing is ever taken out of a catalog: a published version or norm
//! table never changes (a new one gets a new version or id), so what a
//! process already holds is never stale, only possibly incomplete.

use std::sync::{Arc, Mutex};

use crate::{
    catalog::{Catalog, CatalogEntry},
    periodic::Periodic,
    store::{CatalogStamp, Store, StoreError},
};

/// How often each process looks in the background.
pub const REFRESH_EVERY: std::time::Duration = std::time::Duration::from_secs(5);

/// One process's catalog and the database it follows.
#[derive(Clone)]
pub struct CatalogSync {
    store: Store,
    catalog: Catalog,
    /// The stamp when this catalog last loaded everything; `None` before the first look.
    seen: Arc<Mutex<Option<CatalogStamp>>>,
}

impl std::fmt::Debug for CatalogSync {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CatalogSync").field("seen", &self.seen).finish_non_exhaustive()
    }
}

impl CatalogSync {
    pub fn new(store: &Store, catalog: &Catalog) -> CatalogSync {
        CatalogSync { store: store.clone(), catalog: catalog.clone(), seen: Arc::new(Mutex::new(None)) }
    }

    /// Loads what was published since the last look, if anything was;
    /// returns how many versions and norm tables were added.
    pub async fn catch_up(&self) -> Result<usize, StoreError> {
        let stamp = self.store.catalog_stamp().await?;
        if *self.seen.lock().unwrap_or_else(|e| e.into_inner()) == Some(stamp) {
            return Ok(0);
        }
        let added = load_published(&self.store, &self.catalog).await?;
        // What was published between the stamp and the loading is loaded
        // already; the next look sees a newer stamp and loads nothing new.
        *self.seen.lock().unwrap_or_else(|e| e.into_inner()) = Some(stamp);
        Ok(added)
    }

    /// [`Self::catch_up`] where a failure must not stop the work that asked
    /// (a request, a job): it is logged, and the catalog stays as it was.
    pub async fn catch_up_or_log(&self) {
        if let Err(e) = self.catch_up().await {
            tracing::warn!(error = %e, "could not look for newly published instrument versions");
        }
    }

    /// Catches up now, then every [`REFRESH_EVERY`] until stopped.
    pub async fn keep_fresh(self) -> Result<Periodic, StoreError> {
        self.catch_up().await?;
        Ok(Periodic::start("catalog refresh", REFRESH_EVERY, move || {
            let sync = self.clone();
            async move { sync.catch_up_or_log().await }
        }))
    }
}

/// A version from the catalog, first loading what other processes
/// published if this catalog lacks it (for work that was queued through
/// another process: a job).
pub async fn get_or_load(store: &Store, catalog: &Catalog, instrument: &str, version: &str) -> Option<Arc<CatalogEntry>> {
    if let Some(entry) = catalog.get(instrument, version) {
        return Some(entry);
    }
    if let Err(e) = load_published(store, catalog).await {
        tracing::warn!(error = %e, "could not look for newly published instrument versions");
    }
    catalog.get(instrument, version)
}

/// Adds every published organisation version and norm table the catalog
/// lacks; returns how many. (One that cannot be loaded is logged and left
/// out: the others still load.)
pub async fn load_published(store: &Store, catalog: &Catalog) -> Result<usize, StoreError> {
    let mut added = 0;
    for row in store.published_bank_versions().await? {
        if catalog.get(&row.instrument, &row.version).is_some() {
            continue;
        }
        match CatalogEntry::published_by(&row.org_id, &row.source, &format!("{}@{}", row.instrument, row.version)) {
            Ok(entry) => {
                catalog.add(entry);
                added += 1;
            }
            Err(e) => tracing::error!(instrument = %row.instrument, version = %row.version, error = %e, "a published version could not be loaded"),
        }
    }
    for row in store.published_norm_tables().await? {
        let Some(entry) = catalog.get(&row.instrument, &row.version) else { continue };
        if entry.norms_for(&row.org_id).any(|t| t.id == row.id) {
            continue;
        }
        match assessments::norms::NormTable::parse(&row.source, &row.id, &entry.bank) {
            Ok(table) => {
                catalog.add_norm_table(&row.org_id, table);
                added += 1;
            }
            Err(e) => tracing::error!(norm_table = %row.id, error = %e, "a stored norm table could not be loaded"),
        }
    }
    Ok(added)
}
