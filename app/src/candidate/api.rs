//! The JSON endpoint the browser uses to save answers as they are given
//! (the WASM enhancement, and integrations such as the load test). The
//! server confirms only after the answers are committed.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

use crate::AppError;

/// One answer as the browser sends it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnswerDto {
    /// "instrument/item-id", as in the page's form field names.
    pub key: String,
    pub value: String,
    /// Time from showing the item to this answer, in ms.
    #[serde(default)]
    pub latency_ms: Option<i64>,
    /// Strictly increasing per session in the browser; the highest wins.
    pub seq: i64,
}

/// What the server confirms: every answer with `seq <= acked_seq` is stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SaveAck {
    pub acked_seq: i64,
    pub stored: u32,
}

#[server(prefix = "/api", endpoint = "save_answers", input = Json)]
pub async fn save_answers(answers: Vec<AnswerDto>) -> Result<SaveAck, AppError> {
    let headers: http::HeaderMap = leptos_axum::extract().await.map_err(|e| AppError::BadRequest(e.to_string()))?;
    let secret = super::pages::candidate_cookie(&headers);
    let result = crate::ports::services()?.save_answers(secret, answers).await;
    if let Err(e) = &result {
        e.set_response_status();
    }
    result
}
