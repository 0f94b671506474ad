use super::{Action, App};
use crate::commands::CommandRegistry;
use crate::prompts::{ApprovalAnswer, ApprovalPrompt, QuestionPrompt, SessionRow};
use crate::status::Status;
use crate::theme::Theme;
use crossterm::event::{Event as TermEvent, KeyCode, KeyEvent, KeyModifiers};
use pretty_assertions::assert_eq;
use rein_protocol::Event;
use serde_json::json;

fn app() -> App {
    App::new(
        Theme::COLOR,
        Status::default(),
        CommandRegistry::builtin(),
        vec!["earlier prompt".into()],
    )
}

fn press(app: &mut App, code: KeyCode, modifiers: KeyModifiers) -> Option<Action> {
    app.on_terminal_event(&TermEvent::Key(KeyEvent::new(code, modifiers)))
}

fn key(app: &mut App, code: KeyCode) -> Option<Action> {
    press(app, code, KeyModifiers::NONE)
}

fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        key(app, KeyCode::Char(c));
    }
}

#[test]
fn enter_submits_and_alt_enter_ctrl_j_or_a_backslash_add_lines() {
    let mut app = app();
    type_text(&mut app, "first");
    press(&mut app, KeyCode::Enter, KeyModifiers::ALT);
    type_text(&mut app, "second");
    press(&mut app, KeyCode::Char('j'), KeyModifiers::CONTROL);
    type_text(&mut app, "third\\");
    assert_eq!(key(&mut app, KeyCode::Enter), None);
    type_text(&mut app, "fourth");
    assert_eq!(
        key(&mut app, KeyCode::Enter),
        Some(Action::Submit("first\nsecond\nthird\nfourth".into()))
    );
    assert_eq!(key(&mut app, KeyCode::Enter), None, "an empty prompt is not sent");
}

#[test]
fn pasted_text_arrives_whole_with_its_newlines() {
    let mut app = app();
    app.on_terminal_event(&TermEvent::Paste("line one\nline two".into()));
    assert_eq!(key(&mut app, KeyCode::Enter), Some(Action::Submit("line one\nline two".into())));
}

#[test]
fn up_recalls_earlier_prompts() {
    let mut app = app();
    key(&mut app, KeyCode::Up);
    assert_eq!(key(&mut app, KeyCode::Enter), Some(Action::Submit("earlier prompt".into())));
}

#[test]
fn slash_commands_complete_and_run_with_their_arguments() {
    let mut app = app();
    type_text(&mut app, "/co");
    let names: Vec<_> = app.completions().iter().map(|c| c.name.clone()).collect();
    assert_eq!(names, ["compact", "cost"]);
    key(&mut app, KeyCode::Down);
    // Enter on a command that takes no arguments completes and runs it.
    assert_eq!(
        key(&mut app, KeyCode::Enter),
        Some(Action::Command { name: "cost".into(), args: String::new() })
    );
    type_text(&mut app, "/comp");
    assert_eq!(key(&mut app, KeyCode::Tab), None);
    type_text(&mut app, "keep the plan");
    let expected = Action::Command { name: "compact".into(), args: "keep the plan".into() };
    assert_eq!(key(&mut app, KeyCode::Enter), Some(expected));
}

#[test]
fn an_unknown_command_is_reported_and_a_path_is_a_prompt() {
    let mut app = app();
    type_text(&mut app, "/nope");
    key(&mut app, KeyCode::Esc);
    assert_eq!(key(&mut app, KeyCode::Enter), None);
    type_text(&mut app, "/etc/hosts is wrong");
    key(&mut app, KeyCode::Esc);
    assert_eq!(key(&mut app, KeyCode::Enter), Some(Action::Submit("/etc/hosts is wrong".into())));
}

#[test]
fn esc_interrupts_a_running_turn_and_ctrl_c_twice_quits() {
    let mut app = app();
    assert_eq!(key(&mut app, KeyCode::Esc), None, "nothing to interrupt");
    app.set_running(Some("work"));
    assert_eq!(key(&mut app, KeyCode::Esc), Some(Action::Interrupt));
    let ctrl_c = |app: &mut App| press(app, KeyCode::Char('c'), KeyModifiers::CONTROL);
    assert_eq!(ctrl_c(&mut app), Some(Action::Interrupt));
    assert!(app.ctrl_c_pending());
    assert_eq!(ctrl_c(&mut app), Some(Action::Quit));
}

#[test]
fn the_first_ctrl_c_clears_the_line() {
    let mut app = app();
    type_text(&mut app, "half a thought");
    let ctrl_c = |app: &mut App| press(app, KeyCode::Char('c'), KeyModifiers::CONTROL);
    assert_eq!(ctrl_c(&mut app), None);
    assert!(app.input.is_empty());
    assert_eq!(press(&mut app, KeyCode::Char('d'), KeyModifiers::CONTROL), Some(Action::Quit));
}

