//! `vigil backup` and `vigil restore`: a consistent copy of the whole
//! database taken while Vigil serves, with a manifest (schema version, the
//! file's SHA-256, every table's rows and content checksum); a restore
//! into an empty database that checks the file against the manifest first
//! and the restored database against it after. SQLite copies its file
//! (`VACUUM INTO`); PostgreSQL uses `pg_dump`/`pg_restore` (on PATH or in
//! /usr/lib/postgresql/<n>/bin) on one exported snapshot.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::{
    config::{DatabaseKind, DatabaseUrl},
    store::{Store, TableSum},
    Error,
};

/// What a backup holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub format: String,
    pub database: String,
    pub schema_version: i64,
    pub created_at: i64,
    /// SHA-256 of the backup file, hex.
    pub file_sha256: String,
    pub tables: Vec<TableSum>,
}

const FORMAT: &str = "vigil.backup/1";

/// The manifest's path beside the backup file.
pub fn manifest_path(file: &Path) -> PathBuf {
    let mut name = file.as_os_str().to_owned();
    name.push(".manifest.json");
    PathBuf::from(name)
}

fn io(path: &Path, e: std::io::Error) -> Error {
    Error::Io { path: path.display().to_string(), reason: e.to_string() }
}

fn usage(message: impl Into<String>) -> Error {
    Error::Usage(message.into())
}

fn sha256_of(path: &Path) -> Result<String, Error> {
    let mut file = std::fs::File::open(path).map_err(|e| io(path, e))?;
    let mut hasher = Sha256::new();
    std::io::copy(&mut file, &mut hasher).map_err(|e| io(path, e))?;
    Ok(hex::encode(hasher.finalize()))
}

fn kind_name(kind: DatabaseKind) -> &'static str {
    match kind {
        DatabaseKind::Sqlite => "sqlite",
        DatabaseKind::Postgres => "postgres",
    }
}

/// A PostgreSQL client program: on PATH, else the newest installed one.
fn pg_program(name: &str) -> Result<PathBuf, Error> {
    let on_path = std::env::var_os("PATH").into_iter().flat_map(|p| std::env::split_paths(&p).collect::<Vec<_>>()).map(|d| d.join(name)).find(|p| p.is_file());
    if let Some(p) = on_path {
        return Ok(p);
    }
    let mut installed: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql").into_iter().flatten().filter_map(|e| e.ok()).map(|e| e.path().join("bin").join(name)).filter(|p| p.is_file()).collect();
    installed.sort();
    installed.pop().ok_or_else(|| usage(format!("{name} was not found on PATH or in /usr/lib/postgresql/*/bin: install the PostgreSQL client programs")))
}

/// Runs a PostgreSQL client program; its error output on failure.
async fn run(program: &Path, args: &[&str]) -> Result<(), String> {
    let (command, owned): (PathBuf, Vec<String>) = (program.to_path_buf(), args.iter().map(|a| a.to_string()).collect());
    let out = tokio::task::spawn_blocking(move || std::process::Command::new(&command).args(&owned).output())
        .await
        .map_err(|e| e.to_string())?
        .map_err(|e| format!("{}: {e}", program.display()))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!("{} failed: {}", program.display(), String::from_utf8_lossy(&out.stderr).trim()))
    }
}

/// Backs the database up into `out` (a new file) and writes the manifest
/// beside it (`<out>.manifest.json`); safe while Vigil serves.
pub async fn backup(url: &DatabaseUrl, out: &Path) -> Result<Manifest, Error> {
    if out.exists() {
        return Err(usage(format!("{} exists already; choose a new file", out.display())));
    }
    let store = Store::connect(url).await?;
    let schema_version = store.schema_version().await?;
    let partial = out.with_extension("partial");
    let _ = std::fs::remove_file(&partial);
    let tables = match url.kind() {
        DatabaseKind::Sqlite => {
            store.sqlite_copy_into(&partial).await?;
            let copy = Store::connect(&format!("sqlite://{}", partial.display()).parse().map_err(|e| usage(format!("{e}")))?).await?;
            let sums = copy.table_sums().await?;
            copy.close().await;
            sums
        }
        DatabaseKind::Postgres => {
            let pg_dump = pg_program("pg_dump")?;
            let target = partial.display().to_string();
            let dump = |snapshot: String| async move { run(&pg_dump, &["--format=custom", "--no-owner", "--enable-row-security", &format!("--snapshot={snapshot}"), "--file", &target, "--dbname", url.expose()]).await };
            store.with_exported_snapshot(dump).await?.map_err(usage)?
        }
    };
    store.close().await;
    std::fs::rename(&partial, out).map_err(|e| io(out, e))?;
    let manifest = Manifest { format: FORMAT.into(), database: kind_name(url.kind()).into(), schema_version, created_at: crate::time::now_ms(), file_sha256: sha256_of(out)?, tables };
    let text = serde_json::to_string_pretty(&manifest).map_err(|e| usage(e.to_string()))?;
    assessments::commands::write_atomic(&manifest_path(out), text.as_bytes()).map_err(|e| usage(e.to_string()))?;
    Ok(manifest)
}

/// Restores `file` into the empty database at `url`: the file must match
/// its manifest, and the restored database must hold what the manifest says.
pub async fn restore(url: &DatabaseUrl, file: &Path) -> Result<Manifest, Error> {
    let manifest_file = manifest_path(file);
    let text = std::fs::read_to_string(&manifest_file).map_err(|e| io(&manifest_file, e))?;
    let manifest: Manifest = serde_json::from_str(&text).map_err(|e| usage(format!("{}: not a Vigil backup manifest ({e})", manifest_file.display())))?;
    if manifest.format != FORMAT {
        return Err(usage(format!("{}: format {:?}, this vigil reads {FORMAT}", manifest_file.display(), manifest.format)));
    }
    if manifest.database != kind_name(url.kind()) {
        return Err(usage(format!("this is a {} backup; restore it into a {} database", manifest.database, manifest.database)));
    }
    if sha256_of(file)? != manifest.file_sha256 {
        return Err(usage(format!("{} does not match its manifest (SHA-256 differs): it is damaged or not this backup; nothing was restored", file.display())));
    }
    let target = Store::connect(url).await?;
    let empty = target.has_no_tables().await?;
    target.close().await;
    if !empty {
        return Err(usage("the target database is not empty; restore into a new, empty database"));
    }
    match url.kind() {
        DatabaseKind::Sqlite => {
            let path = url.sqlite_path().ok_or_else(|| usage("restore into a SQLite file, not an in-memory database"))?;
            for suffix in ["-wal", "-shm"] {
                let mut side = path.as_os_str().to_owned();
                side.push(suffix);
                let _ = std::fs::remove_file(PathBuf::from(side));
            }
            let partial = path.with_extension("restoring");
            std::fs::copy(file, &partial).map_err(|e| io(&partial, e))?;
            std::fs::rename(&partial, &path).map_err(|e| io(&path, e))?;
        }
        DatabaseKind::Postgres => {
            let pg_restore = pg_program("pg_restore")?;
            let source = file.display().to_string();
            run(&pg_restore, &["--no-owner", "--no-privileges", "--exit-on-error", "--dbname", url.expose(), &source]).await.map_err(usage)?;
        }
    }
    let restored = Store::connect(url).await?;
    let sums = restored.table_sums().await?;
    restored.close().await;
    if sums != manifest.tables {
        let differing: Vec<String> = manifest.tables.iter().filter(|t| !sums.contains(t)).map(|t| t.table.clone()).collect();
        return Err(usage(format!("the restored database differs from the manifest in: {}", differing.join(", "))));
    }
    Ok(manifest)
}
