//! Snapshots of the whole screen at 80×24 (the smallest terminal rein promises to work in)
//! for each state the interface can be in.

use crate::app::App;
use crate::commands::CommandRegistry;
use crate::prompts::{ApprovalPrompt, QuestionPrompt, SessionRow};
use crate::status::Status;
use crate::theme::Theme;
use crossterm::event::{Event as TermEvent, KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::style::Color;
use rein_protocol::{Event, Message, SessionStopReason, Usage};
use serde_json::json;

fn app(theme: Theme) -> App {
    let status = Status {
        session_id: "0193abcd".into(),
        model: "claude-sonnet-4-5".into(),
        permission_mode: "accept-edits".into(),
        context_window: 200_000,
        context_tokens: 0,
        session_tokens: 0,
        cost_usd: 0.0,
    };
    App::new(theme, status, CommandRegistry::builtin(), Vec::new())
}

fn screen(app: &mut App, width: u16, height: u16) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|frame| app.draw(frame)).unwrap();
    terminal
}

fn key(app: &mut App, code: KeyCode) -> Option<crate::app::Action> {
    app.on_terminal_event(&TermEvent::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        key(app, KeyCode::Char(c));
    }
}

/// A short session: a prompt, streamed markdown, a read, an edit and a finished run.
fn conversation(app: &mut App) {
    app.set_running(Some("make the greeting friendlier"));
    let events = [
        Event::TurnStarted { turn: 1 },
        Event::TextDelta { text: "I'll look at **main.rs** first.".into() },
        Event::ToolCallStarted {
            id: "t1".into(),
            name: "read".into(),
            input: json!({"path": "src/main.rs"}),
        },
        Event::ToolCallFinished {
            id: "t1".into(),
            name: "read".into(),
            is_error: false,
            output: "1\tfn main() {\n2\t    println!(\"hello\");\n3\t}".into(),
            duration_ms: 3,
        },
        Event::ToolCallStarted {
            id: "t2".into(),
            name: "edit".into(),
            input: json!({"path": "src/main.rs", "old_string": "    println!(\"hello\");", "new_string": "    println!(\"hello, friend\");"}),
        },
        Event::ToolCallFinished {
            id: "t2".into(),
            name: "edit".into(),
            is_error: false,
            output: "ok".into(),
            duration_ms: 12,
        },
        Event::ToolCallStarted {
            id: "t3".into(),
            name: "bash".into(),
            input: json!({"command": "cargo test"}),
        },
        Event::ToolCallFinished {
            id: "t3".into(),
            name: "bash".into(),
            is_error: true,
            output: "error[E0425]: cannot find value `x`\n  --> src/main.rs:2:5".into(),
            duration_ms: 1534,
        },
        Event::TurnStarted { turn: 2 },
        Event::TextDelta {
            text: "Done:\n\n- changed the greeting\n- `cargo test` fails for an unrelated reason"
                .into(),
        },
        Event::Usage {
            turn: 2,
            usage: Usage { input_tokens: 30_000, output_tokens: 500, ..Usage::default() },
            cost_usd: 0.01,
            session_usage: Usage { input_tokens: 52_000, output_tokens: 900, ..Usage::default() },
            session_cost_usd: 0.0213,
        },
        Event::Finished {
            session_id: "0193abcd".into(),
            stop_reason: SessionStopReason::Completed,
            result: String::new(),
            turns: 2,
            usage: Usage::default(),
            cost_usd: 0.02,
            duration_ms: 2000,
        },
    ];
    for event in &events {
        app.on_event(event);
    }
    app.set_running(None);
}

#[test]
fn an_empty_session_at_80_by_24() {
    let mut app = app(Theme::COLOR);
    insta::assert_snapshot!(screen(&mut app, 80, 24).backend());
}

#[test]
fn a_conversation_with_markdown_tool_cards_and_a_diff() {
    let mut app = app(Theme::COLOR);
    conversation(&mut app);
    insta::assert_snapshot!(screen(&mut app, 80, 24).backend());
}

#[test]
fn ctrl_o_opens_the_tool_cards() {
    let mut app = app(Theme::COLOR);
    conversation(&mut app);
    app.on_terminal_event(&TermEvent::Key(KeyEvent::new(
        KeyCode::Char('o'),
        KeyModifiers::CONTROL,
    )));
    insta::assert_snapshot!(screen(&mut app, 80, 30).backend());
}

#[test]
fn an_approval_prompt_shows_the_call_the_reason_the_rule_and_a_diff() {
    let mut app = app(Theme::COLOR);
    app.set_running(Some("rename the function"));
    app.ask_approval(ApprovalPrompt {
        tool: "edit".into(),
        input: json!({"path": ".rein/notes.rs", "old_string": "fn old() {}", "new_string": "fn new() {}"}),
        reason: "`.rein` holds settings; edits there are asked about".into(),
        rule: Some("edit(.rein/**)".into()),
        settings_file: ".rein/config.toml".into(),
    });
    insta::assert_snapshot!(screen(&mut app, 80, 24).backend());
}