#[test]
fn approval_keys_answer_and_close_the_prompt() {
    let prompt = ApprovalPrompt {
        tool: "bash".into(),
        input: json!({"command": "npm run build"}),
        reason: "no rule".into(),
        rule: Some("bash(npm run *)".into()),
        settings_file: ".rein/config.toml".into(),
    };
    for (code, answer) in [
        (KeyCode::Char('y'), ApprovalAnswer::Once),
        (KeyCode::Char('a'), ApprovalAnswer::Always),
        (KeyCode::Char('3'), ApprovalAnswer::Deny),
        (KeyCode::Esc, ApprovalAnswer::Deny),
    ] {
        let mut app = app();
        app.ask_approval(prompt.clone());
        type_text(&mut app, "x");
        assert_eq!(key(&mut app, code), Some(Action::Approve(answer)), "{code:?}");
        assert!(app.input.is_empty(), "keys meant for the prompt do not reach the editor");
        assert_eq!(key(&mut app, KeyCode::Char('y')), None, "the prompt is closed");
    }
    let mut app = app();
    app.ask_approval(ApprovalPrompt { rule: None, ..prompt });
    assert_eq!(key(&mut app, KeyCode::Char('a')), None, "no rule, no always");
    key(&mut app, KeyCode::Down);
    assert_eq!(key(&mut app, KeyCode::Enter), Some(Action::Approve(ApprovalAnswer::Deny)));
}

#[test]
fn a_question_takes_an_option_or_free_text() {
    let mut app = app();
    let prompt =
        QuestionPrompt { question: "Which?".into(), options: vec!["a".into(), "b".into()] };
    app.ask_question(prompt.clone());
    key(&mut app, KeyCode::Down);
    assert_eq!(key(&mut app, KeyCode::Enter), Some(Action::Answer(Some("b".into()))));
    app.ask_question(prompt.clone());
    type_text(&mut app, "neither");
    assert_eq!(key(&mut app, KeyCode::Enter), Some(Action::Answer(Some("neither".into()))));
    app.ask_question(prompt);
    assert_eq!(key(&mut app, KeyCode::Esc), Some(Action::Answer(None)));
}

#[test]
fn the_picker_resumes_the_chosen_session() {
    let mut app = app();
    let row = |id: &str, title: &str| SessionRow {
        id: id.into(),
        title: title.into(),
        updated: String::new(),
        turns: 1,
    };
    app.pick_session(vec![
        row("aaa", "fix login"),
        row("bbb", "add theme"),
        row("ccc", "fix build"),
    ]);
    type_text(&mut app, "fix");
    key(&mut app, KeyCode::Down);
    assert_eq!(key(&mut app, KeyCode::Enter), Some(Action::Resume("ccc".into())));
    app.pick_session(vec![row("aaa", "x")]);
    assert_eq!(key(&mut app, KeyCode::Esc), None);
    assert_eq!(key(&mut app, KeyCode::Enter), None, "closed; an empty prompt does nothing");
}

#[test]
fn usage_events_update_the_status_line() {
    let mut app = app();
    app.status_mut().context_window = 100_000;
    app.on_event(&Event::Usage {
        turn: 1,
        usage: rein_protocol::Usage {
            input_tokens: 20_000,
            output_tokens: 5_000,
            ..Default::default()
        },
        cost_usd: 0.5,
        session_usage: rein_protocol::Usage {
            input_tokens: 40_000,
            output_tokens: 9_000,
            ..Default::default()
        },
        session_cost_usd: 1.25,
    });
    assert_eq!(app.status.context_percent(), Some(25));
    assert_eq!(app.status.session_tokens, 49_000);
    assert_eq!(app.status.cost_usd, 1.25);
}

#[test]
fn streamed_text_grows_one_cell_until_something_else_happens() {
    let mut app = app();
    for piece in ["Hel", "lo ", "there"] {
        app.on_event(&Event::TextDelta { text: piece.into() });
    }
    app.on_event(&Event::ToolCallStarted { id: "1".into(), name: "list".into(), input: json!({}) });
    app.on_event(&Event::TextDelta { text: "After".into() });
    let text: Vec<String> = app
        .transcript
        .rows(0, 100)
        .iter()
        .map(|line| line.to_string())
        .filter(|line| !line.is_empty())
        .collect();
    assert!(text.is_empty(), "nothing is laid out before the first draw");
    app.transcript.layout(80, Theme::COLOR, false);
    let text: Vec<String> =
        app.transcript.rows(0, 100).iter().map(|line| line.to_string()).collect();
    assert_eq!(text, ["Hello there", "", "◌ list  ", "", "After"]);
}

#[test]
fn a_paste_that_shrinks_the_command_menu_keeps_enter_safe() {
    let mut app = app();
    key(&mut app, KeyCode::Char('/'));
    for _ in 0..5 {
        key(&mut app, KeyCode::Down);
    }
    app.on_terminal_event(&TermEvent::Paste("cost".into()));
    assert_eq!(
        key(&mut app, KeyCode::Enter),
        Some(Action::Command { name: "cost".into(), args: String::new() })
    );
}
