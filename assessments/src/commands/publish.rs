//! `vigil bank publish`: a draft made published, with its content hash recorded.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::bank::{bank_content_hash, Bank};
use super::io::{CommandError, Limits, edit_err, read_limited, write_atomic};

/// Result of `vigil bank publish`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublishSummary {
    pub bank_id: String,
    pub bank_version: String,
    pub path: String,
    /// The recorded content hash.
    pub content_hash: String,
    /// True when the file was already published with this hash (nothing written).
    pub already_published: bool,
}

/// Sets `key = value` in a table, right after `after` when the key is new.
pub(super) fn insert_after(table: &mut toml_edit::Table, after: &str, key: &str, value: toml_edit::Item) {
    if table.contains_key(key) || !table.contains_key(after) {
        table.insert(key, value);
        return;
    }
    let keys: Vec<String> = table.iter().map(|(k, _)| k.to_string()).collect();
    let tail: Vec<String> = keys.iter().skip_while(|k| *k != after).skip(1).cloned().collect();
    let moved: Vec<(toml_edit::Key, toml_edit::Item)> =
        tail.iter().filter_map(|k| table.remove_entry(k)).collect();
    table.insert(key, value);
    for (k, v) in moved {
        table.insert_formatted(&k, v);
    }
}

/// Why a draft's text could not be made published.
#[derive(Debug, thiserror::Error)]
pub enum PublishTextError {
    #[error(transparent)]
    Bank(#[from] crate::bank::BankError),
    #[error("{0}")]
    Edit(String),
}

/// A valid draft's text made published: `status = "published"` and its
/// content hash recorded after the status; everything else as written.
/// Gives the text and the hash. Used by `vigil bank publish` and by the
/// editor in the browser.
pub fn published_text(src: &str, name: &str) -> Result<(String, String), PublishTextError> {
    let computed = bank_content_hash(src, name)?;
    let bank = Bank::parse(src, name)?;
    let mut doc: toml_edit::DocumentMut = src.parse().map_err(|e: toml_edit::TomlError| PublishTextError::Edit(e.to_string()))?;
    let table = doc
        .get_mut("instrument")
        .and_then(toml_edit::Item::as_table_mut)
        .ok_or_else(|| PublishTextError::Edit("no [instrument] table".into()))?;
    table.insert("status", toml_edit::value("published"));
    insert_after(table, "status", "content_hash", toml_edit::value(computed.as_str()));
    let text = doc.to_string();
    let written = Bank::parse(&text, name)?;
    if written.content_hash() != computed || bank.content_hash() != computed {
        return Err(PublishTextError::Edit("publishing would change the bank's content".into()));
    }
    Ok((text, computed))
}

/// `vigil bank publish BANK`: validates a draft bank and rewrites it with
/// `status = "published"` and its computed `content_hash`. From then on the
/// file is immutable. A bank already published with the matching hash is
/// left as it is; one whose content no longer matches its recorded hash is
/// refused (publish a new version instead).
pub fn publish_bank(path: &Path, limits: &Limits) -> Result<PublishSummary, CommandError> {
    let name = path.display().to_string();
    let src = read_limited(path, limits.max_toml_bytes)?;
    let computed = bank_content_hash(&src, &name)?;
    let raw: toml::Table = toml::from_str(&src).map_err(|e| crate::bank::syntax_error(&name, &src, &e))?;
    let inst = raw.get("instrument");
    let status = inst.and_then(|i| i.get("status")).and_then(|s| s.as_str());
    let recorded = inst.and_then(|i| i.get("content_hash")).and_then(|s| s.as_str());
    if status == Some("published") {
        if let Some(r) = recorded {
            if r != computed {
                return Err(CommandError::PublishedChanged {
                    path: name,
                    recorded: r.to_string(),
                    computed,
                });
            }
        }
        let bank = Bank::parse(&src, &name)?;
        return Ok(PublishSummary {
            bank_id: bank.id().to_string(),
            bank_version: bank.version().to_string(),
            path: name,
            content_hash: computed,
            already_published: true,
        });
    }
    let (text, _) = published_text(&src, &name).map_err(|e| match e {
        PublishTextError::Bank(b) => CommandError::Bank(b),
        PublishTextError::Edit(m) => edit_err(path, m),
    })?;
    let bank = Bank::parse(&text, &name)?;
    write_atomic(path, text.as_bytes())?;
    Ok(PublishSummary {
        bank_id: bank.id().to_string(),
        bank_version: bank.version().to_string(),
        path: name,
        content_hash: computed,
        already_published: false,
    })
}
