//! Storage: the one seam between Vigil and its database.
//!
//! Every query in Vigil is a method on [`Store`]. The same SQL runs on SQLite
//! (the embedded default) and PostgreSQL (scale-out) through sqlx's `Any`
//! driver: identifiers are UUID text, times are Unix milliseconds in 64-bit
//! integers, flags are 0/1 integers and documents are JSON text, so one
//! statement fits both. Where the two databases must differ, a method
//! branches on [`Store::kind`].
//!
//! SQLite allows one writer at a time. Rather than let pooled connections
//! race for the write lock (read-then-write transactions then fail with
//! SQLITE_BUSY), every write goes through a pool of exactly one connection;
//! reads use a separate pool. PostgreSQL uses one pool for both.

mod answer_writer;
mod answers;
mod checkpointer;
pub use answers::{AnswerSaved, CreatedInvitation, NewInvitation, NewSession};
mod audit;
mod campaigns;
mod candidates;
mod cleanup;
mod erasure;
pub use erasure::ERASED_REASON;
pub use candidates::{CandidateContextRow, InvitationRow, SessionRow};
mod models;
mod orgs;
mod recruiting;
pub use recruiting::{CampaignScoreRow, CandidateStateRow, DecisionRow, InviteItem, Invited, OutboxDraft, OutboxRow, Reissue};
mod scores;
mod second_factor;
pub use second_factor::SecondFactorRow;
mod staff;
pub use staff::{AuditView, StaffSessionRow};
pub use scores::{AnswersSeen, Finished, NewScore, StoredScore};

use std::{str::FromStr, time::Duration};

use sqlx::{
    any::{AnyConnectOptions, AnyPoolOptions},
    migrate::Migrator,
    AnyPool, Executor,
};

pub use models::*;

use crate::config::{DatabaseKind, DatabaseUrl};

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("../migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("../migrations/postgres");

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot connect to the database at {url}: {reason}. Check that the database server is running and that host, port, user, password and database name in DATABASE_URL are right")]
    Connect { url: String, reason: String },
    #[error("the database at {url} has schema version {found}, newer than this vigil knows ({known}). Use a newer vigil with this database, or point DATABASE_URL at another one")]
    SchemaTooNew { url: String, found: i64, known: i64 },
    #[error("the database at {url} has not been set up yet (schema version {found}, this vigil needs {known}). Run `vigil migrate` first")]
    SchemaTooOld { url: String, found: i64, known: i64 },
    #[error("migrating the database at {url} failed: {reason}")]
    Migrate { url: String, reason: String },
    #[error("not found")]
    NotFound,
    #[error("{0}")]
    Conflict(String),
    #[error("stored data is not what Vigil expects: {0}")]
    Corrupt(String),
    #[error("the database is not taking writes: {0}")]
    Unavailable(String),
    #[error("database error: {0}")]
    Query(#[from] sqlx::Error),
}

pub type StoreResult<T> = Result<T, StoreError>;

/// The database, behind the queries Vigil needs.
#[derive(Clone, Debug)]
pub struct Store {
    kind: DatabaseKind,
    /// The URL without its password, for messages (shared: a store is cloned per request).
    shown_url: std::sync::Arc<str>,
    read: AnyPool,
    write: AnyPool,
    /// Group commit for answers, on the `write` pool.
    answers: answer_writer::AnswerWriter,
    /// SQLite only: checkpoints of the write-ahead log, in the background
    /// until the last clone of the store is gone.
    checkpointer: Option<std::sync::Arc<checkpointer::Checkpointer>>,
}

impl Store {
    /// Connects (creating a SQLite file and its folder if needed) and checks
    /// that the schema is not newer than this build knows. Does not migrate.
    pub async fn connect(url: &DatabaseUrl) -> StoreResult<Store> {
        sqlx::any::install_default_drivers();
        let shown_url = url.to_string();
        let connect_error = |e: sqlx::Error| StoreError::Connect { url: shown_url.clone(), reason: describe(&e) };
        let (read, write, checkpointer) = match url.kind() {
            DatabaseKind::Sqlite => {
                url.prepare_data_dir().map_err(|e| StoreError::Connect { url: shown_url.clone(), reason: e.to_string() })?;
                let raw = url.expose();
                let with_mode = if raw.contains("mode=") { raw.to_string() } else if raw.contains('?') { format!("{raw}&mode=rwc") } else { format!("{raw}?mode=rwc") };
                let options = AnyConnectOptions::from_str(&with_mode).map_err(connect_error)?;
                let write = sqlite_pool(1).connect_with(options.clone()).await.map_err(connect_error)?;
                let read = sqlite_pool(4).connect_with(options.clone()).await.map_err(connect_error)?;
                let checkpoints = sqlite_pool(1).connect_with(options).await.map_err(connect_error)?;
                (read, write, Some(std::sync::Arc::new(checkpointer::Checkpointer::start(checkpoints))))
            }
            DatabaseKind::Postgres => {
                let options = AnyConnectOptions::from_str(url.expose()).map_err(connect_error)?;
                let pool = AnyPoolOptions::new()
                    .max_connections(16)
                    .acquire_timeout(Duration::from_secs(5))
                    .test_before_acquire(false)
                    .connect_with(options)
                    .await
                    .map_err(connect_error)?;
                (pool.clone(), pool, None)
            }
        };
        let answers = answer_writer::AnswerWriter::start(write.clone(), url.kind());
        Ok(Store { kind: url.kind(), shown_url: shown_url.into(), read, write, answers, checkpointer })
    }

    /// Connects and brings the schema up to date.
    pub async fn open(url: &DatabaseUrl) -> StoreResult<Store> {
        let store = Store::connect(url).await?;
        store.migrate().await?;
        Ok(store)
    }

    pub fn kind(&self) -> DatabaseKind {
        self.kind
    }

    fn migrator(&self) -> &'static Migrator {
        match self.kind {
            DatabaseKind::Sqlite => &SQLITE_MIGRATIONS,
            DatabaseKind::Postgres => &POSTGRES_MIGRATIONS,
        }
    }

    /// The newest schema version this build knows.
    pub fn known_schema_version(&self) -> i64 {
        self.migrator().iter().map(|m| m.version).max().unwrap_or(0)
    }

    /// The newest schema version applied to the database (0 for a new one).
    pub async fn schema_version(&self) -> StoreResult<i64> {
        let exists: i64 = match self.kind {
            DatabaseKind::Sqlite => {
                sqlx::query_scalar("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations'")
                    .fetch_one(&self.read)
                    .await?
            }
            DatabaseKind::Postgres => {
                sqlx::query_scalar("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = '_sqlx_migrations'")
                    .fetch_one(&self.read)
                    .await?
            }
        };
        if exists == 0 {
            return Ok(0);
        }
        let version: Option<i64> = sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations WHERE success")
            .fetch_one(&self.read)
            .await?;
        Ok(version.unwrap_or(0))
    }

    /// Applies pending migrations; refuses a database from a newer Vigil.
    pub async fn migrate(&self) -> StoreResult<()> {
        let found = self.schema_version().await?;
        let known = self.known_schema_version();
        if found > known {
            return Err(StoreError::SchemaTooNew { url: self.shown_url.to_string(), found, known });
        }
        self.migrator()
            .run(&self.write)
            .await
            .map_err(|e| StoreError::Migrate { url: self.shown_url.to_string(), reason: e.to_string() })
    }

    /// Fails unless the schema is exactly the one this build knows.
    pub async fn ensure_current_schema(&self) -> StoreResult<()> {
        let found = self.schema_version().await?;
        let known = self.known_schema_version();
        match found.cmp(&known) {
            std::cmp::Ordering::Greater => Err(StoreError::SchemaTooNew { url: self.shown_url.to_string(), found, known }),
            std::cmp::Ordering::Less => Err(StoreError::SchemaTooOld { url: self.shown_url.to_string(), found, known }),
            std::cmp::Ordering::Equal => Ok(()),
        }
    }

    /// True when the database answers a trivial query.
    pub async fn ping(&self) -> bool {
        sqlx::query("SELECT 1").execute(&self.read).await.is_ok()
    }

    /// Closes every connection, waiting for those in use.
    pub async fn close(&self) {
        if let Some(checkpointer) = &self.checkpointer {
            checkpointer.close().await;
        }
        self.write.close().await;
        self.read.close().await;
    }
}

