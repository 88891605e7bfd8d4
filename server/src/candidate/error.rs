//! What can go wrong on the candidate's path, in the words the pages show.

use app::candidate::model::LinkProblem;

use crate::store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum CandidateError {
    #[error("link problem: {0:?}")]
    Link(LinkProblem),
    #[error("{0}")]
    BadAnswer(String),
    #[error("this assessment is already finished")]
    Finished,
    #[error("the time for this assessment is over")]
    TimeUp,
    #[error("please read the notice and choose whether to continue first")]
    NotStarted,
    /// Finishing needs more answers: the page to go back to (0: the
    /// adaptive question being asked).
    #[error("some answers are still needed before finishing (page {page})")]
    AnswersMissing { page: u32 },
    #[error("this assessment cannot be shown: {0}")]
    Misconfigured(String),
    /// No feedback report: the campaign offers none, or the assessment is not finished.
    #[error("no feedback report for this assessment")]
    NoFeedback,
    /// The optional group questions come after finishing.
    #[error("the optional questions come after finishing")]
    NotFinishedYet,
    /// A request the candidate sent that cannot be taken as it is (the words say why).
    #[error("{0}")]
    BadRequest(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// What a candidate is told about an error: the same words and status on
/// the form path (an HTML page) and the JSON path (the browser's queue).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Told {
    pub status: u16,
    pub title: &'static str,
    pub text: String,
    /// Set for our own failures: logged with the cause, quoted to the candidate.
    pub reference: Option<String>,
}

impl CandidateError {
    /// The one mapping of candidate errors to what the candidate reads.
    /// Internal causes are logged once here and never shown.
    pub fn told(self) -> Told {
        let told = |status: u16, title: &'static str, text: &str| Told { status, title, text: text.to_string(), reference: None };
        match self {
            CandidateError::Link(LinkProblem::Unknown) => told(404, "This link does not work", "We could not find your assessment. Please open the link from your invitation e-mail again."),
            CandidateError::Link(_) => told(410, "This link has expired", "The invitation is no longer valid. Please ask the organisation that invited you for a new link."),
            CandidateError::BadAnswer(message) => Told { status: 422, title: "That answer could not be saved", text: message, reference: None },
            CandidateError::BadRequest(message) => Told { status: 422, title: "Please check your request", text: message, reference: None },
            CandidateError::NoFeedback => told(404, "No feedback report", "A feedback report is available once you have finished, and only where the organisation offers one."),
            CandidateError::NotFinishedYet => told(404, "Not yet", "These optional questions are offered once you have finished the assessment."),
            CandidateError::Finished => told(409, "Already finished", "This assessment is finished, so answers can no longer be changed."),
            CandidateError::TimeUp => told(410, "The time is over", "The time for this assessment is over. The answers you gave before have been saved."),
            CandidateError::NotStarted => told(409, "Please read the notice first", "Please read the notice and choose whether to continue."),
            CandidateError::AnswersMissing { page: 0 } => told(422, "A few answers are still needed", "The assessment is still choosing questions for you. Please answer the question it is asking, and the ones after it, before you finish."),
            CandidateError::AnswersMissing { page } => Told {
                status: 422,
                title: "A few answers are still needed",
                text: format!("Some parts do not have enough answers yet to give a result. You may leave out a few questions (up to one in five in each part), but please answer the others, starting on page {page}, before you finish."),
                reference: None,
            },
            internal @ (CandidateError::Misconfigured(_) | CandidateError::Store(_)) => {
                let reference = crate::internal::logged_reference(internal);
                Told {
                    status: 500,
                    title: "Something went wrong on our side",
                    text: format!("Your answers so far are safe. Please try again in a moment. If it keeps happening, quote reference {reference}."),
                    reference: Some(reference),
                }
            }
        }
    }

    /// The same, for a server function: a link that no longer opens is "not
    /// found"; any other refusal is a bad request with the candidate's words;
    /// our own failures carry only their reference.
    pub fn into_app(self) -> app::AppError {
        let link = matches!(self, CandidateError::Link(_));
        let told = self.told();
        match told.reference {
            Some(reference) => app::AppError::Internal { reference },
            None if link => app::AppError::NotFound,
            None => app::AppError::BadRequest(told.text),
        }
    }
}
