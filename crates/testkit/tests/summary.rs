//! Summary requests answered out of order with `summary_reply`, in both formats.

#![allow(clippy::unwrap_used, reason = "test helpers fail loudly by design")]

mod common;

use common::post;
use pretty_assertions::assert_eq;
use rein_testkit::{CacheSettings, FakeModelServer, Reply, SUMMARY_MARKER, Script};
use serde_json::{Value, json};

const SUMMARY: &str = "Goal: count. Done so far: ran seq.";

fn ask() -> String {
    format!("{SUMMARY_MARKER} Write a summary that lets you continue the work.")
}

fn bash_call() -> Reply {
    Reply::tool_call("bash", json!({"command": "seq 1 3"}))
}

/// An Anthropic conversation with a cached system prompt large enough to be cached; after
/// `rounds` tool rounds, it asks for a summary when `summarise` is set.
fn anthropic(rounds: usize, summarise: bool) -> Value {
    let mut messages = vec![json!({"role": "user", "content": "count to three"})];
    for n in 1..=rounds {
        messages.push(json!({"role": "assistant", "content": [
            {"type": "tool_use", "id": format!("toolu_fake_{n}"), "name": "bash",
             "input": {"command": "seq 1 3"}},
        ]}));
        messages.push(json!({"role": "user", "content": [
            {"type": "tool_result", "tool_use_id": format!("toolu_fake_{n}"), "content": "1\n2\n3"},
        ]}));
    }
    if summarise {
        let last = messages.last_mut().unwrap();
        match &mut last["content"] {
            Value::Array(blocks) => blocks.push(json!({"type": "text", "text": ask()})),
            content => {
                *content = json!([{"type": "text", "text": content.clone()},
                                         {"type": "text", "text": ask()}])
            }
        }
    }
    let last = messages.last_mut().unwrap()["content"].as_array_mut().map(|b| b.len());
    if let Some(len) = last {
        messages.last_mut().unwrap()["content"][len - 1]["cache_control"] =
            json!({"type": "ephemeral"});
    }
    json!({"model": "claude-test", "max_tokens": 100, "stream": false,
           "system": [{"type": "text", "text": "rules ".repeat(1000),
                       "cache_control": {"type": "ephemeral"}}],
           "messages": messages})
}

/// Non-streaming Anthropic answer: (content blocks, usage).
async fn send(server: &FakeModelServer, request: &Value) -> (Value, Value) {
    let received = post(&format!("{}/v1/messages", server.url()), request).await;
    assert_eq!(received.status, 200, "{}", received.body);
    let body = received.json();
    (body["content"].clone(), body["usage"].clone())
}

fn kinds(content: &Value) -> Vec<String> {
    content.as_array().unwrap().iter().map(|b| b["type"].as_str().unwrap().to_owned()).collect()
}

/// The requests of a session that compacts after its first tool round.
fn session() -> Vec<Value> {
    vec![anthropic(0, false), anthropic(1, true), anthropic(1, false), anthropic(2, false)]
}

#[tokio::test]
async fn a_summary_request_is_answered_without_taking_a_scripted_reply() {
    let script = Script::new(vec![bash_call(), bash_call(), Reply::text("three")])
        .with_cache(CacheSettings::default())
        .with_summary_reply(SUMMARY);
    let server = FakeModelServer::start(script).await.unwrap();
    let [first, summary, second, last] = session().try_into().unwrap();

    let (content, _) = send(&server, &first).await;
    assert_eq!(kinds(&content), ["tool_use"]);
    assert_eq!(content[0]["id"], "toolu_fake_1");
    assert_eq!(server.remaining(), 2);

    let (content, _) = send(&server, &summary).await;
    assert_eq!(content, json!([{"type": "text", "text": SUMMARY}]));
    assert_eq!(server.remaining(), 2, "the summary took a scripted reply");

    // The script resumes where it was: the second call, numbered as if nothing came between.
    let (content, _) = send(&server, &second).await;
    assert_eq!(kinds(&content), ["tool_use"]);
    assert_eq!(content[0]["id"], "toolu_fake_2");
    let (content, _) = send(&server, &last).await;
    assert_eq!(content, json!([{"type": "text", "text": "three"}]));
    assert_eq!(server.remaining(), 0);
    assert!(server.is_done());
    assert_eq!(server.requests().len(), 4);

    // Any number of summaries, even with the script used up.
    let (content, _) = send(&server, &anthropic(2, true)).await;
    assert_eq!(content[0]["text"], SUMMARY);
}

