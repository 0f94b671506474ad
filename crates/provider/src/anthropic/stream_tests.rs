use super::*;
use crate::test_support::{Item, assert_split_invariant, decode, wire};
use pretty_assertions::assert_eq;
use serde_json::json;

const MODEL: &str = "claude-sonnet-4-5";

fn decoder() -> AnthropicDecoder {
    AnthropicDecoder::new(MODEL)
}

async fn run(text: &str) -> Vec<Item> {
    decode(decoder(), vec![wire(text, "\n")]).await
}

fn text(t: &str) -> Item {
    Ok(ProviderEvent::TextDelta { text: t.into() })
}

fn thinking(t: &str) -> Item {
    Ok(ProviderEvent::ThinkingDelta { text: t.into() })
}

fn completed(response: ModelResponse) -> Item {
    Ok(ProviderEvent::Completed { response })
}

/// A recorded answer with thinking, text (with multi-byte characters) and a tool call.
const TOOL_TURN: &str = r#"event: message_start
data: {"type":"message_start","message":{"id":"msg_01","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":12,"cache_creation_input_tokens":100,"cache_read_input_tokens":2000,"output_tokens":1}}}

event: content_block_start
data: {"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":"","signature":""}}

event: ping
data: {"type": "ping"}

event: content_block_delta
data: {"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"Let me look"}}

event: content_block_delta
data: {"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":" at the file."}}

event: content_block_delta
data: {"type":"content_block_delta","index":0,"delta":{"type":"signature_delta","signature":"EqQBCgIYAh=="}}

event: content_block_stop
data: {"type":"content_block_stop","index":0}

event: content_block_start
data: {"type":"content_block_start","index":1,"content_block":{"type":"text","text":""}}

event: content_block_delta
data: {"type":"content_block_delta","index":1,"delta":{"type":"text_delta","text":"I'll read it — "}}

event: content_block_delta
data: {"type":"content_block_delta","index":1,"delta":{"type":"text_delta","text":"now ✓"}}

event: content_block_stop
data: {"type":"content_block_stop","index":1}

event: content_block_start
data: {"type":"content_block_start","index":2,"content_block":{"type":"tool_use","id":"toolu_01","name":"read_file","input":{}}}

event: content_block_delta
data: {"type":"content_block_delta","index":2,"delta":{"type":"input_json_delta","partial_json":""}}

event: content_block_delta
data: {"type":"content_block_delta","index":2,"delta":{"type":"input_json_delta","partial_json":"{\"path\": \"src/"}}

event: content_block_delta
data: {"type":"content_block_delta","index":2,"delta":{"type":"input_json_delta","partial_json":"main.rs\"}"}}

event: content_block_stop
data: {"type":"content_block_stop","index":2}

event: message_delta
data: {"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":87}}

event: message_stop
data: {"type":"message_stop"}

"#;

