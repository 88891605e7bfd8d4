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
    #[error("This is not available for your role.")]
    Forbidden,
    #[error("Too many attempts. Please wait a moment and try again.")]
    RateLimited,
    #[error("Something went wrong on our side. If it keeps happening, quote reference {reference}.")]
    Internal { reference: String },
    #[error("The connection to Vigil failed: {0}")]
    Transport(String),
}

impl AppError {
    /// The HTTP status that goes with this error.
    pub fn status(&self) -> u16 {
        match self {
            AppError::NotFound => 404,
            AppError::Unauthenticated => 401,
            AppError::BadRequest(_) => 400,
            AppError::Forbidden => 403,
            AppError::RateLimited => 429,
            AppError::Internal { .. } | AppError::Transport(_) => 500,
        }
    }

    /// Sets the status of the current server response to match this error.
    #[cfg(feature = "ssr")]
    pub fn set_response_status(&self) {
        if let (Some(res), Ok(status)) = (leptos::prelude::use_context::<leptos_axum::ResponseOptions>(), http::StatusCode::from_u16(self.status())) {
            res.set_status(status);
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    /// On the server, arguments that cannot be read (garbage, a missing
    /// field, the wrong shape) are the caller's mistake: 400 with a clear
    /// message, never a 500. Anything else, and on the client, a transport
    /// problem.
    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        #[cfg(feature = "ssr")]
        if let ServerFnErrorErr::Args(e) | ServerFnErrorErr::MissingArg(e) | ServerFnErrorErr::Deserialization(e) = &value {
            let error = AppError::BadRequest(format!("The request could not be read: {}", e.chars().take(200).collect::<String>()));
            error.set_response_status();
            return error;
        }
        AppError::Transport(value.to_string())
    }
}
