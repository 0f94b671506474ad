use super::Input;
use pretty_assertions::assert_eq;

fn typed(text: &str) -> Input {
    let mut input = Input::default();
    input.insert(text);
    input
}

#[test]
fn typing_moving_and_deleting_respect_characters() {
    let mut input = typed("héllo 🦀");
    input.backspace();
    assert_eq!(input.text(), "héllo ");
    input.line_start();
    input.right();
    input.right();
    input.backspace();
    assert_eq!(input.text(), "hllo ");
    input.delete();
    assert_eq!(input.text(), "hlo ");
    input.line_end();
    input.insert("x");
    assert_eq!(input.text(), "hlo x");
}

#[test]
fn word_motions_and_kills() {
    let mut input = typed("cargo test --all");
    input.delete_word_back();
    assert_eq!(input.text(), "cargo test ");
    input.word_left();
    input.word_left();
    assert_eq!(input.cursor_position(), (0, 0));
    input.word_right();
    input.delete_to_line_end();
    assert_eq!(input.text(), "cargo");
    input.delete_to_line_start();
    assert_eq!(input.text(), "");
}

#[test]
fn up_and_down_move_between_lines_before_the_history() {
    let mut input = Input::with_history(vec!["earlier".into()]);
    input.insert("first line\nsecond");
    assert_eq!(input.cursor_position(), (1, 6));
    input.up();
    assert_eq!(input.cursor_position(), (0, 6));
    input.up();
    assert_eq!(input.text(), "earlier");
    input.down();
    assert_eq!(input.text(), "first line\nsecond", "the draft comes back");
}

#[test]
fn history_walks_back_and_forth_and_skips_repeats() {
    let mut input = Input::default();
    for prompt in ["one", "two", "two", "  "] {
        input.insert(prompt);
        input.submit();
    }
    input.up();
    assert_eq!(input.text(), "two");
    input.up();
    assert_eq!(input.text(), "one");
    input.up();
    assert_eq!(input.text(), "one", "stays at the oldest");
    input.down();
    assert_eq!(input.text(), "two");
    input.down();
    assert_eq!(input.text(), "");
}

#[test]
fn pasted_line_ends_and_tabs_are_normalised() {
    let input = typed("a\r\nb\rc\td");
    assert_eq!(input.text(), "a\nb\nc    d");
    assert_eq!(input.cursor_position(), (2, 6));
}

#[test]
fn edits_at_the_edges_do_nothing() {
    let mut input = Input::default();
    input.backspace();
    input.delete();
    input.left();
    input.right();
    input.up();
    input.down();
    input.word_left();
    input.word_right();
    input.delete_word_back();
    assert_eq!(input.text(), "");
}
