//! An organisation's own e-mail templates (administrators only): each
//! occasion in each language, Vigil's own until the organisation writes
//! its own; a preview with an example candidate before saving; checked by
//! `messages::check` so no letter goes out without its link.

use crate::{
    service_error::ServiceError,
    staff::{require_admin, Caller},
    store::{Store, TemplateRow},
    time::{minute_utc, now_ms},
};

use super::{
    access::RecruitResult,
    messages::{check, render, shipped, Letter, Message, Occasion, Template, LETTER_LANGUAGES},
};

/// One template as the administrator sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateView {
    pub occasion: Occasion,
    pub language: &'static str,
    pub template: Template,
    /// When the organisation saved its own; `None`: Vigil's own.
    pub own_since: Option<String>,
}

/// The example a preview is written for.
pub const EXAMPLE_NAME: &str = "Alex Example";
const EXAMPLE_LINK: &str = "https://vigil.example/take/example-link-for-the-preview";
const EXAMPLE_DAYS: i64 = 14;

/// The (occasion, language) a path names, or `NotFound`.
pub fn named(occasion: &str, language: &str) -> RecruitResult<(Occasion, &'static str)> {
    let occasion = Occasion::parse(occasion).ok_or(ServiceError::NotFound)?;
    let language = LETTER_LANGUAGES.into_iter().find(|l| *l == language).ok_or(ServiceError::NotFound)?;
    Ok((occasion, language))
}

/// Every template of the organisation: its own or Vigil's, by occasion then language.
pub async fn templates(store: &Store, caller: &Caller) -> RecruitResult<Vec<TemplateView>> {
    require_admin(caller)?;
    let saved = store.message_templates(&caller.org_id).await?;
    let mut out = Vec::new();
    for occasion in Occasion::ALL {
        for language in LETTER_LANGUAGES {
            let view = match saved.iter().find(|r| r.occasion == occasion.as_str() && r.language == language) {
                Some(r) => TemplateView { occasion, language, template: Template { subject: r.subject.clone(), body: r.body.clone() }, own_since: Some(minute_utc(r.updated_at)) },
                None => TemplateView { occasion, language, template: shipped(occasion, language), own_since: None },
            };
            out.push(view);
        }
    }
    Ok(out)
}

/// The letter a template writes for the example candidate, from this organisation.
pub async fn preview(store: &Store, caller: &Caller, occasion: Occasion, language: &str, template: &Template) -> RecruitResult<Message> {
    require_admin(caller)?;
    let organisation = store.organisation(&caller.org_id).await?.map(|o| o.name).unwrap_or_default();
    let expires_at = now_ms() + EXAMPLE_DAYS * 86_400_000;
    Ok(render(template, &Letter { name: EXAMPLE_NAME, organisation: &organisation, link: EXAMPLE_LINK, expires_at, language, occasion }))
}

/// Saves the organisation's own template, if it passes the checks (422 with every reason otherwise).
pub async fn save(store: &Store, caller: &Caller, occasion: Occasion, language: &str, template: &Template) -> RecruitResult<()> {
    require_admin(caller)?;
    check(template).map_err(|problems| ServiceError::Invalid(problems.join(" ")))?;
    let row = TemplateRow { occasion: occasion.as_str().to_string(), language: language.to_string(), subject: template.subject.clone(), body: template.body.clone(), updated_at: now_ms() };
    store.save_message_template(&caller.org_id, &row, &caller.user_id).await?;
    Ok(())
}

/// Goes back to Vigil's template (nothing to do when the organisation had none of its own).
pub async fn reset(store: &Store, caller: &Caller, occasion: Occasion, language: &str) -> RecruitResult<()> {
    require_admin(caller)?;
    store.reset_message_template(&caller.org_id, occasion.as_str(), language, &caller.user_id, now_ms()).await?;
    Ok(())
}