#[test]
fn a_question_from_the_model_with_options() {
    let mut app = app(Theme::COLOR);
    app.set_running(Some("set up the database"));
    app.ask_question(QuestionPrompt {
        question: "Which database should the tests use?".into(),
        options: vec!["SQLite".into(), "PostgreSQL".into()],
    });
    key(&mut app, KeyCode::Down);
    insta::assert_snapshot!(screen(&mut app, 80, 24).backend());
}

#[test]
fn typing_a_slash_lists_matching_commands() {
    let mut app = app(Theme::COLOR);
    type_text(&mut app, "/c");
    insta::assert_snapshot!(screen(&mut app, 80, 24).backend());
}

#[test]
fn the_resume_picker_filters_as_you_type() {
    let mut app = app(Theme::COLOR);
    let row = |id: &str, title: &str, turns| SessionRow {
        id: id.into(),
        title: title.into(),
        updated: "2026-11-20 14:03".into(),
        turns,
    };
    app.pick_session(vec![
        row("0193aaaa-1111", "fix the flaky login test", 12),
        row("0193bbbb-2222", "add a dark theme", 4),
        row("0193cccc-3333", "fix the build on arm", 7),
    ]);
    type_text(&mut app, "fix");
    key(&mut app, KeyCode::Down);
    insta::assert_snapshot!(screen(&mut app, 80, 24).backend());
}

#[test]
fn the_task_list_and_a_running_turn() {
    let mut app = app(Theme::COLOR);
    app.set_running(Some("refactor the parser"));
    app.on_event(&Event::ToolCallStarted {
        id: "t".into(),
        name: "todo".into(),
        input: json!({"todos": [
            {"content": "Split the lexer out", "status": "completed"},
            {"content": "Move the tests", "status": "in_progress"},
            {"content": "Update the docs", "status": "pending"}
        ]}),
    });
    let terminal = screen(&mut app, 80, 24);
    // The spinner's elapsed time varies; the snapshot covers everything above the status line.
    let text = format!("{}", terminal.backend());
    let above_status: Vec<&str> = text.lines().take(23).collect();
    insta::assert_snapshot!(above_status.join("\n"));
}

#[test]
fn a_narrow_terminal_wraps_and_cuts_without_losing_the_status() {
    let mut app = app(Theme::COLOR);
    conversation(&mut app);
    insta::assert_snapshot!(screen(&mut app, 40, 16).backend());
}

#[test]
fn no_color_draws_without_any_colour() {
    let mut app = app(Theme::PLAIN);
    conversation(&mut app);
    app.ask_approval(ApprovalPrompt {
        tool: "bash".into(),
        input: json!({"command": "npm run build"}),
        reason: "not allowed by any rule".into(),
        rule: Some("bash(npm run *)".into()),
        settings_file: ".rein/config.toml".into(),
    });
    let terminal = screen(&mut app, 80, 24);
    for cell in terminal.backend().buffer().content() {
        assert_eq!((cell.fg, cell.bg), (Color::Reset, Color::Reset), "{cell:?}");
    }
}

#[test]
fn a_resumed_conversation_is_shown_as_it_was() {
    let mut app = app(Theme::COLOR);
    let messages: Vec<Message> = serde_json::from_value(json!([
        {"role": "user", "content": [{"type": "text", "text": "list the files"}]},
        {"role": "assistant", "content": [
            {"type": "text", "text": "Listing them."},
            {"type": "tool_use", "id": "a", "name": "bash", "input": {"command": "ls"}}
        ]},
        {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "a", "content": "Cargo.toml\nsrc"}]},
        {"role": "assistant", "content": [{"type": "text", "text": "Two entries."}]}
    ]))
    .unwrap();
    app.load_conversation(&messages);
    insta::assert_snapshot!(screen(&mut app, 80, 24).backend());
}

#[test]
fn page_up_scrolls_back_and_page_down_returns_to_the_end() {
    let mut app = app(Theme::COLOR);
    for n in 0..40 {
        app.notice(crate::cells::Notice::Info, format!("line {n}"));
    }
    let bottom = format!("{}", screen(&mut app, 80, 24).backend());
    assert!(bottom.contains("line 39"), "{bottom}");
    key(&mut app, KeyCode::PageUp);
    let scrolled = format!("{}", screen(&mut app, 80, 24).backend());
    assert!(!scrolled.contains("line 39"), "{scrolled}");
    assert!(scrolled.contains("more lines below"), "{scrolled}");
    key(&mut app, KeyCode::PageDown);
    key(&mut app, KeyCode::PageDown);
    let back = format!("{}", screen(&mut app, 80, 24).backend());
    assert!(back.contains("line 39") && !back.contains("more lines below"), "{back}");
}
