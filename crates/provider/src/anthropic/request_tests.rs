use super::*;
use pretty_assertions::assert_eq;

fn request(messages: Vec<Message>) -> ModelRequest {
    ModelRequest {
        model: "claude-sonnet-4-5".into(),
        system: vec![],
        messages,
        tools: vec![],
        max_tokens: 1024,
        temperature: None,
        thinking_budget: None,
        cache_last_message: false,
    }
}

fn full_conversation() -> ModelRequest {
    ModelRequest {
        system: vec![
            SystemBlock { text: "You are rein.".into(), cache: true },
            SystemBlock { text: "cwd: /tmp".into(), cache: false },
        ],
        tools: vec![ToolSpec {
            name: "read_file".into(),
            description: "Read a file.".into(),
            input_schema: json!({"type": "object", "properties": {"path": {"type": "string"}}}),
        }],
        max_tokens: 8192,
        temperature: Some(0.5),
        cache_last_message: true,
        ..request(vec![
            Message::user_text("Read main.rs"),
            Message {
                role: Role::Assistant,
                content: vec![
                    ContentBlock::Thinking {
                        thinking: "I need the file.".into(),
                        signature: Some("sig-1".into()),
                    },
                    ContentBlock::Thinking { thinking: "from elsewhere".into(), signature: None },
                    ContentBlock::text("Reading."),
                    ContentBlock::ToolUse {
                        id: "toolu_1".into(),
                        name: "read_file".into(),
                        input: json!({"path": "src/main.rs"}),
                    },
                    ContentBlock::ToolUse {
                        id: "toolu_2".into(),
                        name: "bash".into(),
                        input: json!("{\"command\": "),
                    },
                ],
            },
            Message {
                role: Role::User,
                content: vec![
                    ContentBlock::ToolResult {
                        tool_use_id: "toolu_1".into(),
                        content: "fn main() {}".into(),
                        is_error: false,
                    },
                    ContentBlock::ToolResult {
                        tool_use_id: "toolu_2".into(),
                        content: "arguments were not valid JSON".into(),
                        is_error: true,
                    },
                ],
            },
        ])
    }
}

#[test]
fn builds_the_full_request_body() {
    assert_eq!(
        build(&full_conversation()),
        json!({
            "model": "claude-sonnet-4-5",
            "max_tokens": 8192,
            "stream": true,
            "system": [
                {"type": "text", "text": "You are rein.", "cache_control": {"type": "ephemeral"}},
                {"type": "text", "text": "cwd: /tmp"},
            ],
            "messages": [
                {"role": "user", "content": [{"type": "text", "text": "Read main.rs"}]},
                {"role": "assistant", "content": [
                    {"type": "thinking", "thinking": "I need the file.", "signature": "sig-1"},
                    {"type": "text", "text": "Reading."},
                    {"type": "tool_use", "id": "toolu_1", "name": "read_file",
                     "input": {"path": "src/main.rs"}},
                    {"type": "tool_use", "id": "toolu_2", "name": "bash", "input": {}},
                ]},
                {"role": "user", "content": [
                    {"type": "tool_result", "tool_use_id": "toolu_1", "content": "fn main() {}",
                     "is_error": false},
                    {"type": "tool_result", "tool_use_id": "toolu_2",
                     "content": "arguments were not valid JSON", "is_error": true,
                     "cache_control": {"type": "ephemeral"}},
                ]},
            ],
            "tools": [{
                "name": "read_file",
                "description": "Read a file.",
                "input_schema": {"type": "object", "properties": {"path": {"type": "string"}}},
            }],
            "temperature": 0.5,
        })
    );
}

#[test]
fn exactly_one_message_breakpoint_and_only_when_asked() {
    let body = build(&full_conversation());
    let text = body["messages"].to_string();
    assert_eq!(text.matches("cache_control").count(), 1);

    let mut request = full_conversation();
    request.cache_last_message = false;
    let body = build(&request);
    assert!(!body["messages"].to_string().contains("cache_control"));
    // The system breakpoint does not depend on the message flag.
    assert!(body["system"].to_string().contains("cache_control"));
}

#[test]
fn message_breakpoint_skips_trailing_thinking_and_empty_text() {
    let mut request = request(vec![Message {
        role: Role::Assistant,
        content: vec![
            ContentBlock::text("partial answer"),
            ContentBlock::Thinking { thinking: "hmm".into(), signature: Some("s".into()) },
            ContentBlock::text(""),
        ],
    }]);
    request.cache_last_message = true;
    assert_eq!(
        build(&request)["messages"],
        json!([{"role": "assistant", "content": [
            {"type": "text", "text": "partial answer", "cache_control": {"type": "ephemeral"}},
            {"type": "thinking", "thinking": "hmm", "signature": "s"},
        ]}])
    );
}

#[test]
fn thinking_budget_enables_thinking_and_drops_temperature() {
    let mut request = request(vec![Message::user_text("hi")]);
    request.thinking_budget = Some(4096);
    request.temperature = Some(0.2);
    assert_eq!(
        build(&request),
        json!({
            "model": "claude-sonnet-4-5",
            "max_tokens": 1024,
            "stream": true,
            "messages": [{"role": "user", "content": [{"type": "text", "text": "hi"}]}],
            "thinking": {"type": "enabled", "budget_tokens": 4096},
        })
    );
}

#[test]
fn empty_text_is_kept_only_when_it_is_all_there_is() {
    let only_empty = request(vec![Message::user_text("")]);
    assert_eq!(
        build(&only_empty)["messages"],
        json!([{"role": "user", "content": [{"type": "text", "text": ""}]}])
    );
    let mixed = request(vec![Message {
        role: Role::User,
        content: vec![
            ContentBlock::text(""),
            ContentBlock::ToolResult {
                tool_use_id: "t".into(),
                content: "ok".into(),
                is_error: false,
            },
        ],
    }]);
    assert_eq!(
        build(&mixed)["messages"],
        json!([{"role": "user", "content": [
            {"type": "tool_result", "tool_use_id": "t", "content": "ok", "is_error": false},
        ]}])
    );
}
