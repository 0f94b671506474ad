use super::*;
use pretty_assertions::assert_eq;

#[test]
fn thresholds_leave_room_for_the_reply_and_the_summary() {
    assert_eq!(threshold(200_000, 16_384), 200_000 - 16_384 - 12_500);
    assert_eq!(threshold(8_192, 16_384), 8_192 - 2_048 - 512);
    assert_eq!(threshold(1_000_000, 32_000), 1_000_000 - 20_000 - 13_000);
}

#[test]
fn user_messages_skip_context_and_results_and_carry_over_summaries() {
    let earlier = summary_block("did things", &["first ask".into(), "second\nask".into()]);
    let messages = vec![
        Message {
            role: Role::User,
            content: vec![
                ContentBlock::text("<environment>\ncwd: /x\n</environment>"),
                ContentBlock::text(earlier),
                ContentBlock::text("app.py\n```python\nx = 1\n```"),
                ContentBlock::text("third ask, about a.py"),
            ],
        },
        Message { role: Role::Assistant, content: vec![ContentBlock::text("ok")] },
        Message {
            role: Role::User,
            content: vec![ContentBlock::ToolResult {
                tool_use_id: "t".into(),
                content: "not the user's words".into(),
                is_error: false,
            }],
        },
        Message::user_text("fourth: never touch the tests"),
        Message { role: Role::Assistant, content: vec![ContentBlock::text("ok")] },
        Message::user_text("Fix:\n```\nlet x = 1;\n```"),
    ];
    assert_eq!(
        user_messages(&messages),
        [
            "first ask",
            "second\nask",
            "third ask, about a.py",
            "fourth: never touch the tests",
            "Fix:\n```\nlet x = 1;\n```"
        ]
    );
}

#[test]
fn todo_blocks_show_progress() {
    let todos = vec![
        rein_tools::TodoItem { content: "a".into(), status: rein_tools::TodoStatus::Completed },
        rein_tools::TodoItem { content: "b".into(), status: rein_tools::TodoStatus::InProgress },
    ];
    assert_eq!(
        todo_block(&todos).unwrap(),
        "<todos>\nThe todo list as it stood:\n[x] a\n[~] b\n</todos>"
    );
    assert_eq!(todo_block(&[]), None);
}
