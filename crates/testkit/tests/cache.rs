//! Prompt cache emulation over HTTP: Anthropic breakpoints, OpenAI automatic caching, expiry.

#![allow(clippy::unwrap_used, reason = "test helpers fail loudly by design")]

mod common;

use common::{chunks, post};
use pretty_assertions::assert_eq;
use rein_testkit::{CacheSettings, FakeModelServer, Reply, Script, UsageSettings};
use serde_json::{Value, json};
use std::time::Duration;

/// A text block estimated at exactly `tokens` tokens (at least 7).
fn text(tokens: u64) -> Value {
    // {"text":"…","type":"text"} is the text plus 25 characters.
    let len = usize::try_from(tokens * 4 - 25).unwrap();
    json!({"type": "text", "text": "x".repeat(len)})
}

/// A text block of `tokens` tokens whose text starts with `tag`, so blocks of equal size differ.
fn tagged(tag: &str, tokens: u64) -> Value {
    let mut block = text(tokens);
    let len = block["text"].as_str().unwrap().len();
    block["text"] = json!(format!("{tag}{}", "x".repeat(len - tag.len())));
    block
}

fn marked(mut block: Value) -> Value {
    block["cache_control"] = json!({"type": "ephemeral"});
    block
}

fn anthropic(system: Value, messages: Value, stream: bool) -> Value {
    json!({"model": "claude-test", "max_tokens": 100, "stream": stream,
           "system": system, "messages": messages})
}

async fn serve(script: Script) -> FakeModelServer {
    FakeModelServer::start(script).await.unwrap()
}

fn replies(n: usize) -> Vec<Reply> {
    (0..n).map(|_| Reply::text("ok")).collect()
}

/// Sends a non-streaming Anthropic request and returns its usage.
async fn usage(server: &FakeModelServer, request: &Value) -> Value {
    let received = post(&format!("{}/v1/messages", server.url()), request).await;
    assert_eq!(received.status, 200, "{}", received.body);
    received.json()["usage"].clone()
}

fn counts(input: u64, read: u64, creation: u64) -> Value {
    json!({"input_tokens": input, "output_tokens": 1,
           "cache_read_input_tokens": read, "cache_creation_input_tokens": creation})
}

#[tokio::test]
async fn a_system_breakpoint_is_written_then_read() {
    let server = serve(Script::new(replies(3)).with_cache(CacheSettings::default())).await;
    let request =
        anthropic(json!([marked(text(1500))]), json!([{"role": "user", "content": "hi"}]), false);
    // "hi" with its quotes is one token.
    assert_eq!(usage(&server, &request).await, counts(1, 0, 1500));
    assert_eq!(server.cache_entries(), 1);
    assert_eq!(usage(&server, &request).await, counts(1, 1500, 0));

    // Streams report the same split in `message_start`.
    let mut streaming = request.clone();
    streaming["stream"] = json!(true);
    let received = post(&format!("{}/v1/messages", server.url()), &streaming).await;
    let start = received.events()[0].json();
    assert_eq!(start["message"]["usage"], counts(1, 1500, 0));
    assert_eq!(server.cache_entries(), 1);
}

#[tokio::test]
async fn a_moving_breakpoint_reads_the_last_turn_and_writes_the_increment() {
    let server = serve(Script::new(replies(2)).with_cache(CacheSettings::default())).await;
    let system = json!([text(1000)]);
    let turn1 = anthropic(
        system.clone(),
        json!([{"role": "user", "content": [marked(tagged("q1", 100))]}]),
        false,
    );
    assert_eq!(usage(&server, &turn1).await, counts(0, 0, 1100));
    let turn2 = anthropic(
        system,
        json!([
            {"role": "user", "content": [tagged("q1", 100)]},
            {"role": "assistant", "content": [tagged("a1", 50)]},
            {"role": "user", "content": [marked(tagged("q2", 30))]},
        ]),
        false,
    );
    assert_eq!(usage(&server, &turn2).await, counts(0, 1100, 80));
    assert_eq!(server.cache_entries(), 2);
}

#[tokio::test]
async fn a_changed_system_prompt_is_not_read() {
    let server = serve(Script::new(replies(2)).with_cache(CacheSettings::default())).await;
    let messages = json!([{"role": "user", "content": "hi"}]);
    let first = anthropic(json!([marked(tagged("v1", 1200))]), messages.clone(), false);
    assert_eq!(usage(&server, &first).await, counts(1, 0, 1200));
    let second = anthropic(json!([marked(tagged("v2", 1200))]), messages, false);
    assert_eq!(usage(&server, &second).await, counts(1, 0, 1200));
    assert_eq!(server.cache_entries(), 2);
}

#[tokio::test]
async fn a_prefix_below_the_minimum_is_never_cached() {
    let server = serve(Script::new(replies(2)).with_cache(CacheSettings::default())).await;
    let request =
        anthropic(json!([marked(text(1023))]), json!([{"role": "user", "content": "hi"}]), false);
    assert_eq!(usage(&server, &request).await, counts(1024, 0, 0));
    assert_eq!(usage(&server, &request).await, counts(1024, 0, 0));
    assert_eq!(server.cache_entries(), 0);
}

