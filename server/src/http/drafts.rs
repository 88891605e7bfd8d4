//! The instrument workbench's handlers: short adapters that check the
//! caller, call `crate::workbench` and show its answer (pages in
//! `workbench_html`). Changes are form posts that name the revision they
//! were made from and come back to the draft's page.

use std::collections::BTreeMap;

use app::i18n::{fill, workbench_text, WorkbenchText};

use axum::{
    extract::{Multipart, Path, RawForm, RawQuery, State},
    http::{header, HeaderMap, StatusCode},
    response::{IntoResponse, Redirect, Response},
    Json,
};

use super::{
    recruit::{field, fields, poster},
    staff::{caller, download, esc, page_in, staff_error},
    workbench_html, AppState,
};
use assessments::bank::edit::{CatEdit, Direction, ItemEdit, OptionEdit, ScaleEdit};
use crate::{
    recruit::export::Download,
    service_error::ServiceError,
    staff::Caller,
    workbench::{
        drafts::{self, Change},
        library, review,
    },
};

const BACK: &str = "/instruments";

async fn signed_in(state: &AppState, headers: &HeaderMap) -> Result<Caller, Response> {
    caller(state, headers).await.map(|i| Caller::from(&i))
}

fn draft_title(t: &WorkbenchText, v: &drafts::DraftView) -> String {
    fill(t.draft_title, &[("instrument", &esc(&v.draft.instrument))])
}

fn draft_path(id: &str) -> String {
    format!("/drafts/{id}")
}

fn query_fields(query: Option<String>) -> Vec<(String, String)> {
    fields(query.unwrap_or_default().as_bytes())
}

/// `GET /instruments`: the library.
pub async fn instruments(State(state): State<AppState>, RawQuery(query): RawQuery, headers: HeaderMap) -> Response {
    let who = match signed_in(&state, &headers).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let q = query_fields(query);
    let t = workbench_text(&who.language);
    let notice = match field(&q, "published") {
        "" => None,
        v => Some(fill(t.published_notice, &[("version", &v.replace('@', " "))])),
    };
    match library::library(&state.store, &state.catalog, &who).await {
        Ok(lib) => page_in(&who.language, StatusCode::OK, t.instruments, &workbench_html::library(t, &lib, notice.as_deref())),
        Err(e) => staff_error(&who.language, e, "/staff"),
    }
}

/// `GET /instruments/{instrument}/{version}/bank.toml`.
pub async fn bank_file(State(state): State<AppState>, Path((instrument, version)): Path<(String, String)>, headers: HeaderMap) -> Response {
    let who = match signed_in(&state, &headers).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    match library::bank_file(&state.catalog, &who, &instrument, &version) {
        Ok(d) => download(d),
        Err(e) => staff_error(&who.language, e, BACK),
    }
}

/// `GET /instruments/{instrument}/{version}/translations.csv`.
pub async fn version_translations(State(state): State<AppState>, Path((instrument, version)): Path<(String, String)>, headers: HeaderMap) -> Response {
    let who = match signed_in(&state, &headers).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    match library::translations_file(&state.catalog, &who, &instrument, &version) {
        Ok(d) => download(d),
        Err(e) => staff_error(&who.language, e, BACK),
    }
}

/// `POST /drafts`: a draft from a version (instrument, version, new_id).
pub async fn start(State(state): State<AppState>, headers: HeaderMap, RawForm(body): RawForm) -> Response {
    let who = match poster(&state, &headers).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let f = fields(&body);
    match drafts::start_from(&state.store, &state.catalog, &who, field(&f, "instrument"), field(&f, "version"), field(&f, "new_id")).await {
        Ok(id) => Redirect::to(&draft_path(&id)).into_response(),
        Err(e) => staff_error(&who.language, e, BACK),
    }
}

/// The bytes of the form's `file` field, or why there are none.
async fn file_field(multipart: &mut Multipart) -> Result<(Vec<u8>, Vec<(String, String)>), ServiceError> {
    let mut file = None;
    let mut others = Vec::new();
    loop {
        match multipart.next_field().await {
            Ok(Some(f)) if f.name() == Some("file") => {
                file = Some(f.bytes().await.map_err(|_| ServiceError::Invalid("The file is larger than 2 MB, so it was not read. Nothing was stored.".into()))?.to_vec());
            }
            Ok(Some(f)) => {
                let name = f.name().unwrap_or_default().to_string();
                others.push((name, f.text().await.unwrap_or_default()));
            }
            Ok(None) => break,
            Err(e) => return Err(ServiceError::Invalid(format!("The upload could not be read ({}). Please choose the file again.", e.body_text()))),
        }
    }
    file.map(|f| (f, others)).ok_or_else(|| ServiceError::Invalid("Please choose a file to upload.".into()))
}

