//! Every reply kind over the Anthropic Messages format, streamed and not.

#![allow(clippy::unwrap_used, reason = "test helpers fail loudly by design")]

mod common;

use common::{block_deltas, names, post};
use pretty_assertions::assert_eq;
use rein_testkit::{FakeModelServer, Reply, Script, ToolCall};
use serde_json::{Value, json};
use std::time::{Duration, Instant};

fn request(stream: bool) -> Value {
    json!({
        "model": "claude-test-1",
        "max_tokens": 1024,
        "stream": stream,
        "system": [{"type": "text", "text": "You are terse."}],
        "messages": [{"role": "user", "content": "hi"}],
    })
}

async fn serve(replies: Vec<Reply>) -> (FakeModelServer, String) {
    let server = FakeModelServer::start(Script::new(replies)).await.unwrap();
    let url = format!("{}/v1/messages", server.url());
    (server, url)
}

#[tokio::test]
async fn streams_text_as_several_deltas() {
    let (server, url) = serve(vec![Reply::text("Hello there, world")]).await;
    let received = post(&url, &request(true)).await;
    assert_eq!(received.status, 200);
    assert!(received.header("content-type").unwrap().starts_with("text/event-stream"));
    assert!(!received.body_error);
    let events = received.events();
    assert_eq!(
        names(&events),
        [
            "message_start",
            "ping",
            "content_block_start",
            "content_block_delta",
            "content_block_delta",
            "content_block_delta",
            "content_block_stop",
            "message_delta",
            "message_stop",
        ]
    );
    for event in &events {
        assert_eq!(event.json()["type"], event.event.as_deref().unwrap());
    }
    let start = events[0].json();
    assert_eq!(start["message"]["model"], "claude-test-1");
    assert_eq!(start["message"]["role"], "assistant");
    assert_eq!(start["message"]["content"], json!([]));
    let usage = &start["message"]["usage"];
    assert!(usage["input_tokens"].as_u64().unwrap() > 0);
    assert_eq!(usage["output_tokens"], 1);
    assert_eq!(usage["cache_creation_input_tokens"], 0);
    assert_eq!(usage["cache_read_input_tokens"], 0);
    assert_eq!(events[2].json()["content_block"], json!({"type": "text", "text": ""}));
    assert_eq!(block_deltas(&events, 0, "text"), ("Hello there, world".to_owned(), 3));
    let delta = events[7].json();
    assert_eq!(delta["delta"], json!({"stop_reason": "end_turn", "stop_sequence": null}));
    assert_eq!(delta["usage"]["output_tokens"], 5);
    assert_eq!(server.remaining(), 0);
}

#[tokio::test]
async fn streams_tool_calls_after_preface_text() {
    let (_server, url) = serve(vec![Reply::ToolCalls {
        text: Some("Let me look.".to_owned()),
        calls: vec![
            ToolCall::new("read_file", json!({"path": "src/main.rs", "limit": 40})),
            ToolCall::new("bash", json!({"command": "ls -la"})).with_id("toolu_given"),
            ToolCall::new("grep", json!({"pattern": "fn main"})),
        ],
    }])
    .await;
    let events = post(&url, &request(true)).await.events();
    let mut expected = vec!["message_start", "ping", "content_block_start"];
    expected.extend(["content_block_delta"; 3]);
    expected.push("content_block_stop");
    for _ in 0..3 {
        expected.push("content_block_start");
        // An empty first fragment, then three pieces.
        expected.extend(["content_block_delta"; 4]);
        expected.push("content_block_stop");
    }
    expected.extend(["message_delta", "message_stop"]);
    assert_eq!(names(&events), expected);

    assert_eq!(block_deltas(&events, 0, "text").0, "Let me look.");
    let starts: Vec<Value> = events
        .iter()
        .filter(|e| e.event.as_deref() == Some("content_block_start"))
        .map(|e| e.json()["content_block"].clone())
        .collect();
    assert_eq!(
        starts[1..],
        [
            json!({"type": "tool_use", "id": "toolu_fake_1", "name": "read_file", "input": {}}),
            json!({"type": "tool_use", "id": "toolu_given", "name": "bash", "input": {}}),
            json!({"type": "tool_use", "id": "toolu_fake_2", "name": "grep", "input": {}}),
        ]
    );
    let inputs = [
        json!({"path": "src/main.rs", "limit": 40}),
        json!({"command": "ls -la"}),
        json!({"pattern": "fn main"}),
    ];
    for (index, input) in (1..).zip(inputs) {
        let (json_text, fragments) = block_deltas(&events, index, "partial_json");
        assert_eq!(fragments, 4);
        assert_eq!(serde_json::from_str::<Value>(&json_text).unwrap(), input);
    }
    let delta = events[events.len() - 2].json();
    assert_eq!(delta["delta"]["stop_reason"], "tool_use");
}

