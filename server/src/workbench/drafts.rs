//! Drafts: started from a published version or an uploaded file, changed
//! in the browser (the whole text, one item's fields, the order, retiring
//! or copying items, a translation table, an older revision restored), each
//! save a new revision made from the one the editor showed, and published
//! as a new immutable version numbered by what changed.

use std::sync::Arc;

use assessments::bank::{
    changes::{change_level, next_version, ChangeLevel},
    edit::{self, CatEdit, Direction, ItemEdit, ScaleEdit},
    translations, BankFile,
};

use super::{found, require_author, Problems, ServiceError, MAX_BANK_BYTES};
use crate::{
    catalog::{Catalog, CatalogEntry},
    staff::Caller,
    store::{new_id, DraftRow, NewDraft, Publication, RevisionRow, Store},
    time::now_ms,
};

/// Everything the editor shows about a draft.
#[derive(Debug, Clone)]
pub struct DraftView {
    pub draft: DraftRow,
    pub problems: Problems,
    /// The draft's content as far as it can be read (also when it breaks
    /// a rule of the format), for the item list and preview.
    pub file: Option<BankFile>,
    pub parent: Option<Arc<CatalogEntry>>,
    /// What changed against the parent, and the version publishing makes.
    pub level: Option<ChangeLevel>,
    pub publishes_as: Option<String>,
    pub revisions: Vec<RevisionRow>,
    /// Where items can be copied from: `(key, label)` of the organisation's
    /// other drafts and its versions.
    pub copy_sources: Vec<(String, String)>,
}

/// A change to a draft, made from revision `base` of it.
#[derive(Debug, Clone)]
pub enum Change {
    Source { source: String },
    Item { id: String, edit: ItemEdit },
    Scale { id: String, edit: ScaleEdit },
    Cat { edit: CatEdit },
    Validity { rules: assessments::bank::ValiditySettings },
    Move { id: String, direction: Direction },
    Retire { id: String },
    Copy { from: String, item: String },
    Translations { csv: String },
    Restore { revision: i64 },
}

impl Change {
    fn note(&self) -> String {
        match self {
            Change::Source { .. } => "text edited".into(),
            Change::Item { id, .. } => format!("item {id} edited"),
            Change::Scale { id, .. } => format!("scale {id} edited"),
            Change::Cat { .. } => "adaptive-testing settings edited".into(),
            Change::Validity { .. } => "response-validity rules edited".into(),
            Change::Move { id, direction } => format!("item {id} moved {}", if *direction == Direction::Up { "up" } else { "down" }),
            Change::Retire { id } => format!("item {id} retired"),
            Change::Copy { from, item } => format!("item {item} copied from {from}"),
            Change::Translations { .. } => "translations imported".into(),
            Change::Restore { revision } => format!("revision {revision} restored"),
        }
    }
}

fn invalid(message: impl Into<String>) -> ServiceError {
    ServiceError::Invalid(message.into())
}

fn no_base() -> ServiceError {
    invalid("The form does not say which revision it was made from; open the draft again.")
}

fn lenient_file(source: &str) -> Option<BankFile> {
    BankFile::read_unchecked(source).ok()
}

fn parent_entry(catalog: &Catalog, org_id: &str, parent: Option<&str>) -> Option<Arc<CatalogEntry>> {
    let (instrument, version) = parent?.split_once('@')?;
    catalog.get_for(org_id, instrument, version)
}

/// The version a draft is published as: the parent's next by the rule, or
/// (for an uploaded bank) the version its file declares.
fn publishing_version(file: &BankFile, parent: Option<&CatalogEntry>) -> Result<(Option<ChangeLevel>, String), String> {
    match parent {
        Some(p) => {
            let level = change_level(p.bank.file(), file);
            if level == ChangeLevel::None {
                return Err(format!("Nothing has changed since {} {}; there is nothing to publish.", p.bank.id(), p.bank.version()));
            }
            let version = next_version(p.bank.version(), level).ok_or_else(|| format!("The parent version {} is not MAJOR.MINOR.PATCH.", p.bank.version()))?;
            Ok((Some(level), version))
        }
        None => Ok((None, file.instrument.version.clone())),
    }
}