/// `POST /drafts/upload`: a draft from a bank file.
pub async fn upload(State(state): State<AppState>, headers: HeaderMap, mut multipart: Multipart) -> Response {
    let who = match poster(&state, &headers).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let result = match file_field(&mut multipart).await {
        Ok((bytes, _)) => drafts::upload(&state.store, &state.catalog, &who, &bytes).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(id) => Redirect::to(&draft_path(&id)).into_response(),
        Err(e) => staff_error(&who.language, e, BACK),
    }
}

/// `GET /drafts/{id}` (query `saved`: the revision just saved).
pub async fn draft(State(state): State<AppState>, Path(id): Path<String>, RawQuery(query): RawQuery, headers: HeaderMap) -> Response {
    let who = match signed_in(&state, &headers).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let q = query_fields(query);
    let t = workbench_text(&who.language);
    let notice = match field(&q, "saved") {
        "" => None,
        n => Some(fill(t.saved_notice, &[("revision", n)])),
    };
    match drafts::view(&state.store, &state.catalog, &who, &id).await {
        Ok(v) => page_in(&who.language, StatusCode::OK, &draft_title(t, &v), &workbench_html::draft(t, &v, notice.as_deref(), None, None)),
        Err(e) => staff_error(&who.language, e, BACK),
    }
}

fn base_of(f: &[(String, String)]) -> Option<i64> {
    field(f, "base").parse().ok()
}

/// Makes a change and goes back to the draft, or shows why not.
async fn apply(state: &AppState, who: &Caller, id: &str, base: Option<i64>, change: Change) -> Response {
    let back = draft_path(id);
    let kept_text = match &change {
        Change::Source { source } => Some(source.clone()),
        _ => None,
    };
    match drafts::change(&state.store, &state.catalog, who, id, base, change).await {
        Ok(revision) => Redirect::to(&format!("{back}?saved={revision}")).into_response(),
        // A refused whole-text save shows the editor again with the text as typed.
        Err(ServiceError::Invalid(message)) if kept_text.is_some() => match drafts::view(&state.store, &state.catalog, who, id).await {
            Ok(v) => {
                let t = workbench_text(&who.language);
                page_in(&who.language, StatusCode::UNPROCESSABLE_ENTITY, &draft_title(t, &v), &workbench_html::draft(t, &v, None, kept_text.as_deref(), Some(&message)))
            }
            Err(e) => staff_error(&who.language, e, BACK),
        },
        Err(e) => staff_error(&who.language, e, &back),
    }
}

/// `POST /drafts/{id}/source`: the whole text.
pub async fn save_source(State(state): State<AppState>, Path(id): Path<String>, headers: HeaderMap, RawForm(body): RawForm) -> Response {
    let who = match poster(&state, &headers).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let f = fields(&body);
    apply(&state, &who, &id, base_of(&f), Change::Source { source: field(&f, "source").replace("\r\n", "\n") }).await
}

/// `POST /drafts/{id}/check`: the problems of a text (JSON), as the
/// editor's script asks while the text is typed.
pub async fn check(State(state): State<AppState>, Path(id): Path<String>, headers: HeaderMap, RawForm(body): RawForm) -> Response {
    let who = match poster(&state, &headers).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let f = fields(&body);
    match drafts::check(&state.store, &who, &id, &field(&f, "source").replace("\r\n", "\n")).await {
        Ok(problems) => Json(problems).into_response(),
        Err(e) => staff_error(&who.language, e, &draft_path(&id)),
    }
}

