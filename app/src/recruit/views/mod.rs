//! The recruiter pages' presentation: components that take data and render
//! plain HTML (no server calls, no JavaScript), so tests can render them
//! with a fixture. The route components in `pages.rs` load the data and put
//! these inside the staff frame.
//!
//! Rules every view here keeps (the and PSYCHOMETRICS.md sections 3
//! and 8): no score without its 90% band; the norm group named with its N,
//! dates and quality; demonstration norms flagged wherever they appear;
//! neutral colours, with every number also given as text; no words that
//! turn a score into a verdict; Vigil informs, the recruiter decides.
//!
//! One file per page ([`profile`], [`compare`], [`campaign`], [`outbox`]),
//! the parts reports share ([`report`]) and the query-string helpers
//! ([`query`]).

pub mod campaign;
pub mod compare;
pub mod outbox;
pub mod profile;
pub mod query;
pub mod report;

pub use campaign::*;
pub use compare::*;
pub use outbox::*;
pub use profile::*;
pub use query::*;
pub use report::*;