#[tokio::test]
async fn streams_thinking_then_text() {
    let (_server, url) = serve(vec![Reply::Thinking {
        thinking: "The user greets me.".to_owned(),
        text: "Hi!".to_owned(),
    }])
    .await;
    let events = post(&url, &request(true)).await.events();
    assert_eq!(
        names(&events),
        [
            "message_start",
            "ping",
            "content_block_start",
            "content_block_delta",
            "content_block_delta",
            "content_block_delta",
            "content_block_delta",
            "content_block_stop",
            "content_block_start",
            "content_block_delta",
            "content_block_delta",
            "content_block_delta",
            "content_block_stop",
            "message_delta",
            "message_stop",
        ]
    );
    assert_eq!(events[2].json()["content_block"], json!({"type": "thinking", "thinking": ""}));
    assert_eq!(block_deltas(&events, 0, "thinking"), ("The user greets me.".to_owned(), 3));
    let signature = events[6].json();
    assert_eq!(signature["delta"]["type"], "signature_delta");
    assert!(signature["delta"]["signature"].as_str().is_some_and(|s| !s.is_empty()));
    assert_eq!(block_deltas(&events, 1, "text").0, "Hi!");
}

#[tokio::test]
async fn streams_max_tokens_stop_reason() {
    let (_server, url) =
        serve(vec![Reply::MaxTokens { text: "The answer is cut".to_owned() }]).await;
    let events = post(&url, &request(true)).await.events();
    assert_eq!(names(&events).last(), Some(&"message_stop"));
    assert_eq!(block_deltas(&events, 0, "text").0, "The answer is cut");
    assert_eq!(events[events.len() - 2].json()["delta"]["stop_reason"], "max_tokens");
}

#[tokio::test]
async fn error_reply_uses_status_error_body_and_retry_after() {
    let (_server, url) = serve(vec![
        Reply::Error {
            status: 429,
            error_type: None,
            message: "slow down".to_owned(),
            retry_after_secs: Some(7),
        },
        Reply::error(529, "busy"),
        Reply::Error {
            status: 400,
            error_type: Some("custom_error".to_owned()),
            message: "nope".to_owned(),
            retry_after_secs: None,
        },
    ])
    .await;
    let received = post(&url, &request(true)).await;
    assert_eq!(received.status, 429);
    assert_eq!(received.header("retry-after"), Some("7"));
    assert_eq!(
        received.json(),
        json!({"type": "error", "error": {"type": "rate_limit_error", "message": "slow down"}})
    );
    let received = post(&url, &request(false)).await;
    assert_eq!(received.status, 529);
    assert_eq!(received.header("retry-after"), None);
    assert_eq!(received.json()["error"]["type"], "overloaded_error");
    let received = post(&url, &request(true)).await;
    assert_eq!(received.status, 400);
    assert_eq!(received.json()["error"], json!({"type": "custom_error", "message": "nope"}));
}

