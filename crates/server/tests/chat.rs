//! Whole (non-streamed) completions, request translation and errors.

#![allow(clippy::unwrap_used, reason = "tests")]

mod support;

use axum::http::StatusCode;
use pretty_assertions::assert_eq;
use rein_protocol::{ContentBlock, Message, Role, SystemBlock, ToolSpec};
use rein_provider::ProviderError;
use serde_json::{Value, json};
use support::{Script, ScriptedProvider, post_chat, server, text_answer, tool_answer};

fn user(text: &str) -> Value {
    json!({"model": "whatever", "messages": [{"role": "user", "content": text}]})
}

#[tokio::test]
async fn answers_text_as_a_chat_completion() {
    let provider = ScriptedProvider::new(vec![text_answer("Hello", ", world")]);
    let (status, body) = post_chat(&server(provider), user("hi")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let mut value: Value = serde_json::from_str(&body).unwrap();
    assert!(value["id"].as_str().unwrap().starts_with("chatcmpl-"));
    assert!(value["created"].as_u64().unwrap() > 0);
    value["id"] = json!("X");
    value["created"] = json!(0);
    assert_eq!(
        value,
        json!({
            "id": "X",
            "object": "chat.completion",
            "created": 0,
            "model": "local-model",
            "choices": [{
                "index": 0,
                "message": {"role": "assistant", "content": "Hello, world"},
                "finish_reason": "stop",
                "logprobs": null,
            }],
            "usage": {"prompt_tokens": 12, "completion_tokens": 3, "total_tokens": 15,
                      "prompt_tokens_details": {"cached_tokens": 0}},
        })
    );
}

#[tokio::test]
async fn answers_tool_calls_with_json_arguments() {
    let provider = ScriptedProvider::new(vec![tool_answer()]);
    let (status, body) = post_chat(&server(provider), user("look")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let value: Value = serde_json::from_str(&body).unwrap();
    let choice = &value["choices"][0];
    assert_eq!(choice["finish_reason"], "tool_calls");
    assert_eq!(choice["message"]["content"], "Let me look.");
    let calls = choice["message"]["tool_calls"].as_array().unwrap();
    assert_eq!(calls.len(), 2);
    assert_eq!(calls[0]["id"], "call_a");
    assert_eq!(calls[0]["type"], "function");
    assert_eq!(calls[0]["function"]["name"], "read_file");
    let arguments: Value =
        serde_json::from_str(calls[0]["function"]["arguments"].as_str().unwrap()).unwrap();
    assert_eq!(arguments, json!({"path": "src/main.rs", "limit": 20}));
    assert_eq!(calls[1]["function"]["arguments"], "{}");
}

#[tokio::test]
async fn translates_a_tool_result_round_trip() {
    let provider = ScriptedProvider::new(vec![text_answer("It says ", "hi.")]);
    let body = json!({
        "model": "gpt-4o",
        "messages": [
            {"role": "system", "content": "You are terse."},
            {"role": "user", "content": "What is in a.txt?"},
            {"role": "assistant", "content": null, "tool_calls": [{
                "id": "call_7", "type": "function",
                "function": {"name": "read_file", "arguments": "{\"path\":\"a.txt\"}"}
            }]},
            {"role": "tool", "tool_call_id": "call_7", "content": "hi"}
        ],
        "tools": [{"type": "function", "function": {
            "name": "read_file", "description": "Read a file",
            "parameters": {"type": "object", "properties": {"path": {"type": "string"}}, "required": ["path"]}
        }}],
        "max_tokens": 64,
        "temperature": 0.0,
        "top_p": 0.9,
        "user": "editor"
    });
    let (status, _) = post_chat(&server(provider.clone()), body).await;
    assert_eq!(status, StatusCode::OK);
    let requests = provider.requests();
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(request.model, "local-model");
    assert_eq!(request.system, vec![SystemBlock { text: "You are terse.".into(), cache: false }]);
    assert_eq!(
        request.messages,
        vec![
            Message::user_text("What is in a.txt?"),
            Message {
                role: Role::Assistant,
                content: vec![ContentBlock::ToolUse {
                    id: "call_7".into(),
                    name: "read_file".into(),
                    input: json!({"path": "a.txt"}),
                }],
            },
            Message {
                role: Role::User,
                content: vec![ContentBlock::ToolResult {
                    tool_use_id: "call_7".into(),
                    content: "hi".into(),
                    is_error: false,
                }],
            },
        ]
    );
    assert_eq!(
        request.tools,
        vec![ToolSpec {
            name: "read_file".into(),
            description: "Read a file".into(),
            input_schema: json!({"type": "object", "properties": {"path": {"type": "string"}}, "required": ["path"]}),
        }]
    );
    assert_eq!(request.max_tokens, 64);
    assert_eq!(request.temperature, Some(0.0));
}

async fn expect_400(body: &str, needle: &str) {
    let provider = ScriptedProvider::new(vec![]);
    let request = axum::http::Request::builder()
        .method("POST")
        .uri("/v1/chat/completions")
        .header("content-type", "application/json")
        .body(axum::body::Body::from(body.to_string()))
        .unwrap();
    let response =
        tower::ServiceExt::oneshot(server(provider.clone()).router(), request).await.unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{body}");
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap();
    let value: Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(value["error"]["type"], "invalid_request_error", "{value}");
    let message = value["error"]["message"].as_str().unwrap();
    assert!(message.contains(needle), "{message:?} lacks {needle:?}");
    assert!(provider.requests().is_empty(), "the model must not be called");
}

#[tokio::test]
async fn malformed_requests_get_openai_shaped_400s() {
    expect_400("{not json", "not a valid chat completion request").await;
    expect_400(r#"{"model": "m"}"#, "missing field `messages`").await;
    expect_400(r#"{"messages": "hi"}"#, "not a valid chat completion request").await;
    expect_400(r#"{"messages": [{"role": "wizard", "content": "x"}]}"#, "wizard").await;
    expect_400(r#"{"messages": [{"role": "tool", "content": "x"}]}"#, "tool_call_id").await;
    expect_400(r#"{"messages": []}"#, "at least one user message").await;
    expect_400(
        r#"{"messages": [{"role": "user", "content": [{"type": "image_url", "image_url": {"url": "x"}}]}]}"#,
        "image_url",
    )
    .await;
}

async fn provider_failure(error: ProviderError) -> (StatusCode, Value) {
    let provider = ScriptedProvider::new(vec![Script::Fail(error)]);
    let (status, body) = post_chat(&server(provider), user("hi")).await;
    (status, serde_json::from_str(&body).unwrap())
}

#[tokio::test]
async fn provider_errors_become_500_503_or_context_400() {
    let (status, body) =
        provider_failure(ProviderError::Malformed { message: "template broke".into() }).await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(body["error"]["type"], "server_error");
    assert!(body["error"]["message"].as_str().unwrap().contains("template broke"));

    let (status, _) =
        provider_failure(ProviderError::Overloaded { retry_after: None, message: "busy".into() })
            .await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);

    let (status, body) =
        provider_failure(ProviderError::ContextOverflow { message: "5000 > 4096".into() }).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"]["code"], "context_length_exceeded");
}

#[tokio::test]
async fn an_error_mid_answer_fails_the_whole_completion() {
    let provider = ScriptedProvider::new(vec![Script::Events(vec![
        Ok(rein_protocol::ProviderEvent::TextDelta { text: "partial".into() }),
        Err(ProviderError::StreamCut { message: "engine crashed".into() }),
    ])]);
    let (status, body) = post_chat(&server(provider), user("hi")).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(body.contains("engine crashed"), "{body}");
}
