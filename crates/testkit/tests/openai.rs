//! Every reply kind over the OpenAI Chat Completions format, streamed and not.

#![allow(clippy::unwrap_used, reason = "test helpers fail loudly by design")]

mod common;

use common::{chunks, delta_text, post};
use pretty_assertions::assert_eq;
use rein_testkit::{FakeModelServer, Reply, Script, ToolCall};
use serde_json::{Value, json};
use std::time::{Duration, Instant};

fn request(stream: bool, include_usage: bool) -> Value {
    let mut body = json!({
        "model": "gpt-test-1",
        "max_tokens": 1024,
        "stream": stream,
        "messages": [
            {"role": "system", "content": "You are terse."},
            {"role": "user", "content": "hi"},
        ],
    });
    if include_usage {
        body["stream_options"] = json!({"include_usage": true});
    }
    body
}

async fn serve(replies: Vec<Reply>) -> (FakeModelServer, String) {
    let server = FakeModelServer::start(Script::new(replies)).await.unwrap();
    let url = format!("{}/chat/completions", server.openai_url());
    (server, url)
}

fn finish_reasons(chunks: &[Value]) -> Vec<Value> {
    chunks.iter().map(|c| c["choices"][0]["finish_reason"].clone()).collect()
}

#[tokio::test]
async fn streams_text_with_usage_and_done() {
    let (server, url) = serve(vec![Reply::text("Hello there, world")]).await;
    let received = post(&url, &request(true, true)).await;
    assert_eq!(received.status, 200);
    assert!(received.header("content-type").unwrap().starts_with("text/event-stream"));
    assert!(!received.body_error);
    let events = received.events();
    assert!(events.iter().all(|e| e.event.is_none()));
    assert_eq!(events.last().unwrap().data, "[DONE]");
    let chunks = chunks(&events);
    // Role, three content pieces, finish, usage.
    assert_eq!(chunks.len(), 6);
    for chunk in &chunks {
        assert_eq!(chunk["object"], "chat.completion.chunk");
        assert_eq!(chunk["model"], "gpt-test-1");
        assert_eq!(chunk["id"], chunks[0]["id"]);
        assert!(chunk["created"].is_u64());
    }
    assert_eq!(
        chunks[0]["choices"],
        json!([{
            "index": 0,
            "delta": {"role": "assistant", "content": ""},
            "logprobs": null,
            "finish_reason": null,
        }])
    );
    assert_eq!(delta_text(&chunks, "content"), ("Hello there, world".to_owned(), 4));
    assert_eq!(chunks[4]["choices"][0]["delta"], json!({}));
    assert_eq!(chunks[4]["choices"][0]["finish_reason"], "stop");
    assert_eq!(chunks[4]["usage"], Value::Null);
    assert_eq!(chunks[5]["choices"], json!([]));
    let usage = &chunks[5]["usage"];
    let prompt = usage["prompt_tokens"].as_u64().unwrap();
    assert!(prompt > 0);
    assert_eq!(usage["completion_tokens"], 5);
    assert_eq!(usage["total_tokens"], prompt + 5);
    assert_eq!(usage["prompt_tokens_details"], json!({"cached_tokens": 0}));
    assert_eq!(server.remaining(), 0);
}

#[tokio::test]
async fn streams_without_usage_chunk_unless_asked() {
    let (_server, url) = serve(vec![Reply::text("Hi")]).await;
    let events = post(&url, &request(true, false)).await.events();
    let chunks = chunks(&events);
    assert!(chunks.iter().all(|c| c.get("usage").is_none()));
    assert_eq!(finish_reasons(&chunks).last().unwrap(), "stop");
    assert_eq!(events.last().unwrap().data, "[DONE]");
}