/// Whether the organisation may author under `instrument`: not a shipped
/// bank's id, not another organisation's, and a valid id.
async fn check_instrument_id(store: &Store, catalog: &Catalog, org_id: &str, instrument: &str) -> Result<(), ServiceError> {
    let fine = !instrument.is_empty() && instrument.len() <= 64 && instrument.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
    if !fine {
        return Err(invalid(format!("\"{}\" is not an instrument id: use lowercase letters, digits, - and _ (at most 64).", instrument.chars().take(64).collect::<String>())));
    }
    if catalog.is_shipped(instrument) {
        return Err(invalid(format!("`{instrument}` is an instrument shipped with Vigil. Give your organisation's version its own id, for example `{instrument}-own`.")));
    }
    match store.instrument_owner(instrument).await? {
        Some(owner) if owner != org_id => Err(invalid(format!("The instrument id `{instrument}` is taken; choose another."))),
        _ => Ok(()),
    }
}

/// Starts a draft from a version the organisation may use. A shipped
/// bank's draft gets the organisation's own id `new_id`; the organisation's
/// own instruments keep theirs. Gives the draft's id.
pub async fn start_from(store: &Store, catalog: &Catalog, caller: &Caller, instrument: &str, version: &str, new_id_requested: &str) -> Result<String, ServiceError> {
    require_author(caller)?;
    let parent = catalog.get_for(&caller.org_id, instrument, version).ok_or(ServiceError::NotFound)?;
    let id = if parent.owner.is_some() { instrument.to_string() } else { new_id_requested.trim().to_string() };
    check_instrument_id(store, catalog, &caller.org_id, &id).await?;
    let placeholder = next_version(version, ChangeLevel::Patch).unwrap_or_else(|| version.to_string());
    let source = edit::as_draft(&parent.source, &id, &placeholder).map_err(|e| invalid(e.0))?;
    let draft_id = new_id();
    let parent_key = format!("{instrument}@{version}");
    store
        .create_draft(NewDraft { id: &draft_id, org_id: &caller.org_id, instrument: &id, parent: Some(&parent_key), source: &source, user_id: &caller.user_id, note: &format!("started from {instrument} {version}"), now: now_ms() })
        .await?;
    caller.audit(store, "draft.created", "bank_draft", &draft_id, serde_json::json!({ "instrument": id, "from": parent_key })).await?;
    Ok(draft_id)
}

/// Starts a draft from an uploaded bank file. Refused, with nothing
/// stored, when it is over 2 MB, not UTF-8 TOML, has no id and version,
/// uses an id the organisation may not author under, or a version already
/// published. A file that breaks other rules becomes a draft whose
/// problems the editor lists by line, to fix there.
pub async fn upload(store: &Store, catalog: &Catalog, caller: &Caller, bytes: &[u8]) -> Result<String, ServiceError> {
    require_author(caller)?;
    if bytes.len() > MAX_BANK_BYTES {
        return Err(invalid(format!("The file is {} bytes; a bank file may have at most {MAX_BANK_BYTES} bytes (2 MB). Nothing was stored.", bytes.len())));
    }
    let text = std::str::from_utf8(bytes).map_err(|_| invalid("The file is not UTF-8 text, so it is not a bank file. Nothing was stored."))?;
    let (instrument, version) = edit::declared_identity(text).map_err(|e| invalid(format!("{}. Nothing was stored.", e.0)))?;
    check_instrument_id(store, catalog, &caller.org_id, &instrument).await?;
    if catalog.get(&instrument, &version).is_some() {
        return Err(invalid(format!("{instrument} {version} is already published, and a published version never changes. Give the file a new version number.")));
    }
    let source = edit::as_draft(text, &instrument, &version).map_err(|e| invalid(e.0))?;
    let draft_id = new_id();
    store.create_draft(NewDraft { id: &draft_id, org_id: &caller.org_id, instrument: &instrument, parent: None, source: &source, user_id: &caller.user_id, note: "uploaded", now: now_ms() }).await?;
    caller.audit(store, "draft.created", "bank_draft", &draft_id, serde_json::json!({ "instrument": instrument, "from": "upload" })).await?;
    Ok(draft_id)
}