#[tokio::test]
async fn overload_mid_stream_ends_with_error_event() {
    let (_server, url) =
        serve(vec![Reply::OverloadedMidStream { text: "Partial answer".to_owned() }]).await;
    let received = post(&url, &request(true)).await;
    assert_eq!(received.status, 200);
    assert!(!received.body_error);
    let events = received.events();
    assert_eq!(
        names(&events),
        [
            "message_start",
            "ping",
            "content_block_start",
            "content_block_delta",
            "content_block_delta",
            "content_block_delta",
            "error",
        ]
    );
    assert_eq!(block_deltas(&events, 0, "text").0, "Partial answer");
    assert_eq!(
        events[6].json(),
        json!({"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}})
    );
}

#[tokio::test]
async fn cut_stream_drops_the_connection_mid_message() {
    let (server, url) = serve(vec![Reply::CutStream { text: "Half of it".to_owned() }]).await;
    let received = post(&url, &request(true)).await;
    assert_eq!(received.status, 200);
    assert!(received.body_error, "the client must see the body fail");
    let events = received.events();
    assert_eq!(
        names(&events),
        [
            "message_start",
            "ping",
            "content_block_start",
            "content_block_delta",
            "content_block_delta",
            "content_block_delta",
        ]
    );
    assert_eq!(block_deltas(&events, 0, "text").0, "Half of it");
    // The server keeps working after a cut.
    drop(server);
}

#[tokio::test]
async fn raw_tool_input_is_sent_verbatim() {
    let raw = r#"{"path": "a.txt", "content": "unterminated"#;
    let (_server, url) = serve(vec![
        Reply::RawToolInput { name: "write_file".to_owned(), raw_arguments: raw.to_owned() },
        Reply::RawToolInput { name: "write_file".to_owned(), raw_arguments: raw.to_owned() },
    ])
    .await;
    let events = post(&url, &request(true)).await.events();
    assert_eq!(events[2].json()["content_block"]["name"], "write_file");
    assert_eq!(block_deltas(&events, 0, "partial_json").0, raw);
    assert_eq!(events[events.len() - 2].json()["delta"]["stop_reason"], "tool_use");

    // Without a stream the unparseable input can only travel as a JSON string.
    let message = post(&url, &request(false)).await.json();
    assert_eq!(message["content"][0]["input"], raw);
    assert_eq!(message["content"][0]["id"], "toolu_fake_2");
}

#[tokio::test]
async fn delay_waits_before_answering() {
    let (server, url) = serve(vec![Reply::text("late").delayed(150)]).await;
    let started = Instant::now();
    let events = post(&url, &request(true)).await.events();
    assert!(started.elapsed() >= Duration::from_millis(150));
    assert_eq!(block_deltas(&events, 0, "text").0, "late");
    assert_eq!(server.remaining(), 0);
}

#[tokio::test]
async fn non_streaming_messages_have_the_full_shape() {
    let (_server, url) = serve(vec![
        Reply::text("Plain."),
        Reply::ToolCalls {
            text: Some("Checking.".to_owned()),
            calls: vec![ToolCall::new("bash", json!({"command": "pwd"}))],
        },
        Reply::Thinking { thinking: "hmm".to_owned(), text: "ok".to_owned() },
        Reply::MaxTokens { text: "cut".to_owned() },
    ])
    .await;
    let mut body = request(false);
    body.as_object_mut().unwrap().remove("stream");

    let received = post(&url, &body).await;
    assert_eq!(received.status, 200);
    assert_eq!(received.header("content-type"), Some("application/json"));
    let message = received.json();
    assert_eq!(message["type"], "message");
    assert_eq!(message["role"], "assistant");
    assert_eq!(message["model"], "claude-test-1");
    assert!(message["id"].as_str().unwrap().starts_with("msg_"));
    assert_eq!(message["content"], json!([{"type": "text", "text": "Plain."}]));
    assert_eq!(message["stop_reason"], "end_turn");
    assert_eq!(message["stop_sequence"], Value::Null);
    assert_eq!(message["usage"]["output_tokens"], 2);
    assert!(message["usage"]["input_tokens"].as_u64().unwrap() > 0);

    let message = post(&url, &body).await.json();
    assert_eq!(
        message["content"],
        json!([
            {"type": "text", "text": "Checking."},
            {"type": "tool_use", "id": "toolu_fake_1", "name": "bash", "input": {"command": "pwd"}},
        ])
    );
    assert_eq!(message["stop_reason"], "tool_use");

    let message = post(&url, &body).await.json();
    assert_eq!(message["content"][0]["type"], "thinking");
    assert_eq!(message["content"][0]["thinking"], "hmm");
    assert!(message["content"][0]["signature"].is_string());
    assert_eq!(message["content"][1], json!({"type": "text", "text": "ok"}));

    let message = post(&url, &body).await.json();
    assert_eq!(message["stop_reason"], "max_tokens");
}

#[tokio::test]
async fn non_streaming_failures_mid_message() {
    let (_server, url) = serve(vec![
        Reply::OverloadedMidStream { text: "x".to_owned() },
        Reply::CutStream { text: "y".to_owned() },
    ])
    .await;
    let received = post(&url, &request(false)).await;
    assert_eq!(received.status, 529);
    assert_eq!(received.json()["error"]["type"], "overloaded_error");
    let received = post(&url, &request(false)).await;
    assert!(received.body_error);
    assert!(serde_json::from_str::<Value>(&received.body).is_err());
}
