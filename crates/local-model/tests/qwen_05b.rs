//! Qwen2.5-Coder-0.5B: its real chat template, and tool calls forced through the grammar.
#![allow(clippy::unwrap_used, reason = "tests")]

mod common;

use common::*;
use pretty_assertions::assert_eq;
use rein_local::{LocalOptions, ToolChoice};
use rein_protocol::{ContentBlock, Message, Role, StopReason};
use serde_json::{Value, json};

const SYSTEM: &str = "You are a coding assistant. Use the tools to work with files.";

#[tokio::test]
async fn renders_the_chat_template_from_the_gguf() {
    let _lock = exclusive();
    let provider = load(QWEN_05B, LocalOptions::default());
    let messages = vec![
        Message::user_text("What is in a.txt?"),
        Message {
            role: Role::Assistant,
            content: vec![
                ContentBlock::text("Reading it."),
                ContentBlock::ToolUse {
                    id: "c1".into(),
                    name: "read".into(),
                    input: json!({"path": "a.txt"}),
                },
            ],
        },
        Message {
            role: Role::User,
            content: vec![ContentBlock::ToolResult {
                tool_use_id: "c1".into(),
                content: "hello\n".into(),
                is_error: false,
            }],
        },
    ];
    let prompt = provider.render_prompt(&request(SYSTEM, messages, tools(), 64)).unwrap();
    assert_eq!(prompt, EXPECTED);
}

/// The prompt for the conversation above as the GGUF's template renders it: tools listed
/// compactly in the template's own format, the earlier call in `<tool_call>` tags, and the
/// result handed back as a user message.
const EXPECTED: &str = r#"<|im_start|>system
You are a coding assistant. Use the tools to work with files.

# Tools

You may call one or more functions to assist with the user query.

You are provided with function signatures within <tools></tools> XML tags:
<tools>
{"type": "function", "function": {"name": "read", "description": "Read a text file.", "parameters": {"type": "object", "properties": {"path": {"type": "string", "description": "File path, absolute or relative to the working directory."}, "limit": {"type": "integer", "description": "Number of lines to show."}, "offset": {"type": "integer", "description": "First line to show (1-based)."}}, "required": ["path"]}}}
{"type": "function", "function": {"name": "write", "description": "Create or overwrite a file with the given content.", "parameters": {"type": "object", "properties": {"path": {"type": "string", "description": "File path."}, "content": {"type": "string", "description": "The full new content of the file."}}, "required": ["path", "content"]}}}
</tools>

For each function call, return a json object with function name and arguments within <tool_call></tool_call> XML tags:
<tool_call>
{"name": <function-name>, "arguments": <args-json-object>}
</tool_call><|im_end|>
<|im_start|>user
What is in a.txt?<|im_end|>
<|im_start|>assistant
Reading it.
<tool_call>
{"name": "read", "arguments": {"path": "a.txt"}}
</tool_call><|im_end|>
<|im_start|>user
Result of read(path="a.txt"):
hello

Continue with the task, or answer if you have what you need.<|im_end|>
<|im_start|>assistant
"#;

/// Asks for one action with the call forced, and returns the single call made.
async fn forced_call(provider: &rein_local::LocalProvider, ask: &str) -> (String, Value) {
    let out = run(provider, &request(SYSTEM, vec![Message::user_text(ask)], tools(), 96)).await;
    assert_eq!(out.response.stop_reason, StopReason::ToolUse, "{ask}: {:?}", out.response);
    let calls: Vec<(String, Value)> = out
        .response
        .content
        .iter()
        .filter_map(|b| match b {
            ContentBlock::ToolUse { name, input, .. } => Some((name.clone(), input.clone())),
            _ => None,
        })
        .collect();
    assert_eq!(calls.len(), 1, "{ask}: {calls:?}");
    calls.into_iter().next().unwrap()
}

#[tokio::test]
async fn forced_calls_pick_the_right_tool_and_path() {
    let _lock = exclusive();
    let provider = load(QWEN_05B, LocalOptions::default()).with_tool_choice(ToolChoice::Required);

    let (name, input) = forced_call(&provider, "What is the first line of README.md?").await;
    assert_eq!((name.as_str(), &input["path"]), ("read", &json!("README.md")), "{input}");

    let (name, input) = forced_call(&provider, "Show me src/main.rs").await;
    assert_eq!((name.as_str(), &input["path"]), ("read", &json!("src/main.rs")), "{input}");

    let (name, input) =
        forced_call(&provider, "Create a file hello.txt containing \"Hello, world!\"").await;
    assert_eq!(name, "write");
    assert_eq!((&input["path"], &input["content"]), (&json!("hello.txt"), &json!("Hello, world!")));
}
