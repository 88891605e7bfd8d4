//! Statements sent together.
//!
//! On SQLite every statement is a round trip to the connection's worker
//! thread, and on a small machine the wake-ups of those hand-offs, not
//! SQLite, are most of a short transaction's time. A [`Batch`] sends its
//! statements to SQLite as one multi-statement query, so the worker runs them
//! all in one turn; PostgreSQL takes one statement per prepared query, so
//! there they run one after the other. Either way they run in order on one
//! connection, and each reports what it changed and returned.
//!
//! Each statement numbers its own parameters from `$1`; for SQLite they are
//! renumbered into one list (statements must not hold a `$` other than in
//! parameters). A batch belongs inside a transaction: when a statement
//! fails, the statements after it do not run and the error is returned, and
//! the caller rolls back.
//!
//! sqlx 0.8 runs a multi-statement SQLite query with parameters and marks
//! that behaviour for removal in a later major version; the tests of this
//! module run a batch on SQLite and fail should an upgrade take it away.

use futures_util::TryStreamExt;
use sqlx::{
    any::{AnyArguments, AnyRow},
    pool::PoolConnection,
    Any, AnyConnection, AnyPool, Arguments, Either, Executor,
};

use super::{StoreError, StoreResult};
use crate::config::DatabaseKind;

/// A parameter value of a statement, owned (a statement may be sent later, with others).
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Value {
    Text(Option<String>),
    Int(Option<i64>),
}

impl From<&str> for Value {
    fn from(v: &str) -> Self {
        Value::Text(Some(v.to_string()))
    }
}

impl From<&String> for Value {
    fn from(v: &String) -> Self {
        Value::Text(Some(v.clone()))
    }
}

impl From<String> for Value {
    fn from(v: String) -> Self {
        Value::Text(Some(v))
    }
}

impl From<Option<&str>> for Value {
    fn from(v: Option<&str>) -> Self {
        Value::Text(v.map(str::to_string))
    }
}

impl From<i64> for Value {
    fn from(v: i64) -> Self {
        Value::Int(Some(v))
    }
}

impl From<Option<i64>> for Value {
    fn from(v: Option<i64>) -> Self {
        Value::Int(v)
    }
}

/// The parameters of a statement, each converted with `Value::from`.
macro_rules! params {
    ($($value:expr),* $(,)?) => { vec![$($crate::store::batch::Value::from($value)),*] };
}
pub(super) use params;

/// One statement with its parameters, numbered from `$1`.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Statement {
    pub sql: String,
    pub params: Vec<Value>,
}

impl Statement {
    pub fn new(sql: impl Into<String>, params: Vec<Value>) -> Statement {
        Statement { sql: sql.into(), params }
    }

    /// Runs this statement alone; the rows it returned.
    pub async fn rows(self, conn: &mut AnyConnection) -> StoreResult<Vec<AnyRow>> {
        Ok(conn.fetch_all(sqlx::query_with(&self.sql, arguments(self.params)?)).await?)
    }

    /// Runs this statement alone; the rows it changed.
    pub async fn execute(self, conn: &mut AnyConnection) -> StoreResult<u64> {
        Ok(conn.execute(sqlx::query_with(&self.sql, arguments(self.params)?)).await?.rows_affected())
    }
}

/// What one statement of a batch did.
#[derive(Default)]
pub(super) struct Ran {
    /// Rows it inserted, changed or deleted.
    pub changed: u64,
    /// Rows it returned.
    pub rows: Vec<AnyRow>,
}

/// Statements run in order on one connection (see the module's header).
pub(super) struct Batch {
    kind: DatabaseKind,
    statements: Vec<Statement>,
}

impl Batch {
    pub fn new(kind: DatabaseKind) -> Batch {
        Batch { kind, statements: Vec::new() }
    }

    pub fn push(&mut self, statement: Statement) {
        self.statements.push(statement);
    }

    /// Adds the statements, if any (a builder's `None`: nothing to do).
    pub fn extend(&mut self, statements: impl IntoIterator<Item = Statement>) {
        self.statements.extend(statements);
    }

