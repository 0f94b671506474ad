#![allow(clippy::unwrap_used, reason = "tests")]

use super::*;
use pretty_assertions::assert_eq;

fn translate(body: Value) -> Result<ModelRequest, ApiError> {
    to_model_request(serde_json::from_value(body).unwrap(), "local")
}

#[test]
fn merges_roles_and_keeps_tool_round_trips() {
    let request = translate(json!({
        "model": "anything",
        "messages": [
            {"role": "system", "content": "Be brief."},
            {"role": "developer", "content": [{"type": "text", "text": "Use tools."}]},
            {"role": "user", "content": "Read a.txt"},
            {"role": "user", "content": [{"type": "text", "text": "now"}, {"type": "text", "text": "!"}]},
            {"role": "assistant", "content": null, "tool_calls": [
                {"id": "call_1", "type": "function", "function": {"name": "read", "arguments": "{\"path\":\"a.txt\"}"}},
                {"type": "function", "function": {"name": "list", "arguments": ""}}
            ]},
            {"role": "tool", "tool_call_id": "call_1", "content": "hello"},
            {"role": "tool", "tool_call_id": "call_1b", "content": [{"type": "text", "text": "a.txt"}]},
            {"role": "user", "content": "go on"}
        ],
        "max_completion_tokens": 77,
        "max_tokens": 5,
        "temperature": 0.25
    }))
    .unwrap();
    assert_eq!(request.model, "local");
    assert_eq!(
        request.system,
        vec![
            SystemBlock { text: "Be brief.".into(), cache: false },
            SystemBlock { text: "Use tools.".into(), cache: false },
        ]
    );
    assert_eq!(
        request.messages,
        vec![
            Message {
                role: Role::User,
                content: vec![ContentBlock::text("Read a.txt"), ContentBlock::text("now!")],
            },
            Message {
                role: Role::Assistant,
                content: vec![
                    ContentBlock::ToolUse {
                        id: "call_1".into(),
                        name: "read".into(),
                        input: json!({"path": "a.txt"}),
                    },
                    ContentBlock::ToolUse {
                        id: "call_4_1".into(),
                        name: "list".into(),
                        input: json!({})
                    },
                ],
            },
            Message {
                role: Role::User,
                content: vec![
                    ContentBlock::ToolResult {
                        tool_use_id: "call_1".into(),
                        content: "hello".into(),
                        is_error: false,
                    },
                    ContentBlock::ToolResult {
                        tool_use_id: "call_1b".into(),
                        content: "a.txt".into(),
                        is_error: false,
                    },
                    ContentBlock::text("go on"),
                ],
            },
        ]
    );
    assert_eq!(request.max_tokens, 77);
    assert_eq!(request.temperature, Some(0.25));
}

#[test]
fn tools_become_specs_unless_switched_off() {
    let body = |choice: Value| {
        json!({
            "messages": [{"role": "user", "content": "hi"}],
            "tools": [
                {"type": "function", "function": {"name": "read", "description": "Read a file",
                 "parameters": {"type": "object", "properties": {"path": {"type": "string"}}}}},
                {"type": "function", "function": {"name": "now"}}
            ],
            "tool_choice": choice
        })
    };
    let request = translate(body(json!("auto"))).unwrap();
    assert_eq!(
        request.tools,
        vec![
            ToolSpec {
                name: "read".into(),
                description: "Read a file".into(),
                input_schema: json!({"type": "object", "properties": {"path": {"type": "string"}}}),
            },
            ToolSpec {
                name: "now".into(),
                description: String::new(),
                input_schema: json!({"type": "object", "properties": {}}),
            },
        ]
    );
    assert_eq!(request.max_tokens, DEFAULT_MAX_TOKENS);
    assert!(translate(body(json!("none"))).unwrap().tools.is_empty());
}

#[test]
fn malformed_arguments_are_kept_verbatim() {
    let request = translate(json!({"messages": [
        {"role": "user", "content": "x"},
        {"role": "assistant", "tool_calls": [{"id": "c", "function": {"name": "f", "arguments": "{broken"}}]},
        {"role": "assistant", "tool_calls": [{"id": "d", "function": {"name": "g", "arguments": {"a": 1}}}]}
    ]}))
    .unwrap();
    let inputs: Vec<&Value> = request.messages[1].tool_uses().map(|(_, _, input)| input).collect();
    assert_eq!(inputs, vec![&json!("{broken"), &json!({"a": 1})]);
}

#[test]
fn unsupported_requests_are_refused_with_reasons() {
    let cases = [
        (json!({"messages": []}), "at least one user message"),
        (json!({"messages": [{"role": "system", "content": "x"}]}), "at least one user message"),
        (
            json!({"messages": [{"role": "user", "content": [{"type": "image_url", "image_url": {}}]}]}),
            "`image_url`",
        ),
        (json!({"messages": [{"role": "user", "content": "x"}], "n": 2}), "n = 1"),
        (json!({"messages": [{"role": "user", "content": "x"}], "max_tokens": 0}), "max_tokens"),
        (
            json!({"messages": [{"role": "user", "content": "x"}], "tools": [{"type": "web_search"}]}),
            "`web_search`",
        ),
    ];
    for (body, needle) in cases {
        let error = translate(body).unwrap_err();
        assert_eq!(error.kind, "invalid_request_error");
        assert!(error.message.contains(needle), "{} lacks {needle}", error.message);
    }
}