fn tool_turn_events() -> Vec<Item> {
    vec![
        thinking("Let me look"),
        thinking(" at the file."),
        text("I'll read it — "),
        text("now ✓"),
        Ok(ProviderEvent::ToolUseStarted { id: "toolu_01".into(), name: "read_file".into() }),
        completed(ModelResponse {
            content: vec![
                ContentBlock::Thinking {
                    thinking: "Let me look at the file.".into(),
                    signature: Some("EqQBCgIYAh==".into()),
                },
                ContentBlock::Text { text: "I'll read it — now ✓".into() },
                ContentBlock::ToolUse {
                    id: "toolu_01".into(),
                    name: "read_file".into(),
                    input: json!({"path": "src/main.rs"}),
                },
            ],
            stop_reason: StopReason::ToolUse,
            usage: Usage {
                input_tokens: 12,
                output_tokens: 87,
                cache_read_tokens: 2000,
                cache_creation_tokens: 100,
            },
            model: "claude-sonnet-4-5-20250929".into(),
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

#[tokio::test]
async fn nothing_after_message_stop_is_read() {
    let mut body = wire(TOOL_TURN, "\n");
    body.extend_from_slice(b"data: \xFF not even utf-8\n\n");
    assert_eq!(decode(decoder(), vec![body]).await, tool_turn_events());
}

#[tokio::test]
async fn an_overloaded_error_event_mid_stream_ends_with_an_error_item() {
    let items = run(r#"event: message_start
data: {"type":"message_start","message":{"model":"claude-sonnet-4-5","usage":{"input_tokens":5,"output_tokens":1}}}

event: content_block_start
data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

event: content_block_delta
data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hel"}}

event: error
data: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}

"#)
    .await;
    assert_eq!(
        items,
        vec![
            text("Hel"),
            Err(ProviderError::Overloaded { retry_after: None, message: "Overloaded".into() }),
        ]
    );
}

#[tokio::test]
async fn a_body_ending_before_message_stop_is_a_stream_cut() {
    let cut = TOOL_TURN
        .split("event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":2")
        .next()
        .unwrap();
    let items = run(cut).await;
    assert_eq!(items.len(), 5, "{items:?}");
    assert_eq!(items[..4], tool_turn_events()[..4]);
    assert_eq!(items[4].as_ref().unwrap_err().kind(), "stream_cut");

    let items = run("").await;
    assert_eq!(items.len(), 1);
    assert_eq!(items[0].as_ref().unwrap_err().kind(), "stream_cut");
}

/// A minimal stream around one tool call whose argument fragments are `fragments`.
fn tool_stream(fragments: &[&str]) -> String {
    let mut out = String::from(
        "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"tool_use\",\"id\":\"t1\",\"name\":\"bash\",\"input\":{}}}\n\n",
    );
    for fragment in fragments {
        let delta = json!({
            "type": "content_block_delta",
            "index": 0,
            "delta": {"type": "input_json_delta", "partial_json": fragment},
        });
        out.push_str(&format!("event: content_block_delta\ndata: {delta}\n\n"));
    }
    out.push_str("event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\"},\"usage\":{\"output_tokens\":3}}\n\n");
    out.push_str("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
    out
}

async fn tool_input_of(fragments: &[&str]) -> serde_json::Value {
    let items = run(&tool_stream(fragments)).await;
    let Some(Ok(ProviderEvent::Completed { response })) = items.last() else {
        panic!("no completion: {items:?}");
    };
    let Some(ContentBlock::ToolUse { input, .. }) = response.content.first() else {
        panic!("no tool use: {response:?}");
    };
    input.clone()
}

#[tokio::test]
async fn tool_input_is_assembled_defaulted_or_kept_raw() {
    assert_eq!(tool_input_of(&["{\"command\":", " \"ls\"}"]).await, json!({"command": "ls"}));
    assert_eq!(tool_input_of(&[]).await, json!({}));
    assert_eq!(tool_input_of(&[""]).await, json!({}));
    assert_eq!(tool_input_of(&["{\"command\": \"l"]).await, json!("{\"command\": \"l"));
}

#[tokio::test]
async fn usage_in_message_delta_is_cumulative() {
    let items = run(r#"event: message_start
data: {"type":"message_start","message":{"model":"m","usage":{"input_tokens":10,"output_tokens":1,"cache_read_input_tokens":null}}}

event: message_delta
data: {"type":"message_delta","delta":{"stop_reason":"max_tokens"},"usage":{"input_tokens":10,"output_tokens":50,"cache_read_input_tokens":300,"cache_creation_input_tokens":40}}

event: message_delta
data: {"type":"message_delta","delta":{},"usage":{"output_tokens":64}}

event: message_stop
data: {"type":"message_stop"}

"#)
    .await;
    assert_eq!(
        items,
        vec![completed(ModelResponse {
            content: vec![],
            stop_reason: StopReason::MaxTokens,
            usage: Usage {
                input_tokens: 10,
                output_tokens: 64,
                cache_read_tokens: 300,
                cache_creation_tokens: 40,
            },
            model: "m".into(),
        })]
    );
}

#[tokio::test]
async fn unsupported_blocks_and_events_are_skipped() {
    let items = run(r#"event: content_block_start
data: {"type":"content_block_start","index":0,"content_block":{"type":"redacted_thinking","data":"abc"}}

event: content_block_delta
data: {"type":"content_block_delta","index":0,"delta":{"type":"something_new","x":1}}

event: content_block_start
data: {"type":"content_block_start","index":1,"content_block":{"type":"text","text":"Hi"}}

event: content_block_delta
data: {"type":"content_block_delta","index":1,"delta":{"type":"citations_delta","citation":{}}}

event: brand_new_event
data: {"type":"brand_new_event"}

event: message_delta
data: {"type":"message_delta","delta":{"stop_reason":"pause_turn"},"usage":{"output_tokens":2}}

event: message_stop
data: {"type":"message_stop"}

"#)
    .await;
    assert_eq!(
        items,
        vec![
            text("Hi"),
            completed(ModelResponse {
                content: vec![ContentBlock::Text { text: "Hi".into() }],
                stop_reason: StopReason::Other("pause_turn".into()),
                usage: Usage { output_tokens: 2, ..Usage::default() },
                // No message_start: the requested model stands in.
                model: MODEL.into(),
            }),
        ]
    );
}

#[tokio::test]
async fn refusals_and_missing_stop_reasons_are_mapped() {
    let items = run("data: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"refusal\"}}\n\ndata: {\"type\":\"message_stop\"}\n\n").await;
    let Some(Ok(ProviderEvent::Completed { response })) = items.last() else { panic!() };
    assert_eq!(response.stop_reason, StopReason::Refusal);

    let items =
        run(&tool_stream(&["{}"]).replace("\"stop_reason\":\"tool_use\"", "\"stop_reason\":null"))
            .await;
    let Some(Ok(ProviderEvent::Completed { response })) = items.last() else { panic!() };
    assert_eq!(response.stop_reason, StopReason::ToolUse);
}

#[tokio::test]
async fn broken_events_are_malformed() {
    for body in [
        "event: message_start\ndata: {not json\n\n",
        "data: {\"type\":\"content_block_delta\",\"index\":3,\"delta\":{\"type\":\"text_delta\",\"text\":\"x\"}}\n\n",
        "data: {\"type\":\"content_block_start\",\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n",
        "data: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{}\"}}\n\n",
    ] {
        let items = run(body).await;
        assert_eq!(items.len(), 1, "{body}: {items:?}");
        assert_eq!(items[0].as_ref().unwrap_err().kind(), "malformed", "{body}");
    }
}
