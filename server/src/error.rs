//! The server's error type. Its `Display` is the one line an operator reads:
//! what went wrong and what to do about it.

use crate::store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Config(#[from] crate::config::ConfigError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("cannot listen on {addr}: {reason}. {hint}")]
    Listen { addr: String, reason: String, hint: &'static str },
    #[error("cannot read or write {path}: {reason}")]
    Io { path: String, reason: String },
    #[error("{0}")]
    Usage(String),
    #[error(transparent)]
    Psychometrics(#[from] assessments::commands::CommandError),
    #[error("the server stopped with an error: {0}")]
    Serve(String),
}
