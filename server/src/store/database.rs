//! The connection to the database: the pools (one writer on SQLite, see
//! the store's header), the migrations and the schema checks.

use std::{str::FromStr, time::Duration};

use sqlx::{
    any::{AnyConnectOptions, AnyPoolOptions},
    migrate::Migrator,
    AnyPool, Executor,
};

use super::{answer_writer, checkpointer, error::describe, StoreError, StoreResult};
use crate::config::{DatabaseKind, DatabaseUrl};

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("../migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("../migrations/postgres");

/// When SQLite counts a commit as done (`PRAGMA synchronous`; PostgreSQL
/// follows its server's `synchronous_commit`). The default is measured in
/// docs/operations.md ("Durability"): FULL tripled the answer-save p99.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum SqliteSynchronous {
    /// After the write-ahead log is written, before it is flushed: survives
    /// a killed process, but an operating-system crash or power cut can lose
    /// the last commits.
    #[default]
    Normal,
    /// After the write-ahead log is flushed to the disk (fsync): an
    /// acknowledged answer survives a power cut. One fsync covers a whole
    /// group commit of answers.
    Full,
}

impl SqliteSynchronous {
    fn pragma(self) -> &'static str {
        match self {
            SqliteSynchronous::Full => "FULL",
            SqliteSynchronous::Normal => "NORMAL",
        }
    }
}

/// The database, behind the queries Vigil needs.
#[derive(Clone, Debug)]
pub struct Store {
    pub(super) kind: DatabaseKind,
    /// The URL without its password, for messages (shared: a store is cloned per request).
    pub(super) shown_url: std::sync::Arc<str>,
    pub(super) read: AnyPool,
    pub(super) write: AnyPool,
    /// Group commit for answers, on the `write` pool.
    pub(super) answers: answer_writer::AnswerWriter,
    /// SQLite only: checkpoints of the write-ahead log, in the background
    /// until the last clone of the store is gone.
    pub(super) checkpointer: Option<std::sync::Arc<checkpointer::Checkpointer>>,
    /// Wakes this process's job workers when it adds a job (other processes
    /// find it when they next look, see `crate::jobs`).
    pub(super) jobs_added: std::sync::Arc<tokio::sync::Notify>,
    /// Seals and opens secrets at rest (see `sealed`); set by `with_secret_key`.
    pub(super) secret_key: Option<std::sync::Arc<crate::sealing::SecretKey>>,
}

impl Store {
    /// Connects (creating a SQLite file and its folder if needed) and checks
    /// that the schema is not newer than this build knows. Does not migrate.
    pub async fn connect(url: &DatabaseUrl) -> StoreResult<Store> {
        Store::connect_with(url, SqliteSynchronous::default()).await
    }

    /// [`Store::connect`], with SQLite's commits counted done as `synchronous` says.
    pub async fn connect_with(url: &DatabaseUrl, synchronous: SqliteSynchronous) -> StoreResult<Store> {
        sqlx::any::install_default_drivers();
        let shown_url = url.to_string();
        let connect_error = |e: sqlx::Error| StoreError::Connect { url: shown_url.clone(), reason: describe(&e) };
        let (read, write, checkpointer) = match url.kind() {
            DatabaseKind::Sqlite => {
                url.prepare_data_dir().map_err(|e| StoreError::Connect { url: shown_url.clone(), reason: e.to_string() })?;
                let raw = url.expose();
                let with_mode = if raw.contains("mode=") { raw.to_string() } else if raw.contains('?') { format!("{raw}&mode=rwc") } else { format!("{raw}?mode=rwc") };
                let options = AnyConnectOptions::from_str(&with_mode).map_err(connect_error)?;
                let write = sqlite_pool(1, synchronous).connect_with(options.clone()).await.map_err(connect_error)?;
                let read = sqlite_pool(4, synchronous).connect_with(options.clone()).await.map_err(connect_error)?;
                let checkpoints = sqlite_pool(1, synchronous).connect_with(options).await.map_err(connect_error)?;
                (read, write, Some(std::sync::Arc::new(checkpointer::Checkpointer::start(checkpoints))))
            }
            DatabaseKind::Postgres => {
                let options = AnyConnectOptions::from_str(url.expose()).map_err(connect_error)?;
                let pool = AnyPoolOptions::new()
                    .max_connections(16)
                    .acquire_timeout(Duration::from_secs(5))
                    .test_before_acquire(false)
                    // The second wall: each connection taken serves the organisation of
                    // the request taking it, or none (see wall.rs); a new one as well as
                    // an idle one.
                    .after_connect(|conn, _meta| Box::pin(async move { super::wall::serve_current(conn).await }))
                    .before_acquire(|conn, _meta| Box::pin(async move { super::wall::serve_current(conn).await.map(|()| true) }))
                    .connect_with(options)
                    .await
                    .map_err(connect_error)?;
                (pool.clone(), pool, None)
            }
        };
        let answers = answer_writer::AnswerWriter::start(write.clone(), url.kind());
        Ok(Store { kind: url.kind(), shown_url: shown_url.into(), read, write, answers, checkpointer, jobs_added: Default::default(), secret_key: None })
    }

    /// Connects and brings the schema up to date.
    pub async fn open(url: &DatabaseUrl) -> StoreResult<Store> {
        Store::open_with(url, SqliteSynchronous::default()).await
    }

    /// [`Store::open`], with SQLite's commits counted done as `synchronous` says.
    pub async fn open_with(url: &DatabaseUrl, synchronous: SqliteSynchronous) -> StoreResult<Store> {
        let store = Store::connect_with(url, synchronous).await?;
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
            .map_err(|e| StoreError::Migrate { url: self.shown_url.to_string(), reason: e.to_string() })?;
        self.allow_security_role().await
    }

