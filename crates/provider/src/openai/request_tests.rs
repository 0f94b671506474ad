use super::*;
use pretty_assertions::assert_eq;
use rein_protocol::SystemBlock;

fn request(messages: Vec<Message>) -> ModelRequest {
    ModelRequest {
        model: "gpt-4o".into(),
        system: vec![],
        messages,
        tools: vec![],
        max_tokens: 1024,
        temperature: None,
        thinking_budget: None,
        cache_last_message: false,
    }
}

#[test]
fn builds_the_full_request_body() {
    let request = ModelRequest {
        system: vec![
            SystemBlock { text: "You are rein.".into(), cache: true },
            SystemBlock { text: "cwd: /tmp".into(), cache: false },
        ],
        tools: vec![ToolSpec {
            name: "read_file".into(),
            description: "Read a file.".into(),
            input_schema: json!({"type": "object", "properties": {"path": {"type": "string"}}}),
        }],
        temperature: Some(0.7),
        thinking_budget: Some(2048),
        cache_last_message: true,
        ..request(vec![
            Message::user_text("Read main.rs"),
            Message {
                role: Role::Assistant,
                content: vec![
                    ContentBlock::Thinking { thinking: "plan".into(), signature: Some("s".into()) },
                    ContentBlock::text("Reading."),
                    ContentBlock::ToolUse {
                        id: "call_1".into(),
                        name: "read_file".into(),
                        input: json!({"path": "src/main.rs"}),
                    },
                    ContentBlock::ToolUse {
                        id: "call_2".into(),
                        name: "bash".into(),
                        input: json!("{\"command\": "),
                    },
                ],
            },
            Message {
                role: Role::User,
                content: vec![
                    ContentBlock::text("Also, be quick."),
                    ContentBlock::ToolResult {
                        tool_use_id: "call_1".into(),
                        content: "fn main() {}".into(),
                        is_error: false,
                    },
                    ContentBlock::ToolResult {
                        tool_use_id: "call_2".into(),
                        content: "arguments were not valid JSON".into(),
                        is_error: true,
                    },
                ],
            },
            Message {
                role: Role::Assistant,
                content: vec![ContentBlock::ToolUse {
                    id: "call_3".into(),
                    name: "read_file".into(),
                    input: json!({"path": "b.rs"}),
                }],
            },
            Message {
                role: Role::User,
                content: vec![ContentBlock::ToolResult {
                    tool_use_id: "call_3".into(),
                    content: "missing".into(),
                    is_error: true,
                }],
            },
        ])
    };
    assert_eq!(
        build(&request, MaxTokensField::MaxCompletionTokens),
        json!({
            "model": "gpt-4o",
            "messages": [
                {"role": "system", "content": "You are rein.\n\ncwd: /tmp"},
                {"role": "user", "content": "Read main.rs"},
                {"role": "assistant", "content": "Reading.", "tool_calls": [
                    {"id": "call_1", "type": "function",
                     "function": {"name": "read_file", "arguments": "{\"path\":\"src/main.rs\"}"}},
                    {"id": "call_2", "type": "function",
                     "function": {"name": "bash", "arguments": "{}"}},
                ]},
                {"role": "tool", "tool_call_id": "call_1", "content": "fn main() {}"},
                {"role": "tool", "tool_call_id": "call_2", "content": "Error: arguments were not valid JSON"},
                {"role": "user", "content": "Also, be quick."},
                {"role": "assistant", "content": null, "tool_calls": [
                    {"id": "call_3", "type": "function",
                     "function": {"name": "read_file", "arguments": "{\"path\":\"b.rs\"}"}},
                ]},
                {"role": "tool", "tool_call_id": "call_3", "content": "Error: missing"},
            ],
            "stream": true,
            "stream_options": {"include_usage": true},
            "max_completion_tokens": 1024,
            "tools": [{"type": "function", "function": {
                "name": "read_file",
                "description": "Read a file.",
                "parameters": {"type": "object", "properties": {"path": {"type": "string"}}},
            }}],
            "temperature": 0.7,
        })
    );
}

#[test]
fn minimal_request_for_a_local_server() {
    assert_eq!(
        build(&request(vec![Message::user_text("hi")]), MaxTokensField::MaxTokens),
        json!({
            "model": "gpt-4o",
            "messages": [{"role": "user", "content": "hi"}],
            "stream": true,
            "stream_options": {"include_usage": true},
            "max_tokens": 1024,
        })
    );
}

#[test]
fn text_blocks_are_joined_and_empty_system_blocks_skipped() {
    let mut req = request(vec![
        Message {
            role: Role::User,
            content: vec![ContentBlock::text("one"), ContentBlock::text("two")],
        },
        Message { role: Role::Assistant, content: vec![] },
    ]);
    req.system = vec![SystemBlock { text: String::new(), cache: false }];
    assert_eq!(
        build(&req, MaxTokensField::MaxTokens)["messages"],
        json!([
            {"role": "user", "content": "one\n\ntwo"},
            {"role": "assistant", "content": ""},
        ])
    );
}

#[test]
fn max_tokens_field_depends_on_the_host() {
    let cases = [
        ("https://api.openai.com/v1", MaxTokensField::MaxCompletionTokens),
        ("HTTPS://API.OPENAI.COM/v1/", MaxTokensField::MaxCompletionTokens),
        ("https://api.openai.com:443/v1", MaxTokensField::MaxCompletionTokens),
        ("https://my-res.openai.azure.com/openai/v1", MaxTokensField::MaxCompletionTokens),
        ("http://127.0.0.1:8080/v1", MaxTokensField::MaxTokens),
        ("http://localhost:11434/v1", MaxTokensField::MaxTokens),
        ("https://api.openai.com.example.net/v1", MaxTokensField::MaxTokens),
        ("https://openrouter.ai/api/v1", MaxTokensField::MaxTokens),
        ("not a url", MaxTokensField::MaxTokens),
    ];
    for (url, expected) in cases {
        assert_eq!(MaxTokensField::for_base_url(url), expected, "{url}");
    }
}