#[tokio::test]
async fn entries_expire_after_the_ttl_unless_used() {
    let settings = CacheSettings { ttl_seconds: 300, ..CacheSettings::default() };
    let server = serve(Script::new(replies(5)).with_cache(settings)).await;
    let request =
        anthropic(json!([marked(text(1100))]), json!([{"role": "user", "content": "hi"}]), false);
    assert_eq!(usage(&server, &request).await, counts(1, 0, 1100));
    // Each read refreshes the entry, so reads 200 s apart keep it alive past its first TTL.
    server.advance_clock(Duration::from_secs(200));
    assert_eq!(usage(&server, &request).await, counts(1, 1100, 0));
    server.advance_clock(Duration::from_secs(200));
    assert_eq!(usage(&server, &request).await, counts(1, 1100, 0));
    // Unused for longer than the TTL: gone, and written again.
    server.advance_clock(Duration::from_secs(301));
    assert_eq!(server.cache_entries(), 0);
    assert_eq!(usage(&server, &request).await, counts(1, 0, 1100));
    assert_eq!(usage(&server, &request).await, counts(1, 1100, 0));
}

#[tokio::test]
async fn five_breakpoints_are_refused_without_consuming_a_reply() {
    let server = serve(Script::new(replies(1)).with_cache(CacheSettings::default())).await;
    let system = json!([marked(text(7)), marked(text(8)), marked(text(9))]);
    let messages = json!([{"role": "user", "content": [marked(text(10)), marked(text(11))]}]);
    let received =
        post(&format!("{}/v1/messages", server.url()), &anthropic(system, messages, true)).await;
    assert_eq!(received.status, 400);
    assert_eq!(
        received.json(),
        json!({"type": "error", "error": {
            "type": "invalid_request_error",
            "message": "A maximum of 4 blocks with cache_control may be provided. Found 5.",
        }})
    );
    assert_eq!(server.remaining(), 1);
    assert_eq!(server.requests().len(), 1);
    assert_eq!(server.cache_entries(), 0);
}

/// An OpenAI message estimated at exactly `tokens` tokens.
fn message(role: &str, tokens: u64) -> Value {
    // {"content":"…","role":"…"} is the two strings plus 24 characters.
    let len = usize::try_from(tokens * 4).unwrap() - 24 - role.len();
    json!({"role": role, "content": "x".repeat(len)})
}

#[tokio::test]
async fn openai_prefixes_are_cached_automatically_in_steps_of_128() {
    let server = serve(Script::new(replies(3)).with_cache(CacheSettings::default())).await;
    let url = format!("{}/chat/completions", server.openai_url());
    let mut messages = vec![message("system", 1200), message("user", 100)];
    let first = post(&url, &json!({"model": "gpt-test", "messages": messages})).await.json();
    assert_eq!(
        first["usage"],
        json!({"prompt_tokens": 1300, "completion_tokens": 1, "total_tokens": 1301,
               "prompt_tokens_details": {"cached_tokens": 0}})
    );
    messages.push(message("assistant", 40));
    messages.push(message("user", 60));
    let second = post(&url, &json!({"model": "gpt-test", "messages": messages})).await.json();
    // 1300 tokens seen before: 1024 plus two whole steps of 128.
    assert_eq!(
        second["usage"],
        json!({"prompt_tokens": 1400, "completion_tokens": 1, "total_tokens": 1401,
               "prompt_tokens_details": {"cached_tokens": 1280}})
    );
    // Streams with a usage chunk report the same way; all 1400 tokens were seen, which rounds
    // down to the same two steps.
    let streaming = json!({"model": "gpt-test", "messages": messages, "stream": true,
                           "stream_options": {"include_usage": true}});
    let received = post(&url, &streaming).await;
    let last = chunks(&received.events()).pop().unwrap();
    assert_eq!(last["usage"]["prompt_tokens"], 1400);
    assert_eq!(last["usage"]["prompt_tokens_details"]["cached_tokens"], 1280);
    assert_eq!(server.cache_entries(), 4);
}

#[tokio::test]
async fn without_cache_settings_nothing_is_cached() {
    let server = serve(Script::new(replies(3))).await;
    let request =
        anthropic(json!([marked(text(1500))]), json!([{"role": "user", "content": "hi"}]), false);
    assert_eq!(usage(&server, &request).await, counts(1501, 0, 0));
    server.advance_clock(Duration::from_secs(10));
    assert_eq!(usage(&server, &request).await, counts(1501, 0, 0));
    // Any number of breakpoints is accepted, as before.
    let many = anthropic(Value::Array(vec![marked(text(7)); 5]), json!([]), false);
    assert_eq!(usage(&server, &many).await, counts(35, 0, 0));
    assert_eq!(server.cache_entries(), 0);
}

#[tokio::test]
async fn fixed_usage_counts_override_the_emulation_field_by_field() {
    let fixed = UsageSettings { cache_read_input_tokens: Some(5), ..UsageSettings::default() };
    let script = Script::new(replies(2)).with_cache(CacheSettings::default()).with_usage(fixed);
    let server = serve(script).await;
    let request =
        anthropic(json!([marked(text(1500))]), json!([{"role": "user", "content": "hi"}]), false);
    assert_eq!(usage(&server, &request).await, counts(1, 5, 1500));
    // The emulated read of 1500 is replaced; the input still excludes it.
    assert_eq!(usage(&server, &request).await, counts(1, 5, 0));
}

#[test]
fn cache_settings_parse_with_per_field_defaults() {
    let script = Script::from_json_str(r#"{"replies": [], "cache": {}}"#).unwrap();
    assert_eq!(script.cache, Some(CacheSettings::default()));
    let script =
        Script::from_json_str(r#"{"replies": [], "cache": {"min_cacheable_tokens": 10}}"#).unwrap();
    assert_eq!(
        script.cache,
        Some(CacheSettings { min_cacheable_tokens: 10, ttl_seconds: 300, openai_automatic: true })
    );
    let plain = Script::new(Vec::new());
    assert_eq!(serde_json::to_value(&plain).unwrap(), json!({"replies": []}));
    let cached = plain.with_cache(CacheSettings::default());
    let json = serde_json::to_string(&cached).unwrap();
    assert_eq!(Script::from_json_str(&json).unwrap(), cached);
}