    /// Migration 19 on SQLite (see its file): rebuilds `users` so its role
    /// CHECK names the security role, on one connection with foreign keys
    /// off, in one transaction, the references checked before it commits.
    /// Does nothing on PostgreSQL, on a database older than 19, or once done.
    async fn allow_security_role(&self) -> StoreResult<()> {
        if self.kind != DatabaseKind::Sqlite {
            return Ok(());
        }
        let users: Option<String> = sqlx::query_scalar("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'users'").fetch_optional(&self.write).await?;
        if users.is_none_or(|sql| sql.contains("'security'")) {
            return Ok(());
        }
        let mut conn = self.write.acquire().await?;
        sqlx::query("PRAGMA foreign_keys = OFF").execute(&mut *conn).await?;
        let rebuilt = async {
            let mut tx = sqlx::Connection::begin(&mut *conn).await?;
            sqlx::Executor::execute(&mut *tx, include_str!("sql/sqlite_users_security_role.sql")).await?;
            let broken: Vec<sqlx::any::AnyRow> = sqlx::query("PRAGMA foreign_key_check").fetch_all(&mut *tx).await?;
            if !broken.is_empty() {
                return Err(StoreError::Migrate { url: self.shown_url.to_string(), reason: format!("rebuilding users would leave {} broken references", broken.len()) });
            }
            tx.commit().await?;
            Ok(())
        }
        .await;
        sqlx::query("PRAGMA foreign_keys = ON").execute(&mut *conn).await?;
        rebuilt
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

fn sqlite_pool(max: u32, synchronous: SqliteSynchronous) -> AnyPoolOptions {
    AnyPoolOptions::new()
        .max_connections(max)
        .min_connections(1)
        .acquire_timeout(Duration::from_secs(10))
        // An embedded database cannot hang up: no ping round trip to the
        // connection's worker thread before every query.
        .test_before_acquire(false)
        .after_connect(move |conn, _meta| {
            Box::pin(async move {
                // WAL: readers never block the writer. synchronous=NORMAL (the
                // default) survives a killed process, FULL also a power cut
                // (see SqliteSynchronous).
                // Checkpoints run in the background (see `checkpointer`).
                // Temporary data (the statement journal of a multi-row upsert
                // inside a batch's transaction) stays in memory instead of a
                // file created and deleted a few times a second. The page
                // cache stays at SQLite's default 2 MiB: a larger one made
                // every commit after a B-tree page split scan the whole cache
                // (see docs/architecture.md).
                let pragmas = format!(
                    "PRAGMA journal_mode = WAL; PRAGMA synchronous = {}; PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON; PRAGMA wal_autocheckpoint = {}; PRAGMA temp_store = MEMORY;",
                    synchronous.pragma(),
                    checkpointer::WRITER_AUTOCHECKPOINT_PAGES
                );
                conn.execute(pragmas.as_str()).await?;
                Ok(())
            })
        })
}

/// A fresh random identifier for a new row.
pub fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// A fresh identifier that sorts by the time it was made (UUID version 7:
/// milliseconds, then 74 random bits), for rows that carry their time anyway
/// and are written often (score records, audit entries): each new one goes
/// at the end of its primary-key index, so a finish's score records change
/// one page of that index rather than one random page each.
pub(super) fn time_ordered_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

impl Store {
    /// How many rows of `table` a query without any filter sees from here:
    /// every row outside a request, the organisation's own inside one (on
    /// PostgreSQL, for an ordinary role). The wall's own check, for tests
    /// and operators; `table` is a plain table name.
    pub async fn rows_visible(&self, table: &str) -> StoreResult<i64> {
        if table.is_empty() || !table.chars().all(|c| c.is_ascii_lowercase() || c == '_') {
            return Err(StoreError::Conflict(format!("{table:?} is not a table name")));
        }
        Ok(sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}")).fetch_one(&self.read).await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn pragma(pool: &AnyPool, name: &str) -> i64 {
        sqlx::query_scalar(&format!("PRAGMA {name}")).fetch_one(pool).await.expect("pragma")
    }

    /// Every SQLite connection keeps temporary data in memory (temp_store 2
    /// is MEMORY) and by default counts a commit done once it is written,
    /// before the disk has it (synchronous 1 is NORMAL; 2, FULL, when
    /// asked); the writer checkpoints by itself only at the high mark.
    #[tokio::test]
    async fn sqlite_connections_are_tuned_for_the_write_path() {
        let dir = tempfile::tempdir().expect("temporary folder");
        let url: DatabaseUrl = format!("sqlite://{}/vigil.db", dir.path().display()).parse().expect("url");
        for (store, synchronous) in [(Store::connect(&url).await.expect("connect"), 1), (Store::connect_with(&url, SqliteSynchronous::Full).await.expect("connect"), 2)] {
            for pool in [&store.write, &store.read] {
                assert_eq!(pragma(pool, "temp_store").await, 2);
                assert_eq!(pragma(pool, "synchronous").await, synchronous);
            }
            assert_eq!(pragma(&store.write, "wal_autocheckpoint").await, i64::from(checkpointer::WRITER_AUTOCHECKPOINT_PAGES));
            store.close().await;
        }
    }

    /// Ids made one after another sort in the order they were made, within
    /// one millisecond too, and never repeat (random ids would fail this).
    #[test]
    fn time_ordered_ids_sort_in_the_order_they_were_made() {
        let ids: Vec<String> = (0..5000).map(|_| time_ordered_id()).collect();
        assert!(ids.windows(2).all(|pair| pair[0] < pair[1]), "out of order");
    }
}
