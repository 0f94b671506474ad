use super::*;
use crate::test_support::{Item, assert_split_invariant, decode, wire};
use pretty_assertions::assert_eq;
use serde_json::json;

const MODEL: &str = "local-model";

fn decoder() -> OpenAiDecoder {
    OpenAiDecoder::new(MODEL)
}

async fn run(text: &str) -> Vec<Item> {
    decode(decoder(), vec![wire(text, "\n")]).await
}

fn text(t: &str) -> Item {
    Ok(ProviderEvent::TextDelta { text: t.into() })
}

fn started(id: &str, name: &str) -> Item {
    Ok(ProviderEvent::ToolUseStarted { id: id.into(), name: name.into() })
}

fn completed(response: ModelResponse) -> Item {
    Ok(ProviderEvent::Completed { response })
}

fn last_response(items: &[Item]) -> &ModelResponse {
    match items.last() {
        Some(Ok(ProviderEvent::Completed { response })) => response,
        other => panic!("no completion at the end: {other:?}"),
    }
}

/// A recorded OpenAI answer: text, two parallel tool calls, finish, usage chunk, `[DONE]`.
const TOOL_TURN: &str = r#"data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"gpt-4o-2024-08-06","choices":[{"index":0,"delta":{"role":"assistant","content":"","refusal":null},"logprobs":null,"finish_reason":null}],"usage":null}

data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"gpt-4o-2024-08-06","choices":[{"index":0,"delta":{"content":"Let me "},"logprobs":null,"finish_reason":null}],"usage":null}

data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"gpt-4o-2024-08-06","choices":[{"index":0,"delta":{"content":"check ✓"},"logprobs":null,"finish_reason":null}],"usage":null}

data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"gpt-4o-2024-08-06","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_abc","type":"function","function":{"name":"read_file","arguments":""}}]},"logprobs":null,"finish_reason":null}],"usage":null}

data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"gpt-4o-2024-08-06","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\"path\":"}}]},"logprobs":null,"finish_reason":null}],"usage":null}

data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"gpt-4o-2024-08-06","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":" \"a.rs\"}"}}]},"logprobs":null,"finish_reason":null}],"usage":null}

data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"gpt-4o-2024-08-06","choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"id":"call_def","type":"function","function":{"name":"bash","arguments":"{\"command\":\"ls\"}"}}]},"logprobs":null,"finish_reason":null}],"usage":null}

data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"gpt-4o-2024-08-06","choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"tool_calls"}],"usage":null}

data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"gpt-4o-2024-08-06","choices":[],"usage":{"prompt_tokens":1200,"completion_tokens":40,"total_tokens":1240,"prompt_tokens_details":{"cached_tokens":1024,"audio_tokens":0},"completion_tokens_details":{"reasoning_tokens":0}}}

data: [DONE]

"#;

fn tool_turn_events() -> Vec<Item> {
    vec![
        text("Let me "),
        text("check ✓"),
        started("call_abc", "read_file"),
        started("call_def", "bash"),
        completed(ModelResponse {
            content: vec![
                ContentBlock::Text { text: "Let me check ✓".into() },
                ContentBlock::ToolUse {
                    id: "call_abc".into(),
                    name: "read_file".into(),
                    input: json!({"path": "a.rs"}),
                },
                ContentBlock::ToolUse {
                    id: "call_def".into(),
                    name: "bash".into(),
                    input: json!({"command": "ls"}),
                },
            ],
            stop_reason: StopReason::ToolUse,
            usage: Usage {
                input_tokens: 176,
                output_tokens: 40,
                cache_read_tokens: 1024,
                cache_creation_tokens: 0,
            },
            model: "gpt-4o-2024-08-06".into(),
        }),
    ]
}

#[tokio::test]
async fn decodes_a_tool_turn_at_any_chunk_boundary() {
    assert_split_invariant(decoder, &wire(TOOL_TURN, "\n"), &tool_turn_events()).await;
}

#[tokio::test]
async fn decodes_a_tool_turn_with_crlf_line_endings() {
    assert_split_invariant(decoder, &wire(TOOL_TURN, "\r\n"), &tool_turn_events()).await;
}

/// A local server: reasoning_content, no tool-call ids, "stop" despite tool calls, no usage,
/// keep-alive comments, and no `[DONE]`.
const LOCAL_TURN: &str = r#": keep-alive

data: {"choices":[{"index":0,"delta":{"role":"assistant","reasoning_content":"Think"}}]}

data: {"choices":[{"index":0,"delta":{"reasoning_content":"ing."}}]}

data: {"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"name":"bash","arguments":"{\"command\""}}]}}]}

data: {"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"name":"bash","arguments":":\"pwd\"}"}}]}}]}