/// The organisation's draft with its problems, what it changed and its revisions.
pub async fn view(store: &Store, catalog: &Catalog, caller: &Caller, id: &str) -> Result<DraftView, ServiceError> {
    require_author(caller)?;
    let draft = store.draft(&caller.org_id, id).await.map_err(found)?;
    let revisions = store.draft_revisions(&caller.org_id, id).await?;
    let parent = parent_entry(catalog, &caller.org_id, draft.parent.as_deref());
    let problems = Problems::of(&draft.source);
    let file = lenient_file(&draft.source);
    let (level, publishes_as) = match (&file, problems.errors.is_empty()) {
        (Some(f), true) => match publishing_version(f, parent.as_deref()) {
            Ok((level, version)) => (level, Some(version)),
            Err(_) => (Some(ChangeLevel::None), None),
        },
        _ => (None, None),
    };
    let mut copy_sources: Vec<(String, String)> =
        store.open_drafts(&caller.org_id).await?.into_iter().filter(|d| d.id != draft.id).map(|d| (format!("draft:{}", d.id), format!("draft of {} (revision {})", d.instrument, d.revision))).collect();
    copy_sources.extend(catalog.entries_for(&caller.org_id).iter().map(|e| (format!("{}@{}", e.bank.id(), e.bank.version()), format!("{} {}", e.bank.id(), e.bank.version()))));
    Ok(DraftView { draft, problems, file, parent, level, publishes_as, revisions, copy_sources })
}

/// The text a copy takes its item from: another open draft of the
/// organisation, or a version it may use.
async fn copy_source(store: &Store, catalog: &Catalog, caller: &Caller, from: &str) -> Result<String, ServiceError> {
    if let Some(draft_id) = from.strip_prefix("draft:") {
        return Ok(store.draft(&caller.org_id, draft_id).await.map_err(found)?.source);
    }
    let (instrument, version) = from.split_once('@').ok_or_else(|| invalid("Choose where to copy the item from."))?;
    Ok(catalog.get_for(&caller.org_id, instrument, version).ok_or(ServiceError::NotFound)?.source.to_string())
}

/// The draft's text after a change, or why it cannot be made.
async fn changed_text(store: &Store, catalog: &Catalog, caller: &Caller, draft: &DraftRow, change: &Change) -> Result<String, ServiceError> {
    let text = match change {
        Change::Source { source } => {
            edit::parse_document(source).map_err(|e| invalid(format!("Not saved: {}", e.0)))?;
            source.clone()
        }
        Change::Item { id, edit } => edit::edit_item(&draft.source, id, edit).map_err(|e| invalid(e.0))?,
        Change::Scale { id, edit } => edit::edit_scale(&draft.source, id, edit).map_err(|e| invalid(e.0))?,
        Change::Cat { edit } => edit::edit_cat(&draft.source, edit).map_err(|e| invalid(e.0))?,
        Change::Validity { rules } => edit::edit_validity(&draft.source, rules).map_err(|e| invalid(e.0))?,
        Change::Move { id, direction } => edit::move_item(&draft.source, id, *direction).map_err(|e| invalid(e.0))?,
        Change::Retire { id } => edit::retire_item(&draft.source, id).map_err(|e| invalid(e.0))?,
        Change::Copy { from, item } => {
            let from_text = copy_source(store, catalog, caller, from).await?;
            edit::copy_item(&from_text, item, &draft.source).map_err(|e| invalid(e.0))?
        }
        Change::Translations { csv } => translations::import_csv(&draft.source, csv).map_err(|e| invalid(format!("The translation table was not imported: {}. Nothing was changed.", e.0)))?.0,
        Change::Restore { revision } => store.draft_revision(&caller.org_id, &draft.id, *revision).await.map_err(found)?,
    };
    if text.len() > MAX_BANK_BYTES {
        return Err(invalid(format!("Not saved: the text would have {} bytes; a bank may have at most {MAX_BANK_BYTES} (2 MB).", text.len())));
    }
    let (instrument, _) = edit::declared_identity(&text).map_err(|e| invalid(format!("Not saved: {}", e.0)))?;
    if instrument != draft.instrument {
        return Err(invalid(format!("Not saved: this draft is of `{}`; the instrument id cannot change (start a new draft for another instrument).", draft.instrument)));
    }
    Ok(text)
}

/// Makes a change to the draft as of revision `base`, saved as the next
/// revision (given back). Whole-text saves, restores and translation
/// imports are saved even when the result breaks a rule (the editor lists
/// what to fix); a change from a form that would add a problem is refused
/// and nothing is saved. Someone else's save since `base` is a conflict.
pub async fn change(store: &Store, catalog: &Catalog, caller: &Caller, id: &str, base: Option<i64>, change: Change) -> Result<i64, ServiceError> {
    require_author(caller)?;
    let draft = store.draft(&caller.org_id, id).await.map_err(found)?;
    let base = base.ok_or_else(no_base)?;
    let text = changed_text(store, catalog, caller, &draft, &change).await?;
    let from_a_form = matches!(change, Change::Item { .. } | Change::Scale { .. } | Change::Cat { .. } | Change::Validity { .. } | Change::Move { .. } | Change::Retire { .. } | Change::Copy { .. });
    if from_a_form {
        let added = Problems::of(&text).new_since(&Problems::of(&draft.source));
        if !added.is_empty() {
            let list: Vec<String> = added.iter().map(ToString::to_string).collect();
            return Err(invalid(format!("Not saved, because the change would break the instrument: {}", list.join("; "))));
        }
    }
    let revision = store.save_draft(&caller.org_id, id, base, &text, &caller.user_id, &change.note(), now_ms()).await?;
    Ok(revision)
}

