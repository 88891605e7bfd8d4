//! The staff workspace: sign-in, the staff home and the admin's user
//! management and audit log. Pages are server-rendered HTML forms (they
//! work without JavaScript); the forms post to axum handlers in the server
//! (`server/src/http/staff.rs`), which redirect back (POST-redirect-GET).

pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod ports;