fn sqlite_pool(max: u32) -> AnyPoolOptions {
    AnyPoolOptions::new()
        .max_connections(max)
        .min_connections(1)
        .acquire_timeout(Duration::from_secs(10))
        // An embedded database cannot hang up: no ping round trip to the
        // connection's worker thread before every query.
        .test_before_acquire(false)
        .after_connect(|conn, _meta| {
            Box::pin(async move {
                // WAL: readers never block the writer. synchronous=NORMAL in WAL
                // mode survives a killed process (the commit is in the WAL file
                // before we acknowledge); only an OS crash can lose the last ones.
                // Checkpoints run in the background (see `checkpointer`).
                // Temporary data (the statement journal of a multi-row upsert
                // inside a batch's transaction) stays in memory instead of a
                // file created and deleted a few times a second. The page
                // cache stays at SQLite's default 2 MiB: a larger one made
                // every commit after a B-tree page split scan the whole cache
                // (see docs/architecture.md).
                let pragmas = format!(
                    "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON; PRAGMA wal_autocheckpoint = {}; PRAGMA temp_store = MEMORY;",
                    checkpointer::WRITER_AUTOCHECKPOINT_PAGES
                );
                conn.execute(pragmas.as_str()).await?;
                Ok(())
            })
        })
}

/// A driver error in words an operator can act on.
fn describe(e: &sqlx::Error) -> String {
    match e {
        sqlx::Error::Io(io) => io.to_string(),
        sqlx::Error::PoolTimedOut => "no answer within 5 seconds".to_string(),
        sqlx::Error::Database(db) => db.message().to_string(),
        other => other.to_string(),
    }
}

/// A fresh random identifier for a new row.
pub fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn pragma(pool: &AnyPool, name: &str) -> i64 {
        sqlx::query_scalar(&format!("PRAGMA {name}")).fetch_one(pool).await.expect("pragma")
    }

    /// Every SQLite connection keeps temporary data in memory (temp_store 2
    /// is MEMORY) and commits without waiting for the disk (synchronous 1 is
    /// NORMAL); the writer checkpoints by itself only at the high mark.
    #[tokio::test]
    async fn sqlite_connections_are_tuned_for_the_write_path() {
        let dir = tempfile::tempdir().expect("temporary folder");
        let url: DatabaseUrl = format!("sqlite://{}/vigil.db", dir.path().display()).parse().expect("url");
        let store = Store::connect(&url).await.expect("connect");
        for pool in [&store.write, &store.read] {
            assert_eq!(pragma(pool, "temp_store").await, 2);
            assert_eq!(pragma(pool, "synchronous").await, 1);
        }
        assert_eq!(pragma(&store.write, "wal_autocheckpoint").await, i64::from(checkpointer::WRITER_AUTOCHECKPOINT_PAGES));
        store.close().await;
    }
}
