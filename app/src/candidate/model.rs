//! What a candidate's browser receives: only the text of the current page.
//! No scoring keys, reverse-key flags, option scores, IRT parameters or
//! norms ever travel in these types.

use serde::{Deserialize, Serialize};

/// The page a candidate sees at `/assessment`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum CandidateView {
    /// The privacy notice, before any item.
    Notice(NoticeView),
    /// A page of items.
    Items(ItemsPage),
    /// Every page done: check and finish.
    Review(ReviewPage),
    /// Finished (or the time limit ended the session).
    Completed(CompletedView),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NoticeView {
    pub lang: String,
    pub organisation: String,
    pub campaign: String,
    pub notice_version: String,
    /// The instruments (sections), in order.
    pub instruments: Vec<String>,
    pub length: NoticeLength,
    pub time_limit_minutes: Option<u32>,
}

/// How much there is to answer, at least and at most (the same unless the
/// campaign runs adaptively).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeLength {
    pub questions: [u32; 2],
    pub minutes: [u32; 2],
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemsPage {
    pub lang: String,
    /// 1-based page number and number of pages (0: a question chosen by the adaptive engine).
    pub page: u32,
    pub pages: u32,
    pub instrument_title: String,
    /// Which section (instrument) of how many this page belongs to, 1-based.
    pub section: [u32; 2],
    /// Shown on the first page of each instrument.
    pub instructions: Option<String>,
    pub answered: u32,
    pub total: u32,
    /// In adaptive mode the total is the most questions there can still be.
    pub total_is_upper_bound: bool,
    pub items: Vec<ItemView>,
    /// Unix ms at which the server stops taking answers, if there is a time limit.
    pub deadline_ms: Option<i64>,
    /// Sequence number the next answer from this page should carry.
    pub next_seq: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemView {
    /// Opaque reference "instrument/item-id" used as the form field name.
    pub key: String,
    /// Position in the whole battery, for "Question 12 of 109".
    pub number: u32,
    pub text: String,
    pub options: Vec<OptionView>,
    /// The value of the answer already given, if any.
    pub answer: Option<String>,
    /// Scenario-type item (options are actions, not agreement levels).
    pub scenario: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OptionView {
    pub value: String,
    pub label: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReviewPage {
    pub lang: String,
    pub answered: u32,
    pub total: u32,
    /// Pages that still have unanswered items (1-based).
    pub incomplete_pages: Vec<u32>,
    pub pages: u32,
    pub deadline_ms: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CompletedView {
    pub lang: String,
    pub organisation: String,
    /// A short, strengths-first summary, when the campaign offers feedback.
    pub feedback: Vec<String>,
    pub timed_out: bool,
    /// The organisation asks optional group questions (for its fairness checks).
    #[serde(default)]
    pub group_questions: bool,
}

/// Why a candidate link or page cannot be shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum LinkProblem {
    /// Unknown token, or no candidate cookie.
    Unknown,
    Expired,
    Revoked,
}

/// One answer as the browser sends it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnswerDto {
    /// "instrument/item-id", as in the page's form field names.
    pub key: String,
    pub value: String,
    /// Time from showing the item to this answer, in ms.
    #[serde(default)]
    pub latency_ms: Option<i64>,
    /// Strictly increasing per session in the browser; the highest wins.
    pub seq: i64,
}

/// What the server confirms: every answer with `seq <= acked_seq` is stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SaveAck {
    pub acked_seq: i64,
    pub stored: u32,
    /// After an answer to an adaptive question: the question the engine
    /// asks next (`instrument/item`), none when that instrument's adaptive
    /// run has ended (the page then says what comes next).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
}
