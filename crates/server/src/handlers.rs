//! The HTTP routes.

use crate::chunks::ChunkWriter;
use crate::error::{ApiError, INCOMPLETE};
use crate::request::ChatRequest;
use crate::response;
use crate::state::AppState;
use crate::stream_body::sse_response;
use crate::translate::to_model_request;
use axum::Json;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use futures::StreamExt;
use rein_protocol::ProviderEvent;
use serde_json::{Value, json};
use std::sync::Arc;

type Shared = State<Arc<AppState>>;

/// `GET /health`: whether the server is up, and what it serves.
pub(crate) async fn health(State(state): Shared) -> Json<Value> {
    Json(json!({"status": "ok", "model": state.model}))
}

/// `GET /v1/models`: the one model.
pub(crate) async fn models(State(state): Shared) -> Json<Value> {
    Json(json!({"object": "list", "data": [model_object(&state.model)]}))
}

/// `GET /v1/models/{id}`.
pub(crate) async fn model(State(state): Shared, Path(id): Path<String>) -> Response {
    if id == state.model {
        Json(model_object(&state.model)).into_response()
    } else {
        ApiError::not_found(format!("no model `{id}`; this server has `{}`", state.model))
            .into_response()
    }
}

fn model_object(name: &str) -> Value {
    json!({"id": name, "object": "model", "created": 0, "owned_by": "rein"})
}

/// Anything else.
pub(crate) async fn not_found() -> ApiError {
    ApiError::not_found("no such route")
}

/// `POST /v1/chat/completions`. The body is parsed here rather than by an extractor so that
/// every malformed request gets an OpenAI-shaped 400.
pub(crate) async fn chat_completions(State(state): Shared, body: Bytes) -> Response {
    match chat(state, &body).await {
        Ok(response) => response,
        Err(error) => error.into_response(),
    }
}

async fn chat(state: Arc<AppState>, body: &[u8]) -> Result<Response, ApiError> {
    let request: ChatRequest = serde_json::from_slice(body).map_err(|e| {
        ApiError::invalid(format!("the request body is not a valid chat completion request: {e}"))
    })?;
    let streams = request.streams();
    let include_usage = request.include_usage();
    let model_request = to_model_request(request, &state.model)?;
    let meta = state.completion_id();

    let permit = Arc::clone(&state.gate).lock_owned().await;
    tracing::debug!(id = %meta.id, streams, messages = model_request.messages.len(), "chat completion");
    let mut events = state.provider.stream(&model_request).await.map_err(|e| {
        tracing::warn!(error = %e, "model call failed");
        ApiError::from_provider(&e)
    })?;
    if streams {
        return Ok(sse_response(events, ChunkWriter::new(meta, include_usage), permit));
    }
    while let Some(event) = events.next().await {
        match event {
            Ok(ProviderEvent::Completed { response }) => {
                drop(permit);
                return Ok(Json(response::completion(&meta, &response)).into_response());
            }
            Ok(_) => {}
            Err(e) => {
                tracing::warn!(error = %e, "model failed during an answer");
                return Err(ApiError::from_provider(&e));
            }
        }
    }
    Err(ApiError::server(INCOMPLETE))
}
