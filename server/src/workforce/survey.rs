//! The employee's side of a wave: their link opens the survey; answers in
//! progress belong to the link (stop and come back), any item may be
//! skipped, and sending moves the answers, without the link, into the
//! wave's inbox (see the store's waves: nobody can tie them to the person).

use std::{collections::BTreeMap, sync::Arc};

use assessments::responses::{RawAnswer, Responses};

use crate::{
    catalog::{Catalog, CatalogEntry},
    secrets::secret_hash,
    store::Store,
    time::{date_utc, now_ms},
};

/// What the survey page shows.
pub struct SurveyView {
    pub organisation: String,
    pub entry: Arc<CatalogEntry>,
    /// Answers saved so far: item → value.
    pub saved: BTreeMap<String, String>,
    /// The last day (YYYY-MM-DD).
    pub closes_on: String,
    /// The languages the wave is offered in, the first the default.
    pub languages: Vec<String>,
}

/// Why a survey link cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum SurveyError {
    #[error("This link is not known. Please use the link from your e-mail.")]
    Unknown,
    #[error("Your answers have been sent. Thank you.")]
    Sent,
    #[error("This survey is closed.")]
    Closed,
    #[error("{0}")]
    Invalid(String),
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
}

/// The answers a form may keep: known items, values the item allows (an empty value: skipped).
pub fn checked(bank: &assessments::bank::Bank, answers: &[(String, String)]) -> Result<Vec<(String, String)>, SurveyError> {
    let mut probe = Responses::new(bank, "check");
    let mut out = Vec::new();
    for (item, value) in answers {
        let value = value.trim();
        if !value.is_empty() {
            let raw = RawAnswer::parse(bank, item, value).map_err(|_| SurveyError::Invalid(format!("{item}: not an answer this question takes.")))?;
            probe.set(bank, item, &raw).map_err(|_| SurveyError::Invalid(format!("{item}: not an answer this question takes.")))?;
        } else if bank.file().items.iter().all(|i| i.id != *item) {
            return Err(SurveyError::Invalid(format!("{item}: not a question of this survey.")));
        }
        out.push((item.clone(), value.to_string()));
    }
    Ok(out)
}

/// The link behind a token, open for answers.
async fn open_link(store: &Store, token: &str) -> Result<crate::store::WaveLinkRow, SurveyError> {
    let link = store.wave_link(&secret_hash(token)).await?.ok_or(SurveyError::Unknown)?;
    if link.answered != 0 {
        return Err(SurveyError::Sent);
    }
    if link.wave_status != "open" || link.closes_at <= now_ms() {
        return Err(SurveyError::Closed);
    }
    Ok(link)
}

/// Keeps answers in progress (resume later; an empty value skips).
pub async fn save(store: &Store, catalog: &Catalog, token: &str, answers: &[(String, String)]) -> Result<(), SurveyError> {
    let link = open_link(store, token).await?;
    let entry = catalog.get_for(&link.org_id, &link.instrument, &link.version).ok_or(SurveyError::Closed)?;
    let answers = checked(&entry.bank, answers)?;
    if store.save_wave_drafts(&link.token_hash, &answers, now_ms()).await? {
        Ok(())
    } else {
        Err(SurveyError::Closed)
    }
}

/// Keeps `answers`, then sends everything the link holds: from now on the
/// answers belong to nobody.
pub async fn send(store: &Store, catalog: &Catalog, token: &str, answers: &[(String, String)]) -> Result<(), SurveyError> {
    save(store, catalog, token, answers).await?;
    let hash = secret_hash(token);
    let kept: BTreeMap<String, String> = store.wave_drafts(&hash).await?.into_iter().collect();
    let now = now_ms();
    if store.send_wave_answers(&hash, &serde_json::json!(kept).to_string(), &date_utc(now), now).await? {
        Ok(())
    } else {
        Err(SurveyError::Sent)
    }
}

/// The survey behind a token, with what was saved.
pub async fn view(store: &Store, catalog: &Catalog, token: &str) -> Result<SurveyView, SurveyError> {
    let link = open_link(store, token).await?;
    let entry = catalog.get_for(&link.org_id, &link.instrument, &link.version).ok_or(SurveyError::Closed)?;
    let organisation = store.organisation(&link.org_id).await?.map(|o| o.name).unwrap_or_default();
    let saved = store.wave_drafts(&link.token_hash).await?.into_iter().collect();
    let languages = super::waves::languages_of(link.languages.as_deref());
    Ok(SurveyView { organisation, entry, saved, closes_on: date_utc(link.closes_at - 86_400_000), languages })
}
