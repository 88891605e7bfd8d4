//! Secrets sealed at rest (see `crate::sealing`): the store seals a
//! second-factor or webhook secret as it writes it and opens it as it reads
//! it, so no caller handles a sealed value and none can forget to seal.
//!
//! The database remembers the id of the key that sealed its secrets
//! (`secret_key_check`). A process started with another key is refused
//! before it serves; `vigil secret-key rotate` re-seals every secret with a
//! new key in one transaction.

use std::sync::Arc;

use sqlx::AnyConnection;

use super::{Store, StoreError, StoreResult};
use crate::sealing::{is_sealed, totp_purpose, webhook_purpose, SecretKey, PREFIX};

/// Every sealed column: (table, id column, column, the purpose of a row's value).
const SEALED_COLUMNS: [(&str, &str, &str, fn(&str) -> String); 3] = [
    ("users", "id", "totp_secret", totp_purpose),
    ("webhook_endpoints", "id", "secret", webhook_purpose),
    ("webhook_endpoints", "id", "previous_secret", webhook_purpose),
];

/// What adopting a key or rotating to a new one changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Resealed {
    /// Secrets kept as they were (from before Vigil sealed secrets), now sealed.
    pub sealed_from_plain: usize,
    /// Secrets sealed with the old key, now sealed with the new one.
    pub resealed: usize,
}

impl Store {
    /// This store with `key` as its secret key. The first key a database
    /// sees becomes its key (and seals any secret still kept as it is);
    /// after that, only the same key is accepted.
    pub async fn with_secret_key(mut self, key: SecretKey) -> StoreResult<(Store, Resealed)> {
        let mut tx = self.write.begin().await?;
        sqlx::query("INSERT INTO secret_key_check (id, key_id, since) VALUES (1, $1, $2) ON CONFLICT (id) DO NOTHING")
            .bind(key.id())
            .bind(crate::time::now_ms())
            .execute(&mut *tx)
            .await?;
        let known: String = sqlx::query_scalar("SELECT key_id FROM secret_key_check WHERE id = 1").fetch_one(&mut *tx).await?;
        if known != key.id() {
            return Err(StoreError::SecretKeyMismatch { database: known, given: key.id().to_string() });
        }
        let mut changed = Resealed::default();
        // Only the values an earlier Vigil kept as they were: at every later
        // start this reads nothing.
        for (table, id_column, column, purpose) in SEALED_COLUMNS {
            for (id, value) in column_values(&mut tx, table, id_column, column, Which::UnsealedOnly).await? {
                reseal(&mut tx, (table, id_column, column), &id, &value, &key.seal(&purpose(&id), &value)).await?;
                changed.sealed_from_plain += 1;
            }
        }
        tx.commit().await?;
        self.secret_key = Some(Arc::new(key));
        Ok((self, changed))
    }

    /// Seals every secret again with `new` (opened with `old`, which must be
    /// the database's key) and makes `new` the database's key, in one
    /// transaction: either everything moves to the new key or nothing does.
    pub async fn rotate_secret_key(&self, old: &SecretKey, new: &SecretKey) -> StoreResult<Resealed> {
        let mut tx = self.write.begin().await?;
        let known: Option<String> = sqlx::query_scalar("SELECT key_id FROM secret_key_check WHERE id = 1").fetch_optional(&mut *tx).await?;
        if let Some(known) = known.filter(|k| k != old.id()) {
            return Err(StoreError::SecretKeyMismatch { database: known, given: old.id().to_string() });
        }
        let mut changed = Resealed::default();
        for (table, id_column, column, purpose) in SEALED_COLUMNS {
            for (id, value) in column_values(&mut tx, table, id_column, column, Which::All).await? {
                let purpose = purpose(&id);
                let plain = if is_sealed(&value) {
                    changed.resealed += 1;
                    old.open(&purpose, &value)?
                } else {
                    changed.sealed_from_plain += 1;
                    value.clone()
                };
                reseal(&mut tx, (table, id_column, column), &id, &value, &new.seal(&purpose, &plain)).await?;
            }
        }
        sqlx::query("DELETE FROM secret_key_check").execute(&mut *tx).await?;
        sqlx::query("INSERT INTO secret_key_check (id, key_id, since) VALUES (1, $1, $2)").bind(new.id()).bind(crate::time::now_ms()).execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(changed)
    }

    /// The id of the key this database's secrets are sealed with (`None`
    /// before a process with a key first opened it).
    pub async fn secret_key_id(&self) -> StoreResult<Option<String>> {
        Ok(sqlx::query_scalar("SELECT key_id FROM secret_key_check WHERE id = 1").fetch_optional(&self.read).await?)
    }

    fn secret_key(&self) -> StoreResult<&SecretKey> {
        self.secret_key.as_deref().ok_or(StoreError::NoSecretKey)
    }

    /// `plain` sealed for `purpose` with this store's key.
    pub(super) fn seal_secret(&self, purpose: &str, plain: &str) -> StoreResult<String> {
        Ok(self.secret_key()?.seal(purpose, plain))
    }

    /// A stored value opened for `purpose` with this store's key.
    pub(super) fn open_secret(&self, purpose: &str, stored: &str) -> StoreResult<String> {
        Ok(self.secret_key()?.open(purpose, stored)?)
    }
}

/// Which values of a sealed column [`column_values`] reads.
enum Which {
    All,
    /// Those not sealed yet (written before this database had a key).
    UnsealedOnly,
}

/// Every (row id, value) of a sealed column that holds a value.
async fn column_values(conn: &mut AnyConnection, table: &str, id_column: &str, column: &str, which: Which) -> StoreResult<Vec<(String, String)>> {
    let only_unsealed = match which {
        Which::All => String::new(),
        Which::UnsealedOnly => format!(" AND {column} NOT LIKE '{PREFIX}%'"),
    };
    Ok(sqlx::query_as(&format!("SELECT {id_column}, {column} FROM {table} WHERE {column} IS NOT NULL{only_unsealed} ORDER BY {id_column}")).fetch_all(conn).await?)
}

/// Replaces one value, only if it is still `was` (a concurrent writer wins).
async fn reseal(conn: &mut AnyConnection, (table, id_column, column): (&str, &str, &str), id: &str, was: &str, now: &str) -> StoreResult<()> {
    sqlx::query(&format!("UPDATE {table} SET {column} = $1 WHERE {id_column} = $2 AND {column} = $3")).bind(now).bind(id).bind(was).execute(conn).await?;
    Ok(())
}
