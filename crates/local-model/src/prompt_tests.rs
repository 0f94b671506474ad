use super::*;
use pretty_assertions::assert_eq;
use rein_protocol::{Message, SystemBlock};
use serde_json::json;

fn request(messages: Vec<Message>) -> ModelRequest {
    ModelRequest {
        model: "local".into(),
        system: vec![
            SystemBlock { text: "You are rein.".into(), cache: true },
            SystemBlock { text: "Be brief.".into(), cache: false },
        ],
        messages,
        tools: vec![ToolSpec {
            name: "read".into(),
            description: "Read a text file. Output lines are numbered.".into(),
            input_schema: json!({
                "type": "object",
                "properties": {"path": {"type": "string", "description": "File path."}, "limit": {"type": "integer"}},
                "required": ["path"]
            }),
        }],
        max_tokens: 100,
        temperature: None,
        thinking_budget: None,
        cache_last_message: true,
    }
}

fn round_trip() -> Vec<Message> {
    vec![
        Message::user_text("What is in src/lib.rs?"),
        Message {
            role: Role::Assistant,
            content: vec![
                ContentBlock::Thinking { thinking: "hmm".into(), signature: None },
                ContentBlock::ToolUse {
                    id: "c1".into(),
                    name: "read".into(),
                    input: json!({"path": "src/lib.rs"}),
                },
            ],
        },
        Message {
            role: Role::User,
            content: vec![ContentBlock::ToolResult {
                tool_use_id: "c1".into(),
                content: "1\tpub fn f() {}\n".into(),
                is_error: false,
            }],
        },
    ]
}

const CAPS: TemplateCaps = TemplateCaps { tools: true, tool_calls: true };

#[test]
fn system_blocks_join_and_tools_are_compact() {
    let prompt = build(&request(vec![Message::user_text("hi")]), CAPS, ReplyFormat::Tools);
    assert_eq!(
        prompt.messages[0],
        ChatMessage {
            role: "system",
            content: "You are rein.\n\nBe brief.".into(),
            tool_calls: vec![]
        }
    );
    assert_eq!(prompt.tools.len(), 1);
    assert_eq!(prompt.tools[0].description, "Read a text file.");
}

#[test]
fn tool_results_come_back_as_user_text() {
    let prompt = build(&request(round_trip()), CAPS, ReplyFormat::Tools);
    assert_eq!(prompt.messages.len(), 4);
    assert_eq!(
        prompt.messages[2],
        ChatMessage {
            role: "assistant",
            content: String::new(),
            tool_calls: vec![ToolCall {
                name: "read".into(),
                arguments: json!({"path": "src/lib.rs"})
            }],
        }
    );
    assert_eq!(
        prompt.messages[3].content,
        "Result of read(path=\"src/lib.rs\"):\n1\tpub fn f() {}\n\nContinue with the task, or answer if you have what you need."
    );
}

#[test]
fn templates_without_tools_get_them_in_the_system_message() {
    let caps = TemplateCaps { tools: false, tool_calls: false };
    let prompt = build(&request(round_trip()), caps, ReplyFormat::Tools);
    assert!(prompt.tools.is_empty());
    assert_eq!(
        prompt.messages[0].content,
        "You are rein.\n\nBe brief.\n\n# Tools\n\nYou can call these tools:\n- read(path: string, limit?: integer): Read a text file.\n\nTo call a tool, reply with only:\n<tool_call>\n{\"name\": \"<tool name>\", \"arguments\": {<arguments as JSON>}}\n</tool_call>"
    );
    assert_eq!(
        prompt.messages[2].content,
        "<tool_call>\n{\"arguments\":{\"path\":\"src/lib.rs\"},\"name\":\"read\"}\n</tool_call>"
    );
}

#[test]
fn errors_and_long_arguments() {
    let mut messages = round_trip();
    messages[1].content[1] = ContentBlock::ToolUse {
        id: "c1".into(),
        name: "write".into(),
        input: json!({"content": "x".repeat(100), "path": "a.txt"}),
    };
    messages[2].content[0] = ContentBlock::ToolResult {
        tool_use_id: "c1".into(),
        content: "denied".into(),
        is_error: true,
    };
    let prompt = build(&request(messages), CAPS, ReplyFormat::Tools);
    let expected = format!(
        "Error from write(content=\"{}…, path=\"a.txt\"):\ndenied\n\nContinue with the task, or answer if you have what you need.",
        "x".repeat(58)
    );
    assert_eq!(prompt.messages[3].content, expected);
}

#[test]
fn block_format_lists_no_tools_and_shows_replies_as_written() {
    let reply = "a.py\n```python\nx = 1\n```\n```sh\npython a.py\n```";
    let messages = vec![
        Message::user_text("Make a.py"),
        Message {
            role: Role::Assistant,
            content: vec![
                ContentBlock::text(reply),
                ContentBlock::ToolUse {
                    id: "w".into(),
                    name: "write".into(),
                    input: json!({"path": "a.py", "content": "x = 1\n"}),
                },
                ContentBlock::ToolUse {
                    id: "b".into(),
                    name: "bash".into(),
                    input: json!({"command": "python a.py"}),
                },
            ],
        },
        Message {
            role: Role::User,
            content: vec![
                ContentBlock::ToolResult {
                    tool_use_id: "w".into(),
                    content: "Created a.py".into(),
                    is_error: false,
                },
                ContentBlock::ToolResult {
                    tool_use_id: "b".into(),
                    content: "boom\n".into(),
                    is_error: true,
                },
            ],
        },
    ];
    let prompt = build(&request(messages), CAPS, ReplyFormat::Blocks);
    assert!(prompt.tools.is_empty());
    assert!(prompt.messages[0].content.ends_with(BLOCK_INSTRUCTIONS));
    assert_eq!(prompt.messages[2].content, reply);
    assert!(prompt.messages[2].tool_calls.is_empty());
    assert_eq!(
        prompt.messages[3].content,
        "Created a.py\n\n$ python a.py\nError: boom\n\nIf the task is done, reply with a short summary of what you changed. Otherwise go on with it."
    );
}