#[tokio::test]
async fn streams_tool_call_deltas_by_index() {
    let (_server, url) = serve(vec![Reply::ToolCalls {
        text: Some("Let me look.".to_owned()),
        calls: vec![
            ToolCall::new("read_file", json!({"path": "src/main.rs", "limit": 40})),
            ToolCall::new("bash", json!({"command": "ls -la"})).with_id("call_given"),
        ],
    }])
    .await;
    let events = post(&url, &request(true, false)).await.events();
    let chunks = chunks(&events);
    assert_eq!(delta_text(&chunks, "content").0, "Let me look.");

    let tool_deltas: Vec<&Value> = chunks
        .iter()
        .filter_map(|c| c["choices"][0]["delta"]["tool_calls"].as_array())
        .map(|calls| {
            assert_eq!(calls.len(), 1);
            &calls[0]
        })
        .collect();
    // Per call: one header chunk and three argument fragments.
    assert_eq!(tool_deltas.len(), 8);
    let headers: Vec<&&Value> = tool_deltas.iter().filter(|d| d.get("id").is_some()).collect();
    assert_eq!(
        headers,
        [
            &&json!({"index": 0, "id": "call_fake_1", "type": "function",
                     "function": {"name": "read_file", "arguments": ""}}),
            &&json!({"index": 1, "id": "call_given", "type": "function",
                     "function": {"name": "bash", "arguments": ""}}),
        ]
    );
    for (index, input) in
        [json!({"path": "src/main.rs", "limit": 40}), json!({"command": "ls -la"})]
            .into_iter()
            .enumerate()
    {
        let arguments: String = tool_deltas
            .iter()
            .filter(|d| d["index"] == index)
            .map(|d| d["function"]["arguments"].as_str().unwrap())
            .collect();
        assert_eq!(serde_json::from_str::<Value>(&arguments).unwrap(), input);
    }
    let reasons = finish_reasons(&chunks);
    assert_eq!(reasons.iter().filter(|r| !r.is_null()).count(), 1);
    assert_eq!(reasons.last().unwrap(), "tool_calls");
}

#[tokio::test]
async fn streams_reasoning_content_before_content() {
    let (_server, url) = serve(vec![Reply::Thinking {
        thinking: "The user greets me.".to_owned(),
        text: "Hi!".to_owned(),
    }])
    .await;
    let chunks = chunks(&post(&url, &request(true, false)).await.events());
    assert_eq!(delta_text(&chunks, "reasoning_content"), ("The user greets me.".to_owned(), 3));
    assert_eq!(delta_text(&chunks, "content").0, "Hi!");
    let last_reasoning =
        chunks.iter().rposition(|c| c["choices"][0]["delta"]["reasoning_content"].is_string());
    let first_content = chunks
        .iter()
        .position(|c| c["choices"][0]["delta"]["content"].as_str().is_some_and(|s| !s.is_empty()));
    assert!(last_reasoning < first_content);
}

#[tokio::test]
async fn streams_length_finish_reason() {
    let (_server, url) =
        serve(vec![Reply::MaxTokens { text: "The answer is cut".to_owned() }]).await;
    let chunks = chunks(&post(&url, &request(true, false)).await.events());
    assert_eq!(delta_text(&chunks, "content").0, "The answer is cut");
    assert_eq!(finish_reasons(&chunks).last().unwrap(), "length");
}

#[tokio::test]
async fn error_reply_uses_openai_error_body() {
    let (_server, url) = serve(vec![
        Reply::Error {
            status: 429,
            error_type: None,
            message: "slow down".to_owned(),
            retry_after_secs: Some(3),
        },
        Reply::Error {
            status: 400,
            error_type: Some("invalid_request_error".to_owned()),
            message: "context too long".to_owned(),
            retry_after_secs: None,
        },
    ])
    .await;
    let received = post(&url, &request(true, true)).await;
    assert_eq!(received.status, 429);
    assert_eq!(received.header("retry-after"), Some("3"));
    assert_eq!(received.header("content-type"), Some("application/json"));
    let error = &received.json()["error"];
    assert_eq!(error["message"], "slow down");
    assert!(error["type"].is_string());
    assert_eq!(error["code"], "rate_limit_exceeded");
    let received = post(&url, &request(false, false)).await;
    assert_eq!(received.status, 400);
    assert_eq!(received.json()["error"]["type"], "invalid_request_error");
    assert_eq!(received.json()["error"]["message"], "context too long");
}

#[tokio::test]
async fn overload_mid_stream_sends_an_error_chunk() {
    let (_server, url) =
        serve(vec![Reply::OverloadedMidStream { text: "Partial answer".to_owned() }]).await;
    let received = post(&url, &request(true, true)).await;
    assert_eq!(received.status, 200);
    let events = received.events();
    assert!(events.iter().all(|e| e.data != "[DONE]"));
    let chunks = chunks(&events);
    assert_eq!(delta_text(&chunks, "content").0, "Partial answer");
    assert!(finish_reasons(&chunks).iter().all(Value::is_null));
    let last = chunks.last().unwrap();
    assert_eq!(last["error"]["message"], "Overloaded");
    assert!(last["error"]["type"].is_string());
}

