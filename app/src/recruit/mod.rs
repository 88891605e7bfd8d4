//! The recruiter workspace: campaigns, invitations, the candidate list,
//! profiles, comparison, decisions and exports. Pages are server-rendered
//! HTML (they work without JavaScript); forms post to axum handlers in the
//! server (`server/src/http/recruit.rs`) which redirect back.
//!
//! Who may do what lives in one place, `StaffRole::may_recruit`.
//!
//! - `model`: what the pages show (shared with the server);
//! - `ports` (ssr): the services the server functions call;
//! - `chart`: the T-score chart, geometry and SVG;
//! - `views`: the pages' presentation, components that take data;
//! - `pages`: server functions and route components.

pub mod chart;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod ports;
pub mod views;
