//! Smoke tests on SmolLM2-135M: tiny and fast, useless for answers but enough to exercise the
//! whole path from request to stream.

mod common;

use common::*;
use futures::StreamExt;
use rein_local::{LocalOptions, ToolChoice};
use rein_protocol::{ContentBlock, Message, ProviderEvent, StopReason};
use rein_provider::{ErrorAction, Provider, ProviderError};
use std::time::Instant;

const STORY: &str = "Write a very long story about a dragon who learns to bake bread.";

#[tokio::test]
async fn streams_text_and_stops_at_the_cap() {
    let _lock = exclusive();
    let provider = load(SMOLLM, LocalOptions::default());
    assert_eq!(provider.name(), "local");
    assert_eq!(provider.model_name(), "smollm2-135m-instruct-q4_1");
    let out = run(&provider, &request("", vec![Message::user_text(STORY)], vec![], 12)).await;
    assert_eq!(out.response.stop_reason, StopReason::MaxTokens);
    assert_eq!(out.response.usage.output_tokens, 12);
    assert!(out.response.usage.input_tokens > 10, "{:?}", out.response.usage);
    assert!(out.deltas.len() > 1, "text should arrive in pieces: {:?}", out.deltas);
    assert_eq!(out.response.content, [ContentBlock::text(out.streamed())]);
    assert_eq!(out.response.model, "smollm2-135m-instruct-q4_1");
}

#[tokio::test]
async fn the_same_prompt_again_is_served_from_the_cache() {
    let _lock = exclusive();
    let provider = load(SMOLLM, LocalOptions::default());
    let req = request("Be brief.", vec![Message::user_text("Name a colour.")], vec![], 4);
    let first = run(&provider, &req).await.response;
    let second = run(&provider, &req).await.response;
    assert_eq!(first.usage.cache_read_tokens, 0);
    let prompt = first.usage.input_tokens;
    assert_eq!((second.usage.input_tokens, second.usage.cache_read_tokens), (1, prompt - 1));
    assert_eq!(first.content, second.content, "greedy decoding is deterministic");
}

#[tokio::test]
async fn dropping_the_stream_stops_generation() {
    let _lock = exclusive();
    let options = LocalOptions { max_new_tokens: 400, ..LocalOptions::default() };
    let provider = load(SMOLLM, options);
    let long = request("", vec![Message::user_text(STORY)], vec![], 400);
    // How long the whole answer takes when nobody interrupts it.
    let full = run(&provider, &long).await;
    assert!(
        full.response.usage.output_tokens >= 100,
        "the reference answer is too short: {:?}",
        full.response
    );

    let mut stream = provider.stream(&long).await.unwrap();
    let first = stream.next().await.unwrap().unwrap();
    assert!(matches!(first, ProviderEvent::TextDelta { .. }), "{first:?}");
    drop(stream);
    // The next request only starts once the thread has let go of the dropped one.
    let started = Instant::now();
    let next = run(&provider, &request("", vec![Message::user_text("Hi")], vec![], 1)).await;
    assert_eq!(next.response.usage.output_tokens, 1);
    assert!(
        started.elapsed() < full.total / 3,
        "generation went on after the stream was dropped: {:?} vs {:?} for a full answer",
        started.elapsed(),
        full.total
    );
}

#[tokio::test]
async fn a_prompt_longer_than_the_context_asks_for_compaction() {
    let _lock = exclusive();
    let provider = load(SMOLLM, LocalOptions { n_ctx: 128, ..LocalOptions::default() });
    let long = "lorem ipsum dolor sit amet ".repeat(60);
    let Err(error) = provider.stream(&request("", vec![Message::user_text(long)], vec![], 8)).await
    else {
        panic!("an oversized prompt was accepted")
    };
    assert!(matches!(error, ProviderError::ContextOverflow { .. }), "{error:?}");
    assert_eq!(error.action(), ErrorAction::Compact);
    // The provider still works afterwards.
    let out = run(&provider, &request("", vec![Message::user_text("Hi")], vec![], 2)).await;
    assert_eq!(out.response.usage.output_tokens, 2);
}

#[tokio::test]
async fn llama_cpp_accepts_the_tool_grammars() {
    let _lock = exclusive();
    let provider = load(SMOLLM, LocalOptions::default());
    let mut tools = tools();
    tools.push(rein_protocol::ToolSpec {
        name: "todo_write".into(),
        description: "Replace the task list.".into(),
        input_schema: serde_json::json!({
            "type": "object",
            "properties": {
                "todos": {"type": "array", "items": {"type": "object", "properties": {
                    "content": {"type": "string"},
                    "status": {"type": "string", "enum": ["pending", "in_progress", "completed"]},
                    "priority": {"type": ["integer", "null"]}
                }, "required": ["content", "status"]}},
                "merge": {"type": "boolean"},
                "meta": {"description": "anything at all"}
            },
            "required": ["todos"]
        }),
    });
    provider.check_tool_grammar(&tools).unwrap();
    provider.check_tool_grammar(&[]).unwrap();
}

#[tokio::test]
async fn tools_go_into_the_system_message_when_the_template_ignores_them() {
    let _lock = exclusive();
    let provider = load(SMOLLM, LocalOptions::default());
    let prompt = provider
        .render_prompt(&request("You are rein.", vec![Message::user_text("Hi")], tools(), 8))
        .unwrap();
    assert!(prompt.starts_with("<|im_start|>system\nYou are rein.\n\n# Tools\n"), "{prompt}");
    assert!(
        prompt.contains(
            "- read(path: string, limit?: integer, offset?: integer): Read a text file.\n"
        ),
        "{prompt}"
    );
    assert!(
        prompt.ends_with("<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n"),
        "{prompt}"
    );
}

#[tokio::test]
async fn a_forced_call_is_well_formed_even_from_a_tiny_model() {
    let _lock = exclusive();
    let provider = load(SMOLLM, LocalOptions::default()).with_tool_choice(ToolChoice::Required);
    let ask = Message::user_text("Show me the file src/main.rs");
    let out = run(&provider, &request("", vec![ask], tools(), 48)).await;
    // Too small to pick sensible arguments, but the grammar guarantees the shape.
    if out.response.stop_reason == StopReason::ToolUse {
        let calls: Vec<_> = out
            .response
            .content
            .iter()
            .filter_map(|b| match b {
                ContentBlock::ToolUse { name, input, .. } => Some((name.clone(), input.clone())),
                _ => None,
            })
            .collect();
        assert!(!calls.is_empty());
        for (name, input) in calls {
            assert!(name == "read" || name == "write", "{name}");
            assert!(input.get("path").is_some_and(|p| p.is_string()), "{input}");
        }
    } else {
        // A runaway string argument can hit the token cap before the call closes.
        assert_eq!(out.response.stop_reason, StopReason::MaxTokens, "{:?}", out.response);
    }
    assert!(out.deltas.is_empty(), "a call is not streamed as text: {:?}", out.deltas);
}
