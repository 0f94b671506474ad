//! The server on a real loopback socket: requests take turns, and rein's own OpenAI client
//! talks to it without losing anything.

#![allow(clippy::unwrap_used, reason = "tests")]

mod support;

use futures::StreamExt;
use pretty_assertions::assert_eq;
use rein_protocol::{
    ContentBlock, Message, ModelRequest, ProviderEvent, Role, StopReason, SystemBlock, ToolSpec,
};
use rein_provider::{OpenAiProvider, Provider, http_client};
use serde_json::{Value, json};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use support::{ScriptedProvider, server, text_answer, tool_answer};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// A running server and the means to stop it.
struct Running {
    addr: SocketAddr,
    stop: oneshot::Sender<()>,
    task: JoinHandle<std::io::Result<()>>,
}

impl Running {
    async fn start(provider: Arc<ScriptedProvider>) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(server(provider).serve_on(listener, async {
            let _ = stopped.await;
        }));
        Self { addr, stop, task }
    }

    async fn shut_down(self) {
        self.stop.send(()).unwrap();
        tokio::time::timeout(Duration::from_secs(10), self.task).await.unwrap().unwrap().unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_requests_are_served_one_at_a_time() {
    let scripts = (0..4).map(|_| text_answer("one ", "answer")).collect();
    let provider = ScriptedProvider::with_delay(scripts, Duration::from_millis(40));
    let running = Running::start(provider.clone()).await;
    let client = reqwest::Client::new();
    let url = format!("http://{}/v1/chat/completions", running.addr);

    let requests = (0..4).map(|i| {
        let (client, url) = (client.clone(), url.clone());
        tokio::spawn(async move {
            let body = json!({
                "messages": [{"role": "user", "content": format!("question {i}")}],
                "stream": i % 2 == 0,
            });
            let response = client.post(url).json(&body).send().await.unwrap();
            assert_eq!(response.status(), 200);
            response.text().await.unwrap()
        })
    });
    let bodies = futures::future::join_all(requests).await;
    for body in bodies {
        assert!(body.unwrap().contains("answer"));
    }
    assert_eq!(provider.requests().len(), 4);
    assert_eq!(provider.max_active(), 1, "the model was used by two requests at once");
    running.shut_down().await;
}

fn rein_request() -> ModelRequest {
    ModelRequest {
        model: "local-model".into(),
        system: vec![SystemBlock { text: "You are a coding agent.".into(), cache: false }],
        messages: vec![
            Message::user_text("Show me main.rs"),
            Message {
                role: Role::Assistant,
                content: vec![
                    ContentBlock::text("Listing first."),
                    ContentBlock::ToolUse {
                        id: "call_0".into(),
                        name: "list_dir".into(),
                        input: json!({"path": "src"}),
                    },
                ],
            },
            Message {
                role: Role::User,
                content: vec![ContentBlock::ToolResult {
                    tool_use_id: "call_0".into(),
                    content: "main.rs\nlib.rs".into(),
                    is_error: false,
                }],
            },
        ],
        tools: vec![
            ToolSpec {
                name: "list_dir".into(),
                description: "List a folder".into(),
                input_schema: json!({"type": "object", "properties": {"path": {"type": "string"}}}),
            },
            ToolSpec {
                name: "read_file".into(),
                description: "Read a file".into(),
                input_schema: json!({"type": "object", "properties": {
                    "path": {"type": "string"}, "limit": {"type": "integer"}}}),
            },
        ],
        max_tokens: 256,
        temperature: Some(0.0),
        thinking_budget: None,
        cache_last_message: false,
    }
}

#[tokio::test]
async fn rein_openai_client_round_trips_a_tool_call() {
    let provider = ScriptedProvider::new(vec![tool_answer()]);
    let running = Running::start(provider.clone()).await;
    let client = OpenAiProvider::new(
        Some("unused".into()),
        format!("http://{}/v1", running.addr),
        http_client().unwrap(),
    );
    let request = rein_request();

    let mut events = client.stream(&request).await.unwrap();
    let mut seen = Vec::new();
    while let Some(event) = events.next().await {
        seen.push(event.unwrap());
    }

    // What the wrapped provider received equals what the client sent.
    let received = provider.requests();
    assert_eq!(received, vec![request]);

    // What the client assembled equals what the wrapped provider answered.
    let Some(ProviderEvent::Completed { response }) = seen.last() else {
        unreachable!("the stream must end with Completed: {seen:?}")
    };
    assert_eq!(
        response.content,
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
                input: json!({})
            },
        ]
    );
    assert_eq!(response.stop_reason, StopReason::ToolUse);
    assert_eq!(response.usage, support::usage(40, 9));
    assert_eq!(response.model, "local-model");
    let started: Vec<&ProviderEvent> =
        seen.iter().filter(|e| matches!(e, ProviderEvent::ToolUseStarted { .. })).collect();
    assert_eq!(
        started,
        vec![
            &ProviderEvent::ToolUseStarted { id: "call_a".into(), name: "read_file".into() },
            &ProviderEvent::ToolUseStarted { id: "call_b".into(), name: "list_dir".into() },
        ]
    );
    running.shut_down().await;
}

#[tokio::test]
async fn rein_openai_client_sees_a_token_error_as_auth() {
    let provider = ScriptedProvider::new(vec![text_answer("a", "b")]);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = oneshot::channel::<()>();
    let task =
        tokio::spawn(server(provider).with_token("right".into()).serve_on(listener, async {
            let _ = stopped.await;
        }));
    let base = format!("http://{addr}/v1");

    let wrong = OpenAiProvider::new(Some("wrong".into()), base.clone(), http_client().unwrap());
    let error = wrong.stream(&rein_request()).await.err().unwrap();
    assert_eq!(error.kind(), "auth", "{error}");

    let right = OpenAiProvider::new(Some("right".into()), base, http_client().unwrap());
    let mut events = right.stream(&rein_request()).await.unwrap();
    let mut last: Option<Value> = None;
    while let Some(event) = events.next().await {
        last = Some(serde_json::to_value(event.unwrap()).unwrap());
    }
    assert_eq!(last.unwrap()["response"]["content"][0]["text"], "ab");

    stop.send(()).unwrap();
    task.await.unwrap().unwrap();
}
