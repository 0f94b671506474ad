//! Behaviour shared by both formats: the reply queue, recording, exhaustion, usage settings.

#![allow(clippy::unwrap_used, reason = "test helpers fail loudly by design")]

mod common;

use common::{block_deltas, post, post_with};
use pretty_assertions::assert_eq;
use rein_testkit::{FakeModelServer, Reply, Script, ServerOptions, UsageSettings};
use serde_json::{Value, json};
use std::time::Duration;

fn anthropic_request() -> Value {
    json!({"model": "m", "max_tokens": 10, "stream": true,
           "messages": [{"role": "user", "content": "hello"}]})
}

fn openai_request() -> Value {
    json!({"model": "m", "stream": false, "messages": [{"role": "user", "content": "hello"}]})
}

#[tokio::test]
async fn one_queue_serves_both_formats_in_order() {
    let server = FakeModelServer::start(Script::new(vec![
        Reply::text("first"),
        Reply::text("second"),
        Reply::text("third"),
    ]))
    .await
    .unwrap();
    assert_eq!(server.remaining(), 3);
    let anthropic = format!("{}/v1/messages", server.url());
    let openai = format!("{}/chat/completions", server.openai_url());

    let first = post(&anthropic, &anthropic_request()).await;
    assert_eq!(block_deltas(&first.events(), 0, "text").0, "first");
    let second = post(&openai, &openai_request()).await.json();
    assert_eq!(second["choices"][0]["message"]["content"], "second");
    assert_eq!(server.remaining(), 1);
    let mut non_streaming = anthropic_request();
    non_streaming["stream"] = json!(false);
    let third = post(&anthropic, &non_streaming).await.json();
    assert_eq!(third["content"][0]["text"], "third");
    assert_eq!(server.remaining(), 0);

    let paths: Vec<String> = server.requests().into_iter().map(|r| r.path).collect();
    assert_eq!(paths, ["/v1/messages", "/v1/chat/completions", "/v1/messages"]);
}

#[tokio::test]
async fn records_paths_headers_and_bodies() {
    let server = FakeModelServer::start(Script::new(vec![Reply::text("a"), Reply::text("b")]))
        .await
        .unwrap();
    let client = reqwest::Client::new();
    let body = anthropic_request();
    post_with(
        &client,
        &format!("{}/v1/messages", server.url()),
        &body,
        &[("x-api-key", "sk-test"), ("anthropic-version", "2023-06-01")],
    )
    .await;
    post_with(
        &client,
        &format!("{}/chat/completions", server.openai_url()),
        &openai_request(),
        &[("Authorization", "Bearer sk-openai")],
    )
    .await;

    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].path, "/v1/messages");
    assert_eq!(requests[0].body, body);
    assert_eq!(requests[0].header("x-api-key"), Some("sk-test"));
    assert_eq!(requests[0].header("Anthropic-Version"), Some("2023-06-01"));
    assert_eq!(requests[0].header("content-type"), Some("application/json"));
    assert_eq!(requests[0].header("authorization"), None);
    assert_eq!(requests[1].header("authorization"), Some("Bearer sk-openai"));
    assert!(requests.iter().all(|r| r.headers.iter().all(|(k, _)| *k == k.to_lowercase())));
}

