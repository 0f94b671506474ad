use super::*;
use pretty_assertions::assert_eq;
use serde_json::json;

fn tool_round(id: &str, output: &str) -> [Message; 2] {
    [
        Message {
            role: Role::Assistant,
            content: vec![ContentBlock::ToolUse {
                id: id.into(),
                name: "bash".into(),
                input: json!({"command": "cargo test"}),
            }],
        },
        Message {
            role: Role::User,
            content: vec![ContentBlock::ToolResult {
                tool_use_id: id.into(),
                content: output.into(),
                is_error: false,
            }],
        },
    ]
}

#[test]
fn messages_render_as_text_without_context_blocks_and_with_short_results() {
    let mut messages = vec![Message {
        role: Role::User,
        content: vec![
            ContentBlock::text("<environment>\nworking directory: /x\n</environment>"),
            ContentBlock::text("Fix the failing test in parser.rs"),
        ],
    }];
    messages.extend(tool_round("t1", &"x".repeat(RESULT_CHARS + 500)));
    messages.push(Message { role: Role::Assistant, content: vec![ContentBlock::text("Fixed.")] });

    let text = render_messages(&messages);
    assert!(!text.contains("working directory"), "{text}");
    assert!(text.starts_with("[user]\nFix the failing test in parser.rs\n"), "{text}");
    assert!(text.contains("[tool call] bash {\"command\":\"cargo test\"}\n"), "{text}");
    assert!(text.contains(&format!("{}\n[… 500 more characters]\n", "x".repeat(RESULT_CHARS))));
    assert!(text.ends_with("[agent]\nFixed.\n"), "{text}");
}

#[test]
fn shorten_cuts_on_character_boundaries() {
    assert_eq!(shorten("héllo", 10), "héllo");
    assert_eq!(shorten("héllo", 2), "hé\n[… 3 more characters]");
}

#[test]
fn the_update_request_carries_the_previous_summary_the_new_messages_and_the_marker() {
    let new = tool_round("t1", "3 passed");
    let request = update_request("m", Some("1. Goal: fix the parser"), &new);
    assert_eq!(request.model, "m");
    assert!(request.tools.is_empty());
    assert!(!request.cache_last_message);
    let [message] = request.messages.as_slice() else {
        panic!("one message expected: {:?}", request.messages);
    };
    let text = message.text();
    assert!(text.starts_with("<previous-summary>\n1. Goal: fix the parser\n</previous-summary>"));
    assert!(text.contains("[tool result]\n3 passed\n"), "{text}");
    assert!(text.contains(SUMMARY_UPDATE_REQUEST), "{text}");
    assert!(text.contains("6. Next step"), "{text}");

    let first = update_request("m", None, &new).messages[0].text();
    assert!(first.starts_with("There is no summary yet"), "{first}");
}

#[test]
fn a_summary_is_usable_only_while_its_last_message_is_unchanged() {
    let mut messages = vec![Message::user_text("start")];
    messages.extend(tool_round("t1", "out"));
    let mut summary = RunningSummary::default();
    assert_eq!(summary.usable(&messages), None);

    summary.latest = Some(Covered { text: "s".into(), messages: 3, last_blocks: 1 });
    assert!(summary.usable(&messages).is_some());
    // The last covered message grew (a later message of the same role merged into it).
    messages[2].content.push(ContentBlock::text("more"));
    assert_eq!(summary.usable(&messages), None);
    // The conversation is shorter than what the summary covers.
    summary.latest = Some(Covered { text: "s".into(), messages: 9, last_blocks: 1 });
    assert_eq!(summary.usable(&messages), None);

    summary.rebase("after compaction".into(), &messages[0]);
    let covered = summary.usable(&messages).cloned();
    assert_eq!(
        covered,
        Some(Covered { text: "after compaction".into(), messages: 1, last_blocks: 1 })
    );
}