/// Publishes the draft as of revision `base` as a new immutable version
/// with a change note; the catalog offers it at once. Refused while the
/// draft has problems or missing translations, or when nothing changed.
pub async fn publish(store: &Store, catalog: &Catalog, caller: &Caller, id: &str, base: Option<i64>, note: &str) -> Result<(String, String), ServiceError> {
    require_author(caller)?;
    let draft = store.draft(&caller.org_id, id).await.map_err(found)?;
    let base = base.ok_or_else(no_base)?;
    let note = note.trim();
    if note.is_empty() || note.chars().count() > 2000 {
        return Err(invalid("Please write a change note (what changed and why), at most 2,000 characters."));
    }
    if draft.revision != base {
        return Err(invalid(format!("Someone saved this draft after you opened it (it is now at revision {}). Open it again and check before publishing.", draft.revision)));
    }
    let problems = Problems::of(&draft.source);
    if !problems.is_empty() {
        return Err(invalid(format!("The draft cannot be published yet: {} problem(s) and {} missing translation(s) are listed on its page.", problems.errors.len(), problems.translations.len())));
    }
    let file = lenient_file(&draft.source).ok_or_else(|| invalid("The draft cannot be read."))?;
    let parent = parent_entry(catalog, &caller.org_id, draft.parent.as_deref());
    let (_, version) = publishing_version(&file, parent.as_deref()).map_err(invalid)?;
    check_instrument_id(store, catalog, &caller.org_id, &draft.instrument).await?;
    if catalog.get(&draft.instrument, &version).is_some() {
        return Err(invalid(format!("{} {version} is already published; a published version never changes.", draft.instrument)));
    }
    let numbered = edit::as_draft(&draft.source, &draft.instrument, &version).map_err(|e| invalid(e.0))?;
    let name = format!("{}@{version}", draft.instrument);
    let (text, hash) = assessments::commands::published_text(&numbered, &name).map_err(|e| invalid(e.to_string()))?;
    let entry = CatalogEntry::published_by(&caller.org_id, &text, &name).map_err(|e| invalid(e.to_string()))?;
    store
        .publish_draft(Publication {
            org_id: &caller.org_id,
            draft_id: id,
            revision: base,
            instrument: &draft.instrument,
            version: &version,
            source: &text,
            content_hash: &hash,
            parent: draft.parent.as_deref(),
            user_id: &caller.user_id,
            note,
            now: now_ms(),
        })
        .await?;
    catalog.add(entry);
    caller.audit(store, "instrument.published", "bank_version", &name, serde_json::json!({ "content_hash": hash, "parent": draft.parent, "note": note })).await?;
    Ok((draft.instrument, version))
}

/// Closes a draft without publishing it.
pub async fn discard(store: &Store, caller: &Caller, id: &str) -> Result<(), ServiceError> {
    require_author(caller)?;
    store.discard_draft(&caller.org_id, id, now_ms()).await.map_err(found)?;
    caller.audit(store, "draft.discarded", "bank_draft", id, serde_json::json!({})).await?;
    Ok(())
}

/// One saved revision's text, with the draft's instrument id.
pub async fn revision_text(store: &Store, caller: &Caller, id: &str, revision: i64) -> Result<(String, String), ServiceError> {
    require_author(caller)?;
    let draft = store.draft(&caller.org_id, id).await.map_err(found)?;
    Ok((draft.instrument, store.draft_revision(&caller.org_id, id, revision).await.map_err(found)?))
}

/// The problems of a text the editor is about to save (live validation).
pub async fn check(store: &Store, caller: &Caller, id: &str, source: &str) -> Result<Problems, ServiceError> {
    require_author(caller)?;
    store.draft(&caller.org_id, id).await.map_err(found)?;
    if source.len() > MAX_BANK_BYTES {
        return Err(invalid("The text is over 2 MB."));
    }
    Ok(Problems::of(source))
}
