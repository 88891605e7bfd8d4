//! A candidate's rights, used by themselves (from the completion page, or
//! the link in their e-mail): a copy of what Vigil holds about them (the
//! subject-access copy, as JSON and as a readable page), and requests to
//! erase it or for a person to review the organisation's decision. Each
//! request reaches the organisation's administrators with the day it is
//! due, and is audited when made and when handled.
//!
//! The copy holds the candidate's own data only: who they are, their
//! invitation, the notice they read, their session, every answer (the
//! question and the answer as they saw them), their results (T score with
//! its 90% band, the range, how it was scored, response validity), the
//! decisions recorded about them with their reasons, and their requests.
//! It never holds scoring keys, item parameters or norms, nor the name of
//! the staff member who recorded a decision.

use serde::Serialize;

use crate::{
    candidate::{views::{item_options, text}, CandidateError, Context},
    catalog::CatalogEntry,
    service_error::ServiceError,
    staff::{require_admin, Caller},
    store::{NewSubjectRequest, Store, SubjectRequestRow},
    time::{date_utc, minute_utc, now_ms},
};

/// Days within which the organisation answers a request (one month, GDPR Art. 12(3)).
pub const ANSWER_WITHIN_DAYS: i64 = 30;

/// The longest note a candidate may write with a request, and an administrator with its outcome.
pub const MAX_NOTE_CHARS: usize = 2000;

/// What a candidate may ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestKind {
    /// Erase my personal data.
    Erasure,
    /// A person reviews the organisation's decision about me.
    Review,
}

impl RequestKind {
    pub const ALL: [RequestKind; 2] = [RequestKind::Erasure, RequestKind::Review];

