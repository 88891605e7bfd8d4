//! Instruments authored in the browser: the ids an organisation authors
//! under, its published versions (immutable: no statement here updates
//! or deletes one), its drafts and every saved revision of them. A save
//! names the revision it was made from, so two people editing one draft
//! get a conflict instead of one losing the other's change.

use super::{orgs::unique_violation, Store, StoreError, StoreResult};

/// A published organisation version, as the catalog loads it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct BankVersionRow {
    pub instrument: String,
    pub version: String,
    pub org_id: String,
    pub source: String,
    pub published_at: i64,
}

/// What the library shows about a published organisation version.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct BankVersionMeta {
    pub instrument: String,
    pub version: String,
    pub content_hash: String,
    pub parent: Option<String>,
    pub published_by: String,
    pub published_at: i64,
    pub note: String,
}

/// A draft with its newest revision's text.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct DraftRow {
    pub id: String,
    pub instrument: String,
    /// The version it was made from, `instrument@version`, if any.
    pub parent: Option<String>,
    pub revision: i64,
    pub status: String,
    pub published_version: Option<String>,
    pub created_by: String,
    pub updated_at: i64,
    pub source: String,
}

/// One saved revision, without its text.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct RevisionRow {
    pub revision: i64,
    pub saved_by: String,
    pub saved_at: i64,
    pub note: String,
}

/// A new draft and its first revision.
#[derive(Debug, Clone, Copy)]
pub struct NewDraft<'a> {
    pub id: &'a str,
    pub org_id: &'a str,
    pub instrument: &'a str,
    pub parent: Option<&'a str>,
    pub source: &'a str,
    pub user_id: &'a str,
    pub note: &'a str,
    pub now: i64,
}

/// A draft to publish: the revision it was read at and the version made of it.
#[derive(Debug, Clone, Copy)]
pub struct Publication<'a> {
    pub org_id: &'a str,
    pub draft_id: &'a str,
    pub revision: i64,
    pub instrument: &'a str,
    pub version: &'a str,
    pub source: &'a str,
    pub content_hash: &'a str,
    pub parent: Option<&'a str>,
    pub user_id: &'a str,
    pub note: &'a str,
    pub now: i64,
}

const DRAFT_COLUMNS: &str = "d.id, d.instrument, d.parent, d.revision, d.status, d.published_version, d.created_by, d.updated_at, r.source";

/// What [`Store::catalog_stamp`] reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CatalogStamp {
    pub versions: i64,
    pub versions_newest: i64,
    pub norm_tables: i64,
    pub norm_tables_newest: i64,
}

impl Store {
    /// The organisation an instrument id belongs to, if any does.
    pub async fn instrument_owner(&self, instrument: &str) -> StoreResult<Option<String>> {
        Ok(sqlx::query_scalar("SELECT org_id FROM instrument_owners WHERE instrument = $1").bind(instrument).fetch_optional(&self.read).await?)
    }

