//! Which group questions an organisation asks, under its notice
//! (administrators choose), and a candidate's answers to them: optional,
//! offered only after finishing (so the questions cannot colour the
//! assessment), changeable and removable at any time.

use super::variables::{variable, Variable, DEFAULT_NOTICE_DE, DEFAULT_NOTICE_EN, VARIABLES};
use crate::{
    candidate::{CandidateError, Context},
    service_error::ServiceError,
    staff::{require_admin, Caller},
    store::{GroupSettingsRow, SessionRow, Store},
    time::{minute_utc, now_ms},
};

/// Longest notice, in characters.
pub const MAX_NOTICE_CHARS: usize = 3000;

/// What an organisation asks about, and its notice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupSettings {
    pub variables: Vec<&'static Variable>,
    pub notice_en: String,
    pub notice_de: String,
    /// When it was last saved; `None`: never (nothing is asked).
    pub saved_at: Option<String>,
}

impl GroupSettings {
    pub(super) fn of(row: Option<GroupSettingsRow>) -> GroupSettings {
        match row {
            Some(r) => GroupSettings {
                variables: r.variables.split(',').filter_map(variable).collect(),
                notice_en: r.notice_en,
                notice_de: r.notice_de,
                saved_at: Some(minute_utc(r.updated_at)),
            },
            None => GroupSettings { variables: Vec::new(), notice_en: DEFAULT_NOTICE_EN.into(), notice_de: DEFAULT_NOTICE_DE.into(), saved_at: None },
        }
    }

    pub fn notice(&self, lang: &str) -> &str {
        if lang == "de" { &self.notice_de } else { &self.notice_en }
    }
}

/// The organisation's settings (administrators).
pub async fn settings(store: &Store, caller: &Caller) -> Result<GroupSettings, ServiceError> {
    require_admin(caller)?;
    Ok(GroupSettings::of(store.group_settings(&caller.org_id).await?))
}

/// Checks a notice: needed when anything is asked, and of a readable length.
fn check_notice(notice: &str, language: &str, asking: bool) -> Result<(), ServiceError> {
    if asking && notice.trim().is_empty() {
        return Err(ServiceError::Invalid(format!("Write the notice in {language}: candidates read it before they choose whether to answer.")));
    }
    if notice.chars().count() > MAX_NOTICE_CHARS {
        return Err(ServiceError::Invalid(format!("The notice in {language} is longer than {MAX_NOTICE_CHARS} characters.")));
    }
    Ok(())
}

/// Saves which variables are asked about (ids from [`VARIABLES`]) and the notice (audited).
pub async fn save_settings(store: &Store, caller: &Caller, chosen: &[String], notice_en: &str, notice_de: &str) -> Result<(), ServiceError> {
    require_admin(caller)?;
    if let Some(unknown) = chosen.iter().find(|id| variable(id).is_none()) {
        return Err(ServiceError::Invalid(format!("Vigil does not know the question \"{unknown}\".")));
    }
    let asking = !chosen.is_empty();
    check_notice(notice_en, "English", asking)?;
    check_notice(notice_de, "German", asking)?;
    let ids: Vec<&str> = VARIABLES.iter().map(|v| v.id).filter(|id| chosen.iter().any(|c| c == id)).collect();
    let row = GroupSettingsRow { variables: ids.join(","), notice_en: notice_en.trim().into(), notice_de: notice_de.trim().into(), updated_at: now_ms() };
    store.save_group_settings(&caller.org_id, &row, Some(&caller.user_id)).await?;
    Ok(())
}

/// The optional questions as a candidate sees them, with their answers so far.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupQuestions {
    pub lang: String,
    pub notice: String,
    /// Each question with the answer given (`None`: not answered or "prefer not to say").
    pub questions: Vec<(&'static Variable, Option<String>)>,
}

impl GroupQuestions {
    pub fn answered(&self) -> bool {
        self.questions.iter().any(|(_, a)| a.is_some())
    }
}

/// The candidate's finished session (the questions come after finishing, so they cannot colour the answers).
fn finished(ctx: &Context) -> Result<&SessionRow, CandidateError> {
    ctx.session.as_ref().filter(|s| s.status == "completed").ok_or(CandidateError::NotFinishedYet)
}

/// The organisation's questions for a candidate who finished; `None` when it asks none.
pub async fn questions(store: &Store, ctx: &Context) -> Result<Option<GroupQuestions>, CandidateError> {
    let session = finished(ctx)?;
    let settings = GroupSettings::of(store.group_settings(&ctx.invitation.org_id).await?);
    if settings.variables.is_empty() {
        return Ok(None);
    }
    let given = store.group_answers_of(&ctx.invitation.org_id, &session.id).await?;
    let questions = settings.variables.iter().map(|v| (*v, given.iter().find(|(k, _)| k == v.id).map(|(_, value)| value.clone()))).collect();
    Ok(Some(GroupQuestions { lang: session.language.clone(), notice: settings.notice(&session.language).to_string(), questions }))
}

/// Stores the candidate's answers from the form (`variable id = choice id`;
/// empty: prefer not to say), replacing earlier ones. Only questions the
/// organisation asks, only answers they offer.
pub async fn answer(store: &Store, ctx: &Context, form: &[(String, String)]) -> Result<(), CandidateError> {
    let session = finished(ctx)?;
    let Some(asked) = questions(store, ctx).await? else { return Err(CandidateError::BadRequest("There are no optional questions to answer.".into())) };
    let mut answers = Vec::new();
    for (v, _) in &asked.questions {
        let given = form.iter().find(|(k, _)| k == v.id).map_or("", |(_, value)| value.trim());
        if given.is_empty() {
            continue;
        }
        let choice = v.choice(given).ok_or_else(|| CandidateError::BadRequest("One of the answers is not one the question offers. Please choose again.".into()))?;
        answers.push((v.id, choice.id));
    }
    store.save_group_answers(&ctx.invitation.org_id, &session.id, &answers, now_ms()).await?;
    Ok(())
}

/// Removes every group answer of the candidate.
pub async fn remove(store: &Store, ctx: &Context) -> Result<(), CandidateError> {
    let session = finished(ctx)?;
    store.save_group_answers(&ctx.invitation.org_id, &session.id, &[], now_ms()).await?;
    Ok(())
}