    pub fn as_str(self) -> &'static str {
        match self {
            RequestKind::Erasure => "erasure",
            RequestKind::Review => "review",
        }
    }

    pub fn parse(s: &str) -> Option<RequestKind> {
        RequestKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// A note as it is kept: trimmed, control characters (other than line breaks) dropped.
fn clean_note(note: &str) -> Result<String, String> {
    let note: String = note.trim().chars().filter(|c| !c.is_control() || *c == '\n').collect();
    if note.chars().count() > MAX_NOTE_CHARS {
        return Err(format!("Please keep the note to {MAX_NOTE_CHARS} characters."));
    }
    Ok(note)
}

/// due = made + 30 days
pub fn due_at(made_at: i64) -> i64 {
    made_at + ANSWER_WITHIN_DAYS * 86_400_000
}

/// The candidate asks for `kind` (with an optional note). Asking again while
/// the same kind of request is open changes nothing. Returns whether a new
/// request was recorded.
pub async fn ask(store: &Store, ctx: &Context, kind: &str, note: &str) -> Result<bool, CandidateError> {
    let kind = RequestKind::parse(kind).ok_or_else(|| CandidateError::BadRequest("Please choose what you are asking for.".into()))?;
    let note = clean_note(note).map_err(CandidateError::BadRequest)?;
    let now = now_ms();
    let new = NewSubjectRequest { org_id: &ctx.invitation.org_id, invitation_id: &ctx.invitation.id, kind: kind.as_str(), note: &note, now, due_at: due_at(now) };
    Ok(store.ask_subject_request(&new).await?.1)
}

/// The subject-access copy (field names are part of the JSON download).
#[derive(Debug, Clone, Serialize)]
pub struct AccessCopy {
    pub made_at: String,
    pub organisation: String,
    pub campaign: String,
    pub you: PersonCopy,
    pub invitation: InvitationCopy,
    pub notice: Option<NoticeCopy>,
    pub session: Option<SessionCopy>,
    pub answers: Vec<AnswerCopy>,
    /// The optional group questions the person chose to answer (for fairness checks).
    pub optional_group_answers: Vec<GroupAnswerCopy>,
    pub results: Vec<ResultCopy>,
    pub decisions: Vec<DecisionCopy>,
    pub requests: Vec<RequestCopy>,
    pub what_this_copy_cannot_tell: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct GroupAnswerCopy {
    pub question: String,
    pub answer: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct PersonCopy {
    pub name: Option<String>,
    pub email: Option<String>,
    pub language: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct InvitationCopy {
    pub invited_at: String,
    pub link_valid_until: String,
    pub status: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct NoticeCopy {
    pub version: String,
    pub read_and_accepted_at: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct SessionCopy {
    pub started_at: String,
    pub completed_at: Option<String>,
    pub status: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct AnswerCopy {
    pub instrument: String,
    pub question: String,
    pub answer: String,
    pub answered_at: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ResultCopy {
    pub instrument: String,
    pub version: String,
    pub response_validity: String,
    pub scales: Vec<ScaleCopy>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ScaleCopy {
    pub scale: String,
    /// "T 55 (90% band 50 to 60)", or why there is no score.
    pub score: String,
    /// "Average range", when there is a score.
    pub range: Option<String>,
    pub scored_by: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct DecisionCopy {
    pub decision: String,
    pub reason: String,
    pub recorded_at: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct RequestCopy {
    pub kind: String,
    pub made_at: String,
    pub due_on: String,
    pub handled_at: Option<String>,
    pub outcome: Option<String>,
}

/// What the copy cannot tell, said in it.
pub const CANNOT_TELL: &str = "This copy holds what Vigil stores about you for this organisation. Your scores compare your answers with a group of other people; they describe how you described yourself on one day, not how you behave at work, and no score decides anything on its own: people at the organisation make every decision. Vigil does not hold what the organisation keeps elsewhere (for example in its applicant tracking system): ask the organisation for that.";

/// One answer as the candidate saw it: the question and the chosen option's words.
fn answer_copy(battery: &[std::sync::Arc<CatalogEntry>], answer: &crate::store::StoredAnswer, lang: &str) -> AnswerCopy {
    let entry = battery.iter().find(|e| e.bank.id() == answer.instrument);
    let item = entry.and_then(|e| e.bank.items().iter().position(|i| i.id == answer.item_id).map(|k| (e, k)));
    let (instrument, question, label) = match item {
        Some((entry, k)) => {
            let file = entry.bank.file();
            let def = &entry.bank.items()[k];
            let options = item_options(file, def, lang, |t| text(t, lang));
            let label = options.into_iter().find(|o| o.value == answer.value).map_or_else(|| answer.value.clone(), |o| o.label);
            (text(&file.instrument.title, lang), text(&def.text, lang), label)
        }
        None => (answer.instrument.clone(), answer.item_id.clone(), answer.value.clone()),
    };
    AnswerCopy { instrument, question, answer: label, answered_at: minute_utc(answer.answered_at) }
}

/// Everything Vigil holds about the candidate of this context.
pub async fn access_copy(store: &Store, catalog: &crate::catalog::Catalog, ctx: &Context) -> Result<AccessCopy, CandidateError> {
    let org_id = &ctx.invitation.org_id;
    let lang = ctx.session.as_ref().map_or(ctx.invitation.language.clone(), |s| s.language.clone());
    let row = store
        .campaign_candidate(org_id, &ctx.campaign.id, &ctx.invitation.id)
        .await?
        .ok_or(CandidateError::Link(app::candidate::model::LinkProblem::Unknown))?;
    let profile = crate::recruit::profile::build(store, catalog, org_id, &ctx.campaign, &row, &lang).await.map_err(|e| match e {
        ServiceError::Store(e) => CandidateError::Store(e),
        other => CandidateError::Misconfigured(other.to_string()),
    })?;
    let (notice, session, answers, optional_group_answers) = match &ctx.session {
        Some(s) => {
            let notice = store.notice_acknowledged(org_id, &s.id).await?.map(|(version, at)| NoticeCopy { version, read_and_accepted_at: minute_utc(at) });
            let session = SessionCopy { started_at: minute_utc(s.started_at), completed_at: s.completed_at.map(minute_utc), status: s.status.clone() };
            let answers = store.answers_of(&s.id).await?.iter().map(|a| answer_copy(&ctx.battery, a, &lang)).collect();
            let groups = store
                .group_answers_of(org_id, &s.id)
                .await?
                .into_iter()
                .filter_map(|(v, value)| {
                    let v = crate::fairness::variables::variable(&v)?;
                    Some(GroupAnswerCopy { question: v.question(&lang).to_string(), answer: v.choice(&value)?.label(&lang).to_string() })
                })
                .collect();
            (notice, Some(session), answers, groups)
        }
        None => (None, None, Vec::new(), Vec::new()),
    };
    let results = profile
        .instruments
        .iter()
        .map(|i| ResultCopy {
            instrument: i.title.clone(),
            version: i.version.clone(),
            response_validity: i.validity.status.label().to_string(),
            scales: i
                .scales
                .iter()
                .map(|s| {
                    let normed = s.normed.filter(|_| s.scorable);
                    ScaleCopy {
                        scale: s.name.clone(),
                        score: match (s.scorable, normed) {
                            (_, Some(v)) => format!("T {} (90% band {} to {})", v.t, v.t_band[0], v.t_band[1]),
                            (true, None) => "scored, without a comparison group".to_string(),
                            (false, None) => "not scored (too few answers)".to_string(),
                        },
                        range: normed.map(|v| v.band.label().to_string()),
                        scored_by: s.method.clone(),
                    }
                })
                .collect(),
        })
        .collect();
    let requests = store
        .subject_requests_of_invitation(org_id, &ctx.invitation.id)
        .await?
        .into_iter()
        .map(|r| RequestCopy { kind: r.kind, made_at: minute_utc(r.created_at), due_on: date_utc(r.due_at), handled_at: r.handled_at.map(minute_utc), outcome: r.outcome })
        .collect();
    Ok(AccessCopy {
        made_at: minute_utc(now_ms()),
        organisation: ctx.organisation.clone(),
        campaign: ctx.campaign.name.clone(),
        you: PersonCopy { name: row.name.clone(), email: row.email.clone(), language: lang },
        invitation: InvitationCopy { invited_at: minute_utc(row.invited_at), link_valid_until: minute_utc(row.expires_at), status: row.invitation_status.clone() },
        notice,
        session,
        answers,
        optional_group_answers,
        results,
        decisions: profile.decisions.into_iter().map(|d| DecisionCopy { decision: d.decision.label().to_string(), reason: d.reason, recorded_at: d.at }).collect(),
        requests,
        what_this_copy_cannot_tell: CANNOT_TELL,
    })
}

/// The organisation's requests, open ones first (administrators only).
pub async fn requests(store: &Store, caller: &Caller) -> Result<Vec<SubjectRequestRow>, ServiceError> {
    require_admin(caller)?;
    Ok(store.subject_requests_of(&caller.org_id).await?)
}

/// An administrator records how a request was handled (required: the
/// candidate is told in their copy).
pub async fn handle(store: &Store, caller: &Caller, id: &str, outcome: &str) -> Result<(), ServiceError> {
    require_admin(caller)?;
    let outcome = clean_note(outcome).map_err(ServiceError::Invalid)?;
    if outcome.is_empty() {
        return Err(ServiceError::Invalid("Please say how the request was handled: the candidate sees it in their copy.".into()));
    }
    if store.handle_subject_request(&caller.org_id, id, &caller.user_id, &outcome, now_ms()).await? {
        Ok(())
    } else {
        Err(ServiceError::NotFound)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_is_due_thirty_days_after_it_was_made() {
        assert_eq!(due_at(0), 30 * 24 * 60 * 60 * 1000);
        assert_eq!(date_utc(due_at(1_767_225_600_000)), "2026-01-31", "made on 1 January 2026");
    }

    #[test]
    fn only_the_two_kinds_are_understood() {
        for kind in RequestKind::ALL {
            assert_eq!(RequestKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(RequestKind::parse("delete-everything"), None);
        assert_eq!(RequestKind::parse(""), None);
    }

    #[test]
    fn a_note_is_trimmed_cleaned_and_limited() {
        assert_eq!(clean_note("  please\u{0007} erase\n  ").as_deref(), Ok("please erase"));
        assert!(clean_note(&"x".repeat(MAX_NOTE_CHARS)).is_ok());
        assert!(clean_note(&"x".repeat(MAX_NOTE_CHARS + 1)).is_err());
    }
}
