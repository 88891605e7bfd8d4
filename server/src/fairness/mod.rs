//! Fairness checks from optional, self-reported group answers: which
//! questions an organisation asks and under which notice (administrators),
//! the candidate's answers after finishing (`collect`), and the
//! psychologist's comparison of groups (`report`, over
//! `assessments::fairness`). Group answers are stored by session, never
//! beside a name, and no figure stands for fewer than 5 people.

pub mod collect;
pub mod demo;
pub mod report;
pub mod variables;
