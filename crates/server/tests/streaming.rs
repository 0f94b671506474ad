//! Streamed completions: the exact chunk sequence and its reassembly.

#![allow(clippy::unwrap_used, reason = "tests")]

mod support;

use axum::http::StatusCode;
use pretty_assertions::assert_eq;
use rein_protocol::ProviderEvent;
use rein_provider::ProviderError;
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;
use support::{
    Script, ScriptedProvider, chunks, delta, post_chat, server, sse_data, text_answer, tool_answer,
};

fn streamed(include_usage: bool) -> Value {
    json!({
        "model": "m",
        "messages": [{"role": "user", "content": "hi"}],
        "stream": true,
        "stream_options": {"include_usage": include_usage}
    })
}

#[tokio::test]
async fn streams_text_as_chunks_then_done() {
    let provider = ScriptedProvider::new(vec![text_answer("Hel", "lo")]);
    let (status, body) = post_chat(&server(provider), streamed(false)).await;
    assert_eq!(status, StatusCode::OK);
    let chunks = chunks(&body);
    let id = chunks[0]["id"].clone();
    for chunk in &chunks {
        assert_eq!(chunk["object"], "chat.completion.chunk");
        assert_eq!(chunk["id"], id, "one id for the whole stream");
        assert_eq!(chunk["model"], "local-model");
        assert!(chunk.get("usage").is_none(), "no usage unless asked for");
    }
    let deltas: Vec<&Value> = chunks.iter().map(delta).collect();
    assert_eq!(
        deltas,
        vec![
            &json!({"role": "assistant", "content": ""}),
            &json!({"content": "Hel"}),
            &json!({"content": "lo"}),
            &json!({}),
        ]
    );
    let finish: Vec<&Value> = chunks.iter().map(|c| &c["choices"][0]["finish_reason"]).collect();
    assert_eq!(finish, vec![&Value::Null, &Value::Null, &Value::Null, &json!("stop")]);
}

#[tokio::test]
async fn streams_usage_last_when_asked() {
    let provider = ScriptedProvider::new(vec![text_answer("a", "b")]);
    let (_, body) = post_chat(&server(provider), streamed(true)).await;
    let chunks = chunks(&body);
    let (last, rest) = chunks.split_last().unwrap();
    assert_eq!(last["choices"], json!([]));
    assert_eq!(last["usage"]["prompt_tokens"], 12);
    assert_eq!(last["usage"]["completion_tokens"], 3);
    assert_eq!(last["usage"]["total_tokens"], 15);
    assert!(rest.iter().all(|c| c["usage"].is_null()));
}

#[tokio::test]
async fn streamed_tool_calls_have_the_exact_shape_and_reassemble() {
    let provider = ScriptedProvider::new(vec![tool_answer()]);
    let (status, body) = post_chat(&server(provider), streamed(false)).await;
    assert_eq!(status, StatusCode::OK);
    let chunks = chunks(&body);
    let deltas: Vec<&Value> = chunks.iter().map(delta).collect();
    // Key order follows serde_json's map, whatever features are on.
    let read_args = json!({"path": "src/main.rs", "limit": 20}).to_string();
    assert_eq!(
        deltas,
        vec![
            &json!({"role": "assistant", "content": ""}),
            &json!({"content": "Let me look."}),
            &json!({"tool_calls": [{"index": 0, "id": "call_a", "type": "function",
                                    "function": {"name": "read_file", "arguments": ""}}]}),
            &json!({"tool_calls": [{"index": 1, "id": "call_b", "type": "function",
                                    "function": {"name": "list_dir", "arguments": ""}}]}),
            &json!({"tool_calls": [{"index": 0, "function": {"arguments": read_args}}]}),
            &json!({"tool_calls": [{"index": 1, "function": {"arguments": "{}"}}]}),
            &json!({}),
        ]
    );
    assert_eq!(chunks.last().unwrap()["choices"][0]["finish_reason"], "tool_calls");

    // Reassemble as a client does: by index, concatenating argument fragments.
    let mut calls: BTreeMap<u64, (String, String, String)> = BTreeMap::new();
    for chunk in &chunks {
        for fragment in delta(chunk)["tool_calls"].as_array().into_iter().flatten() {
            let entry = calls.entry(fragment["index"].as_u64().unwrap()).or_default();
            if let Some(id) = fragment["id"].as_str() {
                entry.0 = id.into();
            }
            if let Some(name) = fragment["function"]["name"].as_str() {
                entry.1.push_str(name);
            }
            entry.2.push_str(fragment["function"]["arguments"].as_str().unwrap_or_default());
        }
    }
    let calls: Vec<(String, String, Value)> = calls
        .into_values()
        .map(|(id, name, args)| (id, name, serde_json::from_str(&args).unwrap()))
        .collect();
    assert_eq!(
        calls,
        vec![
            ("call_a".into(), "read_file".into(), json!({"path": "src/main.rs", "limit": 20})),
            ("call_b".into(), "list_dir".into(), Value::Object(Map::new())),
        ]
    );
}

#[tokio::test]
async fn calls_and_text_the_provider_did_not_stream_are_sent_at_the_end() {
    let provider = ScriptedProvider::new(vec![Script::Events(vec![Ok(support::completed(
        vec![
            rein_protocol::ContentBlock::text("done"),
            rein_protocol::ContentBlock::ToolUse {
                id: "c1".into(),
                name: "run".into(),
                input: json!({"cmd": "ls"}),
            },
        ],
        rein_protocol::StopReason::EndTurn,
        support::usage(1, 1),
    ))])]);
    let (_, body) = post_chat(&server(provider), streamed(false)).await;
    let chunks = chunks(&body);
    let deltas: Vec<&Value> = chunks.iter().map(delta).collect();
    assert_eq!(
        deltas[1..],
        [
            &json!({"content": "done"}),
            &json!({"tool_calls": [{"index": 0, "id": "c1", "type": "function",
                                    "function": {"name": "run", "arguments": ""}}]}),
            &json!({"tool_calls": [{"index": 0, "function": {"arguments": "{\"cmd\":\"ls\"}"}}]}),
            &json!({}),
        ]
    );
    assert_eq!(chunks.last().unwrap()["choices"][0]["finish_reason"], "tool_calls");
}

#[tokio::test]
async fn a_failure_mid_stream_ends_with_an_error_event_and_no_done() {
    let provider = ScriptedProvider::new(vec![Script::Events(vec![
        Ok(ProviderEvent::TextDelta { text: "par".into() }),
        Err(ProviderError::Server {
            status: 500,
            message: "engine crashed".into(),
            retry_after: None,
        }),
    ])]);
    let (status, body) = post_chat(&server(provider), streamed(false)).await;
    assert_eq!(status, StatusCode::OK, "the stream had already started");
    let data = sse_data(&body);
    assert_eq!(data.len(), 3, "{body}");
    let error: Value = serde_json::from_str(&data[2]).unwrap();
    assert!(error["error"]["message"].as_str().unwrap().contains("engine crashed"), "{error}");
    assert!(!body.contains("[DONE]"));
}

#[tokio::test]
async fn a_failure_before_the_stream_is_a_plain_http_error() {
    let provider = ScriptedProvider::new(vec![Script::Fail(ProviderError::Malformed {
        message: "no".into(),
    })]);
    let (status, body) = post_chat(&server(provider), streamed(false)).await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    let value: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(value["error"]["type"], "server_error");
}
