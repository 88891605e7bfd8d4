//! The `vigil` server: command line, configuration, storage, HTTP.
//!
//! `main.rs` only parses the command line and turns a [`Error`] into one
//! line on standard error; everything else lives here so integration tests
//! can start the real server in-process (see `tests/common`).

pub mod analysis_export;
pub mod api;
pub mod audit_log;
pub mod auth;
pub mod backup;
pub mod battery;
pub mod calibration;
pub mod candidate;
pub mod catalog;
pub mod catalog_sync;
pub mod cleanup;
pub mod cli;
pub mod config;
pub mod demo;
pub mod error;
pub mod fairness;
pub mod http;
pub mod internal;
pub mod item_analysis;
pub mod jobs;
pub mod mail;
pub mod passwords;
pub mod periodic;
pub mod psychometrics;
pub mod recruit;
pub mod rights;
pub mod run;
pub mod scoring;
pub mod sealing;
pub mod secrets;
pub mod simulated;
pub mod service_error;
pub mod services;
pub mod sheets;
pub mod staff;
pub mod store;
pub mod technical_report;
pub mod telemetry;
pub mod time;
pub mod totp;
pub mod webhooks;
pub mod workforce;
pub mod workbench;

pub use error::Error;

/// Every program built on the server (`vigil`, its examples and its tests)
/// allocates with mimalloc rather than the C library's allocator: a request
/// makes many small short-lived allocations, and under the answer-save load
/// glibc's `malloc` and `free` were about an eighth of the server's CPU
/// (docs/architecture.md, "The allocator").
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Version of the privacy notice candidates acknowledge before item 1.
pub const NOTICE_VERSION: &str = "2026-11-23";

/// Version of this build, shown by `vigil --version` and `/healthz`.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
