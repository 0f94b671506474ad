use super::*;
use pretty_assertions::assert_eq;
use serde_json::json;
use std::time::Duration;

fn finish(stop: Stop) -> Finish {
    Finish {
        stop,
        prefilled: 12,
        reused: 30,
        generated: 7,
        prefill_time: Duration::ZERO,
        decode_time: Duration::ZERO,
    }
}

#[test]
fn calls_become_tool_use_blocks() {
    let text = "Reading.\n<tool_call>\n{\"name\": \"read\", \"arguments\": {\"path\": \"a\"}}\n</tool_call>";
    let response = build_response(text, &finish(Stop::EndOfTurn), "qwen", ReplyParse::ToolCalls);
    assert_eq!(response.stop_reason, StopReason::ToolUse);
    assert_eq!(response.content[0], ContentBlock::text("Reading."));
    let ContentBlock::ToolUse { id, name, input } = &response.content[1] else {
        panic!("no tool use: {response:?}")
    };
    assert!(id.starts_with("call_local_"), "{id}");
    assert_eq!((name.as_str(), input), ("read", &json!({"path": "a"})));
    assert_eq!(
        response.usage,
        Usage {
            input_tokens: 12,
            output_tokens: 7,
            cache_read_tokens: 30,
            cache_creation_tokens: 0
        }
    );
    assert_eq!(response.model, "qwen");
}

#[test]
fn stop_reasons() {
    let stop = |text: &str, stop| {
        build_response(text, &finish(stop), "m", ReplyParse::ToolCalls).stop_reason
    };
    assert_eq!(stop("Hello", Stop::EndOfTurn), StopReason::EndTurn);
    assert_eq!(stop("Hello", Stop::MaxTokens), StopReason::MaxTokens);
    assert_eq!(stop("Hello", Stop::ContextFull), StopReason::MaxTokens);
    assert_eq!(stop("Hello", Stop::Repetition), StopReason::EndTurn);
    assert_eq!(
        stop("<tool_call>{\"name\": \"x\", \"arguments\": {", Stop::MaxTokens),
        StopReason::MaxTokens
    );
}

#[test]
fn without_tools_json_stays_text() {
    let text = "{\"name\": \"read\", \"arguments\": {}}";
    let response = build_response(text, &finish(Stop::EndOfTurn), "m", ReplyParse::Text);
    assert_eq!(response.content, [ContentBlock::text(text)]);
    assert!(
        build_response("  ", &finish(Stop::EndOfTurn), "m", ReplyParse::Text).content.is_empty()
    );
}

#[test]
fn blocks_keep_the_whole_text_and_add_their_calls() {
    let text = "a.py\n```python\nx = 1\n```\n```sh\npython a.py\n```\n";
    let parse = ReplyParse::Blocks { files: true, commands: true };
    let response = build_response(text, &finish(Stop::EndOfTurn), "m", parse);
    assert_eq!(response.content.len(), 3);
    assert_eq!(response.content[0], ContentBlock::text(text.trim()));
    assert!(
        matches!(&response.content[1], ContentBlock::ToolUse { name, input, .. } if name == "write" && input["content"] == "x = 1\n")
    );
    assert!(
        matches!(&response.content[2], ContentBlock::ToolUse { name, input, .. } if name == "bash" && input["command"] == "python a.py")
    );
    assert_eq!(response.stop_reason, StopReason::ToolUse);
}

#[test]
fn call_ids_are_unique() {
    assert_ne!(next_call_id(), next_call_id());
}

#[tokio::test]
async fn events_stream_text_then_calls_then_the_response() {
    use futures::StreamExt;
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    for piece in [
        "Let me look.",
        "\n<tool_call>",
        "\n{\"name\": \"read\", \"arguments\": {\"path\": \"a\"}}",
        "\n</tool_call>",
    ] {
        tx.send(EngineEvent::Text(piece.into())).unwrap();
    }
    tx.send(EngineEvent::Done(finish(Stop::EndOfTurn))).unwrap();
    let events: Vec<_> = event_stream(rx, "m".into(), ReplyParse::ToolCalls).collect().await;
    assert_eq!(events.len(), 3, "{events:?}");
    assert_eq!(events[0], Ok(ProviderEvent::TextDelta { text: "Let me look.".into() }));
    assert!(matches!(&events[1], Ok(ProviderEvent::ToolUseStarted { name, .. }) if name == "read"));
    assert!(
        matches!(&events[2], Ok(ProviderEvent::Completed { response }) if response.stop_reason == StopReason::ToolUse)
    );
}

#[tokio::test]
async fn a_vanished_engine_is_an_error() {
    use futures::StreamExt;
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    tx.send(EngineEvent::Text("partial".into())).unwrap();
    drop(tx);
    let events: Vec<_> = event_stream(rx, "m".into(), ReplyParse::Text).collect().await;
    assert_eq!(events.len(), 2);
    assert!(matches!(&events[1], Err(ProviderError::InvalidConfig { .. })));
}