#[tokio::test]
async fn cut_stream_never_finishes() {
    let (_server, url) = serve(vec![Reply::CutStream { text: "Half of it".to_owned() }]).await;
    let received = post(&url, &request(true, true)).await;
    assert!(received.body_error, "the client must see the body fail");
    let events = received.events();
    assert!(events.iter().all(|e| e.data != "[DONE]"));
    let chunks = chunks(&events);
    assert_eq!(chunks.len(), 4);
    assert_eq!(delta_text(&chunks, "content").0, "Half of it");
    assert!(finish_reasons(&chunks).iter().all(Value::is_null));
}

#[tokio::test]
async fn raw_tool_arguments_are_sent_verbatim() {
    let raw = r#"{"path": "a.txt", "content": "unterminated"#;
    let (_server, url) = serve(vec![
        Reply::RawToolInput { name: "write_file".to_owned(), raw_arguments: raw.to_owned() },
        Reply::RawToolInput { name: "write_file".to_owned(), raw_arguments: raw.to_owned() },
    ])
    .await;
    let chunks = chunks(&post(&url, &request(true, false)).await.events());
    let arguments: String = chunks
        .iter()
        .filter_map(|c| c["choices"][0]["delta"]["tool_calls"][0]["function"]["arguments"].as_str())
        .collect();
    assert_eq!(arguments, raw);
    assert_eq!(finish_reasons(&chunks).last().unwrap(), "tool_calls");

    let completion = post(&url, &request(false, false)).await.json();
    let call = &completion["choices"][0]["message"]["tool_calls"][0];
    assert_eq!(call["function"]["arguments"], raw);
    assert_eq!(call["id"], "call_fake_2");
}

#[tokio::test]
async fn delay_waits_before_answering() {
    let (_server, url) = serve(vec![Reply::text("late").delayed(150)]).await;
    let started = Instant::now();
    let chunks = chunks(&post(&url, &request(true, false)).await.events());
    assert!(started.elapsed() >= Duration::from_millis(150));
    assert_eq!(delta_text(&chunks, "content").0, "late");
}

#[tokio::test]
async fn non_streaming_completions_have_the_full_shape() {
    let (_server, url) = serve(vec![
        Reply::text("Plain."),
        Reply::tool_call("bash", json!({"command": "pwd"})),
        Reply::Thinking { thinking: "hmm".to_owned(), text: "ok".to_owned() },
        Reply::MaxTokens { text: "cut".to_owned() },
        Reply::OverloadedMidStream { text: "x".to_owned() },
        Reply::CutStream { text: "y".to_owned() },
    ])
    .await;
    let mut body = request(false, false);
    body.as_object_mut().unwrap().remove("stream");

    let received = post(&url, &body).await;
    assert_eq!(received.status, 200);
    assert_eq!(received.header("content-type"), Some("application/json"));
    let completion = received.json();
    assert_eq!(completion["object"], "chat.completion");
    assert_eq!(completion["model"], "gpt-test-1");
    assert!(completion["id"].as_str().unwrap().starts_with("chatcmpl-"));
    let choice = &completion["choices"][0];
    assert_eq!(choice["message"]["role"], "assistant");
    assert_eq!(choice["message"]["content"], "Plain.");
    assert_eq!(choice["finish_reason"], "stop");
    assert_eq!(completion["usage"]["completion_tokens"], 2);
    assert_eq!(completion["usage"]["prompt_tokens_details"]["cached_tokens"], 0);

    let completion = post(&url, &body).await.json();
    let message = &completion["choices"][0]["message"];
    assert_eq!(message["content"], Value::Null);
    assert_eq!(
        message["tool_calls"],
        json!([{"id": "call_fake_1", "type": "function",
                "function": {"name": "bash", "arguments": "{\"command\":\"pwd\"}"}}])
    );
    assert_eq!(completion["choices"][0]["finish_reason"], "tool_calls");

    let completion = post(&url, &body).await.json();
    assert_eq!(completion["choices"][0]["message"]["reasoning_content"], "hmm");
    assert_eq!(completion["choices"][0]["message"]["content"], "ok");

    let completion = post(&url, &body).await.json();
    assert_eq!(completion["choices"][0]["finish_reason"], "length");

    let received = post(&url, &body).await;
    assert_eq!(received.status, 503);
    assert_eq!(received.json()["error"]["message"], "Overloaded");

    let received = post(&url, &body).await;
    assert!(received.body_error);
}
