//! Routes and the request handler: record, take the next reply (or the summary reply), render
//! it.

use crate::answer::{self, Failure, Format, Outcome};
use crate::prompt::Prompt;
use crate::record::RecordedRequest;
use crate::response::Rendered;
use crate::state::State;
use crate::turn::Turn;
use crate::usage::{self, TokenUsage};
use crate::{anthropic, openai};
use axum::Router;
use axum::extract::{DefaultBodyLimit, State as Shared};
use axum::http::{HeaderMap, Uri};
use axum::response::Response;
use axum::routing::post;
use bytes::Bytes;
use serde_json::Value;
use std::sync::Arc;
use std::time::Duration;

/// The server's routes. OpenAI paths are also served without the `/v1` prefix for clients
/// configured with a bare host as base URL.
pub(crate) fn router(state: Arc<State>) -> Router {
    Router::new()
        .route("/v1/messages", post(anthropic_messages))
        .route("/v1/chat/completions", post(openai_chat_completions))
        .route("/chat/completions", post(openai_chat_completions))
        // Agent conversations grow past the default 2 MB limit in long benchmarks.
        .layer(DefaultBodyLimit::disable())
        .with_state(state)
}

async fn anthropic_messages(
    Shared(state): Shared<Arc<State>>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    handle(state, Format::Anthropic, &uri, &headers, body).await
}

async fn openai_chat_completions(
    Shared(state): Shared<Arc<State>>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    handle(state, Format::OpenAi, &uri, &headers, body).await
}

async fn handle(
    state: Arc<State>,
    format: Format,
    uri: &Uri,
    headers: &HeaderMap,
    body: Bytes,
) -> Response {
    let _in_flight = state.begin();
    let seq = state.ids.next_message();
    let mut recorded = RecordedRequest {
        path: uri.path().to_owned(),
        headers: headers
            .iter()
            .map(|(name, value)| {
                (name.as_str().to_owned(), String::from_utf8_lossy(value.as_bytes()).into_owned())
            })
            .collect(),
        body: Value::Null,
    };
    let request = match serde_json::from_slice::<Value>(&body) {
        Ok(request) => request,
        // A client bug, not a model turn: answer without consuming a reply.
        Err(error) => {
            let failure = Failure {
                status: 400,
                error_type: None,
                message: format!("fake model server: request body is not JSON: {error}"),
                retry_after_secs: None,
            };
            let text = Value::String(String::from_utf8_lossy(&body).into_owned());
            return refuse(&state, format, recorded, text, seq, failure);
        }
    };
    let prompt = Prompt::new(format, &request);
    if let Some(cache) = &state.cache
        && let Err(failure) = cache.validate(&prompt)
    {
        return refuse(&state, format, recorded, request, seq, failure);
    }
    let (delay, outcome) = match state.reply_for(&request) {
        Some(reply) => answer::resolve(reply, format, &state.ids, seq),
        None => (Duration::ZERO, Outcome::Failure(Failure::exhausted())),
    };
    let usage = match &outcome {
        Outcome::Answer(answer) => {
            usage::compute(&prompt, answer, &state.usage, state.cache.as_ref(), state.clock.now())
        }
        Outcome::Failure(_) => TokenUsage::default(),
    };
    let turn = Turn::new(&request, seq, usage);
    // Recorded before any delay so a test can observe a request that is still waiting; the
    // body moves rather than being cloned because agent requests can be megabytes.
    recorded.body = request;
    state.record(recorded);
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
    render(format, &outcome, &turn)
}

/// Records `body` and answers with `failure` without taking a reply off the script.
fn refuse(
    state: &State,
    format: Format,
    mut recorded: RecordedRequest,
    body: Value,
    seq: u64,
    failure: Failure,
) -> Response {
    let turn = Turn::new(&body, seq, TokenUsage::default());
    recorded.body = body;
    state.record(recorded);
    render(format, &Outcome::Failure(failure), &turn)
}

fn render(format: Format, outcome: &Outcome, turn: &Turn) -> Response {
    let rendered: Rendered = match format {
        Format::Anthropic => anthropic::render(outcome, turn),
        Format::OpenAi => openai::render(outcome, turn),
    };
    rendered.into_response()
}
