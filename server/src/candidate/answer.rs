//! How an answer's value is read against its item (a Likert value, or an
//! SJT option id). An answer has one shape on its way in, the wire's
//! [`AnswerDto`] (from the browser's queue, or built from a form field); the
//! store borrows it as an `AnswerInput` and gives it back as a `StoredAnswer`.

use assessments::{
    bank::Bank,
    responses::{RawAnswer, RawAnswerError},
};

use super::error::CandidateError;

pub use app::candidate::model::AnswerDto;

pub(super) fn parse_answer(bank: &Bank, item_id: &str, value: &str) -> Result<RawAnswer, CandidateError> {
    RawAnswer::parse(bank, item_id, value).map_err(|e| match e {
        RawAnswerError::UnknownItem => CandidateError::BadAnswer(format!("unknown question {item_id:?}")),
        RawAnswerError::NotANumber => CandidateError::BadAnswer(format!("the answer to {item_id} must be a number")),
    })
}

pub(super) fn plain_answer_error(detail: &str, item: &str) -> String {
    format!("The answer to question {item} is not one of its choices ({detail}).")
}
