//! The storage layer's one error type, in words an operator can act on.

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
    #[error("VIGIL_SECRET_KEY is not the key this database's secrets are sealed with (the database's key is {database}, this process's key is {given}). Start every process of one database with the same key; to change the key, run `vigil secret-key rotate`")]
    SecretKeyMismatch { database: String, given: String },
    #[error("this process has no secret key, and the database keeps sealed secrets: set VIGIL_SECRET_KEY or VIGIL_SECRET_KEY_FILE")]
    NoSecretKey,
    #[error("a sealed secret in the database: {0}")]
    Sealed(#[from] crate::sealing::SealError),
    #[error("database error: {0}")]
    Query(#[from] sqlx::Error),
}

pub type StoreResult<T> = Result<T, StoreError>;

/// A driver error in words an operator can act on.
pub(super) fn describe(e: &sqlx::Error) -> String {
    match e {
        sqlx::Error::Io(io) => io.to_string(),
        sqlx::Error::PoolTimedOut => "no answer within 5 seconds".to_string(),
        sqlx::Error::Database(db) => db.message().to_string(),
        other => other.to_string(),
    }
}