    /// Runs every statement, in order; what each did, in the same order.
    pub async fn run(self, conn: &mut AnyConnection) -> StoreResult<Vec<Ran>> {
        let expected = self.statements.len();
        let ran = match self.kind {
            DatabaseKind::Sqlite => {
                let (sql, params) = joined(self.statements);
                outcomes(conn, &sql, params).await?
            }
            DatabaseKind::Postgres => {
                let mut ran = Vec::with_capacity(expected);
                for statement in self.statements {
                    ran.extend(outcomes(conn, &statement.sql, statement.params).await?);
                }
                ran
            }
        };
        if ran.len() != expected {
            return Err(StoreError::Corrupt(format!("a batch of {expected} statements reported {} results", ran.len())));
        }
        Ok(ran)
    }
}

/// The `VALUES` rows of a multi-row statement: `rows` rows of `columns`
/// parameters, numbered in turn: `($1, $2), ($3, $4)`.
pub(super) fn value_rows(rows: usize, columns: usize) -> String {
    (0..rows)
        .map(|r| format!("({})", (1..=columns).map(|c| format!("${}", r * columns + c)).collect::<Vec<_>>().join(", ")))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A transaction that its first batch begins: the `BEGIN` goes with the
/// batch's statements (on SQLite, no round trip of its own, and none of the
/// hand-shake sqlx's own `begin` makes). It owns its connection until it
/// commits or rolls back; dropped before that (a failed or cancelled
/// request), the connection is closed rather than given back to the pool,
/// and closing it undoes the transaction.
pub(super) struct WriteTransaction {
    conn: PoolConnection<Any>,
    open: bool,
}

impl WriteTransaction {
    /// Takes a connection of `pool`, begins a transaction and runs `batch`
    /// in it: the transaction, and what the batch did or why it failed (the
    /// caller then rolls back).
    pub async fn begin_with(pool: &AnyPool, batch: Batch) -> StoreResult<(WriteTransaction, StoreResult<Vec<Ran>>)> {
        let mut tx = WriteTransaction { conn: pool.acquire().await?, open: true };
        let mut statements = Vec::with_capacity(batch.statements.len() + 1);
        statements.push(Statement::new("BEGIN", Vec::new()));
        statements.extend(batch.statements);
        let ran = Batch { kind: batch.kind, statements }.run(&mut tx.conn).await.map(|mut ran| {
            ran.remove(0);
            ran
        });
        Ok((tx, ran))
    }

    /// The connection, for statements that depend on the batch's results.
    pub fn connection(&mut self) -> &mut AnyConnection {
        &mut self.conn
    }

    pub async fn commit(mut self) -> StoreResult<()> {
        self.conn.execute("COMMIT").await?;
        self.open = false;
        Ok(())
    }

    /// Undoes the transaction. Should the `BEGIN` itself have failed there
    /// is nothing to undo, and the connection is closed all the same.
    pub async fn rollback(mut self) -> StoreResult<()> {
        self.conn.execute("ROLLBACK").await?;
        self.open = false;
        Ok(())
    }
}

impl Drop for WriteTransaction {
    fn drop(&mut self) {
        if self.open {
            self.conn.close_on_drop();
        }
    }
}

/// Runs a query of one or more statements; one [`Ran`] per statement.
async fn outcomes(conn: &mut AnyConnection, sql: &str, params: Vec<Value>) -> StoreResult<Vec<Ran>> {
    let mut stream = conn.fetch_many(sqlx::query_with(sql, arguments(params)?));
    let mut ran = Vec::new();
    let mut current = Ran::default();
    while let Some(step) = stream.try_next().await? {
        match step {
            Either::Right(row) => current.rows.push(row),
            // The end of one statement.
            Either::Left(result) => {
                current.changed = result.rows_affected();
                ran.push(std::mem::take(&mut current));
            }
        }
    }
    Ok(ran)
}

/// The statements as one SQLite query: joined by `;`, each one's parameters
/// renumbered after those of the statements before it.
fn joined(statements: Vec<Statement>) -> (String, Vec<Value>) {
    let mut sql = String::new();
    let mut params = Vec::new();
    for statement in statements {
        if !sql.is_empty() {
            sql.push_str(";\n");
        }
        sql.push_str(&renumbered(&statement.sql, params.len()));
        params.extend(statement.params);
    }
    (sql, params)
}

/// `sql` with every parameter `$n` written as `$(n + offset)`.
fn renumbered(sql: &str, offset: usize) -> String {
    if offset == 0 {
        return sql.to_string();
    }
    let mut out = String::with_capacity(sql.len() + 16);
    let mut rest = sql;
    while let Some(at) = rest.find('$') {
        out.push_str(&rest[..=at]);
        rest = &rest[at + 1..];
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        match rest[..digits].parse::<usize>() {
            Ok(n) => out.push_str(&(n + offset).to_string()),
            Err(_) => out.push_str(&rest[..digits]),
        }
        rest = &rest[digits..];
    }
    out.push_str(rest);
    out
}

fn arguments(params: Vec<Value>) -> StoreResult<AnyArguments<'static>> {
    let mut args = AnyArguments::default();
    for param in params {
        let added = match param {
            Value::Text(v) => args.add(v),
            Value::Int(v) => args.add(v),
        };
        added.map_err(|e| StoreError::Corrupt(format!("a parameter could not be bound: {e}")))?;
    }
    Ok(args)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_are_renumbered_after_the_statements_before() {
        assert_eq!(renumbered("INSERT INTO t VALUES ($1, $2, $10)", 0), "INSERT INTO t VALUES ($1, $2, $10)");
        assert_eq!(renumbered("INSERT INTO t VALUES ($1, $2, $10)", 3), "INSERT INTO t VALUES ($4, $5, $13)");
        assert_eq!(renumbered("SELECT a FROM t WHERE b = $1 AND c = $1", 99), "SELECT a FROM t WHERE b = $100 AND c = $100");
        let (sql, params) = joined(vec![Statement::new("UPDATE t SET a = $1 WHERE b = $2", params![1, "x"]), Statement::new("INSERT INTO u VALUES ($1)", params![Some("y")])]);
        assert_eq!(sql, "UPDATE t SET a = $1 WHERE b = $2;\nINSERT INTO u VALUES ($3)");
        assert_eq!(params, vec![Value::Int(Some(1)), Value::Text(Some("x".into())), Value::Text(Some("y".into()))]);
        assert_eq!(value_rows(2, 3), "($1, $2, $3), ($4, $5, $6)");
    }

    /// The databases a batch is tried on: SQLite in memory, and the test
    /// PostgreSQL cluster when there is one (`make test` requires it).
    async fn connections() -> Vec<(DatabaseKind, AnyConnection)> {
        use sqlx::Connection;
        sqlx::any::install_default_drivers();
        let mut found = vec![(DatabaseKind::Sqlite, AnyConnection::connect("sqlite::memory:").await.expect("SQLite in memory"))];
        match std::env::var("VIGIL_TEST_POSTGRES_URL") {
            Ok(url) if !url.is_empty() => found.push((DatabaseKind::Postgres, AnyConnection::connect(&url).await.expect("the test PostgreSQL"))),
            _ => assert!(std::env::var("VIGIL_REQUIRE_POSTGRES").is_err(), "VIGIL_REQUIRE_POSTGRES is set but VIGIL_TEST_POSTGRES_URL is not"),
        }
        found
    }

    #[tokio::test]
    async fn a_batch_runs_its_statements_in_order_and_reports_each() {
        use sqlx::{Connection, Row};
        for (kind, mut conn) in connections().await {
            conn.execute("CREATE TEMPORARY TABLE batch_test (id BIGINT PRIMARY KEY, name TEXT, note TEXT)").await.expect("table");
            let mut tx = conn.begin().await.expect("begin");
            let mut batch = Batch::new(kind);
            batch.push(Statement::new("INSERT INTO batch_test (id, name, note) VALUES ($1, $2, $3), ($4, $5, $3)", params![1, "one", None::<&str>, 2, "two"]));
            batch.push(Statement::new("UPDATE batch_test SET note = $1 WHERE id = $2", params!["changed", 2]));
            batch.push(Statement::new("UPDATE batch_test SET note = $1 WHERE id = $2", params!["nobody", 3]));
            batch.push(Statement::new("SELECT name, note FROM batch_test ORDER BY id", params![]));
            let ran = batch.run(&mut tx).await.expect("the batch runs");
            let changed: Vec<u64> = ran.iter().map(|r| r.changed).collect();
            assert_eq!(changed[..3], [2, 1, 0], "{kind:?}");
            let rows: Vec<(String, Option<String>)> = ran[3].rows.iter().map(|r| (r.get(0), r.get(1))).collect();
            assert_eq!(rows, vec![("one".to_string(), None), ("two".to_string(), Some("changed".to_string()))], "{kind:?}");
            tx.commit().await.expect("commit");

            // A failing statement stops the batch: the statement after it does
            // not run, and rolling back leaves the table as it was.
            let mut tx = conn.begin().await.expect("begin");
            let mut batch = Batch::new(kind);
            batch.push(Statement::new("UPDATE batch_test SET note = $1", params!["all"]));
            batch.push(Statement::new("INSERT INTO batch_test (id, name) VALUES ($1, $2)", params![1, "again"]));
            batch.push(Statement::new("INSERT INTO batch_test (id, name) VALUES ($1, $2)", params![9, "after"]));
            assert!(batch.run(&mut tx).await.is_err(), "{kind:?}: a duplicate key fails the batch");
            tx.rollback().await.expect("rollback");
            let rows: Vec<(i64, Option<String>)> = sqlx::query_as("SELECT id, note FROM batch_test ORDER BY id").fetch_all(&mut conn).await.expect("read");
            assert_eq!(rows, vec![(1, None), (2, Some("changed".to_string()))], "{kind:?}");
        }
    }

    /// A transaction begun by its batch keeps its writes when committed;
    /// dropped unfinished, it keeps none and the pool's next connection is
    /// not inside it (the dropped one was closed, not given back).
    #[tokio::test]
    async fn a_transaction_begun_by_its_batch_commits_or_leaves_nothing() {
        use sqlx::any::AnyPoolOptions;
        sqlx::any::install_default_drivers();
        let dir = tempfile::tempdir().expect("temporary folder");
        let mut urls = vec![(DatabaseKind::Sqlite, format!("sqlite://{}/batch.db?mode=rwc", dir.path().display()))];
        if let Ok(url) = std::env::var("VIGIL_TEST_POSTGRES_URL") {
            if !url.is_empty() {
                urls.push((DatabaseKind::Postgres, url));
            }
        }
        let table = format!("batch_tx_{}", uuid::Uuid::new_v4().simple());
        for (kind, url) in urls {
            let pool = AnyPoolOptions::new().max_connections(1).connect(&url).await.expect("a pool of one connection");
            pool.execute(format!("CREATE TABLE {table} (id BIGINT PRIMARY KEY)").as_str()).await.expect("table");
            let insert = |id: i64| {
                let mut batch = Batch::new(kind);
                batch.push(Statement::new(format!("INSERT INTO {table} (id) VALUES ($1)"), params![id]));
                batch
            };
            let (tx, ran) = WriteTransaction::begin_with(&pool, insert(1)).await.expect("a connection");
            assert_eq!(ran.expect("the batch runs").iter().map(|r| r.changed).collect::<Vec<_>>(), vec![1], "{kind:?}");
            tx.commit().await.expect("commit");
            let (tx, ran) = WriteTransaction::begin_with(&pool, insert(2)).await.expect("a connection");
            assert!(ran.is_ok(), "{kind:?}");
            drop(tx);
            // The next connection is a fresh one: sqlx can begin a transaction on it, and row 2 is gone.
            let mut conn = pool.acquire().await.expect("a connection");
            let mut check = sqlx::Connection::begin(&mut *conn).await.expect("not inside the dropped transaction");
            let ids: Vec<i64> = sqlx::query_scalar(&format!("SELECT id FROM {table} ORDER BY id")).fetch_all(&mut *check).await.expect("read");
            assert_eq!(ids, vec![1], "{kind:?}");
            check.rollback().await.expect("rollback");
            conn.execute(format!("DROP TABLE {table}").as_str()).await.expect("drop");
        }
    }
}

