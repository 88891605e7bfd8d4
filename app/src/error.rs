//! The error a browser may see. It carries no SQL, no file paths and no
//! internals: server-side causes are logged once, with a reference the user
//! can quote, and only that reference travels.

use leptos::server_fn::{
    codec::JsonEncoding,
    error::{FromServerFnError, ServerFnErrorErr},
};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("We could not find that page or record.")]
    NotFound,
    #[error("Please sign in to continue.")]
    Unauthenticated,
    #[error("{0}")]
    BadRequest(String),
    #[error("Too many attempts. Please wait a moment and try again.")]
    RateLimited,
    #[error("Something went wrong on our side. If it keeps happening, quote reference {reference}.")]
    Internal { reference: String },
    #[error("The connection to Vigil failed: {0}")]
    Transport(String),
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        AppError::Transport(value.to_string())
    }
}
