//! The recruiter workspace: campaigns, invitations, the candidate list,
//! profiles, comparison, decisions and exports. Pages are server-rendered
//! HTML (they work without JavaScript); forms post to axum handlers in the
//! server (`server/src/http/recruit.rs`) which redirect back.
//!
//! Who may do what lives in one place, `StaffRole::may_recruit`.

pub mod model;
#[cfg(feature = "ssr")]
pub mod ports;