/// The item's fields from its form.
fn item_edit(f: &[(String, String)]) -> Result<ItemEdit, ServiceError> {
    let text: BTreeMap<String, String> = f.iter().filter_map(|(k, v)| k.strip_prefix("text.").map(|l| (l.to_string(), v.trim().to_string()))).collect();
    let optional = |name: &str| Some(field(f, name).trim().to_string()).filter(|s| !s.is_empty());
    let attentive = match optional("attentive") {
        None => None,
        Some(list) => Some(list.split(',').map(|v| v.trim().parse::<i32>()).collect::<Result<Vec<_>, _>>().map_err(|_| ServiceError::Invalid("The attentive answers must be whole numbers separated by commas.".into()))?),
    };
    let mut options: BTreeMap<String, OptionEdit> = BTreeMap::new();
    for (k, v) in f {
        if let Some(opt) = k.strip_prefix("key.") {
            let key = if v.trim().is_empty() { None } else { Some(v.trim().parse::<i32>().map_err(|_| ServiceError::Invalid(format!("The key of option {opt} must be a whole number.")))?) };
            options.entry(opt.to_string()).or_insert_with(|| OptionEdit { id: opt.to_string(), key: None, text: BTreeMap::new() }).key = key;
        } else if let Some((opt, lang)) = k.strip_prefix("option.").and_then(|r| r.rsplit_once('.')) {
            options.entry(opt.to_string()).or_insert_with(|| OptionEdit { id: opt.to_string(), key: None, text: BTreeMap::new() }).text.insert(lang.to_string(), v.trim().to_string());
        }
    }
    let reverse = f.iter().any(|(k, _)| k == "reverse");
    let kind = optional("type");
    if let Some(k) = kind.as_deref().filter(|k| !["likert", "sjt", "check"].contains(k)) {
        return Err(ServiceError::Invalid(format!("\"{}\" is not an item type: choose a statement (likert), a scenario (sjt) or a check item.", k.chars().take(40).collect::<String>())));
    }
    let is_likert_form = match kind.as_deref() {
        Some(k) => k == "likert",
        None => f.iter().any(|(k, _)| k == "response_scale") && options.is_empty() && optional("attentive").is_none(),
    };
    Ok(ItemEdit {
        kind,
        text: text.into_iter().filter(|(_, v)| !v.is_empty()).collect(),
        scale: optional("scale"),
        response_scale: optional("response_scale"),
        reverse: is_likert_form.then_some(reverse),
        facet: optional("facet"),
        attentive,
        options: options.into_values().collect(),
    })
}

/// `GET /drafts/{id}/items/{item}`: the item's form.
pub async fn item(State(state): State<AppState>, Path((id, item)): Path<(String, String)>, headers: HeaderMap) -> Response {
    let who = match signed_in(&state, &headers).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    match drafts::view(&state.store, &state.catalog, &who, &id).await {
        Ok(v) => match v.file.as_ref().and_then(|f| f.items.iter().find(|i| i.id == item)) {
            Some(def) => {
                let t = workbench_text(&who.language);
                page_in(&who.language, StatusCode::OK, &fill(t.item_title, &[("id", &esc(&item))]), &workbench_html::item_form(t, &v, def))
            }
            None => staff_error(&who.language, ServiceError::NotFound, &draft_path(&id)),
        },
        Err(e) => staff_error(&who.language, e, BACK),
    }
}

/// `POST /drafts/{id}/items/{item}`: saves the item's form.
pub async fn save_item(State(state): State<AppState>, Path((id, item)): Path<(String, String)>, headers: HeaderMap, RawForm(body): RawForm) -> Response {
    let who = match poster(&state, &headers).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let f = fields(&body);
    match item_edit(&f) {
        Ok(edit) => apply(&state, &who, &id, base_of(&f), Change::Item { id: item, edit }).await,
        Err(e) => staff_error(&who.language, e, &format!("/drafts/{id}/items/{item}")),
    }
}

/// Texts per language from fields named `<prefix>.<lang>` (empty ones left out).
fn texts(f: &[(String, String)], prefix: &str) -> BTreeMap<String, String> {
    f.iter().filter_map(|(k, v)| k.strip_prefix(prefix).and_then(|r| r.strip_prefix('.')).map(|l| (l.to_string(), v.trim().to_string()))).filter(|(_, v)| !v.is_empty()).collect()
}

/// `GET /drafts/{id}/scales/{scale}`: the scale's form.
pub async fn scale(State(state): State<AppState>, Path((id, scale)): Path<(String, String)>, headers: HeaderMap) -> Response {
    let who = match signed_in(&state, &headers).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    match drafts::view(&state.store, &state.catalog, &who, &id).await {
        Ok(v) => match v.file.as_ref().and_then(|f| f.scales.iter().find(|s| s.id == scale)) {
            Some(def) => {
                let t = workbench_text(&who.language);
                page_in(&who.language, StatusCode::OK, &fill(t.scale_title, &[("id", &esc(&scale))]), &workbench_html::scale_form(t, &v, def))
            }
            None => staff_error(&who.language, ServiceError::NotFound, &draft_path(&id)),
        },
        Err(e) => staff_error(&who.language, e, BACK),
    }
}

