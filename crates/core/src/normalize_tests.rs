use super::*;
use pretty_assertions::assert_eq;
use serde_json::json;

fn call(id: &str) -> ContentBlock {
    ContentBlock::ToolUse { id: id.into(), name: "read".into(), input: json!({}) }
}

fn result(id: &str, content: &str, is_error: bool) -> ContentBlock {
    ContentBlock::ToolResult { tool_use_id: id.into(), content: content.into(), is_error }
}

#[test]
fn dangling_calls_get_interrupted_results() {
    let messages = vec![
        Message::user_text("go"),
        Message { role: Role::Assistant, content: vec![call("a"), call("b")] },
    ];
    let fixed = normalize(messages);
    assert_eq!(fixed.len(), 3);
    assert_eq!(fixed[2].content, vec![result("a", NO_RESULT, true), result("b", NO_RESULT, true)]);
}

#[test]
fn partial_results_are_completed_in_place() {
    let messages = vec![
        Message::user_text("go"),
        Message { role: Role::Assistant, content: vec![call("a"), call("b")] },
        Message { role: Role::User, content: vec![result("a", "ok", false)] },
    ];
    let fixed = normalize(messages);
    assert_eq!(fixed[2].content, vec![result("b", NO_RESULT, true), result("a", "ok", false)]);
}

#[test]
fn consecutive_same_role_messages_merge_and_empty_ones_drop() {
    let messages = vec![
        Message::user_text("one"),
        Message { role: Role::Assistant, content: vec![] },
        Message::user_text("two"),
        Message::assistant_text("answer"),
    ];
    let fixed = normalize(messages);
    assert_eq!(fixed.len(), 2);
    assert_eq!(fixed[0].content, vec![ContentBlock::text("one"), ContentBlock::text("two")]);
}
