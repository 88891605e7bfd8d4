//! The JSON endpoint the browser uses to save answers as they are given
//! (the WASM enhancement, and integrations such as the load test). The
//! server confirms only after the answers are committed.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use super::model::{AnswerDto, SaveAck};
#[cfg(feature = "ssr")]
use crate::cookies::candidate_cookie;
use crate::AppError;

#[server(prefix = "/api", endpoint = "save_answers", input = Json)]
pub async fn save_answers(answers: Vec<AnswerDto>) -> Result<SaveAck, AppError> {
    let headers: http::HeaderMap = leptos_axum::extract().await.map_err(|e| AppError::BadRequest(e.to_string()))?;
    let secret = candidate_cookie(&headers);
    let result = crate::ports::services()?.save_answers(secret, answers).await;
    if let Err(e) = &result {
        e.set_response_status();
    }
    result
}