/// `POST /drafts/{id}/scales/{scale}`: saves the scale's texts.
pub async fn save_scale(State(state): State<AppState>, Path((id, scale)): Path<(String, String)>, headers: HeaderMap, RawForm(body): RawForm) -> Response {
    let who = match poster(&state, &headers).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let f = fields(&body);
    // One prompt per line; the form always sends every language's box, so what it holds is the whole list.
    let prompts = f.iter().any(|(k, _)| k.starts_with("prompts.")).then(|| {
        f.iter()
            .filter_map(|(k, v)| k.strip_prefix("prompts.").map(|l| (l.to_string(), v.lines().map(str::trim).filter(|p| !p.is_empty()).map(str::to_string).collect())))
            .collect()
    });
    let edit = ScaleEdit { name: texts(&f, "name"), description: texts(&f, "description"), low: texts(&f, "low"), average: texts(&f, "average"), high: texts(&f, "high"), prompts };
    apply(&state, &who, &id, base_of(&f), Change::Scale { id: scale, edit }).await
}

/// An optional number field of a form (empty: none, so the default applies).
fn optional_number(f: &[(String, String)], name: &str, label: &str) -> Result<Option<f64>, ServiceError> {
    match field(f, name).trim() {
        "" => Ok(None),
        v => v.parse::<f64>().ok().filter(|x| x.is_finite()).map(Some).ok_or_else(|| ServiceError::Invalid(format!("{label} must be a number."))),
    }
}

/// An optional whole-number field of a form (empty: none, so the default applies).
fn optional_whole(f: &[(String, String)], name: &str, label: &str) -> Result<Option<u32>, ServiceError> {
    match field(f, name).trim() {
        "" => Ok(None),
        v => v.parse::<u32>().map(Some).map_err(|_| ServiceError::Invalid(format!("{label} must be a whole number."))),
    }
}

/// Pairs of item ids, one pair a line, the two ids apart by a space or a comma.
fn item_pairs(text: &str) -> Result<Vec<[String; 2]>, ServiceError> {
    let mut pairs = Vec::new();
    for (n, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let ids: Vec<&str> = line.split(|c: char| c == ',' || c.is_whitespace()).filter(|s| !s.is_empty()).collect();
        match ids.as_slice() {
            [a, b] => pairs.push([a.to_string(), b.to_string()]),
            _ => return Err(ServiceError::Invalid(format!("Line {} of the item pairs must name exactly two items, such as \"svi-mot-01 svi-mot-02\".", n + 1))),
        }
    }
    Ok(pairs)
}

/// `GET /drafts/{id}/validity`: the response-validity rules' form.
pub async fn validity(State(state): State<AppState>, Path(id): Path<String>, headers: HeaderMap) -> Response {
    let who = match signed_in(&state, &headers).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    match drafts::view(&state.store, &state.catalog, &who, &id).await {
        Ok(v) => {
            let t = workbench_text(&who.language);
            page_in(&who.language, StatusCode::OK, t.validity_rules, &workbench_html::validity_form(t, &v))
        }
        Err(e) => staff_error(&who.language, e, BACK),
    }
}

/// `POST /drafts/{id}/validity`: saves the rules (an empty field: the default).
pub async fn save_validity(State(state): State<AppState>, Path(id): Path<String>, headers: HeaderMap, RawForm(body): RawForm) -> Response {
    let who = match poster(&state, &headers).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let f = fields(&body);
    let rules = (|| -> Result<assessments::bank::ValiditySettings, ServiceError> {
        Ok(assessments::bank::ValiditySettings {
            min_median_seconds: optional_number(&f, "min_median_seconds", "The fastest median time")?,
            longstring_caution_share: optional_number(&f, "longstring_caution_share", "The same-answer share for a caution")?,
            longstring_invalid_share: optional_number(&f, "longstring_invalid_share", "The same-answer share for invalid")?,
            infrequency_caution_fails: optional_whole(&f, "infrequency_caution_fails", "The attention checks missed for a caution")?,
            infrequency_invalid_fails: optional_whole(&f, "infrequency_invalid_fails", "The attention checks missed for invalid")?,
            inconsistency_pairs: item_pairs(field(&f, "inconsistency_pairs"))?,
            inconsistency_caution: optional_number(&f, "inconsistency_caution", "The inconsistency for a caution")?,
            impression_management_caution_t: optional_number(&f, "impression_management_caution_t", "The impression-management T for a caution")?,
            irv_caution_below: optional_number(&f, "irv_caution_below", "The answer spread for a caution")?,
        })
    })();
    match rules {
        Ok(rules) => apply(&state, &who, &id, base_of(&f), Change::Validity { rules }).await,
        Err(e) => staff_error(&who.language, e, &format!("/drafts/{id}/validity")),
    }
}

