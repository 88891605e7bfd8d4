//! Backup and restore at the storage seam: a consistent copy of the whole
//! database while it serves (SQLite: `VACUUM INTO`; PostgreSQL: a
//! repeatable-read snapshot exported to `pg_dump`), and what a database
//! holds, table by table: its rows and an order-independent checksum of
//! their content, to prove a restore complete.

use std::future::Future;

use sha2::{Digest, Sha256};
use sqlx::{any::AnyRow, AnyConnection, Column, Connection, Row};

use super::{Store, StoreError, StoreResult};
use crate::config::DatabaseKind;

/// One table: its rows and a checksum of their content.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TableSum {
    pub table: String,
    pub rows: i64,
    /// Sum (mod 2^64) of the first 8 bytes of each row's SHA-256, in hex:
    /// the same whatever order the rows come in.
    pub checksum: String,
}

/// A row's values as one text (column by column; NULL distinct from "").
fn row_text(row: &AnyRow) -> String {
    let mut out = String::new();
    for (i, column) in row.columns().iter().enumerate() {
        out.push_str(column.name());
        out.push('=');
        let value = if let Ok(v) = row.try_get::<Option<i64>, _>(i) {
            v.map(|v| v.to_string())
        } else if let Ok(v) = row.try_get::<Option<f64>, _>(i) {
            v.map(|v| format!("{v:?}"))
        } else if let Ok(v) = row.try_get::<Option<String>, _>(i) {
            v
        } else if let Ok(v) = row.try_get::<Option<bool>, _>(i) {
            v.map(|v| v.to_string())
        } else {
            row.try_get::<Option<Vec<u8>>, _>(i).ok().flatten().map(hex::encode)
        };
        match value {
            Some(v) => {
                out.push_str(&v.len().to_string());
                out.push(':');
                out.push_str(&v);
            }
            None => out.push('\u{2205}'),
        }
        out.push('\u{1f}');
    }
    out
}

/// The tables of the database, sorted.
async fn tables(conn: &mut AnyConnection, kind: DatabaseKind) -> StoreResult<Vec<String>> {
    let sql = match kind {
        DatabaseKind::Sqlite => "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
        DatabaseKind::Postgres => "SELECT tablename::text FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename",
    };
    Ok(sqlx::query_scalar(sql).fetch_all(&mut *conn).await?)
}

/// Every table's rows and checksum, read on one connection (so, inside a
/// transaction, of one snapshot).
async fn sums_on(conn: &mut AnyConnection, kind: DatabaseKind) -> StoreResult<Vec<TableSum>> {
    let mut out = Vec::new();
    for table in tables(conn, kind).await? {
        if !table.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Err(StoreError::Corrupt(format!("a table named {table:?}")));
        }
        // The migrations' own table has a timestamp the Any driver cannot read: its other columns.
        let columns = if table == "_sqlx_migrations" { "version, description, CASE WHEN success THEN 1 ELSE 0 END AS success, checksum, execution_time" } else { "*" };
        let rows: Vec<AnyRow> = sqlx::query(&format!("SELECT {columns} FROM {table}")).fetch_all(&mut *conn).await?;
        let sum = rows.iter().fold(0u64, |acc, row| {
            let digest = Sha256::digest(row_text(row).as_bytes());
            acc.wrapping_add(u64::from_be_bytes(digest[..8].try_into().unwrap_or([0; 8])))
        });
        out.push(TableSum { table, rows: rows.len() as i64, checksum: format!("{sum:016x}") });
    }
    Ok(out)
}

impl Store {
    /// What the database holds now, table by table.
    pub async fn table_sums(&self) -> StoreResult<Vec<TableSum>> {
        let mut conn = self.read.acquire().await?;
        let mut tx = conn.begin().await?;
        let sums = sums_on(&mut tx, self.kind).await?;
        tx.commit().await?;
        Ok(sums)
    }

    /// Whether the database has no tables yet (a restore's target).
    pub async fn has_no_tables(&self) -> StoreResult<bool> {
        let mut conn = self.read.acquire().await?;
        Ok(tables(&mut conn, self.kind).await?.is_empty())
    }

    /// SQLite: a consistent copy of the database into the new file `path`
    /// while it serves.
    pub async fn sqlite_copy_into(&self, path: &std::path::Path) -> StoreResult<()> {
        let target = path.to_str().ok_or_else(|| StoreError::Corrupt("the backup path is not UTF-8".into()))?;
        sqlx::query("VACUUM INTO $1").bind(target).execute(&self.read).await?;
        Ok(())
    }

    /// PostgreSQL: holds a repeatable-read snapshot, hands its id to `dump`
    /// (which runs `pg_dump --snapshot`) and gives the table sums of the
    /// same snapshot once the dump is done.
    pub async fn with_exported_snapshot<F, Fut>(&self, dump: F) -> StoreResult<Result<Vec<TableSum>, String>>
    where
        F: FnOnce(String) -> Fut,
        Fut: Future<Output = Result<(), String>>,
    {
        let mut conn = self.read.acquire().await?;
        let mut tx = conn.begin().await?;
        sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY").execute(&mut *tx).await?;
        let snapshot: String = sqlx::query_scalar("SELECT pg_export_snapshot()").fetch_one(&mut *tx).await?;
        let dumped = dump(snapshot).await;
        let sums = sums_on(&mut tx, self.kind).await?;
        tx.commit().await?;
        Ok(dumped.map(|()| sums))
    }
}