#[tokio::test]
async fn usage_and_cache_counts_match_a_scripted_text_reply() {
    // The same requests, once with the summary given out of order and once with it scripted
    // in place: every response reports the same usage, cache reads and writes included.
    let out_of_order = FakeModelServer::start(
        Script::new(vec![bash_call(), bash_call(), Reply::text("three")])
            .with_cache(CacheSettings::default())
            .with_summary_reply(SUMMARY),
    )
    .await
    .unwrap();
    let in_place = FakeModelServer::start(
        Script::new(vec![bash_call(), Reply::text(SUMMARY), bash_call(), Reply::text("three")])
            .with_cache(CacheSettings::default()),
    )
    .await
    .unwrap();
    let mut reads = 0;
    for request in session() {
        let (content, usage) = send(&out_of_order, &request).await;
        let (expected_content, expected_usage) = send(&in_place, &request).await;
        assert_eq!(kinds(&content), kinds(&expected_content));
        assert_eq!(usage, expected_usage);
        reads += usage["cache_read_input_tokens"].as_u64().unwrap();
    }
    assert!(reads > 0, "the cache was never read");
}

#[tokio::test]
async fn openai_summary_requests_are_recognised_too() {
    let script = Script::new(vec![bash_call(), Reply::text("done")]).with_summary_reply(SUMMARY);
    let server = FakeModelServer::start(script).await.unwrap();
    let url = format!("{}/chat/completions", server.openai_url());
    let mut messages = vec![json!({"role": "user", "content": "count"})];
    let request = |messages: &[Value]| json!({"model": "m", "stream": false, "messages": messages});

    let first = post(&url, &request(&messages)).await.json();
    assert_eq!(first["choices"][0]["finish_reason"], "tool_calls");
    messages.push(first["choices"][0]["message"].clone());
    messages.push(json!({"role": "tool", "tool_call_id": "call_fake_1", "content": "1\n2\n3"}));
    messages.push(json!({"role": "user", "content": ask()}));

    let summary = post(&url, &request(&messages)).await.json();
    assert_eq!(summary["choices"][0]["message"]["content"], SUMMARY);
    assert_eq!(summary["choices"][0]["finish_reason"], "stop");
    assert_eq!(server.remaining(), 1);
    messages.pop();
    let last = post(&url, &request(&messages)).await.json();
    assert_eq!(last["choices"][0]["message"]["content"], "done");
    assert_eq!(server.remaining(), 0);
}

#[tokio::test]
async fn without_a_summary_reply_the_script_stays_strictly_sequential() {
    let script = Script::new(vec![bash_call(), bash_call(), Reply::text("three")]);
    assert_eq!(script.summary_reply, None);
    let server = FakeModelServer::start(script).await.unwrap();
    let [first, summary, second, _] = session().try_into().unwrap();
    send(&server, &first).await;
    // The summary request takes the next reply, a tool call, as any request would.
    let (content, _) = send(&server, &summary).await;
    assert_eq!(kinds(&content), ["tool_use"]);
    assert_eq!(server.remaining(), 1);
    let (content, _) = send(&server, &second).await;
    assert_eq!(content[0]["text"], "three");
}

#[tokio::test]
async fn the_marker_outside_the_last_user_message_changes_nothing() {
    let script = Script::new(vec![Reply::text("scripted")]).with_summary_reply(SUMMARY);
    let server = FakeModelServer::start(script).await.unwrap();
    let mut request = anthropic(1, false);
    request["messages"][0]["content"] = json!(ask());
    let (content, _) = send(&server, &request).await;
    assert_eq!(content[0]["text"], "scripted");
}

#[test]
fn summary_reply_json_key_is_optional_and_round_trips() {
    let plain = Script::new(vec![Reply::text("a")]);
    let json = serde_json::to_value(&plain).unwrap();
    assert!(json.get("summary_reply").is_none(), "{json}");

    let script = Script::from_json_str(
        r#"{"replies": [{"kind": "text", "text": "a"}], "summary_reply": "S"}"#,
    )
    .unwrap();
    assert_eq!(script, Script::new(vec![Reply::text("a")]).with_summary_reply("S"));
    let json = serde_json::to_value(&script).unwrap();
    assert_eq!(json["summary_reply"], "S");
    assert_eq!(Script::from_json_str(&json.to_string()).unwrap(), script);
}