/// `GET /drafts/{id}/cat`: the adaptive-testing settings' form.
pub async fn cat(State(state): State<AppState>, Path(id): Path<String>, headers: HeaderMap) -> Response {
    let who = match signed_in(&state, &headers).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    match drafts::view(&state.store, &state.catalog, &who, &id).await {
        Ok(v) => {
            let t = workbench_text(&who.language);
            page_in(&who.language, StatusCode::OK, t.cat_settings, &workbench_html::cat_form(t, &v))
        }
        Err(e) => staff_error(&who.language, e, BACK),
    }
}

/// `POST /drafts/{id}/cat`: saves the settings (an empty field: the default).
pub async fn save_cat(State(state): State<AppState>, Path(id): Path<String>, headers: HeaderMap, RawForm(body): RawForm) -> Response {
    let who = match poster(&state, &headers).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let f = fields(&body);
    let number = |name: &str, label: &str| optional_number(&f, name, label);
    let whole = |name: &str, label: &str| optional_whole(&f, name, label);
    let edit = (|| -> Result<CatEdit, ServiceError> {
        Ok(CatEdit { se_target: number("se_target", "The SE target")?, min_items: whole("min_items", "The fewest items")?, max_items: whole("max_items", "The most items")?, randomesque: whole("randomesque", "Randomesque")? })
    })();
    match edit {
        Ok(edit) => apply(&state, &who, &id, base_of(&f), Change::Cat { edit }).await,
        Err(e) => staff_error(&who.language, e, &format!("/drafts/{id}/cat")),
    }
}

/// `POST /drafts/{id}/items/{item}/move` (direction up or down).
pub async fn move_item(State(state): State<AppState>, Path((id, item)): Path<(String, String)>, headers: HeaderMap, RawForm(body): RawForm) -> Response {
    let who = match poster(&state, &headers).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let f = fields(&body);
    let direction = if field(&f, "direction") == "up" { Direction::Up } else { Direction::Down };
    apply(&state, &who, &id, base_of(&f), Change::Move { id: item, direction }).await
}

/// `POST /drafts/{id}/items/{item}/retire`.
pub async fn retire_item(State(state): State<AppState>, Path((id, item)): Path<(String, String)>, headers: HeaderMap, RawForm(body): RawForm) -> Response {
    let who = match poster(&state, &headers).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let f = fields(&body);
    apply(&state, &who, &id, base_of(&f), Change::Retire { id: item }).await
}

/// `POST /drafts/{id}/copy` (from, item).
pub async fn copy_item(State(state): State<AppState>, Path(id): Path<String>, headers: HeaderMap, RawForm(body): RawForm) -> Response {
    let who = match poster(&state, &headers).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let f = fields(&body);
    apply(&state, &who, &id, base_of(&f), Change::Copy { from: field(&f, "from").to_string(), item: field(&f, "item").trim().to_string() }).await
}

/// `POST /drafts/{id}/restore` (revision).
pub async fn restore(State(state): State<AppState>, Path(id): Path<String>, headers: HeaderMap, RawForm(body): RawForm) -> Response {
    let who = match poster(&state, &headers).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let f = fields(&body);
    let Ok(revision) = field(&f, "revision").parse() else {
        return staff_error(&who.language, ServiceError::Invalid("Choose a revision to restore.".into()), &draft_path(&id));
    };
    apply(&state, &who, &id, base_of(&f), Change::Restore { revision }).await
}

/// `POST /drafts/{id}/translations`: imports a translation table (multipart: base, file).
pub async fn import_translations(State(state): State<AppState>, Path(id): Path<String>, headers: HeaderMap, mut multipart: Multipart) -> Response {
    let who = match poster(&state, &headers).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    match file_field(&mut multipart).await {
        Ok((bytes, others)) => match String::from_utf8(bytes) {
            Ok(csv) => apply(&state, &who, &id, base_of(&others), Change::Translations { csv }).await,
            Err(_) => staff_error(&who.language, ServiceError::Invalid("The translation table is not UTF-8 text. Nothing was changed.".into()), &draft_path(&id)),
        },
        Err(e) => staff_error(&who.language, e, &draft_path(&id)),
    }
}