#[tokio::test]
async fn exhausted_script_answers_500_in_each_format() {
    let server = FakeModelServer::start(Script::new(vec![])).await.unwrap();
    let received = post(&format!("{}/v1/messages", server.url()), &anthropic_request()).await;
    assert_eq!(received.status, 500);
    assert_eq!(
        received.json(),
        json!({"type": "error", "error": {"type": "api_error",
               "message": "fake model server: script exhausted"}})
    );
    let received =
        post(&format!("{}/chat/completions", server.openai_url()), &openai_request()).await;
    assert_eq!(received.status, 500);
    assert_eq!(received.json()["error"]["message"], "fake model server: script exhausted");
    // Exhausted requests are still recorded.
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn a_body_that_is_not_json_is_rejected_without_consuming_a_reply() {
    let server = FakeModelServer::start(Script::new(vec![Reply::text("kept")])).await.unwrap();
    let response = reqwest::Client::new()
        .post(format!("{}/v1/messages", server.url()))
        .body("not json")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    assert_eq!(server.remaining(), 1);
    assert_eq!(server.requests()[0].body, json!("not json"));
}

#[tokio::test]
async fn usage_estimates_grow_with_the_request_and_can_be_fixed() {
    let server = FakeModelServer::start(Script::new(vec![Reply::text("x"), Reply::text("x")]))
        .await
        .unwrap();
    let url = format!("{}/chat/completions", server.openai_url());
    let small = post(&url, &openai_request()).await.json();
    let mut big_request = openai_request();
    big_request["messages"][0]["content"] = json!("word ".repeat(400));
    let big = post(&url, &big_request).await.json();
    let small_prompt = small["usage"]["prompt_tokens"].as_u64().unwrap();
    let big_prompt = big["usage"]["prompt_tokens"].as_u64().unwrap();
    assert!(big_prompt >= small_prompt + 450, "{small_prompt} vs {big_prompt}");

    let usage = UsageSettings {
        input_tokens: Some(10),
        output_tokens: Some(20),
        cache_read_input_tokens: Some(30),
        cache_creation_input_tokens: Some(40),
    };
    let server = FakeModelServer::start(
        Script::new(vec![Reply::text("x"), Reply::text("x")]).with_usage(usage),
    )
    .await
    .unwrap();
    let mut request = anthropic_request();
    request["stream"] = json!(false);
    let message = post(&format!("{}/v1/messages", server.url()), &request).await.json();
    assert_eq!(
        message["usage"],
        json!({"input_tokens": 10, "output_tokens": 20,
               "cache_read_input_tokens": 30, "cache_creation_input_tokens": 40})
    );
    let completion =
        post(&format!("{}/chat/completions", server.openai_url()), &openai_request()).await.json();
    assert_eq!(
        completion["usage"],
        json!({"prompt_tokens": 80, "completion_tokens": 20, "total_tokens": 100,
               "prompt_tokens_details": {"cached_tokens": 30}})
    );
}

#[tokio::test]
async fn script_json_form_round_trips() {
    let json = r#"{
        "replies": [
            {"kind": "text", "text": "hi"},
            {"kind": "tool_calls", "calls": [{"name": "bash", "input": {"command": "ls"}}]},
            {"kind": "tool_calls", "text": "Looking.", "calls": [{"name": "grep", "input": {}, "id": "x"}]},
            {"kind": "thinking", "thinking": "hmm", "text": "ok"},
            {"kind": "max_tokens", "text": "cut"},
            {"kind": "error", "status": 429, "message": "slow", "retry_after_secs": 2},
            {"kind": "overloaded_mid_stream", "text": "a"},
            {"kind": "cut_stream", "text": "b"},
            {"kind": "raw_tool_input", "name": "bash", "raw_arguments": "{oops"},
            {"kind": "delay", "millis": 5, "reply": {"kind": "text", "text": "late"}}
        ],
        "usage": {"input_tokens": 3}
    }"#;
    let script = Script::from_json_str(json).unwrap();
    assert_eq!(script.replies.len(), 10);
    assert_eq!(script.replies[0], Reply::text("hi"));
    assert_eq!(script.replies[9], Reply::text("late").delayed(5));
    assert_eq!(script.usage.as_ref().unwrap().input_tokens, Some(3));
    let round_trip = Script::from_json_str(&serde_json::to_string(&script).unwrap()).unwrap();
    assert_eq!(round_trip, script);

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("script.json");
    std::fs::write(&path, json).unwrap();
    assert_eq!(Script::from_json_file(&path).unwrap(), script);
    assert!(Script::from_json_str(r#"{"replies": [{"kind": "nope"}]}"#).is_err());
}

#[tokio::test]
async fn record_file_gets_one_json_line_per_request() {
    let dir = tempfile::tempdir().unwrap();
    let record = dir.path().join("requests.jsonl");
    let options = ServerOptions { port: 0, record_path: Some(record.clone()) };
    let server =
        FakeModelServer::start_with(Script::new(vec![Reply::text("a")]), options).await.unwrap();
    post(&format!("{}/v1/messages", server.url()), &anthropic_request()).await;
    post(&format!("{}/v1/messages", server.url()), &anthropic_request()).await;
    let lines: Vec<Value> = std::fs::read_to_string(&record)
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["path"], "/v1/messages");
    assert_eq!(lines[0]["body"], anthropic_request());
    let recorded: rein_testkit::RecordedRequest = serde_json::from_value(lines[1].clone()).unwrap();
    assert_eq!(recorded, server.requests()[1]);
}

#[tokio::test]
async fn pushed_replies_extend_the_script_and_done_waits_for_them() {
    let server = FakeModelServer::start(Script::new(vec![])).await.unwrap();
    server.push_reply(Reply::text("late").delayed(50));
    assert_eq!(server.remaining(), 1);
    let url = format!("{}/v1/messages", server.url());
    let request = tokio::spawn(async move { post(&url, &anthropic_request()).await });
    tokio::time::timeout(Duration::from_secs(5), async {
        while server.requests().is_empty() {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    })
    .await
    .unwrap();
    // The reply is taken but still being answered.
    assert_eq!(server.remaining(), 0);
    tokio::time::timeout(Duration::from_secs(5), server.wait_until_done()).await.unwrap();
    let received = request.await.unwrap();
    assert_eq!(block_deltas(&received.events(), 0, "text").0, "late");
    server.shutdown().await;
}

#[tokio::test]
async fn interrupted_requests_do_not_wedge_the_server() {
    let server = FakeModelServer::start(Script::new(vec![
        Reply::text("never read").delayed(5_000),
        Reply::text("next"),
    ]))
    .await
    .unwrap();
    let url = format!("{}/v1/messages", server.url());
    let client = reqwest::Client::builder().timeout(Duration::from_millis(100)).build().unwrap();
    assert!(client.post(&url).json(&anthropic_request()).send().await.is_err());
    let received = post(&url, &anthropic_request()).await;
    assert_eq!(block_deltas(&received.events(), 0, "text").0, "next");
}

#[tokio::test]
async fn urls_point_at_the_bound_port() {
    let server = FakeModelServer::start(Script::default()).await.unwrap();
    let port = server.addr().port();
    assert_eq!(server.url(), format!("http://127.0.0.1:{port}"));
    assert_eq!(server.openai_url(), format!("http://127.0.0.1:{port}/v1"));
}
