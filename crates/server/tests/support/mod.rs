//! A scripted provider and helpers to call the router.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "test helpers fail loudly")]
#![allow(dead_code, reason = "each test binary uses a different subset")]

use axum::body::Body;
use axum::http::{Request, StatusCode};
use futures::StreamExt;
use rein_protocol::{ContentBlock, ModelRequest, ModelResponse, ProviderEvent, StopReason, Usage};
use rein_provider::{EventStream, Provider, ProviderError};
use rein_server::OpenAiServer;
use serde_json::{Value, json};
use std::collections::VecDeque;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tower::ServiceExt;

/// What one call of the provider does.
pub(crate) enum Script {
    /// Streams these items, in order.
    Events(Vec<Result<ProviderEvent, ProviderError>>),
    /// Fails before streaming.
    Fail(ProviderError),
}

/// A provider that plays scripts in order, records requests and counts calls in flight.
#[derive(Debug, Default)]
pub(crate) struct ScriptedProvider {
    scripts: Mutex<VecDeque<Script>>,
    requests: Mutex<Vec<ModelRequest>>,
    active: Arc<AtomicUsize>,
    max_active: Arc<AtomicUsize>,
    /// Pause before each streamed item, to make overlap observable.
    delay: Duration,
}

impl std::fmt::Debug for Script {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Script")
    }
}

impl ScriptedProvider {
    pub(crate) fn new(scripts: Vec<Script>) -> Arc<Self> {
        Self::with_delay(scripts, Duration::ZERO)
    }

    pub(crate) fn with_delay(scripts: Vec<Script>, delay: Duration) -> Arc<Self> {
        Arc::new(Self { scripts: Mutex::new(scripts.into()), delay, ..Self::default() })
    }

    pub(crate) fn requests(&self) -> Vec<ModelRequest> {
        self.requests.lock().unwrap().clone()
    }

    pub(crate) fn max_active(&self) -> usize {
        self.max_active.load(Ordering::SeqCst)
    }
}

/// Decrements the in-flight count when the stream is dropped.
struct InFlight(Arc<AtomicUsize>);

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

#[async_trait::async_trait]
impl Provider for ScriptedProvider {
    fn name(&self) -> &str {
        "scripted"
    }

    async fn stream(&self, request: &ModelRequest) -> Result<EventStream, ProviderError> {
        self.requests.lock().unwrap().push(request.clone());
        let now = self.active.fetch_add(1, Ordering::SeqCst) + 1;
        self.max_active.fetch_max(now, Ordering::SeqCst);
        let guard = InFlight(Arc::clone(&self.active));
        let script = self.scripts.lock().unwrap().pop_front().expect("no script left");
        let items = match script {
            Script::Fail(error) => return Err(error),
            Script::Events(items) => items,
        };
        let delay = self.delay;
        let stream = futures::stream::iter(items).then(move |item| async move {
            tokio::time::sleep(delay).await;
            item
        });
        // The guard lives as long as the stream.
        let stream = stream.map(move |item| {
            let _ = &guard;
            item
        });
        Ok(Box::pin(stream))
    }
}

pub(crate) fn usage(input: u64, output: u64) -> Usage {
    Usage { input_tokens: input, output_tokens: output, ..Usage::default() }
}

pub(crate) fn completed(
    content: Vec<ContentBlock>,
    stop_reason: StopReason,
    usage: Usage,
) -> ProviderEvent {
    ProviderEvent::Completed {
        response: ModelResponse { content, stop_reason, usage, model: "scripted".into() },
    }
}

/// A text answer streamed in two pieces.
pub(crate) fn text_answer(first: &str, second: &str) -> Script {
    Script::Events(vec![
        Ok(ProviderEvent::TextDelta { text: first.into() }),
        Ok(ProviderEvent::TextDelta { text: second.into() }),
        Ok(completed(
            vec![ContentBlock::text(format!("{first}{second}"))],
            StopReason::EndTurn,
            usage(12, 3),
        )),
    ])
}

/// Text, then two tool calls.
pub(crate) fn tool_answer() -> Script {
    Script::Events(vec![
        Ok(ProviderEvent::TextDelta { text: "Let me look.".into() }),
        Ok(ProviderEvent::ToolUseStarted { id: "call_a".into(), name: "read_file".into() }),
        Ok(ProviderEvent::ToolUseStarted { id: "call_b".into(), name: "list_dir".into() }),
        Ok(completed(
            vec![
                ContentBlock::text("Let me look."),
                ContentBlock::ToolUse {
                    id: "call_a".into(),
                    name: "read_file".into(),
                    input: json!({"path": "src/main.rs", "limit": 20}),
                },
                ContentBlock::ToolUse {
                    id: "call_b".into(),
                    name: "list_dir".into(),
                    input: json!({}),
                },
            ],
            StopReason::ToolUse,
            usage(40, 9),
        )),
    ])
}

pub(crate) fn server(provider: Arc<ScriptedProvider>) -> OpenAiServer {
    OpenAiServer::new(provider, "local-model".into())
}

/// Sends one request through the router; returns the status and the body text.
pub(crate) async fn call(
    server: &OpenAiServer,
    method: &str,
    path: &str,
    body: Option<Value>,
    token: Option<&str>,
) -> (StatusCode, String) {
    let mut builder = Request::builder().method(method).uri(path);
    if let Some(token) = token {
        builder = builder.header("authorization", format!("Bearer {token}"));
    }
    let body = match body {
        Some(value) => {
            builder = builder.header("content-type", "application/json");
            Body::from(value.to_string())
        }
        None => Body::empty(),
    };
    let response = server.router().oneshot(builder.body(body).unwrap()).await.unwrap();
    let status = response.status();
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap();
    (status, String::from_utf8(bytes.to_vec()).unwrap())
}

pub(crate) async fn post_chat(server: &OpenAiServer, body: Value) -> (StatusCode, String) {
    call(server, "POST", "/v1/chat/completions", Some(body), None).await
}

/// The `data:` payloads of an SSE body, in order.
pub(crate) fn sse_data(body: &str) -> Vec<String> {
    body.split("\n\n")
        .filter(|frame| !frame.trim().is_empty())
        .map(|frame| frame.strip_prefix("data: ").unwrap().to_string())
        .collect()
}

/// The chunks of an SSE body, asserting it ends with `[DONE]`.
pub(crate) fn chunks(body: &str) -> Vec<Value> {
    let mut data = sse_data(body);
    assert_eq!(data.pop().as_deref(), Some("[DONE]"), "{body}");
    data.iter().map(|d| serde_json::from_str(d).unwrap()).collect()
}

/// The `delta` of a chunk's only choice.
pub(crate) fn delta(chunk: &Value) -> &Value {
    &chunk["choices"][0]["delta"]
}