/// `GET /drafts/{id}/translations.csv`.
pub async fn draft_translations(State(state): State<AppState>, Path(id): Path<String>, headers: HeaderMap) -> Response {
    let who = match signed_in(&state, &headers).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    match drafts::view(&state.store, &state.catalog, &who, &id).await {
        Ok(v) => match assessments::bank::translations::export_csv(&v.draft.source) {
            Ok(body) => download(Download { file_name: format!("{}-draft-{}-translations.csv", v.draft.instrument, v.draft.revision), content_type: "text/csv; charset=utf-8", body }),
            Err(e) => staff_error(&who.language, ServiceError::Invalid(format!("The draft's text cannot be read ({e}); fix it on the draft's page first.")), &draft_path(&id)),
        },
        Err(e) => staff_error(&who.language, e, BACK),
    }
}

/// `GET /drafts/{id}/revisions/{n}`: one revision's text.
pub async fn revision(State(state): State<AppState>, Path((id, n)): Path<(String, i64)>, headers: HeaderMap) -> Response {
    let who = match signed_in(&state, &headers).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    match drafts::revision_text(&state.store, &who, &id, n).await {
        Ok((instrument, text)) => download(Download { file_name: format!("{instrument}-draft-revision-{n}.toml"), content_type: "text/plain; charset=utf-8", body: text }),
        Err(e) => staff_error(&who.language, e, &draft_path(&id)),
    }
}

/// `GET /drafts/{id}/preview` (query: lang, item, page, phone).
pub async fn preview(State(state): State<AppState>, Path(id): Path<String>, RawQuery(query): RawQuery, headers: HeaderMap) -> Response {
    let who = match signed_in(&state, &headers).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let q = query_fields(query);
    let item = Some(field(&q, "item")).filter(|s| !s.is_empty());
    let page_number = field(&q, "page").parse().unwrap_or(0);
    match review::preview(&state.store, &state.catalog, &who, &id, field(&q, "lang"), item, page_number).await {
        Ok(p) => {
            let t = workbench_text(&who.language);
            page_in(&who.language, StatusCode::OK, &fill(t.preview_title, &[("title", &esc(&p.title))]), &workbench_html::preview(t, &id, &p, field(&q, "phone") == "1", item))
        }
        Err(e) => staff_error(&who.language, e, &draft_path(&id)),
    }
}

/// `GET /drafts/{id}/diff`.
pub async fn diff(State(state): State<AppState>, Path(id): Path<String>, headers: HeaderMap) -> Response {
    let who = match signed_in(&state, &headers).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    match review::compare(&state.store, &state.catalog, &who, &id).await {
        Ok(c) => {
            let t = workbench_text(&who.language);
            page_in(&who.language, StatusCode::OK, t.diff_title, &workbench_html::comparison(t, &id, &c))
        }
        Err(e) => staff_error(&who.language, e, &draft_path(&id)),
    }
}

/// `POST /drafts/{id}/publish` (base, note).
pub async fn publish(State(state): State<AppState>, Path(id): Path<String>, headers: HeaderMap, RawForm(body): RawForm) -> Response {
    let who = match poster(&state, &headers).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let f = fields(&body);
    match drafts::publish(&state.store, &state.catalog, &who, &id, base_of(&f), field(&f, "note")).await {
        Ok((instrument, version)) => Redirect::to(&format!("/instruments?published={instrument}@{version}")).into_response(),
        Err(e) => staff_error(&who.language, e, &draft_path(&id)),
    }
}

/// `POST /drafts/{id}/discard`.
pub async fn discard(State(state): State<AppState>, Path(id): Path<String>, headers: HeaderMap) -> Response {
    let who = match poster(&state, &headers).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    match drafts::discard(&state.store, &who, &id).await {
        Ok(()) => Redirect::to(BACK).into_response(),
        Err(e) => staff_error(&who.language, e, &draft_path(&id)),
    }
}

/// `GET /workbench/editor.js`: checks the editor's text as it is typed.
pub async fn editor_script() -> Response {
    ([(header::CONTENT_TYPE, "text/javascript; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=300")], include_str!("editor.js")).into_response()
}
