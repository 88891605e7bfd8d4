//! The candidate's path: invitation link -> privacy notice -> pages of
//! items -> review -> finish (scored with provenance). Every page is derived
//! from what is stored, so reloads, other devices and server restarts resume
//! exactly where the candidate was.
//!
//! One file per step: [`access`] (link, cookie, context, start), [`plan`]
//! (pages and the adaptive engine's state), [`answer`] (the answer's one
//! shape), [`save`] (checking and storing answers, with the [`cache`] of
//! contexts and the adaptive [`runs`] they remember), [`views`] (what the
//! pages show) and [`finish`] (scoring and completing in one transaction).
//! Children name each other's items by their file, never through this one.

pub mod access;
pub mod answer;
pub mod cache;
pub mod error;
pub mod feedback;
pub mod finish;
pub mod plan;
pub mod runs;
pub mod save;
pub mod views;

pub use access::{acknowledge, battery, context, open_link, still_open, Context};
pub use answer::AnswerDto;
pub use error::CandidateError;
pub use finish::finish;
pub use plan::{plan, PagePlan};
pub use save::{save, save_for_access, view_for_access};
pub use views::view;
