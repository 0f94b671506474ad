//! Qwen2.5-Coder-1.5B: one full tool round trip, the way the agent loop drives it.

mod common;

use common::*;
use rein_local::LocalOptions;
use rein_protocol::{ContentBlock, Message, Role, StopReason};
use serde_json::json;

const SYSTEM: &str = "You are a coding assistant. Use the tools to work with files.";

#[tokio::test]
async fn reads_a_file_then_answers_from_it_reusing_the_cache() {
    let _lock = exclusive();
    let provider = load(QWEN_15B, LocalOptions::default());

    // Turn 1: the model has to look at the file.
    let mut messages = vec![Message::user_text("What is the first line of README.md?")];
    let turn1 = run(&provider, &request(SYSTEM, messages.clone(), tools(), 96)).await;
    assert_eq!(turn1.response.stop_reason, StopReason::ToolUse, "{:?}", turn1.response);
    let (id, input) = turn1
        .response
        .content
        .iter()
        .find_map(|b| match b {
            ContentBlock::ToolUse { id, name, input } if name == "read" => {
                Some((id.clone(), input.clone()))
            }
            _ => None,
        })
        .unwrap_or_else(|| panic!("no read call: {:?}", turn1.response.content));
    assert_eq!(input["path"], json!("README.md"), "{input}");
    assert_eq!(turn1.response.usage.cache_read_tokens, 0);

    // Turn 2: the result comes back; the model answers from it.
    messages.push(Message { role: Role::Assistant, content: turn1.response.content.clone() });
    messages.push(Message {
        role: Role::User,
        content: vec![ContentBlock::ToolResult {
            tool_use_id: id,
            content: "     1\t# tinyharness\n     2\t\n     3\tA small agent harness.\n".into(),
            is_error: false,
        }],
    });
    let turn2 = run(&provider, &request(SYSTEM, messages, tools(), 64)).await;
    assert_eq!(turn2.response.stop_reason, StopReason::EndTurn, "{:?}", turn2.response);
    let answer = turn2.streamed();
    assert!(answer.contains("tinyharness"), "{answer}");
    assert_eq!(turn2.response.content, [ContentBlock::text(answer)]);

    // Only the new tail of the conversation was prefilled.
    let usage = turn2.response.usage;
    let turn1_prompt = turn1.response.usage.input_tokens;
    assert!(
        usage.cache_read_tokens >= turn1_prompt - 1,
        "{usage:?} after a {turn1_prompt}-token prompt"
    );
    assert!(usage.input_tokens < 150, "{usage:?}");
    println!(
        "turn 1: {:?}, turn 2: first text after {:?} ({usage:?})",
        turn1.total, turn2.first_token
    );
}