    /// How many organisation versions and norm tables are published, with
    /// the newest publication time of each: it changes whenever any process
    /// publishes one (see `crate::catalog_sync`).
    pub async fn catalog_stamp(&self) -> StoreResult<CatalogStamp> {
        let (versions, versions_newest, norm_tables, norm_tables_newest) = sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM bank_versions), (SELECT COALESCE(MAX(published_at), 0) FROM bank_versions), \
                    (SELECT COUNT(*) FROM norm_tables), (SELECT COALESCE(MAX(created_at), 0) FROM norm_tables)",
        )
        .fetch_one(&self.read)
        .await?;
        Ok(CatalogStamp { versions, versions_newest, norm_tables, norm_tables_newest })
    }

    /// Every organisation's published versions, oldest first: what a
    /// process's catalog loads (see `crate::catalog_sync`).
    pub async fn published_bank_versions(&self) -> StoreResult<Vec<BankVersionRow>> {
        Ok(sqlx::query_as("SELECT instrument, version, org_id, source, published_at FROM bank_versions ORDER BY published_at, instrument, version")
            .fetch_all(&self.read)
            .await?)
    }

    /// The organisation's published versions with who published them.
    pub async fn bank_versions_of(&self, org_id: &str) -> StoreResult<Vec<BankVersionMeta>> {
        Ok(sqlx::query_as(
            "SELECT v.instrument, v.version, v.content_hash, v.parent, COALESCE(u.display_name, 'a former user') AS published_by, v.published_at, v.note \
             FROM bank_versions v LEFT JOIN users u ON u.id = v.published_by WHERE v.org_id = $1 ORDER BY v.instrument, v.published_at",
        )
        .bind(org_id)
        .fetch_all(&self.read)
        .await?)
    }

    /// Completed sessions per bank version in the organisation.
    pub async fn completed_per_version(&self, org_id: &str) -> StoreResult<Vec<(String, String, i64)>> {
        Ok(sqlx::query_as("SELECT instrument, bank_version, COUNT(*) FROM analysis_sheets WHERE org_id = $1 GROUP BY instrument, bank_version")
            .bind(org_id)
            .fetch_all(&self.read)
            .await?)
    }

    /// Creates a draft with its first revision.
    pub async fn create_draft(&self, d: NewDraft<'_>) -> StoreResult<()> {
        let mut tx = self.write.begin().await?;
        sqlx::query("INSERT INTO bank_drafts (id, org_id, instrument, parent, revision, status, created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, 1, 'open', $5, $6, $6)")
            .bind(d.id)
            .bind(d.org_id)
            .bind(d.instrument)
            .bind(d.parent)
            .bind(d.user_id)
            .bind(d.now)
            .execute(&mut *tx)
            .await?;
        sqlx::query("INSERT INTO bank_draft_revisions (draft_id, revision, source, saved_by, saved_at, note) VALUES ($1, 1, $2, $3, $4, $5)")
            .bind(d.id)
            .bind(d.source)
            .bind(d.user_id)
            .bind(d.now)
            .bind(d.note)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The organisation's draft with its newest text; another
    /// organisation's is not found.
    pub async fn draft(&self, org_id: &str, id: &str) -> StoreResult<DraftRow> {
        let sql = format!("SELECT {DRAFT_COLUMNS} FROM bank_drafts d JOIN bank_draft_revisions r ON r.draft_id = d.id AND r.revision = d.revision WHERE d.org_id = $1 AND d.id = $2");
        sqlx::query_as(&sql).bind(org_id).bind(id).fetch_optional(&self.read).await?.ok_or(StoreError::NotFound)
    }

    /// The organisation's open drafts, most recently saved first.
    pub async fn open_drafts(&self, org_id: &str) -> StoreResult<Vec<DraftRow>> {
        let sql = format!("SELECT {DRAFT_COLUMNS} FROM bank_drafts d JOIN bank_draft_revisions r ON r.draft_id = d.id AND r.revision = d.revision WHERE d.org_id = $1 AND d.status = 'open' ORDER BY d.updated_at DESC, d.id");
        Ok(sqlx::query_as(&sql).bind(org_id).fetch_all(&self.read).await?)
    }

    /// Saves a new revision of an open draft made from revision `base`;
    /// gives the new revision's number. A draft saved by someone else since
    /// `base` is a conflict, and nothing is written.
    pub async fn save_draft(&self, org_id: &str, id: &str, base: i64, source: &str, user_id: &str, note: &str, now: i64) -> StoreResult<i64> {
        let mut tx = self.write.begin().await?;
        let moved = sqlx::query("UPDATE bank_drafts SET revision = revision + 1, updated_at = $1 WHERE org_id = $2 AND id = $3 AND revision = $4 AND status = 'open'")
            .bind(now)
            .bind(org_id)
            .bind(id)
            .bind(base)
            .execute(&mut *tx)
            .await?;
        if moved.rows_affected() != 1 {
            drop(tx);
            return Err(self.draft_refusal(org_id, id).await);
        }
        sqlx::query("INSERT INTO bank_draft_revisions (draft_id, revision, source, saved_by, saved_at, note) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(id)
            .bind(base + 1)
            .bind(source)
            .bind(user_id)
            .bind(now)
            .bind(note)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(base + 1)
    }

    /// Why a draft did not move: not there, no longer open, or saved since.
    async fn draft_refusal(&self, org_id: &str, id: &str) -> StoreError {
        match self.draft(org_id, id).await {
            Ok(d) if d.status != "open" => StoreError::Conflict(format!("this draft is {} and can no longer be changed", d.status)),
            Ok(d) => StoreError::Conflict(format!(
                "someone saved this draft after you opened it (it is now at revision {}); your change was not saved. Open the draft again to see theirs, then make yours",
                d.revision
            )),
            Err(e) => e,
        }
    }

    /// The revisions of the organisation's draft, newest first.
    pub async fn draft_revisions(&self, org_id: &str, id: &str) -> StoreResult<Vec<RevisionRow>> {
        Ok(sqlx::query_as(
            "SELECT r.revision, COALESCE(u.display_name, 'a former user') AS saved_by, r.saved_at, r.note FROM bank_draft_revisions r JOIN bank_drafts d ON d.id = r.draft_id \
             LEFT JOIN users u ON u.id = r.saved_by WHERE d.org_id = $1 AND d.id = $2 ORDER BY r.revision DESC",
        )
        .bind(org_id)
        .bind(id)
        .fetch_all(&self.read)
        .await?)
    }

    /// The text of one revision of the organisation's draft.
    pub async fn draft_revision(&self, org_id: &str, id: &str, revision: i64) -> StoreResult<String> {
        sqlx::query_scalar("SELECT r.source FROM bank_draft_revisions r JOIN bank_drafts d ON d.id = r.draft_id WHERE d.org_id = $1 AND d.id = $2 AND r.revision = $3")
            .bind(org_id)
            .bind(id)
            .bind(revision)
            .fetch_optional(&self.read)
            .await?
            .ok_or(StoreError::NotFound)
    }

    /// Publishes a draft read at `revision` as a new version, in one
    /// transaction: the id is claimed for the organisation (refused if
    /// another has it), the version is stored (refused if it exists) and
    /// the draft is closed (refused if saved since).
    pub async fn publish_draft(&self, p: Publication<'_>) -> StoreResult<()> {
        let mut tx = self.write.begin().await?;
        sqlx::query("INSERT INTO instrument_owners (instrument, org_id, created_at) VALUES ($1, $2, $3) ON CONFLICT (instrument) DO NOTHING")
            .bind(p.instrument)
            .bind(p.org_id)
            .bind(p.now)
            .execute(&mut *tx)
            .await?;
        let owner: String = sqlx::query_scalar("SELECT org_id FROM instrument_owners WHERE instrument = $1").bind(p.instrument).fetch_one(&mut *tx).await?;
        if owner != p.org_id {
            return Err(StoreError::Conflict(format!("the instrument id `{}` is taken; choose another", p.instrument)));
        }
        sqlx::query(
            "INSERT INTO bank_versions (instrument, version, org_id, source, content_hash, parent, published_by, published_at, note) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(p.instrument)
        .bind(p.version)
        .bind(p.org_id)
        .bind(p.source)
        .bind(p.content_hash)
        .bind(p.parent)
        .bind(p.user_id)
        .bind(p.now)
        .bind(p.note)
        .execute(&mut *tx)
        .await
        .map_err(|e| unique_violation(e, || format!("{} {} is already published; a published version never changes", p.instrument, p.version)))?;
        let closed = sqlx::query("UPDATE bank_drafts SET status = 'published', published_version = $1, updated_at = $2 WHERE org_id = $3 AND id = $4 AND revision = $5 AND status = 'open'")
            .bind(p.version)
            .bind(p.now)
            .bind(p.org_id)
            .bind(p.draft_id)
            .bind(p.revision)
            .execute(&mut *tx)
            .await?;
        if closed.rows_affected() != 1 {
            drop(tx);
            return Err(self.draft_refusal(p.org_id, p.draft_id).await);
        }
        tx.commit().await?;
        Ok(())
    }

    /// Takes a version off the organisation's campaign form (again is a no-op).
    pub async fn retire_version(&self, org_id: &str, instrument: &str, version: &str, user_id: &str, now: i64) -> StoreResult<()> {
        sqlx::query("INSERT INTO retired_versions (org_id, instrument, version, retired_by, retired_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (org_id, instrument, version) DO NOTHING")
            .bind(org_id)
            .bind(instrument)
            .bind(version)
            .bind(user_id)
            .bind(now)
            .execute(&self.write)
            .await?;
        Ok(())
    }

    /// Offers a retired version again; false when it was not retired.
    pub async fn unretire_version(&self, org_id: &str, instrument: &str, version: &str) -> StoreResult<bool> {
        let done = sqlx::query("DELETE FROM retired_versions WHERE org_id = $1 AND instrument = $2 AND version = $3").bind(org_id).bind(instrument).bind(version).execute(&self.write).await?;
        Ok(done.rows_affected() == 1)
    }

    /// The organisation's retired versions: `(instrument, version, who, when)`.
    pub async fn retired_versions_of(&self, org_id: &str) -> StoreResult<Vec<(String, String, String, i64)>> {
        Ok(sqlx::query_as(
            "SELECT r.instrument, r.version, COALESCE(u.display_name, 'a former user'), r.retired_at FROM retired_versions r LEFT JOIN users u ON u.id = r.retired_by WHERE r.org_id = $1 ORDER BY r.instrument, r.version",
        )
        .bind(org_id)
        .fetch_all(&self.read)
        .await?)
    }

    /// Closes an open draft without publishing it (its revisions stay).
    pub async fn discard_draft(&self, org_id: &str, id: &str, now: i64) -> StoreResult<()> {
        let done = sqlx::query("UPDATE bank_drafts SET status = 'discarded', updated_at = $1 WHERE org_id = $2 AND id = $3 AND status = 'open'")
            .bind(now)
            .bind(org_id)
            .bind(id)
            .execute(&self.write)
            .await?;
        if done.rows_affected() != 1 {
            return Err(self.draft_refusal(org_id, id).await);
        }
        Ok(())
    }
}