data: {"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}
"#;

#[tokio::test]
async fn decodes_a_local_server_turn() {
    let expected = vec![
        Ok(ProviderEvent::ThinkingDelta { text: "Think".into() }),
        Ok(ProviderEvent::ThinkingDelta { text: "ing.".into() }),
        started("call_0", "bash"),
        completed(ModelResponse {
            content: vec![
                ContentBlock::Thinking { thinking: "Thinking.".into(), signature: None },
                ContentBlock::ToolUse {
                    id: "call_0".into(),
                    name: "bash".into(),
                    input: json!({"command": "pwd"}),
                },
            ],
            stop_reason: StopReason::ToolUse,
            usage: Usage::default(),
            model: MODEL.into(),
        }),
    ];
    assert_split_invariant(decoder, &wire(LOCAL_TURN, "\n"), &expected).await;
}

#[tokio::test]
async fn tool_calls_without_index_or_name_are_still_assembled() {
    let items = run(r#"data: {"choices":[{"delta":{"tool_calls":[{"id":"a","function":{"name":"x","arguments":"{}"}}]}}]}

data: {"choices":[{"delta":{"tool_calls":[{"id":"b","function":{"name":"y","arguments":"{\"k\":"}}]}}]}

data: {"choices":[{"delta":{"tool_calls":[{"function":{"arguments":"1}"}}]}}]}

data: {"choices":[{"delta":{"tool_calls":[{"index":2,"function":{"arguments":"oops"}}]}}]}

data: {"choices":[{"delta":{},"finish_reason":"tool_calls"}]}

data: [DONE]
"#)
    .await;
    assert_eq!(
        items,
        vec![
            started("a", "x"),
            started("b", "y"),
            // Announced at the end, with a generated id and the empty name it had.
            started("call_2", ""),
            completed(ModelResponse {
                content: vec![
                    ContentBlock::ToolUse { id: "a".into(), name: "x".into(), input: json!({}) },
                    ContentBlock::ToolUse {
                        id: "b".into(),
                        name: "y".into(),
                        input: json!({"k": 1})
                    },
                    ContentBlock::ToolUse {
                        id: "call_2".into(),
                        name: String::new(),
                        input: json!("oops")
                    },
                ],
                stop_reason: StopReason::ToolUse,
                usage: Usage::default(),
                model: MODEL.into(),
            }),
        ]
    );
}

#[tokio::test]
async fn finish_reasons_are_mapped() {
    for (reason, expected) in [
        ("stop", StopReason::EndTurn),
        ("length", StopReason::MaxTokens),
        ("content_filter", StopReason::Refusal),
        ("tool_calls", StopReason::ToolUse),
        ("eos", StopReason::Other("eos".into())),
    ] {
        let body = format!(
            "data: {{\"choices\":[{{\"index\":0,\"delta\":{{\"content\":\"x\"}},\"finish_reason\":\"{reason}\"}}]}}\n\ndata: [DONE]\n\n"
        );
        assert_eq!(last_response(&run(&body).await).stop_reason, expected, "{reason}");
    }
}

#[tokio::test]
async fn refusals_are_text_with_a_refusal_stop() {
    let items =
        run(r#"data: {"choices":[{"index":0,"delta":{"refusal":"I can't help with that."}}]}

data: {"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}

data: [DONE]
"#)
        .await;
    assert_eq!(items[0], text("I can't help with that."));
    let response = last_response(&items);
    assert_eq!(response.stop_reason, StopReason::Refusal);
    assert_eq!(
        response.content,
        vec![ContentBlock::Text { text: "I can't help with that.".into() }]
    );
}

#[tokio::test]
async fn other_choices_are_ignored() {
    let items = run(r#"data: {"choices":[{"index":1,"delta":{"content":"other"}},{"index":0,"delta":{"content":"mine"}}]}

data: [DONE]
"#)
    .await;
    assert_eq!(items[0], text("mine"));
    assert_eq!(last_response(&items).content, vec![ContentBlock::Text { text: "mine".into() }]);
}

#[tokio::test]
async fn a_body_ending_without_finish_reason_is_a_stream_cut() {
    let items =
        run("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"}}]}\n\n").await;
    assert_eq!(items[0], text("Hel"));
    assert_eq!(items.len(), 2);
    assert_eq!(items[1].as_ref().unwrap_err().kind(), "stream_cut");
    let items = run("").await;
    assert_eq!(items.len(), 1);
    assert_eq!(items[0].as_ref().unwrap_err().kind(), "stream_cut");
}

#[tokio::test]
async fn error_chunks_end_the_stream() {
    let items = run(r#"data: {"choices":[{"index":0,"delta":{"content":"Hel"}}]}

data: {"error":{"message":"The server had an error while processing your request.","type":"server_error","param":null,"code":null}}

data: {"choices":[{"index":0,"delta":{"content":"lo"}}]}
"#)
    .await;
    assert_eq!(
        items,
        vec![
            text("Hel"),
            Err(ProviderError::Server {
                status: 500,
                message: "The server had an error while processing your request.".into(),
                retry_after: None,
            }),
        ]
    );

    let items = run("event: error\ndata: {\"message\":\"context size exceeded: maximum context length is 4096\"}\n\n").await;
    assert_eq!(items.len(), 1);
    assert_eq!(items[0].as_ref().unwrap_err().kind(), "context_overflow");
}

#[tokio::test]
async fn non_json_chunks_are_malformed() {
    let items = run("data: {\"choices\":[\n\n").await;
    assert_eq!(items.len(), 1);
    assert_eq!(items[0].as_ref().unwrap_err().kind(), "malformed");
}

#[tokio::test]
async fn usage_without_cache_details_counts_all_input_as_uncached() {
    let items = run(r#"data: {"choices":[{"index":0,"delta":{"content":"hi"},"finish_reason":"stop"}],"usage":{"prompt_tokens":50,"completion_tokens":2,"prompt_tokens_details":null}}

data: [DONE]
"#)
    .await;
    assert_eq!(
        last_response(&items).usage,
        Usage {
            input_tokens: 50,
            output_tokens: 2,
            cache_read_tokens: 0,
            cache_creation_tokens: 0
        }
    );
}
